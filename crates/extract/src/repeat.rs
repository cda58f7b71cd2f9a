//! Boilerplate found by repetition: a short paragraph that an outlet prints on many of its
//! pages (a slogan, a newsletter pitch, a standing disclaimer) is page furniture, whatever its
//! shape. Counted per outlet across the articles of a run.

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

/// Paragraphs longer than this are article prose even when two pages share them (a wire story
/// republished twice is a copy, not boilerplate).
const MAX_WORDS: usize = 30;

#[derive(Debug, Clone)]
pub struct Repetition {
    /// A paragraph is furniture once it appears in at least this many articles of an outlet…
    pub min_articles: usize,
    /// …and in at least this share of them.
    pub min_share: f64,
    articles: HashMap<String, usize>,
    seen: HashMap<String, HashMap<u64, usize>>,
}

impl Default for Repetition {
    fn default() -> Repetition {
        Repetition {
            min_articles: 3,
            min_share: 0.5,
            articles: HashMap::new(),
            seen: HashMap::new(),
        }
    }
}

fn key(paragraph: &str) -> Option<u64> {
    let normal = paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let words = normal.split(' ').count();
    (!normal.is_empty() && words <= MAX_WORDS).then(|| xxh3_64(normal.as_bytes()))
}

impl Repetition {
    /// Counts the short paragraphs of one article of `outlet`.
    pub fn observe(&mut self, outlet: &str, text: &str) {
        *self.articles.entry(outlet.to_string()).or_default() += 1;
        let seen = self.seen.entry(outlet.to_string()).or_default();
        let distinct: HashSet<u64> = text.split("\n\n").filter_map(key).collect();
        for k in distinct {
            *seen.entry(k).or_default() += 1;
        }
    }

    /// The text without paragraphs the outlet repeats, or `None` when nothing repeats.
    /// An article is never emptied: if every paragraph repeats, it is kept as it is.
    pub fn strip(&self, outlet: &str, text: &str) -> Option<String> {
        let articles = *self.articles.get(outlet)?;
        let seen = self.seen.get(outlet)?;
        let repeated = |p: &str| {
            key(p).and_then(|k| seen.get(&k)).is_some_and(|&n| {
                n >= self.min_articles && n as f64 >= self.min_share * articles as f64
            })
        };
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        let kept: Vec<&str> = paragraphs
            .iter()
            .copied()
            .filter(|p| !repeated(p))
            .collect();
        if kept.len() == paragraphs.len() || kept.is_empty() {
            return None;
        }
        Some(kept.join("\n\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slogan_on_every_page_goes_and_shared_prose_stays() {
        let mut r = Repetition::default();
        let pages: Vec<String> = (0..4)
            .map(|i| format!("Story number {i} tells what happened on the river today, at length and in detail.\n\nSign up for our morning briefing\n\nThe mayor said work would start in spring."))
            .collect();
        for p in &pages {
            r.observe("Valley Post", p);
        }
        let stripped = r.strip("Valley Post", &pages[0]).expect("slogan removed");
        assert!(!stripped.contains("Sign up"));
        // The short closing sentence is also on every page here: it goes too, by the same rule.
        assert!(stripped.starts_with("Story number 0"));
        // Another outlet's counts do not apply.
        assert!(r.strip("Other Paper", &pages[0]).is_none());
    }

    #[test]
    fn too_few_articles_change_nothing() {
        let mut r = Repetition::default();
        r.observe("Solo", "A line\n\nAnother line");
        r.observe("Solo", "A line\n\nThird line");
        assert!(r.strip("Solo", "A line\n\nAnother line").is_none());
    }
}
