//! `clause verify`: checks that the live site (the deploy target, or the site
//! over HTTP) holds exactly the built output, and that the built text is the
//! locked text; lists every mismatch and exits 1 on any.

use std::path::PathBuf;
use std::process::ExitCode;

use clause::deploy::{self, verify};

use super::{EXIT_PROBLEMS, EXIT_USAGE, Output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    output: Output,
    /// Read the live site from this deploy target (default: [deploy] target in config.toml)
    #[arg(long, value_name = "URL", conflicts_with = "url")]
    target: Option<String>,
    /// Read the live site over HTTP(S) from this address, such as https://legal.example.com/
    #[arg(long, value_name = "URL")]
    url: Option<String>,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let settings = match deploy::settings(&root, args.output.output.as_deref()) {
        Ok(settings) => settings,
        Err(problems) => return Ok(super::fail(&problems, "nothing was verified")),
    };
    let source = args
        .url
        .as_deref()
        .or(args.target.as_deref())
        .or(settings.target.as_deref());
    let Some(source) = source else {
        eprintln!(
            "error: no live site to verify (help: pass --url https://... or --target s3://bucket/prefix, or set `target` under [deploy] in config.toml)"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    Ok(match verify::verify(&root, &settings, source) {
        Ok(found) => {
            for m in &found.mismatches {
                eprintln!("{}: {}", m.path, m.what);
            }
            if found.mismatches.is_empty() {
                eprintln!(
                    "clause: verified {source}: all {} files are the built ones, and the {} locked versions are the built text",
                    found.files, found.locked
                );
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "clause: verified {source}: {} in {} and {}",
                    super::plural(found.mismatches.len(), "mismatch"),
                    super::plural(found.files, "file"),
                    super::plural(found.locked, "locked version")
                );
                ExitCode::from(EXIT_PROBLEMS)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
