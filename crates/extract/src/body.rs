//! Main-text extraction from a parsed HTML page: the [`BodyExtractor`] trait; the default
//! [`Cascade`], newsdesk's own [`Blocks`] with the `trafilatura` crate for a second opinion
//! where the page does not vouch for what [`Blocks`] found; and [`Trafilatura`], the crate on
//! every page with [`Blocks`] as its fallback. The crate's HTML output is cut into paragraphs
//! by the same walk as [`Blocks`] uses.

use scraper::{node::Node, Html};

use crate::blocks::Blocks;

/// Extracts the article text from a page: paragraphs separated by blank lines.
pub trait BodyExtractor: Send + Sync {
    fn name(&self) -> &'static str;
    fn extract(&self, page: &str, doc: &Html, url: Option<&str>) -> BodyText;
    /// The extractor's own publication-date guess. Asked only when neither the markup nor the
    /// head of the text gave a date, so its cost is paid on few pages.
    fn date(&self, _doc: &Html, _url: Option<&str>) -> Option<jiff::civil::Date> {
        None
    }
}

/// What a body extractor found: the article text.
#[derive(Clone, Debug, Default)]
pub struct BodyText {
    pub text: String,
}

/// The `trafilatura` crate (a port of go-trafilatura), with [`Blocks`] as its fallback.
///
/// Measured on trafilatura's 990 evaluation pages it scored F1 0.914 with its own fallback on,
/// against 0.889 for `rs-trafilatura` and `dom_smoothie`; see ARCHITECTURE.md. Its plain text
/// loses paragraph breaks, so its HTML output is walked into paragraphs as [`Blocks`] walks a
/// page (F1 0.9328 → 0.9335 against the collector it replaced).
///
/// The crate gets a node-by-node copy of our parse rather than the page text, with its date
/// pass off and its other metadata fallbacks pre-empted (we read none of it); its date is
/// asked for separately, only on pages nothing else dates. That took `newsdesk bench ingest`
/// on one core from 75–93 to 100–118 pages/s on trafilatura's pages and from 76–91 to 98–116
/// on htmldate's; running the crate once, with [`Blocks`] as its fallback, then took them to
/// 141–153 and 147–166, at F1 0.9328 and date accuracy 0.9200; a copy without what holds no
/// text ([`left_out_of_copy`]) and a cheaper metadata walk took them to 145–179 and 152–161.
/// The crate's pass remains about half of the time; [`Blocks`] alone runs about 370 pages/s
/// at F1 0.9317. [`Cascade`], the default, runs the crate only where [`Blocks`] is unsure.
///
/// Its name, a provenance label of the dates it finds, predates [`Blocks`].
pub struct Trafilatura;

impl BodyExtractor for Trafilatura {
    fn name(&self) -> &'static str {
        "trafilatura+paragraphs"
    }

    fn extract(&self, page: &str, doc: &Html, url: Option<&str>) -> BodyText {
        crate_first(doc, url, || Blocks.extract(page, doc, None))
    }

    /// The crate's metadata pass (its htmldate cascade: meta, JSON-LD, `<time>`, dated
    /// elements, free text). Extraction itself runs with dates off, since the markup tiers of
    /// [`crate::html::meta`] settle the date on most pages.
    fn date(&self, doc: &Html, url: Option<&str>) -> Option<jiff::civil::Date> {
        let mut options = trafilatura::Options::default();
        if let Some(url) = http_url(url) {
            options = options.with_url(url);
        }
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let doc = trafilatura_document(doc, false)?;
            trafilatura::metadata::extract_metadata(&doc, &options).date
        }));
        let date: jiff::civil::Date = found.ok()??.to_string().parse().ok()?;
        // The crate's last resorts (a copyright year, a bare year) come back as January 1st,
        // a day the page never stated: a year is not a publication date.
        (date.month() != 1 || date.day() != 1).then_some(date)
    }
}

/// The crate's text, or `own` (computed only when needed) where the crate found little.
///
/// The crate's own fallback (comparing with other algorithms) costs as much again as its main
/// pass. [`Blocks`] takes its place where the main pass found little, and the longer text
/// wins: F1 0.9317 → 0.9328 on trafilatura's evaluation pages, and 113–128 → 141–166 pages/s
/// on one core (`newsdesk bench ingest`).
fn crate_first(doc: &Html, url: Option<&str>, own: impl FnOnce() -> BodyText) -> BodyText {
    let Some(parsed) = trafilatura_document(doc, true) else {
        return own();
    };
    let quick = run_trafilatura(parsed, doc, http_url(url));
    if quick
        .as_ref()
        .is_some_and(|b| b.text.len() >= FALLBACK_BELOW)
    {
        return quick.unwrap_or_default();
    }
    let own = own();
    match quick {
        Some(body) if body.text.trim().len() >= own.text.trim().len() => body,
        _ => own,
    }
}

/// The default: [`Blocks`] first, and the `trafilatura` crate (as [`Trafilatura`] runs it)
/// only where the page does not vouch for what [`Blocks`] found:
/// its container holds under four fifths of the page's prose (under half, when the page
/// marks it as the body), or it is `<body>` itself, or it gave under 1,000 bytes of text.
///
/// Where the page vouches for it, [`Blocks`] did as well as the crate: on trafilatura's 990
/// evaluation pages the cascade skips the crate on 81% of them and scores F1 0.9354, against
/// 0.9334 for [`Trafilatura`] and 0.9317 for [`Blocks`] alone (`newsdesk eval extraction
/// --body …`); date accuracy on htmldate's pages 0.9213, against 0.9200. The verdict's
/// thresholds were varied on those pages: F1 0.932–0.936 across text floors of 0–3,000 bytes
/// and prose shares of 0.3–0.9.
pub struct Cascade;

impl BodyExtractor for Cascade {
    fn name(&self) -> &'static str {
        "blocks+trafilatura"
    }

    fn extract(&self, _page: &str, doc: &Html, url: Option<&str>) -> BodyText {
        let found = crate::blocks::judged(doc);
        let own = BodyText { text: found.text };
        if found.sure {
            return own;
        }
        crate_first(doc, url, || own)
    }

    fn date(&self, doc: &Html, url: Option<&str>) -> Option<jiff::civil::Date> {
        Trafilatura.date(doc, url)
    }
}

/// Open Graph tags that fill the crate's title, site, author and tags before its metadata
/// pass falls back to walking the whole page for them (a copy of the page and dozens of
/// selector queries). We read only its date, which none of these feeds.
const METADATA_PLACEHOLDERS: &[&str] = &["og:title", "og:site_name", "og:author", "og:article:tag"];

/// The page as the `trafilatura` crate's document, copied node by node from our parse: a
/// copy costs a fraction of a second html5ever parse. Comments are left out (the crate
/// drops them too); adjacent texts they separated are joined, as the crate's
/// text-and-tail model needs. [`METADATA_PLACEHOLDERS`] open the head. What
/// [`left_out_of_copy`] names is left out.
fn trafilatura_document(doc: &Html, for_extraction: bool) -> Option<trafilatura::dom::Document> {
    // The crate is not ours; a panic inside it must cost one page, not the run.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = trafilatura::dom::Document::parse("");
        let html = *out.children(out.root()).first()?;
        for child in out.children(html) {
            out.remove(child, false);
        }
        let head = out.sub_element(html, "head");
        for property in METADATA_PLACEHOLDERS {
            // scraper finds attributes by binary search: they must go in in name order.
            let meta = out.sub_element(head, "meta");
            out.set_attribute(meta, "content", "Placeholder Name");
            out.set_attribute(meta, "property", property);
        }
        let root = doc.root_element();
        for (name, value) in root.value().attrs() {
            out.set_attribute(html, name, value);
        }
        let mut stack = vec![(*root, html)];
        while let Some((node, target)) = stack.pop() {
            let mut text = String::new();
            let mut last: Option<trafilatura::dom::NodeId> = None;
            let flush = |out: &mut trafilatura::dom::Document, text: &mut String, last| {
                if !text.is_empty() {
                    match last {
                        Some(element) => out.set_tail(element, text),
                        None => out.set_text(target, text),
                    }
                    text.clear();
                }
            };
            for child in node.children() {
                match child.value() {
                    Node::Text(t) => text.push_str(t),
                    Node::Element(e) if left_out_of_copy(e, for_extraction) => {}
                    Node::Element(e) => {
                        flush(&mut out, &mut text, last);
                        let copy = if target == html && e.name() == "head" {
                            head
                        } else {
                            out.sub_element(target, e.name())
                        };
                        let mut attrs: Vec<(&str, &str)> = e.attrs().collect();
                        // Namespaced attributes sort after the rest in our parse; the copy
                        // drops their namespace, so restore name order.
                        if !attrs.is_sorted_by_key(|(name, _)| *name) {
                            attrs.sort_unstable_by_key(|(name, _)| *name);
                        }
                        for (name, value) in attrs {
                            out.set_attribute(copy, name, value);
                        }
                        stack.push((child, copy));
                        last = Some(copy);
                    }
                    _ => {}
                }
            }
            flush(&mut out, &mut text, last);
        }
        Some(out)
    }))
    .ok()?
}

/// Whether a copy leaves `e` out: elements that hold no article text and that the crate's own
/// cleaning removes before its main pass (scripts other than JSON-LD, which its baseline and
/// its date pass read; media; form controls), and in a copy `for_extraction` also landmarks
/// and head metadata, which it is not asked for there. Its main pass then sees the same page,
/// while its copies, queries and fallback passes work on a smaller tree: `newsdesk bench
/// ingest` on trafilatura's pages went from 131–145 to 157–169 pages/s on one core in
/// alternating runs, F1 0.9335 → 0.9337, date accuracy 0.9200 unchanged. `<noscript>`
/// (−0.0005 when left out), `<form>` and `<figure>` (−0.0003 each) stay: the fallback passes
/// find text in them.
fn left_out_of_copy(e: &scraper::node::Element, for_extraction: bool) -> bool {
    match e.name() {
        "script" => e.attr("type") != Some("application/ld+json"),
        name => NO_TEXT.contains(&name) || (for_extraction && NOT_CONTENT.contains(&name)),
    }
}

/// Elements that hold neither text nor dates.
const NO_TEXT: &[&str] = &[
    "style", "svg", "iframe", "template", "canvas", "video", "audio", "object", "embed", "select",
    "input", "button", "textarea",
];

const NOT_CONTENT: &[&str] = &[
    "meta", "link", "aside", "footer", "nav", "menu", "picture", "map", "fieldset", "label",
    "dialog", "math",
];

fn http_url(url: Option<&str>) -> Option<url::Url> {
    url.and_then(|u| url::Url::parse(u).ok())
        .filter(|u| u.scheme().starts_with("http"))
}

/// Main texts shorter than this (bytes) are compared with [`Blocks`]' text.
const FALLBACK_BELOW: usize = 1500;

fn run_trafilatura(
    parsed: trafilatura::dom::Document,
    doc: &Html,
    url: Option<url::Url>,
) -> Option<BodyText> {
    // Dates come from `Trafilatura::date` when needed. Reader comments, which we never keep,
    // are pruned before extraction: F1 0.9302 → 0.9317 on trafilatura's evaluation pages
    // (with the crate's fallback passes on), at the same speed.
    let mut options = trafilatura::Options::default()
        .with_fallback(false)
        .with_html_date_mode(trafilatura::HtmlDateMode::Disabled)
        .with_exclude_comments(true);
    if let Some(url) = url {
        options = options.with_url(url);
    }
    // The crate is not ours; a panic inside it must cost one page, not the run.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        trafilatura::extract_document(parsed, &options)
    }));
    let Ok(Ok(result)) = result else { return None };
    let fragment = Html::parse_fragment(&result.content_html);
    let found = crate::blocks::paragraphs(*fragment.root_element());
    Some(BodyText {
        text: crate::blocks::render(complete(found, doc).iter().map(String::as_str)),
    })
}

/// Adds back the lead the main-content extractor left out: a paragraph of prose printed just
/// above its first paragraph, often in a separate "intro" or "teaser" element. The first
/// paragraph is located in the page's own block sequence (hidden and non-text elements left out).
///
/// Measured on trafilatura's evaluation pages: +18 snippets found, +4 unwanted. Filling gaps
/// between paragraphs the same way (+9/+9) or adding prose below the last one (+6/+12) did not
/// pay.
fn complete(found: Vec<String>, doc: &Html) -> Vec<String> {
    let Some(first) = found.first() else {
        return found;
    };
    // Leads often sit in elements classed "teaser" or "intro": flags do not count here.
    let lead = crate::blocks::block_before(*doc.root_element(), first)
        .filter(|t| crate::text::is_prose(t) && !found.contains(t));
    lead.into_iter().chain(found).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_above_the_first_paragraph_is_added() {
        let page = r#"<html><body><div class="teaser">Two boats collided off the coast on Sunday, and both crews were rescued by the lifeboat.</div>
<p>The first boat left the harbour at dawn.</p><p>The second boat was returning.</p></body></html>"#;
        let doc = Html::parse_document(page);
        let found = vec![
            "The first boat left the harbour at dawn.".to_string(),
            "The second boat was returning.".to_string(),
        ];
        let all = complete(found.clone(), &doc);
        assert_eq!(all.len(), 3);
        assert!(all[0].starts_with("Two boats collided"));
        // A short line above (a kicker, a date) is not a lead.
        let page = r#"<html><body><div>Sea news</div><p>The first boat left the harbour at dawn.</p></body></html>"#;
        let doc = Html::parse_document(page);
        assert_eq!(complete(found[..1].to_vec(), &doc).len(), 1);
    }

    #[test]
    fn the_copy_for_trafilatura_keeps_text_tails_and_attributes() {
        let page = r#"<html lang="en"><head><title>T</title></head><body><div id="main" class="story-body" data-x="1">Lead <!-- note --> text<p>One <b>bold</b> tail</p>after</div></body></html>"#;
        let doc = Html::parse_document(page);
        let copy = trafilatura_document(&doc, false).unwrap();
        let body = copy.body().unwrap();
        let div = copy.children(body)[0];
        assert_eq!(
            copy.get_attribute(div, "class").as_deref(),
            Some("story-body")
        );
        assert_eq!(copy.get_attribute(div, "id").as_deref(), Some("main"));
        assert_eq!(copy.text(div), "Lead  text");
        let p = copy.children(div)[0];
        assert_eq!(copy.tail(p), "after");
        assert_eq!(copy.text_content(p), "One bold tail");
    }

    #[test]
    fn the_copies_leave_out_what_holds_no_text() {
        let page = r#"<html><head><meta name="x" content="y"><script type="application/ld+json">{"articleBody":"B"}</script></head><body><nav>Home</nav><script>var a;</script><noscript>Enable scripts</noscript><form><p>Form text</p></form><p>Body</p><footer>Contact</footer></body></html>"#;
        let doc = Html::parse_document(page);
        let lean = trafilatura_document(&doc, true).unwrap();
        let text = lean.text_content(lean.root());
        for kept in ["articleBody", "Enable scripts", "Form text", "Body"] {
            assert!(text.contains(kept), "{kept} missing from {text:?}");
        }
        for gone in ["Home", "var a", "Contact"] {
            assert!(!text.contains(gone), "{gone} kept in {text:?}");
        }
        // The copy for the date pass keeps the landmarks (a footer may date the page).
        let dating = trafilatura_document(&doc, false).unwrap();
        let text = dating.text_content(dating.root());
        assert!(text.contains("Contact") && !text.contains("var a"));
    }

    #[test]
    fn a_copyright_year_is_not_a_publication_date() {
        let page = r#"<html><body><p>Text without any date at all in it.</p><footer>© 2021 Example Media</footer></body></html>"#;
        let doc = Html::parse_document(page);
        // The crate alone turns the year into January 1st ...
        let copy = trafilatura_document(&doc, false).unwrap();
        let guess =
            trafilatura::metadata::extract_metadata(&copy, &trafilatura::Options::default());
        assert_eq!(
            guess.date.map(|d| d.to_string()).as_deref(),
            Some("2021-01-01")
        );
        // ... which newsdesk does not take for a day.
        assert_eq!(Trafilatura.date(&doc, None), None);
    }

    #[test]
    fn trafilatura_dates_a_page_from_its_copy() {
        let page = r#"<html><head><meta property="article:published_time" content="2021-03-04T10:00:00Z"></head><body><p>Text.</p></body></html>"#;
        let doc = Html::parse_document(page);
        let date = Trafilatura.date(&doc, None).unwrap();
        assert_eq!(date.to_string(), "2021-03-04");
    }
}
