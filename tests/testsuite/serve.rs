//! `clause serve`: plain HTTP from the test against the real binary:
//! content types, HEAD, 404, redirects, traversal attempts, the injected
//! live-reload script, live-reload events, busy and stuck clients, ports.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::harness::{BOUND, Running, TestSite};

/// `clause serve` on a free port; returns it and its address.
fn serve(site: &TestSite, extra: &[&str]) -> (Running, SocketAddr) {
    let mut args = vec!["serve", "--as-of", "2026-06-01", "--port", "0"];
    args.extend_from_slice(extra);
    let mut running = Running::start(site, &args, "clause: serving http://");
    let line = running.seen.last().unwrap().clone();
    let url = line.split_whitespace().nth(2).unwrap();
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    running.wait_for_line(|l| l.contains("watching for changes"));
    (running, addr)
}

struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map_or("", String::as_str)
    }
}

/// Sends `METHOD target` exactly as written (no normalization) and reads the response.
fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(BOUND)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

#[test]
fn serves_files_with_their_types_head_404_and_redirects() {
    let site = TestSite::fixture("serve");
    let (server, addr) = serve(&site, &[]);
    let page = get(addr, "/terms/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(page.header("content-length"), page.body.len().to_string());
    for (path, kind) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/data.json", "application/json"),
        ("/static/feed.xml", "application/xml"),
        ("/static/icon.svg", "image/svg+xml"),
        ("/static/font.woff2", "font/woff2"),
        ("/static/img.png", "image/png"),
    ] {
        let response = get(addr, path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), kind, "{path}");
        assert_eq!(
            response.body,
            std::fs::read(site.path(&format!("dist{path}"))).unwrap(),
            "{path}"
        );
    }
    // HEAD: the same head, no body.
    let head = request(addr, "HEAD", "/terms/");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), page.body.len().to_string());
    assert!(head.body.is_empty());
    // A folder without its slash is redirected; the query is kept.
    let redirect = get(addr, "/terms?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), "/terms/?x=1");
    // Missing pages get a page that links home.
    let missing = get(addr, "/nowhere/");
    assert_eq!(missing.status, 404);
    let html = scraper::Html::parse_document(&missing.text());
    let link = scraper::Selector::parse("main a").unwrap();
    assert_eq!(
        html.select(&link).next().unwrap().value().attr("href"),
        Some("/")
    );
    assert_eq!(request(addr, "POST", "/terms/").status, 405);
    // Bare `\n` line ends are accepted; an oversized head gets 431.
    let status_of = |raw: &[u8]| {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(BOUND)).unwrap();
        stream.write_all(raw).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer)
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(status_of(b"GET /terms/ HTTP/1.1\nHost: x\n\n"), "200");
    let big = format!(
        "GET /terms/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    assert_eq!(status_of(big.as_bytes()), "431");
    // A large file comes whole, streamed.
    let big_file: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(site.path("dist/static/big.bin"), &big_file).unwrap();
    let response = get(addr, "/static/big.bin");
    assert_eq!(
        response.header("content-length"),
        big_file.len().to_string()
    );
    assert!(response.body == big_file);
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn the_live_reload_script_is_served_but_never_built() {
    let site = TestSite::fixture("serve");
    let (server, addr) = serve(&site, &[]);
    let served = get(addr, "/terms/").text();
    assert!(served.contains("new EventSource(\"/__clause/events\")"));
    assert!(served.trim_end().ends_with("</html>"));
    for (path, bytes) in site.tree("dist") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("EventSource"), "{path} has the script");
    }
    let plain = clause_build_output(&site);
    assert_eq!(
        served.replace(script(&served), ""),
        String::from_utf8(plain).unwrap(),
        "the served page is the built page plus the script"
    );
    assert_eq!(server.interrupt(), Some(0));
}

fn script(page: &str) -> &str {
    let start = page.find("<script>").unwrap();
    let end = page.find("</script>\n").unwrap() + "</script>\n".len();
    &page[start..end]
}

fn clause_build_output(site: &TestSite) -> Vec<u8> {
    std::fs::read(site.path("dist/terms/index.html")).unwrap()
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let site = TestSite::fixture("serve");
    let (server, addr) = serve(&site, &[]);
    std::os::unix::fs::symlink(site.path("config.toml"), site.path("dist/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&site.root, site.path("dist/leakdir")).unwrap();
    // A folder of the site whose index is a symlink leading out.
    std::fs::create_dir(site.path("dist/hole")).unwrap();
    std::os::unix::fs::symlink(site.path("config.toml"), site.path("dist/hole/index.html"))
        .unwrap();
    for target in [
        "/hole/",
        "/hole/index.html",
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E/config.toml",
        "/..%2fconfig.toml",
        "/static/..%2f..%2fconfig.toml",
        "/static/%2e%2e%2f%2e%2e%2fconfig.toml",
        "/static/..%5c..%5cconfig.toml",
        "/leak.txt",
        "/leakdir/config.toml",
        "/leakdir/",
    ] {
        let response = get(addr, target);
        assert_eq!(response.status, 404, "{target}");
        assert!(
            !response.text().contains("base_url"),
            "{target} leaked config.toml"
        );
    }
    // Hidden files are not the site.
    assert!(site.exists("dist/.clause-output"));
    assert_eq!(get(addr, "/.clause-output").status, 404);
    // A path starting with `//` does not redirect to another host.
    let response = get(addr, "//terms");
    assert_eq!(response.status, 301);
    assert_eq!(response.header("Location"), "/terms/");
    assert_eq!(server.interrupt(), Some(0));
}

/// Reads server-sent events until one named `name` arrives; returns its data.
fn next_event(events: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + BOUND;
    let mut current = String::new();
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if events.read_line(&mut line).unwrap() == 0 {
            panic!("the event stream ended");
        }
        if let Some(event) = line.strip_prefix("event: ") {
            current = event.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if current == name {
                return data.trim().to_string();
            }
        }
    }
    panic!("no `{name}` event within {BOUND:?}");
}

#[test]
fn pages_hear_about_every_rebuild() {
    let site = TestSite::fixture("serve");
    let (server, addr) = serve(&site, &[]);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(BOUND)).unwrap();
    write!(
        stream,
        "GET /__clause/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    let mut status = String::new();
    events.read_line(&mut status).unwrap();
    assert_eq!(status.trim(), "HTTP/1.1 200 OK");

    let file = "content/terms/1.en.md";
    let good = site.read(file);
    site.write(file, &good.replace("Hello.", "Hello again."));
    next_event(&mut events, "reload");
    site.write(file, "---\ntitle: broken\n");
    let data = next_event(&mut events, "problems");
    let lines: Vec<String> = serde_json::from_str(&data).unwrap();
    assert_eq!(
        lines,
        [
            "content/terms/1.en.md:1:1: error: the front matter opened on this line is never closed (help: end the front matter with a line that holds only `---`)"
        ]
    );
    // A page opened now hears about the problems at once.
    let mut late = TcpStream::connect(addr).unwrap();
    late.set_read_timeout(Some(BOUND)).unwrap();
    write!(late, "GET /__clause/events HTTP/1.1\r\n\r\n").unwrap();
    next_event(&mut BufReader::new(late), "problems");
    // The overlay shows 50 problems at most, and says how many more there are.
    let links: String = (0..60).map(|i| format!("[x](/nowhere-{i}/)\n\n")).collect();
    site.write(file, &format!("{good}\n{links}"));
    let data = next_event(&mut events, "problems");
    let lines: Vec<String> = serde_json::from_str(&data).unwrap();
    assert_eq!(lines.len(), 51);
    assert_eq!(lines[50], "… and 10 more (see the terminal)");
    site.write(file, &good);
    next_event(&mut events, "reload");
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn stuck_clients_do_not_hold_up_others_and_connections_are_capped() {
    let site = TestSite::fixture("serve");
    let (server, addr) = serve(&site, &[]);
    // Ten clients that send half a request and stall.
    let mut stuck: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /terms/ HTTP/1.1\r\nHost: x").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(get(addr, "/terms/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered only after {:?}",
        started.elapsed()
    );
    // Past the cap (900 connections), a client is told at once that the
    // server is busy.
    stuck.extend((0..900).map(|_| TcpStream::connect(addr).unwrap()));
    let started = Instant::now();
    let busy = get(addr, "/terms/");
    assert_eq!(busy.status, 503);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(stuck);
    // Once they are gone, it serves again.
    let deadline = Instant::now() + BOUND;
    while get(addr, "/terms/").status != 200 {
        assert!(Instant::now() < deadline, "still busy");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn a_taken_port_moves_to_the_next_and_says_so() {
    let site = TestSite::fixture("serve");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut running = Running::start(
        &site,
        &[
            "serve",
            "--as-of",
            "2026-06-01",
            "--port",
            &port.to_string(),
        ],
        "clause: serving http://",
    );
    let warning = running
        .seen
        .iter()
        .find(|l| l.starts_with("warning: port"))
        .cloned();
    let warning =
        warning.unwrap_or_else(|| running.wait_for_line(|l| l.starts_with("warning: port")));
    assert!(
        warning.starts_with(&format!("warning: port {port} is taken; using port ")),
        "{warning}"
    );
    assert_eq!(running.interrupt(), Some(0));
}

#[test]
fn a_bind_beyond_loopback_warns() {
    let site = TestSite::fixture("serve");
    let running = Running::start(
        &site,
        &[
            "serve",
            "--as-of",
            "2026-06-01",
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
        ],
        "clause: serving http://",
    );
    assert!(
        running
            .seen
            .iter()
            .any(|l| l.starts_with("warning: serving on 0.0.0.0, which other machines can reach")),
        "{:?}",
        running.seen
    );
    assert_eq!(running.interrupt(), Some(0));
}
