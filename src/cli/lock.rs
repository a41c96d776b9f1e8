//! `clause lock`: records the text of every published version in clause.lock.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Also rewrite entries whose text changed without a correction, and drop entries whose version is gone
    #[arg(long)]
    force: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    Ok(match clause::build::lock::run(&root, args.force) {
        Ok(update) => {
            for line in &update.added {
                eprintln!("  locked {line}");
            }
            for line in &update.updated {
                eprintln!("  updated {line}");
            }
            for line in &update.dropped {
                eprintln!("  dropped {line} (no longer in content/)");
            }
            eprintln!(
                "clause: clause.lock has {}: {} added, {} updated, {} dropped",
                super::plural(update.entries.len(), "version"),
                update.added.len(),
                update.updated.len(),
                update.dropped.len(),
            );
            ExitCode::SUCCESS
        }
        Err(problems) => super::fail(&problems, "clause.lock was not changed"),
    })
}
