//! End-to-end ingest behaviour through the `newsdesk` binary.

mod common;

use std::io::Write;

use common::{analyzed_example_corpus, articles, newsdesk, repo_root};
use serde_json::Value;

fn by_location<'a>(list: &'a [Value], suffix: &str, record: Option<u64>) -> &'a Value {
    list.iter()
        .find(|a| {
            a["source"]["location"].as_str().unwrap().ends_with(suffix)
                && a["source"]["record"].as_u64() == record
        })
        .unwrap_or_else(|| panic!("no article from {suffix}"))
}

#[test]
fn example_corpus_metadata() {
    let (_dir, db, out) = analyzed_example_corpus();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("Storm-hit harbour of Portville reopens"),
        "{report}"
    );
    let list = articles(&db);
    assert_eq!(list.len(), 16);

    // A crawl-date banner above the publication date, with a credit line and footer furniture.
    let wire = by_location(&list, "01-harbour-wire.txt", None);
    assert_eq!(wire["published"], "2024-12-17");
    assert_eq!(wire["outlet"], "Coastal Wire");
    assert_eq!(wire["republisher"], Value::Null);
    assert_eq!(wire["title"], "Storm-hit harbour of Portville reopens");
    // The same story reposted by a blog: original outlet and republisher kept apart.
    let repost = by_location(&list, "02-harbour-repost.txt", None);
    assert_eq!(repost["outlet"], "Coastal Wire");
    assert_eq!(repost["republisher"], "harbourwatchblog");
    assert_eq!(repost["published"], "2024-12-18");
    // HTML: meta date with its offset, site name, author.
    let html = by_location(&list, "03-bridge.html", None);
    assert_eq!(html["published"], "2024-11-05T18:20:00+01:00");
    assert_eq!(html["outlet"], "The Valmont Courier");
    assert_eq!(html["byline"], "Marta Quell");
    // JSONL: the date_download of a record without date_publish is a crawl date, not a date.
    let jsonl_copy = by_location(&list, "04-wire.jsonl", Some(2));
    assert_eq!(jsonl_copy["published"], Value::Null);
    assert_eq!(
        by_location(&list, "04-wire.jsonl", Some(1))["published"],
        "2024-11-06"
    );
    let feed = by_location(&list, "05-feed.rss", Some(1));
    assert_eq!(feed["published"], "2024-11-28T05:30:00+00:00");
    let undated = by_location(&list, "06-no-date.txt", None);
    assert_eq!(undated["published"], Value::Null);
    assert_eq!(undated["outlet"], "Coastal Wire");

    for a in &list {
        for key in [
            "id",
            "source",
            "url",
            "outlet",
            "republisher",
            "title",
            "published",
            "language",
            "chars",
        ] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
    }
}

#[test]
fn article_json_has_clean_text_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let file = repo_root().join("examples/corpus/01-harbour-wire.txt");
    assert!(newsdesk(&db, &["ingest", file.to_str().unwrap()])
        .status
        .success());
    let id = articles(&db)[0]["id"].as_str().unwrap().to_string();
    let out = newsdesk(&db, &["article", &id[..8], "--json"]);
    assert!(out.status.success());
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = a["text"].as_str().unwrap();
    for furniture in [
        "READ:",
        "Your Name",
        "Your Email",
        "News ID",
        "By Coastal Wire",
        "Mon 6 Jan",
    ] {
        assert!(!text.contains(furniture), "{furniture} left in text");
    }
    assert!(text.starts_with("PORTVILLE (Coastal Wire)"));
    assert_eq!(a["provenance"]["published"]["source"], "header-line");
    assert_eq!(
        a["provenance"]["published"]["evidence"],
        "Tuesday 17 December 2024 - 09:40"
    );
    assert_eq!(a["provenance"]["outlet"]["source"], "credit-line");
}

#[test]
fn ingest_twice_stores_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let corpus = repo_root().join("examples/corpus");
    let first = newsdesk(&db, &["ingest", corpus.to_str().unwrap()]);
    assert!(first.status.success());
    let second = newsdesk(&db, &["ingest", corpus.to_str().unwrap()]);
    assert!(second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("0 added, 16 already present, 0 failed"),
        "{stderr}"
    );
    assert_eq!(articles(&db).len(), 16);
}

#[test]
fn bad_inputs_are_named_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(inputs.join(name), bytes).unwrap();
    write(
        "a-good.txt",
        b"A complete paragraph of news text that reads as prose, with enough words in it.\n",
    );
    write(
        "b-junk.bin",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    write(
        "c-archive.zip",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00story.txt",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all("word ".repeat(600).as_bytes()).unwrap();
    let mut gz = gz.finish().unwrap();
    gz.truncate(gz.len() / 2);
    write("d-truncated.txt.gz", &gz);
    write(
        "e-bad.warc",
        b"WARC/1.0\r\nWARC-Type: response\r\n\r\nno length here",
    );
    write("f-big.txt", "Big file words. ".repeat(80_000).as_bytes());
    write(
        "g-deep.html",
        format!(
            "<html><body>{}<p>deep</p></body></html>",
            "<div>".repeat(100_000)
        )
        .as_bytes(),
    );
    let db = dir.path().join("n.db");
    let out = newsdesk(
        &db,
        &[
            "ingest",
            "--max-record-bytes",
            "1000000",
            inputs.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, reason) in [
        ("b-junk.bin", "binary data"),
        ("c-archive.zip", "ZIP archive"),
        ("d-truncated.txt.gz", "gzip"),
        ("e-bad.warc", "Content-Length"),
        ("f-big.txt", "over the size limit"),
        ("g-deep.html", "nested deeper"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no error for {file}: {stderr}"));
        assert!(
            line.starts_with("error: ") && line.contains(reason),
            "{line}"
        );
        assert_eq!(
            stderr.lines().filter(|l| l.contains(file)).count(),
            1,
            "one line per bad file"
        );
    }
    assert!(
        stderr.contains("1 added, 0 already present, 6 failed"),
        "{stderr}"
    );
    assert_eq!(articles(&db).len(), 1);
}

#[test]
fn stdin_is_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["ingest", "--db", db.to_str().unwrap(), "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"url":"https://x.example/a","title":"T","text":"Body text read from standard input, long enough to be prose."}"#)
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let list = articles(&db);
    assert_eq!(list[0]["source"]["location"], "-");
    assert_eq!(list[0]["url"], "https://x.example/a");
}

#[test]
fn analyze_annotates_and_resolves_entities() {
    let (_dir, db, _) = analyzed_example_corpus();
    let out = newsdesk(&db, &["entities", "--json"]);
    assert!(out.status.success());
    let entities: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!entities.is_empty());
    for e in &entities {
        for key in [
            "id",
            "canonical",
            "kind",
            "aliases",
            "titles",
            "mentions",
            "articles",
        ] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
    // The harbour master is one person across the wire story and its repost.
    let varga = entities
        .iter()
        .find(|e| e["canonical"] == "Elena Varga")
        .unwrap_or_else(|| panic!("{entities:#?}"));
    assert_eq!(varga["kind"], "PER");
    assert_eq!(varga["articles"].as_array().unwrap().len(), 2);
    assert!(varga["titles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t.as_str().unwrap().contains("Captain")));

    // Every mention in article JSON points at its text and, once resolved, its entity.
    let id = articles(&db)[0]["id"].as_str().unwrap().to_string();
    let a: Value =
        serde_json::from_slice(&newsdesk(&db, &["article", &id, "--json"]).stdout).unwrap();
    let text = a["text"].as_str().unwrap();
    let mentions = a["annotations"]["entities"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let [start, end] = [
            m["span"][0].as_u64().unwrap() as usize,
            m["span"][1].as_u64().unwrap() as usize,
        ];
        assert_eq!(&text[start..end], m["text"].as_str().unwrap());
    }
    assert!(mentions
        .iter()
        .any(|m| m["entity_id"].is_string() && m["canonical"].is_string()));
    assert!(!a["annotations"]["sentences"].as_array().unwrap().is_empty());
}

#[test]
fn quotes_have_speakers_or_reasons_and_dates_follow_the_publication_date() {
    let (_dir, db, _) = analyzed_example_corpus();
    let out = newsdesk(&db, &["quotes", "--json"]);
    assert!(out.status.success());
    let quotes: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!quotes.is_empty());
    for q in &quotes {
        assert!(q["speaker"].is_object() || q["reason"].is_string(), "{q}");
    }
    let out = newsdesk(&db, &["quotes", "--json", "--speaker", "varga"]);
    let varga: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!varga.is_empty());
    assert!(
        varga
            .iter()
            .all(|q| q["speaker"]["canonical"] == "Elena Varga"),
        "{varga:#?}"
    );
    assert!(varga
        .iter()
        .any(|q| q["text"].as_str().unwrap().contains("nobody was hurt")));

    let list = articles(&db);
    let detail = |suffix: &str| -> Value {
        let a = by_location(&list, suffix, None);
        serde_json::from_slice(
            &newsdesk(&db, &["article", a["id"].as_str().unwrap(), "--json"]).stdout,
        )
        .unwrap()
    };
    // Published Tuesday 2024-12-17: "on Monday" is the day before.
    let wire = detail("01-harbour-wire.txt");
    let monday = wire["dates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["text"].as_str().unwrap().contains("Monday"))
        .unwrap();
    assert_eq!(monday["value"], "2024-12-16");
    assert_eq!(monday["anchor"], "publication:2024-12-17");
    // No publication date: relative dates stay unknown, with a reason.
    let undated = detail("06-no-date.txt");
    let relative: Vec<&Value> = undated["dates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["reason"].is_string())
        .collect();
    assert!(!relative.is_empty(), "{undated:#}");
    assert!(relative.iter().all(|d| d["value"].is_null()));
}

#[test]
fn a_paragraph_an_outlet_repeats_on_every_page_is_marked_as_furniture_not_removed() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let topics = [
        "the ferry timetable",
        "a school roof",
        "the spring fair",
        "river levels",
    ];
    for (i, topic) in topics.iter().enumerate() {
        let text = format!(
            "RIVERTON (Valley Post) – Councillors met on Tuesday to discuss {topic}, and agreed to return to it next month after hearing from residents.\n\nThe Valley Post is an independent newspaper serving the river towns\n\nA decision on {topic} is expected before the summer recess, officials said in story {i}.\n"
        );
        std::fs::write(inputs.join(format!("{i}.txt")), text).unwrap();
    }
    let db = dir.path().join("n.db");
    assert!(newsdesk(&db, &["ingest", inputs.to_str().unwrap()])
        .status
        .success());
    let list = articles(&db);
    assert_eq!(list.len(), 4);
    for a in &list {
        let detail: Value = serde_json::from_slice(
            &newsdesk(&db, &["article", a["id"].as_str().unwrap(), "--json"]).stdout,
        )
        .unwrap();
        // The stored text is the page's, whatever else was in the run.
        let text = detail["text"].as_str().unwrap();
        assert!(text.contains("independent newspaper"), "{text}");
        let furniture = detail["annotations"]["furniture"].as_array().unwrap();
        assert_eq!(furniture.len(), 1, "{detail:#}");
        let span = &furniture[0]["span"];
        let (start, end) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
        assert!(text[start as usize..end as usize].contains("independent newspaper"));
        assert_eq!(furniture[0]["outlet_articles"], 4);
        assert_eq!(furniture[0]["paragraph_articles"], 4);
    }
    // The ID follows the page as read, so re-reading one page alone finds it present.
    let one = inputs.join("0.txt");
    let again = newsdesk(&db, &["ingest", one.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 added, 1 already present"));
}

#[test]
fn reuters_sgml_is_one_article_per_record_dated_by_its_date_field() {
    let dir = tempfile::tempdir().unwrap();
    // Two records in Reuters-21578's shape, written for this test; the story mentions a later
    // date in its body, which must not become the publication date.
    let sgml = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">
<REUTERS TOPICS=\"YES\" NEWID=\"1\">
<DATE> 4-MAR-1987 10:01:02.03</DATE>
<TEXT>&#2;
<TITLE>PORTVILLE HARBOUR TO REOPEN &lt;PHB></TITLE>
<DATELINE>    PORTVILLE, March 4 - </DATELINE><BODY>The harbour of Portville will
reopen to cargo ships on Monday after a storm closed it for three days,
the port authority said, with repairs due by May 1, 1988.
    Fishing boats left at dawn, officials said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS=\"NO\" NEWID=\"2\">
<DATE> 4-MAR-1987 10:02:00.00</DATE>
<TEXT TYPE=\"BRIEF\">&#2;
******<TITLE>PORTVILLE SAYS HARBOUR TO REOPEN
</TITLE>Blah blah blah.
&#3;
</TEXT>
</REUTERS>
";
    let path = dir.path().join("reut2-900.sgm");
    std::fs::write(&path, sgml).unwrap();
    let db = dir.path().join("n.db");
    // A brief is passed over by design: counted, named with --verbose, and not a failure.
    let out = newsdesk(&db, &["ingest", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 added, 0 already present, 0 failed, 1 skipped"),
        "{stderr}"
    );
    let out = newsdesk(&db, &["ingest", "--verbose", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped: ") && stderr.contains("reut2-900.sgm#2: a headline-only brief"),
        "{stderr}"
    );
    let list = articles(&db);
    assert_eq!(list.len(), 1);
    let story = by_location(&list, "reut2-900.sgm", Some(1));
    assert_eq!(story["published"], "1987-03-04");
    assert_eq!(story["title"], "PORTVILLE HARBOUR TO REOPEN <PHB>");
    let detail: Value = serde_json::from_slice(
        &newsdesk(&db, &["article", story["id"].as_str().unwrap(), "--json"]).stdout,
    )
    .unwrap();
    let published = &detail["provenance"]["published"];
    assert_eq!(published["source"], "reuters:DATE");
    assert_eq!(published["evidence"], "4-MAR-1987 10:01:02.03");
    assert!(detail["text"]
        .as_str()
        .unwrap()
        .starts_with("PORTVILLE, March 4 - The harbour of Portville will reopen"));
}

#[test]
fn the_report_skips_what_the_furniture_layer_marks() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for (i, topic) in ["the ferry timetable", "a school roof", "the spring fair"]
        .iter()
        .enumerate()
    {
        let text = format!(
            "RIVERTON (Valley Post) – Councillors met on Tuesday to discuss {topic}, and agreed to return to it next month after hearing from residents.\n\nRead more from Ingrid Solberg of the Lakeside Media Group every Sunday\n\nA decision on {topic} is expected before the summer recess, officials said in story {i}.\n"
        );
        std::fs::write(inputs.join(format!("{i}.txt")), text).unwrap();
    }
    let db = dir.path().join("n.db");
    let out = newsdesk(&db, &["analyze", inputs.to_str().unwrap()]);
    assert!(out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("Councillors")
            || report.contains("Riverton")
            || report.contains("RIVERTON"),
        "{report}"
    );
    assert!(!report.contains("Solberg"), "{report}");
    assert!(!report.contains("Lakeside"), "{report}");
    // The mentions are still in the layers, with the furniture layer beside them.
    let list = articles(&db);
    let detail: Value = serde_json::from_slice(
        &newsdesk(&db, &["article", list[0]["id"].as_str().unwrap(), "--json"]).stdout,
    )
    .unwrap();
    assert_eq!(
        detail["annotations"]["furniture"].as_array().unwrap().len(),
        1
    );
}
