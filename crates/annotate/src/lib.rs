//! Named-entity recognition for newsdesk.
//!
//! The pipeline has three steps, all working on UTF-8 byte offsets into the
//! original, unmodified text (spans are half-open `[start, end)` pairs that
//! always fall on char boundaries):
//!
//! 1. [`sentences`] splits text into sentences. It is rule based and knows
//!    news abbreviations ("Brig. Gen.", "U.S.", "Jan."), initials, paragraph
//!    breaks, list items and the glued or stray punctuation of web captures.
//! 2. [`tokens`] splits a sentence Penn-Treebank style (punctuation, `'s`,
//!    `n't`) while keeping abbreviations, numbers, URLs and e-mails whole.
//! 3. [`Ner`] tags PER, ORG, LOC and MISC entities with a first-order
//!    BILOU model trained as an averaged structured perceptron. Features are
//!    hashed: word forms, shapes, affixes, a ±2 window, hand-written
//!    gazetteers, word clusters learnt from unlabelled news text, and
//!    document-level evidence (how a word is capitalised elsewhere in the
//!    document and what earlier sentences predicted for it).
//!
//! [`train`] builds a model from CoNLL-2003 files and a directory of
//! unlabelled corpora ([`DataPaths::under`] lays them out as in the shared
//! data directory); training is single-threaded and seeded, so the same
//! inputs give the same model bytes. The crate embeds the model file
//! `model/ner.bin` when present ([`Ner::embedded`]); after changing features
//! or gazetteers, regenerate it with
//! `cargo test --release -p newsdesk-annotate -- --ignored regenerate_model_file`.
//! [`eval_conll`] scores a model conlleval-style.
//!
//! ```no_run
//! let ner = newsdesk_annotate::Ner::embedded().unwrap();
//! for (start, end, kind, conf) in ner.annotate("Acme Corp. opened an office in Lisbon.") {
//!     println!("{kind} {start}..{end} {conf:.2}");
//! }
//! ```

mod bytes;
mod clusters;
mod eval;
mod features;
mod gazetteer;
mod model;
mod rng;
mod sentence;
mod token;
mod train;

pub use eval::{eval_conll, EvalReport};
pub use features::FeatureSet;
pub use model::{tag_spans, Decoded, Ner};
pub use sentence::sentences;
pub use token::{tokens, tokens_into};
pub use train::{
    read_conll, train, train_with, ConllDoc, ConllSentence, DataPaths, TrainConfig, TrainOutput,
};

use std::fmt;
use std::sync::OnceLock;

/// Errors from training, evaluation and model loading.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("bad data: {0}")]
    Data(String),
    #[error("bad model: {0}")]
    Model(String),
    #[error("this build has no embedded NER model (crates/annotate/model/ner.bin was missing at compile time)")]
    NoEmbeddedModel,
}

/// Entity kinds, as in CoNLL-2003.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Per = 0,
    Org = 1,
    Loc = 2,
    Misc = 3,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Per, Kind::Org, Kind::Loc, Kind::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
            Kind::Misc => "MISC",
        }
    }

    pub(crate) fn from_index(i: u8) -> Kind {
        Kind::ALL[usize::from(i) & 3]
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(newsdesk_has_model)]
const EMBEDDED: Option<&[u8]> = Some(include_bytes!("../model/ner.bin"));
#[cfg(not(newsdesk_has_model))]
const EMBEDDED: Option<&[u8]> = None;

/// The model file compiled into this build, if there was one.
pub fn embedded_model_bytes() -> Option<&'static [u8]> {
    EMBEDDED
}

impl Ner {
    /// The embedded model, decoded once per process.
    pub fn embedded() -> Result<&'static Ner, Error> {
        static CELL: OnceLock<Result<Ner, String>> = OnceLock::new();
        let bytes = EMBEDDED.ok_or(Error::NoEmbeddedModel)?;
        CELL.get_or_init(|| Ner::from_bytes(bytes).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Model(e.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn data_dir(test: &str) -> Option<PathBuf> {
        newsdesk_testkit::shared(test, "data/ner-conll2003/valid.txt")
            .and_then(|valid| Some(valid.parent()?.parent()?.to_path_buf()))
    }

    #[test]
    fn embedded_model_tags_a_sentence() {
        let ner = Ner::embedded().expect("the embedded model loads");
        let text = "Defence Minister General Juan Pérez met officials of the Acme Corporation in Lisbon on Monday.";
        let sents = sentences(text);
        assert_eq!(sents.len(), 1);
        let toks = tokens(text, sents[0]);
        let ents = ner.tag(text, &toks);
        let found: Vec<(&str, Kind)> = ents
            .iter()
            .map(|&(a, b, k, _)| (&text[a as usize..b as usize], k))
            .collect();
        assert!(found.contains(&("Juan Pérez", Kind::Per)), "{found:?}");
        assert!(found.contains(&("Lisbon", Kind::Loc)), "{found:?}");
        assert!(
            found
                .iter()
                .any(|&(s, k)| s.contains("Acme") && k == Kind::Org),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|&(s, _)| s.contains("Monday")),
            "{found:?}"
        );
        let mut last = 0;
        for &(a, b, _, c) in &ents {
            assert!(a >= last && a < b && (0.0..=1.0).contains(&c));
            assert!(text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize));
            last = b;
        }
    }

    #[test]
    fn empty_and_blank_inputs() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\n\t ").is_empty());
        assert!(tokens("   ", (0, 3)).is_empty());
        if let Ok(ner) = Ner::embedded() {
            assert!(ner.annotate("").is_empty());
            assert!(ner.tag("x", &[]).is_empty());
        }
    }

    #[test]
    fn annotate_whole_text() {
        let ner = Ner::embedded().expect("the embedded model loads");
        let text = "Brig. Gen. Mark Kimmitt spoke in Baghdad.\n\nThe U.N. Security Council met in New York on Jan. 5. Reuters reported it.";
        let ents = ner.annotate(text);
        let found: Vec<&str> = ents
            .iter()
            .map(|&(a, b, _, _)| &text[a as usize..b as usize])
            .collect();
        assert!(found.contains(&"Baghdad"), "{found:?}");
        assert!(found.contains(&"New York"), "{found:?}");
    }

    /// `cargo test --release -p newsdesk-annotate -- --ignored regenerate_model_file`
    #[test]
    #[ignore = "retrains the shipped model and overwrites model/ner.bin"]
    fn regenerate_model_file() {
        let Some(d) = data_dir("regenerate_model_file") else {
            return;
        };
        let cfg = TrainConfig {
            verbose: true,
            ..TrainConfig::default()
        };
        let p = DataPaths::under(&d);
        let out = train_with(&cfg, &p.train, &p.valid, &p.corpora).expect("train");
        eprintln!("{}", out.valid);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("model/ner.bin");
        std::fs::write(path, out.model).expect("write model");
    }

    #[test]
    fn embedded_model_scores_on_valid() {
        let Some(d) = data_dir("embedded_model_scores_on_valid") else {
            return;
        };
        let ner = Ner::embedded().expect("the embedded model loads");
        let rep = eval_conll(ner, &d.join("ner-conll2003/valid.txt")).expect("eval");
        eprintln!("{rep}");
        assert!(rep.f1() > 0.85, "{rep}");
    }
}
