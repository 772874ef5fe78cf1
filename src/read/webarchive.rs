//! Safari `.webarchive` files: a property list (binary `bplist00`, or XML)
//! holding `WebMainResource`, `WebSubresources` and `WebSubframeArchives`.
//!
//! Promise: the page's text is decoded with the encoding the archive names
//! (`WebResourceTextEncodingName`: Safari re-encodes what it stores, so that
//! name wins over the page's own `<meta charset>`); every subresource, and
//! every resource of a subframe archive (nested at most
//! [`MAX_SUBFRAME_DEPTH`] deep), is a resource keyed by its URL; nothing
//! outside the file is read.

use plist::{Dictionary, Value};

use super::limits::MAX_MHTML_PARTS;
use super::{ArchiveDocument, Resources};

/// Deepest subframe archive whose resources are read.
pub const MAX_SUBFRAME_DEPTH: usize = 8;

/// True when the bytes are a property list holding a web archive.
pub(super) fn looks_like_webarchive(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"bplist00") {
        let head = &bytes[..bytes.len().min(4096)];
        return head.windows(15).any(|w| w == b"WebMainResource");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    head.trim_start().starts_with("<?xml")
        && head.contains("<plist")
        && head.contains("<key>WebMainResource</key>")
}

/// Read a webarchive.
pub(super) fn parse(bytes: &[u8]) -> Result<ArchiveDocument, String> {
    let value = Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|err| format!("not a readable property list: {err}"))?;
    let archive = value
        .as_dictionary()
        .ok_or_else(|| "the property list is not a dictionary".to_owned())?;
    let main = archive
        .get("WebMainResource")
        .and_then(Value::as_dictionary)
        .ok_or_else(|| "the archive has no WebMainResource".to_owned())?;
    let data = main
        .get("WebResourceData")
        .and_then(Value::as_data)
        .ok_or_else(|| "the main resource has no data".to_owned())?;
    let mut warnings = Vec::new();
    let encoding = main
        .get("WebResourceTextEncodingName")
        .and_then(Value::as_string);
    let html = super::charset::decode_document(data, encoding, &mut warnings);
    let location = main
        .get("WebResourceURL")
        .and_then(Value::as_string)
        .map(str::to_owned);
    let mut resources = Resources::default();
    let mut count = 0;
    collect(archive, 0, &mut resources, &mut count, &mut warnings);
    let dropped = resources.dropped() + count.saturating_sub(MAX_MHTML_PARTS);
    let base = location.clone();
    Ok(ArchiveDocument {
        html,
        location,
        resources,
        warnings,
    }
    .finish(
        base.as_deref(),
        dropped,
        count,
        &format!(", and at most {MAX_MHTML_PARTS} are read"),
    ))
}

/// Add an archive's subresources, and recursively its subframes' main
/// resources and subresources, to `resources`.
fn collect(
    archive: &Dictionary,
    depth: usize,
    resources: &mut Resources,
    count: &mut usize,
    warnings: &mut Vec<String>,
) {
    let subresources = archive
        .get("WebSubresources")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for resource in subresources.iter().filter_map(Value::as_dictionary) {
        add(resource, resources, count);
    }
    let frames = archive
        .get("WebSubframeArchives")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if !frames.is_empty() && depth >= MAX_SUBFRAME_DEPTH {
        warnings.push(format!(
            "subframe archives nested deeper than {MAX_SUBFRAME_DEPTH} were not read"
        ));
        return;
    }
    for frame in frames.iter().filter_map(Value::as_dictionary) {
        if let Some(main) = frame.get("WebMainResource").and_then(Value::as_dictionary) {
            add(main, resources, count);
        }
        collect(frame, depth + 1, resources, count, warnings);
    }
}

fn add(resource: &Dictionary, resources: &mut Resources, count: &mut usize) {
    let (Some(url), Some(data)) = (
        resource.get("WebResourceURL").and_then(Value::as_string),
        resource.get("WebResourceData").and_then(Value::as_data),
    ) else {
        return;
    };
    *count += 1;
    // Past the limit they are counted, not copied (see `parse`'s warning).
    if *count <= MAX_MHTML_PARTS {
        resources.insert(url, data.to_vec());
    }
}
