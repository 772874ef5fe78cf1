//! Every size limit Folio applies to input, in one place (documented in README.md).

/// Largest saved page read at all (bytes). Bigger files are refused with an error.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest single resource (image) read from a page's folder or decoded from a `data:` URI.
pub const MAX_RESOURCE_BYTES: usize = 32 * 1024 * 1024;
/// Total resource bytes kept for one page.
pub const MAX_RESOURCES_TOTAL_BYTES: usize = 256 * 1024 * 1024;
/// Most resources kept for one page.
pub const MAX_RESOURCES: usize = 2_000;
/// Most parts read from one MHTML file.
pub const MAX_MHTML_PARTS: usize = 5_000;
/// Largest image (width × height) decoded for dimensions or thumbnails.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;
/// Deepest element nesting the extractor walks; deeper content is flattened.
pub const MAX_DEPTH: usize = 512;
/// Most files one import discovers.
pub const MAX_FILES_PER_IMPORT: usize = 1_000_000;
