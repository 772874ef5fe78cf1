//! Web archives: WARC files (`.warc`, `.warc.gz`, gzip per record) and WACZ
//! packages (`.wacz`: a zip of WARCs with `pages/pages.jsonl`), read with the
//! `warc` crate for records, `flate2` for gzip members and `zip`.
//!
//! One archive is many pages: every HTML response (in a WACZ, every page its
//! `pages.jsonl` lists) becomes a [`Source`] of its own, with the images it
//! refers to taken from the same archive by URL (redirect and revisit records
//! followed, `Content-Encoding: gzip` and chunked payloads undone). What a
//! page refers to and the archive lacks is named in that page's warnings; a
//! record cut short ends the reading with a warning, keeping what came before.
//!
//! Promise: nothing but the archive file is read; the archive, each record
//! kept and all records kept together are bounded by [`super::limits`];
//! everything inflated from one archive file (zip entries and gzip members
//! alike) shares one allowance, [`MAX_ARCHIVE_INFLATED`], and reading it
//! one time budget, [`ARCHIVE_TIME_BUDGET`], both checked as bytes are
//! read, as Cancel is. The archive's own warnings are kept once, on its
//! first page, at most [`MAX_ARCHIVE_WARNINGS`] of them, each at most
//! [`MAX_WARNING_CHARS`] long; pages are made one at a time as they are
//! asked for ([`ArchivePages`]), never all at once.
//!
//! Long because: WARC and WACZ share one record reader and one allowance
//! per archive file; split, the budget would be spread over files.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use warc::{RawRecordHeader, WarcHeader, WarcReader};

use crate::model::capture::{Capture, CapturedFrom, from_iso_date_time};

use super::limits::{
    MAX_ARCHIVE_BYTES, MAX_ARCHIVE_PAGES, MAX_FILE_BYTES, MAX_RESOURCE_BYTES,
    MAX_RESOURCES_TOTAL_BYTES,
};
use super::meter::Meter;
use super::source::{Format, ReadError, Source};

/// Most bytes inflated from one archive file, zip entries and gzip members
/// together (four times the largest archive).
pub const MAX_ARCHIVE_INFLATED: u64 = 4 * MAX_ARCHIVE_BYTES;

/// Longest reading one archive file may take (its records, before any page
/// is extracted): 60 s (a release build inflates a gigabyte in a few
/// seconds); a debug build gets ten times as long. Past it the pages read
/// so far are kept, with a warning.
pub const ARCHIVE_TIME_BUDGET: std::time::Duration =
    std::time::Duration::from_secs(if cfg!(debug_assertions) { 600 } else { 60 });

/// Most warnings kept for one archive (the rest are counted).
pub const MAX_ARCHIVE_WARNINGS: usize = 50;

/// Longest one warning is kept (a record's URI may be a megabyte).
pub const MAX_WARNING_CHARS: usize = 300;

/// Longest line of a WACZ page list read; a longer one is skipped.
const MAX_LISTING_LINE: usize = 64 * 1024;

/// Most bytes of page URLs taken from a WACZ's page lists, all together.
const MAX_LISTING_BYTES: usize = 32 * 1024 * 1024;

/// The text cut to at most `most` characters, marked with `…` when cut.
pub(crate) fn shortened(text: &str, most: usize) -> String {
    match text.char_indices().nth(most) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The content type a page taken out of a web archive had in its HTTP
/// response, written by Folio after the "saved from" mark of its stored
/// original, so that re-extraction decodes it as the import did.
const CONTENT_TYPE_MARK: &str = "<!-- folio-http-content-type: ";

/// The `WARC-Date` of a page taken out of a web archive, written by Folio
/// after the "saved from" mark of its stored original (and the content
/// type's, when there is one), so that re-extraction finds it again.
const CAPTURED_MARK: &str = "<!-- folio-warc-date: ";

/// Redirects followed from one reference at most.
const MAX_REDIRECTS: usize = 5;

/// A response's content type names a stylesheet.
fn is_stylesheet(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| {
        t.trim_start()
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case("text/css"))
    })
}

/// Missing references named in one page's warning at most.
const MAX_NAMED_MISSING: usize = 10;

/// True when the file is a web archive by its name (`.warc`, `.warc.gz`, `.wacz`).
pub fn is_web_archive(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz") || name.ends_with(".wacz")
}

/// One HTTP response kept from the archive.
struct Response {
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
    payload: Arc<[u8]>,
    /// The record's `WARC-Date` (when it was captured), as RFC 3339.
    captured: Option<String>,
}

/// What has been read of an archive.
#[derive(Default)]
struct Archive {
    /// Responses by target URL (the first capture of a URL wins).
    responses: HashMap<String, Response>,
    /// HTML responses in the order met.
    html: Vec<String>,
    /// Revisit records: URL → the URL whose payload it repeats.
    revisits: HashMap<String, String>,
    /// Bytes of payloads kept.
    kept: usize,
    /// The first [`MAX_ARCHIVE_WARNINGS`] warnings, each shortened.
    warnings: Vec<String>,
    /// Every warning met, kept or not.
    warned: usize,
}

/// The pages of a web archive, each made into a [`Source`] when it is
/// asked for (a large archive's pages are never all held at once).
pub struct ArchivePages {
    archive: Archive,
    archive_name: String,
    urls: std::vec::IntoIter<String>,
    /// The first page's URL, once it has been handed out.
    first: Option<String>,
}

impl Iterator for ArchivePages {
    type Item = Source;

    fn next(&mut self) -> Option<Source> {
        let url = self.urls.next()?;
        let source = page_source(
            &self.archive,
            &self.archive_name,
            &url,
            self.first.as_deref(),
        );
        self.first.get_or_insert(url);
        Some(source)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.urls.size_hint()
    }
}

/// Read the web archive at `path`: its pages, made one by one as they are
/// asked for.
pub fn read_archive(path: &Path) -> Result<ArchivePages, ReadError> {
    read_archive_until(path, &|| false)
}

/// [`read_archive`], stopping early (with an error) once `cancelled` says so.
pub fn read_archive_until(
    path: &Path,
    cancelled: &dyn Fn() -> bool,
) -> Result<ArchivePages, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let failed = |reason: String| ReadError::Archive {
        path: path.to_owned(),
        reason,
    };
    super::source::regular_file_within(path, MAX_ARCHIVE_BYTES)?;
    let archive_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = std::fs::File::open(path).map_err(io)?;
    let mut archive = Archive::default();
    let meter = Meter::new(MAX_ARCHIVE_INFLATED, ARCHIVE_TIME_BUDGET, cancelled);
    let listed = if archive_name.to_ascii_lowercase().ends_with(".wacz") {
        Some(read_wacz(file, &mut archive, &meter).map_err(failed)?)
    } else {
        read_warc(BufReader::new(file), &mut archive, &meter);
        None
    };
    match meter.stopped() {
        Some(super::meter::Stopped::Cancelled) => {
            return Err(failed("reading it was cancelled".to_owned()));
        }
        Some(reason) => archive.warn(format!(
            "the archive was read only in part: {reason}; the pages read before were kept"
        )),
        None => {}
    }
    let mut pages = pages(&archive, listed.as_deref());
    if pages.is_empty() {
        let mut reason = "the archive holds no HTML page".to_owned();
        if let Some(first) = archive.warnings.first() {
            reason.push_str(&format!(" ({first})"));
        }
        return Err(ReadError::NotAPage {
            path: path.to_owned(),
            reason,
        });
    }
    pages.truncate(MAX_ARCHIVE_PAGES);
    Ok(ArchivePages {
        archive,
        archive_name,
        urls: pages.into_iter(),
        first: None,
    })
}

/// The pages to import: those a WACZ lists (when it lists any), else every
/// HTML response, each once.
fn pages(archive: &Archive, listed: Option<&[String]>) -> Vec<String> {
    match listed {
        Some(listed) if !listed.is_empty() => {
            let mut seen = HashSet::new();
            listed
                .iter()
                .filter(|url| {
                    archive
                        .resolve(url, 0)
                        .and_then(|final_url| archive.responses.get(&final_url))
                        .is_some_and(is_html)
                })
                .filter(|url| seen.insert(url.as_str()))
                .cloned()
                .collect()
        }
        _ => archive.html.clone(),
    }
}

/// Read a WACZ: its `archive/*.warc[.gz]` entries, and the URLs of its
/// `pages/*.jsonl` lists (at most [`MAX_ARCHIVE_PAGES`] of them and
/// [`MAX_LISTING_BYTES`] together), every entry counted against `meter`.
fn read_wacz(
    file: std::fs::File,
    archive: &mut Archive,
    meter: &Meter<'_>,
) -> Result<Vec<String>, String> {
    let mut zip =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| format!("not a WACZ: {e}"))?;
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let mut listed = Vec::new();
    let mut listed_bytes = 0;
    for name in &names {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("pages/") && lower.ends_with(".jsonl") {
            if meter.stopped().is_some() {
                break;
            }
            let entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
            let full = read_listing(
                BufReader::new(meter.wrap(entry)),
                &mut listed,
                &mut listed_bytes,
            );
            if !full {
                archive.warn(format!(
                    "the archive lists more pages than are read (at most {MAX_ARCHIVE_PAGES}, \
                     {} MiB of addresses); the first {} listed were read",
                    MAX_LISTING_BYTES / (1024 * 1024),
                    listed.len()
                ));
                break;
            }
        }
    }
    let warcs: Vec<&String> = names
        .iter()
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.starts_with("archive/")
                && (lower.ends_with(".warc") || lower.ends_with(".warc.gz"))
        })
        .collect();
    if warcs.is_empty() {
        return Err("the package has no archive/*.warc file".to_owned());
    }
    for name in warcs {
        if meter.stopped().is_some() {
            break;
        }
        let entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
        let before = archive.warnings.len();
        read_warc(BufReader::new(meter.wrap(entry)), archive, meter);
        for warning in &mut archive.warnings[before..] {
            *warning = shortened(&format!("{name}: {warning}"), MAX_WARNING_CHARS);
        }
    }
    Ok(listed)
}

/// Add the page URLs of one JSON-lines page list to `listed`, line by line
/// (a line longer than [`MAX_LISTING_LINE`] is skipped unread); false when
/// the lists' limits were reached (the rest is not read).
fn read_listing<R: BufRead>(mut reader: R, listed: &mut Vec<String>, bytes: &mut usize) -> bool {
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut reader)
            .take(MAX_LISTING_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return true,
            Ok(_) if line.len() > MAX_LISTING_LINE => {
                if !line.ends_with(b"\n") && reader.skip_until(b'\n').is_err() {
                    return true;
                }
                continue;
            }
            Ok(_) => {}
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line)
            && let Some(url) = value.get("url").and_then(|u| u.as_str())
        {
            if listed.len() >= MAX_ARCHIVE_PAGES || *bytes + url.len() > MAX_LISTING_BYTES {
                return false;
            }
            *bytes += url.len();
            listed.push(url.to_owned());
        }
    }
}

/// Read the records of one WARC (plain, or gzip member by member) into
/// `archive`, stopping with a warning at a record that cannot be read, and
/// as soon as `meter` is spent, out of time or cancelled.
fn read_warc<R: BufRead>(mut reader: R, archive: &mut Archive, meter: &Meter<'_>) {
    let gzip = reader
        .fill_buf()
        .is_ok_and(|head| head.starts_with(b"\x1f\x8b"));
    if gzip {
        read_members(reader, archive, meter);
    } else {
        // At most `MAX_ARCHIVE_BYTES` in all, as on disk (a WACZ's WARC
        // may be deflated inside the zip: that is its bound too).
        read_plain(reader.take(MAX_ARCHIVE_BYTES), archive, meter);
    }
}

/// Largest record kept, decompressed: a page or a resource with its WARC
/// and HTTP headers. A larger one is skipped with a warning, never held
/// whole (a small file can inflate to gigabytes).
const MAX_RECORD_BYTES: u64 = MAX_FILE_BYTES + 64 * 1024;

/// Longest WARC header block read (a record's named fields, not its content).
const MAX_HEADER_BYTES: u64 = 1024 * 1024;

/// Read an uncompressed WARC record by record, each bounded by
/// [`MAX_RECORD_BYTES`]: a record's header block is read first, and one
/// whose `Content-Length` passes the bound is skipped (read to nowhere)
/// with a warning; the others are parsed by the `warc` crate as before.
fn read_plain<R: BufRead>(mut reader: R, archive: &mut Archive, meter: &Meter<'_>) {
    let mut records = 0;
    loop {
        if meter.stopped().is_some() {
            return;
        }
        let mut record = Vec::new();
        // The header block ends with an empty line (`\r\n`), as the
        // `warc` crate reads it.
        loop {
            let read = (&mut reader)
                .take(MAX_HEADER_BYTES + 1 - (record.len() as u64).min(MAX_HEADER_BYTES))
                .read_until(b'\n', &mut record);
            match read {
                Ok(0) | Err(_) => break,
                Ok(2) if record.ends_with(b"\r\n") => break,
                Ok(_) if record.len() as u64 > MAX_HEADER_BYTES => {
                    archive.warn(format!(
                        "record {} could not be read (its header is over {MAX_HEADER_BYTES} \
                         bytes); the archive was read up to it",
                        records + 1
                    ));
                    return;
                }
                Ok(_) => {}
            }
        }
        if record.is_empty() {
            return;
        }
        let Some(length) = content_length(&record) else {
            // Not a header the crate reads: let it say why, and stop.
            read_records(record.as_slice(), archive, records);
            return;
        };
        // The content, then the `\r\n\r\n` that ends a record.
        let rest = length.saturating_add(4);
        if (record.len() as u64).saturating_add(rest) > MAX_RECORD_BYTES {
            records += 1;
            archive.warn(format!(
                "record {records} was skipped: it is over {MAX_RECORD_BYTES} bytes"
            ));
            match std::io::copy(&mut (&mut reader).take(rest), &mut std::io::sink()) {
                Ok(drained) if drained == rest => continue,
                _ => return,
            }
        }
        let whole = (&mut reader).take(rest).read_to_end(&mut record);
        let warned = archive.warned;
        records = read_records(record.as_slice(), archive, records);
        if whole.is_err() || archive.warned > warned {
            return;
        }
    }
}

/// A WARC header block's `Content-Length` (0 when it names none, as the
/// `warc` crate reads it); `None` when it is not a number.
fn content_length(header: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(header);
    for line in text.lines().skip(1) {
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            return value.trim().parse().ok();
        }
    }
    Some(0)
}

/// Read a gzipped WARC member by member (each record is its own member, as
/// the WARC spec recommends), each bounded by [`MAX_RECORD_BYTES`]; all of
/// them together by `meter`, a bomb's end.
fn read_members<R: BufRead>(mut reader: R, archive: &mut Archive, meter: &Meter<'_>) {
    let mut records = 0;
    while reader.fill_buf().is_ok_and(|rest| !rest.is_empty()) && meter.stopped().is_none() {
        let mut member = Vec::new();
        let mut decoder = meter.wrap(flate2::bufread::GzDecoder::new(&mut reader));
        let read = (&mut decoder)
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut member);
        match read {
            Ok(_) if member.len() as u64 > MAX_RECORD_BYTES => {
                // Decompressed to nowhere, counted against the whole.
                drop(member);
                let _ = std::io::copy(&mut decoder, &mut std::io::sink());
                records += 1;
                archive.warn(format!(
                    "record {records} was skipped: it is over {MAX_RECORD_BYTES} bytes decompressed"
                ));
            }
            Ok(_) => records = read_records(member.as_slice(), archive, records),
            Err(_) if meter.stopped().is_some() => return,
            Err(_) => {
                // A member cut short: its whole records, then the warning.
                let warned = archive.warned;
                records = read_records(member.as_slice(), archive, records);
                if archive.warned == warned {
                    archive.warn(format!(
                        "record {} could not be read (the file ends inside it: the archive was \
                         cut short); the archive was read up to it",
                        records + 1
                    ));
                }
                return;
            }
        }
    }
}

/// Read the records of `reader` into `archive`, numbering them after
/// `before`; returns the number of the last one read.
fn read_records<R: BufRead>(reader: R, archive: &mut Archive, before: usize) -> usize {
    let mut n = before;
    for record in WarcReader::new(reader).iter_raw_records() {
        n += 1;
        match record {
            Ok((header, body)) => archive.add(&header, body),
            Err(err) => {
                archive.warn(format!(
                    "record {n} could not be read ({}); the archive was read up to it",
                    describe(&err)
                ));
                return n;
            }
        }
    }
    n
}

fn describe(err: &warc::Error) -> String {
    match err {
        warc::Error::UnexpectedEOB | warc::Error::ReadData(_) => {
            "the file ends inside it: the archive was cut short".to_owned()
        }
        other => other.to_string(),
    }
}

/// A record's `WARC-Date` as RFC 3339 (bounded: see `model::capture`).
fn record_date(record: &RawRecordHeader) -> Option<String> {
    header(record, WarcHeader::Date).and_then(|d| from_iso_date_time(&d))
}

fn header(header: &RawRecordHeader, name: WarcHeader) -> Option<String> {
    header
        .headers
        .get(&name)
        .map(|v| String::from_utf8_lossy(v).trim().to_owned())
}

/// `<http://…>` (WARC 1.0 as wget writes it) and `http://…` are one URL.
fn clean_uri(uri: &str) -> String {
    uri.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

impl Archive {
    /// Note a warning about the archive: the first [`MAX_ARCHIVE_WARNINGS`]
    /// are kept, shortened; the rest are counted.
    fn warn(&mut self, warning: String) {
        self.warned += 1;
        if self.warnings.len() < MAX_ARCHIVE_WARNINGS {
            self.warnings.push(shortened(&warning, MAX_WARNING_CHARS));
        }
    }

    /// The archive's warnings as its first page shows them.
    fn warnings_shown(&self) -> Vec<String> {
        let mut shown = self.warnings.clone();
        let more = self.warned.saturating_sub(shown.len());
        if more > 0 {
            shown.push(format!("and {more} more warnings about the archive"));
        }
        shown
    }

    fn add(&mut self, record: &RawRecordHeader, body: Vec<u8>) {
        let kind = header(record, WarcHeader::WarcType).unwrap_or_default();
        let Some(uri) = header(record, WarcHeader::TargetURI).map(|u| clean_uri(&u)) else {
            return;
        };
        if let Some(reason) = header(record, WarcHeader::Truncated) {
            self.warn(format!(
                "the crawler truncated {} ({reason})",
                shortened(&uri, MAX_WARNING_CHARS)
            ));
        }
        match kind.as_str() {
            "response" => {
                let mut warnings = Vec::new();
                let response = parse_http(&body, &uri, &mut warnings);
                for warning in warnings {
                    self.warn(warning);
                }
                if let Some(mut response) = response {
                    response.captured = record_date(record);
                    self.keep(uri, response);
                }
            }
            "resource" => {
                let content_type = header(record, WarcHeader::ContentType);
                self.keep(
                    uri,
                    Response {
                        status: 200,
                        location: None,
                        content_type,
                        payload: body.into(),
                        captured: record_date(record),
                    },
                );
            }
            "revisit" => {
                let refers = header(
                    record,
                    WarcHeader::Unknown("warc-refers-to-target-uri".into()),
                )
                .map(|u| clean_uri(&u));
                match refers {
                    Some(refers) if refers != uri => {
                        self.revisits.entry(uri).or_insert(refers);
                    }
                    // A revisit of the same URL: its earlier capture stands.
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn keep(&mut self, uri: String, response: Response) {
        if self.responses.contains_key(&uri) {
            return;
        }
        let size = response.payload.len();
        if size > MAX_RESOURCE_BYTES || self.kept + size > MAX_RESOURCES_TOTAL_BYTES {
            self.warn(format!(
                "{} was not kept: {size} bytes is over the limits for one archive",
                shortened(&uri, MAX_WARNING_CHARS)
            ));
            return;
        }
        self.kept += size;
        if response.status == 200 && is_html(&response) {
            self.html.push(uri.clone());
        }
        self.responses.insert(uri, response);
    }

    /// The URL whose payload answers `url`: redirects and revisits followed.
    fn resolve(&self, url: &str, depth: usize) -> Option<String> {
        if depth > MAX_REDIRECTS {
            return None;
        }
        if let Some(target) = self.revisits.get(url) {
            return self.resolve(target, depth + 1);
        }
        let response = self.responses.get(url)?;
        if (300..400).contains(&response.status) {
            let location = response.location.as_deref()?;
            let next = url::Url::parse(url).ok()?.join(location).ok()?.to_string();
            return self.resolve(&next, depth + 1);
        }
        Some(url.to_owned())
    }
}

fn is_html(response: &Response) -> bool {
    match &response.content_type {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            t.starts_with("text/html") || t.starts_with("application/xhtml")
        }
        None => {
            let head = &response.payload[..response.payload.len().min(512)];
            let head = String::from_utf8_lossy(head).to_ascii_lowercase();
            let head = head.trim_start();
            head.starts_with("<!doctype html") || head.starts_with("<html")
        }
    }
}

/// An HTTP response block: status, the headers Folio needs, the payload
/// with its transfer and content encodings undone.
fn parse_http(block: &[u8], uri: &str, warnings: &mut Vec<String>) -> Option<Response> {
    let split = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|p| (p, p + 2))
        })?;
    let head = String::from_utf8_lossy(&block[..split.0]);
    let mut lines = head.lines();
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut headers: HashMap<String, String> = HashMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let mut payload = block[split.1..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        match dechunk(&payload) {
            Some(joined) => payload = joined,
            None => warnings.push(format!("{uri}: a chunked payload could not be joined")),
        }
    }
    if let Some(encoding) = headers
        .get("content-encoding")
        .map(|e| e.to_ascii_lowercase())
    {
        let decoded = match encoding.as_str() {
            "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&payload[..])),
            "deflate" => inflate(flate2::read::ZlibDecoder::new(&payload[..])),
            "identity" | "" => Some(payload.clone()),
            _ => None,
        };
        match decoded {
            Some(decoded) => payload = decoded,
            None => {
                warnings.push(format!(
                    "{uri}: its {encoding} payload could not be decoded; it was left out"
                ));
                return None;
            }
        }
    }
    Some(Response {
        status,
        location: headers.get("location").cloned(),
        content_type: headers.get("content-type").cloned(),
        payload: payload.into(),
        captured: None,
    })
}

/// A decoder's output, within the size limit of one resource.
fn inflate(decoder: impl Read) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decoder
        .take(MAX_RESOURCE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() <= MAX_RESOURCE_BYTES).then_some(out)
}

/// Join an HTTP/1.1 chunked body.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..).unwrap_or(&[]);
    }
}

/// One page of the archive as a [`Source`]: its text decoded with the
/// charset its response names, and the images it refers to found in the
/// archive, keyed by the reference as the page writes it. The archive's
/// warnings go with its first page; `first` names it for the others.
fn page_source(archive: &Archive, archive_name: &str, url: &str, first: Option<&str>) -> Source {
    let mut warnings = match first {
        None => archive.warnings_shown(),
        Some(_) if archive.warned == 0 => Vec::new(),
        Some(first) => vec![format!(
            "the archive this page comes from has {} warning(s), kept with its first page ({})",
            archive.warned,
            shortened(first, 200)
        )],
    };
    let final_url = archive.resolve(url, 0).unwrap_or_else(|| url.to_owned());
    let response = archive.responses.get(&final_url);
    let payload: &[u8] = response.map_or(&[], |r| &r.payload);
    let content_type = response.and_then(|r| r.content_type.as_deref());
    let declared = content_type.and_then(charset_of);
    let text = super::charset::decode_document(payload, declared.as_deref(), &mut warnings);
    let text = super::source::bounded_nesting(text, &mut warnings);
    let base = url::Url::parse(&final_url).ok();
    let mut resources = super::resources::Resources::default();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    for reference in super::resources::references(&text) {
        if !seen.insert(reference) {
            continue;
        }
        // Images, and the stylesheets the archive holds (so the page shows
        // as saved with its styles); a missing stylesheet is not warned of.
        let image = super::resources::looks_like_image_reference(reference);
        let Some(absolute) = base
            .as_ref()
            .and_then(|b| b.join(reference.trim()).ok())
            .map(|u| u.to_string())
        else {
            continue;
        };
        if !absolute.starts_with("http") {
            continue;
        }
        let found = archive
            .resolve(&absolute, 0)
            .and_then(|u| archive.responses.get(&u))
            .filter(|r| r.status == 200);
        match found {
            Some(found) if image || is_stylesheet(found.content_type.as_deref()) => {
                resources.insert(reference, found.payload.clone());
            }
            None if image => missing.push(absolute),
            _ => {}
        }
    }
    if !missing.is_empty() {
        let named: Vec<String> = missing
            .iter()
            .take(MAX_NAMED_MISSING)
            .map(|url| shortened(url, 200))
            .collect();
        let more = missing.len().saturating_sub(MAX_NAMED_MISSING);
        warnings.push(format!(
            "the archive lacks {} image(s) the page shows: {}{}",
            missing.len(),
            named.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    // The stored original is the page itself, marked with where it was
    // captured (the "saved from url" mark browsers write), so re-extraction
    // finds the same URL, and with the content type of its response, so it
    // decodes the page with the same charset.
    let mut mark = format!("<!-- saved from url=({:04}){url} -->\n", url.len());
    if let Some(content_type) = content_type.filter(|t| safe_in_comment(t)) {
        mark.push_str(&format!("{CONTENT_TYPE_MARK}{content_type} -->\n"));
    }
    // And with when it was captured, so re-extraction finds it again.
    let captured = response.and_then(|r| r.captured.clone());
    if let Some(at) = &captured {
        mark.push_str(&format!("{CAPTURED_MARK}{at} -->\n"));
    }
    let mut original = mark.into_bytes();
    original.extend_from_slice(payload);
    Source {
        file_name: format!("{archive_name}#{url}"),
        format: Format::Warc,
        text,
        saved_from: Some(url.to_owned()),
        resources,
        original: original.into(),
        warnings,
        captured: captured.map(|at| Capture {
            at,
            from: CapturedFrom::WarcDate,
        }),
    }
}

/// The `charset` parameter of a content type.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// True when a header value can be written inside an HTML comment as it is.
fn safe_in_comment(value: &str) -> bool {
    value.len() <= 200
        && !value.contains("--")
        && value
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'>')
}

/// The charset a page taken out of a web archive had in its HTTP response,
/// as Folio wrote it into the page's stored original: the line after the
/// "saved from" mark at its very start.
pub(crate) fn stored_charset(original: &[u8]) -> Option<String> {
    let head = &original[..original.len().min(64 * 1024)];
    if !head.starts_with(b"<!-- saved from url=(") {
        return None;
    }
    let line_end = memchr::memchr(b'\n', head)?;
    let rest = head[line_end + 1..].strip_prefix(CONTENT_TYPE_MARK.as_bytes())?;
    let end = memchr::memchr(b'\n', rest)?;
    let value = std::str::from_utf8(&rest[..end])
        .ok()?
        .strip_suffix(" -->")?;
    charset_of(value)
}

/// When a page taken out of a web archive was captured, as Folio wrote it
/// into the page's stored original: one of the two lines after the "saved
/// from" mark at its very start.
pub(crate) fn stored_capture(original: &[u8]) -> Option<Capture> {
    let head = &original[..original.len().min(64 * 1024)];
    if !head.starts_with(b"<!-- saved from url=(") {
        return None;
    }
    let mut rest = head;
    for _ in 0..3 {
        let line_end = memchr::memchr(b'\n', rest)?;
        let line = &rest[..line_end];
        if let Some(value) = line.strip_prefix(CAPTURED_MARK.as_bytes()) {
            let value = std::str::from_utf8(value).ok()?.strip_suffix(" -->")?;
            return Some(Capture {
                at: from_iso_date_time(value)?,
                from: CapturedFrom::WarcDate,
            });
        }
        rest = &rest[line_end + 1..];
    }
    None
}
