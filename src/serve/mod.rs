//! "View as saved": a stored original shown in the system browser as it was
//! saved — its layout, styles, fonts and images — served from the library
//! by a small HTTP server on the loopback interface.
//!
//! Nothing runs and nothing leaves the machine:
//! - the server listens on 127.0.0.1 only, and every address carries a
//!   token of 128 random bits made when the server starts: another local
//!   user or a web page that cannot read the address cannot read the
//!   library through it (a request without the token, or naming another
//!   host — DNS rebinding — gets a 404 that says nothing);
//! - every response carries a Content-Security-Policy with `sandbox`
//!   (without `allow-scripts` or `allow-same-origin`: no script runs and
//!   the page's origin is opaque, so it cannot read other pages even if
//!   one did) and `default-src 'none'`, allowing images, styles, fonts,
//!   media and frames only from this session's addresses and `data:`;
//! - the page is rewritten first (`serve::page`) so that it asks only for
//!   what the save holds; a resource the save lacks is simply missing;
//! - resources are looked up by name among what the library stored with
//!   the page; no file is ever read from disk, so `../` reaches nothing.
//!
//! ArchiveBox served archived pages from one origin with their scripts on
//! (a page could read every other archived page); Joplin rendered notes'
//! HTML with scripts able to reach the machine. Both walls here (rewriting,
//! then the policy) hold without the other.

pub mod page;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response};
use url::Url;

use crate::library::{ArticleId, Library, SavedCopy};
use crate::read::{self, Format, Source};
use page::{Banner, Kind, Rewriter};

/// Threads answering requests (a page asks for its images in parallel).
const THREADS: usize = 4;
/// Pages read from the library kept in memory, the most recent first.
const CACHED_PAGES: usize = 4;
/// Requests remembered for [`Server::served`].
const LOGGED_REQUESTS: usize = 4096;
/// The longest request address answered.
const MAX_URL_BYTES: usize = 16 * 1024;

/// One request the server answered: the address after the token and the
/// status (what a test, or a curious user, checks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The path after `/TOKEN`, query included.
    pub path: String,
    /// The HTTP status sent.
    pub status: u16,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot serve pages as saved: {0}")]
pub struct StartError(String);

/// The loopback server of one library, answering until it is dropped.
pub struct Server {
    http: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

/// What the answering threads share.
struct Shared {
    library: PathBuf,
    token: String,
    /// `http://127.0.0.1:PORT`.
    origin: String,
    cache: Mutex<VecDeque<(CopyKey, Arc<Loaded>)>>,
    log: Mutex<VecDeque<Served>>,
}

/// Which copy of which article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CopyKey {
    id: ArticleId,
    version: Option<usize>,
}

/// A copy read back into a page.
struct Loaded {
    source: Source,
    /// The copy's details (its bytes and resources moved into `source`).
    copy: SavedCopy,
    base: Option<Url>,
}

impl Server {
    /// Start serving the library at `library` on a free loopback port.
    pub fn start(library: &Path) -> Result<Self, StartError> {
        let http =
            tiny_http::Server::http("127.0.0.1:0").map_err(|err| StartError(err.to_string()))?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or_else(|| StartError("no loopback port".to_owned()))?;
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|err| StartError(err.to_string()))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let shared = Arc::new(Shared {
            library: library.to_owned(),
            token,
            origin: format!("http://127.0.0.1:{port}"),
            cache: Mutex::new(VecDeque::new()),
            log: Mutex::new(VecDeque::new()),
        });
        let http = Arc::new(http);
        let mut threads = Vec::with_capacity(THREADS);
        for n in 0..THREADS {
            let http = Arc::clone(&http);
            let shared = Arc::clone(&shared);
            let thread = std::thread::Builder::new()
                .name(format!("folio-serve-{n}"))
                .spawn(move || answer(&http, &shared))
                .map_err(|err| StartError(err.to_string()))?;
            threads.push(thread);
        }
        Ok(Self {
            http,
            shared,
            threads,
        })
    }

    /// The address of article `id` as saved (version `number`, or the copy
    /// shown).
    pub fn page_url(&self, id: ArticleId, version: Option<usize>) -> String {
        self.shared.page_path(CopyKey { id, version })
    }

    /// The requests answered so far (the most recent [`LOGGED_REQUESTS`]).
    pub fn served(&self) -> Vec<Served> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    /// The library this server reads.
    pub fn library(&self) -> &Path {
        &self.shared.library
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for _ in &self.threads {
            self.http.unblock();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while answering one request leaves plain data behind.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One thread's loop: its own read-only connection, opened on first use.
fn answer(http: &tiny_http::Server, shared: &Shared) {
    let mut library: Option<Library> = None;
    while let Ok(request) = http.recv() {
        let path = request.url().to_owned();
        // One page that trips a bug answers 500; the thread goes on.
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            respond(shared, &mut library, &request)
        }));
        let (status, response) = match answered {
            Ok(answered) => answered,
            Err(_) => {
                library = None;
                (
                    500,
                    Response::from_data(b"Folio failed on this page.\n".to_vec())
                        .with_status_code(500),
                )
            }
        };
        let shown = path
            .strip_prefix(&format!("/{}", shared.token))
            .unwrap_or("(without the token)")
            .chars()
            .take(512)
            .collect();
        {
            let mut log = lock(&shared.log);
            if log.len() == LOGGED_REQUESTS {
                log.pop_front();
            }
            log.push_back(Served {
                path: shown,
                status,
            });
        }
        let _ = request.respond(response);
    }
}

type Answer = (u16, Response<std::io::Cursor<Vec<u8>>>);

/// The answer to one request, with the headers every answer carries.
fn respond(shared: &Shared, library: &mut Option<Library>, request: &Request) -> Answer {
    let (status, content_type, body) = route(shared, library, request);
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in [
        ("Content-Type", content_type.as_str()),
        ("Content-Security-Policy", &shared.policy()),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ] {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    (status, response)
}

const TEXT: &str = "text/plain; charset=utf-8";

fn not_found() -> (u16, String, Vec<u8>) {
    (404, TEXT.to_owned(), b"Not found.\n".to_vec())
}

/// Status, content type and body for a request.
fn route(
    shared: &Shared,
    library: &mut Option<Library>,
    request: &Request,
) -> (u16, String, Vec<u8>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return (405, TEXT.to_owned(), b"Only GET.\n".to_vec());
    }
    let url = request.url();
    if url.len() > MAX_URL_BYTES {
        return (414, TEXT.to_owned(), b"Address too long.\n".to_vec());
    }
    // A page elsewhere that made its name point at 127.0.0.1 (DNS
    // rebinding) sends its own name as the host.
    let host_ok = request.headers().iter().any(|h| {
        h.field.equiv("Host")
            && shared
                .origin
                .strip_prefix("http://")
                .is_some_and(|own| h.value.as_str().eq_ignore_ascii_case(own))
    });
    if !host_ok {
        return not_found();
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once('/'))
        .filter(|(token, _)| same_token(token, &shared.token))
        .map(|(_, rest)| rest)
    else {
        return not_found();
    };
    let Some(what) = parse_route(rest) else {
        return not_found();
    };
    let library = match library {
        Some(library) => library,
        None => match Library::open_read_only(&shared.library) {
            Ok(opened) => library.insert(opened),
            Err(err) => {
                log::warn!("view as saved: {err}");
                return (503, TEXT.to_owned(), format!("{err}\n").into_bytes());
            }
        },
    };
    let loaded = match shared.load(library, what.copy) {
        Ok(loaded) => loaded,
        Err(crate::library::LibraryError::NoSuchArticle(_))
        | Err(crate::library::LibraryError::NoSuchVersion { .. }) => return not_found(),
        Err(err) => return (404, TEXT.to_owned(), format!("{err}\n").into_bytes()),
    };
    let prefix = shared.page_path(what.copy);
    // A page may link to the same address many times: each is looked up once.
    let found: RefCell<HashMap<String, Option<String>>> = RefCell::default();
    let article = |url: &str| -> Option<String> {
        if let Some(known) = found.borrow().get(url) {
            return known.clone();
        }
        let local = library
            .live_article_at(url)
            .ok()
            .flatten()
            .map(|id| shared.page_path(CopyKey { id, version: None }));
        found.borrow_mut().insert(url.to_owned(), local.clone());
        local
    };
    let rewriter = |key_base: Option<String>| Rewriter {
        resources: &loaded.source.resources,
        base: loaded.base.clone(),
        key_base,
        prefix: &prefix,
        article: &article,
    };
    match what.resource {
        None => {
            let html = page_html(&loaded);
            let banner = banner(&loaded.copy, &loaded.source.original);
            let page = rewriter(None).page(&html, Some(&banner));
            (
                200,
                "text/html; charset=utf-8".to_owned(),
                page.into_bytes(),
            )
        }
        Some((kind, key)) => {
            let Some(bytes) = loaded.source.resources.get(&key) else {
                return not_found();
            };
            match kind {
                Kind::Css => {
                    let css = String::from_utf8_lossy(&bytes);
                    let css = css.trim_start_matches('\u{feff}');
                    let out = rewriter(Some(key)).css(css);
                    (200, "text/css; charset=utf-8".to_owned(), out.into_bytes())
                }
                Kind::Html => {
                    let html = read::charset::decode_document(&bytes, None, &mut Vec::new());
                    let out = rewriter(Some(key)).page(&html, None);
                    (200, "text/html; charset=utf-8".to_owned(), out.into_bytes())
                }
                Kind::Any => (200, content_type(&key, &bytes).to_owned(), bytes.to_vec()),
            }
        }
    }
}

/// Tokens compared in time that does not depend on where they differ.
fn same_token(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// What a path after the token names.
struct RouteTo {
    copy: CopyKey,
    resource: Option<(Kind, String)>,
}

/// `ID/` or `ID/vN/`, then nothing (the page) or `r/KIND/KEY`.
fn parse_route(rest: &str) -> Option<RouteTo> {
    let (id, rest) = rest.split_once('/')?;
    let id = ArticleId(id.parse().ok()?);
    let (version, rest) = match rest.strip_prefix('v').and_then(|r| r.split_once('/')) {
        Some((n, rest)) => (Some(n.parse::<usize>().ok().filter(|n| *n > 0)?), rest),
        None => (None, rest),
    };
    let copy = CopyKey { id, version };
    if rest.is_empty() {
        return Some(RouteTo {
            copy,
            resource: None,
        });
    }
    let rest = rest.strip_prefix("r/")?;
    let (kind, key) = rest.split_once('/')?;
    let kind = Kind::parse(kind)?;
    let key = percent_decode_str(key).decode_utf8().ok()?.into_owned();
    Some(RouteTo {
        copy,
        resource: Some((kind, key)),
    })
}

impl Shared {
    /// `http://127.0.0.1:PORT/TOKEN/ID/` (or `…/ID/vN/`).
    fn page_path(&self, copy: CopyKey) -> String {
        match copy.version {
            Some(n) => format!("{}/{}/{}/v{n}/", self.origin, self.token, copy.id),
            None => format!("{}/{}/{}/", self.origin, self.token, copy.id),
        }
    }

    /// The policy every answer carries: no script, nothing but this
    /// session's addresses and `data:`, an opaque origin.
    fn policy(&self) -> String {
        let own = format!("{}/{}/", self.origin, self.token);
        format!(
            "default-src 'none'; img-src {own} data:; style-src {own} 'unsafe-inline' data:; \
             font-src {own} data:; media-src {own} data:; frame-src {own}; \
             form-action 'none'; base-uri 'none'; \
             sandbox allow-popups allow-popups-to-escape-sandbox"
        )
    }

    /// The copy read back, from the cache when it was read lately.
    fn load(&self, library: &Library, key: CopyKey) -> crate::library::Result<Arc<Loaded>> {
        if let Some((_, loaded)) = lock(&self.cache).iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(loaded));
        }
        let mut copy = library.saved_copy(key.id, key.version)?;
        let format = Format::parse(&copy.format);
        // The bytes move into the page read back (kept once, as its
        // original), not copied beside it.
        let source = read::from_stored(
            &copy.file_name,
            format,
            std::mem::take(&mut copy.bytes).into(),
            std::mem::take(&mut copy.resources),
        )
        .map_err(|err| crate::library::LibraryError::Corrupt(err.to_string()))?;
        let page_address = source
            .saved_from
            .as_deref()
            .or(copy.url.as_deref())
            .and_then(|u| Url::parse(u).ok());
        let base = base_href(&source.text)
            .and_then(|href| match &page_address {
                Some(page) => page.join(&href).ok(),
                None => Url::parse(&href).ok(),
            })
            .or(page_address);
        let loaded = Arc::new(Loaded { source, copy, base });
        let mut cache = lock(&self.cache);
        cache.retain(|(k, _)| *k != key);
        cache.push_front((key, Arc::clone(&loaded)));
        cache.truncate(CACHED_PAGES);
        Ok(loaded)
    }
}

/// The page's `<base href>`, if it states one near its top.
fn base_href(html: &str) -> Option<String> {
    let head = &html[..floor_char_boundary(html, 64 * 1024)];
    let lower = head.to_ascii_lowercase();
    let at = lower.find("<base")?;
    let tag_end = lower[at..].find('>')? + at;
    let tag = &head[at..tag_end];
    let href_at = tag.to_ascii_lowercase().find("href")?;
    let value = tag[href_at + 4..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let value = match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next()?,
        _ => value.split(|c: char| c.is_whitespace()).next()?,
    };
    (!value.is_empty()).then(|| value.to_owned())
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The page's HTML: the document itself, or for a mirror page its HTML part
/// with the Markdown around it shown as text.
fn page_html(loaded: &Loaded) -> String {
    let text = &loaded.source.text;
    if loaded.source.format != Format::Mirror {
        return text.clone();
    }
    let part = crate::extract::mirror::unwrap(text);
    let start = (part.html.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let (before, after) = match text.get(..start) {
        Some(before) => (before, text.get(start + part.html.len()..).unwrap_or("")),
        None => ("", ""),
    };
    let pre = |markdown: &str| {
        if markdown.trim().is_empty() {
            String::new()
        } else {
            format!(
                "<pre data-folio-markdown style=\"white-space:pre-wrap;font:13px/1.5 monospace;\
                 color:#555\">{}</pre>",
                page::escape(markdown.trim())
            )
        }
    };
    format!(
        "<!DOCTYPE html><html><head><title>{}</title></head><body>{}{}{}</body></html>",
        page::escape(&part.title),
        pre(before),
        part.html,
        pre(after)
    )
}

/// The banner's words for a copy.
fn banner(copy: &SavedCopy, original: &[u8]) -> Banner {
    Banner {
        title: copy.title.clone(),
        file_name: copy.file_name.clone(),
        format: read::format_in_words(&copy.format, &copy.file_name, original),
        version: if copy.versions > 1 {
            format!("version {} of {}", copy.version, copy.versions)
        } else {
            String::new()
        },
        stored: copy.stored_at.chars().take(10).collect(),
    }
}

/// The content type of a stored resource: by its first bytes, else by its
/// name's extension.
fn content_type(key: &str, bytes: &[u8]) -> &'static str {
    // Images a browser draws, by the image crate's own signatures (not its
    // two-byte ones, such as PNM's `P1`, which a text file may begin with).
    use image::ImageFormat as F;
    if let Ok(format @ (F::Png | F::Jpeg | F::Gif | F::WebP | F::Bmp | F::Ico | F::Avif)) =
        image::guess_format(bytes)
    {
        return format.to_mime_type();
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"wOFF") {
        return "font/woff";
    }
    if starts(b"wOF2") {
        return "font/woff2";
    }
    if starts(b"OTTO") {
        return "font/otf";
    }
    if starts(b"\x00\x01\x00\x00") {
        return "font/ttf";
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.contains("<svg") {
        return "image/svg+xml";
    }
    let path = key
        .split(['?', '#'])
        .next()
        .unwrap_or(key)
        .to_ascii_lowercase();
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_a_copy_and_a_resource() {
        let page = parse_route("12/").map(|r| (r.copy, r.resource.is_none()));
        assert_eq!(
            page,
            Some((
                CopyKey {
                    id: ArticleId(12),
                    version: None
                },
                true
            ))
        );
        let version = parse_route("12/v2/r/any/page%5Ffiles%2Fa%2Ejpg").and_then(|r| r.resource);
        assert_eq!(version, Some((Kind::Any, "page_files/a.jpg".to_owned())));
        for bad in ["", "x/", "12", "12/v0/", "12/r/zip/a", "12/../", "12/vx/"] {
            assert!(parse_route(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_base_href_is_read_from_the_top_of_the_page() {
        assert_eq!(
            base_href("<head><BASE HREF='https://a.example/x/'></head>").as_deref(),
            Some("https://a.example/x/")
        );
        assert_eq!(base_href("<head></head>"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abcd", "abcd"));
        assert!(!same_token("abce", "abcd"));
        assert!(!same_token("abc", "abcd"));
    }
}
