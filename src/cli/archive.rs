//! `clause archive`: the site as of a date, as one zip with a manifest.

use std::path::PathBuf;
use std::process::ExitCode;

use clause::build::archive::ArchiveError;

use super::{EXIT_PROBLEMS, Select};

#[derive(clap::Args)]
pub struct Args {
    /// The zip to write (replaced if it exists), such as legal-2026-12-01.zip
    #[arg(value_name = "OUT.zip")]
    zip: PathBuf,
    #[command(flatten)]
    select: Select,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let options = match super::options(root, None, &args.select) {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    Ok(match clause::build::archive::archive(&options, &args.zip) {
        Ok(archived) => {
            super::print_all(&archived.built.warnings);
            eprintln!(
                "clause: archived {} as of {} into {} ({}, {} bytes; {}/{} lists their SHA-256)",
                super::describe(archived.built.stats),
                options.as_of,
                args.zip.display(),
                super::plural(archived.files, "file"),
                archived.bytes,
                archived.folder,
                clause::build::archive::MANIFEST,
            );
            ExitCode::SUCCESS
        }
        Err(ArchiveError::Invalid(problems)) => super::fail(&problems, "no archive was written"),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
