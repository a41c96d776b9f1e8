//! `clause deploy`: publishes the built output folder to object storage or
//! a folder, sending only what changed, in a safe order, and never
//! unpublishing a version by accident.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clause::deploy::plan::{Action, Options, Refusal, Step};
use clause::deploy::{self, DEFAULT_MAX_DELETES, DeployError, Event, Request};

use super::{EXIT_PROBLEMS, EXIT_USAGE, Output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    output: Output,
    /// Where to publish: s3://bucket/prefix, gs://bucket/prefix, az://container/prefix or file:///folder (default: [deploy] target in config.toml)
    #[arg(long, value_name = "URL")]
    target: Option<String>,
    /// Print the plan and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Refuse to delete more files than this (default: [deploy] max_deletes, else 256)
    #[arg(long, value_name = "N")]
    max_deletes: Option<usize>,
    /// Allow deleting the pages of versions the live site has published
    #[arg(long)]
    allow_unpublish: bool,
    /// Write the absolute URLs whose bytes changed to FILE, one per line (for a CDN purge)
    #[arg(long, value_name = "FILE")]
    changed_urls: Option<PathBuf>,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let settings = match deploy::settings(&root, args.output.output.as_deref()) {
        Ok(settings) => settings,
        Err(problems) => return Ok(super::fail(&problems, "nothing was deployed")),
    };
    let Some(target) = args.target.as_deref().or(settings.target.as_deref()) else {
        eprintln!(
            "error: no target to deploy to (help: pass --target s3://bucket/prefix, or set `target` under [deploy] in config.toml)"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let request = Request {
        settings: &settings,
        target,
        dry_run: args.dry_run,
        options: Options {
            max_deletes: args
                .max_deletes
                .or(settings.max_deletes)
                .unwrap_or(DEFAULT_MAX_DELETES),
            allow_unpublish: args.allow_unpublish,
        },
    };
    let terminal = std::io::stderr().is_terminal();
    let mut report = |event: Event<'_>| match event {
        Event::Planned(plan) => {
            let (uploads, up_bytes) = plan.count(Action::Upload);
            let (replaces, replace_bytes) = plan.count(Action::Replace);
            let (deletes, _) = plan.count(Action::Delete);
            eprintln!(
                "clause: plan for {target}: {uploads} to upload ({up_bytes} bytes), {replaces} to replace ({replace_bytes} bytes), {deletes} to delete, {} unchanged",
                plan.unchanged
            );
            for path in &plan.changed_behind {
                eprintln!(
                    "warning: `{path}` in the target is not what the last deploy wrote: someone else changed it; it is replaced with the built file"
                );
            }
            for path in &plan.foreign {
                eprintln!(
                    "warning: `{path}` in the target was not written by clause; it is left as it is"
                );
            }
        }
        Event::Progress { done, total, step } => {
            if terminal {
                eprint!("\r  {done}/{total} {} {}\x1b[K", verb(step), step.path);
            }
        }
    };
    match deploy::deploy(&request, &mut report) {
        Ok(done) => {
            if terminal && !done.plan.steps.is_empty() && !args.dry_run {
                eprintln!();
            }
            if let Some(file) = &args.changed_urls {
                let mut text = done.changed_urls.join("\n");
                if !text.is_empty() {
                    text.push('\n');
                }
                std::fs::write(file, text)?;
            }
            let (uploads, _) = done.plan.count(Action::Upload);
            let (replaces, _) = done.plan.count(Action::Replace);
            let (deletes, _) = done.plan.count(Action::Delete);
            if args.dry_run {
                eprintln!("clause: dry run: nothing was changed");
            } else {
                eprintln!(
                    "clause: deployed to {target}: {uploads} uploaded, {replaces} replaced, {deletes} deleted, {} unchanged{}",
                    done.plan.unchanged,
                    if done.plan.steps.is_empty() {
                        "; the target was already up to date"
                    } else {
                        ""
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(DeployError::Refused(refusals)) => {
            for refusal in &refusals {
                match refusal {
                    Refusal::Unpublish(paths) => {
                        for path in paths {
                            eprintln!(
                                "error: deleting `{path}` would unpublish a version the live site has published (help: keep the version's file in content/, or pass --allow-unpublish if it must go)"
                            );
                        }
                    }
                    Refusal::TooManyDeletes { count, max } => eprintln!(
                        "error: the deploy would delete {count} files, more than {max} (help: check the output folder and the target; pass --max-deletes {count} if that is meant)"
                    ),
                }
            }
            eprintln!("clause: the deploy was refused; nothing was changed");
            Ok(ExitCode::from(EXIT_PROBLEMS))
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("clause: the deploy stopped; run it again to complete it");
            Ok(ExitCode::from(EXIT_PROBLEMS))
        }
    }
}

fn verb(step: &Step) -> &'static str {
    match step.action {
        Action::Upload => "upload",
        Action::Replace => "replace",
        Action::Delete => "delete",
    }
}
