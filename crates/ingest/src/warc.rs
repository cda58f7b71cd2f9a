use std::io::{self, BufRead, Read};

use newsdesk_span::Source;

use crate::{Body, Format, Hint, Hints, InputError, Item, Limits, Reason, Record};

/// A streaming WARC 1.0/1.1 reader yielding the HTML of `response` (and `resource`) records.
///
/// Written here rather than taken from a crate: the format is small, and we need per-record
/// size limits and errors that name the record, which the available crates do not give.
/// Requests, metadata, warcinfo and non-HTML responses are not articles and are passed over.
/// After a malformed header the reader cannot find the next record boundary reliably, so it
/// reports the error and stops reading that file.
pub struct WarcReader {
    location: String,
    stream: Box<dyn BufRead>,
    limits: Limits,
    index: u64,
    done: bool,
}

struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl WarcReader {
    pub fn new(location: String, stream: Box<dyn BufRead>, limits: Limits) -> WarcReader {
        WarcReader {
            location,
            stream,
            limits,
            index: 0,
            done: false,
        }
    }

    fn fail(&mut self, reason: Reason) -> Option<Item> {
        self.done = true;
        Some(Err(InputError::new(
            &self.location,
            Some(self.index),
            reason,
        )))
    }

    /// Reads the version line and header fields; `Ok(None)` at a clean end of file.
    fn read_header(&mut self) -> Result<Option<Header>, Reason> {
        let mut line = String::new();
        // Skip the blank lines that separate records.
        loop {
            line.clear();
            if read_line(&mut self.stream, &mut line)? == 0 {
                return Ok(None);
            }
            if !line.trim().is_empty() {
                break;
            }
        }
        if !line.starts_with("WARC/") {
            return Err(Reason::Warc(format!(
                "expected a WARC/1.x version line, found {:?}",
                line.trim().chars().take(40).collect::<String>()
            )));
        }
        let mut fields = Vec::new();
        loop {
            line.clear();
            if read_line(&mut self.stream, &mut line)? == 0 {
                return Err(Reason::Warc("file ends inside a record header".into()));
            }
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                break;
            }
            match trimmed.split_once(':') {
                Some((key, value)) => {
                    fields.push((key.trim().to_string(), value.trim().to_string()))
                }
                None => {
                    return Err(Reason::Warc(format!(
                        "header line without a colon: {trimmed:?}"
                    )))
                }
            }
            if fields.len() > 1000 {
                return Err(Reason::Warc("more than 1000 header fields".into()));
            }
        }
        Ok(Some(Header { fields }))
    }
}

/// Header lines are short; a line past 64 KiB means this is not a WARC header.
fn read_line(stream: &mut dyn BufRead, line: &mut String) -> Result<usize, Reason> {
    let mut bytes = Vec::new();
    let n = stream.take(64 * 1024).read_until(b'\n', &mut bytes)?;
    if n == 64 * 1024 && !bytes.ends_with(b"\n") {
        return Err(Reason::Warc("header line longer than 64 KiB".into()));
    }
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(n)
}

impl Iterator for WarcReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.index += 1;
            let header = match self.read_header() {
                Ok(Some(header)) => header,
                Ok(None) => return None,
                Err(reason) => return self.fail(reason),
            };
            let Some(length) = header.get("Content-Length") else {
                return self.fail(Reason::Warc("record without Content-Length".into()));
            };
            let Ok(length) = length.parse::<u64>() else {
                return self.fail(Reason::Warc(format!("bad Content-Length {length:?}")));
            };
            let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
            let wanted = kind == "response" || kind == "resource";
            if !wanted || length > self.limits.max_record_bytes {
                match io::copy(&mut (&mut self.stream).take(length), &mut io::sink()) {
                    Ok(n) if n < length => {
                        return self.fail(Reason::Warc("file ends inside a record body".into()))
                    }
                    Err(err) => return self.fail(Reason::Io(err)),
                    Ok(_) => {}
                }
                if wanted {
                    let limit = self.limits.max_record_bytes;
                    let source = Source {
                        location: self.location.clone(),
                        record: Some(self.index),
                    };
                    return Some(Err(InputError {
                        source,
                        reason: Reason::TooLarge {
                            size: length,
                            limit,
                        },
                    }));
                }
                continue;
            }
            let mut block = Vec::with_capacity(length as usize);
            match (&mut self.stream).take(length).read_to_end(&mut block) {
                Ok(n) if (n as u64) < length => {
                    return self.fail(Reason::Warc("file ends inside a record body".into()))
                }
                Err(err) => return self.fail(Reason::Io(err)),
                Ok(_) => {}
            }
            let content_type = header
                .get("Content-Type")
                .unwrap_or("")
                .to_ascii_lowercase();
            let (http_type, payload) = if content_type.starts_with("application/http") {
                match split_http(&block) {
                    Some(parts) => parts,
                    None => {
                        let source = Source {
                            location: self.location.clone(),
                            record: Some(self.index),
                        };
                        return Some(Err(InputError {
                            source,
                            reason: Reason::Warc("response record without an HTTP header".into()),
                        }));
                    }
                }
            } else {
                (content_type, block)
            };
            if !(http_type.contains("html") || http_type.is_empty()) {
                continue;
            }
            let charset = http_type
                .split(';')
                .find_map(|part| part.trim().strip_prefix("charset="))
                .map(|c| c.trim_matches(['"', '\'']).to_string());
            let hints = Hints {
                charset,
                url: header
                    .get("WARC-Target-URI")
                    .map(|u| u.trim_matches(['<', '>']).to_string()),
                fetched: header.get("WARC-Date").map(str::to_string),
                language: header
                    .get("WARC-Identified-Content-Language")
                    .and_then(|l| {
                        Hint::new(
                            l.split(',').next().unwrap_or(""),
                            "warc:WARC-Identified-Content-Language",
                        )
                    }),
                ..Hints::default()
            };
            return Some(Ok(Record {
                source: Source {
                    location: self.location.clone(),
                    record: Some(self.index),
                },
                format: Format::Html,
                body: Body::Html(payload),
                hints,
            }));
        }
        None
    }
}

/// Splits an HTTP response into its lower-cased Content-Type and its decoded body.
fn split_http(block: &[u8]) -> Option<(String, Vec<u8>)> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    if !head.starts_with("HTTP/") {
        return None;
    }
    let mut content_type = String::new();
    let mut chunked = false;
    let mut gzipped = false;
    for line in head.lines().skip(1) {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match key.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = value,
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => gzipped = value.contains("gzip"),
            _ => {}
        }
    }
    let mut body = block[end.1..].to_vec();
    if chunked {
        body = dechunk(&body).unwrap_or(body);
    }
    if gzipped {
        let mut decoded = Vec::new();
        if flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut decoded)
            .is_ok()
        {
            body = decoded;
        }
    }
    Some((content_type, body))
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn record(kind: &str, content_type: &str, uri: &str, block: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-07-19T08:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    fn read(input: String, limit: u64) -> Vec<Item> {
        let limits = Limits {
            max_record_bytes: limit,
        };
        WarcReader::new(
            "cc.warc".into(),
            Box::new(Cursor::new(input.into_bytes())),
            limits,
        )
        .collect()
    }

    #[test]
    fn reads_html_responses_and_passes_over_the_rest() {
        let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><p>Story</p></html>";
        let image = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG";
        let input = [
            record("warcinfo", "application/warc-fields", "", "software: x\r\n"),
            record(
                "request",
                "application/http; msgtype=request",
                "https://n.example/a",
                "GET / HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "application/http; msgtype=response",
                "https://n.example/a",
                http,
            ),
            record(
                "response",
                "application/http; msgtype=response",
                "https://n.example/i.png",
                image,
            ),
        ]
        .concat();
        let items = read(input, 1 << 20);
        assert_eq!(items.len(), 1);
        let rec = items[0].as_ref().unwrap();
        assert_eq!(rec.hints.url.as_deref(), Some("https://n.example/a"));
        assert_eq!(rec.hints.fetched.as_deref(), Some("2024-07-19T08:00:00Z"));
        assert_eq!(rec.body, Body::Html(b"<html><p>Story</p></html>".to_vec()));
        assert_eq!(rec.source.record, Some(3));
    }

    #[test]
    fn oversized_record_is_reported_and_the_next_one_read() {
        let big = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{}",
            "x".repeat(5000)
        );
        let small = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>ok</p>";
        let input = [
            record(
                "response",
                "application/http; msgtype=response",
                "https://n.example/big",
                &big,
            ),
            record(
                "response",
                "application/http; msgtype=response",
                "https://n.example/ok",
                small,
            ),
        ]
        .concat();
        let items = read(input, 1000);
        assert!(matches!(
            items[0].as_ref().unwrap_err().reason,
            Reason::TooLarge { .. }
        ));
        assert!(items[1].is_ok());
    }

    #[test]
    fn malformed_and_truncated_records_name_the_reason() {
        let items = read("WARC/1.0\r\nWARC-Type: response\r\n\r\nbody".into(), 1000);
        let err = items[0].as_ref().unwrap_err();
        assert!(err.to_string().contains("without Content-Length"), "{err}");
        let truncated =
            "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 500\r\n\r\nshort".to_string();
        let items = read(truncated, 1000);
        assert_eq!(items.len(), 1);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("ends inside a record body"));
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
    }
}
