//! Date strings as pages print them: ISO 8601 in markup, and the many human forms of header
//! lines and bylines ("Thursday 11 May 2023 - 15:52", "March 17, 2024 at 5:03 pm",
//! "19.07.2024", "11 mai 2023"), with month names in the languages news sites use most.

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use newsdesk_span::Published;
use regex::Regex;

/// A date found in a string, with what else was printed next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<Offset>,
    /// A weekday name stood next to the date.
    pub weekday: bool,
    /// Byte range of the match in the searched string.
    pub start: usize,
    pub end: usize,
}

impl FoundDate {
    /// The publication value this supports: an instant only when time and offset are known.
    pub fn published(&self) -> Published {
        match (self.time, self.offset) {
            (Some(time), Some(offset)) => {
                Published::Instant(DateTime::from_parts(self.date, time), offset)
            }
            _ => Published::Day(self.date),
        }
    }
}

const MONTHS: &[(&str, i8)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("okt", 10),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Russian (genitive, as dates print them)
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    // Ukrainian (genitive)
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    // Polish (genitive)
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
];

const WEEKDAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo";

fn month_number(name: &str) -> Option<i8> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)
}

fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    // Longest first so "september" wins over "sep".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.join("|")
}

#[derive(Clone)]
struct Patterns {
    iso: Regex,
    month_first: Regex,
    day_first: Regex,
    numeric: Regex,
    time: Regex,
    weekday: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let months = month_alternation();
    Patterns {
        // 2023-05-11, 2023-05-11T15:52:00+04:30, 2023/05/11, 20230511 is too ambiguous to take.
        iso: Regex::new(
            r"(?x)\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})
              (?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
        )
        .unwrap(),
        // March 17, 2024 · Mar. 17 2024 · May 11th, 2023
        month_first: Regex::new(&format!(
            r"(?i)\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
        ))
        .unwrap(),
        // 11 May 2023 · 11. Mai 2023 · 11 de mayo de 2023 · 1er juin 2023 · 26-FEB-1987
        day_first: Regex::new(&format!(
            r"(?i)\b(\d{{1,2}})(?:(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?({months})\.?,?\s+(?:de\s+)?|-({months})-)(\d{{4}})\b"
        ))
        .unwrap(),
        // 11.05.2023 · 11/05/2023 · 05/11/2023
        numeric: Regex::new(r"\b(\d{1,2})([./])(\d{1,2})[./](\d{4})\b").unwrap(),
        // 15:52 · 5:03 pm · 17.03 Uhr
        time: Regex::new(r"(?i)^[\s,\-–—|@]*(?:at|um|à|a las|alle|,)?\s*(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?(?:\s*(?:uhr|h))?\b").unwrap(),
        weekday: Regex::new(&format!(r"(?i)\b({WEEKDAYS})\b\.?,?\s*$")).unwrap(),
    }
});

thread_local! {
    /// This thread's copy of [`PATTERNS`], for the reason `text` keeps one of its rules: a
    /// `Regex` shared by threads makes all but the first take search caches from a locked pool.
    static PATTERNS_HERE: Patterns = PATTERNS.clone();
}

fn make_date(year: &str, month: i8, day: &str) -> Option<Date> {
    let year: i16 = year.parse().ok()?;
    let day: i8 = day.parse().ok()?;
    // Outside this range a "date" on a news page is a number that happens to look like one.
    if !(1900..=2100).contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

fn parse_offset(s: &str) -> Option<Offset> {
    if s.eq_ignore_ascii_case("z") {
        return Some(Offset::UTC);
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s[1..].chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

fn parse_time(
    hour: &str,
    minute: &str,
    second: Option<&str>,
    meridiem: Option<&str>,
) -> Option<Time> {
    let mut hour: i8 = hour.parse().ok()?;
    let minute: i8 = minute.parse().ok()?;
    let second: i8 = second.map_or(Some(0), |s| s.parse().ok())?;
    if let Some(m) = meridiem {
        let pm = m.to_ascii_lowercase().starts_with('p');
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    Time::new(hour, minute, second, 0).ok()
}

/// All dates in `s`, in order of position, overlapping matches removed.
pub fn find_dates(s: &str) -> Vec<FoundDate> {
    // Every pattern needs a four-digit year, and only ASCII digits parse: most lines have
    // none and skip the regexes.
    if !s
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return Vec::new();
    }
    PATTERNS_HERE.with(|p| find_dates_by(p, s))
}

fn find_dates_by(p: &Patterns, s: &str) -> Vec<FoundDate> {
    let mut found: Vec<FoundDate> = Vec::new();
    let mut push = |date: Option<Date>,
                    start: usize,
                    end: usize,
                    time: Option<Time>,
                    offset: Option<Offset>| {
        if let Some(date) = date {
            found.push(FoundDate {
                date,
                time,
                offset,
                weekday: false,
                start,
                end,
            });
        }
    };
    for c in p.iso.captures_iter(s) {
        let m = c.get(0).unwrap();
        let month: Option<i8> = c[2].parse().ok();
        let date = month.and_then(|month| make_date(&c[1], month, &c[3]));
        let time = match (c.get(4), c.get(5)) {
            (Some(h), Some(mi)) => {
                parse_time(h.as_str(), mi.as_str(), c.get(6).map(|x| x.as_str()), None)
            }
            _ => None,
        };
        let offset = c.get(7).and_then(|o| parse_offset(o.as_str()));
        push(
            date,
            m.start(),
            m.end(),
            time,
            offset.filter(|_| time.is_some()),
        );
    }
    for c in p.month_first.captures_iter(s) {
        let m = c.get(0).unwrap();
        push(
            month_number(&c[1]).and_then(|mo| make_date(&c[3], mo, &c[2])),
            m.start(),
            m.end(),
            None,
            None,
        );
    }
    for c in p.day_first.captures_iter(s) {
        let m = c.get(0).unwrap();
        let month = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
        push(
            month_number(month).and_then(|mo| make_date(&c[4], mo, &c[1])),
            m.start(),
            m.end(),
            None,
            None,
        );
    }
    for c in p.numeric.captures_iter(s) {
        let m = c.get(0).unwrap();
        let (a, b): (i8, i8) = match (c[1].parse(), c[3].parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => continue,
        };
        // Dots are day-first everywhere they are used; slashes are month-first unless the first
        // number cannot be a month.
        let (day, month) = if &c[2] == "." || a > 12 {
            (a, b)
        } else {
            (b, a)
        };
        push(
            make_date(&c[4], month, &day.to_string()),
            m.start(),
            m.end(),
            None,
            None,
        );
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<FoundDate> = Vec::new();
    for f in found {
        if kept.last().is_some_and(|k| f.start < k.end) {
            continue;
        }
        kept.push(f);
    }
    for f in &mut kept {
        if f.time.is_none() {
            if let Some(c) = p.time.captures(&s[f.end..]) {
                let meridiem = c.get(4).map(|x| x.as_str());
                f.time = parse_time(&c[1], &c[2], c.get(3).map(|x| x.as_str()), meridiem);
                if f.time.is_some() {
                    f.end += c.get(0).unwrap().end();
                }
            }
        }
        let before = &s[..f.start];
        if let Some(w) = p.weekday.find(before) {
            f.weekday = true;
            f.start = w.start();
        }
    }
    kept
}

/// Parses a whole string that should be a date (a meta tag's content, a JSON field).
pub fn parse_date(s: &str) -> Option<FoundDate> {
    let s = s.trim();
    // Unix timestamps in seconds or milliseconds appear in some JSON feeds.
    if !s.is_empty() && s.len() <= 13 && s.len() >= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let seconds = if s.len() == 13 { n / 1000 } else { n };
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        let dt = Offset::UTC.to_datetime(ts);
        return Some(FoundDate {
            date: dt.date(),
            time: Some(dt.time()),
            offset: Some(Offset::UTC),
            weekday: false,
            start: 0,
            end: s.len(),
        })
        .filter(|f| (1990..=2100).contains(&f.date.year()));
    }
    find_dates(s).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> String {
        parse_date(s)
            .map(|f| f.published().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn markup_and_header_forms() {
        let cases = [
            ("2023-05-11T15:52:00+04:30", "2023-05-11T15:52:00+04:30"),
            ("2023-05-11T11:22:00Z", "2023-05-11T11:22:00+00:00"),
            ("2023-05-11 15:52:00", "2023-05-11"),
            ("2023/05/11", "2023-05-11"),
            ("Thursday 11 May 2023 - 15:52", "2023-05-11"),
            ("March 17, 2024 at 5:03 pm", "2024-03-17"),
            ("19 Jul 2024", "2024-07-19"),
            ("11. Mai 2023, 17.03 Uhr", "2023-05-11"),
            ("11 de mayo de 2023", "2023-05-11"),
            ("1er juin 2023", "2023-06-01"),
            ("19.07.2024", "2024-07-19"),
            ("07/19/2024", "2024-07-19"),
            ("Sept. 3rd, 2021", "2021-09-03"),
            ("1683820320", "2023-05-11T15:52:00+00:00"),
            ("15 августа 2016, 13:43", "2016-08-15"),
            ("3 травня 2021", "2021-05-03"),
            ("7 października 2020", "2020-10-07"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26"),
            (" 3-Mar-1987", "1987-03-03"),
        ];
        for (input, want) in cases {
            assert_eq!(day(input), want, "{input}");
        }
    }

    #[test]
    fn times_and_weekdays_are_attached() {
        let f = parse_date("Thursday 11 May 2023 - 15:52").unwrap();
        assert_eq!(f.time, Some(Time::new(15, 52, 0, 0).unwrap()));
        assert!(f.weekday);
        let f = parse_date("March 17, 2024 at 5:03 pm").unwrap();
        assert_eq!(f.time, Some(Time::new(17, 3, 0, 0).unwrap()));
        assert!(!f.weekday);
    }

    #[test]
    fn non_dates_are_not_dates() {
        for s in [
            "Story Code : 406025",
            "2023-13-45",
            "in 2011",
            "the post-war era",
            "1,000.50",
            "12345678",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
