//! The `clause` command: parses the command line, calls the library, prints
//! diagnostics and a summary, and sets the exit code
//! (0 success, 1 problems in the site, 2 wrong usage).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use clause::diagnostics::Diagnostic;
use clause::output::OutputError;
use clause::site::{self, Options, Stats};

#[derive(Parser)]
#[command(
    name = "clause",
    version,
    about = "Build a static site of versioned legal documents"
)]
struct Cli {
    /// The site folder, holding config.toml
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the site and write it to the output folder
    Build {
        /// Output folder, relative to the current folder (default: output_dir from config.toml, under the site root)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
    },
    /// Check everything a build would, and write nothing
    Check {
        #[command(flatten)]
        select: Select,
    },
}

#[derive(Args)]
struct Select {
    /// The date that decides which versions are in effect (default: SOURCE_DATE_EPOCH, else today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Include versions marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    clause::frontmatter::parse_date(text)
        .ok_or_else(|| "expected a date as YYYY-MM-DD, such as 2026-05-12".to_string())
}

const EXIT_PROBLEMS: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (select, output, writing) = match cli.command {
        Command::Build { output, select } => (select, output, true),
        Command::Check { select } => (select, None, false),
    };
    let env_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let today = chrono::Utc::now().date_naive();
    let as_of = match site::resolve_as_of(select.as_of, env_epoch.as_deref(), today) {
        Ok(date) => date,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let options = Options {
        root: cli.root,
        output,
        as_of,
        drafts: select.drafts,
    };

    if writing {
        match site::build(&options) {
            Ok(built) => {
                print_all(&built.warnings);
                let r = built.report;
                eprintln!(
                    "clause: built {} into {} in {} ms: {} files written, {} unchanged, {} removed (as of {as_of})",
                    describe(built.stats),
                    built.output.display(),
                    started.elapsed().as_millis(),
                    r.written,
                    r.unchanged,
                    r.removed,
                );
                ExitCode::SUCCESS
            }
            Err(site::Error::Invalid(problems)) => fail(&problems, "nothing was written"),
            Err(site::Error::Output(e @ OutputError::Refused { .. })) => {
                eprintln!("error: {e} (help: choose a folder of its own, such as `dist`)");
                ExitCode::from(EXIT_PROBLEMS)
            }
            Err(site::Error::Output(e)) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_PROBLEMS)
            }
        }
    } else {
        match site::check(&options) {
            Ok(checked) => {
                print_all(&checked.warnings);
                eprintln!(
                    "clause: checked {} in {} ms: no errors (as of {as_of})",
                    describe(checked.stats),
                    started.elapsed().as_millis()
                );
                ExitCode::SUCCESS
            }
            Err(problems) => fail(&problems, "the site has problems"),
        }
    }
}

fn describe(s: Stats) -> String {
    format!(
        "{} documents in {} languages ({} versions, {} pages)",
        s.documents, s.languages, s.versions, s.pages
    )
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn fail(problems: &[Diagnostic], outcome: &str) -> ExitCode {
    print_all(problems);
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut count = plural(errors, "error");
    if warnings > 0 {
        count.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    eprintln!("clause: {count}; {outcome}");
    ExitCode::from(EXIT_PROBLEMS)
}
