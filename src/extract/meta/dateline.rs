//! Dates as Chinese news pages print them under the headline, as their
//! metadata states them, and as their URLs carry them; and the zone a time
//! is in ([`news_rules::UTC_PLUS_8_HOSTS`]).
//!
//! A stored date is `YYYY-MM-DD`; with a time, `YYYY-MM-DDTHH:MM:SS` followed
//! by the offset when the page states it or its host implies it
//! (`+08:00`), and by nothing when neither does (the publisher's wall clock,
//! zone unknown). Nothing here guesses a date the page does not state.

use std::sync::LazyLock;

use regex::Regex;

use super::news_rules::{self, DateOrder};

/// A date, with the time and offset when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    /// Hours, minutes, seconds.
    pub time: Option<(u32, u32, u32)>,
    /// Offset from UTC in minutes, when stated.
    pub offset: Option<i32>,
}

impl Stamp {
    fn date(year: u32, month: u32, day: u32) -> Option<Stamp> {
        super::ymd(year, month, day)?;
        Some(Stamp {
            year,
            month,
            day,
            time: None,
            offset: None,
        })
    }

    /// The same calendar date.
    pub fn same_day(&self, other: &Stamp) -> bool {
        (self.year, self.month, self.day) == (other.year, other.month, other.day)
    }

    /// This instant in another offset (a stamp without a time or offset is
    /// returned as it is).
    pub fn in_offset(self, minutes: i32) -> Stamp {
        let (Some((h, m, s)), Some(from)) = (self.time, self.offset) else {
            return self;
        };
        let days = days_from_civil(self.year, self.month, self.day);
        let total = i64::from(h * 60 + m) - i64::from(from) + i64::from(minutes);
        let day_shift = total.div_euclid(24 * 60);
        let in_day = total.rem_euclid(24 * 60);
        let (year, month, day) = civil_from_days(days + day_shift);
        Stamp {
            year,
            month,
            day,
            // In 0..1440, so both parts fit.
            time: Some(((in_day / 60) as u32, (in_day % 60) as u32, s)),
            offset: Some(minutes),
        }
    }

    /// ISO 8601: `2019-11-25`, `2019-11-25T16:04:00+08:00`, `2019-11-25T16:04:00`.
    pub fn iso(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        let Some((h, m, s)) = self.time else {
            return date;
        };
        let zone = match self.offset {
            None => String::new(),
            Some(0) => "Z".to_owned(),
            Some(o) => format!(
                "{}{:02}:{:02}",
                if o < 0 { '-' } else { '+' },
                o.abs() / 60,
                o.abs() % 60
            ),
        };
        format!("{date}T{h:02}:{m:02}:{s:02}{zone}")
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // A date between 1900 and 2100 in, one out: all parts are small and positive.
    (year as u32, month as u32, day as u32)
}

static DATELINES: LazyLock<Vec<(Regex, DateOrder)>> = LazyLock::new(|| {
    news_rules::DATELINES
        .iter()
        .filter_map(|(pattern, order)| {
            Regex::new(&format!("{pattern}{}", news_rules::TIME))
                .ok()
                .map(|r| (r, *order))
        })
        .collect()
});

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| name.starts_with(m))
        .map(|p| p as u32 + 1)
}

fn read_match(caps: &regex::Captures<'_>, order: DateOrder) -> Option<Stamp> {
    let num = |name: &str| caps.name(name)?.as_str().parse::<u32>().ok();
    let mut stamp = match order {
        DateOrder::YearFirst => Stamp::date(num("y")?, num("m")?, num("d")?)?,
        DateOrder::YearLast => {
            let (a, b) = (num("a")?, num("b")?);
            match (a > 12, b > 12) {
                (true, false) => Stamp::date(num("y")?, b, a)?,
                (false, true) => Stamp::date(num("y")?, a, b)?,
                _ => return None,
            }
        }
        DateOrder::DayMonthName => Stamp::date(
            num("y")?,
            month_number(caps.name("mon")?.as_str())?,
            num("d")?,
        )?,
    };
    if let (Some(mut h), Some(m)) = (num("H"), num("M")) {
        let pm = caps
            .name("ampm")
            .map(|a| a.as_str().to_ascii_lowercase().starts_with('p'))
            .or(caps.name("cnpm").map(|_| true));
        match pm {
            Some(true) if h < 12 => h += 12,
            Some(false) if h == 12 => h = 0,
            _ => {}
        }
        if h < 24 && m < 60 {
            stamp.time = Some((h, m, num("S").filter(|s| *s < 60).unwrap_or(0)));
        }
    }
    Some(stamp)
}

/// The first publication date printed in `text` (the text under a
/// headline): the earliest place where a [`news_rules::DATELINES`] shape
/// matches that is not inside a longer number and not labelled as an update
/// ([`news_rules::NOT_PUBLISHED_LABELS`]).
pub fn dateline(text: &str) -> Option<Stamp> {
    let mut best: Option<(usize, Stamp)> = None;
    for (regex, order) in DATELINES.iter() {
        for caps in regex.captures_iter(text) {
            let Some(whole) = caps.get(0) else {
                continue;
            };
            if best.is_some_and(|(at, _)| at <= whole.start()) {
                break;
            }
            let digit_before = text[..whole.start()]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            let digit_after = text[whole.end()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
            if digit_before || digit_after {
                continue;
            }
            let before: String = {
                let mut b: Vec<char> = text[..whole.start()]
                    .chars()
                    .rev()
                    .take(news_rules::LABEL_REACH)
                    .collect();
                b.reverse();
                b.into_iter().collect()
            };
            if news_rules::NOT_PUBLISHED_LABELS
                .iter()
                .any(|l| before.contains(l))
            {
                continue;
            }
            if let Some(stamp) = read_match(&caps, *order) {
                best = Some((whole.start(), stamp));
                break;
            }
        }
    }
    best.map(|(_, s)| s)
}

/// A machine-readable timestamp (`2016-05-25T10:10:19+08:00`,
/// `2019-02-20 02:26:00`, `2025-11-30T02:35:18.027Z`, ` 2024-05-13`).
pub fn timestamp(raw: &str) -> Option<Stamp> {
    static ISO: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?").ok()
    });
    let caps = ISO.as_ref()?.captures(raw.trim())?;
    let num = |i: usize| caps.get(i)?.as_str().parse::<u32>().ok();
    let mut stamp = Stamp::date(num(1)?, num(2)?, num(3)?)?;
    if let (Some(h), Some(m)) = (num(4), num(5))
        && h < 24
        && m < 60
    {
        stamp.time = Some((h, m, num(6).unwrap_or(0)));
        stamp.offset = caps.get(7).and_then(|z| offset_minutes(z.as_str()));
    }
    Some(stamp)
}

/// `Z`, `+08:00`, `+0800`, `-05:00` as minutes east of UTC.
fn offset_minutes(zone: &str) -> Option<i32> {
    if zone == "Z" {
        return Some(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}

/// The offset a page's host implies ([`news_rules::UTC_PLUS_8_HOSTS`]), in minutes.
pub fn implied_offset(url: &str) -> Option<i32> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    let dotted = format!(".{host}.");
    news_rules::UTC_PLUS_8_HOSTS
        .iter()
        .any(|h| {
            if h.starts_with('.') {
                host.ends_with(h)
            } else {
                dotted.contains(&format!(".{h}."))
            }
        })
        .then(|| offset_minutes(news_rules::UTC_PLUS_8))
        .flatten()
}

/// A date in an article URL ([`news_rules::URL_DATES`]).
pub fn url_date(url: &str) -> Option<Stamp> {
    static URL_DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        news_rules::URL_DATES
            .iter()
            .filter_map(|p| Regex::new(p).ok())
            .collect()
    });
    let path = url.split(['?', '#']).next().unwrap_or(url);
    URL_DATES.iter().find_map(|r| {
        let caps = r.captures(path)?;
        let num = |name: &str| caps.name(name)?.as_str().parse::<u32>().ok();
        Stamp::date(num("y")?, num("m")?, num("d")?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        dateline(text).map(|s| s.iso())
    }

    #[test]
    fn datelines_in_the_shapes_pages_print() {
        assert_eq!(
            iso("2019-11-25 16:04 来源：澎湃新闻").as_deref(),
            Some("2019-11-25T16:04:00")
        );
        assert_eq!(
            iso("发布时间：2019年11月25日 16:04").as_deref(),
            Some("2019-11-25T16:04:00")
        );
        assert_eq!(iso("日期：2019/11/25").as_deref(), Some("2019-11-25"));
        assert_eq!(
            iso("2014-12-17 (16:31)").as_deref(),
            Some("2014-12-17T16:31:00")
        );
        assert_eq!(
            iso("2014.12.13 01:06 pm").as_deref(),
            Some("2014-12-13T13:06:00")
        );
        assert_eq!(
            iso("发表时间： 30/11/2025 - 10:13").as_deref(),
            Some("2025-11-30T10:13:00")
        );
        assert_eq!(
            iso("- 熱血編輯部 @ 11-22-2014 / 今日").as_deref(),
            Some("2014-11-22")
        );
        assert_eq!(
            iso("发布: 01 Dec 2025 10:56").as_deref(),
            Some("2025-12-01T10:56:00")
        );
        assert_eq!(
            iso("发布于 2010年7月20日 星期二").as_deref(),
            Some("2010-07-20")
        );
    }

    #[test]
    fn no_date_is_read_from_an_update_a_longer_number_or_an_ambiguous_order() {
        assert_eq!(iso("更新时间 2012年12月10日"), None);
        assert_eq!(iso("编号 120191125 "), None);
        assert_eq!(iso("05/06/2019"), None);
        assert_eq!(
            iso("更新时间 2012年12月10日 发稿 2012年12月9日").as_deref(),
            Some("2012-12-09")
        );
    }

    #[test]
    fn timestamps_convert_between_offsets() {
        let utc = timestamp("2025-11-22T05:00:00.000Z").unwrap();
        assert_eq!(utc.in_offset(480).iso(), "2025-11-22T13:00:00+08:00");
        let late = timestamp("2025-11-30T20:30:00+00:00").unwrap();
        assert_eq!(late.in_offset(480).iso(), "2025-12-01T04:30:00+08:00");
        assert_eq!(timestamp(" 2024-05-13").unwrap().iso(), "2024-05-13");
        assert_eq!(
            timestamp("2019-02-20 02:26:00").unwrap().iso(),
            "2019-02-20T02:26:00"
        );
    }

    #[test]
    fn hosts_and_urls() {
        assert_eq!(
            implied_offset("https://news.ifeng.com/c/7kQcQG2peWU"),
            Some(480)
        );
        assert_eq!(
            implied_offset("http://politics.people.com.cn/GB/1.html"),
            Some(480)
        );
        assert_eq!(implied_offset("https://people.com/story"), None);
        assert_eq!(implied_offset("https://www.bbc.com/zhongwen/simp"), None);
        for (url, date) in [
            ("http://www.xinhuanet.com/2019-11/25/c_1.htm", "2019-11-25"),
            ("http://www.gov.cn/xinwen/20191125/a.htm", "2019-11-25"),
            ("http://www.mof.gov.cn/t20191125_3.htm", "2019-11-25"),
            (
                "http://economy.caijing.com.cn/20240520/5012641.shtml",
                "2024-05-20",
            ),
        ] {
            assert_eq!(
                url_date(url).map(|s| s.iso()).as_deref(),
                Some(date),
                "{url}"
            );
        }
        assert_eq!(url_date("https://news.ifeng.com/c/7kQcQG2peWU"), None);
    }
}
