//! The commands, one file each, and what they share: the options that pick
//! versions, and how diagnostics and summaries are printed. Everything here
//! may call the whole library; the library never prints.

pub mod archive;
pub mod build;
pub mod check;
pub mod completions;
pub mod deploy;
pub mod diff;
pub mod import_git;
pub mod init;
pub mod lock;
pub mod new;
pub mod serve;
pub mod verify;
pub mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clause::base::diagnostics::Diagnostic;
use clause::build::{Options, Stats};

pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Which versions a command works on.
#[derive(clap::Args)]
pub struct Select {
    /// The date that decides which versions are in effect (default: SOURCE_DATE_EPOCH, else today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Include versions marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Fail on warnings too (nothing is written), for CI that wants a clean site
    #[arg(long)]
    pub deny_warnings: bool,
    /// Fail when a published version is missing from clause.lock or differs from it
    #[arg(long)]
    pub locked: bool,
    /// How problems are printed: text on standard error, or JSON Lines or GitHub workflow commands on standard output
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--output`, shared by the commands that write the site.
#[derive(clap::Args)]
pub struct Output {
    /// Output folder, relative to the current folder (default: output_dir from config.toml, under the site root)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    clause::load::frontmatter::parse_date(text)
        .ok_or_else(|| "expected a date as YYYY-MM-DD, such as 2026-05-12".to_string())
}

/// The library's options for `select`, or the exit code of a usage error
/// (an unreadable SOURCE_DATE_EPOCH).
pub fn options(
    root: PathBuf,
    output: Option<PathBuf>,
    select: &Select,
) -> Result<Options, ExitCode> {
    set_format(select.format);
    let env_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let today = chrono::Utc::now().date_naive();
    match clause::build::resolve_as_of(select.as_of, env_epoch.as_deref(), today) {
        Ok(as_of) => Ok(Options {
            root,
            output,
            as_of,
            drafts: select.drafts,
            deny_warnings: select.deny_warnings,
            locked: select.locked,
            offline: false,
        }),
        Err(message) => {
            eprintln!("error: {message}");
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// `; next change on 2027-01-01`: when a rebuild would switch a version.
pub fn next_change(date: Option<NaiveDate>) -> String {
    date.map_or_else(String::new, |d| format!("; next change on {d}"))
}

pub fn describe(s: Stats) -> String {
    format!(
        "{} in {} ({}, {})",
        plural(s.documents, "document"),
        plural(s.languages, "language"),
        plural(s.versions, "version"),
        plural(s.pages, "page")
    )
}

/// `1 document`, `2 documents`, `2 mismatches`.
pub fn plural(n: usize, word: &str) -> String {
    let ending = match n {
        1 => "",
        _ if word.ends_with("ch") || word.ends_with('s') || word.ends_with('x') => "es",
        _ => "s",
    };
    format!("{n} {word}{ending}")
}

/// How diagnostics are printed (`--format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:column: error: message (help: hint)`, on standard error
    #[default]
    Text,
    /// One JSON object per line, on standard output
    Json,
    /// GitHub Actions workflow commands (`::error file=...`), on standard output
    Github,
}

static FORMAT: std::sync::OnceLock<Format> = std::sync::OnceLock::new();

/// Chooses how `print_all` prints, once, before any command runs.
pub fn set_format(format: Format) {
    let _ = FORMAT.set(format);
}

pub fn print_all(diagnostics: &[Diagnostic]) {
    let format = FORMAT.get().copied().unwrap_or_default();
    for d in diagnostics {
        match format {
            Format::Text => eprintln!("{d}"),
            Format::Json => println!("{}", json_line(d)),
            Format::Github => println!("{}", github_line(d)),
        }
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    if d.is_error() { "error" } else { "warning" }
}

/// One diagnostic as a line of JSON.
pub fn json_line(d: &Diagnostic) -> String {
    let (file, message, help) = d.shown_parts();
    serde_json::json!({
        "severity": severity(d),
        "code": d.code,
        "file": file,
        "line": d.line,
        "column": d.column,
        "message": message,
        "help": help,
    })
    .to_string()
}

/// One diagnostic as a GitHub Actions workflow command, which annotates
/// the file at its line in a pull request.
pub fn github_line(d: &Diagnostic) -> String {
    // GitHub's own escaping: `%`, CR and LF in the message; also `:` and
    // `,` in the properties.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let (file, message, help) = d.shown_parts();
    let text = match help {
        Some(help) => format!("{message} (help: {help})"),
        None => message,
    };
    format!(
        "::{} file={},line={},col={},title={}::{}",
        severity(d),
        property(&file),
        d.line,
        d.column,
        property(d.code),
        data(&text)
    )
}

/// Prints `problems` and what they mean, and returns the exit code.
pub fn fail(problems: &[Diagnostic], outcome: &str) -> ExitCode {
    print_all(problems);
    // Only warnings: they fail because `--deny-warnings` was given.
    let why = if problems.iter().any(Diagnostic::is_error) {
        ""
    } else {
        " (--deny-warnings)"
    };
    eprintln!("clause: {}; {outcome}{why}", count(problems));
    ExitCode::from(EXIT_PROBLEMS)
}

/// `2 errors, 1 warning`.
pub fn count(problems: &[Diagnostic]) -> String {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    let mut count = plural(errors, "error");
    if warnings > 0 {
        count.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use clause::base::diagnostics::Position;

    /// Every code in both machine formats: a JSON object with every field,
    /// and a GitHub workflow command on one line, its data escaped.
    #[test]
    fn every_code_prints_in_json_and_github_form() {
        for (code, _) in clause::base::codes::ALL {
            let d = Diagnostic::error("content/a,b:c.md", Position::new(3, 7), "50% of it\nbroken")
                .with_code(code)
                .with_hint("fix it");
            let json: serde_json::Value = serde_json::from_str(&json_line(&d)).unwrap();
            assert_eq!(json["code"], *code);
            assert_eq!(json["severity"], "error");
            assert_eq!(json["file"], "content/a,b:c.md");
            assert_eq!(
                (json["line"].as_u64(), json["column"].as_u64()),
                (Some(3), Some(7))
            );
            assert_eq!(json["message"], "50% of it\nbroken");
            assert_eq!(json["help"], "fix it");
            let line = github_line(&d);
            assert_eq!(
                line,
                format!(
                    "::error file=content/a%2Cb%3Ac.md,line=3,col=7,title={}::50%25 of it%0Abroken (help: fix it)",
                    code.replace(':', "%3A")
                )
            );
            let warning = Diagnostic::warning("x.md", Position::START, "w").with_code(code);
            assert!(github_line(&warning).starts_with("::warning file=x.md,line=1,col=1,"));
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&json_line(&warning)).unwrap()["help"],
                serde_json::Value::Null
            );
        }
    }
}
