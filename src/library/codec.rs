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
