//! The encodings every table shares: zlib for stored blobs, sha256 names,
//! article bodies as JSON blocks, and integers and id lists as SQLite takes
//! them. Bottom of the library beside [`super::error`] and [`super::types`].

use std::io::Write as _;

use sha2::{Digest as _, Sha256};

use super::error::{LibraryError, Result};
use super::types::ArticleId;
use crate::model::Block;

/// A size or index as an SQLite integer (saturating; no real size comes near).
pub(crate) fn sql_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A JSON array of ids, for `json_each(?)`: one parameter for a list of any length.
pub(crate) fn json_ids(ids: impl IntoIterator<Item = i64>) -> String {
    let list: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    format!("[{}]", list.join(","))
}

/// Lowercase hex sha256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// zlib-compress `bytes`.
pub(crate) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec never fails.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Decompress zlib `bytes`.
pub(crate) fn inflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut decoder = flate2::write::ZlibDecoder::new(&mut out);
    decoder.write_all(bytes)?;
    decoder.finish()?;
    Ok(out)
}

/// The body blocks of an article, decoded from JSON.
pub(crate) fn decode_blocks(id: ArticleId, json: &str) -> Result<Vec<Block>> {
    serde_json::from_str(json)
        .map_err(|err| LibraryError::Corrupt(format!("article {id}: body does not decode: {err}")))
}

/// Decode the body blocks of an article one at a time, handing each to `f`
/// in order until it returns false; the blocks after that are skipped
/// without being decoded.
pub(crate) fn for_each_block(
    id: ArticleId,
    json: &str,
    f: impl FnMut(Block) -> bool,
) -> Result<()> {
    use serde::Deserializer as _;
    use serde::de::{IgnoredAny, SeqAccess, Visitor};

    struct Each<F>(F);
    impl<'de, F: FnMut(Block) -> bool> Visitor<'de> for Each<F> {
        type Value = ();
        fn expecting(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            out.write_str("a list of blocks")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            while let Some(block) = seq.next_element::<Block>()? {
                if !(self.0)(block) {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    break;
                }
            }
            Ok(())
        }
    }
    let corrupt = |err: serde_json::Error| {
        LibraryError::Corrupt(format!("article {id}: body does not decode: {err}"))
    };
    let mut de = serde_json::Deserializer::from_str(json);
    de.deserialize_seq(Each(f)).map_err(corrupt)?;
    de.end().map_err(corrupt)
}

/// Check `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: digits of those lengths making
/// a real month (01–12) and day of that month (29 February only in leap years).
pub(crate) fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [4, 2, 2];
    let shaped = !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return false;
    }
    let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    let (Some(year), month, day) = (num(0), num(1), num(2)) else {
        return false;
    };
    let Some(month) = month else {
        return true;
    };
    if !(1..=12).contains(&month) {
        return false;
    }
    let Some(day) = day else {
        return true;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}
