//! The `clause` command: parses the command line, calls the library, prints
//! diagnostics and a summary, and sets the exit code
//! (0 success, 1 problems in the site, 2 wrong usage).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use clause::base::diagnostics::Diagnostic;
use clause::build::{self as site, Options, Stats};
use clause::dev::{serve, watch};
use clause::output::OutputError;

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
    /// Watch, and serve the output on a local web server that reloads pages after each rebuild
    Serve {
        /// Output folder, relative to the current folder (default: output_dir from config.toml, under the site root)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
        /// Look for changes by polling, for network and container file systems
        #[arg(long)]
        poll: bool,
        /// The port to listen on (the next free one if it is taken)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback exposes the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the home page in a web browser
        #[arg(long)]
        open: bool,
    },
    /// Record the text of every version in effect in clause.lock
    Lock {
        /// Lock the versions in effect on this date (default: SOURCE_DATE_EPOCH, else today in UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Also rewrite entries whose text changed without a correction, and drop entries whose version is gone
        #[arg(long)]
        force: bool,
    },
    /// Show what changed between two versions of a document
    Diff {
        /// The document (its folder under content/, such as `privacy` or `legal/dpa`)
        document: String,
        /// The older version (default: the one before the newest)
        from: Option<String>,
        /// The newer version (default: the newest)
        to: Option<String>,
        /// The language (default: the default language)
        #[arg(long, value_name = "CODE")]
        language: Option<String>,
        /// `text` for the terminal, or `html` for the redline's HTML
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Colour the text: `auto` when the output is a terminal and NO_COLOR is unset
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Include versions marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build, then rebuild whenever the site's sources change (Ctrl-C stops)
    Watch {
        /// Output folder, relative to the current folder (default: output_dir from config.toml, under the site root)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        select: Select,
        /// Look for changes by polling, for network and container file systems
        #[arg(long)]
        poll: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Html,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct Select {
    /// The date that decides which versions are in effect (default: SOURCE_DATE_EPOCH, else today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Include versions marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Fail on warnings too (nothing is written), for CI that wants a clean site
    #[arg(long)]
    deny_warnings: bool,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    clause::load::frontmatter::parse_date(text)
        .ok_or_else(|| "expected a date as YYYY-MM-DD, such as 2026-05-12".to_string())
}

const EXIT_PROBLEMS: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Diff {
        document,
        from,
        to,
        language,
        format,
        color,
        drafts,
    } = cli.command
    {
        let request = site::DiffRequest {
            root: cli.root,
            document,
            language,
            from,
            to,
            drafts,
        };
        return diff(&request, format, color);
    }
    let started = Instant::now();
    let (select, output, mode) = match cli.command {
        Command::Build { output, select } => (select, output, Mode::Build),
        Command::Check { select } => (select, None, Mode::Check),
        Command::Diff { .. } => unreachable!("handled above"),
        Command::Lock { as_of, force } => (
            Select {
                as_of,
                drafts: false,
                deny_warnings: false,
            },
            None,
            Mode::Lock { force },
        ),
        Command::Watch {
            output,
            select,
            poll,
        } => (select, output, Mode::Watch { poll, serve: None }),
        Command::Serve {
            output,
            select,
            poll,
            port,
            bind,
            open,
        } => (
            select,
            output,
            Mode::Watch {
                poll,
                serve: Some(ServeArgs { port, bind, open }),
            },
        ),
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
        deny_warnings: select.deny_warnings,
    };

    match mode {
        Mode::Build => build(&options, started, as_of),
        Mode::Check => check(&options, started, as_of),
        Mode::Lock { force } => lock(&options, force),
        Mode::Watch { poll, serve } => watch(&options, poll, serve),
    }
}

enum Mode {
    Build,
    Check,
    Lock {
        force: bool,
    },
    Watch {
        poll: bool,
        serve: Option<ServeArgs>,
    },
}

struct ServeArgs {
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
}

fn build(options: &Options, started: Instant, as_of: NaiveDate) -> ExitCode {
    match site::build(options) {
        Ok(built) => {
            print_all(&built.warnings);
            let r = built.report;
            eprintln!(
                "clause: built {} into {} in {} ms: {} files written, {} unchanged, {} removed (as of {as_of}{})",
                describe(built.stats),
                built.output.display(),
                started.elapsed().as_millis(),
                r.written,
                r.unchanged,
                r.removed,
                next_change(built.next_change_at),
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
}

fn check(options: &Options, started: Instant, as_of: NaiveDate) -> ExitCode {
    match site::check(options) {
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

fn watch(options: &Options, poll: bool, serve: Option<ServeArgs>) -> ExitCode {
    // Ctrl-C is handled from the start, before anything says it is running.
    let (sender, receiver) = std::sync::mpsc::channel();
    let stop = sender.clone();
    let presses = std::sync::atomic::AtomicUsize::new(0);
    if let Err(e) = ctrlc::set_handler(move || {
        // The first Ctrl-C stops after the build in progress; a second one at once.
        if presses.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 {
            eprintln!("clause: stopped in the middle of a build");
            std::process::exit(130);
        }
        let _ = stop.send(watch::Message::Stop);
    }) {
        eprintln!("error: cannot handle Ctrl-C: {e}");
        return ExitCode::from(EXIT_PROBLEMS);
    }
    let server = match serve {
        None => None,
        Some(args) => {
            let (output, base_path) =
                site::output_and_base_path(&options.root, options.output.as_deref());
            match serve::Server::start(output, base_path.clone(), args.bind, args.port) {
                Ok(started) => {
                    for note in &started.notes {
                        eprintln!("warning: {note}");
                    }
                    let addr = started.server.addr();
                    let host = if addr.ip().is_unspecified() {
                        "127.0.0.1".to_string()
                    } else {
                        addr.ip().to_string()
                    };
                    let host = if addr.is_ipv6() && !addr.ip().is_unspecified() {
                        format!("[{host}]")
                    } else {
                        host
                    };
                    let url = format!("http://{host}:{}{base_path}", addr.port());
                    eprintln!("clause: serving {url} (Ctrl-C to stop)");
                    if args.open {
                        open_browser(&url);
                    }
                    Some(started.server)
                }
                Err(e) => {
                    eprintln!("error: {e} (help: pass another --port)");
                    return ExitCode::from(EXIT_PROBLEMS);
                }
            }
        }
    };
    let as_of = options.as_of;
    let mut report = |report: watch::Report<'_>| match report {
        watch::Report::Built {
            change,
            built,
            elapsed,
        } => {
            print_all(&built.warnings);
            if let Some(server) = &server {
                server.reload();
            }
            let r = built.report;
            if change.is_empty() {
                eprintln!(
                    "clause: built {} into {} in {} ms (as of {as_of}); watching for changes, Ctrl-C to stop",
                    describe(built.stats),
                    built.output.display(),
                    elapsed.as_millis()
                );
            } else {
                eprintln!(
                    "clause: {}: rebuilt in {} ms: {} pages rendered, {} files written, {} removed",
                    change.describe(),
                    elapsed.as_millis(),
                    built.pages_rendered,
                    r.written,
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
            print_all(problems);
            if let Some(server) = &server {
                server.problems(problems.iter().map(ToString::to_string).collect());
            }
            eprintln!(
                "clause: {what}: {}; the last good output is kept, waiting for the next change",
                count(problems)
            );
        }
        watch::Report::OutputError { message } => {
            if let Some(server) = &server {
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

fn lock(options: &Options, force: bool) -> ExitCode {
    match site::lock(options, force) {
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
                "clause: clause.lock has {} versions: {} added, {} updated, {} dropped (as of {})",
                update.entries.len(),
                update.added.len(),
                update.updated.len(),
                update.dropped.len(),
                options.as_of
            );
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "clause.lock was not changed"),
    }
}

fn diff(request: &site::DiffRequest, format: Format, color: Color) -> ExitCode {
    use std::io::IsTerminal;
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let format = match format {
        Format::Html => site::DiffFormat::Html,
        Format::Text if colored => site::DiffFormat::Text(clause::model::diff::TextStyle::Color),
        Format::Text => site::DiffFormat::Text(clause::model::diff::TextStyle::Plain),
    };
    match site::diff(request, format) {
        Ok(out) => {
            print!("{}", out.output);
            eprintln!(
                "clause: {} ({}) {} -> {}: {} words added, {} removed",
                request.document,
                out.language,
                out.from,
                out.to,
                out.words_added,
                out.words_removed
            );
            ExitCode::SUCCESS
        }
        Err(site::DiffError::Invalid(problems)) => fail(&problems, "nothing to compare"),
        Err(site::DiffError::NotFound(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    }
}

/// Opens `url` in the desktop's browser; a failure only warns.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        eprintln!("warning: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}

/// `; next change on 2027-01-01`: when a rebuild would switch a version.
fn next_change(date: Option<NaiveDate>) -> String {
    date.map_or_else(String::new, |d| format!("; next change on {d}"))
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
    // Only warnings: they fail because `--deny-warnings` was given.
    let why = if problems.iter().any(Diagnostic::is_error) {
        ""
    } else {
        " (--deny-warnings)"
    };
    eprintln!("clause: {}; {outcome}{why}", count(problems));
    ExitCode::from(EXIT_PROBLEMS)
}

/// `2 errors, 1 warning`.
fn count(problems: &[Diagnostic]) -> String {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut count = plural(errors, "error");
    if warnings > 0 {
        count.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    count
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
