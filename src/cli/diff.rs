//! `clause diff`: what changed between two versions of a document, on
//! standard output (marked text for a terminal, or the redline's HTML).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clause::build::compare::{DiffError, DiffFormat, DiffRequest};
use clause::model::diff::TextStyle;

use super::EXIT_PROBLEMS;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let stdout = std::io::stdout();
    let colored = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let format = match args.format {
        Format::Html => DiffFormat::Html,
        Format::Text if colored => DiffFormat::Text(TextStyle::Color),
        Format::Text => DiffFormat::Text(TextStyle::Plain),
    };
    let request = DiffRequest {
        root,
        document: args.document,
        language: args.language,
        from: args.from,
        to: args.to,
        drafts: args.drafts,
    };
    Ok(match clause::build::compare::run(&request, format) {
        Ok(out) => {
            let mut stdout = stdout.lock();
            stdout.write_all(out.output.as_bytes())?;
            stdout.flush()?;
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
        Err(DiffError::Invalid(problems)) => super::fail(&problems, "nothing to compare"),
        Err(DiffError::NotFound(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    })
}
