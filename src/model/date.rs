//! How a stored date reads to a person. Pages give their dates in many
//! shapes (`2019-01-03T07:00:02.000Z`, `2022-09-22 10:31`, `2019-01-03`);
//! the library keeps them as written, and every view (the reader, the list,
//! Markdown and HTML exports, the CLI's list) shows them through
//! [`display_date`], so an ISO 8601 date-time reads as its calendar date.
//! Machine-readable output (`--json`, JSONL) keeps the stored value.

/// The date part of an ISO 8601 date or date-time (`YYYY-MM-DD`, followed
/// by nothing, `T` or a space); any other text is returned trimmed, as
/// written.
#[must_use]
pub fn display_date(raw: &str) -> &str {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let iso = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && matches!(bytes.get(10), None | Some(b'T' | b't' | b' '));
    if iso { &raw[..10] } else { raw }
}

#[cfg(test)]
mod tests {
    use super::display_date;

    #[test]
    fn an_iso_date_time_reads_as_its_date() {
        assert_eq!(display_date("2019-01-03T07:00:02.000Z"), "2019-01-03");
        assert_eq!(display_date("2022-09-22 10:31:00"), "2022-09-22");
        assert_eq!(display_date(" 2019-01-03 "), "2019-01-03");
    }

    #[test]
    fn other_dates_are_kept_as_written() {
        assert_eq!(display_date("3 January 2019"), "3 January 2019");
        assert_eq!(display_date("2019-01"), "2019-01");
        assert_eq!(display_date("20190103T070002"), "20190103T070002");
        assert_eq!(display_date("2019年1月3日"), "2019年1月3日");
    }
}
