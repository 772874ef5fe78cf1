//! Stored images decoded to pixels for the window, on the worker thread
//! (never on the GUI thread), within [`MAX_TEXTURE_EDGE`].

use crate::library::Library;
use std::sync::Arc;

/// Largest edge of a decoded reader image (pixels); bigger images are scaled down.
pub const MAX_TEXTURE_EDGE: u32 = 2048;

/// The stored image `sha256` (its small version when `thumbnail`), decoded;
/// `None` when it cannot be read or decoded (the window then shows it as
/// missing, and stops waiting for it).
pub(super) fn load(
    library: &Library,
    sha256: &str,
    thumbnail: bool,
) -> Option<Arc<egui::ColorImage>> {
    let data = if thumbnail {
        library.thumbnail(sha256)
    } else {
        library.image_bytes(sha256)
    };
    let data = data.unwrap_or_else(|err| {
        log::warn!("cannot read image {sha256}: {err}");
        None
    });
    data.and_then(|d| decode_image(&d.bytes)).map(Arc::new)
}

/// Decode image bytes to pixels within [`MAX_TEXTURE_EDGE`] (never on the GUI thread).
pub fn decode_image(bytes: &[u8]) -> Option<egui::ColorImage> {
    // One image at a time here, so more memory than an import's decoders get.
    let mut img = crate::read::limits::limited_image_reader(bytes, 512 * 1024 * 1024)
        .ok()?
        .decode()
        .ok()?;
    if img.width() > MAX_TEXTURE_EDGE || img.height() > MAX_TEXTURE_EDGE {
        img = img.thumbnail(MAX_TEXTURE_EDGE, MAX_TEXTURE_EDGE);
    }
    let rgba = img.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}
