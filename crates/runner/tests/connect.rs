//! The connect run over a store: planted copies are found with passages that hold, a store
//! connected in several runs ends as one connected in one run, story IDs survive growth, and
//! a run killed before saving its story state is made whole by the next.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use newsdesk_copies::CopyKind;
use newsdesk_pipeline::Pipeline;
use newsdesk_runner::{
    annotate, connect, ingest, load_stories, story_views, AnnotateOptions, ConnectOptions,
    IngestOptions, NoObserver, StoryView, STORIES_STATE,
};
use newsdesk_span::DocId;
use newsdesk_store::{SqliteStore, Store};
use newsdesk_testkit::corpus::{generate, Generated};

fn write_jsonl(path: &Path, corpus: &[Generated], range: std::ops::Range<usize>) {
    let mut f = std::fs::File::create(path).unwrap();
    for i in range {
        writeln!(f, "{}", corpus[i].json_line(i)).unwrap();
    }
}

/// Ingests and annotates `range` of the corpus.
fn add(store: &mut SqliteStore, dir: &Path, corpus: &[Generated], range: std::ops::Range<usize>) {
    let path = dir.join(format!("part-{}.jsonl", range.start));
    write_jsonl(&path, corpus, range);
    ingest_and_annotate(store, &[path]);
}

fn ingest_and_annotate(store: &mut SqliteStore, paths: &[std::path::PathBuf]) {
    ingest(store, paths, &IngestOptions::default(), &mut NoObserver).unwrap();
    let pipeline = Pipeline::standard().unwrap();
    annotate(
        store,
        &pipeline,
        &AnnotateOptions::default(),
        &mut NoObserver,
    )
    .unwrap();
}

/// Ingests, annotates and connects `paths` in a new store, and reads its stories back.
fn stories_of(dir: &Path, paths: &[std::path::PathBuf]) -> (SqliteStore, Vec<StoryView>) {
    let mut store = SqliteStore::open(&dir.join("s.db")).unwrap();
    ingest_and_annotate(&mut store, paths);
    connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    let stories = load_stories(&store).unwrap();
    let views = story_views(&store, &stories, None).unwrap();
    (store, views)
}

fn ids_by_url(store: &SqliteStore) -> BTreeMap<String, DocId> {
    store
        .summaries()
        .unwrap()
        .into_iter()
        .map(|s| (s.meta.url.clone().unwrap(), s.id))
        .collect()
}

fn link_set(store: &SqliteStore) -> BTreeSet<(DocId, DocId, CopyKind)> {
    store
        .copy_links(None)
        .unwrap()
        .into_iter()
        .map(|l| (l.a, l.b, l.kind))
        .collect()
}

const N: usize = 240;

#[test]
fn planted_copies_are_found_with_passages_that_match_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(N, 11);
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    add(&mut store, dir.path(), &corpus, 0..N);
    let outcome = connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(outcome.articles, N);

    let ids = ids_by_url(&store);
    let links = link_set(&store);
    let linked = |a: &DocId, b: &DocId| {
        links
            .iter()
            .any(|(x, y, k)| k.same_source() && ((x == a && y == b) || (x == b && y == a)))
    };
    let (mut planted, mut found) = (0, 0);
    for (i, g) in corpus.iter().enumerate() {
        if let Some((source, _)) = g.copy_of {
            planted += 1;
            if linked(&ids[&corpus[source].url(source)], &ids[&g.url(i)]) {
                found += 1;
            }
        }
    }
    assert!(planted > 20, "the generator plants copies: {planted}");
    assert!(
        found * 100 >= planted * 98,
        "found {found} of {planted} planted copies"
    );

    // A passage of an identical copy spans the same words on both sides; one of any other
    // text link spans nearly the same words (alignment runs across small edits).
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    for link in store.copy_links(None).unwrap() {
        if !link.kind.same_source() {
            continue;
        }
        let a = store.get(link.a.as_str()).unwrap().unwrap();
        let b = store.get(link.b.as_str()).unwrap().unwrap();
        for p in &link.passages {
            let (wa, wb) = (words(p.a.slice(a.text())), words(p.b.slice(b.text())));
            if link.kind == CopyKind::Identical {
                assert_eq!(wa, wb);
            } else {
                let set: BTreeSet<&String> = wb.iter().collect();
                let shared = wa.iter().filter(|w| set.contains(w)).count();
                assert!(
                    shared * 10 >= wa.len().min(wb.len()) * 8,
                    "{:?} passage shares {shared} of {} words",
                    link.kind,
                    wa.len()
                );
            }
        }
    }

    // An identical copy is in its original's story.
    let stories = load_stories(&store).unwrap();
    for (a, b, kind) in &links {
        if *kind == CopyKind::Identical {
            assert_eq!(
                stories.story_of(a.as_str()),
                stories.story_of(b.as_str()),
                "{a} and {b} are identical but in different stories"
            );
        }
    }
}

#[test]
fn a_store_connected_in_two_runs_ends_as_one_connected_in_one_and_keeps_story_ids() {
    let corpus = generate(N, 5);
    let one = tempfile::tempdir().unwrap();
    let mut whole = SqliteStore::open(&one.path().join("s.db")).unwrap();
    add(&mut whole, one.path(), &corpus, 0..N);
    connect(&mut whole, &ConnectOptions::default(), &mut NoObserver).unwrap();

    let two = tempfile::tempdir().unwrap();
    let mut grown = SqliteStore::open(&two.path().join("s.db")).unwrap();
    add(&mut grown, two.path(), &corpus, 0..N / 2);
    connect(&mut grown, &ConnectOptions::default(), &mut NoObserver).unwrap();
    let early = load_stories(&grown).unwrap();
    let early_ids: BTreeMap<String, String> = early
        .stories()
        .flat_map(|s| s.members.iter().map(|m| (m.clone(), s.id.0.clone())))
        .collect();
    add(&mut grown, two.path(), &corpus, N / 2..N);
    let outcome = connect(&mut grown, &ConnectOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(
        outcome.articles,
        N - N / 2,
        "only the new articles are connected"
    );

    assert_eq!(link_set(&whole), link_set(&grown));
    let later = load_stories(&grown).unwrap();
    for (article, story) in &early_ids {
        assert_eq!(
            later.story_of(article).map(|s| s.0.as_str()),
            Some(story.as_str()),
            "article {article} changed story"
        );
    }
    assert_eq!(load_stories(&whole).unwrap().partition(), later.partition());
}

#[test]
fn a_run_killed_before_saving_its_story_state_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(80, 3);
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    add(&mut store, dir.path(), &corpus, 0..80);
    connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    let complete = load_stories(&store).unwrap().partition();
    let links = link_set(&store);

    // As if the process died after the links were stored and before the state was saved.
    let empty = newsdesk_stories::Stories::new(newsdesk_stories::Config::default());
    store
        .put_corpus_state(STORIES_STATE, &empty.to_bytes())
        .unwrap();
    let outcome = connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(outcome.articles, 0, "no article is connected twice");
    assert_eq!(load_stories(&store).unwrap().partition(), complete);
    assert_eq!(link_set(&store), links, "nothing is lost or duplicated");

    // Starting over gives the same result.
    connect(
        &mut store,
        &ConnectOptions {
            all: true,
            ..Default::default()
        },
        &mut NoObserver,
    )
    .unwrap();
    assert_eq!(load_stories(&store).unwrap().partition(), complete);
    assert_eq!(link_set(&store), links);
}

#[test]
fn a_story_view_counts_a_copy_and_its_original_as_one_source_and_cites_its_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(60, 9);
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    add(&mut store, dir.path(), &corpus, 0..60);
    connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    let stories = load_stories(&store).unwrap();
    let views = story_views(&store, &stories, None).unwrap();
    assert_eq!(
        views.iter().map(|v| v.articles.len()).sum::<usize>(),
        60,
        "every article is in one story"
    );
    let mut checked = 0;
    for v in &views {
        assert!(v.independent_owners.count <= v.independent_sources.count);
        assert!(v.independent_sources.count <= v.articles.len());
        let same_source = v.copies.iter().filter(|l| l.kind.same_source()).count();
        if same_source > 0 && v.outlets.len() == v.articles.len() {
            assert!(
                v.independent_sources.count < v.articles.len(),
                "{}: a copy between two outlets joins them",
                v.id
            );
            checked += 1;
        }
        for link in &v.copies {
            assert!(v.articles.contains(&link.a) && v.articles.contains(&link.b));
        }
        for day in v.date_from.iter().chain(&v.date_to) {
            for e in &day.evidence {
                let doc = store.get(e.article.as_str()).unwrap().unwrap();
                assert_eq!(e.span.slice(doc.text()), e.text);
            }
        }
    }
    assert!(
        checked > 0,
        "the corpus has a story with a copy between outlets"
    );
}

#[test]
fn annotate_all_makes_the_next_connect_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(30, 13);
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    add(&mut store, dir.path(), &corpus, 0..30);
    connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    let links = link_set(&store);
    let pipeline = Pipeline::standard().unwrap();
    let options = AnnotateOptions {
        all: true,
        ..Default::default()
    };
    annotate(&mut store, &pipeline, &options, &mut NoObserver).unwrap();
    assert!(store.copy_links(None).unwrap().is_empty());
    let again = connect(&mut store, &ConnectOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(again.articles, 30, "every article is connected again");
    assert_eq!(link_set(&store), links);
}

#[test]
fn a_story_is_placed_where_its_lede_puts_the_event_not_where_the_report_was_filed() {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        (
            "met.txt",
            "GENEVA (Coastal Wire) – The fisheries ministers of Norway and Iceland met in Vienna \
             on Tuesday to sign an accord on cod quotas, officials said.\n\nThe accord cuts the \
             catch by a fifth over three years and sets up a joint inspection board.\n\nBoth \
             fleets will carry observers from next spring, the ministers said.",
        ),
        (
            "quoted.txt",
            "GENEVA (Coastal Wire) – The World Health Organization warned on Friday about the \
             spread of measles, and its director said \"cases in Brazil have doubled this \
             year\".\n\nVaccination campaigns resume next month in several regions, the agency \
             added.",
        ),
    ];
    let mut paths = Vec::new();
    for (name, text) in texts {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let (store, views) = stories_of(dir.path(), &paths);
    let place_of = |word: &str| -> Option<String> {
        let view = views.iter().find(|v| {
            v.articles.iter().any(|id| {
                let doc = store.get(id.as_str()).unwrap().unwrap();
                doc.text().contains(word)
            })
        })?;
        let place = view.place.as_ref()?;
        let e = &place.evidence[0];
        let doc = store.get(e.article.as_str()).unwrap().unwrap();
        assert_eq!(e.span.slice(doc.text()), e.text, "the evidence is the span");
        Some(place.name.clone())
    };
    // "met in Vienna" is the venue; Geneva is where the report was filed.
    assert_eq!(place_of("cod quotas").as_deref(), Some("Vienna"));
    // A place inside what someone said is the speaker's subject: the dateline stands.
    // (The dateline's capitals are the only spelling the store has of it.)
    assert_eq!(
        place_of("measles").map(|p| p.to_lowercase()).as_deref(),
        Some("geneva")
    );
}

#[test]
fn a_story_dated_only_to_a_week_says_that_week_not_a_day_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("week.jsonl");
    let record = serde_json::json!({
        "url": "https://coastal.example/talks",
        "title": "Fishing talks end without a deal",
        "text": "The fisheries ministers of Norway and Iceland ended their talks last week \
                 without a deal on cod quotas, officials said.\n\nA new round is planned for \
                 the autumn, the ministers said.",
        "date_publish": "2024-03-13",
        "source_domain": "coastal.example",
    });
    std::fs::write(&path, format!("{record}\n")).unwrap();
    let (_, views) = stories_of(dir.path(), &[path]);
    assert_eq!(views.len(), 1);
    let v = &views[0];
    let from = v.date_from.as_ref().expect("the lede gives a week");
    // Published on Wednesday 13 March 2024 (ISO week 11): "last week" is week 10.
    assert_eq!(from.value, "2024-W10");
    assert_eq!(v.date_to.as_ref().unwrap().value, "2024-W10");
    assert_eq!(from.evidence[0].text, "last week");
    assert!(v.date_reason.is_none());
}
