//! The `clause` command: parses the command line and runs one command (one
//! file each in `cli/`), which calls the library and prints what it found.
//! Exit codes: 0 success, 1 problems in the site, 2 wrong usage. Only the
//! binary prints.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "clause",
    version,
    about = "Build a static site of versioned legal documents"
)]
struct Cli {
    /// The site folder, holding config.toml
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: std::path::PathBuf,

    #[command(subcommand)]
    command: Command,
}

/// The commands, in the order a user meets them.
#[derive(Subcommand)]
enum Command {
    /// Make a new site in an empty folder
    Init(cli::init::Args),
    /// Start the next version of a document in each of its languages, or a new document
    New(cli::new::Args),
    /// Rebuild a policy's git history (one Markdown file) as draft versions of a document
    ImportGit(cli::import_git::Args),
    /// Check the site and write it to the output folder
    Build(cli::build::Args),
    /// Check everything a build would, and write nothing
    Check(cli::check::Args),
    /// Watch, and serve the output on a local web server that reloads pages after each rebuild
    Serve(cli::serve::Args),
    /// Build, then rebuild whenever the site's sources change (Ctrl-C stops)
    Watch(cli::watch::Args),
    /// Show what changed between two versions of a document
    Diff(cli::diff::Args),
    /// Record the text of every published version in clause.lock
    Lock(cli::lock::Args),
    /// Write the site as of a date as one zip: an offline copy with a manifest of SHA-256 hashes
    Archive(cli::archive::Args),
    /// Publish the built output to object storage or a folder, sending only what changed
    Deploy(cli::deploy::Args),
    /// Check that the live site is the built output and the built text the locked text
    Verify(cli::verify::Args),
    /// Print the completion script for a shell
    Completions(cli::completions::Args),
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        // A reader that stops early (`clause diff privacy | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(cli::EXIT_PROBLEMS)
        }
    }
}

fn run(cli: Cli) -> std::io::Result<ExitCode> {
    let root = cli.root;
    match cli.command {
        Command::Init(args) => cli::init::run(root, args),
        Command::New(args) => cli::new::run(root, args),
        Command::ImportGit(args) => cli::import_git::run(root, args),
        Command::Build(args) => cli::build::run(root, args),
        Command::Check(args) => cli::check::run(root, args),
        Command::Serve(args) => cli::serve::run(root, args),
        Command::Lock(args) => cli::lock::run(root, args),
        Command::Diff(args) => cli::diff::run(root, args),
        Command::Watch(args) => cli::watch::run(root, args),
        Command::Archive(args) => cli::archive::run(root, args),
        Command::Deploy(args) => cli::deploy::run(root, args),
        Command::Verify(args) => cli::verify::run(root, args),
        Command::Completions(args) => {
            cli::completions::run(args, <Cli as clap::CommandFactory>::command())
        }
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
