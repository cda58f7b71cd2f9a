//! Boilerplate found by repetition: a short paragraph that an outlet prints on many of its
//! pages (a slogan, a newsletter pitch, a standing disclaimer) is page furniture, whatever its
//! shape.
//!
//! It is marked, never cut: the stored text of an article depends on its input alone, so the
//! same page gets the same text whatever else is in the run. Cutting by the counts of a run was
//! tried and rejected: a page ingested with three siblings lost a line that the same page
//! ingested alone kept, under the same ID. The store keeps the counts across runs (see
//! `newsdesk_store`) and derives the furniture layer from them; [`Repetition`] is the same
//! count in memory, for a set of articles that is not stored.

use std::collections::{HashMap, HashSet};

use newsdesk_span::{short_paragraphs, Furniture, FurnitureRule};

#[derive(Debug, Clone, Default)]
pub struct Repetition {
    pub rule: FurnitureRule,
    articles: HashMap<String, u64>,
    seen: HashMap<String, HashMap<u64, u64>>,
}

impl Repetition {
    /// Counts the short paragraphs of one article of `outlet` (each distinct one once).
    pub fn observe(&mut self, outlet: &str, text: &str) {
        *self.articles.entry(outlet.to_string()).or_default() += 1;
        let seen = self.seen.entry(outlet.to_string()).or_default();
        let distinct: HashSet<u64> = short_paragraphs(text).into_iter().map(|(_, k)| k).collect();
        for k in distinct {
            *seen.entry(k).or_default() += 1;
        }
    }

    /// The paragraphs of `text` that `outlet` repeats, with the counts that justify each.
    /// An article made only of repeated paragraphs gets none: then the repetition is the story
    /// (a series of short bulletins), not the page around it.
    pub fn furniture(&self, outlet: &str, text: &str) -> Vec<Furniture> {
        let (Some(&articles), Some(seen)) = (self.articles.get(outlet), self.seen.get(outlet))
        else {
            return Vec::new();
        };
        self.rule.mark(text, outlet, articles, |key| {
            seen.get(&key).copied().unwrap_or(0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Vec<String> {
        (0..4)
            .map(|i| format!("Story number {i} tells what happened on the river today, at length and in detail.\n\nSign up for our morning briefing\n\nThe mayor said work would start in spring."))
            .collect()
    }

    #[test]
    fn a_slogan_on_every_page_is_marked_with_its_counts_and_shared_prose_is_not() {
        let mut r = Repetition::default();
        let pages = pages();
        for p in &pages {
            r.observe("Valley Post", p);
        }
        let marked = r.furniture("Valley Post", &pages[0]);
        let texts: Vec<&str> = marked.iter().map(|f| f.span.slice(&pages[0])).collect();
        // The short closing sentence is also on every page here: it is marked too, by the
        // same rule; the long first paragraph is never counted.
        assert_eq!(
            texts,
            [
                "Sign up for our morning briefing",
                "The mayor said work would start in spring."
            ]
        );
        assert_eq!(marked[0].paragraph_articles, 4);
        assert_eq!(marked[0].outlet_articles, 4);
        assert_eq!(marked[0].outlet, "Valley Post");
        // Another outlet's counts do not apply.
        assert!(r.furniture("Other Paper", &pages[0]).is_empty());
    }

    #[test]
    fn too_few_articles_mark_nothing() {
        let mut r = Repetition::default();
        r.observe("Solo", "A line\n\nAnother line");
        r.observe("Solo", "A line\n\nThird line");
        assert!(r.furniture("Solo", "A line\n\nAnother line").is_empty());
    }

    #[test]
    fn an_article_made_only_of_repeated_paragraphs_is_not_all_furniture() {
        let mut r = Repetition::default();
        for _ in 0..4 {
            r.observe("Wire", "Markets closed higher\n\nMore to follow");
        }
        assert!(r
            .furniture("Wire", "Markets closed higher\n\nMore to follow")
            .is_empty());
    }
}
