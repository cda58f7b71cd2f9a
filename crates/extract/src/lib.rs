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

pub mod body;
pub mod dates;
pub mod html;
pub mod outlets;
pub mod text;

use jiff::civil::Date;
use newsdesk_ingest::{Body, Hint, Record};
use newsdesk_span::{Document, Field, Meta, Published};

pub use body::{BodyExtractor, BodyText, Paragraphs, Trafilatura};

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
            body: Box::new(Trafilatura),
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
                if let Some(date) = body.published.filter(|d| *d <= latest) {
                    signals.published.push(Field::new(
                        Published::Day(date),
                        format!("{}:date", self.body.name()),
                    ));
                }
                from_html = true;
                body.text
            }
        };
        let mut cleaned = text::clean(&raw_text);
        if from_html && std::env::var("ND_RAW").is_ok() {
            cleaned.text = raw_text.clone();
        }
        if cleaned.text.trim().is_empty() {
            return Err(ExtractError::NoText);
        }
        let meta = resolve(signals, &cleaned, latest);
        let source = record.source;
        Ok(Document::new(source, meta, cleaned.text))
    }
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

fn resolve(signals: Signals, cleaned: &text::Cleaned, latest: Date) -> Meta {
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
        let is_outlet = outlet.as_ref().is_some_and(|o| same_outlet(poster, &o.value));
        let is_republisher = republisher.as_ref().is_some_and(|r| &r.value == poster);
        (!is_outlet && !is_republisher).then(|| Field::new(poster.clone(), "posted-by"))
    });

    let title = signals.title.or_else(|| {
        cleaned
            .title
            .as_ref()
            .map(|t| Field::new(t.clone(), "header-line"))
    });

    let published = signals.published.into_iter().next().or_else(|| {
        best_date_line(&cleaned.dates, latest)
            .map(|d| Field::new(d.found.published(), "header-line").with_evidence(d.line.clone()))
    });

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
    let sample: String = text.chars().take(2000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = iso639_1(info.lang().code())?;
    Some(Field::new(code.to_string(), "detected"))
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("eng", "en"),
        ("deu", "de"),
        ("fra", "fr"),
        ("spa", "es"),
        ("ita", "it"),
        ("por", "pt"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "no"),
        ("fin", "fi"),
        ("hun", "hu"),
        ("ron", "ro"),
        ("bul", "bg"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("slv", "sl"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("pes", "fa"),
        ("heb", "he"),
        ("urd", "ur"),
        ("hin", "hi"),
        ("ben", "bn"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("vie", "vi"),
        ("tha", "th"),
        ("ind", "id"),
        ("lit", "lt"),
        ("lav", "lv"),
        ("est", "et"),
        ("cat", "ca"),
        ("epo", "eo"),
        ("afr", "af"),
    ];
    TABLE.iter().find(|(c3, _)| *c3 == code3).map(|(_, c1)| *c1)
}
