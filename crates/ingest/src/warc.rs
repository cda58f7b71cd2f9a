use std::io::{self, BufRead, Read};

use newsdesk_span::Source;

use crate::{io_reason, Body, Format, Hint, Hints, InputError, Item, Limits, Reason, Record, Size};

/// A streaming WARC 1.0/1.1 reader yielding the HTML of `response` (and `resource`) records.
///
/// Written here rather than taken from a crate: the format is small, and we need per-record
/// size limits and errors that name the record, which the available crates do not give.
/// Requests, metadata, warcinfo and non-HTML responses are not articles and are passed over.
///
/// A broken record (a header without Content-Length, a length that does not end where the next
/// record begins, junk between records) is reported, and reading resumes at the next
/// `WARC/1.x` version line: one bad length in a crawl must not cost the records after it. A
/// record's block is checked to end at a record boundary (blank lines, then a version line or
/// the end of the file); when it does not, a version line inside the block marks where a
/// too-long length swallowed the next record, and reading resumes there.
pub struct WarcReader {
    location: String,
    stream: Pushback,
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

/// Why a record could not be read, and whether reading can go on after it.
enum Broken {
    /// Reading resumes at the next version line.
    Resync(Reason),
    /// The stream itself failed or ended: nothing after this can be read.
    Fatal(Reason),
}

impl WarcReader {
    pub fn new(location: String, stream: Box<dyn BufRead>, limits: Limits) -> WarcReader {
        WarcReader {
            location,
            stream: Pushback {
                front: Vec::new(),
                pos: 0,
                inner: stream,
            },
            limits,
            index: 0,
            done: false,
        }
    }

    fn error(&self, reason: Reason) -> Item {
        Err(InputError::new(&self.location, Some(self.index), reason))
    }

    /// Reads the version line and header fields; `Ok(None)` at a clean end of file.
    fn read_header(&mut self) -> Result<Option<Header>, Broken> {
        let mut line = Vec::new();
        // Skip the blank lines that separate records.
        loop {
            line.clear();
            if read_line(&mut self.stream, &mut line)? == 0 {
                return Ok(None);
            }
            if !line.trim_ascii().is_empty() {
                break;
            }
        }
        if !is_version_line(&line) {
            let found = String::from_utf8_lossy(line.trim_ascii())
                .chars()
                .take(40)
                .collect::<String>();
            let skipped = line.len() as u64 + self.skip_to_version_line()?;
            return Err(Broken::Resync(Reason::Warc(format!(
                "expected a WARC/1.x version line, found {found:?}; skipped {skipped} bytes to \
                 the next record"
            ))));
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            line.clear();
            if read_line(&mut self.stream, &mut line)? == 0 {
                return Err(Broken::Fatal(Reason::Warc(
                    "file ends inside a record header".into(),
                )));
            }
            let text = String::from_utf8_lossy(&line);
            let trimmed = text.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                break;
            }
            if trimmed.starts_with([' ', '\t']) && !fields.is_empty() {
                // A folded header line continues the previous field's value.
                let last = fields.len() - 1;
                fields[last].1.push(' ');
                fields[last].1.push_str(trimmed.trim());
                continue;
            }
            if is_version_line(&line) {
                // A record cut short inside its header: the next one starts here.
                self.stream.unread(&line);
                return Err(Broken::Resync(Reason::Warc(
                    "record header cut short by the next record".into(),
                )));
            }
            match trimmed.split_once(':') {
                Some((key, value)) => {
                    fields.push((key.trim().to_string(), value.trim().to_string()))
                }
                None => {
                    let reason = Reason::Warc(format!("header line without a colon: {trimmed:?}"));
                    self.skip_to_version_line()?;
                    return Err(Broken::Resync(reason));
                }
            }
            if fields.len() > 1000 {
                self.skip_to_version_line()?;
                return Err(Broken::Resync(Reason::Warc(
                    "more than 1000 header fields".into(),
                )));
            }
        }
        Ok(Some(Header { fields }))
    }

    /// Consumes lines up to (not including) the next version line or the end of the file;
    /// returns the bytes passed over.
    fn skip_to_version_line(&mut self) -> Result<u64, Broken> {
        let mut skipped = 0;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut self.stream)
                .take(64 * 1024)
                .read_until(b'\n', &mut line)
                .map_err(|err| Broken::Fatal(io_reason(err)))?;
            if n == 0 {
                return Ok(skipped);
            }
            if is_version_line(&line) {
                self.stream.unread(&line);
                return Ok(skipped);
            }
            skipped += n as u64;
        }
    }

    /// After a block: true when the record separator (a blank line) or the end of the file
    /// follows, or blank lines and then a version line, as they must when the Content-Length
    /// was right. What follows a proper separator is the next header's business.
    fn at_record_boundary(&mut self) -> Result<bool, Broken> {
        let fatal = |err| Broken::Fatal(io_reason(err));
        let next = self.stream.peek(4).map_err(fatal)?;
        if next.is_empty() || next.starts_with(b"\r\n\r\n") || next.starts_with(b"\n\n") {
            return Ok(true);
        }
        loop {
            let next = self.stream.peek(1).map_err(fatal)?;
            match next.first() {
                None => return Ok(true),
                Some(b'\r' | b'\n') => self.stream.consume(1),
                Some(_) => break,
            }
        }
        let next = self.stream.peek(8).map_err(fatal)?;
        Ok(next.starts_with(b"WARC/1."))
    }

    /// Reports a block whose length does not end the record, and moves to the next record: to
    /// a version line inside the block (the length ran past its record), else past the bytes
    /// that follow the block.
    fn misplaced_end(&mut self, length: u64, block: Option<&[u8]>) -> Result<Reason, Broken> {
        if let Some((block, at)) = block.and_then(|b| Some((b, version_line_in(b)?))) {
            self.stream.unread(&block[at..]);
            return Ok(Reason::Warc(format!(
                "Content-Length {length} runs past the end of the record (the next record \
                 starts {at} bytes into the block)"
            )));
        }
        let skipped = self.skip_to_version_line()?;
        Ok(Reason::Warc(format!(
            "Content-Length {length} does not end the record; skipped {skipped} bytes to the \
             next record"
        )))
    }

    /// Reads one record: `Ok(None)` when it holds no article (or the file ended cleanly).
    fn read_record(&mut self) -> Result<Option<Record>, Broken> {
        let Some(header) = self.read_header()? else {
            self.done = true;
            return Ok(None);
        };
        let length = match header.get("Content-Length").map(str::trim) {
            Some(value) => match value.parse::<u64>() {
                Ok(length) => length,
                Err(_) => {
                    let reason = Reason::Warc(format!("bad Content-Length {value:?}"));
                    self.skip_to_version_line()?;
                    return Err(Broken::Resync(reason));
                }
            },
            None => {
                self.skip_to_version_line()?;
                return Err(Broken::Resync(Reason::Warc(
                    "record without Content-Length".into(),
                )));
            }
        };
        let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let wanted = kind == "response" || kind == "resource";
        if length > self.limits.max_record_bytes {
            let copied = io::copy(&mut (&mut self.stream).take(length), &mut io::sink())
                .map_err(|err| Broken::Fatal(io_reason(err)))?;
            if copied < length {
                return Err(Broken::Fatal(Reason::Warc(
                    "file ends inside a record body".into(),
                )));
            }
            if !self.at_record_boundary()? {
                return Err(Broken::Resync(self.misplaced_end(length, None)?));
            }
            return match wanted {
                true => Err(Broken::Resync(Reason::TooLarge {
                    size: Size::Exact(length),
                    limit: self.limits.max_record_bytes,
                })),
                false => Ok(None),
            };
        }
        let mut block = Vec::with_capacity(length as usize);
        let read = (&mut self.stream).take(length).read_to_end(&mut block);
        if let Err(err) = read {
            return Err(Broken::Fatal(io_reason(err)));
        }
        if (block.len() as u64) < length {
            // A length running past the end of the file may have swallowed whole records.
            if version_line_in(&block).is_some() {
                return Err(Broken::Resync(self.misplaced_end(length, Some(&block))?));
            }
            return Err(Broken::Fatal(Reason::Warc(
                "file ends inside a record body".into(),
            )));
        }
        if !self.at_record_boundary()? {
            return Err(Broken::Resync(self.misplaced_end(length, Some(&block))?));
        }
        if !wanted {
            return Ok(None);
        }
        let content_type = header
            .get("Content-Type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let (http_type, payload) = if content_type.starts_with("application/http") {
            match split_http(&block) {
                Some(parts) => parts,
                None => {
                    return Err(Broken::Resync(Reason::Warc(
                        "response record without an HTTP header".into(),
                    )))
                }
            }
        } else {
            (content_type, block)
        };
        if !(http_type.contains("html") || http_type.is_empty()) {
            return Ok(None);
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
        Ok(Some(Record {
            source: Source {
                location: self.location.clone(),
                record: Some(self.index),
            },
            format: Format::Html,
            body: Body::Html(payload),
            hints,
        }))
    }
}

impl From<Reason> for Broken {
    fn from(reason: Reason) -> Broken {
        Broken::Fatal(reason)
    }
}

/// "WARC/1.0" or "WARC/1.1" (any minor version) alone on its line.
fn is_version_line(line: &[u8]) -> bool {
    let line = line.trim_ascii();
    line.strip_prefix(b"WARC/1.")
        .is_some_and(|minor| !minor.is_empty() && minor.iter().all(u8::is_ascii_digit))
}

/// Where the first version line inside `block` starts.
fn version_line_in(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = block[from..].windows(8).position(|w| w == b"\nWARC/1.") {
        let start = from + at + 1;
        let end = block[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(block.len(), |i| start + i + 1);
        if is_version_line(&block[start..end]) {
            return Some(start);
        }
        from = start;
    }
    None
}

/// Header lines are short; a line past 64 KiB means this is not a WARC header.
fn read_line(stream: &mut Pushback, line: &mut Vec<u8>) -> Result<usize, Broken> {
    let n = stream
        .take(64 * 1024)
        .read_until(b'\n', line)
        .map_err(|err| Broken::Fatal(io_reason(err)))?;
    if n == 64 * 1024 && !line.ends_with(b"\n") {
        return Err(Broken::Fatal(Reason::Warc(
            "header line longer than 64 KiB".into(),
        )));
    }
    Ok(n)
}

/// A buffered stream that can take bytes back, so that a record found inside another's block
/// is read from its own first byte.
struct Pushback {
    front: Vec<u8>,
    pos: usize,
    inner: Box<dyn BufRead>,
}

impl Pushback {
    fn unread(&mut self, bytes: &[u8]) {
        let mut front = bytes.to_vec();
        front.extend_from_slice(&self.front[self.pos..]);
        self.front = front;
        self.pos = 0;
    }

    /// Up to `n` bytes ahead, fewer only at the end of the stream.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.front.len() - self.pos < n {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk.len().min(n - (self.front.len() - self.pos));
            self.front.extend_from_slice(&chunk[..take]);
            self.inner.consume(take);
        }
        let end = self.front.len().min(self.pos + n);
        Ok(&self.front[self.pos..end])
    }
}

impl Read for Pushback {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Pushback {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.front.len() {
            return Ok(&self.front[self.pos..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.front.len() {
            self.pos += amt;
            if self.pos >= self.front.len() {
                self.front.clear();
                self.pos = 0;
            }
        } else {
            self.inner.consume(amt);
        }
    }
}

impl Iterator for WarcReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.index += 1;
            match self.read_record() {
                Ok(Some(record)) => return Some(Ok(record)),
                Ok(None) => continue,
                Err(Broken::Resync(reason)) => return Some(self.error(reason)),
                Err(Broken::Fatal(reason)) => {
                    self.done = true;
                    return Some(self.error(reason));
                }
            }
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

    fn page(n: usize) -> String {
        record(
            "response",
            "application/http; msgtype=response",
            &format!("https://n.example/{n}"),
            &format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>story {n}</p>"),
        )
    }

    fn outcome(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Ok(r) => format!(
                    "{} ok {}",
                    r.source.record.unwrap(),
                    r.hints.url.as_deref().unwrap()
                ),
                Err(e) => format!("{} err", e.source.record.unwrap()),
            })
            .collect()
    }

    #[test]
    fn bad_content_length_does_not_drop_the_valid_records_after_it() {
        let with_length = |length: &str| {
            page(2).replacen(
                &format!(
                    "Content-Length: {}",
                    page(2)
                        .split("Content-Length: ")
                        .nth(1)
                        .unwrap()
                        .split("\r\n")
                        .next()
                        .unwrap()
                ),
                &format!("Content-Length: {length}"),
                1,
            )
        };
        let block_len: usize = page(2)
            .split("Content-Length: ")
            .nth(1)
            .unwrap()
            .split("\r\n")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        for (case, length) in [
            ("too long", (block_len + 40).to_string()),
            ("too long, past the end of the file", "100000".to_string()),
            ("too short", (block_len - 20).to_string()),
            ("not a number", "12x".to_string()),
        ] {
            let input = [page(1), with_length(&length), page(3), page(4)].concat();
            let items = read(input, 1 << 20);
            assert_eq!(
                outcome(&items),
                [
                    "1 ok https://n.example/1",
                    "2 err",
                    "3 ok https://n.example/3",
                    "4 ok https://n.example/4"
                ],
                "{case}"
            );
            let err = items[1].as_ref().unwrap_err().to_string();
            assert!(
                err.starts_with("cc.warc#2: malformed WARC") && err.contains("Content-Length"),
                "{case}: {err}"
            );
        }
        // A record without a length at all is passed over the same way.
        let no_length = page(2).replace("Content-Length", "X-Length");
        let items = read([page(1), no_length, page(3)].concat(), 1 << 20);
        assert_eq!(
            outcome(&items),
            [
                "1 ok https://n.example/1",
                "2 err",
                "3 ok https://n.example/3"
            ]
        );
    }

    #[test]
    fn junk_between_records_is_reported_and_skipped() {
        let input = [page(1), "garbage line\r\nmore garbage\r\n".into(), page(2)].concat();
        let items = read(input, 1 << 20);
        assert_eq!(
            outcome(&items),
            [
                "1 ok https://n.example/1",
                "2 err",
                "3 ok https://n.example/2"
            ]
        );
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("expected a WARC/1.x version line"));
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
    }
}
