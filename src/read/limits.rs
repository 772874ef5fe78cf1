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
/// Widest or tallest image whose header is trusted enough to decode it.
pub const MAX_IMAGE_SIDE: u32 = 30_000;
/// Most memory the decoder may allocate for one image (thumbnails); two
/// images decode at once at most per core, so this bounds an import's peak.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Deepest element nesting kept: deeper start tags are dropped before parsing
/// (`read::nesting`), and the extractor flattens anything deeper to text.
pub const MAX_DEPTH: usize = 512;
/// Most attributes kept on one tag; later ones are cut before parsing
/// (`read::nesting`: html5ever's duplicate check is quadratic).
pub const MAX_ATTRIBUTES: usize = 128;
/// Most elements (start tags) kept in one page; later tags are cut before
/// parsing and their text joins the last element kept (`read::nesting`).
pub const MAX_ELEMENTS: usize = 250_000;
/// Most blocks kept in one extracted body; the rest is cut with a warning.
pub const MAX_BLOCKS: usize = 50_000;
/// Most text kept in one extracted body (bytes of its plain text); the rest
/// is cut with a warning.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Longest one page may take to read and extract in an import or
/// re-extraction before it fails with its reason and the batch goes on.
pub const PAGE_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);
/// Deepest nesting of quotes, lists and inline emphasis/links in an
/// extracted body; deeper ones are flattened into their parent (the body is
/// stored as JSON, read back with serde_json's recursion limit of 128).
pub const MAX_MODEL_NESTING: usize = 16;
/// Largest page text given to the readability pass (which holds several
/// copies of the document); bigger pages are converted whole.
pub const MAX_READABILITY_BYTES: usize = 8 * 1024 * 1024;
/// Most files one import discovers.
pub const MAX_FILES_PER_IMPORT: usize = 1_000_000;

/// An image reader for `bytes` that refuses images wider or taller than
/// [`MAX_IMAGE_SIDE`] and allocations over `max_alloc` bytes.
pub fn limited_image_reader(
    bytes: &[u8],
    max_alloc: u64,
) -> image::ImageResult<image::ImageReader<std::io::Cursor<&[u8]>>> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    Ok(reader)
}
