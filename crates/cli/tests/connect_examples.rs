//! The connect stage on the bundled example corpus, as an analyst would check it: copy links
//! whose passages really are shared text, reposts and a rewrite tied to their wire story with
//! the right kind and direction, one speaker's statement in two translations, two meetings of
//! the same officials ten months apart kept apart, an undated follow-up placed with its event,
//! and story IDs that survive a second run. Articles are found by the titles written in
//! examples/corpus, never by ID.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{analyzed_example_corpus, articles, newsdesk, repo_root};
use serde_json::Value;

// Titles of the example articles the properties are about.
const WIRE: &str = "Fire destroys grain silo at Arden river terminal";
const CREDITED_REPOST: &str = "Arden terminal fire: silo destroyed, forty workers evacuated";
const VERBATIM_COPY: &str = "Grain silo lost to fire at Arden terminal";
const REWRITE: &str = "Overnight blaze guts silo at Arden grain terminal";
const QUOTE_FIRST_RENDERING: &str = "Ravenia to limit lorries on Dun bridge";
const QUOTE_SECOND_RENDERING: &str = "Booking slots become mandatory for trucks at Dun crossing";
const TALKS_2024: &str = "Wren and Holt end Dunmere talks without deal";
const TALKS_2025: &str = "Ardenshire and Ravenia sign deal to reopen Halvik railway";
const UNDATED_FOLLOW_UP: &str = "Surveyors mark out route of Dunmere to Halvik railway";

/// The example corpus analysed into a fresh store, with what the read commands print.
struct Connected {
    _dir: tempfile::TempDir,
    db: PathBuf,
    /// Article ID by title.
    ids: BTreeMap<String, String>,
    stories: Vec<Value>,
    copies: Vec<Value>,
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = newsdesk(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} is not JSON: {e}"))
}

fn connected() -> Connected {
    let (dir, db, _) = analyzed_example_corpus();
    let mut ids = BTreeMap::new();
    for a in articles(&db) {
        if let (Some(title), Some(id)) = (a["title"].as_str(), a["id"].as_str()) {
            ids.insert(title.to_string(), id.to_string());
        }
    }
    let stories = json(&db, &["stories", "--json"]);
    let copies = json(&db, &["copies", "--json"]);
    Connected {
        _dir: dir,
        db,
        ids,
        stories: stories
            .as_array()
            .expect("stories --json is a list")
            .clone(),
        copies: copies.as_array().expect("copies --json is a list").clone(),
    }
}

impl Connected {
    fn id(&self, title: &str) -> &str {
        self.ids
            .get(title)
            .unwrap_or_else(|| panic!("no article titled {title:?} among {:#?}", self.ids.keys()))
    }

    /// The links between the articles titled `x` and `y`, either way round.
    fn links(&self, x: &str, y: &str) -> Vec<&Value> {
        let (x, y) = (self.id(x), self.id(y));
        self.copies
            .iter()
            .filter(|l| {
                let (a, b) = (l["a"].as_str().unwrap(), l["b"].as_str().unwrap());
                (a == x && b == y) || (a == y && b == x)
            })
            .collect()
    }

    /// The ID of the story holding the article titled `title`.
    fn story_of(&self, title: &str) -> &str {
        let id = self.id(title);
        let holding: Vec<&Value> = self
            .stories
            .iter()
            .filter(|s| s["articles"].as_array().unwrap().iter().any(|a| a == id))
            .collect();
        assert_eq!(
            holding.len(),
            1,
            "{title:?} is in {} stories: {:#?}",
            holding.len(),
            self.stories
        );
        holding[0]["id"].as_str().unwrap()
    }

    fn story(&self, id: &str) -> &Value {
        self.stories
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no story {id}"))
    }

    fn text(&self, id: &str) -> String {
        let a = json(&self.db, &["article", id, "--json"]);
        a["text"].as_str().expect("article text").to_string()
    }
}

/// Words as a reader compares them: letters and digits, case folded.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn slice(text: &str, span: &Value) -> String {
    let [start, end] = [span[0].as_u64().unwrap(), span[1].as_u64().unwrap()].map(|n| n as usize);
    text.get(start..end)
        .unwrap_or_else(|| {
            panic!(
                "span {start}..{end} outside or inside a character of a text of {} bytes",
                text.len()
            )
        })
        .to_string()
}

#[test]
fn every_copy_passage_slices_to_the_same_words_on_both_sides() {
    let c = connected();
    let reuse: Vec<&Value> = c
        .copies
        .iter()
        .filter(|l| l["kind"] != "shared-quote")
        .collect();
    assert!(!reuse.is_empty(), "no copy links: {:#?}", c.copies);
    let mut texts = BTreeMap::new();
    let mut text = |id: &str| -> String {
        texts
            .entry(id.to_string())
            .or_insert_with(|| c.text(id))
            .clone()
    };
    for link in reuse {
        let (a, b) = (
            text(link["a"].as_str().unwrap()),
            text(link["b"].as_str().unwrap()),
        );
        let passages = link["passages"].as_array().unwrap();
        assert!(!passages.is_empty(), "a link without passages: {link:#}");
        for p in passages {
            let (in_a, in_b) = (slice(&a, &p["a"]), slice(&b, &p["b"]));
            assert_eq!(
                words(&in_a),
                words(&in_b),
                "{} link {} → {}: passage {p} differs\n  a: {in_a:?}\n  b: {in_b:?}",
                link["kind"],
                link["a"],
                link["b"]
            );
        }
    }
}

#[test]
fn both_reposts_are_copies_of_the_wire_story_and_point_back_to_it() {
    let c = connected();
    let wire = c.id(WIRE);
    for repost in [CREDITED_REPOST, VERBATIM_COPY] {
        let links = c.links(WIRE, repost);
        let link = links
            .iter()
            .find(|l| l["kind"] == "identical" || l["kind"] == "republished")
            .unwrap_or_else(|| panic!("{repost:?} is not a copy of the wire story: {links:#?}"));
        assert_eq!(
            link["direction"]["source"], wire,
            "{repost:?}: the wire story is the original: {link:#}"
        );
        assert_eq!(link["direction"]["copy"], c.id(repost), "{link:#}");
    }
    // The credited repost was posted the same day as the wire story: only its credit line
    // tells who copied whom.
    let credited = c.links(WIRE, CREDITED_REPOST);
    assert!(
        credited
            .iter()
            .any(|l| l["direction"]["by"] == "credit-line"),
        "{credited:#?}"
    );
}

#[test]
fn the_rewrite_is_linked_as_rewritten() {
    let c = connected();
    let links = c.links(WIRE, REWRITE);
    assert!(
        links.iter().any(|l| l["kind"] == "rewritten"),
        "the reworded report is not a rewrite of the wire story: {links:#?}"
    );
}

#[test]
fn two_translations_of_one_statement_are_a_shared_quote() {
    let c = connected();
    let links = c.links(QUOTE_FIRST_RENDERING, QUOTE_SECOND_RENDERING);
    let quote = links
        .iter()
        .find(|l| l["kind"] == "shared-quote")
        .unwrap_or_else(|| panic!("no shared-quote link: {links:#?}"));
    // The passages are the two renderings of the statement, one in each article.
    let (a, b) = (
        c.text(quote["a"].as_str().unwrap()),
        c.text(quote["b"].as_str().unwrap()),
    );
    let p = &quote["passages"][0];
    let (in_a, in_b) = (slice(&a, &p["a"]), slice(&b, &p["b"]));
    for side in [&in_a, &in_b] {
        let w = words(side);
        assert!(
            w.contains(&"bridge".to_string()) && w.contains(&"roads".to_string()),
            "the passage is not the statement: {side:?}"
        );
    }
    // Written independently: no other reuse between them.
    assert!(
        links.iter().all(|l| l["kind"] == "shared-quote"),
        "{links:#?}"
    );
}

#[test]
fn the_wire_story_and_its_copies_are_one_story_with_fewer_sources_than_articles() {
    let c = connected();
    let story = c.story_of(WIRE);
    for other in [CREDITED_REPOST, VERBATIM_COPY, REWRITE] {
        assert_eq!(c.story_of(other), story, "{other:?} left the wire story");
    }
    let s = c.story(story);
    // `story ID` shows the story `stories` lists, found by a prefix of its ID.
    let alone = json(&c.db, &["story", &story[..8], "--json"]);
    assert_eq!(alone["articles"], s["articles"], "{alone:#}");
    let articles = s["articles"].as_array().unwrap().len();
    let sources = s["independent_sources"]["count"].as_u64().unwrap() as usize;
    assert!(
        sources < articles,
        "{sources} independent sources for {articles} articles: {:#}",
        s["independent_sources"]
    );
    assert!(
        s["independent_owners"]["count"].as_u64().unwrap() as usize <= sources,
        "{s:#}"
    );
}

#[test]
fn two_meetings_ten_months_apart_are_two_stories() {
    let c = connected();
    assert_ne!(
        c.story_of(TALKS_2024),
        c.story_of(TALKS_2025),
        "the meetings of 12 March 2024 and 14 January 2025 are one story"
    );
}

#[test]
fn the_undated_follow_up_joins_the_story_of_its_event() {
    let c = connected();
    assert_eq!(
        c.story_of(UNDATED_FOLLOW_UP),
        c.story_of(TALKS_2025),
        "the follow-up on the railway works is not with the signing it follows: {:#?}",
        c.stories
    );
}

#[test]
fn stories_grouped_in_a_thread_name_that_thread() {
    let c = connected();
    let threads = json(&c.db, &["threads", "--json"]);
    let threads = threads.as_array().expect("threads --json is a list");
    assert!(!threads.is_empty());
    let thread_of: BTreeMap<&str, Option<&str>> = c
        .stories
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["thread"].as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    for t in threads {
        let id = t["id"].as_str().unwrap();
        let members = t["stories"].as_array().unwrap();
        assert!(
            members.iter().any(|s| s["id"] == id),
            "thread {id} does not hold its senior story: {t:#}"
        );
        for s in members {
            let story = s["id"].as_str().unwrap();
            assert!(seen.insert(story), "story {story} is in two threads");
            assert_eq!(
                thread_of.get(story).copied().flatten(),
                Some(id),
                "story {story} is listed under thread {id} but names another"
            );
        }
        let articles: usize = members
            .iter()
            .map(|s| s["articles"].as_array().unwrap().len())
            .sum();
        assert_eq!(t["articles"].as_u64().unwrap() as usize, articles, "{t:#}");
    }
    // Every story that names a thread is listed under it.
    for (story, thread) in &thread_of {
        if thread.is_some() {
            assert!(seen.contains(story), "story {story} names {thread:?}");
        }
    }
}

#[test]
fn a_second_analyze_of_the_same_corpus_keeps_every_story() {
    let c = connected();
    let corpus = repo_root().join("examples/corpus");
    let again = newsdesk(&c.db, &["analyze", corpus.to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let members = |stories: &[Value]| -> BTreeMap<String, Value> {
        stories
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_string(), s["articles"].clone()))
            .collect()
    };
    let after = json(&c.db, &["stories", "--json"]);
    assert_eq!(
        members(after.as_array().unwrap()),
        members(&c.stories),
        "a second run moved stories"
    );
}
