//! Safari `.webarchive` files: a property list (binary `bplist00`, or XML)
//! holding `WebMainResource`, `WebSubresources` and `WebSubframeArchives`.
//!
//! Promise: the page's text is decoded with the encoding the archive names
//! (`WebResourceTextEncodingName`: Safari re-encodes what it stores, so that
//! name wins over the page's own `<meta charset>`); every subresource, and
//! every resource of a subframe archive (nested at most
//! [`MAX_SUBFRAME_DEPTH`] deep), is a resource keyed by its URL; nothing
//! outside the file is read. The property list is read as a stream of
//! events into a tree of at most [`MAX_PLIST_DEPTH`] levels and
//! [`expansion_budget`] bytes, checked as it is read: a binary property
//! list names shared objects by reference, and each reference is copied
//! whole, so a few kilobytes can otherwise expand to gigabytes (and a deep
//! one overflow the stack).

use plist::stream::Event;
use plist::{Dictionary, Value};

use super::limits::MAX_MHTML_PARTS;
use super::resources::Resources;
use super::source::ArchiveDocument;

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

/// Deepest nesting of arrays and dictionaries read in a property list (a
/// webarchive's subframes [`MAX_SUBFRAME_DEPTH`] deep need about 30).
pub const MAX_PLIST_DEPTH: usize = 128;

/// Bytes a property list of `len` bytes may expand to while it is read:
/// twice its size and 16 MiB more (Safari shares keys and MIME types, never
/// a resource's data). Every value counts its bytes and 32 more.
pub fn expansion_budget(len: usize) -> usize {
    len.saturating_mul(2).saturating_add(16 * 1024 * 1024)
}

/// Read a webarchive.
pub(super) fn parse(bytes: &[u8]) -> Result<ArchiveDocument, String> {
    let value = read_bounded(bytes, expansion_budget(bytes.len()))?;
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
        // A webarchive states no capture date Folio reads: its file time
        // is taken by `read_path`.
        captured: None,
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

/// A container being read: an array, or a dictionary with the key whose
/// value comes next.
enum Open {
    Array(Vec<Value>),
    Dictionary(Dictionary, Option<String>),
}

/// Read a property list (binary or XML) into a [`Value`], refusing one
/// nested deeper than [`MAX_PLIST_DEPTH`] or expanding to more than
/// `budget` bytes, as soon as it does. Iterative: no depth can reach the
/// stack.
fn read_bounded(bytes: &[u8], budget: usize) -> Result<Value, String> {
    let unreadable = |err: plist::Error| format!("not a readable property list: {err}");
    let mut stack: Vec<Open> = Vec::new();
    let mut used = 0usize;
    for event in plist::stream::Reader::new(std::io::Cursor::new(bytes)) {
        let event = event.map_err(unreadable)?;
        let size = match &event {
            Event::Data(data) => data.len(),
            Event::String(text) => text.len(),
            _ => 0,
        };
        used = used.saturating_add(size + 32);
        if used > budget {
            return Err(format!(
                "the property list expands to more than {budget} bytes as it is read (its \
                 objects are shared by reference many times); it was not read"
            ));
        }
        let value = match event {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                if stack.len() >= MAX_PLIST_DEPTH {
                    return Err(format!(
                        "the property list is nested deeper than {MAX_PLIST_DEPTH} levels; it \
                         was not read"
                    ));
                }
                stack.push(match event {
                    Event::StartArray(_) => Open::Array(Vec::new()),
                    _ => Open::Dictionary(Dictionary::new(), None),
                });
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Dictionary(dict, None)) => Value::Dictionary(dict),
                Some(Open::Dictionary(_, Some(key))) => {
                    return Err(format!("the property list's key {key:?} has no value"));
                }
                None => return Err("the property list ends a collection never begun".to_owned()),
            },
            Event::Boolean(b) => Value::Boolean(b),
            Event::Data(data) => Value::Data(data.into_owned()),
            Event::Date(date) => Value::Date(date),
            Event::Integer(n) => Value::Integer(n),
            Event::Real(x) => Value::Real(x),
            Event::String(text) => Value::String(text.into_owned()),
            Event::Uid(uid) => Value::Uid(uid),
            _ => continue,
        };
        match stack.last_mut() {
            None => return Ok(value),
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Dictionary(dict, key)) => match key.take() {
                Some(key) => {
                    dict.insert(key, value);
                }
                None => match value {
                    Value::String(name) => *key = Some(name),
                    _ => return Err("a property list key is not a string".to_owned()),
                },
            },
        }
    }
    Err("the property list ends early".to_owned())
}
