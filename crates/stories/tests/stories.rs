//! The rules a story must keep, on texts written for these tests.

use std::sync::OnceLock;

use jiff::civil::Date;
use newsdesk_pipeline::Pipeline;
use newsdesk_span::{Document, Field, Meta, Published, Source};
use newsdesk_stories::{ArticleFeatures, Config, Layout, Stories, StoryId};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::standard().expect("the embedded model loads"))
}

/// Features as the standard pipeline gives them, anchored on the publication day if any.
fn features(text: &str, published: Option<&str>) -> ArticleFeatures {
    let published: Option<Date> = published.map(|p| p.parse().expect("a test date"));
    let meta = Meta {
        published: published.map(|p| Field::new(Published::Day(p), "test")),
        ..Meta::default()
    };
    let doc = Document::new(
        Source {
            location: "test".into(),
            record: None,
        },
        meta,
        text.to_string(),
    );
    ArticleFeatures::from_layers(text, &pipeline().annotate(&doc), published)
}

const MEETING_MARCH: &str = "President Aldo Ferreira met Chancellor Mira Solberg in Geneva on \
March 4 to discuss the northern fishing treaty. Ferreira said the talks on fishing quotas and \
patrol boats were constructive. Solberg said both governments wanted the treaty signed.";

const MEETING_JANUARY: &str = "President Aldo Ferreira met Chancellor Mira Solberg in Geneva on \
January 13 to discuss the northern fishing treaty. Ferreira said the talks on fishing quotas and \
patrol boats were constructive. Solberg said both governments wanted the treaty signed soon.";

const FERRY: &str = "A ferry carrying 300 passengers ran aground off Kessel Island on June 9, \
the coast guard said. Rescue boats took the passengers ashore and nobody was injured. Captain \
Ruth Okafor said a steering failure drove the ferry onto the reef.";

const FERRY_LATER: &str = "Divers inspected the hull of the ferry that ran aground off Kessel \
Island on June 9. The coast guard said the reef tore a hole in the hull and that the ferry's \
owner would tow it to a shipyard. Captain Ruth Okafor blamed a steering failure.";

const FERRY_UNDATED: &str = "Salvage crews pumped water out of the grounded ferry off Kessel \
Island, where it ran onto the reef after a steering failure. The coast guard said the hull \
would be patched before the ferry is towed away.";

const BUDGET: &str = "The Brennick city council passed next year's budget on June 2 by nine \
votes to four. Mayor Tomas Ilves said the budget pays for two schools and a tram line.";

const MATCH: &str = "Harwick Rovers beat Dunmore Athletic 3-1 on June 8, with two goals from \
striker Paolo Mendes. The win lifts Rovers to second place in the league.";

const ELECTION: &str = "Voters in Lindmark elected a new parliament on June 1. The Green \
Alliance won 41 seats and its leader Hana Kovac said she would seek a coalition.";

fn background(stories: &mut Stories) {
    stories.observe("budget", &features(BUDGET, Some("2030-06-03")));
    stories.observe("match", &features(MATCH, Some("2030-06-09")));
    stories.observe("election", &features(ELECTION, Some("2030-06-02")));
}

#[test]
fn two_meetings_of_the_same_people_ten_months_apart_are_two_stories() {
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    let march = stories.observe("march", &features(MEETING_MARCH, Some("2030-03-05")));
    let january = stories.observe("january", &features(MEETING_JANUARY, Some("2031-01-14")));
    assert_ne!(march, january);
}

#[test]
fn the_same_two_meetings_without_dates_would_be_one_story() {
    // The counterpart of the test above: the texts alone are close enough to join, so it is
    // the dates that keep the meetings apart.
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    let march = stories.observe("march", &features(MEETING_MARCH, None));
    let january = stories.observe("january", &features(MEETING_JANUARY, None));
    assert_eq!(march, january);
}

#[test]
fn a_report_published_days_after_an_event_joins_its_story() {
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    let event = stories.observe("ferry", &features(FERRY, Some("2030-06-10")));
    let later = stories.observe("ferry-later", &features(FERRY_LATER, Some("2030-06-13")));
    assert_eq!(event, later);
    assert_ne!(stories.story_of("match"), Some(&event));
}

#[test]
fn an_undated_article_finds_its_story_by_content() {
    let undated = features(FERRY_UNDATED, None);
    assert!(undated.dates.is_empty());
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    let event = stories.observe("ferry", &features(FERRY, Some("2030-06-10")));
    assert_eq!(stories.observe("ferry-undated", &undated), event);
}

#[test]
fn a_story_keeps_the_id_of_its_earliest_member_as_it_grows() {
    let mut stories = Stories::new(Config::default());
    let first = stories.observe("ferry", &features(FERRY, Some("2030-06-10")));
    assert_eq!(first, StoryId("ferry".into()));
    background(&mut stories);
    stories.observe("ferry-later", &features(FERRY_LATER, Some("2030-06-13")));
    stories.observe("ferry-undated", &features(FERRY_UNDATED, None));
    let story = stories.story(&first).expect("the story is still there");
    assert_eq!(story.members, ["ferry", "ferry-later", "ferry-undated"]);
    // Observing an article again changes nothing.
    assert_eq!(
        stories.observe("ferry-later", &features(FERRY_LATER, Some("2030-06-13"))),
        first
    );
    assert_eq!(stories.len(), 6);
}

fn corpus() -> Vec<(&'static str, ArticleFeatures)> {
    vec![
        ("budget", features(BUDGET, Some("2030-06-03"))),
        ("ferry", features(FERRY, Some("2030-06-10"))),
        ("match", features(MATCH, Some("2030-06-09"))),
        ("ferry-later", features(FERRY_LATER, Some("2030-06-13"))),
        ("election", features(ELECTION, Some("2030-06-02"))),
        ("ferry-undated", features(FERRY_UNDATED, None)),
        ("march", features(MEETING_MARCH, Some("2030-03-05"))),
        ("january", features(MEETING_JANUARY, Some("2031-01-14"))),
    ]
}

#[test]
fn merging_shards_is_commutative_and_unites_a_story_split_between_them() {
    let all = corpus();
    let mut a = Stories::new(Config::default());
    let mut b = Stories::new(Config::default());
    let in_a = ["budget", "ferry", "match", "march"];
    for (id, f) in &all {
        if in_a.contains(id) {
            a.observe(id, f);
        } else {
            b.observe(id, f);
        }
    }
    // The ferry's reports sit in both shards.
    assert!(a.story_of("ferry").is_some() && b.story_of("ferry-later").is_some());
    assert!(b.story_of("ferry").is_none());
    let ab = a.clone().merge(b.clone()).expect("same settings");
    let ba = b.merge(a).expect("same settings");
    assert_eq!(ab.partition(), ba.partition());
    let ids = |s: &Stories| s.stories().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ab), ids(&ba));
    assert_eq!(ab.story_of("ferry"), ab.story_of("ferry-later"));
    assert_eq!(ab.story_of("ferry"), ab.story_of("ferry-undated"));
    assert_ne!(ab.story_of("march"), ab.story_of("january"));
    assert_eq!(ab.len(), all.len());
    // The united story keeps its senior root: the earliest publication day.
    assert_eq!(ab.story_of("ferry-later"), Some(&StoryId("ferry".into())));
}

#[test]
fn merging_a_shard_with_itself_counts_each_article_once() {
    let mut a = Stories::new(Config::default());
    for (id, f) in corpus() {
        a.observe(id, &f);
    }
    let twice = a.clone().merge(a.clone()).expect("same settings");
    assert_eq!(twice.partition(), a.partition());
    assert_eq!(twice.len(), a.len());
}

#[test]
fn states_with_different_settings_refuse_to_merge() {
    let a = Stories::new(Config::default());
    let b = Stories::new(Config {
        threshold: 0.5,
        ..Config::default()
    });
    assert!(a.merge(b).is_err());
}

/// Observes the first four articles, saves the state and reads it back with `round_trip`,
/// observes the rest, and checks the outcome is that of one uninterrupted pass.
fn resumes_as_if_never_stopped(round_trip: impl Fn(&Stories) -> Stories) {
    let all = corpus();
    let mut straight = Stories::new(Config::default());
    for (id, f) in &all {
        straight.observe(id, f);
    }
    let mut first = Stories::new(Config::default());
    for (id, f) in &all[..4] {
        first.observe(id, f);
    }
    let mut resumed = round_trip(&first);
    assert_eq!(resumed.story_of("ferry"), first.story_of("ferry"));
    assert!(resumed.contains("ferry-later"));
    assert!(!resumed.contains("election"));
    assert_eq!(resumed.join_of("ferry-later"), first.join_of("ferry-later"));
    for (id, f) in &all[4..] {
        resumed.observe(id, f);
    }
    assert_eq!(resumed.partition(), straight.partition());
    assert_eq!(resumed.threads(), straight.threads());
}

#[test]
fn a_saved_state_resumes_as_if_never_stopped() {
    resumes_as_if_never_stopped(|s| {
        let saved = serde_json::to_string(s).expect("serialisable");
        serde_json::from_str(&saved).expect("deserialisable")
    });
}

#[test]
fn news_please_files_are_read_with_both_forms_of_news_cluster() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/newsplease");
    let report = newsdesk_stories::eval_clusters(&dir).expect("the fixture reads");
    assert_eq!(report.layout, Layout::NewsPlease);
    // notes.json has no newsCluster and is passed over.
    assert_eq!(report.documents, 4);
    assert_eq!(report.gold_stories, 3);
    assert!(report.thread.is_some());
    assert!(report
        .to_string()
        .ends_with(&format!("b3_f1 {:.4}", report.story.b3_f1)));
}

#[test]
fn ecb_plus_scores_at_its_floor() {
    let Some(dir) =
        newsdesk_testkit::shared("ecb_plus_scores_at_its_floor", "data/clusters-ecbplus")
    else {
        return;
    };
    let report = newsdesk_stories::eval_clusters(&dir).expect("ECB+ reads");
    assert_eq!(report.layout, Layout::EcbPlus);
    assert!(report.story.b3_f1 >= 0.886, "{report}");
}

#[test]
fn a_state_saved_as_bytes_resumes_as_if_never_stopped() {
    resumes_as_if_never_stopped(|s| {
        Stories::from_bytes(&s.to_bytes()).expect("a saved state reads")
    });
    assert!(Stories::from_bytes(b"not a saved state").is_err());
}

#[test]
fn a_join_names_the_member_it_matched_and_what_they_share() {
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    stories.observe("ferry", &features(FERRY, Some("2030-06-10")));
    stories.observe("ferry-later", &features(FERRY_LATER, Some("2030-06-13")));
    assert_eq!(stories.join_of("ferry"), None);
    let join = stories.join_of("ferry-later").expect("it joined a story");
    assert_eq!(join.with, "ferry");
    assert!(join.similarity >= Config::default().threshold);
    assert!(join.shared_terms.iter().any(|t| t == "ferri"), "{join:?}");
    assert!(
        join.shared_names.iter().any(|n| n.contains("okafor")),
        "{join:?}"
    );
}

#[test]
fn two_meetings_of_the_same_people_months_apart_share_a_thread() {
    let mut stories = Stories::new(Config::default());
    background(&mut stories);
    let march = stories.observe("march", &features(MEETING_MARCH, Some("2030-03-05")));
    let january = stories.observe("january", &features(MEETING_JANUARY, Some("2031-01-14")));
    assert_ne!(march, january);
    let thread = stories.thread_of(&march).expect("every story has a thread");
    assert_eq!(stories.thread_of(&january), Some(thread.clone()));
    // The thread keeps its senior story's ID.
    assert_eq!(thread.0, march.0);
    let budget = stories.story_of("budget").expect("observed").clone();
    assert_ne!(stories.thread_of(&budget), Some(thread.clone()));
    let threads = stories.threads();
    let t = threads.iter().find(|t| t.id == thread).expect("listed");
    assert_eq!(t.stories, [march, january]);
    assert_eq!(
        threads.iter().map(|t| t.stories.len()).sum::<usize>(),
        stories.stories().count()
    );
}

#[test]
fn topic_named_texts_are_a_layout_with_thread_figures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/topics");
    let report = newsdesk_stories::eval_clusters(&dir).expect("the fixture reads");
    assert_eq!(report.layout, Layout::TopicFiles);
    // The same file in two subsets is one article; readme.txt is no article.
    assert_eq!(report.documents, 3);
    let thread = report.thread.expect("the topic is the gold thread");
    assert_eq!(thread.gold, 2);
    assert!(thread.threads.b3_precision > 0.0);
}

#[test]
fn wikiref_thread_figures() {
    let Some(dir) = newsdesk_testkit::shared("wikiref_thread_figures", "data/threads-wikiref")
    else {
        return;
    };
    let report = newsdesk_stories::eval_clusters(&dir).expect("WikiRef reads");
    assert_eq!(report.layout, Layout::TopicFiles);
    let thread = report.thread.expect("topics are threads");
    assert!(thread.threads.b3_f1 >= 0.8, "{report}");
}

#[test]
fn two_reports_of_one_meeting_in_a_store_of_three_share_a_story() {
    let mut stories = Stories::new(Config::default());
    let (a, b) = place_three(&mut stories);
    assert_eq!(a, b);
}

fn place_three(stories: &mut Stories) -> (StoryId, StoryId) {
    let first = features(
        "Harbour minister Lena Okafor met the fisheries commissioner Tomas Ruud in Brenholm on \
         Tuesday to settle the quota dispute over the northern banks. Okafor said the two sides \
         agreed to cut the winter herring quota by a tenth.",
        Some("2025-02-11"),
    );
    let second = features(
        "Fisheries commissioner Tomas Ruud and harbour minister Lena Okafor agreed in Brenholm \
         on Tuesday to reduce the herring quota for the northern banks by ten percent, ending \
         a dispute that had kept trawlers in port.",
        Some("2025-02-12"),
    );
    let other = features(
        "A new tram line opened in Castelmar on Monday, the city's transport office said, \
         with trams every six minutes between the station and the university.",
        Some("2025-02-10"),
    );
    stories.observe("other", &other);
    let a = stories.observe("first", &first);
    let b = stories.observe("second", &second);
    assert_ne!(stories.story_of("other"), Some(&a));
    (a, b)
}

#[test]
fn a_copy_joins_its_originals_story_whatever_the_similarity_unless_dates_disagree() {
    let mut stories = Stories::new(Config::default());
    let original = features(
        "The Brenholm ferry terminal closed on Tuesday after a crane collapsed onto the \
         loading ramp, the port operator said.",
        Some("2025-03-04"),
    );
    // A rewrite that keeps little wording: the copies stage linked it by a shared passage.
    let rewrite = features(
        "Operations at the terminal have stopped since the accident, with passengers sent to \
         other crossings and freight delayed.",
        Some("2025-03-05"),
    );
    let id = stories.observe("original", &original);
    let joined = stories.observe_linked("rewrite", &rewrite, &["original"]);
    assert_eq!(joined, id);
    assert!(stories.join_of("rewrite").unwrap().by_copy);

    // A "copy" that dates its event months apart is not joined to it.
    let later = features(
        "The Brenholm ferry terminal closed on 2 September 2025 after a crane collapsed onto \
         the loading ramp, the port operator said.",
        Some("2025-09-03"),
    );
    let apart = stories.observe_linked("later", &later, &["original"]);
    assert_ne!(apart, id);
}

#[test]
fn a_dateline_city_shared_by_two_unrelated_reports_is_not_a_shared_name() {
    let harbour = features(
        "OSTRAVA, March 3 - The regional water board closed the old harbour after a barge \
         sank near its gates, officials said.",
        Some("2024-03-03"),
    );
    let budget = features(
        "OSTRAVA, March 4 - The steel works raised its dividend and said output rose by a \
         tenth in the year.",
        Some("2024-03-04"),
    );
    for f in [&harbour, &budget] {
        assert!(
            !f.names.keys().any(|k| k.contains("ostrava")),
            "the dateline's place is where the report was filed: {:?}",
            f.names
        );
    }
    let mut stories = Stories::new(Config::default());
    let a = stories.observe("harbour", &harbour);
    let b = stories.observe("budget", &budget);
    assert_ne!(a, b);
}

#[test]
fn the_joins_behind_an_evaluation_name_both_gold_stories() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/newsplease");
    let set = newsdesk_stories::EvalSet::load(&dir).expect("the fixture reads");
    let config = Config::default();
    let joins = set.joins(config);
    let report = set.run(config);
    // Every article that did not start a story joined one: documents = stories + joins.
    assert_eq!(joins.len(), report.documents - report.stories);
    for (doc, _, _, join) in &joins {
        assert_ne!(doc, &join.with);
        assert!(join.similarity > 0.0 || join.by_copy);
    }
    // A false join lowers precision: with none, B³ precision is 1.
    if joins.iter().all(|(_, g, w, _)| g == w) {
        assert_eq!(report.story.b3_precision, 1.0);
    }
}

#[test]
fn two_templated_briefs_that_name_no_one_are_not_one_story_on_shared_template_words() {
    let first = features(
        "Qtly div 15 cts vs 15 cts prior. Pay April 10. Record March 20. The mill said its \
         orders for paper were steady.",
        Some("1987-03-02"),
    );
    let second = features(
        "Qtly div 22 cts vs 20 cts prior. Pay April 15. Record March 27. The brewer said it \
         would open two plants next year.",
        Some("1987-03-03"),
    );
    assert!(first.names.is_empty() && second.names.is_empty());
    let place = |config: Config| {
        let mut stories = Stories::new(config);
        let a = stories.observe("first", &first);
        let b = stories.observe("second", &second);
        a == b
    };
    let loose = Config {
        unnamed_threshold: 0.0,
        ..Config::default()
    };
    assert!(place(loose), "on words alone the two clear the threshold");
    assert!(!place(Config::default()));
}
