//! MHTML (`multipart/related`) archives, parsed with `mail-parser`.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, MessageParser, MimeHeaders, PartType};

use crate::model::capture::{Capture, CapturedFrom, from_mail_date};

use super::limits::MAX_MHTML_PARTS;
use super::resources::Resources;
use super::source::ArchiveDocument;

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
    let (bytes, cut) = limit_parts(bytes);
    let bytes: &[u8] = &bytes;
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| "not a MIME message".to_owned())?;
    let mut warnings = Vec::new();
    if cut {
        warnings.push(format!(
            "the archive has more than {MAX_MHTML_PARTS} parts; only the first \
             {MAX_MHTML_PARTS} were read"
        ));
    }
    let location = message
        .header_raw("Snapshot-Content-Location")
        .map(|s| s.trim().to_owned());
    // The raw header, parsed by Folio's bounded parser (a header of any
    // length or shape gives a date or nothing).
    let captured = message
        .header_raw("Date")
        .and_then(from_mail_date)
        .map(|at| Capture {
            at,
            from: CapturedFrom::MhtmlDate,
        });
    let mut html: Option<(String, Option<String>)> = None;
    let mut resources = Resources::default();
    // Resource parts read (each under its location or its `cid:`).
    let mut count = 0;
    if !cut && message.parts.len() > MAX_MHTML_PARTS {
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
            // Stylesheets and frames are text parts: kept too, so that the
            // page shown as saved has its styles.
            PartType::Binary(_)
            | PartType::InlineBinary(_)
            | PartType::Text(_)
            | PartType::Html(_) => {
                let data: &[u8] = match &part.body {
                    PartType::Binary(data) | PartType::InlineBinary(data) => data,
                    PartType::Text(text) | PartType::Html(text) => text.as_bytes(),
                    _ => continue,
                };
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
        captured,
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

/// Most distinct boundaries looked for when counting parts.
const MAX_BOUNDARIES: usize = 1_000;

/// The message cut before its part delimiter number [`MAX_MHTML_PARTS`] + 1
/// (the delimiter lines of every boundary it declares counted, nested ones
/// too), closed there, and whether it was cut. mail-parser holds every part
/// it reads, so the limit must apply before it parses, not after.
fn limit_parts(bytes: &[u8]) -> (std::borrow::Cow<'_, [u8]>, bool) {
    use std::collections::HashSet;
    let mut boundaries: HashSet<&[u8]> = HashSet::new();
    for at in memchr::memmem::find_iter(bytes, b"oundary=") {
        if boundaries.len() >= MAX_BOUNDARIES {
            break;
        }
        if at == 0 || !bytes[at - 1].eq_ignore_ascii_case(&b'b') {
            continue;
        }
        let value = &bytes[at + "oundary=".len()..];
        let value = match value.strip_prefix(b"\"") {
            Some(quoted) => &quoted[..memchr::memchr(b'"', quoted).unwrap_or(0)],
            None => {
                let end = value
                    .iter()
                    .position(|&b| b == b';' || b.is_ascii_whitespace())
                    .unwrap_or(value.len());
                &value[..end]
            }
        };
        if !value.is_empty() && value.len() <= 200 {
            boundaries.insert(value);
        }
    }
    if boundaries.is_empty() {
        return (bytes.into(), false);
    }
    let mut delimiters = 0;
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|n| n + 1));
    for start in line_starts {
        let Some(line) = bytes.get(start..).and_then(|l| l.strip_prefix(b"--")) else {
            continue;
        };
        let end = line
            .iter()
            .position(|&b| b == b'\r' || b == b'\n' || b == b' ' || b == b'\t')
            .unwrap_or(line.len());
        let token = &line[..end];
        let boundary = if boundaries.contains(token) {
            token
        } else {
            match token.strip_suffix(b"--") {
                Some(closing) if boundaries.contains(closing) => closing,
                _ => continue,
            }
        };
        delimiters += 1;
        if delimiters > MAX_MHTML_PARTS {
            let mut cut = bytes[..start].to_vec();
            cut.extend_from_slice(b"\r\n--");
            cut.extend_from_slice(boundary);
            cut.extend_from_slice(b"--\r\n");
            return (cut.into(), true);
        }
    }
    (bytes.into(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An MHTML file of one page and `parts` empty parts.
    fn many_parts(parts: usize) -> Vec<u8> {
        let mut out =
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n\
            --B\r\nContent-Type: text/html\r\nContent-Location: http://e.com/\r\n\r\n\
            <html><body><p>Page</p></body></html>\r\n"
                .to_vec();
        for _ in 0..parts {
            out.extend_from_slice(b"--B\r\n\r\n");
        }
        out.extend_from_slice(b"--B--\r\n");
        out
    }

    #[test]
    fn parts_past_the_limit_are_cut_before_the_parser_sees_them() {
        let bytes = many_parts(3 * MAX_MHTML_PARTS);
        let (cut, was_cut) = limit_parts(&bytes);
        assert!(was_cut);
        assert!(
            cut.len() < bytes.len() / 2,
            "{} of {}",
            cut.len(),
            bytes.len()
        );
        assert!(cut.ends_with(b"--B--\r\n"));
        let doc = parse(&bytes).unwrap();
        assert!(doc.html.contains("Page"));
        assert!(
            doc.warnings.iter().any(|w| w.contains("only the first")),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn a_message_within_the_limit_is_not_copied() {
        let bytes = many_parts(10);
        let (same, was_cut) = limit_parts(&bytes);
        assert!(!was_cut);
        assert!(matches!(same, std::borrow::Cow::Borrowed(_)));
    }
}
