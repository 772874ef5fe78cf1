//! MHTML (`multipart/related`) archives, parsed with `mail-parser`.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::Resources;
use super::limits::MAX_MHTML_PARTS;

/// The useful contents of an MHTML file.
pub(super) struct MhtmlDocument {
    /// The first `text/html` part, decoded.
    pub html: String,
    /// `Snapshot-Content-Location` or the HTML part's `Content-Location`.
    pub location: Option<String>,
    /// Every other part, keyed by its `Content-Location` and by `cid:` + `Content-ID`.
    pub resources: Resources,
    /// Parts skipped or limits hit.
    pub warnings: Vec<String>,
}

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

pub(super) fn parse(bytes: &[u8]) -> Result<MhtmlDocument, String> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| "not a MIME message".to_owned())?;
    let mut warnings = Vec::new();
    let location = message
        .header_raw("Snapshot-Content-Location")
        .map(|s| s.trim().to_owned());
    let mut html: Option<(String, Option<String>)> = None;
    let mut resources = Resources::default();
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
                html = Some((text.to_string(), content_location));
            }
            PartType::Binary(data) | PartType::InlineBinary(data) => {
                if let Some(loc) = &content_location {
                    resources.insert(loc, data.to_vec());
                }
                if let Some(cid) = part.content_id() {
                    resources.insert(
                        &format!("cid:{}", cid.trim_matches(['<', '>'])),
                        data.to_vec(),
                    );
                }
            }
            _ => {}
        }
    }
    let (html, html_location) = html.ok_or_else(|| "the archive has no HTML part".to_owned())?;
    Ok(MhtmlDocument {
        html,
        location: location.or(html_location),
        resources,
        warnings,
    })
}
