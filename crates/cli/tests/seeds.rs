//! The seed articles in ../shared/seeds: general properties that must hold for each, checked
//! without naming any seed. The exact values are read by a person from `newsdesk analyze`.

mod common;

use common::{articles, newsdesk, shared};
use serde_json::Value;

#[test]
fn seeds_have_outlets_supported_dates_and_no_furniture() {
    let Some(seeds) = shared(
        "seeds_have_outlets_supported_dates_and_no_furniture",
        "seeds",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let out = newsdesk(&db, &["analyze", seeds.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = articles(&db);
    let files = std::fs::read_dir(&seeds).unwrap().count();
    assert_eq!(list.len(), files);
    for a in &list {
        let id = a["id"].as_str().unwrap();
        let detail: Value =
            serde_json::from_slice(&newsdesk(&db, &["article", id, "--json"]).stdout).unwrap();
        let location = a["source"]["location"].as_str().unwrap();
        let raw = std::fs::read_to_string(location).unwrap();
        assert!(a["outlet"].is_string(), "{location}: no outlet");
        // A date must be supported by a line of the page; no date is allowed only when the
        // page prints none.
        match detail["provenance"]["published"]["evidence"].as_str() {
            Some(evidence) => assert!(raw.contains(evidence), "{location}: evidence not in page"),
            None => assert!(a["published"].is_null()),
        }
        // Every quote has a speaker or a reason; relative dates follow the publication date.
        for q in detail["quotes"].as_array().unwrap() {
            assert!(
                q["speaker"].is_object() || q["reason"].is_string(),
                "{location}: {q}"
            );
        }
        for d in detail["dates"].as_array().unwrap() {
            if let Some(anchor) = d["anchor"]
                .as_str()
                .and_then(|a| a.strip_prefix("publication:"))
            {
                assert_eq!(
                    Some(anchor),
                    a["published"].as_str().map(|p| &p[..10]),
                    "{location}: {d}"
                );
            }
            if a["published"].is_null() && d["reason"].is_string() {
                assert!(d["value"].is_null(), "{location}: {d}");
            }
        }
        let text = detail["text"].as_str().unwrap();
        for paragraph in text.split("\n\n") {
            let words = paragraph.split_whitespace().count();
            assert!(
                words >= 8,
                "{location}: short line left in text: {paragraph:?}"
            );
            let lower = paragraph.to_lowercase();
            for furniture in [
                "read more",
                "read:",
                "your name",
                "your email",
                "story code",
                "posted on",
            ] {
                assert!(!lower.starts_with(furniture), "{location}: {paragraph:?}");
            }
        }
    }
}
