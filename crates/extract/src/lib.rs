//! Extraction: from a raw [`Record`] to a [`Document`] with clean text and metadata whose every
//! field records where it came from.
//!
//! HTML goes through charset decoding, a nesting guard, markup metadata ([`html::meta`]) and a
//! [`BodyExtractor`]; text captured from pages goes through line-shape cleaning
//! ([`text::clean`]). Both then resolve title, outlet, republisher, date, byline and language
//! from every signal found, in a fixed order of trust.
//!
//! ```
//! use newsdesk_extract::Extractor;
//! use newsdesk_ingest::{Body, Format, Hints, Record};
//! use newsdesk_span::Source;
//! let record = Record {
//!     source: Source { location: "page.txt".into(), record: None },
//!     format: Format::Text,
//!     body: Body::Text("Bridge opens\n\nMarch 3, 2024\n\nLONDON (Reuters) - A new bridge opened on Sunday, linking the two halves of the town for the first time.".into()),
//!     hints: Hints::default(),
//! };
//! let doc = Extractor::default().extract(record).unwrap();
//! assert_eq!(doc.meta.title.unwrap().value, "Bridge opens");
//! assert_eq!(doc.meta.outlet.unwrap().value, "Reuters");
//! assert_eq!(doc.meta.published.unwrap().value.to_string(), "2024-03-03");
//! ```

pub mod blocks;
pub mod body;
pub mod dates;
pub mod html;
pub mod language;
pub mod outlets;
pub mod repeat;
pub mod text;

use jiff::civil::Date;
use newsdesk_ingest::{Body, Hint, Record};
use newsdesk_span::{DocId, Document, Field, Meta, Published};

pub use blocks::Blocks;
pub use body::{BodyExtractor, BodyText, Cascade, Trafilatura};

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("HTML nested deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("no article text found")]
    NoText,
}

/// Extraction settings and the body extractor in use.
pub struct Extractor {
    pub max_depth: usize,
    /// Dates after this day are impossible as publication dates (defaults to today).
    pub latest: Date,
    pub body: Box<dyn BodyExtractor>,
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor {
            max_depth: 2_000,
            latest: jiff::Zoned::now().date(),
            body: Box::new(Cascade),
        }
    }
}

/// Signals about the page's own outlet (the site), as opposed to the story's credit.
struct Signals {
    title: Option<Field<String>>,
    site: Option<Field<String>>,
    byline: Option<Field<String>>,
    language: Option<Field<String>>,
    published: Vec<Field<Published>>,
    url: Option<String>,
}

impl Extractor {
    pub fn extract(&self, record: Record) -> Result<Document, ExtractError> {
        let hints = record.hints;
        let mut signals = Signals {
            title: hint_field(&hints.title),
            site: hints
                .outlet
                .as_ref()
                .map(|h| site_field(&h.value, &h.source)),
            byline: hint_field(&hints.byline),
            language: hints
                .language
                .as_ref()
                .and_then(|h| language_field(&h.value, &h.source)),
            published: Vec::new(),
            url: hints.url.clone(),
        };
        let fetched = hints
            .fetched
            .as_deref()
            .and_then(dates::parse_date)
            .map(|f| f.date);
        let latest = fetched.unwrap_or(self.latest);
        if let Some(h) = &hints.published {
            if let Some(found) = dates::parse_date(&h.value).filter(|f| f.date <= latest) {
                signals.published.push(
                    Field::new(found.published(), h.source.clone()).with_evidence(h.value.clone()),
                );
            }
        }

        let mut from_html = false;
        // The parse of a page without a markup date, kept for the body extractor's own guess.
        let mut undated_page: Option<(scraper::Html, String)> = None;
        let content_hash = {
            // The bytes as read: a decoded text's original bytes when the reader kept them.
            let content: &[u8] = match (&hints.original, &record.body) {
                (Some(original), _) => original,
                (None, Body::Text(text)) => text.as_bytes(),
                (None, Body::Html(bytes)) => bytes,
            };
            DocId::for_content(hints.url.as_deref(), content)
        };
        let raw_text = match record.body {
            Body::Text(text) => text,
            Body::Html(bytes) => {
                let page = html::decode(&bytes, hints.charset.as_deref());
                if html::nesting_depth(&page, self.max_depth) > self.max_depth {
                    return Err(ExtractError::TooDeep {
                        limit: self.max_depth,
                    });
                }
                let doc = scraper::Html::parse_document(&page);
                let meta = html::meta(&doc, signals.url.as_deref());
                signals.url = signals.url.or(meta.canonical_url.clone());
                if signals.title.is_none() {
                    signals.title = meta.title.map(|(v, s)| Field::new(v, s));
                }
                if signals.site.is_none() {
                    signals.site = meta.site_name.map(|(v, s)| site_field(&v, &s));
                }
                if signals.byline.is_none() {
                    signals.byline = meta.author.map(|(v, s)| Field::new(v, s));
                }
                if signals.language.is_none() {
                    signals.language = meta.language.and_then(|(v, s)| language_field(&v, &s));
                }
                let mut candidates: Vec<_> = meta
                    .published
                    .iter()
                    .filter(|c| c.found.date <= latest)
                    .collect();
                // A full date in the URL path is fixed when the page is made, unlike markup
                // that shifts with time zones and republishing: it goes first, as in htmldate.
                candidates.sort_by_key(|c| tier(&c.source));
                // The labelled date walks the whole visible text; it counts only when no URL
                // or meta candidate leads, or when a leading UTC timestamp seeks its local day.
                let settled = candidates.first().is_some_and(|c| {
                    tier(&c.source) < 2
                        && !(c.found.time.is_some()
                            && c.found.offset == Some(jiff::tz::Offset::UTC))
                });
                let labelled = if settled {
                    None
                } else {
                    html::labelled_date(&doc).filter(|c| c.found.date <= latest)
                };
                if let Some(c) = &labelled {
                    candidates.push(c);
                    candidates.sort_by_key(|c| tier(&c.source));
                }
                if let Some(i) = local_day(&candidates) {
                    let c = candidates.remove(i);
                    candidates.insert(0, c);
                }
                if candidates.is_empty() {
                    candidates = meta
                        .modified
                        .iter()
                        .filter(|c| c.found.date <= latest)
                        .collect();
                }
                signals.published.extend(candidates.into_iter().map(|c| {
                    Field::new(c.found.published(), c.source.clone()).with_evidence(c.raw.clone())
                }));
                let body = self.body.extract(&page, &doc, signals.url.as_deref());
                if signals.published.is_empty() {
                    undated_page = Some((doc, page));
                }
                from_html = true;
                body.text
            }
        };
        let cleaned = if from_html {
            text::clean_extracted(&raw_text)
        } else {
            text::clean(&raw_text)
        };
        if cleaned.text.trim().is_empty() {
            return Err(ExtractError::NoText);
        }
        let url = signals.url.clone();
        let body_date = || {
            let (doc, page) = undated_page.as_ref()?;
            let date = self.body.date(doc, url.as_deref())?;
            if date > latest {
                return None;
            }
            let evidence = date_evidence(page, &cleaned.text, url.as_deref(), date)?;
            Some(
                Field::new(Published::Day(date), format!("{}:date", self.body.name()))
                    .with_evidence(evidence),
            )
        };
        let meta = resolve(signals, &cleaned, latest, body_date);
        Ok(Document::from_parts(
            content_hash,
            record.source,
            meta,
            cleaned.text,
        ))
    }
}

/// The byte ranges of the article's body prose: its paragraphs of prose after the first, less
/// their first words. A date printed in the head of the text (the headline, a standfirst, the
/// first paragraph), at the start of a paragraph (a dateline: "27.1.2022 - Bei …") or on a
/// short line of its own (a date line, a byline) is not inside them.
fn body_prose(text: &str) -> Vec<std::ops::Range<usize>> {
    const DATELINE_BYTES: usize = 24;
    let mut ranges = Vec::new();
    let mut seen_prose = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if text::is_prose(line) {
            if seen_prose && line.len() > DATELINE_BYTES {
                ranges.push(start + DATELINE_BYTES..start + line.len());
            }
            seen_prose = true;
        }
        start += line.len();
    }
    ranges
}

/// The numeric forms a day is printed in: ISO and its variants, day-first with dots, dashes or
/// slashes, month-first with slashes, with four- or two-digit years, zero-padded or not.
fn numeric_forms(date: Date) -> Vec<String> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let yy = y % 100;
    let mut forms = vec![
        format!("{y}-{m:02}-{d:02}"),
        format!("{y}/{m:02}/{d:02}"),
        format!("{y}.{m:02}.{d:02}"),
        format!("{y}{m:02}{d:02}"),
    ];
    for (dd, mm) in [
        (format!("{d:02}"), format!("{m:02}")),
        (d.to_string(), m.to_string()),
    ] {
        for sep in ['.', '-', '/'] {
            forms.push(format!("{dd}{sep}{mm}{sep}{y}"));
            forms.push(format!("{dd}{sep}{mm}{sep}{yy:02}"));
        }
        forms.push(format!("{mm}/{dd}/{y}"));
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Where `form` occurs in `s` as a whole number group (no digit glued before or after).
fn occurrences(s: &str, form: &str) -> Vec<usize> {
    let bytes = s.as_bytes();
    s.match_indices(form)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + form.len()).copied();
            !before.is_some_and(|b| b.is_ascii_digit())
                && !after.is_some_and(|b| b.is_ascii_digit())
        })
        .collect()
}

/// The string the body extractor's date guess was read from, when the page prints it
/// somewhere other than deep in the article's text: in the URL, in markup (a tag's attribute,
/// a script's data), around the article, at the head of its text, at the start of a paragraph
/// or on a line of its own. The guess carries no evidence of its own and its last resorts
/// search the whole page, where a date in the body ("due May 1, 1996") is a date the story
/// mentions, not the day it was published: a date printed only there is refused, and so is one
/// whose printed form cannot be found.
fn date_evidence(page: &str, text: &str, url: Option<&str>, date: Date) -> Option<String> {
    let forms = numeric_forms(date);
    if let Some(url) = url {
        if let Some(form) = forms.iter().find(|f| !occurrences(url, f).is_empty()) {
            return Some(url.to_string()).filter(|_| !form.is_empty());
        }
    }
    let prose = body_prose(text);
    let deep = |at: usize| prose.iter().any(|r| r.contains(&at));
    // An occurrence is outside the body's text when the page prints that string more often
    // than the body's prose does.
    for form in &forms {
        let in_page = occurrences(page, form).len();
        if in_page > 0
            && in_page
                > occurrences(text, form)
                    .into_iter()
                    .filter(|&i| deep(i))
                    .count()
        {
            return Some(form.clone());
        }
    }
    let printed = |s: &str, f: &dates::FoundDate| {
        s[f.start..f.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let in_page: Vec<String> = dates::find_dates(page)
        .iter()
        .filter(|f| f.date == date)
        .map(|f| printed(page, f))
        .collect();
    let deep_in_text: Vec<String> = dates::find_dates(text)
        .iter()
        .filter(|f| f.date == date && deep(f.start))
        .map(|f| printed(text, f))
        .collect();
    let count = |list: &[String], s: &str| list.iter().filter(|x| *x == s).count();
    in_page
        .iter()
        .find(|s| count(&in_page, s) > count(&deep_in_text, s))
        .cloned()
}

/// Trust order of publication-date sources; the sort is stable, so the markup ranking of
/// [`html::meta`] holds within a tier:
/// 0. a full date in the URL path, fixed when the page is made (htmldate trusts it first);
/// 1. publication meta tags and JSON-LD;
/// 2. a date the visible text labels as published ("Published on", "Veröffentlicht am");
/// 3. `<time>` elements and dated elements;
/// 4. generic date meta tags (`date`, `dc.date`, `dcterms.date`, …), which often carry the
///    date a page was generated or indexed rather than written.
fn tier(source: &str) -> u8 {
    const GENERIC: &[&str] = &[
        "meta:date",
        "meta:dc.date",
        "meta:dcterms.date",
        "meta:datecreated",
        "meta:created",
        "meta:dc.date.created",
        "meta:dcterms.created",
    ];
    match source {
        "url" => 0,
        "html:labelled" => 2,
        s if GENERIC.contains(&s) => 4,
        s if s.starts_with("meta:") || s.starts_with("json-ld:") => 1,
        _ => 3,
    }
}

/// A UTC timestamp first in line names the day in Greenwich, while the page's own zone may
/// already (or still) be on the next (previous) day. When another candidate gives the same
/// instant with a local offset (or as a local wall-clock time), that candidate holds the
/// page's local day: its index.
fn local_day(candidates: &[&html::DateCandidate]) -> Option<usize> {
    let top = &candidates.first()?.found;
    let (Some(time), Some(offset)) = (top.time, top.offset) else {
        return None;
    };
    if offset != jiff::tz::Offset::UTC {
        return None;
    }
    let instant =
        |d: Date, t: jiff::civil::Time, o: jiff::tz::Offset| o.to_timestamp(d.to_datetime(t)).ok();
    let top_instant = instant(top.date, time, offset)?;
    candidates.iter().position(|c| {
        let f = &c.found;
        if c.source == "url" || f.date == top.date {
            return false;
        }
        match (f.time, f.offset) {
            (Some(t), Some(o)) if o != jiff::tz::Offset::UTC => instant(f.date, t, o)
                .is_some_and(|i| (i.as_second() - top_instant.as_second()).abs() <= 120),
            // A wall-clock time without offset: the same instant seen from a whole or half
            // hour zone.
            (Some(t), None) => instant(f.date, t, jiff::tz::Offset::UTC).is_some_and(|i| {
                let shift = (i.as_second() - top_instant.as_second()).abs();
                shift <= 14 * 3600 && shift % 1800 <= 60
            }),
            _ => false,
        }
    })
}

fn hint_field(hint: &Option<Hint>) -> Option<Field<String>> {
    hint.as_ref()
        .map(|h| Field::new(h.value.clone(), h.source.clone()))
}

/// A site named by a domain becomes the outlet's name when the table knows it.
fn site_field(value: &str, source: &str) -> Field<String> {
    let host = value.trim_start_matches("www.");
    match outlets::by_host(host).or_else(|| outlets::by_credit(value)) {
        Some(o) => Field::new(o.name.to_string(), source).with_evidence(value),
        None => Field::new(value.to_string(), source),
    }
}

/// "en-US", "en_GB", "eng" → "en".
fn language_field(value: &str, source: &str) -> Option<Field<String>> {
    let code: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    (code.len() == 2).then(|| Field::new(code, source).with_evidence(value))
}

/// `body_date` is the body extractor's own guess, asked for only after every markup candidate
/// and the head of the text.
fn resolve(
    signals: Signals,
    cleaned: &text::Cleaned,
    latest: Date,
    body_date: impl FnOnce() -> Option<Field<Published>>,
) -> Meta {
    let url_site = signals
        .url
        .as_deref()
        .and_then(outlets::host_of)
        .map(|host| site_field(&host, "url"));
    let site = signals.site.or(url_site).or_else(|| {
        cleaned
            .masthead
            .as_ref()
            .map(|(o, line)| Field::new(o.name.to_string(), "masthead").with_evidence(line.clone()))
    });
    let credit = cleaned
        .credit
        .as_ref()
        .map(|c| Field::new(c.outlet.clone(), "credit-line").with_evidence(c.line.clone()));

    // A credit naming another outlet than the site means the site republished the story.
    let (outlet, republisher) = match (credit, site) {
        (Some(credit), Some(site)) if !same_outlet(&credit.value, &site.value) => {
            (Some(credit), Some(site))
        }
        (Some(credit), _) => {
            let poster = cleaned
                .poster
                .as_ref()
                .filter(|p| !same_outlet(p, &credit.value))
                .map(|p| Field::new(p.clone(), "posted-by").with_evidence(p.clone()));
            (Some(credit), poster)
        }
        (None, site) => (site, None),
    };
    let byline = signals.byline.or_else(|| {
        // A poster who is not the republisher is the byline.
        let poster = cleaned.poster.as_ref()?;
        let is_outlet = outlet
            .as_ref()
            .is_some_and(|o| same_outlet(poster, &o.value));
        let is_republisher = republisher.as_ref().is_some_and(|r| &r.value == poster);
        (!is_outlet && !is_republisher).then(|| Field::new(poster.clone(), "posted-by"))
    });

    let title = signals.title.or_else(|| {
        cleaned
            .title
            .as_ref()
            .map(|t| Field::new(t.clone(), "header-line"))
    });

    let line = || {
        best_date_line(&cleaned.dates, latest)
            .map(|d| Field::new(d.found.published(), "header-line").with_evidence(d.line.clone()))
    };
    // A date printed at the head of the text beats the body extractor's guess; one in the
    // tail does not.
    let head_line = || {
        best_date_line(&cleaned.dates, latest)
            .filter(|d| !d.in_tail)
            .map(|d| Field::new(d.found.published(), "header-line").with_evidence(d.line.clone()))
    };
    let published = signals
        .published
        .into_iter()
        .next()
        .or_else(head_line)
        .or_else(body_date)
        .or_else(line);

    let language = signals.language.or_else(|| detect_language(&cleaned.text));
    Meta {
        url: signals.url,
        title,
        byline,
        language,
        outlet,
        republisher,
        published,
    }
}

fn same_outlet(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_lowercase().replace(['.', '-', ' '], "");
    let (a, b) = (norm(a), norm(b));
    a == b || a.contains(&b) || b.contains(&a)
}

/// Among the dates printed in a page's header and footer, the publication date: not a banner,
/// not an update, not in the future; a labelled or timed date beats a bare one.
fn best_date_line(lines: &[text::DateLine], latest: Date) -> Option<&text::DateLine> {
    lines
        .iter()
        .filter(|d| !d.banner && !d.labelled_updated && d.found.date <= latest)
        .max_by_key(|d| {
            let score = 2 * i32::from(d.labelled_published)
                + 2 * i32::from(d.found.time.is_some())
                + i32::from(d.found.weekday);
            // Equal scores: the earlier line, nearer the headline.
            (score, std::cmp::Reverse(d.index))
        })
}

fn detect_language(text: &str) -> Option<Field<String>> {
    language::detect(text).map(|code| Field::new(code.to_string(), "detected"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_ingest::{Format, Hints};
    use newsdesk_span::Source;

    fn page_date(html: &str, url: Option<&str>) -> (String, String) {
        let record = Record {
            source: Source {
                location: "page.html".into(),
                record: None,
            },
            format: Format::Html,
            body: Body::Html(html.as_bytes().to_vec()),
            hints: Hints {
                url: url.map(str::to_string),
                ..Hints::default()
            },
        };
        let extractor = Extractor {
            latest: Date::constant(2030, 1, 1),
            ..Extractor::default()
        };
        let p = extractor.extract(record).unwrap().meta.published.unwrap();
        (p.value.date().to_string(), p.source)
    }

    const BODY: &str = "<p>The council met on Monday to discuss the budget for the coming year, members said after the vote.</p>";

    #[test]
    fn url_date_goes_first() {
        let html = format!(
            r#"<html><head><meta property="article:published_time" content="2023-05-12T02:00:00+00:00"></head><body>{BODY}</body></html>"#
        );
        let got = page_date(
            &html,
            Some("https://paper.example/2023/05/11/council-budget/"),
        );
        assert_eq!(got, ("2023-05-11".into(), "url".into()));
    }

    #[test]
    fn utc_stamp_yields_to_the_same_instant_in_local_time() {
        let html = format!(
            r#"<html><head><meta property="article:published_time" content="2023-05-12T02:00:00+00:00"></head><body><time datetime="2023-05-11T22:00:00-04:00">May 11</time>{BODY}</body></html>"#
        );
        assert_eq!(page_date(&html, None).0, "2023-05-11");
        // Another instant is another date, not the same one seen from elsewhere.
        let html = format!(
            r#"<html><head><meta property="article:published_time" content="2023-05-12T02:00:00+00:00"></head><body><time datetime="2023-05-11T09:00:00-04:00">May 11</time>{BODY}</body></html>"#
        );
        assert_eq!(page_date(&html, None).0, "2023-05-12");
    }

    #[test]
    fn generic_date_meta_comes_after_visible_dates() {
        let html = format!(
            r#"<html><head><meta name="date" content="2022-02-20"></head><body><span class="date">14.02.2022</span>{BODY}</body></html>"#
        );
        assert_eq!(
            page_date(&html, None),
            ("2022-02-14".into(), "html:dated-element".into())
        );
        let html = format!(
            r#"<html><head><meta name="dc.date" content="2022-02-20"></head><body><p>Published on 12 February 2022</p>{BODY}</body></html>"#
        );
        assert_eq!(
            page_date(&html, None),
            ("2022-02-12".into(), "html:labelled".into())
        );
    }

    fn published_field(html: &str) -> Option<Field<Published>> {
        let record = Record {
            source: Source {
                location: "page.html".into(),
                record: None,
            },
            format: Format::Html,
            body: Body::Html(html.as_bytes().to_vec()),
            hints: Hints::default(),
        };
        let extractor = Extractor {
            latest: Date::constant(2030, 1, 1),
            ..Extractor::default()
        };
        extractor.extract(record).unwrap().meta.published
    }

    #[test]
    fn a_date_deep_in_the_body_text_is_not_a_publication_date() {
        let paragraph = "<p>The council met to discuss the budget for the coming year, and members said after a long debate that the roads would come first this time.</p>";
        let html = format!(
            "<html><body><article>{}<p>The new bridge is due to open by May 1, 2019, the contractor said, if the weather holds through the winter months.</p>{}</article></body></html>",
            paragraph.repeat(3),
            paragraph.repeat(2)
        );
        assert_eq!(published_field(&html), None);
        // Printed at the head of the text, as a dateline, the same date stands, with the
        // printed string as its evidence.
        let html = format!(
            "<html><body><article><p>PORTVILLE, May 1, 2019 - The council met to discuss the budget for the coming year, members said.</p>{}</article></body></html>",
            paragraph.repeat(4)
        );
        let found = published_field(&html).expect("the dateline's date");
        assert_eq!(found.value.date().to_string(), "2019-05-01");
        assert_eq!(found.evidence.as_deref(), Some("May 1, 2019"), "{found:?}");
    }
}
