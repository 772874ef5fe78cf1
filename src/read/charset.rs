//! Charset decoding: BOM, then the declared charset (MIME header, `<meta
//! charset>`, `http-equiv`), then detection with chardetng.

use encoding_rs::Encoding;

/// Decode a document's bytes to UTF-8.
///
/// `declared` is a charset label from outside the document (a MIME header).
/// Order of trust: BOM, `declared`, the document's own `<meta>`, detection.
/// A declaration that plainly lies (the bytes are not valid in it while they are
/// valid UTF-8) loses to the bytes.
pub fn decode_document(bytes: &[u8], declared: Option<&str>, warnings: &mut Vec<String>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!("some bytes were not valid {}", encoding.name()));
        }
        return text.into_owned();
    }
    if looks_like_utf16(&bytes[..bytes.len().min(4096)]) {
        let encoding = if bytes.get(1) == Some(&0) {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return text.into_owned();
    }
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let encoding = match declared {
        // UTF-16 declared in an ASCII-compatible document is a known lie.
        Some(enc) if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE => {
            encoding_rs::UTF_8
        }
        Some(enc) if enc != encoding_rs::UTF_8 && is_utf8 && !bytes.is_ascii() => {
            warnings.push(format!(
                "the page declares {} but its bytes are UTF-8; read as UTF-8",
                enc.name()
            ));
            encoding_rs::UTF_8
        }
        Some(enc) => enc,
        None if is_utf8 => encoding_rs::UTF_8,
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(
                &bytes[..bytes.len().min(256 * 1024)],
                bytes.len() <= 256 * 1024,
            );
            detector.guess(None, true)
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!(
            "some bytes were not valid {}; replaced with �",
            encoding.name()
        ));
    }
    if encoding == encoding_rs::BIG5 && text.contains('\u{2215}') {
        // WHATWG's Big5 index maps 0xA241 to DIVISION SLASH; the Big5 that
        // Taiwanese pages are written in (CP950) means FULLWIDTH SOLIDUS there.
        return text.replace('\u{2215}', "\u{FF0F}");
    }
    text.into_owned()
}

/// True when the bytes look like UTF-16 without a BOM (every other byte NUL in ASCII text).
pub fn looks_like_utf16(head: &[u8]) -> bool {
    if head.len() < 16 {
        return false;
    }
    let pairs = head.len() / 2;
    let even_nul = head
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    let odd_nul = head
        .chunks_exact(2)
        .filter(|p| p[1] == 0 && p[0] != 0)
        .count();
    even_nul * 10 > pairs * 8 || odd_nul * 10 > pairs * 8
}

/// The charset a document declares in its first 4 KiB (`<meta charset>` or
/// `http-equiv="Content-Type" content="…; charset=…"`).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(pos) = rest.find("charset") {
        rest = &rest[pos + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?;
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':'))
            .unwrap_or(value.len());
        if let Some(enc) = Encoding::for_label(&value.as_bytes()[..end]) {
            return Some(enc);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_declared_by_http_equiv() {
        let (bytes, _, _) = encoding_rs::GBK.encode(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"><p>小米手机</p>",
        );
        let mut w = Vec::new();
        assert!(decode_document(&bytes, None, &mut w).contains("小米手机"));
    }

    #[test]
    fn undeclared_big5_is_detected() {
        let text = "<p>神韻音樂直觸心靈，安全局官員感覺像回家了。觀賞了神韻巡迴藝術團的演出後，他讚嘆不已。</p>";
        let (bytes, _, _) = encoding_rs::BIG5.encode(text);
        let mut w = Vec::new();
        assert_eq!(decode_document(&bytes, None, &mut w), text);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "<p>hello 世界</p>";
        let mut le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut w = Vec::new();
        assert_eq!(decode_document(&le, None, &mut w), text);
        le.splice(0..0, [0xFF, 0xFE]);
        assert_eq!(decode_document(&le, None, &mut w), text);
    }

    #[test]
    fn lying_declaration_loses_to_utf8_bytes() {
        let bytes = "<meta charset=\"big5\"><p>小米</p>".as_bytes();
        let mut w = Vec::new();
        assert!(decode_document(bytes, None, &mut w).contains("小米"));
        assert_eq!(w.len(), 1);
    }
}
