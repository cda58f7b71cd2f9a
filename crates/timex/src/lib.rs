//! Rule-based temporal expression tagger for news text.
//!
//! `newsdesk-timex` finds temporal expressions ("on Wednesday", "last week",
//! "March 17, 2024 at 5:03 pm", "the past three years", "daily") and
//! normalises them to TIMEX3 values in the style of HeidelTime's news mode:
//! relative expressions are resolved against the article's publication date
//! with a past bias (news mostly reports what already happened), unless the
//! surrounding clause is in the future tense.
//!
//! Design notes:
//! * All rules are alternatives of one precompiled regex, so the text is
//!   scanned once by the lazy DFA; capture groups are only resolved on the
//!   (rare) matching spans. Alternatives are ordered most-specific first,
//!   which makes leftmost-first matching behave like longest match.
//! * Offsets are UTF-8 byte offsets into the unmodified input; spans are
//!   half-open, sorted, non-overlapping and on char boundaries.
//! * When no publication date is known, relative expressions are still
//!   reported, with `value: None` and a `reason`, so callers can tell
//!   "not a date" apart from "a date we could not resolve".
//!
//! [`eval_timeml`] scores the tagger against TimeML corpora (TimeBank,
//! AQUAINT) the TempEval-3 way.

mod eval;
mod readable;
mod rules;

pub use eval::{eval_timeml, Error, Prf, Report};
pub use readable::describe;

use serde::Serialize;

/// TIMEX3 type of a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TimexKind {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexKind {
    /// The TimeML spelling (`DATE`, `TIME`, `DURATION`, `SET`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimexKind::Date => "DATE",
            TimexKind::Time => "TIME",
            TimexKind::Duration => "DURATION",
            TimexKind::Set => "SET",
        }
    }

    /// Parses the TimeML spelling; unknown types yield `None`.
    pub fn from_timeml(s: &str) -> Option<Self> {
        match s {
            "DATE" => Some(TimexKind::Date),
            "TIME" => Some(TimexKind::Time),
            "DURATION" => Some(TimexKind::Duration),
            "SET" => Some(TimexKind::Set),
            _ => None,
        }
    }
}

impl std::fmt::Display for TimexKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One temporal expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timex {
    /// Byte offset of the first byte of the mention.
    pub start: u32,
    /// Byte offset one past the last byte of the mention.
    pub end: u32,
    pub kind: TimexKind,
    /// TIMEX3 value (`2023-05-10`, `2023-W18`, `P3Y`, `PAST_REF`, ...).
    pub value: Option<String>,
    /// What the value was computed from: `publication:<date>` for the
    /// article date, `mention:<value>` for an earlier mention in the text,
    /// `None` when the expression is absolute.
    pub anchor: Option<String>,
    /// Name of the rule that fired.
    pub rule: &'static str,
    /// Why `value` is `None`.
    pub reason: Option<String>,
}

impl Timex {
    /// The mention's text within the string it was found in.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Tags temporal expressions in `text`, resolving relative ones against
/// `anchor` (the article's publication date).
pub fn tag(text: &str, anchor: Option<jiff::civil::Date>) -> Vec<Timex> {
    rules::tag(text, anchor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const ANCHOR: jiff::civil::Date = date(2023, 5, 11); // a Thursday

    /// Tags `text` and returns (mention text, value) pairs.
    fn run(text: &str, anchor: Option<jiff::civil::Date>) -> Vec<(String, Option<String>)> {
        tag(text, anchor)
            .iter()
            .map(|t| (t.text(text).to_string(), t.value.clone()))
            .collect()
    }

    #[test]
    fn expression_table() {
        // (sentence, expected value of the single mention; None = no mention)
        let table: &[(&str, Option<&str>)] = &[
            ("The vote took place on Wednesday.", Some("2023-05-10")),
            ("Police said Wednesday that", Some("2023-05-10")),
            ("He arrived Thursday.", Some("2023-05-11")),
            ("The match is next Wednesday.", Some("2023-05-17")),
            ("She said yesterday.", Some("2023-05-10")),
            ("It opens today.", Some("2023-05-11")),
            ("It opens tomorrow.", Some("2023-05-12")),
            ("It happened earlier today.", Some("2023-05-11")),
            ("It airs tonight.", Some("2023-05-11TNI")),
            ("Talks stalled last week.", Some("2023-W18")),
            ("Talks resume this week.", Some("2023-W19")),
            ("Sales fell last month.", Some("2023-04")),
            ("Sales fell last year.", Some("2022")),
            (
                "Sales will rise next year.",
                Some("2023-05-11").map(|_| "2024"),
            ),
            ("It began in July 2020.", Some("2020-07")),
            ("It began July 2020.", Some("2020-07")),
            ("It began on May 10.", Some("2023-05-10")),
            ("It began on 10 May.", Some("2023-05-10")),
            ("Filed March 17, 2024 at 5:03 pm.", Some("2024-03-17T17:03")),
            (
                "The blast came at 00:42 after midnight.",
                Some("2023-05-11T00:42"),
            ),
            ("Unemployment has risen since 2011.", Some("2011")),
            ("It was built in 2011.", Some("2011")),
            ("He left twelve years ago.", Some("2011")),
            ("He left two days ago.", Some("2023-05-09")),
            ("He left a week ago.", Some("2023-W18")),
            ("Prices rose over the past three years.", Some("P3Y")),
            ("The trial lasted three years.", Some("P3Y")),
            ("The trial lasted twenty-four hours.", Some("PT24H")),
            ("The paper is published daily.", Some("P1D")),
            ("They meet every week.", Some("P1W")),
            ("Music of the 1990s.", Some("199")),
            ("It rained Wednesday afternoon.", Some("2023-05-10TAF")),
            ("It was now clear.", Some("PRESENT_REF")),
            ("He is currently abroad.", Some("PRESENT_REF")),
            ("He recently resigned.", Some("PAST_REF")),
            (
                "Profit rose in the third quarter.",
                Some("2023-Q1").map(|_| "2022-Q3"),
            ),
            ("Stocks hit a five-year low.", Some("P5Y")),
            ("It ended in the summer of 1998.", Some("1998-SU")),
            ("Prices fell in mid-2011.", Some("2011")),
            ("They met on Christmas Day.", Some("2022-12-25")),
            // TimeML: "later" is a signal, the mention is the duration.
            ("Three months later it closed.", Some("P3M")),
            (
                "Talks will resume Tuesday, officials said.",
                Some("2023-05-16"),
            ),
            ("Officials said talks resumed Tuesday.", Some("2023-05-09")),
            ("The offer runs until Tuesday.", Some("2023-05-16")),
            (
                "The dividend is payable Feb. 1 to holders.",
                Some("2024-02-01"),
            ),
            (
                "The deal closed on Feb. 1 after months of talks.",
                Some("2023-02-01"),
            ),
            ("Results for the year were strong.", Some("2023")),
            ("The firm grew in recent years.", Some("PXY")),
            ("The trial lasted 2 1/2 years.", Some("P2Y6M")),
            ("It took a minute and a half.", Some("PT1M30S")),
            ("They signed two more weeks of talks.", Some("P2W")),
            ("Shares fell in the nineties.", Some("199")),
            ("Voters turned out on Election Day.", Some("2022-11-08")),
            (
                "Growth should pick up in the near term.",
                Some("FUTURE_REF"),
            ),
            ("The plant opened in the summer.", Some("2023-SU")),
            // A passive participle takes its tense from the auxiliary.
            (
                "The dividend will be paid Dec. 14 to holders.",
                Some("2023-12-14"),
            ),
            ("Talks are set to resume Monday.", Some("2023-05-15")),
            // The day something starts lies ahead.
            (
                "Ferry fares rise by a tenth starting Monday.",
                Some("2023-05-15"),
            ),
            // "the past year" is the calendar year before, like "last year".
            ("Exports grew over the past year.", Some("2022")),
            ("Wages stagnated in the last decade.", Some("201")),
            ("It happened a week or so ago.", Some("2023-W18")),
            (
                "Costs will fall in the second half of 2024.",
                Some("2024-H2"),
            ),
            ("It reopened in July last year.", Some("2022-07")),
            ("The fair opens each July.", Some("XXXX-07")),
            ("They meet each Thursday.", Some("XXXX-WXX-4")),
            ("The 19th century mill closed.", Some("18")),
            ("Prices fell in the post-2008 slump.", Some("2008")),
            ("Votes are due the week of June 5.", Some("2023-W23")),
            // A "had" in an earlier clause does not make a deadline past.
            (
                "The sale, which had been expected, lets it repay debt by February.",
                Some("2024-02"),
            ),
            // Things that must not be tagged.
            ("Life in the post-war era was hard.", None),
            ("The post-conflict period was calm.", None),
            ("This may be the end.", None),
            ("They staged a march on the capital.", None),
            ("It was a March on Washington.", None),
            ("The Sun reported the story.", None),
            ("He sent 2,000 troops.", None),
            ("He lives at No. 10 with 42 cats.", None),
            ("It cost $2011 in total.", None),
            ("Turnout was 1750 voters.", None),
            ("It saves $2 million a year in costs.", None),
            ("Now, the team must rebuild.", None),
            ("The former minister spoke.", None),
            ("The singer, 37 years old, spoke.", None),
            ("It holds more than a quarter of the market.", None),
            ("It was high noon for the firm.", None),
            ("The airline runs four flights a week.", None),
            ("The quarter-to-quarter comparison was poor.", None),
        ];
        let mut failures = Vec::new();
        for (text, want) in table {
            let got = run(text, Some(ANCHOR));
            let ok = match want {
                None => got.is_empty(),
                Some(v) => got.len() == 1 && got[0].1.as_deref() == Some(*v),
            };
            if !ok {
                failures.push(format!("{text:?}: want {want:?}, got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    }

    #[test]
    fn earlier_today_in_speech_dated_by_the_article_is_that_day() {
        let text = "The mayor said on Tuesday that the port would reopen.\n\nReferring to earlier \
                    today's talks with the unions, the mayor said the deal was close.";
        let got = run(text, Some(ANCHOR));
        assert!(
            got.contains(&("Tuesday".into(), Some("2023-05-09".into()))),
            "{got:?}"
        );
        assert!(
            got.contains(&("earlier today".into(), Some("2023-05-09".into()))),
            "{got:?}"
        );
        // Without a dated statement it stays the publication day.
        let got = run(
            "Talks held earlier today went well, the mayor said.",
            Some(ANCHOR),
        );
        assert_eq!(got[0].1.as_deref(), Some("2023-05-11"), "{got:?}");
    }

    #[test]
    fn today_as_a_general_present_is_present_ref() {
        for text in [
            "The country's economy today is larger than ever.",
            "Today, most of the coast is protected by dunes.",
            "The mayor added: \"Today, most of the coast is protected by dunes.\"",
        ] {
            let got = run(text, Some(ANCHOR));
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].1.as_deref(), Some("PRESENT_REF"), "{text}: {got:?}");
        }
        let got = run("Today, the minister announced a plan.", Some(ANCHOR));
        assert_eq!(got[0].1.as_deref(), Some("2023-05-11"), "{got:?}");
    }

    #[test]
    fn spans_exclude_prepositions() {
        let text = "It began in July 2020 and ended on Wednesday.";
        let got = run(text, Some(ANCHOR));
        assert_eq!(got[0].0, "July 2020");
        assert_eq!(got[1].0, "Wednesday");
    }

    #[test]
    fn kinds_and_provenance() {
        let text = "Sales fell 5% in the past three years, daily, at 5 pm on Wednesday, in 2011.";
        let got = tag(text, Some(ANCHOR));
        let kinds: Vec<_> = got.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TimexKind::Duration,
                TimexKind::Set,
                TimexKind::Time,
                TimexKind::Date
            ]
        );
        assert_eq!(got[2].value.as_deref(), Some("2023-05-10T17:00"));
        assert_eq!(got[2].anchor.as_deref(), Some("publication:2023-05-11"));
        assert_eq!(got[3].anchor, None);
    }

    #[test]
    fn no_anchor_relative_has_reason() {
        for text in [
            "on Wednesday",
            "yesterday",
            "last week",
            "twelve years ago",
            "May 10",
        ] {
            let got = tag(text, None);
            assert_eq!(got.len(), 1, "{text}");
            assert_eq!(got[0].value, None, "{text}");
            assert!(got[0].reason.is_some(), "{text}");
            assert!(got[0].reason.as_ref().unwrap().contains("publication date"));
        }
    }

    #[test]
    fn no_anchor_absolute_keeps_value() {
        for (text, want) in [
            ("in July 2020", "2020-07"),
            ("since 2011", "2011"),
            ("March 17, 2024 at 5:03 pm", "2024-03-17T17:03"),
            ("three years", "P3Y"),
            ("the 1990s", "199"),
            ("daily", "P1D"),
            ("now", "PRESENT_REF"),
        ] {
            let got = tag(text, None);
            assert_eq!(got.len(), 1, "{text}");
            assert_eq!(got[0].value.as_deref(), Some(want), "{text}");
            assert_eq!(got[0].reason, None, "{text}");
        }
    }

    #[test]
    fn discourse_reference_for_year_earlier() {
        let text = "Third-quarter profit rose to $5 million from $3 million a year earlier.";
        let got = tag(text, Some(date(1989, 10, 26)));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value.as_deref(), Some("1989-Q3"));
        assert_eq!(got[1].value.as_deref(), Some("1988-Q3"));
        assert_eq!(got[1].anchor.as_deref(), Some("mention:1989-Q3"));
    }

    #[test]
    fn earnings_comparisons() {
        let anchor = Some(date(1989, 11, 2));
        let values = |text: &str| -> Vec<(String, Option<String>)> { run(text, anchor) };
        // "a year ago" is a comparison point, not a new reference time.
        let got = values("Profit rose from a year ago. Sales fell from a year earlier.");
        assert_eq!(got[0].1.as_deref(), Some("1988"));
        assert_eq!(got[1].1.as_deref(), Some("1988"));
        // The end date only qualifies the quarter under discussion.
        let got = values("Net rose in the third quarter ended Sept. 30. A year earlier, it fell.");
        assert_eq!(got[2].1.as_deref(), Some("1988-Q3"));
        // An upcoming quarter is not the one being reported.
        let got = values("It expects a fourth-quarter charge. The latest quarter was strong.");
        assert_eq!(got[0].1.as_deref(), Some("1989-Q4"));
        assert_eq!(got[1].1.as_deref(), Some("1989-Q3"));
    }

    #[test]
    fn year_end_excludes_preposition() {
        let got = run("Workers will clear the site by year-end.", Some(ANCHOR));
        assert_eq!(
            got,
            vec![("year-end".to_string(), Some("2023".to_string()))]
        );
    }

    #[test]
    fn anaphoric_units_and_reporting_years() {
        let text = "Net income for the year ended June 30 rose. It opened in 2019; \
                    imports grew that year. Sales rose in the 2021 period.";
        let got = tag(text, Some(ANCHOR));
        let pairs: Vec<_> = got
            .iter()
            .map(|t| (t.text(text), t.value.as_deref(), t.kind))
            .collect();
        assert_eq!(pairs[0], ("the year", Some("P1Y"), TimexKind::Duration));
        assert_eq!(pairs[2], ("2019", Some("2019"), TimexKind::Date));
        assert_eq!(pairs[3], ("that year", Some("2019"), TimexKind::Date));
        assert_eq!(got[3].anchor.as_deref(), Some("mention:2019"));
        // No quarter under discussion: "the 2021 period" is the year.
        assert_eq!(pairs[4], ("the 2021 period", Some("2021"), TimexKind::Date));

        let text = "Profit rose in the third quarter, up from the 2021 quarter.";
        let got = tag(text, Some(ANCHOR));
        assert_eq!(got[1].value.as_deref(), Some("2021-Q3"));
    }

    #[test]
    fn wide_whitespace_before_a_number() {
        // No-break and em spaces are two and three bytes wide.
        let text = "Troops left\u{a0}in 2011 and came back\u{2003}in 1998,\u{a0}No.\u{a0}10 said.";
        let got: Vec<&str> = tag(text, Some(ANCHOR))
            .iter()
            .map(|t| t.text(text))
            .collect();
        assert_eq!(got, ["2011", "1998"]);
    }

    #[test]
    fn span_invariants() {
        let text = "Über-café: «On Wednesday» — 10 May, 2023 at 5 p.m., after the 1990s; \
                    since 2011 😀 the past three years daily, yesterday morning and tonight. \
                    2,000 troops; No. 10; May be; a march on Sunday.";
        for anchor in [Some(ANCHOR), None] {
            let got = tag(text, anchor);
            assert!(got.len() >= 8, "{got:?}");
            let mut prev_end = 0;
            for t in &got {
                assert!(t.start < t.end);
                assert!(t.start >= prev_end, "overlap or unsorted: {got:?}");
                assert!(text.is_char_boundary(t.start as usize));
                assert!(text.is_char_boundary(t.end as usize));
                prev_end = t.end;
            }
        }
    }

    #[test]
    fn serializes() {
        let got = tag("yesterday", Some(ANCHOR));
        let json = serde_json::to_string(&got).unwrap();
        assert!(json.contains("\"2023-05-10\""), "{json}");
    }
}
