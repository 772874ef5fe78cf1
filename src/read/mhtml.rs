//! MHTML (`multipart/related`) archives, parsed with `mail-parser`.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, MessageParser, MimeHeaders, PartType};

use super::limits::MAX_MHTML_PARTS;
use super::{ArchiveDocument, Resources};

/// True when the head of the file looks like a MIME message with a multipart body.
pub(super) fn looks_like_mhtml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = head.trim_start();
    if trimmed.starts_with('<') {
        return false;
    }
    (head.contains("mime-version:") || head.contains("snapshot-content-location:"))
        && head.contains("content-type:")
        && head.contains("multipart/")
}

pub(super) fn parse(bytes: &[u8]) -> Result<ArchiveDocument, String> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| "not a MIME message".to_owned())?;
    let mut warnings = Vec::new();
    let location = message
        .header_raw("Snapshot-Content-Location")
        .map(|s| s.trim().to_owned());
    let mut html: Option<(String, Option<String>)> = None;
    let mut resources = Resources::default();
    // Resource parts read (each under its location or its `cid:`).
    let mut count = 0;
    if message.parts.len() > MAX_MHTML_PARTS {
        warnings.push(format!(
            "the archive has {} parts; only the first {MAX_MHTML_PARTS} were read",
            message.parts.len()
        ));
    }
    for part in message.parts.iter().take(MAX_MHTML_PARTS) {
        let content_location = part.content_location().map(|s| s.trim().to_owned());
        match &part.body {
            PartType::Html(text) if html.is_none() => {
                let decoded = html_part_text(bytes, part, &mut warnings);
                html = Some((
                    decoded.unwrap_or_else(|| text.to_string()),
                    content_location,
                ));
            }
            PartType::Binary(data) | PartType::InlineBinary(data) => {
                let cid = part
                    .content_id()
                    .map(|cid| format!("cid:{}", cid.trim_matches(['<', '>'])));
                // Held once: a part named both ways is found by its `cid:`
                // through an alias, its bytes neither copied nor counted twice.
                match (&content_location, &cid) {
                    (Some(loc), cid) => {
                        resources.insert(loc, data.to_vec());
                        if let Some(cid) = cid {
                            resources.alias(cid, loc);
                        }
                    }
                    (None, Some(cid)) => resources.insert(cid, data.to_vec()),
                    (None, None) => continue,
                }
                count += 1;
            }
            _ => {}
        }
    }
    let (html, html_location) = html.ok_or_else(|| "the archive has no HTML part".to_owned())?;
    let dropped = resources.dropped();
    Ok(ArchiveDocument {
        html,
        location: location.or_else(|| html_location.clone()),
        resources,
        warnings,
    }
    .finish(html_location.as_deref(), dropped, count, ""))
}

/// The HTML part's text decoded as Folio decodes any page: the part's bytes
/// (transfer encoding undone) with its MIME `charset` as the declaration, so
/// a Word save in GB2312 reads as Chinese. `None` when the bytes cannot be
/// had (then mail-parser's own decoding is kept).
fn html_part_text(
    raw: &[u8],
    part: &mail_parser::MessagePart<'_>,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let start = usize::try_from(part.offset_body).ok()?;
    let end = usize::try_from(part.offset_end).ok()?;
    let body = raw.get(start..end)?;
    let bytes = match part.encoding {
        Encoding::QuotedPrintable => quoted_printable_decode(body)?,
        Encoding::Base64 => base64_decode(body)?,
        Encoding::None => body.to_vec(),
    };
    let declared = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .map(str::to_owned);
    Some(super::charset::decode_document(
        &bytes,
        declared.as_deref(),
        warnings,
    ))
}
