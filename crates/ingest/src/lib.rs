//! Readers that turn news inputs into [`Record`]s: one record per article-to-be, carrying the
//! raw body (HTML bytes or text) and the hints its container gave (URL, title, date, outlet).
//!
//! Formats are detected by content first and extension second, each optionally gzipped:
//! plain text captured from pages, HTML, JSON Lines (news-please and similar field names),
//! WARC 1.0/1.1 response records, RSS 2.0 / Atom feeds, and Reuters-21578's SGML records.
//! Text is UTF-8, UTF-16 (with or without a byte order mark) or a legacy encoding guessed from
//! the bytes. A bad input yields an [`InputError`] naming the file (and record) and the reason;
//! reading goes on with the next one. Containers no reader understands (archives, PDFs, other
//! SGML or XML collections) are refused by name rather than read as one text.
//!
//! ```no_run
//! use newsdesk_ingest::{read_inputs, Limits};
//! for item in read_inputs(&["corpus/".into()], &Limits::default()) {
//!     match item {
//!         Ok(record) => println!("{} {:?}", record.source, record.hints.url),
//!         Err(err) => eprintln!("{err}"),
//!     }
//! }
//! ```

mod detect;
mod feed;
mod jsonl;
mod reuters;
mod warc;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use detect::{Detected, Encoding, Format};
use newsdesk_span::Source;

/// Size limits applied while reading. Anything larger is reported and skipped, so one
/// oversized record cannot exhaust memory or stall a run.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest single record (a text or HTML file, a JSONL line, a WARC or feed body), in bytes
    /// after decompression.
    pub max_record_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_record_bytes: 32 * 1024 * 1024,
        }
    }
}

/// What the body of a record is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Raw HTML bytes; the charset is resolved during extraction.
    Html(Vec<u8>),
    /// Text: captured from a page (with boilerplate) or already extracted by a crawler.
    Text(String),
}

/// Metadata a container supplied next to the body. Values are raw strings; extraction parses
/// and validates them, and records `source` as their provenance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    pub url: Option<String>,
    pub title: Option<Hint>,
    pub byline: Option<Hint>,
    pub outlet: Option<Hint>,
    pub published: Option<Hint>,
    pub language: Option<Hint>,
    /// When the page was fetched (WARC-Date, news-please's date_download): never a publication
    /// date, but kept so extraction can recognise a crawl date shown on the page.
    pub fetched: Option<String>,
    /// Charset declared by the transport (HTTP Content-Type), which outranks the page's own.
    pub charset: Option<String>,
    /// The bytes as read, when the body is a decoding of them rather than those bytes (a
    /// Latin-1 or UTF-16 file, an SGML record): the document ID hashes these, so it does not
    /// move when decoding or cleaning rules change.
    pub original: Option<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub value: String,
    /// Provenance name, e.g. `json:date_publish`, `feed:published`, `warc:WARC-Target-URI`.
    pub source: String,
}

impl Hint {
    fn new(value: impl Into<String>, source: impl Into<String>) -> Option<Hint> {
        let value = value.into().trim().to_string();
        (!value.is_empty()).then(|| Hint {
            value,
            source: source.into(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub source: Source,
    pub format: Format,
    pub body: Body,
    pub hints: Hints,
}

/// Why an input (or one record of it) could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    #[error("truncated or corrupt gzip stream: {0}")]
    Gzip(io::Error),
    #[error("binary data, not text, HTML, JSON Lines, WARC or a feed")]
    Binary,
    #[error("not a format newsdesk reads: {0}")]
    Unsupported(String),
    #[error("invalid UTF-8 at byte {0}")]
    InvalidUtf8(usize),
    #[error("record of {size} is over the size limit of {limit} bytes")]
    TooLarge { size: Size, limit: u64 },
    #[error("malformed WARC: {0}")]
    Warc(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("malformed Reuters SGML: {0}")]
    Reuters(String),
    #[error("no article text or HTML in the record")]
    Empty,
    #[error("skipped: {0}")]
    Skipped(String),
}

/// The size of a record refused as too large: exact when it is known (a file's length, a WARC
/// Content-Length, a line read to its end), or only a lower bound when reading stopped at the
/// limit (a compressed stream, stdin).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Exact(u64),
    MoreThan(u64),
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Size::Exact(n) => write!(f, "{n} bytes"),
            Size::MoreThan(n) => write!(f, "more than {n} bytes (reading stopped there)"),
        }
    }
}

/// A reading failure, naming where it happened.
#[derive(Debug)]
pub struct InputError {
    pub source: Source,
    pub reason: Reason,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.reason)
    }
}

impl InputError {
    fn new(location: &str, record: Option<u64>, reason: impl Into<Reason>) -> InputError {
        InputError {
            source: Source {
                location: location.to_string(),
                record,
            },
            reason: reason.into(),
        }
    }
}

pub type Item = Result<Record, InputError>;

/// Expands paths (files, directories recursively in sorted order, `-` for stdin) into the
/// input files to read. Unreadable directories are reported as errors, not skipped silently.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || path.is_file() {
            out.push(Ok(path.clone()));
            continue;
        }
        if !path.exists() {
            out.push(Err(InputError::new(
                &path.display().to_string(),
                None,
                io::Error::new(io::ErrorKind::NotFound, "no such file or directory"),
            )));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let hidden = entry.file_name().to_string_lossy().starts_with('.');
                    if !hidden {
                        out.push(Ok(entry.into_path()));
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let location = err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| path.display().to_string());
                    out.push(Err(InputError::new(&location, None, io::Error::other(err))));
                }
            }
        }
    }
    out
}

/// Reads every record of every input, lazily, in input order.
pub fn read_inputs<'a>(
    paths: &'a [PathBuf],
    limits: &'a Limits,
) -> impl Iterator<Item = Item> + 'a {
    expand_paths(paths)
        .into_iter()
        .flat_map(move |path| -> Box<dyn Iterator<Item = Item>> {
            match path {
                Ok(path) => read_path(&path, limits),
                Err(err) => Box::new(std::iter::once(Err(err))),
            }
        })
}

/// Reads the records of one file (or `-` for stdin).
pub fn read_path(path: &Path, limits: &Limits) -> Box<dyn Iterator<Item = Item>> {
    let location = path.display().to_string();
    let mut size = None;
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        match File::open(path) {
            Ok(file) => {
                size = file.metadata().ok().map(|m| m.len());
                Box::new(file)
            }
            Err(err) => {
                return Box::new(std::iter::once(Err(InputError::new(&location, None, err))))
            }
        }
    };
    let extension = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    read_stream_sized(location, &extension, reader, limits, size)
}

/// Reads records from any stream; `name` helps detection when content is ambiguous.
pub fn read_stream(
    location: String,
    name: &str,
    reader: Box<dyn Read>,
    limits: &Limits,
) -> Box<dyn Iterator<Item = Item>> {
    read_stream_sized(location, name, reader, limits, None)
}

/// [`read_stream`] knowing the stream's length, when it is a plain file, so that a refusal for
/// size can state it.
fn read_stream_sized(
    location: String,
    name: &str,
    reader: Box<dyn Read>,
    limits: &Limits,
    file_size: Option<u64>,
) -> Box<dyn Iterator<Item = Item>> {
    let fail = |location: &str, reason: Reason| -> Box<dyn Iterator<Item = Item>> {
        Box::new(std::iter::once(Err(InputError::new(
            location, None, reason,
        ))))
    };
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let gzipped = match reader.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(err) => return fail(&location, Reason::Io(err)),
    };
    let name = name.strip_suffix(".gz").unwrap_or(name).to_string();
    let mut stream: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            GzipErrors(flate2::read::MultiGzDecoder::new(reader)),
        ))
    } else {
        Box::new(reader)
    };
    let known_size = file_size.filter(|_| !gzipped);
    // A stream that breaks inside its first few KiB (a small truncated .gz) still holds whole
    // records before the break: the error is raised where reading reaches it.
    let (head, broken) = peek(&mut stream, 8192);
    if head.is_empty() {
        if let Some(err) = broken {
            return fail(&location, classify_io(err, gzipped));
        }
    }
    let (format, encoding) = match detect::detect(&head, &name) {
        Detected::Format(format, encoding) => (format, encoding),
        Detected::Binary => return fail(&location, Reason::Binary),
        Detected::Unsupported(what) => return fail(&location, Reason::Unsupported(what)),
    };
    let stream: Box<dyn BufRead> = match broken {
        None => Box::new(io::Cursor::new(head).chain(stream)),
        Some(err) => Box::new(io::Cursor::new(head).chain(BufReader::new(Broken::new(err)))),
    };
    let limit = limits.max_record_bytes;
    match format {
        Format::Warc => return Box::new(warc::WarcReader::new(location, stream, limits.clone())),
        Format::Jsonl | Format::ReutersSgml if encoding == Encoding::Bytes => {
            return match format {
                Format::Jsonl => {
                    Box::new(jsonl::JsonlReader::new(location, stream, limits.clone()))
                }
                _ => Box::new(reuters::ReutersReader::new(
                    location,
                    stream,
                    limits.clone(),
                )),
            };
        }
        _ => {}
    }
    let bytes = match read_limited(stream, limit, known_size) {
        Ok(bytes) => bytes,
        Err(reason) => return fail(&location, reason_for(reason, gzipped)),
    };
    let utf8 = |bytes: Vec<u8>| -> Vec<u8> {
        match encoding.encoding_rs() {
            Some(enc) => enc.decode(&bytes).0.into_owned().into_bytes(),
            None => bytes,
        }
    };
    match format {
        Format::Feed => Box::new(feed::read_feed(&location, &utf8(bytes)).into_iter()),
        Format::Html => Box::new(std::iter::once(Ok(Record {
            source: Source {
                location,
                record: None,
            },
            format,
            body: Body::Html(bytes),
            hints: Hints {
                // A UTF-16 page without a byte order mark declares nothing the page decoder
                // could read; the sniffed encoding stands in for the transport's charset.
                charset: encoding.label().map(str::to_string),
                ..Hints::default()
            },
        }))),
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(
            location,
            Box::new(io::Cursor::new(utf8(bytes))),
            limits.clone(),
        )),
        Format::ReutersSgml => Box::new(reuters::ReutersReader::new(
            location,
            Box::new(io::Cursor::new(utf8(bytes))),
            limits.clone(),
        )),
        _ => Box::new(std::iter::once(text_record(location, bytes, encoding))),
    }
}

/// A text record, decoded: UTF-16 as sniffed, else UTF-8 when the bytes are valid UTF-8, else
/// the legacy encoding `chardetng` guesses (Latin-1 and Windows-1252 text above all).
fn text_record(location: String, bytes: Vec<u8>, encoding: Encoding) -> Item {
    let text = decode_text(&bytes, encoding);
    let original = (text.as_bytes() != bytes.as_slice()).then_some(bytes);
    Ok(Record {
        source: Source {
            location,
            record: None,
        },
        format: Format::Text,
        body: Body::Text(text),
        hints: Hints {
            original,
            ..Hints::default()
        },
    })
}

/// Decodes text bytes, dropping a byte order mark and control characters other than line
/// breaks, tabs and form feeds (a stray NUL is noise in an article, not a reason to refuse it).
pub(crate) fn decode_text(bytes: &[u8], encoding: Encoding) -> String {
    let mut text = match encoding.encoding_rs() {
        // `decode` also removes the byte order mark.
        Some(enc) => enc.decode(bytes).0.into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
            Err(_) => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                detector.guess(None, true).decode(bytes).0.into_owned()
            }
        },
    };
    if text.chars().any(is_noise_control) {
        text.retain(|c| !is_noise_control(c));
    }
    text
}

fn is_noise_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')
}

/// A stream that broke: yields its error on every read, so that no reader takes the break
/// for a clean end of file.
struct Broken {
    kind: io::ErrorKind,
    message: String,
    gzip: bool,
}

impl Broken {
    fn new(err: io::Error) -> Broken {
        Broken {
            kind: err.kind(),
            gzip: is_gzip_error(&err),
            message: err.to_string(),
        }
    }
}

impl Read for Broken {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(if self.gzip {
            io::Error::new(self.kind, GzipError(self.message.clone()))
        } else {
            io::Error::new(self.kind, self.message.clone())
        })
    }
}

/// flate2 reports a truncated member as a plain `UnexpectedEof`; tag gzip errors so the
/// message can say the stream, not the disk, was at fault.
struct GzipErrors<R>(R);

impl<R: Read> Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|err| io::Error::new(err.kind(), GzipError(err.to_string())))
    }
}

#[derive(Debug)]
struct GzipError(String);

impl fmt::Display for GzipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GzipError {}

fn is_gzip_error(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<GzipError>().is_some())
}

/// An I/O error met inside a reader: the gzip layer tags its own.
pub(crate) fn io_reason(err: io::Error) -> Reason {
    if is_gzip_error(&err) {
        Reason::Gzip(err)
    } else {
        Reason::Io(err)
    }
}

fn classify_io(err: io::Error, gzipped: bool) -> Reason {
    if is_gzip_error(&err) || (gzipped && err.kind() == io::ErrorKind::UnexpectedEof) {
        Reason::Gzip(err)
    } else {
        Reason::Io(err)
    }
}

fn reason_for(reason: Reason, gzipped: bool) -> Reason {
    match reason {
        Reason::Io(err) => classify_io(err, gzipped),
        other => other,
    }
}

/// The first `n` bytes, and the error that stopped reading short of them, if one did (the bytes
/// read before it are kept).
fn peek(stream: &mut dyn BufRead, n: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = Vec::with_capacity(n);
    let err = stream.take(n as u64).read_to_end(&mut head).err();
    (head, err)
}

/// Reads a whole stream, failing once it passes `limit` bytes. `known_size` is the stream's
/// length when known beforehand, which the refusal then states.
fn read_limited(stream: impl Read, limit: u64, known_size: Option<u64>) -> Result<Vec<u8>, Reason> {
    let mut bytes = Vec::new();
    stream.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let size = match known_size {
            Some(size) if size > limit => Size::Exact(size),
            _ => Size::MoreThan(limit),
        };
        return Err(Reason::TooLarge { size, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_bytes(name: &str, bytes: Vec<u8>, limits: &Limits) -> Vec<Item> {
        read_stream(
            name.to_string(),
            name,
            Box::new(io::Cursor::new(bytes)),
            limits,
        )
        .collect()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn plain_text_and_gzipped_text_read_the_same() {
        let text = b"Headline\n\nA body paragraph that says something.\n".to_vec();
        let plain = read_bytes("a.txt", text.clone(), &Limits::default());
        let zipped = read_bytes("a.txt.gz", gzip(&text), &Limits::default());
        let plain = plain.into_iter().next().unwrap().unwrap();
        let zipped = zipped.into_iter().next().unwrap().unwrap();
        assert_eq!(plain.body, zipped.body);
        assert_eq!(plain.format, Format::Text);
    }

    #[test]
    fn truncated_gzip_is_reported_as_gzip() {
        let text = "word ".repeat(20_000);
        let mut bytes = gzip(text.as_bytes());
        bytes.truncate(bytes.len() / 2);
        let items = read_bytes("t.txt.gz", bytes, &Limits::default());
        let err = items.into_iter().next().unwrap().unwrap_err();
        assert!(matches!(err.reason, Reason::Gzip(_)), "{err}");
        assert!(err
            .to_string()
            .starts_with("t.txt.gz: truncated or corrupt gzip"));
    }

    #[test]
    fn binary_junk_is_named() {
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let err = read_bytes("junk.bin", junk, &Limits::default())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err.reason, Reason::Binary));
    }

    fn text_of(item: &Item) -> &str {
        match &item.as_ref().unwrap().body {
            Body::Text(text) => text,
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn latin1_text_is_decoded_not_refused() {
        let mut latin1 = b"Caf".to_vec();
        latin1.push(0xe9);
        latin1.extend_from_slice(b" au lait, a text with Latin-1 bytes, na\xefve and all.");
        let items = read_bytes("latin1.txt", latin1.clone(), &Limits::default());
        assert_eq!(
            text_of(&items[0]),
            "Caf\u{e9} au lait, a text with Latin-1 bytes, na\u{ef}ve and all."
        );
        // The document ID hashes the bytes as read, not their decoding.
        let record = items[0].as_ref().unwrap();
        assert_eq!(record.hints.original.as_deref(), Some(latin1.as_slice()));
        // UTF-8 text is its own original.
        let items = read_bytes("u.txt", "Caf\u{e9}".into(), &Limits::default());
        assert!(items[0].as_ref().unwrap().hints.original.is_none());
    }

    fn utf16(s: &str, order: fn(u16) -> [u8; 2]) -> Vec<u8> {
        s.encode_utf16().flat_map(order).collect()
    }

    #[test]
    fn utf16_text_with_bom_is_decoded_not_refused() {
        let story =
            "Harbour reopens\n\nThe harbour of Portville reopened on Tuesday \u{2014} \u{e9}t\u{e9} 2024.";
        for (name, bytes) in [
            (
                "le.txt",
                [&[0xff, 0xfe][..], &utf16(story, u16::to_le_bytes)].concat(),
            ),
            (
                "be.txt",
                [&[0xfe, 0xff][..], &utf16(story, u16::to_be_bytes)].concat(),
            ),
            ("nobom.txt", utf16(story, u16::to_le_bytes)),
        ] {
            let items = read_bytes(name, bytes.clone(), &Limits::default());
            assert_eq!(text_of(&items[0]), story, "{name}");
            assert_eq!(
                items[0].as_ref().unwrap().hints.original.as_deref(),
                Some(bytes.as_slice())
            );
        }
    }

    #[test]
    fn utf16_html_with_bom_is_read_as_html() {
        let page = "<html><body><p>R\u{e9}sum\u{e9} of the day.</p></body></html>";
        let bytes = [&[0xff, 0xfe][..], &utf16(page, u16::to_le_bytes)].concat();
        let items = read_bytes("page.html", bytes.clone(), &Limits::default());
        let record = items[0].as_ref().unwrap();
        assert_eq!(record.format, Format::Html);
        assert_eq!(record.body, Body::Html(bytes));
        assert_eq!(record.hints.charset.as_deref(), Some("utf-16le"));
    }

    #[test]
    fn a_single_nul_byte_near_the_start_does_not_refuse_text() {
        let mut bytes = b"Headline\x00\n\n".to_vec();
        bytes
            .extend_from_slice(b"A paragraph of news text that reads as prose, with enough words.");
        let items = read_bytes("nul.txt", bytes, &Limits::default());
        assert!(text_of(&items[0]).starts_with("Headline\n\nA paragraph"));
    }

    #[test]
    fn archives_and_pdfs_are_refused_by_name() {
        let pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj".to_vec();
        let err = read_bytes("a.pdf", pdf, &Limits::default())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err.reason, Reason::Unsupported(_)));
        assert!(
            err.to_string()
                .starts_with("a.pdf: not a format newsdesk reads: a PDF"),
            "{err}"
        );
        let mut tar = vec![0u8; 1024];
        tar[..9].copy_from_slice(b"story.txt");
        tar[257..263].copy_from_slice(b"ustar\x00");
        let err = read_bytes("a.tar.gz", gzip(&tar), &Limits::default())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("tar archive"), "{err}");
    }

    #[test]
    fn size_limit_message_states_the_records_size_not_the_limit_plus_one() {
        let limits = Limits {
            max_record_bytes: 100,
        };
        // A plain file's size is known: the message states it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 500]).unwrap();
        let err = read_path(&path, &limits).next().unwrap().unwrap_err();
        assert!(matches!(
            err.reason,
            Reason::TooLarge {
                size: Size::Exact(500),
                limit: 100
            }
        ));
        assert!(
            err.to_string()
                .ends_with("record of 500 bytes is over the size limit of 100 bytes"),
            "{err}"
        );
        // A compressed stream was read only as far as the limit: the message says so.
        let err = read_bytes("big.txt.gz", gzip(&[b'a'; 500]), &limits)
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(
            err.to_string().contains(
                "record of more than 100 bytes (reading stopped there) is over the size limit of 100 bytes"
            ),
            "{err}"
        );
    }

    #[test]
    fn small_truncated_warc_gz_keeps_its_complete_first_record() {
        let record = |n: usize| {
            let block =
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>story {n}</p>");
            format!(
                "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://n.example/{n}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
                block.len()
            )
        };
        // One gzip member per record, as crawlers write them; the file is cut inside the
        // second member.
        let first = gzip(record(1).as_bytes());
        let second = gzip(record(2).repeat(3).as_bytes());
        let mut bytes = [first, second.clone()].concat();
        bytes.truncate(bytes.len() - second.len() / 2);
        let items = read_bytes("crawl.warc.gz", bytes, &Limits::default());
        assert_eq!(items.len(), 2, "{items:?}");
        let kept = items[0].as_ref().unwrap();
        assert_eq!(kept.hints.url.as_deref(), Some("https://n.example/1"));
        let err = items[1].as_ref().unwrap_err();
        assert!(matches!(err.reason, Reason::Gzip(_)), "{err}");
        assert_eq!(err.source.record, Some(2));
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let items: Vec<_> = read_inputs(&["/nonexistent/x".into()], &Limits::default()).collect();
        assert_eq!(items.len(), 1);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("/nonexistent/x"));
    }
}
