use std::borrow::Cow;

/// Input formats newsdesk reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Warc,
    Feed,
    /// Reuters-21578's SGML (`<REUTERS>` records under the Lewis DTD): a container only; its
    /// records are text.
    ReutersSgml,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
            Format::Feed => "feed",
            Format::ReutersSgml => "reuters-sgml",
        }
    }
}

/// How the bytes of a text input encode characters, as far as the head tells. Anything not
/// UTF-16 is settled on the whole input later (UTF-8 if valid, else a statistical guess).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, or a single-byte or legacy encoding guessed once the whole input is read.
    Bytes,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub(crate) fn label(self) -> Option<&'static str> {
        match self {
            Encoding::Bytes => None,
            Encoding::Utf16Le => Some("utf-16le"),
            Encoding::Utf16Be => Some("utf-16be"),
        }
    }

    pub(crate) fn encoding_rs(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Bytes => None,
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE),
        }
    }
}

/// What detection concluded about an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    Format(Format, Encoding),
    /// A format newsdesk knows it cannot read (an archive, a PDF, an image, markup no reader
    /// understands), with a phrase naming it.
    Unsupported(String),
    /// Bytes that are not text in any encoding.
    Binary,
}

/// Detects the format from the first bytes of the (decompressed) stream; the file name only
/// breaks ties. Content wins because crawls are full of `.html` files that are JSON and `.txt`
/// files that are HTML.
pub fn detect(head: &[u8], name: &str) -> Detected {
    if let Some(what) = known_binary(head) {
        return Detected::Unsupported(what.to_string());
    }
    if trim_start(head).starts_with(b"WARC/") {
        return Detected::Format(Format::Warc, Encoding::Bytes);
    }
    let encoding = sniff_utf16(head);
    // UTF-16 is inspected as UTF-8: every test below looks at ASCII markup.
    let head: Cow<[u8]> = match encoding.encoding_rs() {
        Some(enc) => Cow::Owned(enc.decode(head).0.into_owned().into_bytes()),
        None => Cow::Borrowed(head),
    };
    if looks_binary(&head) {
        return Detected::Binary;
    }
    match detect_text(&head, name) {
        Ok(format) => Detected::Format(format, encoding),
        Err(what) => Detected::Unsupported(what),
    }
}

fn detect_text(head: &[u8], name: &str) -> Result<Format, String> {
    let trimmed = trim_start(head);
    let lower: Vec<u8> = trimmed
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    if trimmed.starts_with(b"{")
        || (trimmed.starts_with(b"[") && trim_start(&trimmed[1..]).starts_with(b"{"))
    {
        return Ok(Format::Jsonl);
    }
    if trimmed.starts_with(b"<") {
        let root = root_element(trimmed);
        if root.as_deref() == Some("REUTERS") {
            return Ok(Format::ReutersSgml);
        }
        let html_at = find(&lower, b"<html").or_else(|| find(&lower, b"<!doctype html"));
        let feed_at = [&b"<rss"[..], b"<feed", b"<rdf:rdf"]
            .iter()
            .filter_map(|tag| find(&lower, tag))
            .min();
        return match (feed_at, html_at) {
            (Some(feed), Some(html)) if feed < html => Ok(Format::Feed),
            (Some(_), None) => Ok(Format::Feed),
            (_, Some(_)) => Ok(Format::Html),
            (None, None) => match root {
                // Markup whose first element is not HTML and that shows no HTML further on is
                // a container of records in some other vocabulary (an SGML collection, an XML
                // export, a sitemap): read as one page it would become one article of
                // everything, so it is refused.
                Some(root) if !is_html_element(&root) && !has_html_tags(&lower) => Err(format!(
                    "an SGML or XML document of <{root}> elements that no reader here \
                     understands (not HTML, a feed, or Reuters-21578 SGML)"
                )),
                _ => Ok(Format::Html),
            },
        };
    }
    let by_name = [
        (".warc", Format::Warc),
        (".jsonl", Format::Jsonl),
        (".ndjson", Format::Jsonl),
        (".rss", Format::Feed),
        (".atom", Format::Feed),
        (".html", Format::Html),
        (".htm", Format::Html),
    ];
    if let Some((_, format)) = by_name.iter().find(|(ext, _)| name.ends_with(ext)) {
        // A `.html` that starts with text still goes to the HTML path only if it has tags.
        if *format != Format::Html
            || find(&lower, b"<p").is_some()
            || find(&lower, b"<div").is_some()
        {
            return Ok(*format);
        }
    }
    if has_html_tags(&lower) {
        return Ok(Format::Html);
    }
    Ok(Format::Text)
}

fn has_html_tags(lower: &[u8]) -> bool {
    ["<html", "<body", "<div", "<p>", "<p ", "<article", "<br"]
        .iter()
        .any(|tag| find(lower, tag.as_bytes()).is_some())
}

/// The name of the first element, past the XML declaration, comments and the doctype.
fn root_element(markup: &[u8]) -> Option<String> {
    let mut rest = markup;
    loop {
        rest = trim_start(rest);
        if rest.starts_with(b"<!--") {
            let end = find(rest, b"-->")?;
            rest = &rest[end + 3..];
        } else if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            let end = rest.iter().position(|&b| b == b'>')?;
            rest = &rest[end + 1..];
        } else if let Some(tag) = rest.strip_prefix(b"<") {
            let len = tag
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_')))
                .unwrap_or(tag.len());
            return (len > 0).then(|| String::from_utf8_lossy(&tag[..len]).into_owned());
        } else {
            return None;
        }
    }
}

fn is_html_element(name: &str) -> bool {
    const HTML: &[&str] = &[
        "html",
        "head",
        "body",
        "meta",
        "title",
        "link",
        "base",
        "script",
        "style",
        "noscript",
        "div",
        "p",
        "span",
        "a",
        "article",
        "section",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "td",
        "ul",
        "ol",
        "li",
        "dl",
        "br",
        "hr",
        "img",
        "figure",
        "picture",
        "iframe",
        "form",
        "center",
        "font",
        "b",
        "i",
        "u",
        "em",
        "strong",
        "small",
        "pre",
        "blockquote",
        "svg",
        "template",
    ];
    HTML.iter().any(|h| h.eq_ignore_ascii_case(name))
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// UTF-16 by its byte order mark, or, without one, by the zero high bytes of mostly-ASCII
/// text: at least four in five of the bytes on one side of each pair are zero and fewer than
/// one in ten on the other. Binary data with many zeros spreads them over both sides.
fn sniff_utf16(head: &[u8]) -> Encoding {
    match head {
        [0xff, 0xfe, ..] => return Encoding::Utf16Le,
        [0xfe, 0xff, ..] => return Encoding::Utf16Be,
        _ => {}
    }
    let pairs = head.len() / 2;
    if pairs < 8 {
        return Encoding::Bytes;
    }
    let zeros = |offset: usize| head.chunks_exact(2).filter(|p| p[offset] == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 5 >= pairs * 4;
    let few = |n: usize| n * 10 < pairs;
    if mostly(odd) && few(even) {
        Encoding::Utf16Le
    } else if mostly(even) && few(odd) {
        Encoding::Utf16Be
    } else {
        Encoding::Bytes
    }
}

/// Signatures of formats that are not news text, named so the refusal says what the file
/// is. Archives and PDFs are the ones users pass by mistake; the rest are common in crawls.
fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document: extract its text first"),
        (
            b"PK\x03\x04",
            "a ZIP archive (or an Office file): unpack it and ingest its files",
        ),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (
            b"7z\xbc\xaf\x27\x1c",
            "a 7-Zip archive: unpack it and ingest its files",
        ),
        (
            b"Rar!\x1a\x07",
            "a RAR archive: unpack it and ingest its files",
        ),
        (b"BZh", "a bzip2 stream: decompress it first"),
        (b"\xfd7zXZ\x00", "an xz stream: decompress it first"),
        (
            b"\x28\xb5\x2f\xfd",
            "a Zstandard stream: decompress it first",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Office document: export its text first",
        ),
        (b"{\\rtf", "an RTF document: export its text first"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\x7fELF", "an executable"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(what);
    }
    // POSIX tar keeps its magic in the first header block, after the file name fields.
    if head.get(257..262) == Some(b"ustar") {
        return Some("a tar archive: unpack it and ingest its files");
    }
    None
}

/// A real share of control bytes means binary. A stray NUL or two in a text file does not:
/// they are dropped when the text is decoded.
fn looks_binary(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(head: &[u8], name: &str) -> Option<Format> {
        match detect(head, name) {
            Detected::Format(format, _) => Some(format),
            _ => None,
        }
    }

    #[test]
    fn content_beats_extension() {
        assert_eq!(
            format(b"<!DOCTYPE html><html>", "a.txt"),
            Some(Format::Html)
        );
        assert_eq!(format(b"{\"url\": \"x\"}\n", "a.html"), Some(Format::Jsonl));
        assert_eq!(format(b"WARC/1.1\r\n", "a"), Some(Format::Warc));
        assert_eq!(
            format(b"<?xml version=\"1.0\"?><rss version=\"2.0\">", "a.xml"),
            Some(Format::Feed)
        );
        assert_eq!(
            format(
                b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">",
                ""
            ),
            Some(Format::Feed)
        );
        assert_eq!(
            format(b"Title line\n\nBody text.", "a.html"),
            Some(Format::Text)
        );
        assert_eq!(
            format(b"Title line\n\nBody text.", "a.txt"),
            Some(Format::Text)
        );
        assert_eq!(detect(b"\x00\x01\x02garbage", "a.txt"), Detected::Binary);
        assert_eq!(
            format(b"<div class=\"story\"><p>A fragment.</p></div>", "a"),
            Some(Format::Html)
        );
    }

    #[test]
    fn reuters_sgml_is_detected_by_its_records() {
        let head =
            b"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"NO\" NEWID=\"1\">\n<DATE>";
        assert_eq!(format(head, "x.dat"), Some(Format::ReutersSgml));
    }

    #[test]
    fn unknown_containers_are_refused_by_name() {
        let xml = b"<?xml version=\"1.0\"?>\n<collection>\n<record id=\"1\"><headline>A</headline></record>\n<record id=\"2\">";
        let Detected::Unsupported(why) = detect(xml, "dump.xml") else {
            panic!("{:?}", detect(xml, "dump.xml"));
        };
        assert!(why.contains("<collection>"), "{why}");
        let sgml = b"<!DOCTYPE wire SYSTEM \"wire.dtd\">\n<STORY N=\"1\"><HEAD>A</HEAD></STORY>";
        assert!(matches!(detect(sgml, "a.sgm"), Detected::Unsupported(_)));
        for (head, word) in [
            (&b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"[..], "PDF"),
            (&b"PK\x03\x04\x14\x00\x00\x00"[..], "ZIP"),
        ] {
            let Detected::Unsupported(why) = detect(head, "x") else {
                panic!("{word}");
            };
            assert!(why.contains(word), "{why}");
        }
        let mut tar = vec![0u8; 512];
        tar[..9].copy_from_slice(b"story.txt");
        tar[257..263].copy_from_slice(b"ustar\x00");
        assert!(matches!(detect(&tar, "a.tar"), Detected::Unsupported(w) if w.contains("tar")));
    }

    #[test]
    fn utf16_is_sniffed_with_and_without_a_bom() {
        let le: Vec<u8> = "\u{feff}<html><body><p>Été</p></body></html>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            detect(&le, "a"),
            Detected::Format(Format::Html, Encoding::Utf16Le)
        );
        let be: Vec<u8> = "A headline\n\nThe story, told in UTF-16 without a byte order mark."
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            detect(&be, "a.txt"),
            Detected::Format(Format::Text, Encoding::Utf16Be)
        );
    }

    #[test]
    fn a_single_nul_byte_near_the_start_does_not_make_text_binary() {
        let mut text = b"Headline\x00\n\n".to_vec();
        text.extend_from_slice("A story of plain words. ".repeat(20).as_bytes());
        assert_eq!(
            detect(&text, "a.txt"),
            Detected::Format(Format::Text, Encoding::Bytes)
        );
    }
}
