//! A real browser for tests (issue 24, "view as saved"): headless
//! Chromium run on one address with every request for another host sent to
//! a catch-all proxy that records it, a minimal HTTP client, screenshots
//! and the colours in them.

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::folio_on;

/// Domains Chromium asks by itself, whatever the page (its updater, account
/// service, clock, spelling dictionaries): a host in one of them is recorded
/// by the catch-all but counted against a page only when the save names it.
pub const BROWSER_OWN: &[&str] = &[
    "google.com",
    "googleapis.com",
    "gvt1.com",
    "gstatic.com",
    "googleusercontent.com",
];

/// One browser at a time: two cores are shared with the other tests.
static BROWSER: Mutex<()> = Mutex::new(());

pub fn chromium() -> Option<PathBuf> {
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
pub fn browser_or_skip(test: &str) -> Option<PathBuf> {
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
pub struct CatchAll {
    pub port: u16,
    hits: Arc<Mutex<Vec<String>>>,
}

impl CatchAll {
    pub fn start() -> Self {
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

    pub fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}

/// Run headless Chromium on `url` through `proxy`: a screenshot into `shot`,
/// or the DOM after load on stdout when `shot` is `None`.
pub fn browse(chromium: &Path, url: &str, proxy: u16, shot: Option<&Path>) -> String {
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
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,SpellcheckService",
            "--hide-scrollbars",
            // Every image decoded and drawn before the screenshot is taken.
            "--run-all-compositor-stages-before-draw",
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
pub fn hosts_named(bytes: &[u8]) -> HashSet<String> {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let re = regex::Regex::new(r"//([a-z0-9-]+(?:\.[a-z0-9-]+)+)").unwrap();
    re.captures_iter(&text).map(|c| c[1].to_owned()).collect()
}

/// The host of a proxied request line (`GET http://h/… HTTP/1.1`,
/// `CONNECT h:443 HTTP/1.1`).
pub fn hit_host(line: &str) -> String {
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let rest = target.split("://").nth(1).unwrap_or(target);
    rest.split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Requests that went anywhere but Folio because of the page: every hit
/// but the browser's own traffic to hosts the save does not name.
pub fn page_hits(hits: &[String], named: &HashSet<String>) -> Vec<String> {
    hits.iter()
        .filter(|line| {
            let host = hit_host(line);
            let own = BROWSER_OWN
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")));
            named.contains(&host) || !own
        })
        .cloned()
        .collect()
}

/// The main colour of an image (the most common one, colours within 8
/// levels counted together, white and black left out): what a screenshot
/// shows where the image is drawn.
pub fn main_colour(bytes: &[u8]) -> Option<[u8; 3]> {
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
pub fn pixels_near(shot: &Path, colour: [u8; 3]) -> usize {
    let image = image::open(shot).unwrap().to_rgb8();
    image
        .pixels()
        .filter(|p| p.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 12))
        .count()
}

pub fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("view-as-saved");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A library holding only `paths`, imported as a user would.
pub fn library_of(paths: &[&Path]) -> (TempDir, PathBuf) {
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
pub fn get(url: &str, host: Option<&str>) -> (u16, Vec<(String, String)>, Vec<u8>) {
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

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The stored files a served page shows: every address of Folio's `/r/any/`
/// (images, icons, fonts), and `<img>`s held in the page itself as `data:`
/// (SingleFile).
pub fn served_images(page: &str) -> BTreeSet<String> {
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
pub fn image_bytes(src: &str) -> Vec<u8> {
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
