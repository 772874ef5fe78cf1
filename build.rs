//! Embeds the sample articles of `assets/samples/` into the binary, so
//! `folio --sample` works wherever the binary is copied.

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
