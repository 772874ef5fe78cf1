//! Issue 21, the reader's faults: hostile web archives, webarchives and
//! MHTML files, made here at test time, imported by the real `folio import`
//! in a child process whose peak memory (VmHWM) is measured. Each batch
//! holds the seed article too, which must import whatever its neighbours do.

use crate::common;

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// Longest one import may take (a debug build on a shared 2-core machine).
const TIME_BOUND: Duration = Duration::from_secs(240);

/// What one `folio import --json` child did.
struct Run {
    code: Option<i32>,
    report: Value,
    stderr: String,
    peak_kib: u64,
}

impl Run {
    /// The failure reason reported for a file whose name ends with `name`.
    fn failure(&self, name: &str) -> Option<String> {
        self.report["failed"]
            .as_array()?
            .iter()
            .find(|f| f["file"].as_str().is_some_and(|p| p.ends_with(name)))
            .map(|f| f["reason"].as_str().unwrap_or("").to_owned())
    }

    fn peak_mib(&self) -> u64 {
        self.peak_kib / 1024
    }
}

/// A library and a batch folder holding the seed article.
struct Batch {
    _dir: TempDir,
    library: PathBuf,
    folder: PathBuf,
}

impl Batch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("batch");
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy(common::seed_path(), folder.join("000_2ed360ca1ed3b761.txt")).unwrap();
        Self {
            library: dir.path().join("lib.folio"),
            folder,
            _dir: dir,
        }
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.folder.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `folio import --json` of the batch folder, measuring the child's peak memory.
    fn import(&self) -> Run {
        let mut child = common::folio()
            .arg("--library")
            .arg(&self.library)
            .arg("import")
            .arg("--json")
            .arg(&self.folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = Vec::new();
            out.read_to_end(&mut s).unwrap();
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = Vec::new();
            err.read_to_end(&mut s).unwrap();
            s
        });
        let start = Instant::now();
        let mut peak_kib = 0;
        let status = loop {
            if let Some(kib) = vm_hwm_kib(child.id()) {
                peak_kib = peak_kib.max(kib);
            }
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > TIME_BOUND {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("the import took over {TIME_BOUND:?} (peak {peak_kib} KiB so far)");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let stdout = out.join().unwrap();
        let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
        let report = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
            panic!(
                "no JSON report ({e}), status {status:?}:\n{}\n{stderr}",
                String::from_utf8_lossy(&stdout)
            )
        });
        let run = Run {
            code: status.code(),
            report,
            stderr,
            peak_kib,
        };
        eprintln!(
            "import: {:?} in {:.1?}, peak {} MiB",
            run.code,
            start.elapsed(),
            run.peak_mib()
        );
        assert!(
            matches!(run.code, Some(0 | 1)),
            "the import crashed ({:?}): {}",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(run.peak_kib > 0, "could not measure the child's memory");
        run
    }

    /// The library, checked to hold the seed article.
    fn library(&self) -> folio::library::Library {
        let lib = folio::library::Library::open(&self.library).unwrap();
        assert_eq!(
            lib.search("售后新政", 10, 0).unwrap().len(),
            1,
            "the good file of the batch was not imported"
        );
        lib
    }
}

/// Peak resident set size of a live process, in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A page with a title and a paragraph around `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>An article about hostile input, long enough \
         to be an article: it has a few sentences of ordinary text, so that the \
         readability pass keeps it.</p>{body}<p>The end of the article.</p></article></body></html>"
    )
}

// ---- binary property lists, written by hand (shared objects included) -----

/// A binary property list under construction: objects in the order added,
/// referred to by index (4-byte references and offsets).
#[derive(Default)]
struct Bplist {
    objects: Vec<Vec<u8>>,
}

impl Bplist {
    /// An empty list whose first object names `WebMainResource` (Folio
    /// knows a webarchive by that key near the start of the file).
    fn new() -> Self {
        let mut list = Self::default();
        list.string("WebMainResource");
        list
    }

    fn marker(kind: u8, len: usize) -> Vec<u8> {
        if len < 15 {
            vec![kind << 4 | len as u8]
        } else {
            let mut out = vec![kind << 4 | 0x0F, 0x12];
            out.extend_from_slice(&(len as u32).to_be_bytes());
            out
        }
    }

    fn add(&mut self, object: Vec<u8>) -> u32 {
        self.objects.push(object);
        (self.objects.len() - 1) as u32
    }

    fn data(&mut self, data: &[u8]) -> u32 {
        let mut out = Self::marker(0x4, data.len());
        out.extend_from_slice(data);
        self.add(out)
    }

    fn string(&mut self, text: &str) -> u32 {
        assert!(text.is_ascii());
        let mut out = Self::marker(0x5, text.len());
        out.extend_from_slice(text.as_bytes());
        self.add(out)
    }

    fn array(&mut self, refs: &[u32]) -> u32 {
        let mut out = Self::marker(0xA, refs.len());
        for r in refs {
            out.extend_from_slice(&r.to_be_bytes());
        }
        self.add(out)
    }

    fn dict(&mut self, pairs: &[(u32, u32)]) -> u32 {
        let mut out = Self::marker(0xD, pairs.len());
        for (k, _) in pairs {
            out.extend_from_slice(&k.to_be_bytes());
        }
        for (_, v) in pairs {
            out.extend_from_slice(&v.to_be_bytes());
        }
        self.add(out)
    }

    /// A resource dictionary (URL, MIME type, data).
    fn resource(&mut self, url: &str, mime: &str, data: &[u8]) -> u32 {
        let pairs = [
            ("WebResourceURL", self.string(url)),
            ("WebResourceMIMEType", self.string(mime)),
            ("WebResourceData", self.data(data)),
        ];
        let pairs: Vec<(u32, u32)> = pairs
            .into_iter()
            .map(|(k, v)| (self.string(k), v))
            .collect();
        self.dict(&pairs)
    }

    /// A webarchive's root: its main resource (`html`) and `more` entries.
    fn webarchive(&mut self, html: &str, more: &[(&str, u32)]) -> u32 {
        let main = self.resource("https://example.com/story", "text/html", html.as_bytes());
        let mut pairs = vec![(self.string("WebMainResource"), main)];
        for (key, value) in more {
            pairs.push((self.string(key), *value));
        }
        self.dict(&pairs)
    }

    fn finish(self, root: u32) -> Vec<u8> {
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for object in &self.objects {
            offsets.push(out.len() as u32);
            out.extend_from_slice(object);
        }
        let table = out.len() as u64;
        for offset in offsets {
            out.extend_from_slice(&offset.to_be_bytes());
        }
        out.extend_from_slice(&[0; 6]);
        out.extend_from_slice(&[4, 4]);
        out.extend_from_slice(&(self.objects.len() as u64).to_be_bytes());
        out.extend_from_slice(&u64::from(root).to_be_bytes());
        out.extend_from_slice(&table.to_be_bytes());
        out
    }
}

/// Fault 9: a webarchive nested 50,000 deep (binary or XML) overflowed the
/// stack of the thread reading it and aborted the whole import. Now each
/// fails alone with its reason; a good webarchive in the same import is
/// imported.
#[test]
fn a_webarchive_nested_50000_deep_fails_alone() {
    let b = Batch::new();
    let html = page("A good webarchive", "<p>Safari saved this one.</p>");
    let mut good = Bplist::new();
    let root = good.webarchive(&html, &[]);
    b.write("good.webarchive", good.finish(root));

    let mut deep = Bplist::new();
    let mut inner = deep.array(&[]);
    for _ in 0..50_000 {
        inner = deep.array(&[inner]);
    }
    let root = deep.webarchive(
        &page("Deep", "<p>deep</p>"),
        &[("WebSubframeArchives", inner)],
    );
    let binary = deep.finish(root);
    assert!(binary.len() < 500 * 1024, "{}", binary.len());
    b.write("deep-binary.webarchive", binary);

    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>\
         <key>WebMainResource</key><dict><key>WebResourceData</key><data>PHA+ZGVlcDwvcD4=</data>\
         <key>WebResourceURL</key><string>https://example.com/x</string></dict>\
         <key>WebSubframeArchives</key>",
    );
    xml.push_str(&"<array>".repeat(50_000));
    xml.push_str(&"</array>".repeat(50_000));
    xml.push_str("</dict></plist>\n");
    b.write("deep-xml.webarchive", xml);

    let run = b.import();
    assert_eq!(run.code, Some(1), "{}", run.report);
    for name in ["deep-binary.webarchive", "deep-xml.webarchive"] {
        let reason = run
            .failure(name)
            .unwrap_or_else(|| panic!("{name} did not fail: {}", run.report));
        assert!(reason.contains("nested deeper than"), "{reason}");
    }
    let lib = b.library();
    assert_eq!(
        lib.search("\"Safari saved this one\"", 10, 0)
            .unwrap()
            .len(),
        1
    );
}

/// Fault 4: a webarchive whose arrays refer to one shared 3 KB data object
/// 300,000 times (a file of 1.2 MB) expanded every reference in full: about
/// a gigabyte. Now the expansion is bounded while it is read: the file
/// fails alone with its reason, far below that.
#[test]
fn a_webarchive_sharing_one_object_300000_times_fails_within_its_bound() {
    let b = Batch::new();
    let mut shared = Bplist::new();
    let data = shared.data(&[b'x'; 3 * 1024]);
    let row = shared.array(&vec![data; 1000]);
    let rows = shared.array(&vec![row; 300]);
    let root = shared.webarchive(
        &page("Shared", "<p>shared</p>"),
        &[("WebSubresources", rows)],
    );
    let file = shared.finish(root);
    assert!(file.len() < 16 * 1024, "{}", file.len());
    b.write("shared.webarchive", file);
    let run = b.import();
    let reason = run
        .failure("shared.webarchive")
        .unwrap_or_else(|| panic!("not failed: {}", run.report));
    assert!(reason.contains("expands to more than"), "{reason}");
    assert!(
        run.peak_mib() < 200,
        "peak {} MiB: the shared object was copied for every reference",
        run.peak_mib()
    );
    b.library();
}

// ---- web archives -----------------------------------------------------------

/// One gzip member of a WARC: a record of `kind` for `uri` holding `block`,
/// with `extra` header lines.
fn warc_member(kind: &str, uri: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    write!(
        encoder,
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n{extra}\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .unwrap();
    encoder.write_all(block).unwrap();
    encoder.write_all(b"\r\n\r\n").unwrap();
    encoder.finish().unwrap()
}

/// An HTTP response block of `body` with `content_type`.
fn http(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// Fault 11: a WARC page whose charset only its HTTP response names (a
/// windows-1251 page whose `<meta charset>` says UTF-8) imported right, but
/// `reextract --all` decoded its stored original by the lying meta and
/// garbled it. The response's content type is now kept with the original.
#[test]
fn reextract_decodes_a_warc_page_with_the_charset_its_response_named() {
    let b = Batch::new();
    let html = page(
        "Статья о Москве",
        "<p>Москва — столица России, и эта статья рассказывает о ней подробно.</p>",
    );
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    let archive = warc_member(
        "response",
        "http://example.ru/moscow",
        "",
        &http("text/html; charset=windows-1251", &cp1251),
    );
    b.write("moscow.warc.gz", archive);
    b.import();
    let find = || {
        let lib = b.library();
        lib.search("столица", 10, 0).unwrap().len()
    };
    assert_eq!(find(), 1, "the import itself decoded the page wrongly");
    let out = common::folio_on(&b.library, &["reextract", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(find(), 1, "re-extraction garbled the page");
    let lib = b.library();
    let id = lib.search("столица", 10, 0).unwrap()[0].summary.id;
    assert_eq!(lib.article(id).unwrap().article.title, "Статья о Москве");
}

/// Fault 3: every page of a web archive carried a copy of all the
/// archive's warnings, and a warning held a record's whole URI: 10 records
/// with a 1 MB URI and `WARC-Truncated` and 10 pages stored 100 MB of
/// warnings. Now the archive's warnings are kept once, on its first page,
/// each shortened; the other pages say where they are.
#[test]
fn an_archives_warnings_are_kept_once_and_bounded() {
    let b = Batch::new();
    let mut archive = Vec::new();
    for i in 0..10 {
        let uri = format!("http://example.com/{i}/{}", "a".repeat(1024 * 1024));
        archive.extend(warc_member(
            "response",
            &uri,
            "WARC-Truncated: length\r\n",
            &http("image/png", b"\x89PNG"),
        ));
    }
    for i in 0..10 {
        let html = page(
            &format!("Archived page {i}"),
            &format!("<p>Page number {i} of the archive.</p>"),
        );
        archive.extend(warc_member(
            "response",
            &format!("http://example.com/page{i}"),
            "",
            &http("text/html; charset=utf-8", html.as_bytes()),
        ));
    }
    b.write("warned.warc.gz", archive);
    let run = b.import();
    assert_eq!(run.report["imported"], 11, "{}", run.report);
    let lib = b.library();
    let mut total = 0;
    let mut with_all = 0;
    for hit in lib.search("archive", 20, 0).unwrap() {
        let warnings = lib.article(hit.summary.id).unwrap().article.warnings;
        total += warnings.iter().map(String::len).sum::<usize>();
        if warnings.iter().any(|w| w.contains("the crawler truncated")) {
            with_all += 1;
        }
    }
    assert_eq!(with_all, 1, "the archive's warnings are not on one page");
    assert!(total < 64 * 1024, "{total} bytes of warnings");
    let size = std::fs::metadata(&b.library).unwrap().len();
    assert!(size < 16 * 1024 * 1024, "the library is {size} bytes");
}

/// Fault 5: every page of a web archive was made and extracted before any
/// was stored, so an archive's pages were all held at once. 240 pages of
/// 1 MiB each (a script the extractor drops) now pass through in chunks.
#[test]
fn an_archives_pages_are_streamed_not_all_held() {
    let b = Batch::new();
    let mut archive = Vec::new();
    let script = format!("<script>var s = \"{}\";</script>", "z".repeat(1024 * 1024));
    for i in 0..240 {
        let html = page(
            &format!("Streamed page {i}"),
            &format!("<p>Page {i}.</p>{script}"),
        );
        archive.extend(warc_member(
            "response",
            &format!("http://example.com/s{i}"),
            "",
            &http("text/html; charset=utf-8", html.as_bytes()),
        ));
    }
    b.write("many.warc.gz", archive);
    let run = b.import();
    assert_eq!(run.report["imported"], 241, "{}", run.report);
    assert!(
        run.peak_mib() < 512,
        "peak {} MiB: the archive's pages were all held",
        run.peak_mib()
    );
    b.library();
}

/// A zip entry (deflated) named `name` holding `data`.
fn zip_entry(zip: &mut zip::ZipWriter<std::fs::File>, name: &str, data: &[u8]) {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file(name, options).unwrap();
    zip.write_all(data).unwrap();
}

/// Fault 5: a WACZ's page lists were each read whole (32 MiB) and every
/// address in them kept: 20 lists of 32 MiB (a few hundred KB in the
/// package) held over 600 MB. Now the lists are read line by line, their
/// addresses bounded together.
#[test]
fn a_waczs_page_lists_are_bounded_together() {
    let b = Batch::new();
    let path = b.folder.join("listed.wacz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let html = page("The listed page", "<p>The one page the archive holds.</p>");
    let warc = warc_member(
        "response",
        "http://example.com/listed",
        "",
        &http("text/html; charset=utf-8", html.as_bytes()),
    );
    zip_entry(&mut zip, "archive/data.warc.gz", &warc);
    let mut list = b"{\"url\": \"http://example.com/listed\"}\n".to_vec();
    let line = format!(
        "{{\"url\": \"http://example.com/{}\"}}\n",
        "u".repeat(60_000)
    );
    while list.len() < 32 * 1024 * 1024 {
        list.extend_from_slice(line.as_bytes());
    }
    for i in 0..20 {
        zip_entry(&mut zip, &format!("pages/list{i:02}.jsonl"), &list);
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 8 * 1024 * 1024);
    let run = b.import();
    assert_eq!(run.report["imported"], 2, "{}", run.report);
    assert!(
        run.peak_mib() < 300,
        "peak {} MiB: the page lists were held",
        run.peak_mib()
    );
    b.library();
}

/// Fault 5: MHTML parts were limited only after mail-parser had read every
/// one: 3 million empty parts (21 MB) held about half a gigabyte. Now the
/// parts past the limit are cut before the parser sees them.
#[test]
fn an_mhtml_of_3_million_parts_is_cut_before_it_is_parsed() {
    let b = Batch::new();
    let html = page("Many parts", "<p>An MHTML page with millions of parts.</p>");
    let mut mhtml = format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/html\r\nContent-Location: http://example.com/\r\n\r\n{html}\r\n"
    )
    .into_bytes();
    for _ in 0..3_000_000 {
        mhtml.extend_from_slice(b"--B\r\n\r\n");
    }
    mhtml.extend_from_slice(b"--B--\r\n");
    b.write("parts.mhtml", mhtml);
    let run = b.import();
    assert_eq!(run.report["imported"], 2, "{}", run.report);
    assert!(
        run.peak_mib() < 200,
        "peak {} MiB: every part was parsed",
        run.peak_mib()
    );
    let lib = b.library();
    let id = lib.search("millions", 10, 0).unwrap()[0].summary.id;
    let warnings = lib.article(id).unwrap().article.warnings;
    assert!(
        warnings.iter().any(|w| w.contains("only the first")),
        "{warnings:?}"
    );
}

/// Fault 6: a WACZ gave each zip entry an allowance of its own, so 300
/// central-directory entries aliasing one gzip member that inflates to
/// 256 MiB inflated 75 GiB (minutes; 65,535 entries, hours). Now one
/// allowance covers everything inflated from the file: reading stops with a
/// warning once it is spent, and the page read before is kept.
#[test]
fn a_waczs_aliased_entries_share_one_allowance() {
    let b = Batch::new();
    let html = page(
        "Before the aliases",
        "<p>The page before the aliased entries.</p>",
    );
    let good = warc_member(
        "response",
        "http://example.com/before",
        "",
        &http("text/html; charset=utf-8", html.as_bytes()),
    );
    let mut huge = http("text/html", b"");
    huge.resize(256 * 1024 * 1024, 0);
    let bomb = warc_member("response", "http://example.com/bomb", "", &huge);
    drop(huge);
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let mut entries = vec![("archive/0.warc.gz".to_owned(), 0u32)];
    let mut file = Vec::new();
    let local = |file: &mut Vec<u8>, name: &str, data: &[u8]| -> u32 {
        let offset = file.len() as u32;
        let mut crc = flate2::Crc::new();
        crc.update(data);
        file.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        file.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        file.extend_from_slice(&crc.sum().to_le_bytes());
        file.extend_from_slice(&(data.len() as u32).to_le_bytes());
        file.extend_from_slice(&(data.len() as u32).to_le_bytes());
        file.extend_from_slice(&(name.len() as u16).to_le_bytes());
        file.extend_from_slice(&0u16.to_le_bytes());
        file.extend_from_slice(name.as_bytes());
        file.extend_from_slice(data);
        offset
    };
    local(&mut file, "archive/0.warc.gz", &good);
    let bomb_at = local(&mut file, "archive/bomb.warc.gz", &bomb);
    let mut crcs = vec![(good.len() as u32, {
        let mut crc = flate2::Crc::new();
        crc.update(&good);
        crc.sum()
    })];
    let bomb_crc = {
        let mut crc = flate2::Crc::new();
        crc.update(&bomb);
        crc.sum()
    };
    for i in 0..300 {
        entries.push((format!("archive/bomb{i:03}.warc.gz"), bomb_at));
        crcs.push((bomb.len() as u32, bomb_crc));
    }
    let directory_at = file.len() as u32;
    for ((name, offset), (size, crc)) in entries.iter().zip(&crcs) {
        file.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        file.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        file.extend_from_slice(&crc.to_le_bytes());
        file.extend_from_slice(&size.to_le_bytes());
        file.extend_from_slice(&size.to_le_bytes());
        file.extend_from_slice(&(name.len() as u16).to_le_bytes());
        file.extend_from_slice(&[0; 12]);
        file.extend_from_slice(&offset.to_le_bytes());
        file.extend_from_slice(name.as_bytes());
    }
    let directory_len = file.len() as u32 - directory_at;
    file.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    file.extend_from_slice(&[0; 4]);
    file.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    file.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    file.extend_from_slice(&directory_len.to_le_bytes());
    file.extend_from_slice(&directory_at.to_le_bytes());
    file.extend_from_slice(&0u16.to_le_bytes());
    let path = b.write("aliases.wacz", &file);

    // Cancel is honoured while the archive is read.
    let cancelled = folio::read::warc::read_archive_until(&path, &|| true);
    let err = cancelled.err().expect("a cancelled read gave pages");
    assert!(err.to_string().contains("cancelled"), "{err}");

    let run = b.import();
    assert_eq!(run.report["imported"], 2, "{}", run.report);
    let lib = b.library();
    let id = lib.search("\"aliased entries\"", 10, 0).unwrap()[0]
        .summary
        .id;
    let warnings = lib.article(id).unwrap().article.warnings;
    assert!(
        warnings.iter().any(|w| w.contains("read only in part")),
        "{warnings:?}"
    );
}

/// Bytes this process has read through system calls so far.
fn bytes_read() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("rchar:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Fault 10: a page showing one 8 MiB image 20,000 times (`img.png?N`)
/// read the image once per reference; past its time budget the import went
/// on but the page's thread read on (160 GB). Now the file is read once,
/// and work past its budget stops at its next check: once the import has
/// returned, this process reads nothing more.
#[test]
fn a_page_past_its_budget_stops_reading() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("page");
    std::fs::create_dir(&folder).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(8 * 1024 * 1024, 0);
    std::fs::write(folder.join("img.png"), &png).unwrap();
    let images: String = (0..20_000)
        .map(|i| format!("<img src=\"img.png?{i}\">"))
        .collect();
    std::fs::write(
        folder.join("page.html"),
        page("One image, many times", &images),
    )
    .unwrap();
    let mut lib = folio::library::Library::open(&dir.path().join("lib.folio")).unwrap();
    let options = folio::library::ImportOptions {
        page_time_budget: Duration::from_secs(2),
        ..folio::library::ImportOptions::default()
    };
    let before = bytes_read();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let report = lib
        .import_paths(&[folder.join("page.html")], &options, &|_| {}, &cancel)
        .unwrap();
    eprintln!("{report:?}");
    let during = bytes_read() - before;
    std::thread::sleep(Duration::from_secs(2));
    let after = bytes_read() - before - during;
    assert!(
        during + after < 1024 * 1024 * 1024,
        "read {during} bytes during the import and {after} after it"
    );
}
