//! When a page was captured, as the saved file states it: a [`Capture`]
//! (an RFC 3339 date-time and [`CapturedFrom`], where it was found), and
//! the pure parsers of the date forms saved files write: a mail `Date:`
//! header (MHTML, RFC 5322), a `WARC-Date` (ISO 8601), SingleFile's
//! `saved date:` (JavaScript's `Date.toString()`), and a file's
//! modification time in seconds since 1970.
//!
//! Promises: every parser reads at most [`MAX_DATE_CHARS`] characters (a
//! longer value is no date), refuses what is not a calendar date and time
//! (no 31 February, no hour 25), and refuses a year before
//! [`EARLIEST_YEAR`] (no web page was saved then: a file time of 0 is a
//! copy that lost its time, not a capture). The result is UTC (`Z`) or
//! keeps the offset the file states (`+08:00`).

use serde::{Deserialize, Serialize};

/// Longest date value read; a longer header is not a date.
pub const MAX_DATE_CHARS: usize = 200;

/// Earliest year a capture may have: the web began in 1991.
pub const EARLIEST_YEAR: u32 = 1991;

/// Where a capture date was found: a short, stable word, stored as is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapturedFrom {
    /// The `Date:` header of an MHTML file (Chrome, Word, Firefox saves).
    MhtmlDate,
    /// The `WARC-Date` of the page's response record (WARC, WACZ).
    WarcDate,
    /// The `saved date:` line of SingleFile's comment at the top of the page.
    SinglefileComment,
    /// The file's modification time (a `.webarchive`, a page + `_files/`
    /// folder): a last resort, which a copy may have changed.
    FileTime,
}

impl CapturedFrom {
    /// The stable word stored in the library and printed by `--json`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MhtmlDate => "mhtml-date",
            Self::WarcDate => "warc-date",
            Self::SinglefileComment => "singlefile-comment",
            Self::FileTime => "file-time",
        }
    }

    /// Inverse of [`CapturedFrom::as_str`].
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "mhtml-date" => Self::MhtmlDate,
            "warc-date" => Self::WarcDate,
            "singlefile-comment" => Self::SinglefileComment,
            "file-time" => Self::FileTime,
            _ => return None,
        })
    }

    /// Where the date was found, as a person reads it.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::MhtmlDate => "from the MHTML file's Date header",
            Self::WarcDate => "from the web archive's record of the page (WARC-Date)",
            Self::SinglefileComment => "from SingleFile's \"saved date\" comment",
            Self::FileTime => "from the file's time — may be when it was copied, not captured",
        }
    }
}

/// When a page was captured and where the file says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// RFC 3339: `2019-06-03T07:00:02Z` or `2019-06-03T15:00:02+08:00`.
    pub at: String,
    /// Where it was found.
    pub from: CapturedFrom,
}

impl Capture {
    /// A capture from a stored pair of columns, when both are there, the
    /// word is known and the date is one.
    #[must_use]
    /// The date is checked again (a merged file is not trusted).
    pub fn from_stored(at: Option<String>, from: Option<&str>) -> Option<Self> {
        Some(Self {
            at: from_iso_date_time(&at?)?,
            from: CapturedFrom::parse(from?)?,
        })
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date and time of day, checked, with its offset from UTC in minutes.
struct Stamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset: i32,
}

impl Stamp {
    fn checked(self) -> Option<Self> {
        let valid = (EARLIEST_YEAR..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second <= 60
            && self.offset.abs() < 24 * 60;
        valid.then_some(self)
    }

    /// RFC 3339, the offset as `Z` when it is 0.
    fn rfc3339(&self) -> String {
        let zone = if self.offset == 0 {
            "Z".to_owned()
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let off = self.offset.unsigned_abs();
            format!("{sign}{:02}:{:02}", off / 60, off % 60)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            // A leap second reads as the second before it.
            self.second.min(59)
        )
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn bounded(value: &str) -> Option<&str> {
    // A character is at most 4 bytes: a longer value is not counted at all.
    if value.len() > 4 * MAX_DATE_CHARS + 64 {
        return None;
    }
    let value = value.trim();
    (!value.is_empty() && value.chars().count() <= MAX_DATE_CHARS).then_some(value)
}

fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn month(name: &str) -> Option<u32> {
    let lower = name.get(..3)?.to_ascii_lowercase();
    let at = MONTHS.iter().position(|m| *m == lower)?;
    u32::try_from(at + 1).ok()
}

/// `HH:MM` or `HH:MM:SS`.
fn time_of_day(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split(':');
    let hour = number(parts.next()?, 1..=2)?;
    let minute = number(parts.next()?, 2..=2)?;
    let second = match parts.next() {
        Some(s) => number(s, 2..=2)?,
        None => 0,
    };
    parts.next().is_none().then_some((hour, minute, second))
}

/// `+0800`, `-0000`, `+08:00` as minutes east of UTC.
fn numeric_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || rest.len() > 5 {
        return None;
    }
    let hours = i32::try_from(number(&digits[..2], 2..=2)?).ok()?;
    let minutes = i32::try_from(number(&digits[2..], 2..=2)?).ok()?;
    (minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// A zone as RFC 5322 writes it: numeric, `GMT`/`UT`/`UTC`/`Z`, or one of
/// the obsolete North American names.
fn mail_zone(text: &str) -> Option<i32> {
    if let Some(offset) = numeric_offset(text) {
        return Some(offset);
    }
    Some(match text.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EDT" => -4 * 60,
        "EST" | "CDT" => -5 * 60,
        "CST" | "MDT" => -6 * 60,
        "MST" | "PDT" => -7 * 60,
        "PST" => -8 * 60,
        _ => return None,
    })
}

/// A mail `Date:` header (RFC 5322, with its obsolete forms):
/// `Mon, 17 Dec 2018 11:18:49 -0000` → `2018-12-17T11:18:49Z`,
/// `Sat, 4 Apr 2026 16:06:00 +0200` → `2026-04-04T16:06:00+02:00`.
#[must_use]
pub fn from_mail_date(value: &str) -> Option<String> {
    let value = bounded(value)?;
    // The day name is optional; a comment (`(UTC)`) after the zone is not read.
    let value = value.split_once(',').map_or(value, |(_, rest)| rest);
    let mut words = value.split_whitespace();
    let day = number(words.next()?, 1..=2)?;
    let month = month(words.next()?)?;
    let year = words.next()?;
    let year = match year.len() {
        4 => number(year, 4..=4)?,
        // Obsolete two-digit years: 50..99 are 1950..1999.
        2 => {
            let y = number(year, 2..=2)?;
            if y < 50 { 2000 + y } else { 1900 + y }
        }
        _ => return None,
    };
    let (hour, minute, second) = time_of_day(words.next()?)?;
    let offset = words.next().map_or(Some(0), mail_zone)?;
    Stamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset,
    }
    .checked()
    .map(|s| s.rfc3339())
}

/// An ISO 8601 date-time as a `WARC-Date` writes it: `2019-06-03T07:00:02Z`,
/// with fractions of a second (dropped) or a numeric offset.
#[must_use]
pub fn from_iso_date_time(value: &str) -> Option<String> {
    let value = bounded(value)?;
    if !value.is_ascii() || value.len() < 17 {
        return None;
    }
    let (date, rest) = value.split_at(10);
    let mut parts = date.split('-');
    let year = number(parts.next()?, 4..=4)?;
    let month = number(parts.next()?, 2..=2)?;
    let day = number(parts.next()?, 2..=2)?;
    let rest = rest.strip_prefix(['T', 't'])?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let time = time.split_once('.').map_or(time, |(whole, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            ""
        }
    });
    let (hour, minute, second) = time_of_day(time)?;
    let offset = if zone.eq_ignore_ascii_case("z") {
        0
    } else {
        numeric_offset(zone)?
    };
    Stamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset,
    }
    .checked()
    .map(|s| s.rfc3339())
}

/// JavaScript's `Date.toString()`, as SingleFile writes its `saved date:`:
/// `Tue Nov 24 2026 22:46:46 GMT+0000 (Coordinated Universal Time)` →
/// `2026-11-24T22:46:46Z`.
#[must_use]
pub fn from_js_date(value: &str) -> Option<String> {
    let value = bounded(value)?;
    let mut words = value.split_whitespace();
    let first = words.next()?;
    // The day name comes first; a date without it starts with the month.
    let month = match month(first) {
        Some(m) => m,
        None => month(words.next()?)?,
    };
    let day = number(words.next()?, 1..=2)?;
    let year = number(words.next()?, 4..=4)?;
    let (hour, minute, second) = time_of_day(words.next()?)?;
    let zone = words.next().unwrap_or("GMT");
    let offset = match zone
        .strip_prefix("GMT")
        .or_else(|| zone.strip_prefix("UTC"))
    {
        Some("") => 0,
        Some(numeric) => numeric_offset(numeric)?,
        None => mail_zone(zone)?,
    };
    Stamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset,
    }
    .checked()
    .map(|s| s.rfc3339())
}

/// Seconds since 1970-01-01 UTC (a file's modification time) in RFC 3339.
#[must_use]
pub fn from_unix_seconds(seconds: i64) -> Option<String> {
    let days = seconds.div_euclid(86_400);
    let in_day = u32::try_from(seconds.rem_euclid(86_400)).ok()?;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Stamp {
        year: u32::try_from(year).ok()?,
        month: u32::try_from(month).ok()?,
        day: u32::try_from(day).ok()?,
        hour: in_day / 3600,
        minute: in_day / 60 % 60,
        second: in_day % 60,
        offset: 0,
    }
    .checked()
    .map(|s| s.rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_dates_as_saved_files_write_them() {
        let cases = [
            ("Mon, 17 Dec 2018 11:18:49 -0000", "2018-12-17T11:18:49Z"),
            ("Tue, 24 Nov 2026 22:46:28 GMT", "2026-11-24T22:46:28Z"),
            (
                "Sat, 4 Apr 2026 16:06:00 +0200",
                "2026-04-04T16:06:00+02:00",
            ),
            (
                "Sat, 06 May 2017 16:48:07 +1000",
                "2017-05-06T16:48:07+10:00",
            ),
            ("5 Sep 2016 22:30 -0530", "2016-09-05T22:30:00-05:30"),
            (
                "Thu, 3 Jan 19 07:00:02 PST (x)",
                "2019-01-03T07:00:02-08:00",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(from_mail_date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_refused() {
        for raw in [
            "",
            "yesterday",
            "Mon, 31 Feb 2019 10:00:00 GMT",
            "Mon, 1 Jan 2019 25:00:00 GMT",
            "Mon, 1 Foo 2019 10:00:00 GMT",
            "Mon, 1 Jan 1970 00:00:00 GMT",
            "Mon, 1 Jan 2019 10:00:00 +9999",
        ] {
            assert_eq!(from_mail_date(raw), None, "{raw}");
        }
        let huge = format!("Mon, 1 Jan 2019 10:00:00 GMT{}", "x".repeat(10_000));
        assert_eq!(from_mail_date(&huge), None);
    }

    #[test]
    fn warc_dates() {
        assert_eq!(
            from_iso_date_time("2026-11-29T23:38:46Z").as_deref(),
            Some("2026-11-29T23:38:46Z")
        );
        assert_eq!(
            from_iso_date_time("2019-06-03T07:00:02.123456Z").as_deref(),
            Some("2019-06-03T07:00:02Z")
        );
        assert_eq!(
            from_iso_date_time("2019-06-03T15:00:02+08:00").as_deref(),
            Some("2019-06-03T15:00:02+08:00")
        );
        assert_eq!(from_iso_date_time("2019-13-03T07:00:02Z"), None);
        assert_eq!(from_iso_date_time("2019-06-03"), None);
        assert_eq!(from_iso_date_time("2019-06-03T07:00:02.1x3Z"), None);
    }

    #[test]
    fn singlefile_dates() {
        assert_eq!(
            from_js_date("Tue Nov 24 2026 22:46:46 GMT+0000 (Coordinated Universal Time)")
                .as_deref(),
            Some("2026-11-24T22:46:46Z")
        );
        assert_eq!(
            from_js_date("Mon Jun 03 2019 15:00:02 GMT+0800 (China Standard Time)").as_deref(),
            Some("2019-06-03T15:00:02+08:00")
        );
        assert_eq!(from_js_date("Invalid Date"), None);
    }

    #[test]
    fn file_times() {
        assert_eq!(
            from_unix_seconds(1_543_045_606).as_deref(),
            Some("2018-11-24T07:46:46Z")
        );
        assert_eq!(
            from_unix_seconds(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(from_unix_seconds(0), None, "a lost file time is no capture");
    }

    #[test]
    fn words_round_trip() {
        for from in [
            CapturedFrom::MhtmlDate,
            CapturedFrom::WarcDate,
            CapturedFrom::SinglefileComment,
            CapturedFrom::FileTime,
        ] {
            assert_eq!(CapturedFrom::parse(from.as_str()), Some(from));
        }
    }
}
