//! Local preview: a small HTTP server over the output folder, with live
//! reload. Pages it serves (never the files in the output folder) get a tiny
//! script that listens for Server-Sent Events: `reload` after a good
//! rebuild, `problems` (shown as an overlay) after a failed one.
//!
//! Each connection gets its own thread with read and write timeouts, so a
//! slow or stuck client cannot hold up others; the number of connections is
//! capped, and the live-reload listeners hand their sockets to one
//! broadcaster instead of keeping a thread each.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use percent_encoding::percent_decode_str;

/// The live-reload endpoint; outside the site's URL space.
pub const EVENTS_PATH: &str = "/__clause/events";

/// Connections served at once; more get `503 Service Unavailable`.
const MAX_CONNECTIONS: usize = 64;
/// Live-reload listeners kept at once.
const MAX_LISTENERS: usize = 64;
/// How long a client may take to send its request or read the response.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Problems shown in the overlay at most (the terminal has them all).
const MAX_OVERLAY_LINES: usize = 50;
/// The largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Ports tried after the one asked for, when it is taken.
const PORT_TRIES: u16 = 20;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    hub: Arc<Hub>,
}

/// Things worth telling the user about how the server started.
pub struct Started {
    pub server: Server,
    pub notes: Vec<String>,
}

impl Server {
    /// Starts serving `output` under the URL path `base_path` (`/` or
    /// `/legal/`) on `bind`, on `port` or, when it is taken, the next free
    /// port. Returns at once; the server runs on its own threads.
    pub fn start(
        output: PathBuf,
        base_path: String,
        bind: IpAddr,
        port: u16,
    ) -> Result<Started, ServeError> {
        let mut notes = Vec::new();
        if !bind.is_loopback() {
            notes.push(format!(
                "serving on {bind}, which other machines can reach: the preview shows unpublished text to anyone on the network"
            ));
        }
        let mut last_error = None;
        let mut listener = None;
        for candidate in port..=port.saturating_add(PORT_TRIES) {
            let addr = SocketAddr::new(bind, candidate);
            match TcpListener::bind(addr) {
                Ok(l) => {
                    if candidate != port {
                        notes.push(format!("port {port} is taken; using port {candidate}"));
                    }
                    listener = Some(l);
                    break;
                }
                Err(e) => last_error = Some((addr, e)),
            }
        }
        let listener = match (listener, last_error) {
            (Some(l), _) => l,
            (None, Some((addr, source))) => return Err(ServeError::Bind { addr, source }),
            (None, None) => unreachable!("the port range is never empty"),
        };
        let addr = listener.local_addr().map_err(|source| ServeError::Bind {
            addr: SocketAddr::new(bind, port),
            source,
        })?;
        let hub = Arc::new(Hub::default());
        let site = Arc::new(Site {
            output,
            base_path,
            hub: Arc::clone(&hub),
        });
        std::thread::spawn(move || accept(listener, site));
        Ok(Started {
            server: Server { addr, hub },
            notes,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Tells open pages to reload (after a good build).
    pub fn reload(&self) {
        self.hub.broadcast(State::Good);
    }

    /// Shows `lines` in an overlay on open pages (after a failed build).
    pub fn problems(&self, lines: Vec<String>) {
        self.hub.broadcast(State::Problems(lines));
    }
}

/// What pages should show: the site, or the problems of the last build.
#[derive(Clone, Default)]
enum State {
    #[default]
    Good,
    Problems(Vec<String>),
}

impl State {
    fn event(&self) -> String {
        match self {
            State::Good => "event: reload\ndata: {}\n\n".to_string(),
            State::Problems(lines) => {
                // The overlay is for reading, and one event must fit a socket's buffer.
                let mut shown: Vec<&str> = lines
                    .iter()
                    .take(MAX_OVERLAY_LINES)
                    .map(String::as_str)
                    .collect();
                let more = lines.len().saturating_sub(MAX_OVERLAY_LINES);
                let note = format!("… and {more} more (see the terminal)");
                if more > 0 {
                    shown.push(&note);
                }
                format!(
                    "event: problems\ndata: {}\n\n",
                    serde_json::to_string(&shown).unwrap_or_else(|_| "[]".to_string())
                )
            }
        }
    }
}

/// The live-reload listeners and the state they were last told.
#[derive(Default)]
struct Hub {
    inner: Mutex<HubInner>,
}

#[derive(Default)]
struct HubInner {
    listeners: Vec<TcpStream>,
    state: State,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HubInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a listener; a page opened while the build is broken sees the problems at once.
    fn add(&self, mut stream: TcpStream) {
        // Writes to listeners never wait: one that does not read is dropped
        // (its page reconnects) rather than holding up the others.
        if stream.set_nonblocking(true).is_err() {
            return;
        }
        let mut inner = self.lock();
        if inner.listeners.len() >= MAX_LISTENERS {
            // The oldest is most likely a tab that was closed without a goodbye.
            inner.listeners.remove(0);
        }
        if let State::Problems(_) = inner.state {
            let event = inner.state.event();
            if !send(&mut stream, &event) {
                return;
            }
        }
        inner.listeners.push(stream);
    }

    fn broadcast(&self, state: State) {
        let event = state.event();
        let mut inner = self.lock();
        inner.state = state;
        inner.listeners.retain_mut(|stream| send(stream, &event));
    }
}

/// Writes a whole event to a non-blocking listener; false if it could not
/// take it at once (gone, or not reading), and the listener is dropped.
fn send(stream: &mut TcpStream, event: &str) -> bool {
    let mut rest = event.as_bytes();
    while !rest.is_empty() {
        match stream.write(rest) {
            Ok(0) | Err(_) => return false,
            Ok(n) => rest = &rest[n..],
        }
    }
    true
}

/// What every connection needs.
struct Site {
    output: PathBuf,
    base_path: String,
    hub: Arc<Hub>,
}

fn accept(listener: TcpListener, site: Arc<Site>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            busy(stream);
            continue;
        }
        let site = Arc::clone(&site);
        let done = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("clause serve".to_string())
            .spawn(move || {
                handle(stream, &site);
                done.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread: the connection was dropped (closed); count it back.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Tells a client over the cap that the server is busy. The request is
/// read briefly first: closing a socket with unread data resets it, and the
/// client would see an error instead of the answer.
fn busy(mut stream: TcpStream) {
    let brief = Some(Duration::from_millis(50));
    let _ = stream.set_read_timeout(brief);
    let _ = stream.set_write_timeout(brief);
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    let text = "text/plain; charset=utf-8";
    let _ = respond(
        &mut stream,
        false,
        503,
        "Service Unavailable",
        text,
        &[("Retry-After", "1")],
        b"busy\n",
    );
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.read(&mut buf);
}

/// Reads the request head: everything up to the blank line.
fn read_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    // One deadline for the whole head, so a client sending a byte now and
    // then cannot hold a connection slot for long.
    let deadline = Instant::now() + IO_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return None;
        }
        let left = deadline.checked_duration_since(Instant::now())?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .ok()?;
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Some(head)
}

fn handle(mut stream: TcpStream, site: &Site) {
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    let (method, target) = match request.parse(&head) {
        Ok(httparse::Status::Complete(_)) => (
            request.method.unwrap_or("").to_string(),
            request.path.unwrap_or("/").to_string(),
        ),
        _ => {
            let _ = respond(
                &mut stream,
                false,
                400,
                "Bad Request",
                "text/plain; charset=utf-8",
                &[],
                b"bad request\n",
            );
            return;
        }
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        let _ = respond(
            &mut stream,
            false,
            405,
            "Method Not Allowed",
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD")],
            b"only GET and HEAD\n",
        );
        return;
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target, None),
    };
    // `//host/x` would make a redirect to another site: one leading slash only.
    let path = format!("/{}", path.trim_start_matches('/'));
    if path == EVENTS_PATH && !head_only {
        let header = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
        if stream.write_all(header.as_bytes()).is_ok() {
            site.hub.add(stream);
        }
        return;
    }
    let _ = match resolve(site, &path) {
        Resolved::File(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let kind = content_type(&file);
                let body = if kind.starts_with("text/html") {
                    inject(&bytes)
                } else {
                    bytes
                };
                respond(&mut stream, head_only, 200, "OK", kind, &[], &body)
            }
            Err(_) => not_found(&mut stream, site, head_only),
        },
        Resolved::Redirect => {
            let mut location = format!("{path}/");
            if let Some(q) = query {
                location.push('?');
                location.push_str(&q);
            }
            respond(
                &mut stream,
                head_only,
                301,
                "Moved Permanently",
                "text/plain; charset=utf-8",
                &[("Location", &location)],
                b"",
            )
        }
        Resolved::NotFound => not_found(&mut stream, site, head_only),
    };
}

enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect,
    NotFound,
}

/// Maps a URL path to a file inside the output folder. Anything that could
/// lead outside it (`..` in any encoding, a backslash, a symlink pointing
/// out) is not found.
fn resolve(site: &Site, path: &str) -> Resolved {
    let Some(rest) = path.strip_prefix(site.base_path.as_str()).or_else(|| {
        // `/legal` for the base path `/legal/`.
        (format!("{path}/") == site.base_path).then_some("")
    }) else {
        return Resolved::NotFound;
    };
    if path.len() < site.base_path.len() {
        return Resolved::Redirect;
    }
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else {
        return Resolved::NotFound;
    };
    let mut file = site.output.clone();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        // Hidden files (the output marker, a deploy checkout's `.git`) are not the site.
        let bad = segment.starts_with('.')
            || segment.contains(['\\', '\0'])
            || (cfg!(windows) && segment.contains(':'));
        if bad {
            return Resolved::NotFound;
        }
        file.push(segment);
    }
    // The real location must still be inside the real output folder.
    let Ok(output) = std::fs::canonicalize(&site.output) else {
        return Resolved::NotFound;
    };
    let inside = |p: &Path| {
        std::fs::canonicalize(p)
            .ok()
            .filter(|real| real.starts_with(&output))
    };
    let Some(real) = inside(&file) else {
        return Resolved::NotFound;
    };
    if real.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect;
        }
        // The index may be a symlink too.
        return match inside(&real.join("index.html")) {
            Some(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

fn not_found(stream: &mut TcpStream, site: &Site, head_only: bool) -> io::Result<()> {
    let home = escape(&site.base_path);
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Not found</title>\n</head>\n<body>\n<main>\n<h1>Not found</h1>\n<p>There is no page at this address in the preview. <a href=\"{home}\">Go to the home page</a>.</p>\n</main>\n</body>\n</html>\n"
    );
    respond(
        stream,
        head_only,
        404,
        "Not Found",
        "text/html; charset=utf-8",
        &[],
        &inject(page.as_bytes()),
    )
}

fn respond(
    stream: &mut TcpStream,
    head_only: bool,
    code: u16,
    reason: &str,
    kind: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The content type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, put into every HTML page the server sends.
const SCRIPT: &str = r#"<script>
(() => {
  const source = new EventSource("/__clause/events");
  let overlay = null;
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("problems", (event) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "clause-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#fff5f5;color:#5c0000;border-top:4px solid #b00020;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.2)";
      document.body.appendChild(overlay);
    }
    const title = document.createElement("strong");
    title.textContent = "clause: the last change has errors. This page shows the last good build.";
    const lines = document.createElement("pre");
    lines.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
    lines.textContent = JSON.parse(event.data).join("\n");
    overlay.replaceChildren(title, lines);
  });
})();
</script>
"#;

/// `page` with the live-reload script before `</body>` (or at the end).
fn inject(page: &[u8]) -> Vec<u8> {
    let lower = page.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + SCRIPT.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_closing_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        let out = String::from_utf8(inject(b"no body")).unwrap();
        assert!(out.starts_with("no body<script>"));
    }

    #[test]
    fn content_types() {
        for (name, kind) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.CSS", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("feed.xml", "application/xml"),
            ("documents.json", "application/json"),
            ("logo.svg", "image/svg+xml"),
            ("f.woff2", "font/woff2"),
            ("a.png", "image/png"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }

    #[test]
    fn problems_travel_as_one_json_line() {
        let event = State::Problems(vec!["a:1:1: error: x \"y\"\nz".to_string()]).event();
        assert_eq!(
            event,
            "event: problems\ndata: [\"a:1:1: error: x \\\"y\\\"\\nz\"]\n\n"
        );
    }
}
