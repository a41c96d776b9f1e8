//! `clause import-git`: a policy's git history as draft versions.

use std::path::PathBuf;
use std::process::ExitCode;

use clause::build::import_git::{self, By, ImportError, Request};

use super::EXIT_PROBLEMS;

#[derive(clap::Args)]
pub struct Args {
    /// The Markdown file whose history to import (inside a git working tree)
    #[arg(value_name = "FILE.md")]
    file: PathBuf,
    /// The document to make (its folder under content/, such as `privacy`)
    #[arg(long, value_name = "KEY")]
    document: String,
    /// The file's language (default: the site's default language)
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
    /// One version per day that changed the file (its last change that day), per commit, or per tag
    #[arg(long, value_enum, default_value_t = ByArg::Day)]
    by: ByArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ByArg {
    Day,
    Commit,
    Tag,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let request = Request {
        root,
        file: args.file,
        document: args.document,
        language: args.language,
        by: match args.by {
            ByArg::Day => By::Day,
            ByArg::Commit => By::Commit,
            ByArg::Tag => By::Tag,
        },
    };
    Ok(match import_git::import(&request) {
        Ok(paths) => {
            for path in &paths {
                eprintln!("  wrote {}", path.display());
            }
            eprintln!(
                "clause: {} for `{}`, each a draft: confirm each effective date and `changes` note (git's dates are when the text was committed, not when it took effect), remove `draft: true`, then `clause lock`",
                super::plural(paths.len(), "version"),
                request.document
            );
            ExitCode::SUCCESS
        }
        Err(ImportError::Invalid(problems)) => super::fail(&problems, "nothing was written"),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
