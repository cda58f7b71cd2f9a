use std::io::{BufRead, Read};

use newsdesk_span::Source;

use crate::detect::Encoding;
use crate::{
    decode_text, io_reason, Body, Format, Hint, Hints, InputError, Item, Limits, Reason, Record,
    Size,
};

/// Reuters-21578's SGML (the Lewis DTD): one article per `<REUTERS>` record, numbered by its
/// position in the file as JSON Lines records are.
///
/// A record's `<DATE>` ("26-FEB-1987 15:01:01.79", the time the story went out on the wire) is
/// its publication date, `<TITLE>` its title, and `<DATELINE>` then `<BODY>` its text, as the
/// wire printed them: "SALVADOR, Feb 26 - Showers continued…". Records whose `<TEXT>` has no
/// body are either briefs (a headline over filler) or unprocessed tables; briefs are skipped
/// with that reason, tables kept line by line.
pub struct ReutersReader {
    location: String,
    stream: Box<dyn BufRead>,
    limits: Limits,
    index: u64,
    done: bool,
}

const OPEN: &[u8] = b"<REUTERS";
const CLOSE: &[u8] = b"</REUTERS>";

impl ReutersReader {
    pub fn new(location: String, stream: Box<dyn BufRead>, limits: Limits) -> ReutersReader {
        ReutersReader {
            location,
            stream,
            limits,
            index: 0,
            done: false,
        }
    }

    fn error(&self, reason: Reason) -> Item {
        Err(InputError::new(&self.location, Some(self.index), reason))
    }

    /// The bytes of the next record, from `<REUTERS` to `</REUTERS>`; `Ok(None)` at the end.
    fn next_record(&mut self) -> Result<Option<Vec<u8>>, Reason> {
        let limit = self.limits.max_record_bytes;
        let mut line = Vec::new();
        // Whatever stands between records (the doctype, blank lines) is passed over.
        let mut record = loop {
            if self.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            if let Some(at) = find(&line, OPEN) {
                break line[at..].to_vec();
            }
        };
        self.index += 1;
        // Only the bytes a line added (and the tail a close tag could straddle) are searched,
        // so finding the end stays linear in the record's length.
        let mut searched = 0;
        loop {
            if let Some(end) = find(&record[searched..], CLOSE).map(|at| searched + at) {
                // The rest of a line after the close tag belongs to no record in this format.
                record.truncate(end + CLOSE.len());
                return Ok(Some(record));
            }
            if record.len() as u64 > limit {
                let size = self.skip_to_close(record.len() as u64)?;
                return Err(Reason::TooLarge { size, limit });
            }
            if self.read_line(&mut line)? == 0 {
                // A cut file loses this record: a failure, not a record passed over by design.
                return Err(Reason::Reuters(
                    "the file ends inside a <REUTERS> record".into(),
                ));
            }
            searched = record.len().saturating_sub(CLOSE.len() - 1);
            record.extend_from_slice(&line);
        }
    }

    /// Reads one line (at most the record limit and one byte) into `line`; its length, 0 at the
    /// end of the file.
    fn read_line(&mut self, line: &mut Vec<u8>) -> Result<usize, Reason> {
        line.clear();
        (&mut self.stream)
            .take(self.limits.max_record_bytes + 1)
            .read_until(b'\n', line)
            .map_err(io_reason)
    }

    /// Passes over the rest of an oversized record; its size when its end was found.
    fn skip_to_close(&mut self, mut seen: u64) -> Result<Size, Reason> {
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut self.stream)
                .take(1 << 20)
                .read_until(b'\n', &mut line)
                .map_err(io_reason)?;
            if n == 0 {
                return Ok(Size::MoreThan(seen));
            }
            if let Some(end) = find(&line, CLOSE) {
                return Ok(Size::Exact(seen + (end + CLOSE.len()) as u64));
            }
            seen += n as u64;
        }
    }
}

impl Iterator for ReutersReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        match self.next_record() {
            Ok(Some(bytes)) => Some(
                record(&self.location, self.index, bytes)
                    .map_err(|reason| InputError::new(&self.location, Some(self.index), reason)),
            ),
            Ok(None) => None,
            Err(reason) => {
                // A record over the limit was passed over; anything else ends the file.
                if !matches!(reason, Reason::TooLarge { .. }) {
                    self.done = true;
                }
                Some(self.error(reason))
            }
        }
    }
}

fn record(location: &str, index: u64, bytes: Vec<u8>) -> Result<Record, Reason> {
    // The collection is ASCII but for a stray byte or two; those are decoded as the guessed
    // legacy encoding rather than refused.
    let sgml = decode_text(&bytes, Encoding::Bytes);
    let (text_open, text) = element_with_attrs(&sgml, "TEXT").unwrap_or(("", ""));
    let kind = attribute(text_open, "TYPE").unwrap_or("NORM");
    let title = element(text, "TITLE").map(|t| one_line(&decode_entities(t)));
    let dateline = element(text, "DATELINE").map(|d| one_line(&decode_entities(d)));
    let body = element(text, "BODY").map(decode_entities);
    let story = match body {
        Some(body) => {
            let mut story = reflow(&body);
            if let Some(dateline) = dateline.as_deref().filter(|d| !d.is_empty()) {
                // The wire printed the dateline at the head of the first paragraph.
                story = if story.is_empty() {
                    dateline.to_string()
                } else {
                    format!("{dateline} {story}")
                };
            }
            story
        }
        None if kind.eq_ignore_ascii_case("BRIEF") => {
            return Err(Reason::Skipped(
                "a headline-only brief (<TEXT TYPE=\"BRIEF\">): no story text".into(),
            ));
        }
        None if kind.eq_ignore_ascii_case("UNPROC") => {
            // Unprocessed copy, mostly tables of figures: their lines are kept as printed.
            let raw = decode_entities(text);
            let lines: Vec<&str> = raw
                .lines()
                .map(str::trim_end)
                .skip_while(|l| l.trim().is_empty())
                .collect();
            lines.join("\n").trim_end().to_string()
        }
        None => String::new(),
    };
    if story.trim().is_empty() {
        return Err(Reason::Skipped(match title {
            Some(_) => "a record with a title and no story text".into(),
            None => "a record with no story text".into(),
        }));
    }
    let date = element(&sgml, "DATE").map(|d| one_line(&decode_entities(d)));
    let hints = Hints {
        title: title.and_then(|t| Hint::new(t, "reuters:TITLE")),
        published: date.and_then(|d| Hint::new(d, "reuters:DATE")),
        // Every record of the collection is a story of the Reuters wire, as its element says.
        outlet: Hint::new("Reuters", "reuters:REUTERS"),
        original: Some(bytes),
        ..Hints::default()
    };
    Ok(Record {
        source: Source {
            location: location.to_string(),
            record: Some(index),
        },
        format: Format::Text,
        body: Body::Text(story),
        hints,
    })
}

/// The content of the first `<NAME>…</NAME>` (no attributes), if both tags are there.
fn element<'a>(sgml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = sgml.find(&open)? + open.len();
    let end = sgml[start..].find(&format!("</{name}>"))?;
    Some(&sgml[start..start + end])
}

/// The open tag and content of the first `<NAME …>…</NAME>`.
fn element_with_attrs<'a>(sgml: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let open = format!("<{name}");
    let mut from = 0;
    let tag_start = loop {
        let at = from + sgml[from..].find(&open)?;
        let next = sgml[at + open.len()..].chars().next()?;
        if next == '>' || next.is_whitespace() {
            break at;
        }
        from = at + open.len();
    };
    let tag_end = tag_start + sgml[tag_start..].find('>')? + 1;
    let end = sgml[tag_end..].find(&format!("</{name}>"))?;
    Some((&sgml[tag_start..tag_end], &sgml[tag_end..tag_end + end]))
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// SGML character references: the named ones of the DTD and numeric ones, which in this
/// collection are mostly wire control codes (`&#2;` start of text, `&#3;` end of text) and are
/// dropped with the other control characters. An unknown reference stays as written.
///
/// Written out rather than taken from an XML crate: those refuse references to control
/// characters, which XML forbids and this SGML is full of.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }),
        };
        match decoded {
            Some(c) => {
                if !c.is_control() || matches!(c, '\n' | '\t') {
                    out.push(c);
                }
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !c.is_control() || matches!(c, '\n' | '\t'));
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Wire copy is wrapped at about 70 columns, with each paragraph after the first indented.
/// Paragraphs are joined back into lines (the text cleaner reads a line as a paragraph) and
/// separated by blank lines; an indented line starts a paragraph, as does a line after a blank
/// one. The "Reuter" sign-off, indented, becomes a paragraph of its own.
fn reflow(body: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let trimmed = line.trim();
        let starts_paragraph = trimmed.is_empty() || line.starts_with([' ', '\t']);
        if starts_paragraph && !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
        if trimmed.is_empty() {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(trimmed);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Three records in the collection's shape, written for this test: a story, a brief and an
    /// unprocessed table.
    const SGML: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">
<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" NEWID=\"7\">
<DATE> 3-MAR-1987 09:12:44.10</DATE>
<TOPICS><D>grain</D></TOPICS>
<UNKNOWN> 
&#5;&#5;&#5;G
&#22;&#22;&#1;f0001&#31;reute
r f BC-PORTVILLE-GRAIN   03-03 0050</UNKNOWN>
<TEXT>&#2;
<TITLE>PORTVILLE GRAIN &lt;PGX> SHIPMENTS RISE</TITLE>
<DATELINE>    PORTVILLE, March 3 - </DATELINE><BODY>Grain shipments from the port rose
in February, the port authority said, and it expects a further
rise by May 1, 1988 when the new quay opens.
    Dock workers &amp; hauliers said the winter was mild.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS=\"NO\" NEWID=\"8\">
<DATE> 3-MAR-1987 09:13:00.00</DATE>
<TEXT TYPE=\"BRIEF\">&#2;
******<TITLE>PORTVILLE SAYS GRAIN SHIPMENTS UP
</TITLE>Blah blah blah.
&#3;

</TEXT>
</REUTERS>
<REUTERS TOPICS=\"NO\" NEWID=\"9\">
<DATE> 3-MAR-1987 09:14:00.00</DATE>
<TEXT TYPE=\"UNPROC\">&#2;
PORT WEEKLY FIGURES - MARCH 3
 Grain.........120 vs.....110
 Coal...........80 vs......95
 Reuter
&#3;</TEXT>
</REUTERS>
";

    fn read(input: &str, limit: u64) -> Vec<Item> {
        ReutersReader::new(
            "reut.sgm".into(),
            Box::new(Cursor::new(input.as_bytes().to_vec())),
            Limits {
                max_record_bytes: limit,
            },
        )
        .collect()
    }

    #[test]
    fn reuters_sgml_is_read_one_article_per_record_with_its_date_and_title() {
        let items = read(SGML, 1 << 20);
        assert_eq!(items.len(), 3);
        let story = items[0].as_ref().unwrap();
        assert_eq!(story.source.record, Some(1));
        assert_eq!(story.format, Format::Text);
        let Body::Text(text) = &story.body else {
            panic!()
        };
        assert_eq!(
            text,
            "PORTVILLE, March 3 - Grain shipments from the port rose in February, the port \
             authority said, and it expects a further rise by May 1, 1988 when the new quay \
             opens.\n\nDock workers & hauliers said the winter was mild.\n\nReuter"
        );
        let published = story.hints.published.as_ref().unwrap();
        assert_eq!(published.value, "3-MAR-1987 09:12:44.10");
        assert_eq!(published.source, "reuters:DATE");
        let title = story.hints.title.as_ref().unwrap();
        assert_eq!(title.value, "PORTVILLE GRAIN <PGX> SHIPMENTS RISE");
        // The ID hashes the record as read.
        let original = story.hints.original.as_deref().unwrap();
        assert!(original.starts_with(b"<REUTERS TOPICS=\"YES\""));
        assert!(original.ends_with(b"</REUTERS>"));
    }

    #[test]
    fn reuters_brief_is_skipped_with_its_reason_and_tables_are_kept() {
        let items = read(SGML, 1 << 20);
        let brief = items[1].as_ref().unwrap_err();
        assert_eq!(brief.source.record, Some(2));
        assert!(brief.to_string().contains("headline-only brief"), "{brief}");
        let table = items[2].as_ref().unwrap();
        assert_eq!(table.source.record, Some(3));
        assert_eq!(
            table.body,
            Body::Text(
                "PORT WEEKLY FIGURES - MARCH 3\n Grain.........120 vs.....110\n Coal...........80 vs......95\n Reuter"
                    .into()
            )
        );
    }

    #[test]
    fn reuters_record_over_the_limit_states_its_size_and_reading_goes_on() {
        let items = read(SGML, 300);
        let err = items[0].as_ref().unwrap_err();
        let size = SGML.find("</REUTERS>").unwrap() + CLOSE.len() - SGML.find("<REUTERS").unwrap();
        assert!(
            matches!(err.reason, Reason::TooLarge { size: Size::Exact(s), limit: 300 } if s == size as u64),
            "{err}"
        );
        assert!(items[2].is_ok());
    }

    #[test]
    fn a_file_cut_inside_a_record_is_a_failure_not_a_skip() {
        let cut = &SGML[..SGML.find("Dock workers").unwrap()];
        let items = read(cut, 1 << 20);
        let err = items.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(err.reason, Reason::Reuters(_)), "{err}");
        assert!(
            err.to_string().contains("ends inside a <REUTERS> record"),
            "{err}"
        );
    }

    #[test]
    fn sgml_entities_and_wire_control_codes() {
        assert_eq!(
            decode_entities("&#2;A &lt;B&gt; &amp; C&#3; &#x41; &nbsp; & D"),
            "A <B> & C A &nbsp; & D"
        );
    }
}
