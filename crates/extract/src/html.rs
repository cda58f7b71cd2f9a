//! HTML pages: charset decoding, a nesting guard, and the metadata a page carries in its markup
//! (meta tags, JSON-LD, `<time>` elements, the URL).

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html};
use serde_json::Value;

use crate::dates::{find_dates, parse_date, FoundDate};

/// Decodes page bytes: the transport's charset, then a BOM, then `<meta charset>`, then UTF-8
/// if valid, then a statistical guess.
pub fn decode(bytes: &[u8], transport: Option<&str>) -> String {
    if let Some(enc) = transport.and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes())) {
        return enc.decode(bytes).0.into_owned();
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode(bytes).0.into_owned();
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head_str = String::from_utf8_lossy(head).to_ascii_lowercase();
    static CHARSET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"charset\s*=\s*["']?([a-z0-9_\-:]+)"#).unwrap());
    if let Some(c) = CHARSET.captures(&head_str) {
        if let Some(enc) = encoding_rs::Encoding::for_label(c[1].as_bytes()) {
            // Pages often declare latin-1 and are UTF-8; trust valid UTF-8 over the label.
            if enc != encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_ok() {
                return String::from_utf8(bytes.to_vec()).unwrap_or_default();
            }
            return enc.decode(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, true).decode(bytes).0.into_owned()
        }
    }
}

/// The deepest element nesting, counted cheaply over tags, stopping once past `limit`.
/// A parser copes with any depth, but tree walks and drops in other code may recurse, so a
/// page nested absurdly deep is refused up front.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "command",
    ];
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut max = 0;
    let mut i = 0;
    while let Some(pos) = memchr(b'<', &bytes[i..]) {
        i += pos + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start {
            continue;
        }
        let name = &html[start..end];
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            let self_closing =
                memchr(b'>', &bytes[end..]).is_some_and(|gt| gt > 0 && bytes[end + gt - 1] == b'/');
            if !self_closing {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return max;
                }
            }
        }
    }
    max
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// A publication-date candidate from markup, with its provenance name and raw value.
#[derive(Clone, Debug)]
pub struct DateCandidate {
    pub found: FoundDate,
    pub source: String,
    pub raw: String,
}

/// Metadata found in a page's markup.
#[derive(Clone, Debug, Default)]
pub struct HtmlMeta {
    pub title: Option<(String, String)>,
    pub site_name: Option<(String, String)>,
    pub author: Option<(String, String)>,
    pub language: Option<(String, String)>,
    pub canonical_url: Option<String>,
    /// Publication dates in order of reliability; the costlier [`labelled_date`] is separate.
    pub published: Vec<DateCandidate>,
    /// Modification dates, used only when no publication date exists.
    pub modified: Vec<DateCandidate>,
}

/// Meta tags (by `property`, `name` or `itemprop`) that state a publication date, best first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "article:published",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "publication_date",
    "date_published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "dc.date.published",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "date",
    "datecreated",
    "created",
    "release_date",
    "og:pubdate",
    "article:post_date",
    "bt:pubdate",
    "content_create_date",
    "live_date",
];

const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
    "modified",
];

/// The page's `<body>` element (the parser always makes one below the root).
pub(crate) fn body(doc: &Html) -> Option<ElementRef<'_>> {
    doc.root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
}

/// The elements [`meta`] reads, gathered in one walk in document order (a selector query
/// walks the whole page each time).
#[derive(Default)]
struct MetaElements<'a> {
    metas: Vec<ElementRef<'a>>,
    json_ld: Vec<ElementRef<'a>>,
    times: Vec<ElementRef<'a>>,
    /// Elements whose class, id or itemprop names a date, a byline or post metadata.
    dated: Vec<ElementRef<'a>>,
    title: Option<ElementRef<'a>>,
    h1: Option<ElementRef<'a>>,
    canonical: Option<ElementRef<'a>>,
}

impl<'a> MetaElements<'a> {
    fn gather(doc: &'a Html) -> Self {
        const DATED_CLASS: &[&str] = &[
            "date", "time", "publish", "posted", "byline", "meta", "info",
        ];
        let mut out = MetaElements::default();
        for node in doc.root_element().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let v = el.value();
            match v.name() {
                "meta" => out.metas.push(el),
                "script"
                    if v.attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    out.json_ld.push(el)
                }
                "time" => out.times.push(el),
                "title" if out.title.is_none() => out.title = Some(el),
                "h1" if out.h1.is_none() => out.h1 = Some(el),
                "link"
                    if out.canonical.is_none()
                        && v.attr("rel")
                            .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    out.canonical = Some(el)
                }
                _ => {}
            }
            let class = v.attr("class").unwrap_or("");
            if DATED_CLASS.iter().any(|w| class.contains(w))
                || v.id().is_some_and(|id| id.contains("date"))
                || v.attr("itemprop").is_some_and(|p| p.contains("date"))
            {
                out.dated.push(el);
            }
        }
        out
    }
}

pub fn meta(doc: &Html, url: Option<&str>) -> HtmlMeta {
    let mut m = HtmlMeta::default();
    let mut published: Vec<(usize, DateCandidate)> = Vec::new();
    let mut modified: Vec<(usize, DateCandidate)> = Vec::new();
    let found = MetaElements::gather(doc);
    for el in found.metas {
        let v = el.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"))
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let content = v
            .attr("content")
            .or_else(|| v.attr("datetime"))
            .unwrap_or("")
            .trim();
        if key.is_empty() || content.is_empty() {
            continue;
        }
        let source = format!("meta:{key}");
        let date_lists = [
            (PUBLISHED_META, &mut published),
            (MODIFIED_META, &mut modified),
        ];
        if let Some((rank, list)) = date_lists
            .into_iter()
            .find_map(|(keys, list)| keys.iter().position(|k| *k == key).map(|rank| (rank, list)))
        {
            if let Some(found) = parse_date(content) {
                let raw = content.to_string();
                list.push((rank, DateCandidate { found, source, raw }));
            }
            continue;
        }
        let set = |slot: &mut Option<(String, String)>| {
            if slot.is_none() {
                *slot = Some((content.to_string(), source.clone()));
            }
        };
        match key.as_str() {
            "og:title" | "twitter:title" => set(&mut m.title),
            "og:site_name" | "application-name" | "publisher" | "twitter:site" => {
                set(&mut m.site_name)
            }
            "author" | "article:author" | "dc.creator" | "byl" | "sailthru.author"
            | "parsely-author"
                if !content.starts_with("http") =>
            {
                set(&mut m.author)
            }
            "og:locale" | "content-language" | "dc.language" | "language" => set(&mut m.language),
            _ => {}
        }
    }
    json_ld(&found.json_ld, &mut m, &mut published, &mut modified);
    published.sort_by_key(|(rank, _)| *rank);
    modified.sort_by_key(|(rank, _)| *rank);
    m.published = published.into_iter().map(|(_, c)| c).collect();
    m.modified = modified.into_iter().map(|(_, c)| c).collect();

    for el in found.times {
        let v = el.value();
        let attrs = format!(
            "{} {} {}",
            v.attr("class").unwrap_or(""),
            v.attr("itemprop").unwrap_or(""),
            if v.attr("pubdate").is_some() {
                "pubdate"
            } else {
                ""
            }
        )
        .to_ascii_lowercase();
        let is_update = attrs.contains("update") || attrs.contains("modif");
        let raw = v
            .attr("datetime")
            .map(str::to_string)
            .unwrap_or_else(|| text_of(&el));
        if let Some(found) = parse_date(&raw) {
            let c = DateCandidate {
                found,
                source: "html:time".into(),
                raw,
            };
            if is_update {
                m.modified.push(c);
            } else {
                m.published.push(c);
            }
        }
    }
    if let Some(url) = url {
        if let Some(found) = date_in_url(url) {
            m.published.push(DateCandidate {
                found,
                source: "url".into(),
                raw: url.to_string(),
            });
        }
    }
    // Elements whose class or id says they hold a date: the visible byline date.
    for el in found.dated {
        let class = format!(
            "{} {}",
            el.value().attr("class").unwrap_or(""),
            el.value().attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        if class.contains("update") || class.contains("modif") || class.contains("comment") {
            continue;
        }
        let text = text_of(&el);
        if text.len() > 1000 {
            continue;
        }
        // A longer element (a post's metadata sentence) counts only with the date up front.
        if let Some(found) = find_dates(&text)
            .into_iter()
            .next()
            .filter(|f| text.len() <= 200 || f.start < 100)
        {
            m.published.push(DateCandidate {
                found,
                source: "html:dated-element".into(),
                raw: text.trim().to_string(),
            });
            break;
        }
    }

    if m.title.is_none() {
        if let Some(t) = found.title {
            let t = text_of(&t);
            if !t.trim().is_empty() {
                m.title = Some((t.trim().to_string(), "html:title".into()));
            }
        }
    }
    if let Some(h1) = found.h1 {
        let h1 = text_of(&h1).trim().to_string();
        // The <h1> is the headline proper; <title> and og:title often add the site name.
        let better = match &m.title {
            Some((t, _)) => !h1.is_empty() && t.contains(&h1),
            None => !h1.is_empty(),
        };
        if better {
            m.title = Some((h1, "html:h1".into()));
        }
    }
    if m.language.is_none() {
        if let Some(lang) = doc
            .root_element()
            .value()
            .attr("lang")
            .or_else(|| doc.root_element().value().attr("xml:lang"))
        {
            m.language = Some((lang.to_string(), "html:lang".into()));
        }
    }
    if let Some(link) = found.canonical {
        m.canonical_url = link.value().attr("href").map(str::to_string);
    }
    m
}

/// A date the page's visible text labels as the publication date: "Published on May 3, 2021",
/// "Veröffentlicht am 03.05.2021", "publié le 3 mai 2021", "Datum: 03.05.2021". The label and
/// the date may sit in neighbouring elements.
///
/// Not part of [`meta`]: it walks the whole visible text, and the caller needs it only when
/// no stronger candidate settles the date.
pub fn labelled_date(doc: &Html) -> Option<DateCandidate> {
    let body = body(doc)?;
    let mut text = String::new();
    let mut stack: Vec<ego_tree::NodeRef<scraper::Node>> = vec![*body];
    while let Some(node) = stack.pop() {
        match node.value() {
            scraper::Node::Text(t) => {
                text.push_str(t);
                text.push(' ');
            }
            scraper::Node::Element(e) => {
                if matches!(
                    e.name(),
                    "script" | "style" | "noscript" | "template" | "svg" | "select" | "option"
                ) {
                    continue;
                }
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for label in labels(&text) {
        let end = (label.end() + 60).min(text.len());
        let end = (end..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        let window = &text[label.end()..end];
        if let Some(found) = find_dates(window).into_iter().next() {
            if found.start <= 12 {
                return Some(DateCandidate {
                    found,
                    source: "html:labelled".into(),
                    raw: format!("{}{}", &text[label.range()], &window[..found.end]),
                });
            }
        }
    }
    None
}

/// A date label and the space after it: a label word (a colon optional) or a generic
/// "Date:" (colon required).
const LABEL_PATTERN: &str = r"(?i)\b(?:(?:published|posted|publication date|date published|veröffentlicht|erschienen|publiziert|erstellt|publié|publicado|pubblicato|opublikowano)\b(?:\s+(?:on|am|le|el|il|em|the))?\s*:?|(?:datum|date|fecha|data)\s*:)\s*";

/// The date labels of [`labelled_date`] in `text`, as `find_iter` of the full pattern finds
/// them. Its Unicode word boundaries keep the regex engine off its fast automata, which cost
/// dearly over a page of text; a boundary-free search for the label words finds where a
/// label may start, and the full pattern is tried only there, anchored.
fn labels(text: &str) -> impl Iterator<Item = regex_automata::Match> + '_ {
    use regex_automata::{meta, Anchored, Input};
    static LABEL: LazyLock<meta::Regex> =
        LazyLock::new(|| meta::Regex::new(LABEL_PATTERN).unwrap());
    // Every label starts with one of these, under the same case folding.
    static START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)publi|posted|dat|fecha|veröffentlicht|erschienen|erstellt|pubblicato|opublikowano").unwrap()
    });
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(start) = START.find_at(text, at).map(|m| m.start()) {
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            if let Some(label) = LABEL.search(&input) {
                at = label.end();
                return Some(label);
            }
            at = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        None
    })
}

fn json_ld(
    scripts: &[ElementRef],
    m: &mut HtmlMeta,
    published: &mut Vec<(usize, DateCandidate)>,
    modified: &mut Vec<(usize, DateCandidate)>,
) {
    for script in scripts {
        let raw = script.text().collect::<String>();
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    let kind = map
                        .get("@type")
                        .map(|t| t.to_string().to_ascii_lowercase())
                        .unwrap_or_default();
                    let articleish = kind.contains("article")
                        || kind.contains("posting")
                        || kind.contains("report")
                        || kind.contains("webpage")
                        || kind.is_empty();
                    if articleish {
                        for (key, rank, list) in [
                            ("datePublished", 0usize, 0u8),
                            ("dateCreated", 20, 0),
                            ("uploadDate", 21, 0),
                            ("dateModified", 0, 1),
                        ] {
                            if let Some(Value::String(s)) = map.get(key) {
                                if let Some(found) = parse_date(s) {
                                    let c = DateCandidate {
                                        found,
                                        source: format!("json-ld:{key}"),
                                        raw: s.clone(),
                                    };
                                    if list == 0 {
                                        // JSON-LD of the article itself ranks with the best meta tags.
                                        published.push((rank.max(1), c));
                                    } else {
                                        modified.push((rank, c));
                                    }
                                }
                            }
                        }
                        if m.title.is_none() {
                            if let Some(Value::String(h)) = map.get("headline") {
                                m.title = Some((h.clone(), "json-ld:headline".into()));
                            }
                        }
                        if m.author.is_none() {
                            if let Some(name) = map.get("author").and_then(name_of) {
                                m.author = Some((name, "json-ld:author".into()));
                            }
                        }
                    }
                    if m.site_name.is_none() {
                        if let Some(name) = map.get("publisher").and_then(name_of) {
                            m.site_name = Some((name, "json-ld:publisher".into()));
                        }
                    }
                    for (k, child) in map {
                        if matches!(child, Value::Array(_) | Value::Object(_))
                            && k != "publisher"
                            && k != "author"
                        {
                            stack.push(child);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.starts_with("http") => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

pub fn text_of(el: &ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Dates in URL paths: /2023/05/11/, /2023-05-11-, /20230511/.
pub fn date_in_url(url: &str) -> Option<FoundDate> {
    static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"[/_-]((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)",
        )
        .unwrap()
    });
    // Unpadded numbers only between slashes: /2017/7/12/.
    static URL_DATE_SHORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)").unwrap()
    });
    let c = URL_DATE
        .captures(url)
        .or_else(|| URL_DATE_SHORT.captures(url))?;
    let date =
        jiff::civil::Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?).ok()?;
    Some(FoundDate {
        date,
        time: None,
        offset: None,
        weekday: false,
        start: 0,
        end: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_json_ld_and_url_dates() {
        let page = r#"<html lang="en"><head><title>Bridge opens - City Paper</title>
<meta property="og:site_name" content="City Paper">
<meta property="article:modified_time" content="2024-02-03T10:00:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Bridge opens","datePublished":"2024-02-01T08:30:00+01:00","author":{"@type":"Person","name":"Ann Lee"}}</script>
</head><body><h1>Bridge opens</h1><p>Text.</p></body></html>"#;
        let doc = Html::parse_document(page);
        let m = meta(&doc, Some("https://citypaper.example/2024/01/31/bridge"));
        assert_eq!(m.title.unwrap().0, "Bridge opens");
        assert_eq!(m.site_name.unwrap().0, "City Paper");
        assert_eq!(m.author.unwrap().0, "Ann Lee");
        assert_eq!(m.language.unwrap().0, "en");
        assert_eq!(m.published[0].source, "json-ld:datePublished");
        assert_eq!(
            m.published[0].found.published().to_string(),
            "2024-02-01T08:30:00+01:00"
        );
        assert!(m.published.iter().any(|c| c.source == "url"));
        assert_eq!(m.modified[0].source, "meta:article:modified_time");
    }

    #[test]
    fn labelled_dates_and_unpadded_url_dates() {
        let page = r#"<html><body><div class="x"><span>Veröffentlicht am</span> <b>12.03.2021</b></div>
<p>Letzte Änderung 14.03.2021</p></body></html>"#;
        let doc = Html::parse_document(page);
        let c = labelled_date(&doc).unwrap();
        assert_eq!(c.source, "html:labelled");
        assert_eq!(c.found.date.to_string(), "2021-03-12");
        // A generic label needs its colon: "Data meetup on 5.4.2020" is no label.
        let doc = Html::parse_document("<p>Data meetup am 05.04.2020</p>");
        assert!(labelled_date(&doc).is_none());
        let doc = Html::parse_document("<p><b>Date:</b> 05.04.2020</p>");
        assert!(labelled_date(&doc).is_some());

        assert_eq!(
            date_in_url("https://blog.example/2017/7/3/a-post")
                .unwrap()
                .date
                .to_string(),
            "2017-07-03"
        );
        assert!(date_in_url("https://blog.example/2023/10/3-questions-for-x/").is_none());
    }

    #[test]
    fn label_search_finds_what_the_full_pattern_finds() {
        let full = Regex::new(LABEL_PATTERN).unwrap();
        let text = "Updated data: none. Posted on 3 May; VERÖFFENTLICHT AM 4.5. \
            unpublished postedx Date: 5.5. candidate: x publication date 6.5. ådate: 7.5. \
            Datum:8.5. datapublished: 9.5. Publié le 10 mai";
        let expected: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
        let found: Vec<_> = labels(text).map(|m| m.range()).collect();
        assert_eq!(found, expected);
        assert!(expected.len() >= 6, "{expected:?}");
    }

    #[test]
    fn long_metadata_elements_count_with_the_date_up_front() {
        let filler = "and filed under news, with many tags listed here. ".repeat(6);
        let page = format!(
            r#"<html><body><p class="postmeta">Posted on Saturday, 3 December 2011 {filler}</p></body></html>"#
        );
        let doc = Html::parse_document(&page);
        let m = meta(&doc, None);
        let c = m
            .published
            .iter()
            .find(|c| c.source == "html:dated-element")
            .unwrap();
        assert_eq!(c.found.date.to_string(), "2011-12-03");
    }

    #[test]
    fn depth_guard_counts_nesting_not_siblings() {
        let deep = "<div>".repeat(5000);
        assert!(nesting_depth(&deep, 1000) > 1000);
        let flat = "<p>a</p>".repeat(5000);
        assert_eq!(nesting_depth(&flat, 1000), 1);
        assert_eq!(nesting_depth("<p>a<br>b<img src=x></p>", 10), 1);
    }

    #[test]
    fn charset_label_and_guess() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode(latin1, None).contains("Café"));
        let utf8_mislabelled = "<meta charset=\"iso-8859-1\"><p>Café</p>".as_bytes();
        assert!(decode(utf8_mislabelled, None).contains("Café"));
        assert!(decode(b"Caf\xe9", Some("windows-1252")).contains("Café"));
    }
}
