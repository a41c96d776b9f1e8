//! `clause watch`: builds, then rebuilds whenever the site's sources change,
//! until Ctrl-C. `clause serve` runs the same loop with a preview server.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, Sender};

use clause::build::Options;
use clause::dev::{serve::Server, watch};

use super::{EXIT_PROBLEMS, Output, Select};

/// Where Ctrl-C and the file watcher send their messages.
type Channel = (Sender<watch::Message>, Receiver<watch::Message>);

#[derive(clap::Args)]
// (Its own group name: `serve` flattens it into its `Args`.)
#[group(id = "watch-args")]
pub struct Args {
    #[command(flatten)]
    output: Output,
    #[command(flatten)]
    select: Select,
    /// Look for changes by polling, for network and container file systems
    #[arg(long)]
    pub(super) poll: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let poll = args.poll;
    let options = match options(root, args) {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    Ok(watch_and_report(&options, poll, None, None))
}

/// The build options `watch` (and `serve`) rebuild with.
pub(super) fn options(root: PathBuf, args: Args) -> Result<Options, ExitCode> {
    super::options(root, args.output.output, &args.select)
}

/// Ctrl-C handling, set up before anything says it is running: the first
/// press stops after the build in progress, a second one at once.
pub(super) fn handle_ctrl_c() -> Result<Channel, ExitCode> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let stop = sender.clone();
    let presses = std::sync::atomic::AtomicUsize::new(0);
    let handled = ctrlc::set_handler(move || {
        if presses.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 {
            eprintln!("clause: stopped in the middle of a build");
            std::process::exit(130);
        }
        let _ = stop.send(watch::Message::Stop);
    });
    match handled {
        Ok(()) => Ok((sender, receiver)),
        Err(e) => {
            eprintln!("error: cannot handle Ctrl-C: {e}");
            Err(ExitCode::from(EXIT_PROBLEMS))
        }
    }
}

/// Builds and rebuilds until stopped, printing each build's outcome and
/// telling `server`'s pages to reload (or show the problems).
pub fn watch_and_report(
    options: &Options,
    poll: bool,
    ctrl_c: Option<Channel>,
    server: Option<&Server>,
) -> ExitCode {
    let (sender, receiver) = match ctrl_c.map_or_else(handle_ctrl_c, Ok) {
        Ok(channel) => channel,
        Err(code) => return code,
    };
    let as_of = options.as_of;
    let mut report = |report: watch::Report<'_>| match report {
        watch::Report::Built {
            change,
            built,
            elapsed,
        } => {
            super::print_all(&built.warnings);
            if let Some(server) = server {
                server.reload();
            }
            let r = built.report;
            if change.is_empty() {
                eprintln!(
                    "clause: built {} into {} in {} ms (as of {as_of}); watching for changes, Ctrl-C to stop",
                    super::describe(built.stats),
                    built.output.display(),
                    elapsed.as_millis()
                );
            } else {
                eprintln!(
                    "clause: {}: rebuilt in {} ms: {} rendered, {} written, {} removed",
                    change.describe(),
                    elapsed.as_millis(),
                    super::plural(built.pages_rendered, "page"),
                    super::plural(r.written, "file"),
                    r.removed
                );
            }
        }
        watch::Report::Failed { change, problems } => {
            let what = if change.is_empty() {
                "the first build".to_string()
            } else {
                change.describe()
            };
            super::print_all(problems);
            if let Some(server) = server {
                server.problems(problems.iter().map(ToString::to_string).collect());
            }
            eprintln!(
                "clause: {what}: {}; the last good output is kept, waiting for the next change",
                super::count(problems)
            );
        }
        watch::Report::OutputError { message } => {
            if let Some(server) = server {
                server.problems(vec![format!("error: {message}")]);
            }
            eprintln!("error: {message}; waiting for the next change")
        }
        watch::Report::WatchError { message } => eprintln!("warning: {message}"),
    };
    match watch::run(options, poll, sender, &receiver, &mut report) {
        Ok(()) => {
            eprintln!("clause: stopped watching");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    }
}
