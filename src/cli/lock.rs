//! `clause lock`: records the text of every version in effect in clause.lock.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::Select;

#[derive(clap::Args)]
pub struct Args {
    /// Lock the versions in effect on this date (default: SOURCE_DATE_EPOCH, else today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    /// Also rewrite entries whose text changed without a correction, and drop entries whose version is gone
    #[arg(long)]
    force: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let select = Select {
        as_of: args.as_of,
        drafts: false,
        deny_warnings: false,
    };
    let options = match super::options(root, None, &select) {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    Ok(match clause::build::lock::run(&options, args.force) {
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
                "clause: clause.lock has {}: {} added, {} updated, {} dropped (as of {})",
                super::plural(update.entries.len(), "version"),
                update.added.len(),
                update.updated.len(),
                update.dropped.len(),
                options.as_of
            );
            ExitCode::SUCCESS
        }
        Err(problems) => super::fail(&problems, "clause.lock was not changed"),
    })
}
