//! `clause init`: a new site in an empty folder -- config.toml with
//! comments, one sample document with a version in each chosen language, a
//! .gitignore for the output, and (on request) the default theme copied to
//! customise. It writes no clause.lock: the first `clause lock` is the
//! team's act of publishing. Everything is written into a hidden folder
//! first and moved into place at the end, so a failure leaves nothing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::base::layout::{CONFIG_FILE, CONTENT_DIR, DEFAULT_OUTPUT, THEMES_DIR};
use crate::i18n::{Catalog, LanguageSpec};
use crate::load::config::is_language_code;
use crate::load::theme;

/// What to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub dir: PathBuf,
    /// Language codes, the first the default (`en` when empty).
    pub languages: Vec<String>,
    /// The governing language (the first language when not given).
    pub governing: Option<String>,
    /// Copy the default theme to `themes/default/`.
    pub theme: bool,
    /// The sample version's effective date.
    pub today: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} is not empty (help: run `clause init` in a new or empty folder)")]
    NotEmpty(PathBuf),
    #[error(
        "`{0}` is not a language code (help: use a BCP 47 code such as `en`, `de`, `pt-BR` or `zh-Hans`)"
    )]
    Language(String),
    #[error("language `{0}` is given twice")]
    Twice(String),
    #[error(
        "the governing language `{0}` is not one of the site's languages (help: add --language {0})"
    )]
    Governing(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Makes the site; returns the files written, relative to the folder.
pub fn init(request: &Request) -> Result<Vec<String>, InitError> {
    let languages: Vec<String> = if request.languages.is_empty() {
        vec!["en".to_string()]
    } else {
        request.languages.clone()
    };
    for (i, code) in languages.iter().enumerate() {
        if !is_language_code(code) {
            return Err(InitError::Language(code.clone()));
        }
        if languages[..i].iter().any(|c| c.eq_ignore_ascii_case(code)) {
            return Err(InitError::Twice(code.clone()));
        }
    }
    let governing = request
        .governing
        .clone()
        .unwrap_or_else(|| languages[0].clone());
    if !languages.contains(&governing) {
        return Err(InitError::Governing(governing));
    }
    let dir = &request.dir;
    let occupied = std::fs::read_dir(dir)
        .map(|entries| {
            // A fresh `git init` is welcome.
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name() != ".git")
        })
        .unwrap_or(false);
    if occupied {
        return Err(InitError::NotEmpty(dir.clone()));
    }

    let names = native_names(&languages);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            CONFIG_FILE.to_string(),
            config_text(&languages, &names, &governing).into_bytes(),
        ),
        (
            ".gitignore".to_string(),
            format!("/{DEFAULT_OUTPUT}/\n").into_bytes(),
        ),
    ];
    for code in &languages {
        let path = format!("{CONTENT_DIR}/privacy/{}.{code}.md", request.today);
        files.push((path, sample(request.today, code, &governing).into_bytes()));
    }
    if request.theme {
        for (path, bytes) in theme::built_in_files() {
            files.push((format!("{THEMES_DIR}/default/{path}"), bytes.to_vec()));
        }
    }

    // Staged in a hidden folder inside the target, then moved into place.
    let staging = dir.join(".clause-init");
    let result = stage(&staging, &files).and_then(|()| {
        for top in top_level(&files) {
            let from = staging.join(&top);
            let to = dir.join(&top);
            std::fs::rename(&from, &to).map_err(|source| InitError::Write { path: to, source })?;
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

fn stage(staging: &Path, files: &[(String, Vec<u8>)]) -> Result<(), InitError> {
    for (path, bytes) in files {
        let target = staging.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, bytes));
        written.map_err(|source| InitError::Write {
            path: target.clone(),
            source,
        })?;
    }
    Ok(())
}

/// The first segment of each path, once each.
fn top_level(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut tops: Vec<String> = files
        .iter()
        .map(|(path, _)| path.split('/').next().unwrap_or(path).to_string())
        .collect();
    tops.sort();
    tops.dedup();
    tops
}

/// Each language's name in itself, from the built-in words ("Deutsch"), or
/// its code when clause has no words for it.
fn native_names(languages: &[String]) -> Vec<String> {
    let specs: Vec<LanguageSpec<'_>> = languages
        .iter()
        .map(|code| LanguageSpec {
            code,
            name: code,
            locale: code,
            date_format: None,
            strings: Vec::new(),
            position: crate::base::diagnostics::Position::START,
        })
        .collect();
    let (catalog, _) = Catalog::new(&specs, &theme::built_in_words());
    languages
        .iter()
        .map(|code| catalog.language_name(code, code).to_string())
        .collect()
}

fn config_text(languages: &[String], names: &[String], governing: &str) -> String {
    let mut text = format!(
        "# The site's settings; docs/configuration.md lists every key.\n\
         \n\
         # Where the site is published: every canonical link, feed and sitemap entry\n\
         # is built from it. Replace it with your own address.\n\
         base_url = \"https://legal.example.com/\"\n\
         title = \"Legal\"\n\
         \n\
         # Pages in the default language have no language prefix in their URL.\n\
         default_language = \"{default}\"\n\
         # The language whose text is legally binding; pages in other languages say so.\n\
         governing_language = \"{governing}\"\n\
         \n\
         # Where `clause build` writes the site (git ignores it, see .gitignore).\n\
         # output_dir = \"{DEFAULT_OUTPUT}\"\n",
        default = languages[0],
    );
    for (code, name) in languages.iter().zip(names) {
        text.push_str(&format!("\n[languages.{code}]\nname = \"{name}\"\n"));
    }
    text.push_str(
        "\n# Where `clause deploy` publishes (credentials come from the environment).\n\
         # [deploy]\n\
         # target = \"s3://bucket/prefix\"\n",
    );
    text
}

fn sample(date: NaiveDate, code: &str, governing: &str) -> String {
    let translation = if code == governing {
        String::new()
    } else {
        format!(
            "> This is the `{code}` version of the sample. Replace the English text\n\
             > below with its translation; the `{governing}` version governs.\n\n"
        )
    };
    format!(
        "---\n\
         title: Privacy Policy\n\
         effective_date: {date}\n\
         version: \"{date}\"\n\
         language: {code}\n\
         summary: How we collect, use and keep personal data.\n\
         ---\n\
         \n\
         {translation}\
         ## Who we are\n\
         \n\
         Replace this sample with your own policy. Each version of a document is a\n\
         file named after its version and language; a new version is a new file, and\n\
         the old one stays published at its own address.\n\
         \n\
         ## What we collect\n\
         \n\
         - Account details you give us: name and email address.\n\
         - Usage records our servers keep: dates, pages and error reports.\n\
         \n\
         ## How long we keep it {{#retention}}\n\
         \n\
         We keep account details while the account is open and for one year after\n\
         it is closed.\n\
         \n\
         ## Contact\n\
         \n\
         Write to the address given on this site.\n"
    )
}
