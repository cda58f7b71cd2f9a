//! A seeded generator of news-like articles with planted copies, for measuring the copies
//! stage at any scale: how many of the planted copies it finds, and how fast.
//!
//! Originals are sentences drawn from a vocabulary large enough that two originals share no
//! five-word run by chance. Copies are made the ways outlets make them: a repost (the same
//! text under a new header and footer), an identical copy (other line endings), and a rewrite
//! (words changed, a paragraph dropped, another added, paragraphs reordered).

/// How a planted copy was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planted {
    Identical,
    Repost,
    Rewrite,
}

#[derive(Clone, Debug)]
pub struct Generated {
    pub text: String,
    pub outlet: String,
    /// Days since an arbitrary epoch.
    pub published: i32,
    /// For a copy: the index of the article it copies and how.
    pub copy_of: Option<(usize, Planted)>,
}

impl Generated {
    /// Where the `i`-th article of a generated corpus is published: the key by which tests
    /// and benchmarks find it once stored.
    pub fn url(&self, i: usize) -> String {
        format!("https://{}.example/news/{i}", self.outlet)
    }

    /// The `i`-th article as one JSON Lines record in news-please's fields, published
    /// `published` days after 1 January 2020.
    pub fn json_line(&self, i: usize) -> String {
        let day = jiff::civil::date(2020, 1, 1)
            .checked_add(jiff::Span::new().days(self.published as i64))
            .expect("generated days stay within the calendar");
        serde_json::json!({
            "url": self.url(i),
            "title": format!("Generated report {i}"),
            "text": self.text,
            "date_publish": day.to_string(),
            "source_domain": format!("{}.example", self.outlet),
        })
        .to_string()
    }
}

/// A small deterministic PRNG (SplitMix64): the corpus depends on the seed alone.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "sen", "tu", "vor", "al", "bri", "dan", "el", "fo", "gar", "hin", "is",
    "jum", "ke", "lan", "mo", "nor", "pe", "qui", "ros", "sta", "tin", "ul", "ven", "wes",
];

/// A pseudo-word from a number: distinct numbers give distinct words.
fn word(mut n: usize) -> String {
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    w
}

fn sentence(rng: &mut Rng, vocabulary: usize) -> String {
    let len = 8 + rng.below(14);
    let mut s: Vec<String> = (0..len).map(|_| word(rng.below(vocabulary))).collect();
    if let Some(first) = s.first_mut() {
        let mut c = first.chars();
        *first = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
    }
    format!("{}.", s.join(" "))
}

fn paragraph(rng: &mut Rng, vocabulary: usize) -> String {
    (0..2 + rng.below(3))
        .map(|_| sentence(rng, vocabulary))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `n` articles from `seed`; about one in five is a planted copy of an earlier one.
pub fn generate(n: usize, seed: u64) -> Vec<Generated> {
    let mut rng = Rng(seed);
    let vocabulary = 50_000;
    let mut out: Vec<Generated> = Vec::with_capacity(n);
    for i in 0..n {
        let outlet = format!("outlet-{}", rng.below(200));
        let published = (i / 50) as i32 + rng.below(3) as i32;
        let make_copy = i > 10 && rng.below(5) == 0;
        if make_copy {
            let source = i - 1 - rng.below(i.min(500) - 1);
            let original = out[source].text.clone();
            let (text, how) = match rng.below(3) {
                0 => (
                    original.replace("\n\n", "\r\n\r\n") + "\r\n",
                    Planted::Identical,
                ),
                1 => (
                    format!(
                        "Reposted from {}\n\n{original}\n\nShare this story. Comments are closed.",
                        out[source].outlet
                    ),
                    Planted::Repost,
                ),
                _ => (rewrite(&mut rng, &original, vocabulary), Planted::Rewrite),
            };
            out.push(Generated {
                text,
                outlet,
                published: out[source].published + rng.below(3) as i32,
                copy_of: Some((source, how)),
            });
        } else {
            let paragraphs = 3 + rng.below(6);
            let text = (0..paragraphs)
                .map(|_| paragraph(&mut rng, vocabulary))
                .collect::<Vec<_>>()
                .join("\n\n");
            out.push(Generated {
                text,
                outlet,
                published,
                copy_of: None,
            });
        }
    }
    out
}

/// A rewrite: one word in twelve changed, the last paragraph dropped, a new one added at the
/// top, and the first two paragraphs swapped.
fn rewrite(rng: &mut Rng, original: &str, vocabulary: usize) -> String {
    let mut paragraphs: Vec<String> = original
        .split("\n\n")
        .map(|p| {
            p.split(' ')
                .map(|w| {
                    if rng.below(12) == 0 {
                        word(rng.below(vocabulary))
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if paragraphs.len() > 3 {
        paragraphs.pop();
    }
    if paragraphs.len() > 1 {
        paragraphs.swap(0, 1);
    }
    paragraphs.insert(0, paragraph(rng, vocabulary));
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_depends_on_the_seed_alone_and_plants_every_kind() {
        let a = generate(400, 7);
        let b = generate(400, 7);
        assert_eq!(
            a.iter().map(|g| &g.text).collect::<Vec<_>>(),
            b.iter().map(|g| &g.text).collect::<Vec<_>>()
        );
        for kind in [Planted::Identical, Planted::Repost, Planted::Rewrite] {
            assert!(
                a.iter().any(|g| g.copy_of.is_some_and(|(_, k)| k == kind)),
                "{kind:?}"
            );
        }
        for (i, g) in a.iter().enumerate() {
            if let Some((source, _)) = g.copy_of {
                assert!(source < i);
                assert!(a[source].copy_of.is_none() || source < i);
            }
        }
    }
}
