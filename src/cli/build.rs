//! `clause build`: checks the site and writes it to the output folder.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clause::build::Error;
use clause::output::OutputError;

use super::{EXIT_PROBLEMS, Output, Select};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    output: Output,
    #[command(flatten)]
    select: Select,
    /// Write an offline copy: links between pages relative and ending in index.html, for opening from the file system or a zip
    #[arg(long)]
    offline: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let started = Instant::now();
    let options = match super::options(root, args.output.output, &args.select) {
        Ok(options) => clause::build::Options {
            offline: args.offline,
            ..options
        },
        Err(code) => return Ok(code),
    };
    Ok(match clause::build::build(&options) {
        Ok(built) => {
            super::print_all(&built.warnings);
            let r = built.report;
            eprintln!(
                "clause: built {} into {} in {} ms: {} written, {} unchanged, {} removed (as of {}{})",
                super::describe(built.stats),
                built.output.display(),
                started.elapsed().as_millis(),
                super::plural(r.written, "file"),
                r.unchanged,
                r.removed,
                options.as_of,
                super::next_change(built.next_change_at),
            );
            ExitCode::SUCCESS
        }
        Err(Error::Invalid(problems)) => super::fail(&problems, "nothing was written"),
        Err(Error::Output(e @ OutputError::Refused { .. })) => {
            eprintln!("error: {e} (help: choose a folder of its own, such as `dist`)");
            ExitCode::from(EXIT_PROBLEMS)
        }
        Err(Error::Output(e @ OutputError::Io { .. })) => {
            eprintln!(
                "error: {e} (help: the output folder was left as it was; make room or fix the folder's permissions and build again)"
            );
            ExitCode::from(EXIT_PROBLEMS)
        }
        Err(Error::Output(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
