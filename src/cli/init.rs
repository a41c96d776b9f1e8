//! `clause init`: a new site in an empty folder, ready to build.

use std::path::PathBuf;
use std::process::ExitCode;

use clause::build::init::{self, Request};

use super::EXIT_PROBLEMS;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to make the site in (default: the current folder); it must be empty
    dir: Option<PathBuf>,
    /// A language of the site, as a BCP 47 code; repeat for each (the first is the default; default: en)
    #[arg(long = "language", value_name = "CODE")]
    languages: Vec<String>,
    /// The language whose text is legally binding (default: the first language)
    #[arg(long, value_name = "CODE")]
    governing: Option<String>,
    /// Copy the default theme to themes/default/ to customise it
    #[arg(long)]
    theme: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let dir = args.dir.unwrap_or(root);
    let request = Request {
        dir: dir.clone(),
        languages: args.languages,
        governing: args.governing,
        theme: args.theme,
        today: chrono::Utc::now().date_naive(),
    };
    Ok(match init::init(&request) {
        Ok(files) => {
            for file in files.iter().filter(|f| !f.starts_with("themes/")) {
                eprintln!("  wrote {file}");
            }
            let theme_files = files.iter().filter(|f| f.starts_with("themes/")).count();
            if theme_files > 0 {
                eprintln!("  wrote themes/default/ ({theme_files} files)");
            }
            eprintln!(
                "clause: a new site in {}: set base_url in config.toml, then run `clause serve` to preview it, `clause build` to build it, and `clause lock` when you publish",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
