//! Missing images (issue 6): kept by URL, fetched only on request, never
//! behind the user's back. A small HTTP server on 127.0.0.1 (port 0), started
//! by each test, serves fixture images and every bad case, and counts the
//! connections it accepts.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use folio::fetch::{FetchError, FetchOptions, Fetcher};
use folio::library::{ImportOptions, Library, LibraryError};
use serde_json::Value;
use tempfile::TempDir;

/// The seed article's caption on its image.
const SEED_CAPTION: &str = "图为小米手机在北京的一家服务中心。(Greg Baker/AFP via Getty Images)";
/// The seed's image URL, rewritten to point at the test server.
const SEED_IMAGE_URL: &str = "https://i.epochtimes.com/assets/uploads/2021/07/id13114421-GettyImages-482986290@1200x1200-600x400.jpg";
/// How long the slow responses wait before answering (the tests' read timeout is shorter).
const SLOW: Duration = Duration::from_secs(6);
/// The size cap the tests use (the oversized bodies are bigger).
const TEST_CAP: u64 = 1_000_000;

// ---- the test server ------------------------------------------------------------

/// What one path answers.
#[derive(Clone)]
enum Reply {
    /// 200 with these bytes and content type.
    Ok(Vec<u8>, &'static str),
    /// 200 after a delay (the slow response).
    Slow(Duration, Vec<u8>, &'static str),
    /// A redirect to `Location`.
    Redirect(String),
    /// 404 with an HTML page.
    NotFound,
    /// 200, image/jpeg, `n` bytes streamed without a Content-Length.
    Stream(usize),
    /// 200 with a Content-Length of `n` bytes (none are sent).
    Declared(u64),
}

/// A hand-written HTTP/1.1 server on 127.0.0.1 that counts accepted
/// connections and the largest number of requests in flight at once.
struct Server {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(routes: HashMap<String, Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let routes = Arc::new(routes);
        {
            let (connections, max_in_flight, stop) =
                (connections.clone(), max_in_flight.clone(), stop.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (routes, in_flight, max_in_flight) =
                        (routes.clone(), in_flight.clone(), max_in_flight.clone());
                    thread::spawn(move || {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        max_in_flight.fetch_max(now, Ordering::SeqCst);
                        let _ = serve(stream, &routes);
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            });
        }
        Self {
            addr,
            connections,
            max_in_flight,
            stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop` and ends.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Answer one request and close the connection.
fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let respond = |stream: &mut TcpStream, status: &str, ctype: &str, body: &[u8]| {
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )?;
        stream.write_all(body)
    };
    match routes.get(&path).cloned().unwrap_or(Reply::NotFound) {
        Reply::Ok(body, ctype) => respond(&mut stream, "200 OK", ctype, &body)?,
        Reply::Slow(delay, body, ctype) => {
            thread::sleep(delay);
            respond(&mut stream, "200 OK", ctype, &body)?;
        }
        Reply::Redirect(location) => write!(
            stream,
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?,
        Reply::NotFound => respond(
            &mut stream,
            "404 Not Found",
            "text/html",
            b"<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>",
        )?,
        Reply::Stream(n) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n"
            )?;
            // A JPEG start, then filler: the client must stop at its cap.
            let mut chunk = vec![0u8; 64 * 1024];
            chunk[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
            let mut sent = 0;
            while sent < n {
                stream.write_all(&chunk)?;
                chunk[..4].fill(0);
                sent += chunk.len();
            }
        }
        Reply::Declared(n) => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"
        )?,
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Both);
    Ok(())
}

/// A fixture image's bytes.
fn fixture_image(rel: &str) -> Vec<u8> {
    std::fs::read(common::fixtures().join("formats/complete").join(rel)).unwrap()
}

/// An SVG with an external entity: stored as written, never resolved.
const SVG: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
    <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\">\
    <rect width=\"20\" height=\"10\" fill=\"teal\"/><text>&xxe;</text></svg>\n";

/// The routes every test serves.
fn routes() -> HashMap<String, Reply> {
    let mut r = HashMap::new();
    let images = [
        (
            "/img/seed.jpg",
            "m-epoch/m-epoch_files/p1.jpg",
            "image/jpeg",
        ),
        (
            "/img/p2.png",
            "m-minghui/m-minghui_files/p2.png",
            "image/png",
        ),
        (
            "/img/p3.webp",
            "m-minghui/m-minghui_files/p3.webp",
            "image/webp",
        ),
        (
            "/img/p4.gif",
            "m-minghui/m-minghui_files/p4.gif",
            "image/gif",
        ),
        (
            "/img/p5.jpg",
            "m-minghui/m-minghui_files/p5.jpg",
            "image/jpeg",
        ),
    ];
    for (path, file, ctype) in images {
        r.insert(path.to_owned(), Reply::Ok(fixture_image(file), ctype));
    }
    r.insert(
        "/slow.jpg".to_owned(),
        Reply::Slow(
            SLOW,
            fixture_image("m-epoch/m-epoch_files/p1.jpg"),
            "image/jpeg",
        ),
    );
    for n in 0..6 {
        r.insert(
            format!("/pace/{n}.png"),
            Reply::Slow(
                Duration::from_millis(300),
                fixture_image("m-minghui/m-minghui_files/p2.png"),
                "image/png",
            ),
        );
    }
    r.insert(
        "/img/logo.svg".to_owned(),
        Reply::Ok(SVG.as_bytes().to_vec(), "image/svg+xml"),
    );
    r.insert(
        "/feed.svg".to_owned(),
        Reply::Ok(
            b"<?xml version=\"1.0\"?><rss><channel><title>not an image</title></channel></rss>"
                .to_vec(),
            "image/svg+xml",
        ),
    );
    r.insert(
        "/huge.png".to_owned(),
        Reply::Ok(
            common::png_header_claiming(30_000, 30_000, false),
            "image/png",
        ),
    );
    let png = fixture_image("m-minghui/m-minghui_files/p2.png");
    r.insert(
        "/truncated.png".to_owned(),
        Reply::Ok(png[..png.len() / 2].to_vec(), "image/png"),
    );
    r.insert("/big.jpg".to_owned(), Reply::Stream(3 * 1024 * 1024));
    r.insert("/big-declared.jpg".to_owned(), Reply::Declared(50_000_000));
    r.insert(
        "/page.jpg".to_owned(),
        Reply::Ok(
            b"<!DOCTYPE html><html><head><title>Oops</title></head><body>Error</body></html>"
                .to_vec(),
            "text/html; charset=utf-8",
        ),
    );
    r.insert(
        "/loop-a.jpg".to_owned(),
        Reply::Redirect("/loop-b.jpg".to_owned()),
    );
    r.insert(
        "/loop-b.jpg".to_owned(),
        Reply::Redirect("/loop-a.jpg".to_owned()),
    );
    r.insert(
        "/moved.png".to_owned(),
        Reply::Redirect("/img/p3.webp".to_owned()),
    );
    r.insert(
        "/to-file.jpg".to_owned(),
        Reply::Redirect("file:///etc/passwd".to_owned()),
    );
    for n in 0..10 {
        r.insert(
            format!("/chain/{n}"),
            Reply::Redirect(format!("/chain/{}", n + 1)),
        );
    }
    r
}

// ---- saved pages pointing at the server -------------------------------------------

/// The seed with its image URL pointing at `server`, and `extra` images (path,
/// caption) added at the start of its body.
fn seed_copy(dir: &Path, name: &str, server: &Server, extra: &[(&str, &str)]) -> PathBuf {
    let text = std::fs::read_to_string(common::seed_path()).unwrap();
    assert!(text.contains(SEED_IMAGE_URL));
    let mut text = text.replace(SEED_IMAGE_URL, &server.url("/img/seed.jpg"));
    if !extra.is_empty() {
        let figures: String = extra
            .iter()
            .map(|(path, caption)| {
                format!(
                    "<figure><img src=\"{}\"/><figcaption>{caption}</figcaption></figure>\n",
                    server.url(path)
                )
            })
            .collect();
        let marker = "<!-- article content begin -->";
        assert!(text.contains(marker));
        text = text.replacen(marker, &format!("{marker}\n{figures}"), 1);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

// ---- running the binary -------------------------------------------------------------

struct Env {
    dir: TempDir,
    library: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("test.folio");
        Self { dir, library }
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        let mut command = common::folio();
        command.arg("--library").arg(&self.library).args(args);
        // The test server is on loopback: never go through a proxy.
        for var in [
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
        ] {
            command.env_remove(var);
        }
        command.stdin(Stdio::null()).output().unwrap()
    }

    fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "folio failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// Import `path` and return the new article's id.
    fn import(&self, extra_args: &[&str], path: &Path) -> (i64, Value) {
        let mut args: Vec<&std::ffi::OsStr> = extra_args.iter().map(|a| a.as_ref()).collect();
        args.extend(["import".as_ref(), "--json".as_ref(), path.as_os_str()]);
        let report = self.json(&args);
        assert_eq!(report["imported"], 1, "{report}");
        (report["ids"][0].as_i64().unwrap(), report)
    }

    fn show(&self, id: i64) -> Value {
        self.json(&["show", "--json", &id.to_string()])
    }
}

/// The image blocks of a `show --json` object.
fn images(article: &Value) -> Vec<Value> {
    article["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "image")
        .cloned()
        .collect()
}

/// The blocks with what fetching may change (`local`, `width`, `height`) removed.
fn blocks_without_image_data(article: &Value) -> Vec<Value> {
    article["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let mut b = b.clone();
            if let Some(obj) = b.as_object_mut() {
                obj.remove("local");
                obj.remove("width");
                obj.remove("height");
            }
            b
        })
        .collect()
}

// ---- tests -----------------------------------------------------------------------------

#[test]
fn seed_image_is_kept_by_url_then_fetched_on_request() {
    let server = Server::start(routes());
    let env = Env::new();
    let seed = seed_copy(env.dir.path(), "000_2ed360ca1ed3b761.txt", &server, &[]);
    let (id, _) = env.import(&[], &seed);

    let before = env.show(id);
    let image = &images(&before)[0];
    assert_eq!(image["local"], false, "{image}");
    assert_eq!(image["src"], server.url("/img/seed.jpg"));
    assert_eq!(image["caption"], SEED_CAPTION);
    assert_eq!(server.connections(), 0, "import and show must not connect");

    let text = env.ok(&["fetch-images", &id.to_string()]);
    assert!(
        text.contains("fetched 1 of 1 missing image, failed 0"),
        "{text}"
    );
    assert!(server.connections() >= 1);

    let after = env.show(id);
    let image = &images(&after)[0];
    assert_eq!(image["local"], true, "{image}");
    assert_eq!(image["width"], 480);
    assert_eq!(image["height"], 480);
    assert_eq!(image["caption"], SEED_CAPTION);
    assert_eq!(
        image["src"],
        server.url("/img/seed.jpg"),
        "the reference is kept"
    );
    assert_eq!(
        blocks_without_image_data(&before),
        blocks_without_image_data(&after)
    );
    assert_eq!(before["title"], after["title"]);
    assert_eq!(env.ok(&["check"]).trim(), "ok");

    // Stored like a local image: a thumbnail for the list, and it survives a
    // re-extraction from the stored original — all without the network.
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["images"], 1);
    let connections = server.connections();
    env.ok(&["reextract", &id.to_string()]);
    assert_eq!(images(&env.show(id))[0]["local"], true);
    let lib = Library::open(&env.library).unwrap();
    let row = &lib
        .list(None, folio::library::Sort::default(), 10, 0)
        .unwrap()[0];
    let sha = row.thumbnail_sha256.as_deref().expect("a thumbnail");
    assert!(lib.thumbnail(sha).unwrap().is_some());
    assert!(lib.missing_images(None).unwrap().is_empty());

    // Nothing left to fetch: no request.
    let text = env.ok(&["fetch-images", "--all"]);
    assert!(text.contains("fetched 0 of 0"), "{text}");
    assert_eq!(server.connections(), connections);
}

#[test]
fn every_bad_case_has_its_own_error_and_leaves_the_article_intact() {
    let server = Server::start(routes());
    let env = Env::new();
    let cases: [(&str, &str); 10] = [
        ("/img/p2.png", "a PNG"),
        ("/missing.jpg", "not found"),
        ("/slow.jpg", "too slow"),
        ("/big.jpg", "streamed too big"),
        ("/big-declared.jpg", "declared too big"),
        ("/page.jpg", "an HTML page"),
        ("/loop-a.jpg", "a redirect loop"),
        ("/to-file.jpg", "a redirect to file:"),
        ("/moved.png", "a good redirect"),
        ("/chain/0", "too many redirects"),
    ];
    let page = seed_copy(env.dir.path(), "bad.txt", &server, &cases);
    let (id, _) = env.import(&[], &page);
    let before = env.show(id);
    assert_eq!(images(&before).len(), 11);
    assert_eq!(server.connections(), 0);

    let out = env.run(&[
        "fetch-images",
        "--json",
        "--read-timeout",
        "1.5",
        "--max-bytes",
        &TEST_CAP.to_string(),
        &id.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "some images failed");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["missing"], 11, "{report}");
    assert_eq!(report["fetched"], 3, "{report}");
    assert_eq!(report["failed"], 8, "{report}");
    let by_src: HashMap<String, Value> = report["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["src"].as_str().unwrap().to_owned(), i.clone()))
        .collect();
    let error = |path: &str| {
        let entry = &by_src[&server.url(path)];
        entry["error"].as_str().unwrap_or_default().to_owned()
    };
    for ok in ["/img/seed.jpg", "/img/p2.png", "/moved.png"] {
        assert!(
            by_src[&server.url(ok)]["sha256"].is_string(),
            "{ok}: {}",
            error(ok)
        );
    }
    let expected = [
        ("/missing.jpg", "the server answered 404"),
        ("/slow.jpg", "timed out"),
        ("/big.jpg", "larger than the limit of 1000000 bytes"),
        (
            "/big-declared.jpg",
            "larger than the limit of 1000000 bytes",
        ),
        (
            "/page.jpg",
            "not an image (the server sent an HTML page, text/html",
        ),
        ("/loop-a.jpg", "redirect loop"),
        ("/to-file.jpg", "refused redirect to file:///etc/passwd"),
        ("/chain/0", "more than 5 redirects"),
    ];
    for (path, message) in expected {
        let err = error(path);
        assert!(
            err.contains(message),
            "{path}: {err:?} should say {message:?}"
        );
        assert!(
            err.contains(&server.url("")),
            "{path}: the error names the URL: {err}"
        );
    }

    // Same blocks, captions and sources; only the fetched images changed.
    let after = env.show(id);
    assert_eq!(
        blocks_without_image_data(&before),
        blocks_without_image_data(&after)
    );
    for image in images(&after) {
        let src = image["src"].as_str().unwrap();
        let fetched = by_src[src]["sha256"].is_string();
        assert_eq!(image["local"], fetched, "{src}");
    }
    let webp = images(&after)
        .into_iter()
        .find(|i| i["src"] == server.url("/moved.png"))
        .unwrap();
    assert_eq!(
        (webp["width"].as_u64(), webp["height"].as_u64()),
        (Some(600), Some(399))
    );
    assert_eq!(env.ok(&["check"]).trim(), "ok");

    // Text output: one line per image, failures with their reason.
    let out = env.run(&[
        "fetch-images",
        "--read-timeout",
        "1.5",
        "--max-bytes",
        "1000000",
        &id.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("fetched 0 of 8 missing images, failed 8"),
        "{text}"
    );
    assert_eq!(text.matches("  failed: article").count(), 8, "{text}");
}

#[test]
fn reading_opens_no_connection_and_offline_forbids_fetching() {
    let server = Server::start(routes());
    let env = Env::new();
    let seed = seed_copy(
        env.dir.path(),
        "seed.txt",
        &server,
        &[("/img/p4.gif", "a GIF")],
    );
    let (id, _) = env.import(&[], &seed);
    let id = id.to_string();
    env.ok(&["list"]);
    env.ok(&["list", "--json"]);
    env.ok(&["show", &id]);
    env.ok(&["show", "--json", &id]);
    env.ok(&["search", "小米"]);
    env.ok(&["search", "--json", "主板"]);
    env.ok(&["stats"]);
    env.ok(&["check"]);
    env.ok(&["reextract", "--all"]);
    assert_eq!(
        server.connections(),
        0,
        "fetching is off: no connection at all"
    );

    // The setting on, but --offline: an import fetches nothing…
    assert_eq!(
        env.ok(&["settings", "fetch_images_on_import", "on"]).trim(),
        "fetch_images_on_import = true"
    );
    let other = seed_copy(
        env.dir.path(),
        "other.txt",
        &server,
        &[("/img/p5.jpg", "another")],
    );
    let out = env.run(&["--offline", "import", "--update", other.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("offline"));
    // …and fetch-images refuses.
    let out = env.run(&["--offline", "fetch-images", "--all"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("offline"),
        "{out:?}"
    );

    // The `offline` setting does the same without the flag.
    env.ok(&["settings", "offline", "true"]);
    let out = env.run(&["fetch-images", &id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("offline"),
        "{out:?}"
    );
    let third = seed_copy(
        env.dir.path(),
        "third.txt",
        &server,
        &[("/img/p3.webp", "a third")],
    );
    let out = env.run(&["import", "--update", third.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(server.connections(), 0, "offline: no connection at all");
    assert!(
        images(&env.show(id.parse().unwrap()))
            .iter()
            .all(|i| i["local"] == false)
    );

    let settings = env.json(&["settings", "--json"]);
    assert_eq!(settings["offline"], "true");
    assert_eq!(settings["fetch_images_on_import"], "true");
    assert!(!env.run(&["settings", "ofline", "true"]).status.success());
    assert!(!env.run(&["settings", "offline", "maybe"]).status.success());
}

#[test]
fn fetch_on_import_when_the_setting_is_on() {
    let server = Server::start(routes());
    let env = Env::new();
    assert_eq!(
        env.ok(&["settings", "fetch_images_on_import"]).trim(),
        "false"
    );
    env.ok(&["settings", "fetch_images_on_import", "true"]);
    let seed = seed_copy(
        env.dir.path(),
        "seed.txt",
        &server,
        &[("/img/p5.jpg", "a JPEG")],
    );
    let (id, report) = env.import(&[], &seed);
    assert_eq!(report["images"]["fetched"], 2, "{report}");
    assert_eq!(report["images"]["failed"], 0, "{report}");
    let article = env.show(id);
    assert!(
        images(&article).iter().all(|i| i["local"] == true),
        "{article}"
    );
    assert_eq!(images(&article)[0]["caption"], SEED_CAPTION);
    assert_eq!(images(&article)[1]["caption"], "a JPEG");
    assert!(server.connections() >= 2);

    // Off again: an import opens no connection.
    env.ok(&["settings", "fetch_images_on_import", "false"]);
    let before = server.connections();
    let other = seed_copy(
        env.dir.path(),
        "other.txt",
        &server,
        &[("/img/p4.gif", "a GIF")],
    );
    let out = env.json(&["import", "--json", "--update", other.to_str().unwrap()]);
    assert!(out.get("images").is_none(), "{out}");
    assert_eq!(server.connections(), before);
}

// ---- the client and the library, without the binary ---------------------------------

fn test_options() -> FetchOptions {
    FetchOptions {
        read_timeout: Duration::from_millis(1500),
        max_bytes: TEST_CAP,
        use_env_proxy: false,
        ..FetchOptions::default()
    }
}

#[test]
fn at_most_two_requests_per_host_and_cancel() {
    let server = Server::start(routes());
    let fetcher = Fetcher::new(FetchOptions {
        threads: 4,
        per_host: 2,
        ..test_options()
    });
    let urls: Vec<String> = (0..6)
        .map(|n| server.url(&format!("/pace/{n}.png")))
        .collect();
    let cancel = AtomicBool::new(false);
    let results = Mutex::new(Vec::new());
    fetcher.fetch_all(&urls, &cancel, |i, r| results.lock().unwrap().push((i, r)));
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    assert_eq!(results.len(), 6);
    for (_, r) in &results {
        let image = r.as_ref().unwrap();
        assert_eq!(
            (image.width, image.height, image.mime.as_str()),
            (480, 320, "image/png")
        );
    }
    // The server counts a request until its handler returns, a moment after
    // the client has read the body and freed its slot; so one request may
    // still be closing when the next of the host's two slots starts one.
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=3).contains(&max), "{max} requests at once on one host");

    // Cancelled before it starts: every URL ends as cancelled, no connection.
    let before = server.connections();
    let cancel = AtomicBool::new(true);
    let mut n = 0;
    fetcher.fetch_all(&urls, &cancel, |_, r| {
        assert_eq!(r, Err(FetchError::Cancelled));
        n += 1;
    });
    assert_eq!(n, 6);
    assert_eq!(server.connections(), before);
}

#[test]
fn refuses_other_schemes_and_redirects_to_them() {
    let server = Server::start(routes());
    let fetcher = Fetcher::new(test_options());
    let cancel = AtomicBool::new(false);
    for url in [
        "file:///etc/passwd",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        "ftp://127.0.0.1/x.jpg",
    ] {
        assert!(
            matches!(
                fetcher.fetch_image(url, &cancel),
                Err(FetchError::UnsupportedScheme { .. })
            ),
            "{url}"
        );
    }
    assert_eq!(server.connections(), 0);
    let err = fetcher
        .fetch_image(&server.url("/to-file.jpg"), &cancel)
        .unwrap_err();
    assert!(matches!(err, FetchError::BadRedirect { .. }), "{err}");
    let image = fetcher
        .fetch_image(&server.url("/moved.png"), &cancel)
        .unwrap();
    assert_eq!(image.final_url, server.url("/img/p3.webp"));
    assert_eq!(image.mime, "image/webp");
}

#[test]
fn storing_refuses_what_is_not_an_image_and_keeps_the_article() {
    let server = Server::start(routes());
    let dir = tempfile::tempdir().unwrap();
    let page = seed_copy(dir.path(), "seed.txt", &server, &[("/img/p2.png", "a PNG")]);
    let mut lib = Library::open_in_memory().unwrap();
    let cancel = AtomicBool::new(false);
    let report = lib
        .import_paths(&[page], &ImportOptions::default(), &|_| {}, &cancel)
        .unwrap();
    let id = report.ids[0];
    let before = lib.article(id).unwrap();
    let missing = lib.missing_images(Some(&[id])).unwrap();
    assert_eq!(missing.len(), 2);
    assert_eq!((missing[0].position, missing[1].position), (0, 1));

    let html = b"<!DOCTYPE html><html><body>404</body></html>";
    assert!(matches!(
        lib.store_fetched_image(id, 0, html, "image/jpeg"),
        Err(LibraryError::BadImage(_))
    ));
    let png = fixture_image("m-minghui/m-minghui_files/p2.png");
    assert!(matches!(
        lib.store_fetched_image(id, 0, &png[..png.len() / 2], "image/png"),
        Err(LibraryError::BadImage(_))
    ));
    assert!(matches!(
        lib.store_fetched_image(id, 9, &png, "image/png"),
        Err(LibraryError::NoSuchImage { position: 9, .. })
    ));
    assert_eq!(lib.article(id).unwrap(), before, "failures change nothing");
    assert_eq!(lib.stats().unwrap().images, 0);

    let sha = lib.store_fetched_image(id, 1, &png, "image/png").unwrap();
    let after = lib.article(id).unwrap();
    assert_eq!(after.image_sha256, vec![None, Some(sha)]);
    let images = after.article.images();
    assert!(images[0].data.is_none() && images[1].data.is_some());
    assert_eq!(images[0].caption.as_deref(), Some(SEED_CAPTION));
    assert_eq!(images[1].caption.as_deref(), Some("a PNG"));
    assert_eq!((images[1].width, images[1].height), (Some(480), Some(320)));
    assert_eq!(after.article.blocks.len(), before.article.blocks.len());
    assert_eq!(lib.missing_images(None).unwrap().len(), 1);
    assert!(lib.check().unwrap().is_empty());
    assert_eq!(server.connections(), 0);
}

#[test]
fn svg_is_fetched_as_written_and_every_image_must_decode_whole() {
    let server = Server::start(routes());
    let env = Env::new();
    let cases: [(&str, &str); 4] = [
        ("/img/logo.svg", "an SVG"),
        ("/huge.png", "a PNG claiming 30000×30000"),
        ("/truncated.png", "half a PNG"),
        ("/feed.svg", "XML that is not SVG"),
    ];
    let page = seed_copy(env.dir.path(), "svg.txt", &server, &cases);
    let (id, _) = env.import(&[], &page);
    let out = env.run(&["fetch-images", "--json", &id.to_string()]);
    assert_eq!(out.status.code(), Some(1), "some images failed");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = |path: &str| {
        report["images"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["src"] == server.url(path))
            .unwrap()
            .clone()
    };
    assert!(entry("/img/logo.svg")["sha256"].is_string(), "{report}");
    assert!(entry("/img/seed.jpg")["sha256"].is_string(), "{report}");
    for (path, message) in [
        ("/huge.png", "30000×30000 pixels, over the limit"),
        ("/truncated.png", "does not decode"),
        (
            "/feed.svg",
            "not an image (the server sent an XML document that is not SVG",
        ),
    ] {
        let err = entry(path)["error"].as_str().unwrap_or_default().to_owned();
        assert!(
            err.contains(message),
            "{path}: {err:?} should say {message:?}"
        );
    }
    assert_eq!(report["fetched"], 2, "{report}");

    // The SVG is stored byte for byte, its entity unresolved, as at import.
    let lib = Library::open(&env.library).unwrap();
    let article = lib.article(folio::library::ArticleId(id)).unwrap().article;
    let svg = article
        .images()
        .into_iter()
        .find(|i| i.src == server.url("/img/logo.svg"))
        .unwrap();
    let data = svg.data.as_ref().expect("the SVG is stored");
    assert_eq!(&data.bytes[..], SVG.as_bytes());
    assert_eq!(data.mime, "image/svg+xml");
    drop(lib);
    assert_eq!(env.ok(&["check"]).trim(), "ok");

    // The client alone says the same.
    let fetcher = Fetcher::new(test_options());
    let cancel = AtomicBool::new(false);
    let image = fetcher
        .fetch_image(&server.url("/img/logo.svg"), &cancel)
        .unwrap();
    assert_eq!(
        (image.mime.as_str(), image.bytes.len()),
        ("image/svg+xml", SVG.len())
    );
    for path in ["/huge.png", "/truncated.png", "/feed.svg"] {
        assert!(
            matches!(
                fetcher.fetch_image(&server.url(path), &cancel),
                Err(FetchError::NotAnImage { .. })
            ),
            "{path}"
        );
    }
}
