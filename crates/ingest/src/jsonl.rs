use std::io::{BufRead, Read};

use newsdesk_span::Source;
use serde_json::{Map, Value};

use crate::{Body, Format, Hint, Hints, InputError, Item, Limits, Reason, Record, Size};

/// JSON Lines, one article object per line (also a single JSON array of such objects).
///
/// Field names vary by crawler; each list is in order of preference. news-please writes
/// `maintext`, `date_publish`, `source_domain`, `authors`, `date_download`.
const URL: &[&str] = &["url", "link", "canonical_url", "source_url"];
const TITLE: &[&str] = &["title", "headline", "title_page", "title_rss"];
const TEXT: &[&str] = &[
    "maintext",
    "text",
    "content",
    "body",
    "article",
    "articleBody",
];
const HTML: &[&str] = &["html", "raw_html", "content_html"];
const PUBLISHED: &[&str] = &[
    "date_publish",
    "published",
    "date",
    "date_published",
    "datePublished",
    "publish_date",
    "pubDate",
    "publication_date",
];
const OUTLET: &[&str] = &[
    "outlet",
    "source_domain",
    "source",
    "site_name",
    "publisher",
    "domain",
];
const BYLINE: &[&str] = &["byline", "authors", "author"];
const LANGUAGE: &[&str] = &["language", "lang"];
const FETCHED: &[&str] = &["date_download", "fetched", "crawled", "date_crawled"];

pub struct JsonlReader {
    location: String,
    stream: Box<dyn BufRead>,
    limits: Limits,
    line: u64,
    pending: std::vec::IntoIter<Item>,
    done: bool,
}

impl JsonlReader {
    pub fn new(location: String, stream: Box<dyn BufRead>, limits: Limits) -> JsonlReader {
        JsonlReader {
            location,
            stream,
            limits,
            line: 0,
            pending: Vec::new().into_iter(),
            done: false,
        }
    }

    fn error(&self, record: Option<u64>, reason: Reason) -> Item {
        Err(InputError::new(&self.location, record, reason))
    }

    /// Reads one line, refusing (and skipping the rest of) a line over the size limit.
    fn next_line(&mut self) -> Option<Result<Vec<u8>, Reason>> {
        let limit = self.limits.max_record_bytes;
        let mut line = Vec::new();
        let read = (&mut self.stream)
            .take(limit + 1)
            .read_until(b'\n', &mut line);
        match read {
            Ok(0) => None,
            Err(err) => {
                self.done = true;
                Some(Err(Reason::Io(err)))
            }
            Ok(_) if line.len() as u64 > limit && !line.ends_with(b"\n") => {
                // The rest of the line is skipped; reading it to its end gives its size.
                let mut skipped = line.len() as u64;
                let mut complete = false;
                let mut sink = Vec::new();
                loop {
                    sink.clear();
                    match (&mut self.stream)
                        .take(1 << 20)
                        .read_until(b'\n', &mut sink)
                    {
                        Ok(0) => {
                            complete = true;
                            break;
                        }
                        Err(_) => break,
                        Ok(n) => {
                            skipped += n as u64;
                            if sink.ends_with(b"\n") {
                                complete = true;
                                break;
                            }
                        }
                    }
                }
                let size = if complete {
                    Size::Exact(skipped)
                } else {
                    Size::MoreThan(skipped)
                };
                Some(Err(Reason::TooLarge { size, limit }))
            }
            Ok(_) => Some(Ok(line)),
        }
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.next() {
            return Some(item);
        }
        while !self.done {
            let line = self.next_line()?;
            self.line += 1;
            let record = Some(self.line);
            let line = match line {
                Ok(line) => line,
                Err(reason) => return Some(self.error(record, reason)),
            };
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            if self.line == 1 && trimmed.starts_with(b"[") {
                return self.read_array(line);
            }
            let value: Value = match serde_json::from_slice(trimmed) {
                Ok(value) => value,
                Err(err) => {
                    let reason = match std::str::from_utf8(trimmed) {
                        Err(utf8) => Reason::InvalidUtf8(utf8.valid_up_to()),
                        Ok(_) => Reason::Json(err.to_string()),
                    };
                    return Some(self.error(record, reason));
                }
            };
            return Some(record_from_value(&self.location, self.line, value));
        }
        None
    }
}

impl JsonlReader {
    /// A JSON array spread over any number of lines: read it whole (within 16 record limits).
    fn read_array(&mut self, first: Vec<u8>) -> Option<Item> {
        self.done = true;
        let limit = self.limits.max_record_bytes.saturating_mul(16);
        let mut bytes = first;
        if let Err(err) = (&mut self.stream).take(limit).read_to_end(&mut bytes) {
            return Some(self.error(None, Reason::Io(err)));
        }
        let values: Vec<Value> = match serde_json::from_slice(&bytes) {
            Ok(values) => values,
            Err(err) => return Some(self.error(None, Reason::Json(err.to_string()))),
        };
        let items: Vec<Item> = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| record_from_value(&self.location, i as u64 + 1, value))
            .collect();
        self.pending = items.into_iter();
        self.pending.next()
    }
}

fn record_from_value(location: &str, index: u64, value: Value) -> Item {
    let source = Source {
        location: location.to_string(),
        record: Some(index),
    };
    let Value::Object(map) = value else {
        return Err(InputError {
            source,
            reason: Reason::Json("a line is not a JSON object".into()),
        });
    };
    let hints = Hints {
        url: first_string(&map, URL).map(|(_, v)| v),
        title: hint(&map, TITLE),
        byline: hint(&map, BYLINE),
        outlet: hint(&map, OUTLET),
        published: hint(&map, PUBLISHED),
        language: hint(&map, LANGUAGE),
        fetched: first_string(&map, FETCHED).map(|(_, v)| v),
        charset: None,
        original: None,
    };
    // Prefer the crawler's extracted text; fall back to its HTML.
    let body = if let Some((_, text)) = first_string(&map, TEXT) {
        Body::Text(text)
    } else if let Some((_, html)) = first_string(&map, HTML) {
        Body::Html(html.into_bytes())
    } else {
        return Err(InputError {
            source,
            reason: Reason::Empty,
        });
    };
    let format = match body {
        Body::Html(_) => Format::Html,
        Body::Text(_) => Format::Text,
    };
    Ok(Record {
        source,
        format,
        body,
        hints,
    })
}

fn hint(map: &Map<String, Value>, keys: &[&str]) -> Option<Hint> {
    first_string(map, keys).and_then(|(key, value)| Hint::new(value, format!("json:{key}")))
}

/// The first key present with a usable value. Lists of strings (news-please's `authors`) are
/// joined; objects with a `name` (JSON-LD style) give that name.
fn first_string(map: &Map<String, Value>, keys: &[&str]) -> Option<(String, String)> {
    keys.iter().find_map(|&key| {
        let value = map.get(key)?;
        let s = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::Object(o) => o.get("name").and_then(Value::as_str)?.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then(|| (key.to_string(), s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(input: &str, limit: u64) -> Vec<Item> {
        let limits = Limits {
            max_record_bytes: limit,
        };
        JsonlReader::new(
            "in.jsonl".into(),
            Box::new(Cursor::new(input.as_bytes().to_vec())),
            limits,
        )
        .collect()
    }

    #[test]
    fn news_please_fields_become_hints() {
        let line = r#"{"url":"https://example.org/a","title":"T","maintext":"Body.","date_publish":"2023-05-11 15:52:00","source_domain":"example.org","authors":["A B","C D"],"date_download":"2024-07-19 10:00:00"}"#;
        let items = read(line, 10_000);
        let record = items[0].as_ref().unwrap();
        assert_eq!(record.body, Body::Text("Body.".into()));
        assert_eq!(
            record.hints.published.as_ref().unwrap().source,
            "json:date_publish"
        );
        assert_eq!(record.hints.byline.as_ref().unwrap().value, "A B, C D");
        assert_eq!(record.hints.outlet.as_ref().unwrap().value, "example.org");
        assert_eq!(record.hints.fetched.as_deref(), Some("2024-07-19 10:00:00"));
        assert_eq!(record.source.record, Some(1));
    }

    #[test]
    fn bad_lines_are_reported_and_reading_goes_on() {
        let input = format!(
            "{}\nnot json\n{}\n{}\n",
            r#"{"text":"one"}"#,
            format_args!(r#"{{"text":"{}"}}"#, "x".repeat(500)),
            r#"{"html":"<p>three</p>"}"#
        );
        let items = read(&input, 200);
        assert_eq!(items.len(), 4);
        assert!(items[0].is_ok());
        assert!(matches!(
            items[1].as_ref().unwrap_err().reason,
            Reason::Json(_)
        ));
        assert!(matches!(
            items[2].as_ref().unwrap_err().reason,
            Reason::TooLarge { .. }
        ));
        assert_eq!(items[2].as_ref().unwrap_err().source.record, Some(3));
        assert_eq!(items[3].as_ref().unwrap().format, Format::Html);
    }

    #[test]
    fn json_array_is_read_as_records() {
        let items = read(r#"[{"text":"a"},{"text":"b"}]"#, 10_000);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].as_ref().unwrap().source.record, Some(2));
    }
}
