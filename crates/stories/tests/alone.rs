//! The join one-pass clustering misses: an article left alone because the articles that
//! matched it arrived after it. Features are written by hand so that the similarities are
//! known; the settings are the defaults but for the unnamed threshold (the articles name no
//! one, and templated briefs are not what is tested here).

use jiff::civil::Date;
use newsdesk_stories::{ArticleFeatures, Config, Found, Stories, StoryId};

fn config() -> Config {
    Config {
        unnamed_threshold: 0.0,
        ..Config::default()
    }
}

/// An article using each of `words` once and naming no one, published on `published`.
fn article(words: &str, published: Option<&str>) -> ArticleFeatures {
    let mut f = ArticleFeatures {
        published: published.map(|p| p.parse::<Date>().expect("a test date")),
        ..ArticleFeatures::default()
    };
    for w in words.split_whitespace() {
        *f.terms.entry(w.to_string()).or_default() += 1;
    }
    f
}

/// Unrelated articles, so that document frequencies mean something.
fn background(stories: &mut Stories) {
    for i in 0..30 {
        let words: String = (0..12).map(|k| format!("bg{i}x{k} ")).collect();
        stories.observe(&format!("bg{i:02}"), &article(&words, Some("2030-06-01")));
    }
}

fn words(prefix: &str, n: usize) -> String {
    (0..n).map(|k| format!("{prefix}{k} ")).collect()
}

#[test]
fn an_article_left_alone_before_its_matches_arrived_is_taken_into_their_story() {
    let mut stories = Stories::new(config());
    background(&mut stories);
    // `early` shares a third of its words with `late`; `first` shares more with it.
    let early = article(&(words("s", 4) + &words("e", 8)), Some("2030-06-10"));
    let first = article(&(words("t", 8) + &words("f", 4)), Some("2030-06-10"));
    let late = article(&(words("s", 4) + &words("t", 8)), Some("2030-06-11"));
    stories.observe("early", &early);
    let story = stories.observe("first", &first);
    assert_ne!(
        stories.story_of("early"),
        Some(&story),
        "they share nothing"
    );
    assert_eq!(stories.observe("late", &late), story);
    let with_early = stories.join_of("late").expect("late joined first");
    assert_eq!(with_early.with, "first");
    // Until the refinement, `early` is alone: `late` matched `first` better.
    assert_eq!(
        stories.story_of("early").map(|s| s.0.as_str()),
        Some("early")
    );
    stories.refine();
    assert_eq!(stories.story_of("early"), Some(&story));
    let join = stories.join_of("early").expect("early joined late's story");
    assert_eq!(join.with, "late");
    assert!(join.similarity >= config().threshold, "{join:?}");
    assert!(
        stories.story(&StoryId("early".into())).is_none(),
        "its own story is gone"
    );
    // A link saved to the gone story leads to the story its article is in now.
    assert_eq!(
        stories.find("early"),
        Found::Within {
            article: "early".into(),
            story: story.clone()
        }
    );
    assert_eq!(stories.find("fir"), Found::Story(story.clone()));
    let bg0: Vec<StoryId> = (0..10).map(|i| StoryId(format!("bg0{i}"))).collect();
    assert_eq!(stories.find("bg0"), Found::Several(bg0));
    assert_eq!(stories.find("nowhere"), Found::Nothing);
    assert_eq!(
        stories.thread_of(&story),
        stories.thread_of(stories.story_of("first").expect("observed"))
    );
    // The state reads back with a join that names a later article.
    let again = Stories::from_bytes(&stories.to_bytes()).expect("a saved state reads");
    assert_eq!(again.partition(), stories.partition());
    assert_eq!(again.join_of("early"), stories.join_of("early"));
}

#[test]
fn an_article_left_alone_stays_alone_outside_the_later_storys_publication_window() {
    let mut stories = Stories::new(config());
    background(&mut stories);
    let early = article(&(words("s", 4) + &words("e", 8)), Some("2030-03-10"));
    let first = article(&(words("t", 8) + &words("f", 4)), Some("2030-06-10"));
    let late = article(&(words("s", 4) + &words("t", 8)), None);
    stories.observe("early", &early);
    let story = stories.observe("first", &first);
    assert_eq!(stories.observe("late", &late), story);
    stories.refine();
    // Three months before the story's first report: a later report, not this happening.
    assert_eq!(
        stories.story_of("early").map(|s| s.0.as_str()),
        Some("early")
    );
}
