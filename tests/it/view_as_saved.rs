//! Issue 24, part 1: "view as saved". A real browser (headless Chromium,
//! from Debian's `chromium` package; these tests say so and skip when it is
//! absent) loads the page Folio serves for one fixture of every format,
//! with every request that is not for 127.0.0.1 sent to a catch-all proxy
//! that records it. Each test asserts that the stored images were asked of
//! Folio and answered, that they were drawn (a screenshot with a photo's
//! colours), and that nothing the page refers to was asked of anyone else.
//! The screenshots are written to `target/tmp/view-as-saved/` for a person
//! to look at. The hostile pages (a `<base>`, a refresh, frames, `srcdoc`,
//! CSS imports, an SVG with script, `javascript:` links, `../` paths) are
//! checked at the HTTP level always, and in the browser when it is there.

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use folio::library::{ArticleId, Library};
use folio::serve::Server;
use tempfile::TempDir;

use crate::common::{fixtures, folio_on};

/// Hosts Chromium asks by itself, whatever the page (its updater and its
/// account service): recorded by the catch-all, never counted against a
/// page unless the page itself names them.
const BROWSER_OWN: &[&str] = &[
    "update.googleapis.com",
    "accounts.google.com",
    "clients2.google.com",
    "optimizationguide-pa.googleapis.com",
    "content-autofill.googleapis.com",
];

/// One browser at a time: two cores are shared with the other tests.
static BROWSER: Mutex<()> = Mutex::new(());

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The browser, or `None` after saying clearly that the test is skipped.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        eprintln!(
            "SKIPPED {test}: headless Chromium is not installed (Debian: apt-get install chromium); \
             .ci/run installs it"
        );
    }
    found
}

/// A proxy that answers nothing and records the first line of every request.
struct CatchAll {
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
}

impl CatchAll {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                recorded.lock().unwrap().push(line.trim().to_owned());
            }
        });
        Self { port, hits }
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}

/// Run headless Chromium on `url` through `proxy`: a screenshot into `shot`,
/// or the DOM after load on stdout when `shot` is `None`.
fn browse(chromium: &Path, url: &str, proxy: u16, shot: Option<&Path>) -> String {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let profile = TempDir::new().unwrap();
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-pings",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
            "--hide-scrollbars",
            "--window-size=1000,1400",
            // Stop waiting for the page after 20 s (some pages never tell
            // headless Chromium they are done; it then shoots what it has).
            "--timeout=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--proxy-server=127.0.0.1:{proxy}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    match shot {
        Some(shot) => command.arg(format!("--screenshot={}", shot.display())),
        None => command.arg("--dump-dom"),
    };
    command.arg(url);
    let mut child = command.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Chromium did not finish loading {url} in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// Hosts a saved file names (`//host.tld`), lowercase.
fn hosts_named(bytes: &[u8]) -> HashSet<String> {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let re = regex::Regex::new(r"//([a-z0-9-]+(?:\.[a-z0-9-]+)+)").unwrap();
    re.captures_iter(&text).map(|c| c[1].to_owned()).collect()
}

/// The host of a proxied request line (`GET http://h/… HTTP/1.1`,
/// `CONNECT h:443 HTTP/1.1`).
fn hit_host(line: &str) -> String {
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let rest = target.split("://").nth(1).unwrap_or(target);
    rest.split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Requests that went anywhere but Folio because of the page: every hit
/// but the browser's own traffic to hosts the save does not name.
fn page_hits(hits: &[String], named: &HashSet<String>) -> Vec<String> {
    hits.iter()
        .filter(|line| {
            let host = hit_host(line);
            named.contains(&host) || !BROWSER_OWN.contains(&host.as_str())
        })
        .cloned()
        .collect()
}

/// The main colour of an image (the most common one, colours within 8
/// levels counted together, white and black left out): what a screenshot
/// shows where the image is drawn.
fn main_colour(bytes: &[u8]) -> Option<[u8; 3]> {
    let image = image::load_from_memory(bytes).ok()?.to_rgb8();
    let mut counts: std::collections::HashMap<[u8; 3], (u64, [u64; 3])> = Default::default();
    for p in image.pixels() {
        let [r, g, b] = p.0;
        if (r > 235 && g > 235 && b > 235) || (r < 20 && g < 20 && b < 20) {
            continue;
        }
        let entry = counts.entry([r >> 3, g >> 3, b >> 3]).or_default();
        entry.0 += 1;
        for (sum, v) in entry.1.iter_mut().zip([r, g, b]) {
            *sum += u64::from(v);
        }
    }
    let (_, (n, sums)) = counts.into_iter().max_by_key(|(_, (n, _))| *n)?;
    Some(sums.map(|s| u8::try_from(s / n).unwrap_or(u8::MAX)))
}

/// Pixels of a screenshot within 12 levels of `colour` on every channel.
fn pixels_near(shot: &Path, colour: [u8; 3]) -> usize {
    let image = image::open(shot).unwrap().to_rgb8();
    image
        .pixels()
        .filter(|p| p.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 12))
        .count()
}

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("view-as-saved");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A library holding only `paths`, imported as a user would.
fn library_of(paths: &[&Path]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let library = dir.path().join("library.folio");
    let mut args = vec!["import".to_owned()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = folio_on(&library, &args);
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, library)
}

/// A minimal HTTP GET to the server: status, headers (lowercase names), body.
fn get(url: &str, host: Option<&str>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n",
        host.unwrap_or(authority)
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
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
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The stored files a served page shows: every address of Folio's `/r/any/`
/// (images, icons, fonts), and `<img>`s held in the page itself as `data:`
/// (SingleFile).
fn served_images(page: &str) -> BTreeSet<String> {
    let folio =
        regex::Regex::new(r"http://127\.0\.0\.1:\d+/[0-9a-f]+/\d+/r/any/[A-Za-z0-9%]+").unwrap();
    let inline = regex::Regex::new(r#"<img[^>]*?\ssrc="(data:image/[^"]*)""#).unwrap();
    folio
        .find_iter(page)
        .map(|m| m.as_str().to_owned())
        .chain(inline.captures_iter(page).map(|c| c[1].to_owned()))
        .collect()
}

/// The bytes of a shown image: asked of Folio, or decoded from `data:`.
fn image_bytes(src: &str) -> Vec<u8> {
    use base64::Engine as _;
    if let Some(data) = src.strip_prefix("data:") {
        let (_, payload) = data.split_once(";base64,").unwrap_or(("", ""));
        return base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .unwrap_or_default();
    }
    let (status, _, bytes) = get(src, None);
    assert_eq!(status, 200, "{src}");
    bytes
}

struct Viewed {
    /// Requests Folio answered for the page, and their statuses.
    served: Vec<folio::serve::Served>,
    /// Requests that went elsewhere because of the page.
    elsewhere: Vec<String>,
    images_shown: usize,
    /// Stored images whose main colour covers a patch of the screenshot.
    images_drawn: usize,
}

/// View article `id` of `library` as saved in the browser, screenshot to
/// `name.png`: what was asked of whom.
fn view(chromium: &Path, library: &Path, id: i64, name: &str) -> Viewed {
    let lib = Library::open_read_only(library).unwrap();
    let copy = lib.saved_copy(ArticleId(id), None).unwrap();
    let mut named = hosts_named(&copy.bytes);
    for (_, bytes) in &copy.resources {
        named.extend(hosts_named(bytes));
    }
    let server = Server::start(library).unwrap();
    let url = server.page_url(ArticleId(id), None);
    let (status, headers, body) = get(&url, None);
    assert_eq!(
        status,
        200,
        "{name}: {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    assert!(header(&headers, "content-security-policy").is_some_and(|p| p.contains("sandbox")));
    let page = String::from_utf8_lossy(&body).into_owned();
    let images = served_images(&page);
    let before = server.served().len();
    let catch = CatchAll::start();
    let shot = shots_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    browse(chromium, &url, catch.port, Some(&shot));
    assert!(shot.is_file(), "{name}: Chromium wrote no screenshot");
    let served: Vec<_> = server.served().into_iter().skip(before).collect();
    for image in images.iter().filter(|i| !i.starts_with("data:")) {
        let path = image
            .split_once(&server.origin().to_owned())
            .map_or("", |(_, p)| p);
        let path = path
            .trim_start_matches('/')
            .split_once('/')
            .map_or("", |(_, p)| p); // after the token
        assert!(
            served
                .iter()
                .any(|s| s.status == 200 && s.path.trim_start_matches('/') == path),
            "{name}: the stored image {image} was not asked of Folio: {served:?}"
        );
    }
    let mut images_drawn = 0;
    for image in &images {
        let bytes = image_bytes(image);
        if main_colour(&bytes).is_some_and(|c| pixels_near(&shot, c) >= 400) {
            images_drawn += 1;
        }
    }
    Viewed {
        elsewhere: page_hits(&catch.hits(), &named),
        served,
        images_shown: images.len(),
        images_drawn,
    }
}

/// Each format's fixture, viewed as saved: its stored images asked of Folio
/// and drawn, nothing asked of anyone else.
#[test]
fn every_format_is_viewed_as_saved_with_nothing_from_elsewhere() {
    let Some(chromium) = browser_or_skip("every_format_is_viewed_as_saved") else {
        return;
    };
    let f = fixtures();
    // (name, file or folder, an article id in its library, stored images drawn)
    let cases: &[(&str, PathBuf, i64, bool)] = &[
        ("html", f.join("cn-news/chinanews-9229287.html"), 1, false),
        ("folder", f.join("formats/complete/m-epoch"), 1, true),
        (
            "singlefile",
            f.join("formats/singlefile/m-epoch.singlefile.html"),
            1,
            true,
        ),
        (
            "mhtml-chrome",
            f.join("saved/mhtml/blink-substack-noahpinion-japan.mht"),
            1,
            true,
        ),
        (
            "mhtml-word",
            f.join("saved/mhtml/word-gb2312-simple.mht"),
            1,
            false,
        ),
        (
            "webarchive",
            f.join("saved/webarchive/safari-wikipedia-mainpage.webarchive"),
            1,
            true,
        ),
        ("warc", f.join("warc/site.warc"), 1, true),
        ("wacz", f.join("warc/site.wacz"), 1, true),
        ("mirror", f.join("mirror/140-336623.md"), 1, false),
    ];
    let mut report = Vec::new();
    for (name, path, id, drawn) in cases {
        eprintln!("viewing {name} as saved");
        assert!(path.exists(), "fixture {} is missing", path.display());
        let (_dir, library) = library_of(&[path]);
        let viewed = view(&chromium, &library, *id, name);
        let from_folio = viewed.served.len();
        report.push(format!(
            "{name}: {from_folio} requests to Folio ({} stored images in the page, {} seen drawn), {} elsewhere",
            viewed.images_shown,
            viewed.images_drawn,
            viewed.elsewhere.len(),
        ));
        assert!(
            viewed.elsewhere.is_empty(),
            "{name}: the page asked other hosts: {:?}",
            viewed.elsewhere
        );
        if *drawn {
            assert!(
                viewed.images_shown > 0,
                "{name}: no stored image in the page"
            );
            assert!(
                viewed.images_drawn > 0,
                "{name}: none of the {} stored images was seen drawn in the screenshot",
                viewed.images_shown
            );
        }
    }
    eprintln!("view as saved:\n  {}", report.join("\n  "));
}
