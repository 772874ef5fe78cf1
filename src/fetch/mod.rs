//! All of Folio's network access: downloading images that saved pages point
//! at by URL only. Nothing here runs unless the user asks (`folio
//! fetch-images`, the reader's "Fetch image" button, or the
//! `fetch_images_on_import` setting); `--offline` and the `offline` setting
//! forbid it altogether (checked by [`missing::fetch_missing`] and the CLI).
//!
//! The client ([`Fetcher`], over `ureq` with rustls) enforces: http and https
//! only (also for every redirect), connect/read/total timeouts, a size cap
//! checked while streaming, a redirect limit with loop detection, at most a
//! few requests per host at a time and a small pool of threads overall, and
//! that the bytes are an image: the whole image must decode within the
//! limits of [`crate::read::limits`] (an HTML error page named `.jpg`, a
//! truncated stream, or a header claiming more than
//! [`MAX_IMAGE_PIXELS`] is refused). SVG, as at import, is
//! recognised by its first bytes and kept as written, never parsed or
//! rendered (its entities are never resolved). Every failure is one
//! [`FetchError`] naming the URL.
//!
//! This module never touches SQL or egui: it stores through
//! [`crate::library::Library`]'s API only.

mod client;
pub mod missing;

pub use client::{
    FetchError, FetchOptions, FetchedImage, Fetcher, SETTING_FETCH_ON_IMPORT, SETTING_OFFLINE,
    SVG_MIME, check_image, fetch_url, is_on, parse_bool,
};
pub use missing::{FetchMissingError, FetchReport, ImageOutcome, fetch_missing, is_offline};
