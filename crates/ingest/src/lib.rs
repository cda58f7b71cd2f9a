//! Readers that turn news inputs into [`Record`]s: one record per article-to-be, carrying the
//! raw body (HTML bytes or text) and the hints its container gave (URL, title, date, outlet).
//!
//! Formats are detected by content first and extension second, each optionally gzipped:
//! plain text captured from pages, HTML, JSON Lines (news-please and similar field names),
//! WARC 1.0/1.1 response records, and RSS 2.0 / Atom feeds. A bad input yields an
//! [`InputError`] naming the file (and record) and the reason; reading goes on with the next one.
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
mod warc;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use detect::Format;
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
    #[error("invalid UTF-8 at byte {0}")]
    InvalidUtf8(usize),
    #[error("record of {size} bytes is over the size limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("malformed WARC: {0}")]
    Warc(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("no article text or HTML in the record")]
    Empty,
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
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(file),
            Err(err) => {
                return Box::new(std::iter::once(Err(InputError::new(&location, None, err))))
            }
        }
    };
    let extension = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    read_stream(location, &extension, reader, limits)
}

/// Reads records from any stream; `name` helps detection when content is ambiguous.
pub fn read_stream(
    location: String,
    name: &str,
    reader: Box<dyn Read>,
    limits: &Limits,
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
    let head = match peek(&mut stream, 8192) {
        Ok(head) => head,
        Err(err) => return fail(&location, classify_io(err, gzipped)),
    };
    let format = match detect::detect(&head, &name) {
        Some(format) => format,
        None => return fail(&location, Reason::Binary),
    };
    let stream: Box<dyn BufRead> = Box::new(io::Cursor::new(head).chain(stream));
    match format {
        Format::Warc => Box::new(warc::WarcReader::new(location, stream, limits.clone())),
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(location, stream, limits.clone())),
        Format::Feed | Format::Html | Format::Text => {
            let bytes = match read_limited(stream, limits.max_record_bytes) {
                Ok(bytes) => bytes,
                Err(reason) => return fail(&location, reason_for(reason, gzipped)),
            };
            match format {
                Format::Feed => Box::new(feed::read_feed(&location, &bytes).into_iter()),
                Format::Html => Box::new(std::iter::once(Ok(Record {
                    source: Source {
                        location,
                        record: None,
                    },
                    format,
                    body: Body::Html(bytes),
                    hints: Hints::default(),
                }))),
                _ => Box::new(std::iter::once(text_record(location, None, bytes))),
            }
        }
    }
}

fn text_record(location: String, record: Option<u64>, bytes: Vec<u8>) -> Item {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Record {
            source: Source { location, record },
            format: Format::Text,
            body: Body::Text(text.trim_start_matches('\u{feff}').to_string()),
            hints: Hints::default(),
        }),
        Err(err) => Err(InputError::new(
            &location,
            record,
            Reason::InvalidUtf8(err.utf8_error().valid_up_to()),
        )),
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

fn classify_io(err: io::Error, gzipped: bool) -> Reason {
    let from_gzip = err
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<GzipError>().is_some());
    if gzipped && (from_gzip || err.kind() == io::ErrorKind::UnexpectedEof) {
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

fn peek(stream: &mut dyn BufRead, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    stream.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Reads a whole stream, failing once it passes `limit` bytes.
fn read_limited(stream: impl Read, limit: u64) -> Result<Vec<u8>, Reason> {
    let mut bytes = Vec::new();
    stream.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Reason::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
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
    fn binary_junk_and_invalid_utf8_are_named() {
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let err = read_bytes("junk.bin", junk, &Limits::default())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err.reason, Reason::Binary));
        let mut latin1 = b"Caf".to_vec();
        latin1.push(0xe9);
        latin1.extend_from_slice(b" au lait, a text with one Latin-1 byte.");
        let err = read_bytes("latin1.txt", latin1, &Limits::default())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err.reason, Reason::InvalidUtf8(3)), "{err}");
    }

    #[test]
    fn record_over_limit_is_refused() {
        let limits = Limits {
            max_record_bytes: 100,
        };
        let err = read_bytes("big.txt", vec![b'a'; 500], &limits)
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err.reason, Reason::TooLarge { limit: 100, .. }));
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
