//! The split refinement, on feature sets written for these tests: two happenings of one kind
//! that the first stage chained into one story, and a story of one happening.

use jiff::civil::Date;
use newsdesk_span::EntityKind;
use newsdesk_stories::{ArticleFeatures, Config, Name, Stories, StoryId};

/// A first stage loose enough to chain every article of a kind into one story.
fn loose() -> Config {
    Config {
        threshold: 0.05,
        ..Config::default()
    }
}

fn day(d: i8) -> Option<Date> {
    Some(jiff::civil::date(2031, 5, d))
}

fn article(
    terms: &[&str],
    names: &[(&str, EntityKind)],
    published: Option<Date>,
) -> ArticleFeatures {
    let mut f = ArticleFeatures {
        published,
        ..ArticleFeatures::default()
    };
    for t in terms {
        *f.terms.entry(t.to_string()).or_default() += 1;
    }
    for &(n, kind) in names {
        f.names.insert(n.to_string(), Name { kind, count: 1 });
    }
    f
}

/// The words every report of a browser flaw uses, whichever flaw.
const KIND: [&str; 6] = ["browser", "flaw", "patch", "attack", "secur", "user"];

/// Report `i` of the flaw found by one lab (`first`) or the other: the words of the kind, the
/// words of its own flaw (most of them), and a word of its own.
fn flaw_report(first: bool, i: usize) -> ArticleFeatures {
    let own: [&str; 5] = if first {
        ["vector", "graphic", "overflow", "render", "font"]
    } else {
        ["cursor", "anim", "heap", "icon", "spoof"]
    };
    let mut terms: Vec<&str> = KIND.to_vec();
    terms.extend(
        own.iter()
            .enumerate()
            .filter(|(k, _)| k % 5 != i % 5)
            .map(|(_, w)| *w),
    );
    let extra = format!("{}{i}", if first { "x" } else { "y" });
    terms.push(&extra);
    let lab = if first {
        "kestrel labs"
    } else {
        "norland security"
    };
    let expert = if first { "ida varga" } else { "omar pell" };
    let names = [
        ("vendorsoft", EntityKind::Org),
        (lab, EntityKind::Org),
        (expert, EntityKind::Per),
    ];
    // The second flaw's reports came out earlier in the month.
    let published = if first {
        day(20 + i as i8)
    } else {
        day(2 + i as i8)
    };
    article(&terms, &names, published)
}

/// The reports of both flaws, interleaved; the first observed is of the second flaw.
fn two_flaws() -> Vec<(String, ArticleFeatures)> {
    let mut out = Vec::new();
    for i in 0..5 {
        out.push((format!("norland-{i}"), flaw_report(false, i)));
        out.push((format!("kestrel-{i}"), flaw_report(true, i)));
    }
    out
}

fn observed(config: Config, articles: &[(String, ArticleFeatures)]) -> Stories {
    let mut s = Stories::new(config);
    for (id, f) in articles {
        s.observe(id, f);
    }
    s
}

#[test]
fn a_story_of_two_flaws_of_one_browser_is_split_and_the_senior_half_keeps_its_id() {
    let articles = two_flaws();
    let mut s = observed(loose(), &articles);
    // The first stage chained both flaws into one story, named after its first article.
    assert_eq!(s.partition().len(), 1);
    let root = StoryId("norland-0".into());
    assert_eq!(s.story_of("kestrel-3"), Some(&root));
    let splits = s.refine();
    assert_eq!(splits.len(), 1);
    let split = &splits[0];
    // The half holding the story's root keeps the ID; the other is named after its senior
    // member, the earliest published.
    assert_eq!(split.story, root);
    assert_eq!(split.split_off, StoryId("kestrel-0".into()));
    for i in 0..5 {
        assert_eq!(s.story_of(&format!("norland-{i}")), Some(&root));
        assert_eq!(s.story_of(&format!("kestrel-{i}")), Some(&split.split_off));
    }
    assert_eq!(s.story(&split.split_off).unwrap().root_published, day(20));
    assert!(split.between < 0.4 * split.within, "{split:?}");
    // The evidence names what tells the halves apart, and neither half's words are the
    // other's.
    assert!(split.split_off_names.contains(&"kestrel labs".to_string()));
    assert!(split.story_names.contains(&"norland security".to_string()));
    assert!(split.split_off_terms.iter().any(|t| t == "overflow"));
    assert!(!split
        .split_off_terms
        .iter()
        .any(|t| KIND.contains(&t.as_str())));
    assert_eq!(s.split_of(&split.split_off), Some(split));
    // Both halves stay in one thread, and every join is within its own story.
    assert_eq!(s.thread_of(&root), s.thread_of(&split.split_off));
    for (id, _) in &articles {
        let Some(join) = s.join_of(id) else {
            assert!(id == "norland-0" || id == "kestrel-0", "{id}");
            continue;
        };
        assert_eq!(s.story_of(&join.with), s.story_of(id), "{id}");
    }
    // Refined again without change, nothing more is split.
    assert!(s.refine().is_empty());
}

#[test]
fn a_story_of_one_flaw_is_not_split() {
    // Ten reports of one flaw, each with most of its words and a word of its own.
    let articles: Vec<(String, ArticleFeatures)> = (0..10)
        .map(|i| (format!("kestrel-{i}"), flaw_report(true, i)))
        .collect();
    let mut s = observed(loose(), &articles);
    assert_eq!(s.partition().len(), 1);
    assert!(s.refine().is_empty());
    assert_eq!(s.partition().len(), 1);
}

#[test]
fn a_story_smaller_than_twice_the_smallest_half_is_not_split() {
    let articles: Vec<(String, ArticleFeatures)> = two_flaws().into_iter().take(7).collect();
    let mut s = observed(loose(), &articles);
    assert_eq!(s.partition().len(), 1);
    assert!(s.refine().is_empty());
}

#[test]
fn splitting_off_keeps_the_stories_as_the_first_stage_made_them() {
    let mut s = observed(
        Config {
            split_min: 0,
            ..loose()
        },
        &two_flaws(),
    );
    assert!(s.refine().is_empty());
    assert_eq!(s.partition().len(), 1);
}

#[test]
fn a_state_read_back_keeps_the_split_settings_and_evidence() {
    let config = Config {
        split_min: 3,
        split_ratio: 0.35,
        ..loose()
    };
    let mut s = observed(config, &two_flaws());
    let splits = s.refine();
    assert_eq!(splits.len(), 1);
    let back = Stories::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(back.config(), config);
    assert_eq!(back.partition(), s.partition());
    assert_eq!(back.split_of(&splits[0].split_off), Some(&splits[0]));
    assert_eq!(back.to_bytes(), s.to_bytes());
}

#[test]
fn a_state_split_where_a_half_was_published_in_the_reverse_order_it_was_observed_reads_back() {
    // The split-off half's senior member is its last observed, and its other members' joins
    // went to the other half: a join may only name an earlier article.
    let articles: Vec<(String, ArticleFeatures)> = two_flaws()
        .into_iter()
        .map(|(id, mut f)| {
            if id.starts_with("kestrel") {
                let i: i8 = id["kestrel-".len()..].parse().unwrap();
                f.published = day(28 - i);
            }
            (id, f)
        })
        .collect();
    let mut s = observed(loose(), &articles);
    let splits = s.refine();
    assert_eq!(splits.len(), 1);
    assert_eq!(splits[0].split_off, StoryId("kestrel-4".into()));
    let back = Stories::from_bytes(&s.to_bytes()).expect("reads back");
    assert_eq!(back.partition(), s.partition());
    for (id, _) in &articles {
        if let Some(join) = s.join_of(id) {
            assert_eq!(s.story_of(&join.with), s.story_of(id), "{id}");
        }
    }
}

#[test]
fn an_unrefined_state_read_back_still_refines_its_changed_stories() {
    let s = observed(loose(), &two_flaws());
    let mut back = Stories::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(back.refine().len(), 1);
}

#[test]
fn merging_shards_then_refining_is_the_same_in_either_order() {
    let articles = two_flaws();
    let (mut a, mut b) = (Stories::new(loose()), Stories::new(loose()));
    for (k, (id, f)) in articles.iter().enumerate() {
        if k % 3 == 0 {
            a.observe(id, f);
        } else {
            b.observe(id, f);
        }
    }
    a.refine();
    b.refine();
    let mut ab = a.clone().merge(b.clone()).unwrap();
    let mut ba = b.merge(a).unwrap();
    let (x, y) = (ab.refine(), ba.refine());
    assert_eq!(x.len(), 1);
    assert_eq!(ab.partition(), ba.partition());
    let ids = |s: &Stories| s.stories().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ab), ids(&ba));
    assert_eq!(ab.partition().len(), 2);
    assert_eq!(
        (&x[0].story, &x[0].split_off),
        (&y[0].story, &y[0].split_off)
    );
}
