//! The copies stage over a generated corpus with planted identical copies, reposts and
//! rewrites: it finds nearly all of them in one pass and links nothing else.

use std::collections::HashSet;

use newsdesk_copies::{compare_prepared, Article, CopyKind, Index, Prepared, Signature};
use newsdesk_span::DocId;
use newsdesk_testkit::corpus::{generate, Planted};

#[test]
fn planted_copies_are_found_in_one_pass_and_nothing_else_is_linked() {
    let corpus = generate(3000, 42);
    let ids: Vec<DocId> = (0..corpus.len())
        .map(|i| DocId::from_string(format!("{i:05}")))
        .collect();
    let prepared: Vec<Prepared<'_>> = corpus.iter().map(|g| Prepared::new(&g.text)).collect();
    let article = |i: usize| Article {
        outlet: Some(corpus[i].outlet.as_str()),
        published: Some(corpus[i].published),
        ..Article::new(&ids[i], &corpus[i].text)
    };
    let mut index = Index::new();
    let mut linked: HashSet<(usize, usize)> = HashSet::new();
    let mut kinds = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        let Some(signature) = Signature::of(&p.shingles) else {
            continue;
        };
        for j in index.observe(i, &signature) {
            if let Some(link) = compare_prepared(&article(j), &prepared[j], &article(i), p) {
                linked.insert((j, i));
                kinds.push((i, link.kind));
            }
        }
    }
    // Copies of copies link to every earlier member of their family, which is right; links
    // outside a family are false.
    let family = |mut i: usize| {
        while let Some((source, _)) = corpus[i].copy_of {
            i = source;
        }
        i
    };
    let false_links = linked
        .iter()
        .filter(|(a, b)| family(*a) != family(*b))
        .count();
    assert_eq!(false_links, 0);
    let planted: Vec<(usize, usize, Planted)> = corpus
        .iter()
        .enumerate()
        .filter_map(|(i, g)| g.copy_of.map(|(s, how)| (s, i, how)))
        .collect();
    let found = planted
        .iter()
        .filter(|(s, i, _)| linked.contains(&(*s, *i)))
        .count();
    assert!(planted.len() > 400);
    assert!(
        found as f64 >= 0.98 * planted.len() as f64,
        "{found} of {} planted copies found",
        planted.len()
    );
    // Identical copies are called identical; reposts at least republished.
    for (s, i, how) in &planted {
        let kind = kinds.iter().find(|(x, _)| x == i).map(|(_, k)| *k);
        if *how == Planted::Identical && corpus[*s].copy_of.is_none() {
            assert_eq!(kind, Some(CopyKind::Identical), "article {i}");
        }
    }
}
