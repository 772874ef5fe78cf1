//! Embeds the sample articles of `assets/samples/` into the binary, so
//! `folio --sample` works wherever the binary is copied, and writes the
//! per-character Traditional-to-Simplified table of the search fold
//! (`library::fold`) from OpenCC's character dictionary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("assets/samples");
    // A directory is watched whole, files added or removed included.
    println!("cargo:rerun-if-changed=assets/samples");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Sample files: (path relative to assets/samples, bytes).\npub static SAMPLES: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let rel = file
            .strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        // Resolved when the crate compiles, not here: a build script's output
        // may be reused from a copy of the tree at another path.
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/assets/samples/{rel}")
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    if let Err(err) = std::fs::write(out_dir.join("samples.rs"), out) {
        #[allow(clippy::panic)] // a build script fails the build by panicking
        {
            panic!("cannot write samples.rs: {err}");
        }
    }
    let table = t2s_table();
    if let Err(err) = std::fs::write(out_dir.join("t2s.rs"), table) {
        #[allow(clippy::panic)] // a build script fails the build by panicking
        {
            panic!("cannot write t2s.rs: {err}");
        }
    }
}

/// The ranges of characters OpenCC's Traditional-to-Simplified dictionary is
/// asked about: the CJK unified ideographs, extensions and compatibility
/// ideographs (every key of `TSCharacters` lies in them).
const HAN: &[(u32, u32)] = &[
    (0x2E80, 0x2FDF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
];

/// `static T2S: &[(char, char)]`, sorted: each Han character that OpenCC's
/// `t2s` conversion turns into one other character, with that character
/// (followed to its end, so folding twice changes nothing). Asked one
/// character per line, so phrases never apply: the table is per character.
fn t2s_table() -> String {
    use ferrous_opencc::{OpenCC, config::BuiltinConfig};
    let chars: Vec<char> = HAN
        .iter()
        .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
        .collect();
    let input: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
    let converted = match OpenCC::from_config(BuiltinConfig::T2s) {
        Ok(cc) => cc.convert(&input),
        #[allow(clippy::panic)] // a build script fails the build by panicking
        Err(err) => panic!("OpenCC's t2s dictionary does not load: {err}"),
    };
    let lines: Vec<&str> = converted.split('\n').collect();
    let mut map = std::collections::BTreeMap::new();
    for (&c, line) in chars.iter().zip(&lines) {
        let mut out = line.chars();
        if let (Some(to), None) = (out.next(), out.next())
            && to != c
        {
            map.insert(c, to);
        }
    }
    let mut out = String::from(
        "/// Traditional → Simplified, one character each (OpenCC `t2s`), sorted.\n\
         pub(crate) static T2S: &[(char, char)] = &[\n",
    );
    for (&from, &first) in &map {
        // Follow chains (a → b → c) to their end, at most a few steps.
        let mut to = first;
        for _ in 0..4 {
            match map.get(&to) {
                Some(&next) if next != from && next != to => to = next,
                _ => break,
            }
        }
        let _ = writeln!(out, "    ({from:?}, {to:?}),");
    }
    out.push_str("];\n");
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
