//! The HTTP client behind every download: [`Fetcher`] (http(s) only,
//! timeouts, size cap while streaming, redirect limit and loop detection,
//! two requests per host), [`check_image`] (a raster image must decode whole
//! within the limits), and the settings that switch fetching on or off.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use url::Url;

use crate::read::limits::{
    MAX_DECODE_BYTES, MAX_IMAGE_PIXELS, limited_image_reader, looks_like_svg,
};

/// The setting that, when `true`, fetches missing images right after an import.
pub const SETTING_FETCH_ON_IMPORT: &str = "fetch_images_on_import";
/// The setting that, when `true`, forbids every network request.
pub const SETTING_OFFLINE: &str = "offline";

/// Limits and timeouts of a [`Fetcher`].
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Longest wait to resolve a host and connect (TLS handshake included).
    pub connect_timeout: Duration,
    /// Longest wait for any single read from the server.
    pub read_timeout: Duration,
    /// Longest time one request may take in all (headers and body).
    pub total_timeout: Duration,
    /// Largest body accepted, in bytes; bigger ones are refused while streaming.
    pub max_bytes: u64,
    /// Redirects followed at most (each must stay http or https).
    pub max_redirects: u32,
    /// Requests to one host (`host:port`) at the same time, at most.
    pub per_host: usize,
    /// Download threads, at most.
    pub threads: usize,
    /// Use the proxy named by `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` (and `NO_PROXY`).
    pub use_env_proxy: bool,
    /// Refuse to fetch at all (the `--offline` flag); the library's
    /// `offline` setting is honoured as well (see [`missing::fetch_missing`]).
    pub offline: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            max_bytes: 20 * 1000 * 1000,
            max_redirects: 5,
            per_host: 2,
            threads: 4,
            use_env_proxy: true,
            offline: false,
        }
    }
}

/// An image downloaded and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedImage {
    /// The URL asked for.
    pub url: String,
    /// The URL the bytes came from (after redirects).
    pub final_url: String,
    /// The bytes as sent.
    pub bytes: Vec<u8>,
    /// MIME type sniffed from the bytes, e.g. `image/jpeg` (`image/svg+xml`
    /// for SVG, whatever the server called it).
    pub mime: String,
    /// Width in pixels; 0 for SVG, which Folio never renders.
    pub width: u32,
    /// Height in pixels; 0 for SVG.
    pub height: u32,
}

/// Why one image could not be fetched or stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The image has no http(s) URL (`file:`, `data:`, `ftp:`, a relative path…).
    #[error("{url}: only http and https images can be fetched")]
    UnsupportedScheme {
        /// The URL.
        url: String,
    },
    /// The URL does not parse.
    #[error("{url}: not a valid URL ({reason})")]
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}")]
    Status {
        /// The URL (after redirects).
        url: String,
        /// The HTTP status, e.g. 404.
        status: u16,
    },
    /// The body is larger than [`FetchOptions::max_bytes`].
    #[error("{url}: the image is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in force.
        limit: u64,
    },
    /// The bytes are not an image Folio can read.
    #[error("{url}: not an image ({what})")]
    NotAnImage {
        /// The URL.
        url: String,
        /// What the bytes look like instead.
        what: String,
    },
    /// More redirects than [`FetchOptions::max_redirects`].
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects {
        /// The URL asked for.
        url: String,
        /// The limit in force.
        max: u32,
    },
    /// A redirect led back to a URL already visited.
    #[error("{url}: redirect loop (back to {again})")]
    RedirectLoop {
        /// The URL asked for.
        url: String,
        /// The URL visited twice.
        again: String,
    },
    /// A redirect to something other than http(s), or without a usable `Location`.
    #[error("{url}: refused redirect to {location}")]
    BadRedirect {
        /// The URL that redirected.
        url: String,
        /// Where it pointed.
        location: String,
    },
    /// A timeout expired.
    #[error("{url}: timed out ({what})")]
    Timeout {
        /// The URL.
        url: String,
        /// Which wait expired.
        what: String,
    },
    /// The connection failed (host not found, refused, reset, TLS…).
    #[error("{url}: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The download was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The image was fetched but could not be stored.
    #[error("{url}: could not be stored: {reason}")]
    Store {
        /// The URL.
        url: String,
        /// The library's error.
        reason: String,
    },
}

/// The URL to fetch for an image: `src` when it is http(s), else `full_src`.
pub fn fetch_url<'a>(src: &'a str, full_src: Option<&'a str>) -> Option<&'a str> {
    std::iter::once(src)
        .chain(full_src)
        .find(|url| Url::parse(url).is_ok_and(|u| is_web(&u)))
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

/// Downloads images with the limits of its [`FetchOptions`]. Cheap to share
/// between threads (`&Fetcher` is `Sync`).
pub struct Fetcher {
    agent: ureq::Agent,
    pub(super) options: FetchOptions,
    hosts: HostSlots,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A client with these limits. Makes no connection by itself.
    pub fn new(options: FetchOptions) -> Self {
        let mut config = ureq::Agent::config_builder()
            .timeout_connect(Some(options.connect_timeout))
            .timeout_resolve(Some(options.connect_timeout))
            .timeout_per_read(Some(options.read_timeout))
            .timeout_per_call(Some(options.total_timeout))
            // Redirects are followed here, one checked hop at a time.
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("Folio/", env!("CARGO_PKG_VERSION")))
            .accept("image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8,*/*;q=0.5")
            .max_idle_connections_per_host(options.per_host.max(1));
        if !options.use_env_proxy {
            config = config.proxy(None);
        }
        Self {
            agent: config.build().new_agent(),
            hosts: HostSlots::new(options.per_host.max(1)),
            options,
        }
    }

    /// Download one image and check that it decodes. Blocks; returns early
    /// with [`FetchError::Cancelled`] once `cancel` is set.
    pub fn fetch_image(&self, url: &str, cancel: &AtomicBool) -> Result<FetchedImage, FetchError> {
        let start = Url::parse(url).map_err(|err| FetchError::BadUrl {
            url: url.to_owned(),
            reason: err.to_string(),
        })?;
        if !is_web(&start) {
            return Err(FetchError::UnsupportedScheme {
                url: url.to_owned(),
            });
        }
        let mut current = start;
        let mut visited = HashSet::from([current.to_string()]);
        let mut hops = 0;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(FetchError::Cancelled);
            }
            match self.get_once(url, &current, cancel)? {
                Hop::Done(bytes) => {
                    let (mime, width, height) = check_image(url, &bytes.0, bytes.1.as_deref())?;
                    return Ok(FetchedImage {
                        url: url.to_owned(),
                        final_url: current.to_string(),
                        bytes: bytes.0,
                        mime,
                        width,
                        height,
                    });
                }
                Hop::Redirect(location) => {
                    hops += 1;
                    if hops > self.options.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_owned(),
                            max: self.options.max_redirects,
                        });
                    }
                    let next = current.join(&location).ok().filter(is_web).ok_or_else(|| {
                        FetchError::BadRedirect {
                            url: current.to_string(),
                            location: location.clone(),
                        }
                    })?;
                    if !visited.insert(next.to_string()) {
                        return Err(FetchError::RedirectLoop {
                            url: url.to_owned(),
                            again: next.to_string(),
                        });
                    }
                    current = next;
                }
            }
        }
    }

    /// One request (no redirect followed), holding one of the host's slots.
    fn get_once(&self, asked: &str, url: &Url, cancel: &AtomicBool) -> Result<Hop, FetchError> {
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default()
        );
        let _slot = self.hosts.acquire(&host, cancel)?;
        let shown = url.to_string();
        let response = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|err| self.map_ureq_error(&shown, err))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            return match location {
                Some(location) => Ok(Hop::Redirect(location)),
                None => Err(FetchError::BadRedirect {
                    url: shown,
                    location: "(no Location header)".to_owned(),
                }),
            };
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: shown,
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let too_large = || FetchError::TooLarge {
            url: asked.to_owned(),
            limit: self.options.max_bytes,
        };
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.options.max_bytes) {
            return Err(too_large());
        }
        let mut reader = response.into_body().into_reader();
        let mut bytes = Vec::with_capacity(
            usize::try_from(declared.unwrap_or(64 * 1024).min(self.options.max_bytes))
                .unwrap_or(64 * 1024),
        );
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(FetchError::Cancelled);
            }
            let n = match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(self.map_io_error(&shown, err)),
            };
            if u64::try_from(bytes.len() + n).unwrap_or(u64::MAX) > self.options.max_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk[..n]);
        }
        Ok(Hop::Done((bytes, content_type)))
    }

    /// Download `urls` on a small pool of threads (at most
    /// [`FetchOptions::per_host`] at a time per host). `on_done(i, result)`
    /// runs on the calling thread as each download ends, once for every
    /// index; after `cancel` is set the ones not started end as
    /// [`FetchError::Cancelled`].
    pub fn fetch_all(
        &self,
        urls: &[String],
        cancel: &AtomicBool,
        mut on_done: impl FnMut(usize, Result<FetchedImage, FetchError>),
    ) {
        if urls.is_empty() {
            return;
        }
        let next = AtomicUsize::new(0);
        let threads = self.options.threads.clamp(1, urls.len());
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            let mut started = 0;
            for n in 0..threads {
                let tx = tx.clone();
                let next = &next;
                let spawned = std::thread::Builder::new()
                    .name(format!("folio-fetch-{n}"))
                    .spawn_scoped(scope, move || {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(url) = urls.get(i) else { break };
                            let result = if cancel.load(Ordering::Relaxed) {
                                Err(FetchError::Cancelled)
                            } else {
                                self.fetch_image(url, cancel)
                            };
                            if tx.send((i, result)).is_err() {
                                break;
                            }
                        }
                    });
                match spawned {
                    Ok(_) => started += 1,
                    Err(err) => log::warn!("cannot start a download thread: {err}"),
                }
            }
            drop(tx);
            if started == 0 {
                // No thread could be started: download here, one at a time.
                for (i, url) in urls.iter().enumerate() {
                    let result = if cancel.load(Ordering::Relaxed) {
                        Err(FetchError::Cancelled)
                    } else {
                        self.fetch_image(url, cancel)
                    };
                    on_done(i, result);
                }
                return;
            }
            // Ends when every worker has finished and dropped its sender.
            for (i, result) in rx {
                on_done(i, result);
            }
        });
        // Should one thread have failed to start, the others took its share.
    }
}

/// What one request gave.
enum Hop {
    /// The body, with its `Content-Type`.
    Done((Vec<u8>, Option<String>)),
    /// A redirect's `Location`.
    Redirect(String),
}

impl Fetcher {
    fn map_ureq_error(&self, url: &str, err: ureq::Error) -> FetchError {
        match err {
            ureq::Error::Timeout(which) => self.timeout(url, which),
            ureq::Error::Io(err) => self.map_io_error(url, err),
            ureq::Error::HostNotFound => FetchError::Network {
                url: url.to_owned(),
                message: "host not found".to_owned(),
            },
            ureq::Error::BadUri(reason) => FetchError::BadUrl {
                url: url.to_owned(),
                reason,
            },
            other => FetchError::Network {
                url: url.to_owned(),
                message: other.to_string(),
            },
        }
    }

    fn map_io_error(&self, url: &str, err: std::io::Error) -> FetchError {
        // ureq wraps its own errors (a timeout while reading the body) in io::Error.
        if let Some(ureq::Error::Timeout(which)) =
            err.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>())
        {
            return self.timeout(url, *which);
        }
        if matches!(
            err.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        ) {
            return self.timeout(url, ureq::Timeout::PerRead);
        }
        FetchError::Network {
            url: url.to_owned(),
            message: err.to_string(),
        }
    }

    /// A timeout error saying which limit expired.
    fn timeout(&self, url: &str, which: ureq::Timeout) -> FetchError {
        let o = &self.options;
        let what = match which {
            ureq::Timeout::PerRead => format!("the server sent nothing for {:?}", o.read_timeout),
            ureq::Timeout::Resolve | ureq::Timeout::Connect => {
                format!("no connection within {:?}", o.connect_timeout)
            }
            ureq::Timeout::Global | ureq::Timeout::PerCall => {
                format!("the download took longer than {:?}", o.total_timeout)
            }
            other => other.to_string(),
        };
        FetchError::Timeout {
            url: url.to_owned(),
            what,
        }
    }
}

/// The MIME type Folio stores SVG under.
pub const SVG_MIME: &str = "image/svg+xml";

/// Check that `bytes` are an image Folio can keep: SVG (sniffed as at
/// import, kept as written, never parsed), or a raster image that decodes
/// whole within the limits of [`crate::read::limits`]: at most
/// [`MAX_IMAGE_PIXELS`] pixels, [`crate::read::limits::MAX_IMAGE_SIDE`] a
/// side and [`MAX_DECODE_BYTES`] allocated. A header alone is not enough: a
/// truncated stream is refused. Returns the MIME type and size (0×0 for SVG).
pub fn check_image(
    url: &str,
    bytes: &[u8],
    content_type: Option<&str>,
) -> Result<(String, u32, u32), FetchError> {
    let not_an_image = |what: String| FetchError::NotAnImage {
        url: url.to_owned(),
        what,
    };
    let Ok(format) = image::guess_format(bytes) else {
        if looks_like_svg(bytes) {
            return Ok((SVG_MIME.to_owned(), 0, 0));
        }
        return Err(not_an_image(describe(bytes, content_type)));
    };
    let reader = |bytes| {
        limited_image_reader(bytes, MAX_DECODE_BYTES)
            .map_err(|err| not_an_image(format!("{format:?} that does not decode: {err}")))
    };
    let (width, height) = reader(bytes)?
        .into_dimensions()
        .map_err(|err| not_an_image(format!("{format:?} that does not decode: {err}")))?;
    if width == 0 || height == 0 {
        return Err(not_an_image(format!("{format:?} of size {width}×{height}")));
    }
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(not_an_image(format!(
            "{format:?} of {width}×{height} pixels, over the limit of {MAX_IMAGE_PIXELS} \
             pixels that Folio decodes"
        )));
    }
    // One full decode at a time across the download threads: with
    // MAX_DECODE_BYTES per decode, this bounds what checking costs in memory.
    static DECODING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = DECODING.lock().unwrap_or_else(PoisonError::into_inner);
    reader(bytes)?
        .decode()
        .map_err(|err| not_an_image(format!("{format:?} that does not decode: {err}")))?;
    Ok((format.to_mime_type().to_owned(), width, height))
}

/// What non-image bytes look like, for an error message.
fn describe(bytes: &[u8], content_type: Option<&str>) -> String {
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)])
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    let kind = if bytes.is_empty() {
        "an empty body".to_owned()
    } else if head.starts_with("<?xml") {
        "an XML document that is not SVG".to_owned()
    } else if head.starts_with('<') {
        "an HTML page".to_owned()
    } else {
        "an unknown format".to_owned()
    };
    match content_type {
        Some(ct) => format!("the server sent {kind}, {ct}"),
        None => format!("the server sent {kind}"),
    }
}

// ---- requests per host ---------------------------------------------------------

/// Counts requests in flight per host and makes callers wait for a slot.
struct HostSlots {
    max: usize,
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

/// One request's slot on a host; freed on drop.
struct HostSlot<'a> {
    slots: &'a HostSlots,
    host: String,
}

impl HostSlots {
    fn new(max: usize) -> Self {
        Self {
            max,
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, usize>> {
        // The map stays consistent even if a holder panicked (plain counters).
        self.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn acquire(&self, host: &str, cancel: &AtomicBool) -> Result<HostSlot<'_>, FetchError> {
        let mut busy = self.lock();
        loop {
            let n = busy.entry(host.to_owned()).or_default();
            if *n < self.max {
                *n += 1;
                return Ok(HostSlot {
                    slots: self,
                    host: host.to_owned(),
                });
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(FetchError::Cancelled);
            }
            busy = self
                .freed
                .wait_timeout(busy, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl Drop for HostSlot<'_> {
    fn drop(&mut self) {
        let mut busy = self.slots.lock();
        if let Some(n) = busy.get_mut(&self.host) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                busy.remove(&self.host);
            }
        }
        drop(busy);
        self.slots.freed.notify_all();
    }
}

/// True for the values a boolean setting counts as on (`true`, `1`, `yes`, `on`).
pub fn is_on(value: Option<&str>) -> bool {
    value.and_then(parse_bool) == Some(true)
}

/// A boolean setting's value: `true`, `1`, `yes`, `on` or `false`, `0`,
/// `no`, `off` (any case, spaces around ignored); `None` for anything else.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_fetched() {
        assert_eq!(
            fetch_url("https://a.example/x.jpg", None),
            Some("https://a.example/x.jpg")
        );
        assert_eq!(
            fetch_url("p1.jpg", Some("http://a.example/big.jpg")),
            Some("http://a.example/big.jpg")
        );
        assert_eq!(fetch_url("file:///etc/passwd", None), None);
        assert_eq!(fetch_url("data:image/png;base64,AAAA", None), None);
        assert_eq!(fetch_url("ftp://a.example/x.jpg", None), None);
    }

    #[test]
    fn refuses_other_schemes_without_a_request() {
        let fetcher = Fetcher::new(FetchOptions::default());
        let cancel = AtomicBool::new(false);
        for url in [
            "file:///etc/hosts",
            "data:image/png;base64,AAAA",
            "ftp://a.example/x.jpg",
        ] {
            assert!(matches!(
                fetcher.fetch_image(url, &cancel),
                Err(FetchError::UnsupportedScheme { .. })
            ));
        }
    }

    #[test]
    fn html_is_not_an_image() {
        let err = check_image(
            "http://x/a.jpg",
            b"<!DOCTYPE html><p>404",
            Some("text/html"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("HTML page"), "{err}");
    }

    #[test]
    fn settings_values() {
        assert!(is_on(Some("true")) && is_on(Some(" ON ")) && is_on(Some("1")));
        assert!(!is_on(None) && !is_on(Some("false")) && !is_on(Some("")));
    }
}
