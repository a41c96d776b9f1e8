//! `clause check`: everything a build checks, writing nothing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::Select;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    select: Select,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let started = Instant::now();
    let options = match super::options(root, None, &args.select) {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    Ok(match clause::build::check(&options) {
        Ok(checked) => {
            super::print_all(&checked.warnings);
            eprintln!(
                "clause: checked {} in {} ms: no errors (as of {})",
                super::describe(checked.stats),
                started.elapsed().as_millis(),
                options.as_of
            );
            ExitCode::SUCCESS
        }
        Err(problems) => super::fail(&problems, "the site has problems"),
    })
}
