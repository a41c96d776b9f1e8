//! `clause serve`: `watch`, with a preview server on 127.0.0.1 whose pages
//! reload after each rebuild and show the problems of a failed one.

use std::path::PathBuf;
use std::process::ExitCode;

use clause::dev::serve::Server;

use super::EXIT_PROBLEMS;

#[derive(clap::Args)]
pub struct Args {
    // What `watch` takes: the output, the selection, polling.
    #[command(flatten)]
    watch: super::watch::Args,
    /// The port to listen on (the next free one if it is taken)
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; anything but loopback exposes the preview to the network
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the home page in a web browser
    #[arg(long)]
    open: bool,
}

pub fn run(root: PathBuf, args: Args) -> std::io::Result<ExitCode> {
    let poll = args.watch.poll;
    let options = match super::watch::options(root, args.watch) {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    // Ctrl-C is handled from the start, before anything says it is running.
    let ctrl_c = match super::watch::handle_ctrl_c() {
        Ok(channel) => channel,
        Err(code) => return Ok(code),
    };
    let (output, base_path) =
        clause::build::output_and_base_path(&options.root, options.output.as_deref());
    let started = match Server::start(output, base_path.clone(), args.bind, args.port) {
        Ok(started) => started,
        Err(e) => {
            eprintln!("error: {e} (help: pass another --port)");
            return Ok(ExitCode::from(EXIT_PROBLEMS));
        }
    };
    for note in &started.notes {
        eprintln!("warning: {note}");
    }
    let addr = started.server.addr();
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        ip if ip.is_ipv6() => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}{base_path}", addr.port());
    eprintln!("clause: serving {url} (Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    Ok(super::watch::watch_and_report(
        &options,
        poll,
        Some(ctrl_c),
        Some(&started.server),
    ))
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
