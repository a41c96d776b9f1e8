//! `clause new`: the next version of a document in each of its languages,
//! or a new document.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clause::build::new::{self, NewError, Request};

use super::EXIT_PROBLEMS;

#[derive(clap::Args)]
pub struct Args {
    /// The document (its folder under content/, such as `privacy` or `legal/dpa`)
    document: String,
    /// The date the new version takes effect
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    effective_date: NaiveDate,
    /// The new version's name (default: the effective date)
    #[arg(long, value_name = "V")]
    version: Option<String>,
    /// The version to copy the text of (default: the latest in each language)
    #[arg(long, value_name = "VERSION")]
    from: Option<String>,
    /// Only this language; repeat for several (default: every language of the document)
    #[arg(long = "language", value_name = "CODE")]
    languages: Vec<String>,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let request = Request {
        root,
        document: args.document,
        effective_date: args.effective_date,
        version: args.version,
        from: args.from,
        languages: args.languages,
    };
    Ok(match new::new(&request) {
        Ok(paths) => {
            for path in &paths {
                eprintln!("  wrote {}", path.display());
            }
            eprintln!(
                "clause: {} for `{}`: edit the text, replace the `changes` placeholder, then `clause check`",
                super::plural(paths.len(), "new file"),
                request.document
            );
            ExitCode::SUCCESS
        }
        Err(NewError::Invalid(problems)) => super::fail(&problems, "nothing was written"),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
