use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;
use serde::{Deserialize, Serialize};

/// One metadata value with the place it came from.
///
/// `source` names the rule or markup, e.g. `meta:article:published_time`, `json-ld:datePublished`,
/// `url`, `credit-line`, `header-line`, `json:date_publish`. `evidence` is the raw string that
/// supported the value (a header line, a meta tag's content), so a reader can check it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field<T> {
    pub value: T,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl<T> Field<T> {
    pub fn new(value: T, source: impl Into<String>) -> Field<T> {
        Field {
            value,
            source: source.into(),
            evidence: None,
        }
    }

    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Field<T> {
        let evidence: String = evidence.into();
        // Evidence is for a human to check, not a second copy of the page.
        self.evidence = Some(truncate_chars(evidence.trim(), 200).to_string());
        self
    }
}

fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Article metadata. Every field is optional: `None` means no support was found, never a guess.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub url: Option<String>,
    pub title: Option<Field<String>>,
    pub byline: Option<Field<String>>,
    /// ISO 639-1 code.
    pub language: Option<Field<String>>,
    /// The outlet that wrote the story (from a credit line when a site reposts it).
    pub outlet: Option<Field<String>>,
    /// The site that republished another outlet's story, when it differs from `outlet`.
    pub republisher: Option<Field<String>>,
    pub published: Option<Field<Published>>,
}

/// A publication date: a calendar day, or an instant when the time and its UTC offset are known.
///
/// A time without an offset is not an instant; it is kept as the day only, and the raw string
/// stays in the field's evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Published {
    Day(Date),
    Instant(DateTime, Offset),
}

impl Published {
    pub fn date(&self) -> Date {
        match self {
            Published::Day(date) => *date,
            Published::Instant(datetime, _) => datetime.date(),
        }
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Published::Day(date) => write!(f, "{}", date.strftime("%Y-%m-%d")),
            Published::Instant(datetime, offset) => {
                let seconds = offset.seconds();
                let sign = if seconds < 0 { '-' } else { '+' };
                let abs = seconds.unsigned_abs();
                write!(
                    f,
                    "{}{}{:02}:{:02}",
                    datetime.strftime("%Y-%m-%dT%H:%M:%S"),
                    sign,
                    abs / 3600,
                    (abs % 3600) / 60
                )
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("not a YYYY-MM-DD date or an RFC 3339 timestamp: {0:?}")]
pub struct PublishedParseError(String);

impl FromStr for Published {
    type Err = PublishedParseError;
    fn from_str(s: &str) -> Result<Published, PublishedParseError> {
        let err = || PublishedParseError(s.to_string());
        if s.len() == 10 {
            return Date::from_str(s).map(Published::Day).map_err(|_| err());
        }
        let timestamp = jiff::Timestamp::from_str(s).map_err(|_| err())?;
        // Keep the offset the string carried, not UTC.
        let tail = &s[s.len().checked_sub(6).ok_or_else(err)?..];
        let offset = if s.ends_with('Z') || s.ends_with('z') {
            Offset::UTC
        } else {
            let sign = match tail.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(err()),
            };
            let hours: i32 = tail[1..3].parse().map_err(|_| err())?;
            let minutes: i32 = tail[4..6].parse().map_err(|_| err())?;
            Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).map_err(|_| err())?
        };
        let datetime = offset.to_datetime(timestamp);
        Ok(Published::Instant(datetime, offset))
    }
}

impl Serialize for Published {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Published, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_round_trips_day_and_instant() {
        for s in [
            "2023-05-11",
            "2023-05-11T15:52:00+04:30",
            "1999-12-31T23:00:00-05:00",
        ] {
            let p: Published = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
        let utc: Published = "2020-01-02T03:04:05Z".parse().unwrap();
        assert_eq!(utc.to_string(), "2020-01-02T03:04:05+00:00");
        assert!("2023-13-01".parse::<Published>().is_err());
        assert!("yesterday".parse::<Published>().is_err());
    }

    #[test]
    fn evidence_is_trimmed_and_bounded() {
        let f = Field::new(1, "x").with_evidence(format!("  {}  ", "é".repeat(500)));
        assert_eq!(f.evidence.unwrap().chars().count(), 200);
    }
}
