//! Folio's integration tests, as one crate: each file is a module, so the
//! library and its dependency stack are linked into one test binary instead
//! of one per file (the window's tests, `tests/gui.rs`, are the second).
//! Run one area with `cargo test --test it library_basic::` (a module path
//! filters its tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

mod common;

mod annotations;
mod architecture;
mod cite;
mod cli;
mod crash;
mod edits;
mod export;
mod extract_cn_news;
mod extract_formats;
mod extract_mirror;
mod extract_mirror_variants;
mod extract_readability;
mod extract_seed;
mod fetch;
mod highlights_list;
mod hostile;
mod hostile_library;
mod hostile_read;
mod import_saves;
mod library_basic;
mod library_import;
mod library_schema;
mod library_search_prop;
mod licences;
mod open_with;
mod organise;
mod prop_extract;
mod provenance;
mod search_scripts;
mod undo_library;
mod versions;
mod view_as_saved;
