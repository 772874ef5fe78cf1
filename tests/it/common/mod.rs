//! Helpers shared by the integration tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup
#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};

use folio::model::Article;

/// The folder of test fixtures (copied from the shared corpus; see tests/fixtures/SOURCES.md).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The seed article's path.
pub fn seed_path() -> PathBuf {
    fixtures().join("seed/000_2ed360ca1ed3b761.txt")
}

/// Read and extract one file, panicking with the file name on a read error.
pub fn extract_file(path: &Path) -> Article {
    let source = folio::read::read_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    folio::extract::extract(&source)
}

/// Lowercased word tokens; every CJK character is a token of its own.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if folio::extract::text::is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Token F1 between two texts (multiset overlap).
pub fn token_f1(got: &str, want: &str) -> f64 {
    use std::collections::HashMap;
    let count = |text: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in tokens(text) {
            *m.entry(t).or_default() += 1;
        }
        m
    };
    let (g, w) = (count(got), count(want));
    let total_g: usize = g.values().sum();
    let total_w: usize = w.values().sum();
    if total_g == 0 && total_w == 0 {
        return 1.0;
    }
    let overlap: usize = g
        .iter()
        .map(|(k, n)| (*n).min(*w.get(k).unwrap_or(&0)))
        .sum();
    if overlap == 0 {
        return 0.0;
    }
    let p = overlap as f64 / total_g as f64;
    let r = overlap as f64 / total_w as f64;
    2.0 * p * r / (p + r)
}

/// The `folio` binary built for these tests, as a command with no standard
/// input and no backtraces (a test reads what a user would see).
pub fn folio() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_folio"));
    command
        .stdin(std::process::Stdio::null())
        .env("RUST_BACKTRACE", "0");
    command
}

/// `folio --library LIBRARY ARGS…`, run to completion.
pub fn folio_on(library: &Path, args: &[&str]) -> std::process::Output {
    folio()
        .arg("--library")
        .arg(library)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run folio: {e}"))
}

/// A PNG whose header claims `w`×`h` pixels (with a valid CRC) over a
/// stream of almost no data; with `end`, an `IEND` chunk closes it.
pub fn png_header_claiming(w: u32, h: u32, end: bool) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
        png.extend(kind);
        png.extend(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend(crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    if end {
        chunk(b"IEND", &[]);
    }
    png
}

/// A page source named `name` whose original bytes are `original` (for
/// storing hand-made articles).
pub fn source(name: &str, original: &str) -> folio::read::Source {
    folio::read::Source {
        file_name: name.to_owned(),
        format: folio::read::Format::Html,
        text: original.to_owned(),
        saved_from: None,
        resources: folio::read::Resources::default(),
        original: std::sync::Arc::from(original.as_bytes()),
        warnings: Vec::new(),
        captured: None,
    }
}

/// A paragraph of plain text.
pub fn para(text: &str) -> folio::model::Block {
    folio::model::Block::Paragraph {
        inlines: vec![folio::model::Inline::text(text)],
    }
}
