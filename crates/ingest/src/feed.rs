use newsdesk_span::Source;

use crate::{Body, Format, Hint, Hints, InputError, Item, Reason, Record};

/// RSS 2.0, RSS 1.0 and Atom feeds, through feed-rs (quick-xml underneath, which resolves no
/// external entities). Each item becomes a record: its full content (`content:encoded`,
/// Atom `content`) when present, else its summary.
pub fn read_feed(location: &str, bytes: &[u8]) -> Vec<Item> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(err) => {
            return vec![Err(InputError::new(
                location,
                None,
                Reason::Feed(err.to_string()),
            ))];
        }
    };
    let feed_title = feed.title.as_ref().map(|t| t.content.clone());
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let source = Source {
                location: location.to_string(),
                record: Some(i as u64 + 1),
            };
            let content = entry.content.as_ref().and_then(|c| c.body.clone());
            let summary = entry.summary.as_ref().map(|s| s.content.clone());
            let Some(body) = content.or(summary).filter(|b| !b.trim().is_empty()) else {
                return Err(InputError {
                    source,
                    reason: Reason::Empty,
                });
            };
            let (published, published_source) = match (entry.published, entry.updated) {
                (Some(date), _) => (Some(date), "feed:published"),
                (None, Some(date)) => (Some(date), "feed:updated"),
                (None, None) => (None, ""),
            };
            let byline = entry
                .authors
                .iter()
                .map(|person| person.name.trim())
                .filter(|name| !name.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let hints = Hints {
                url: entry.links.first().map(|link| link.href.clone()),
                title: entry
                    .title
                    .as_ref()
                    .and_then(|t| Hint::new(t.content.clone(), "feed:title")),
                byline: Hint::new(byline, "feed:author"),
                outlet: feed_title
                    .clone()
                    .and_then(|t| Hint::new(t, "feed:channel-title")),
                published: published.and_then(|d| Hint::new(d.to_rfc3339(), published_source)),
                ..Hints::default()
            };
            Ok(Record {
                source,
                format: Format::Html,
                body: Body::Html(body.into_bytes()),
                hints,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_with_content_encoded() {
        let rss = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title>
<item><title>First</title><link>https://wire.example/1</link>
<pubDate>Wed, 10 May 2023 14:00:00 +0430</pubDate>
<description>Short.</description>
<content:encoded><![CDATA[<p>Full body of the first story.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://wire.example/2</link><description>Only a summary.</description></item>
<item><title>Empty</title></item>
</channel></rss>"#;
        let items = read_feed("f.rss", rss.as_bytes());
        assert_eq!(items.len(), 3);
        let first = items[0].as_ref().unwrap();
        assert_eq!(
            first.body,
            Body::Html(b"<p>Full body of the first story.</p>".to_vec())
        );
        assert_eq!(first.hints.url.as_deref(), Some("https://wire.example/1"));
        let published = first.hints.published.as_ref().unwrap();
        assert_eq!(published.source, "feed:published");
        assert!(
            published.value.starts_with("2023-05-10T09:30:00"),
            "{}",
            published.value
        );
        assert_eq!(first.hints.outlet.as_ref().unwrap().value, "Example Wire");
        assert_eq!(
            items[1].as_ref().unwrap().body,
            Body::Html(b"Only a summary.".to_vec())
        );
        assert!(matches!(
            items[2].as_ref().unwrap_err().reason,
            Reason::Empty
        ));
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title><id>x</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title>A</title><id>1</id><link href="https://atom.example/a"/><updated>2024-01-02T00:00:00Z</updated>
<author><name>Jane Roe</name></author><content type="html">&lt;p&gt;Body A&lt;/p&gt;</content></entry></feed>"#;
        let items = read_feed("f.atom", atom.as_bytes());
        let rec = items[0].as_ref().unwrap();
        assert_eq!(rec.hints.byline.as_ref().unwrap().value, "Jane Roe");
        assert_eq!(rec.hints.published.as_ref().unwrap().source, "feed:updated");
        assert_eq!(rec.body, Body::Html(b"<p>Body A</p>".to_vec()));
    }

    #[test]
    fn broken_feed_is_one_error() {
        let items = read_feed("bad.rss", b"<rss><channel><item><title>x</chan");
        assert_eq!(items.len(), 1);
        assert!(matches!(
            items[0].as_ref().unwrap_err().reason,
            Reason::Feed(_)
        ));
    }
}
