//! `clause completions <shell>`: the shell's completion script for clause,
//! on standard output (`clause completions bash > /etc/bash_completion.d/clause`).

use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell
    shell: clap_complete::Shell,
}

pub fn run(args: Args, mut command: clap::Command) -> std::io::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "clause", &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
