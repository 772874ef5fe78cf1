//! Folio: a native desktop archive manager for saved web articles.
//!
//! Data flows one way: [`read`] turns a path into a decoded [`read::Source`],
//! [`extract`] turns that into a [`model::Article`], [`library`] stores it in
//! one SQLite file, and the views ([`cli`], [`app`]) show it; [`cite`] turns a
//! stored article into a citation. See
//! ARCHITECTURE.md for what each module owns.

pub mod app;
pub mod cite;
pub mod cli;
pub mod export;
pub mod extract;
pub mod fetch;
pub mod jobs;
pub mod library;
pub mod model;
pub mod read;
pub mod samples;
pub mod serve;
