//! Any bytes through `read_bytes` + `extract`: must never panic, hang or blow up memory.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = folio::read::read_bytes(Path::new("fuzz.html"), "fuzz.html", data.into())
    {
        std::hint::black_box(folio::extract::extract(&source));
    }
});
