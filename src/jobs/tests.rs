//! The worker end to end: cancelling one task leaves another alone.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::*;
use crate::library::{ArticleId, ImportOptions, Library};
/// Serve the fixture JPEG on 127.0.0.1, stopping halfway through the
/// body until `release` says go on. Returns the base URL, a receiver told
/// when the first half is out, and the sender that releases the rest.
fn held_image_server() -> (String, Receiver<()>, Sender<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let jpeg = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/complete/m-epoch/m-epoch_files/p1.jpg"),
    )
    .unwrap();
    let (halfway_tx, halfway) = channel();
    let (release, release_rx) = channel::<()>();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                jpeg.len()
            );
            let (first, rest) = jpeg.split_at(jpeg.len() / 2);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(first);
            let _ = stream.flush();
            let _ = halfway_tx.send(());
            let _ = release_rx.recv();
            let _ = stream.write_all(rest);
        }
    });
    (format!("http://{addr}"), halfway, release)
}

/// A library holding the seed, its images served from `base`.
fn seed_library(dir: &Path, base: &str) -> (PathBuf, ArticleId) {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_2ed360ca1ed3b761.txt"),
    )
    .unwrap()
    .replace("https://i.epochtimes.com", base);
    let page = dir.join("seed.txt");
    std::fs::write(&page, seed).unwrap();
    let path = dir.join("cancel.folio");
    let report = Library::open(&path)
        .unwrap()
        .import_paths(
            &[page],
            &ImportOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    (path, report.ids[0])
}

/// Events until one satisfies `stop` (which is returned with the rest).
fn events_until(worker: &Worker, stop: impl Fn(&Event) -> bool) -> Vec<Event> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        for event in worker.poll() {
            let last = stop(&event);
            seen.push(event);
            if last {
                return seen;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out; events so far: {seen:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Fetch the seed's image from a server that stops halfway, cancel
/// `task` meanwhile, and return what the fetch reported.
fn fetch_cancelling(task: Task) -> Vec<Result<Outcome, Failure>> {
    let dir = tempfile::tempdir().unwrap();
    let (base, halfway, release) = held_image_server();
    let (path, id) = seed_library(dir.path(), &base);
    let worker = Worker::start(&path, false, || {}).unwrap();
    // An import started earlier (nothing to import, it ends at once):
    // its token is the one "Cancel import" sets.
    worker.send(Command::Import(Vec::new()));
    worker.send(Command::FetchImages(id));
    halfway.recv_timeout(Duration::from_secs(20)).unwrap();
    worker.cancel(task);
    release.send(()).unwrap();
    let events = events_until(&worker, |e| matches!(e, Event::Done(_) | Event::Error(_)));
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Done(outcome) => Some(Ok(outcome)),
            Event::Error(failure) => Some(Err(failure)),
            _ => None,
        })
        .collect()
}

/// One cancel flag used to serve every task: cancelling an import
/// stopped a fetch (or export, or merge) running beside it.
#[test]
fn cancelling_an_import_leaves_a_running_fetch_alone() {
    assert_eq!(
        fetch_cancelling(Task::Import),
        [Ok(Outcome::Fetched {
            fetched: 1,
            failed: 0
        })]
    );
}

#[test]
fn cancelling_a_fetch_stops_it() {
    assert_eq!(
        fetch_cancelling(Task::Fetch),
        [Err(Failure::ImageNotFetched("cancelled".to_owned()))]
    );
}

#[test]
fn every_task_gets_a_fresh_token() {
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::start(&dir.path().join("t.folio"), true, || {}).unwrap();
    let token = |task| worker.tokens.lock().unwrap().get(&task).cloned().unwrap();
    worker.send(Command::Merge(dir.path().join("missing.folio")));
    worker.cancel(Task::Merge);
    let first = token(Task::Merge);
    worker.send(Command::Merge(dir.path().join("missing.folio")));
    assert!(first.is_cancelled());
    assert!(
        !token(Task::Merge).is_cancelled(),
        "a new merge starts uncancelled"
    );
}
