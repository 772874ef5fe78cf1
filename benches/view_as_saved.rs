//! "View as saved" benchmark (issue 24): how long a page takes to be
//! served as saved, in process and as a user runs it.
//!
//! Run with `cargo bench --bench view_as_saved`.
//!
//! 1. In process: a `serve::Server` on a library of three saves (the
//!    2.3 MB Chrome MHTML of a Substack post, Safari's Wikipedia main page,
//!    a folder save); the page asked for cold (a new server each time: the
//!    original read back from the library, re-read and rewritten) and warm
//!    (the read page kept: rewritten only), and one stored image.
//! 2. The whole process: `folio original 1 --print-url` started, its
//!    address read and the page asked for, p50 of the wall time and the
//!    process's peak memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark stops loudly on bad setup

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ms, percentile, time};
use folio::library::Library;
use folio::serve::Server;

/// GET `url` over HTTP/1.0: the status and the body's length.
fn get(url: &str) -> (u16, usize) {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&raw[9..12]).parse().unwrap();
    (status, raw.len() - split - 4)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.folio");
    let f = common::fixtures();
    let saves = [
        (
            "Chrome MHTML, 2.3 MB",
            f.join("saved/mhtml/blink-substack-noahpinion-japan.mht"),
        ),
        (
            "Safari webarchive",
            f.join("saved/webarchive/safari-wikipedia-mainpage.webarchive"),
        ),
        ("page + folder", f.join("formats/complete/m-minghui")),
    ];
    let mut ids = Vec::new();
    {
        let mut library = Library::open(&path).unwrap();
        for (_, save) in &saves {
            let before = library
                .list(None, folio::library::SortBy::Added, 100, 0)
                .unwrap()
                .len();
            let options = folio::library::ImportOptions::default();
            library
                .import_paths(
                    std::slice::from_ref(save),
                    &options,
                    &|_| {},
                    &Default::default(),
                )
                .unwrap();
            let rows = library
                .list(None, folio::library::SortBy::Added, 100, 0)
                .unwrap();
            assert_eq!(rows.len(), before + 1, "{}", save.display());
            ids.push(rows.iter().map(|r| r.id).max().unwrap());
        }
    }
    let image_address =
        regex::Regex::new(r"http://127\.0\.0\.1:\d+/[0-9a-f]+/\d+/r/any/[A-Za-z0-9%]+").unwrap();
    println!("view as saved, in process:");
    for ((name, _), id) in saves.iter().zip(&ids) {
        let (cold, cold95, (status, size)) = time(20, || {
            let server = Server::start(&path).unwrap();
            get(&server.page_url(*id, None))
        });
        assert_eq!(status, 200);
        let server = Server::start(&path).unwrap();
        let url = server.page_url(*id, None);
        let (warm, warm95, _) = time(50, || get(&url));
        let page = {
            let mut stream =
                TcpStream::connect(url.trim_start_matches("http://").split('/').next().unwrap())
                    .unwrap();
            let authority = url
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap()
                .to_owned();
            let path = &url[url.find(&authority).unwrap() + authority.len()..];
            write!(stream, "GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").unwrap();
            let mut body = String::new();
            stream.read_to_string(&mut body).unwrap();
            body
        };
        let image = image_address.find(&page).map(|m| m.as_str().to_owned());
        let image_time = image.map(|image| time(50, || get(&image)).0);
        println!(
            "  {name}: page {} KB cold p50 {} p95 {}, warm p50 {} p95 {}{}",
            size / 1024,
            ms(cold),
            ms(cold95),
            ms(warm),
            ms(warm95),
            image_time.map_or_else(String::new, |t| format!(", one image p50 {}", ms(t)))
        );
    }

    println!("view as saved, whole process (`folio original ID --print-url`, then the page):");
    let folio = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/folio");
    if !folio.is_file() {
        println!("  skipped: build target/release/folio first (cargo build --release)");
        return;
    }
    for ((name, _), id) in saves.iter().zip(&ids) {
        let mut times = Vec::new();
        let mut peak_kb = 0u64;
        for _ in 0..5 {
            let started = Instant::now();
            let mut child = Command::new(&folio)
                .arg("--library")
                .arg(&path)
                .args(["original", &id.to_string(), "--print-url"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            let (status, _) = get(line.trim());
            times.push(started.elapsed());
            assert_eq!(status, 200);
            let status =
                std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        times.sort();
        println!(
            "  {name}: started and served in p50 {} (max {}), peak {} MB",
            ms(percentile(&times, 50)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            peak_kb / 1024
        );
    }
}
