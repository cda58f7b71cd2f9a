//! The language of an article's text, as an ISO 639-1 code.
//!
//! `whatlang` compares the text's trigrams with about 300 trigrams of each candidate
//! language, a cost that hardly depends on the length of the text: cutting its sample from
//! 2,000 characters gained little. It was about four fifths of the time of ingesting plain
//! text (BBC, Reuters-21578). Most news is written in a few languages whose function words
//! give them away at once, so those are counted first over the head of the text; `whatlang`
//! decides only where they do not settle it (other languages, other scripts, short or mixed
//! texts). See [`detect`] for the rule and the measured agreement.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Frequent function words that are specific to one of the languages news is most often
/// written in. Words common to two of them ("de", "la", "que", "in", "en", "se") are left out,
/// so that a hit is evidence for one language only. General knowledge of each language.
const FUNCTION_WORDS: &[(&str, &str)] = &[
    (
        "en",
        "the and of to is that for it was on with be by at this have from are has had not but \
         they his her he she were which been their will would said an or who its more after \
         than about also we there when what all one into over could should them these those",
    ),
    (
        "de",
        "der die und den das von zu mit sich des auf für ist im dem nicht ein eine als auch \
         werden aus hat dass sie nach wird bei einer um am sind noch wie einem über einen zum \
         war haben nur oder aber vor zur bis mehr durch wurde sei wenn kann gegen vom schon \
         ihre diese seine wir ich sagte jahr jahren",
    ),
    (
        "fr",
        "les des du une et est qui dans pour pas sur au aux par avec ce il elle ne sont plus \
         son ses mais ont été être cette comme aussi nous vous leur où lui après fait tout \
         très sans je ils elles ces dont cet",
    ),
    (
        "es",
        "el los las del por una para su al como más pero sus fue esta cuando muy sin \
         también hasta desde donde y han hay ya ser está son esto años dijo según tiene otro \
         sólo solo todo puede ese eso ni él mismo así ante contra durante",
    ),
    (
        "pt",
        "o os do da dos das em na um uma não mais ao pelo pela foi é ele ela mas seu são \
         isso já tem muito há até depois onde anos disse segundo ainda pode esse essa num \
         numa também às pelos pelas",
    ),
    (
        "it",
        "il di che è per della dei delle nel nella alla sono non si anche più ma ha gli \
         questo questa dal dalla ai agli stato essere dopo anni tra fra ancora sul sulla molto \
         perché loro cui ci tutti suo degli alle nei già hanno può così",
    ),
    (
        "nl",
        "het een van dat op te voor met zijn niet aan er om ook als bij door maar uit naar \
         dan wordt werd nog tot deze worden hij ze zij heeft hebben kan meer wel geen omdat \
         jaar moet haar ons wij dit nu",
    ),
];

/// Each word, the languages (bit per entry of [`FUNCTION_WORDS`]) it is a function word of.
static WORDS: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut words: HashMap<&'static str, u8> = HashMap::new();
    for (i, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
        for word in list.split_whitespace() {
            *words.entry(word).or_default() |= 1 << i;
        }
    }
    words
});

/// How much text the function-word count reads: a few paragraphs.
const SAMPLE_BYTES: usize = 1500;
/// Below this many words, or this many function words, the count proves nothing and
/// `whatlang` decides.
const MIN_WORDS: usize = 12;
const MIN_HITS: usize = 3;

/// The language of `text`: by function words when one of the languages they cover clearly
/// leads (a fifth or more of the sampled words are its function words, three times as many
/// as any other's), else by `whatlang` on the first [`TRIGRAM_SAMPLE_CHARS`] characters, when
/// it is reliable.
///
/// On the extracted text of trafilatura's 990 evaluation pages (28 languages), the answer
/// differs from `whatlang` alone on a handful of pages (`cargo run --release -p newsdesk-eval
/// --example language`); every difference is listed there.
pub fn detect(text: &str) -> Option<&'static str> {
    by_function_words(text).or_else(|| by_trigrams(text))
}

/// What `whatlang` reads. Its cost grows with the sample (lower-casing, counting and sorting
/// the trigrams) on top of a fixed cost per candidate language; 2,000 characters before.
pub const TRIGRAM_SAMPLE_CHARS: usize = 800;

/// `whatlang` on the head of the text.
pub fn by_trigrams(text: &str) -> Option<&'static str> {
    by_trigrams_over(text, TRIGRAM_SAMPLE_CHARS)
}

/// `whatlang` on the first `chars` characters of the text, when it is reliable.
pub fn by_trigrams_over(text: &str, chars: usize) -> Option<&'static str> {
    let sample: String = text.chars().take(chars).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang().code())
}

/// The language whose function words clearly dominate the head of the text, if one does.
pub fn by_function_words(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut hits = [0usize; FUNCTION_WORDS.len()];
    let mut words = 0;
    let mut lower = String::new();
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        let word = if word.chars().all(|c| c.is_lowercase()) {
            word
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            lower.as_str()
        };
        if let Some(&langs) = WORDS.get(word) {
            for (i, hit) in hits.iter_mut().enumerate() {
                if langs & (1 << i) != 0 {
                    *hit += 1;
                }
            }
        }
    }
    if words < MIN_WORDS {
        return None;
    }
    let (best, &top) = hits.iter().enumerate().max_by_key(|(_, &n)| n)?;
    let second = hits
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, &n)| n)
        .max()
        .unwrap_or(0);
    (top >= MIN_HITS && top * 5 >= words && top >= 3 * second).then_some(FUNCTION_WORDS[best].0)
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("eng", "en"),
        ("deu", "de"),
        ("fra", "fr"),
        ("spa", "es"),
        ("ita", "it"),
        ("por", "pt"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "no"),
        ("fin", "fi"),
        ("hun", "hu"),
        ("ron", "ro"),
        ("bul", "bg"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("slv", "sl"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("pes", "fa"),
        ("heb", "he"),
        ("urd", "ur"),
        ("hin", "hi"),
        ("ben", "bn"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("vie", "vi"),
        ("tha", "th"),
        ("ind", "id"),
        ("lit", "lt"),
        ("lav", "lv"),
        ("est", "et"),
        ("cat", "ca"),
        ("epo", "eo"),
        ("afr", "af"),
    ];
    TABLE.iter().find(|(c3, _)| *c3 == code3).map(|(_, c1)| *c1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_detection_reads_function_words_before_trigrams() {
        let cases = [
            ("en", "The council met on Monday to discuss the budget for the coming year, and members said after the vote that the roads would come first. They had argued about it for weeks, but the mayor said it was time to decide what the town could afford."),
            ("de", "Der Stadtrat hat am Montag über den Haushalt für das kommende Jahr beraten. Nach der Abstimmung sagten die Mitglieder, dass die Straßen Vorrang haben sollen, auch wenn die Schulen mehr Geld brauchen, und der Bürgermeister will noch vor dem Sommer entscheiden."),
            ("fr", "Le conseil municipal s'est réuni lundi pour discuter du budget de l'année prochaine. Après le vote, les membres ont dit que les routes seront la priorité, mais le maire a précisé qu'il faut aussi penser aux écoles et que la décision sera prise avant l'été."),
            ("es", "El consejo municipal se reunió el lunes para discutir el presupuesto del próximo año. Después de la votación, los miembros dijeron que las carreteras serán la prioridad, pero el alcalde explicó que también hay que pensar en las escuelas y que la decisión llegará antes del verano."),
        ];
        for (want, text) in cases {
            assert_eq!(by_function_words(text), Some(want), "{text}");
            assert_eq!(detect(text), Some(want));
        }
        // Another language is left to the trigrams.
        let polish = "Rada miejska spotkała się w poniedziałek, aby omówić budżet na przyszły rok. Po głosowaniu radni powiedzieli, że drogi będą priorytetem, ale burmistrz dodał, że trzeba też pomyśleć o szkołach i że decyzja zapadnie przed latem.";
        assert_eq!(by_function_words(polish), None);
        assert_eq!(detect(polish), Some("pl"));
        // Too few words to count.
        assert_eq!(by_function_words("The harbour of Portville reopens"), None);
    }
}
