/// Input formats newsdesk reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Warc,
    Feed,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
            Format::Feed => "feed",
        }
    }
}

/// Detects the format from the first bytes of the (decompressed) stream; the file name only
/// breaks ties. Content wins because crawls are full of `.html` files that are JSON and `.txt`
/// files that are HTML. Returns `None` for binary data.
pub fn detect(head: &[u8], name: &str) -> Option<Format> {
    let trimmed = trim_start(head);
    if trimmed.starts_with(b"WARC/") {
        return Some(Format::Warc);
    }
    if looks_binary(head) {
        return None;
    }
    let lower: Vec<u8> = trimmed
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    if trimmed.starts_with(b"{")
        || (trimmed.starts_with(b"[") && trim_start(&trimmed[1..]).starts_with(b"{"))
    {
        return Some(Format::Jsonl);
    }
    if trimmed.starts_with(b"<") {
        let html_at = find(&lower, b"<html").or_else(|| find(&lower, b"<!doctype html"));
        let feed_at = [&b"<rss"[..], b"<feed", b"<rdf:rdf"]
            .iter()
            .filter_map(|tag| find(&lower, tag))
            .min();
        return match (feed_at, html_at) {
            (Some(feed), Some(html)) if feed < html => Some(Format::Feed),
            (Some(_), None) => Some(Format::Feed),
            _ => Some(Format::Html),
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
            return Some(*format);
        }
    }
    if ["<html", "<body", "<div", "<p>", "<article"]
        .iter()
        .any(|tag| find(&lower, tag.as_bytes()).is_some())
    {
        return Some(Format::Html);
    }
    Some(Format::Text)
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

/// NUL bytes, or many control characters, mean binary. UTF-16 text would trip this too, and is
/// rare enough in news crawls to be reported rather than guessed at.
fn looks_binary(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    if head.contains(&0) {
        return true;
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

    #[test]
    fn content_beats_extension() {
        assert_eq!(
            detect(b"<!DOCTYPE html><html>", "a.txt"),
            Some(Format::Html)
        );
        assert_eq!(detect(b"{\"url\": \"x\"}\n", "a.html"), Some(Format::Jsonl));
        assert_eq!(detect(b"WARC/1.1\r\n", "a"), Some(Format::Warc));
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><rss version=\"2.0\">", "a.xml"),
            Some(Format::Feed)
        );
        assert_eq!(
            detect(
                b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">",
                ""
            ),
            Some(Format::Feed)
        );
        assert_eq!(
            detect(b"Title line\n\nBody text.", "a.html"),
            Some(Format::Text)
        );
        assert_eq!(
            detect(b"Title line\n\nBody text.", "a.txt"),
            Some(Format::Text)
        );
        assert_eq!(detect(b"\x00\x01\x02garbage", "a.txt"), None);
    }
}
