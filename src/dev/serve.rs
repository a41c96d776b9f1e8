//! Local preview: an HTTP server over the output folder, with live
//! reload. Pages it serves (never the files in the output folder) get a tiny
//! script that listens for Server-Sent Events: `reload` after a good
//! rebuild, `problems` (shown as an overlay) after a failed one.
//!
//! HTTP is hyper's (as Zola's `serve`), on a single-threaded tokio runtime
//! of its own: each connection is a task, so an idle, slow or stuck client
//! costs a little memory and never a thread, and never delays another.
//! Files are streamed in 64 KiB chunks as the client reads them, so memory
//! stays flat whatever the file size and the client's speed. A request head
//! must arrive within 10 seconds and be at most 16 KiB (else 431); a client
//! that reads nothing for 10 seconds is dropped; past 900 connections at
//! once, a client is told the server is busy (503).

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::percent_decode_str;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::broadcast;

/// The live-reload endpoint; outside the site's URL space.
pub const EVENTS_PATH: &str = "/__clause/events";

/// Connections served at once; more get `503 Service Unavailable`.
const MAX_CONNECTIONS: usize = 900;
/// How long a client may take to send its request head, or to take any of
/// the response while the server waits to write.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Problems shown in the overlay at most (the terminal has them all).
const MAX_OVERLAY_LINES: usize = 50;
/// The largest request head accepted (hyper answers 431 past it).
const MAX_HEAD: usize = 16 * 1024;
/// How much of a file is read at a time.
const CHUNK: usize = 64 * 1024;
/// HTML pages up to this size get the live-reload script (larger ones are
/// streamed as they are).
const MAX_INJECTED: u64 = 8 * 1024 * 1024;
/// Events a live-reload listener may fall behind by (it then skips to the
/// latest).
const EVENT_BACKLOG: usize = 16;
/// Ports tried after the one asked for, when it is taken.
const PORT_TRIES: u16 = 20;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("cannot start the server: {0}")]
    Runtime(io::Error),
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
        listener
            .set_nonblocking(true)
            .map_err(|source| ServeError::Bind { addr, source })?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let hub = Arc::new(Hub::new());
        let site = Arc::new(Site {
            output,
            base_path,
            hub: Arc::clone(&hub),
        });
        std::thread::Builder::new()
            .name("clause serve".to_string())
            .spawn(move || runtime.block_on(accept(listener, site)))
            .map_err(ServeError::Runtime)?;
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

/// The state pages were last told, and the channel that tells them.
struct Hub {
    state: Mutex<State>,
    events: broadcast::Sender<String>,
}

impl Hub {
    fn new() -> Self {
        Self {
            state: Mutex::default(),
            events: broadcast::channel(EVENT_BACKLOG).0,
        }
    }

    fn broadcast(&self, state: State) {
        let event = state.event();
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = state;
        // No listener is no error.
        let _ = self.events.send(event);
    }

    /// A listener's events: the problems at once if the build is broken
    /// (a page opened now shows them), then every event as it comes.
    fn listen(&self) -> Body {
        let receiver = self.events.subscribe();
        let first = match &*self.state.lock().unwrap_or_else(|e| e.into_inner()) {
            state @ State::Problems(_) => Some(state.event()),
            State::Good => None,
        };
        let events =
            futures::stream::unfold((first, receiver), |(first, mut receiver)| async move {
                if let Some(event) = first {
                    return Some((Ok(Frame::data(Bytes::from(event))), (None, receiver)));
                }
                loop {
                    match receiver.recv().await {
                        Ok(event) => {
                            return Some((Ok(Frame::data(Bytes::from(event))), (None, receiver)));
                        }
                        // Fell behind: what counts is the latest state, which comes next.
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            });
        StreamBody::new(events).boxed_unsync()
    }
}

/// What every connection needs.
struct Site {
    output: PathBuf,
    base_path: String,
    hub: Arc<Hub>,
}

type Body = UnsyncBoxBody<Bytes, io::Error>;

async fn accept(listener: TcpListener, site: Arc<Site>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for connections to end
            // rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            tokio::spawn(busy(stream));
            continue;
        }
        let site = Arc::clone(&site);
        let done = Arc::clone(&active);
        tokio::spawn(async move {
            let io = TokioIo::new(Patient::new(stream));
            let service = hyper::service::service_fn(move |request| {
                let site = Arc::clone(&site);
                async move { Ok::<_, io::Error>(handle(request, &site).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(IO_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(io, service)
                .await;
            done.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Tells a client over the cap that the server is busy. The request is
/// read briefly first: closing a socket with unread data resets it, and the
/// client would see an error instead of the answer.
async fn busy(mut stream: tokio::net::TcpStream) {
    let brief = Duration::from_millis(50);
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(brief, stream.read(&mut buf)).await;
    let answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n";
    let _ = tokio::time::timeout(brief, stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
    let _ = tokio::time::timeout(brief, stream.read(&mut buf)).await;
}

/// A connection that gives up on a client that takes nothing it is sent
/// for `IO_TIMEOUT` (a slow reader holding a large file open).
struct Patient<S> {
    inner: S,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Patient<S> {
    fn new(inner: S) -> Self {
        Self {
            inner,
            stalled: None,
        }
    }

    /// The write could not go on: an error once it has waited too long.
    fn waited<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(IO_TIMEOUT)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Patient<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Patient<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Pending => this.waited(cx),
            ready => {
                this.stalled = None;
                ready
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.waited(cx),
            ready => {
                this.stalled = None;
                ready
            }
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

async fn handle(request: Request<hyper::body::Incoming>, site: &Site) -> Response<Body> {
    let head_only = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head_only {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            &[(header::ALLOW, "GET, HEAD")],
            Bytes::from_static(b"only GET and HEAD\n"),
            head_only,
        );
    }
    let uri = request.uri();
    let query = uri.query().map(str::to_string);
    // `//host/x` would make a redirect to another site: one leading slash only.
    let path = format!("/{}", uri.path().trim_start_matches('/'));
    if path == EVENTS_PATH && !head_only {
        let mut response = Response::new(site.hub.listen());
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/event-stream"),
        );
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        return response;
    }
    match resolve(site, &path) {
        Resolved::File(file) => match file_response(&file, head_only).await {
            Ok(response) => response,
            Err(_) => not_found(site, head_only),
        },
        Resolved::Redirect => {
            let mut location = format!("{path}/");
            if let Some(q) = query {
                location.push('?');
                location.push_str(&q);
            }
            respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                &[(header::LOCATION, &location)],
                Bytes::new(),
                head_only,
            )
        }
        Resolved::NotFound => not_found(site, head_only),
    }
}

/// A file of the output: small HTML pages read whole to take the
/// live-reload script, everything else streamed.
async fn file_response(file: &Path, head_only: bool) -> io::Result<Response<Body>> {
    let kind = content_type(file);
    let mut opened = tokio::fs::File::open(file).await?;
    let len = opened.metadata().await?.len();
    if kind.starts_with("text/html") && len <= MAX_INJECTED {
        let mut page = Vec::with_capacity(len as usize);
        opened.read_to_end(&mut page).await?;
        return Ok(respond(
            StatusCode::OK,
            kind,
            &[],
            Bytes::from(inject(&page)),
            head_only,
        ));
    }
    let body = if head_only {
        Full::new(Bytes::new())
            .map_err(|never| match never {})
            .boxed_unsync()
    } else {
        let chunks = futures::stream::unfold(Some(opened), |file| async move {
            let mut file = file?;
            let mut buf = vec![0u8; CHUNK];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Frame::data(Bytes::from(buf))), Some(file)))
                }
                Err(e) => Some((Err(e), None)),
            }
        });
        StreamBody::new(chunks).boxed_unsync()
    };
    let mut response = Response::new(body);
    set_headers(&mut response, kind, &[], len);
    Ok(response)
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

fn not_found(site: &Site, head_only: bool) -> Response<Body> {
    let home = escape(&site.base_path);
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Not found</title>\n</head>\n<body>\n<main>\n<h1>Not found</h1>\n<p>There is no page at this address in the preview. <a href=\"{home}\">Go to the home page</a>.</p>\n</main>\n</body>\n</html>\n"
    );
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        &[],
        Bytes::from(inject(page.as_bytes())),
        head_only,
    )
}

/// A whole response (for HEAD, the head only, with the body's length).
fn respond(
    status: StatusCode,
    kind: &str,
    extra: &[(header::HeaderName, &str)],
    body: Bytes,
    head_only: bool,
) -> Response<Body> {
    let len = body.len() as u64;
    let body = if head_only { Bytes::new() } else { body };
    let mut response = Response::new(
        Full::new(body)
            .map_err(|never| match never {})
            .boxed_unsync(),
    );
    *response.status_mut() = status;
    set_headers(&mut response, kind, extra, len);
    response
}

/// Every response is for one request (`Connection: close`) and never cached.
fn set_headers(
    response: &mut Response<Body>,
    kind: &str,
    extra: &[(header::HeaderName, &str)],
    len: u64,
) {
    let headers = response.headers_mut();
    let value = |text: &str| {
        header::HeaderValue::from_str(text).unwrap_or_else(|_| header::HeaderValue::from_static(""))
    };
    headers.insert(header::CONTENT_TYPE, value(kind));
    headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(len));
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    for (name, text) in extra {
        headers.insert(name.clone(), value(text));
    }
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
