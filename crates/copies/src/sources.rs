//! Independent sources: how many separate newsrooms a set of articles really comes from.
//!
//! Outlets are joined when an article of one reuses an article of the other (an `identical`,
//! `republished` or `rewritten` link; a shared quote is two witnesses of one speaker, not one
//! source). Each group is one source, and each join keeps the link that made it, so a reader
//! can check every merge. The stricter count also joins groups whose outlets belong to one
//! owner or one state, as far as the general outlet table knows ([`newsdesk_outlets::OWNERSHIP`]);
//! each such join keeps the fact that made it.
//!
//! An article with no known outlet counts as a source of its own: nothing says it shares a
//! newsroom with anyone.

use std::collections::BTreeMap;

use newsdesk_span::DocId;
use serde::{Deserialize, Serialize};

use crate::{CopyKind, CopyLink};

/// One article as the count sees it.
#[derive(Clone, Debug)]
pub struct Reporting<'a> {
    pub id: &'a DocId,
    /// The outlet that wrote it (the credited outlet when a site reposted it).
    pub outlet: Option<&'a str>,
}

/// Why two members of a group are one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum Join {
    /// An article of one reuses an article of the other.
    Copy { a: DocId, b: DocId, kind: CopyKind },
    /// Both outlets belong to one owner or state (`group` is `state:IR` or `owner:…`).
    Ownership { outlets: Vec<String>, group: String },
}

/// One independent source: the outlets (or outlet-less articles) in it, and the joins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceGroup {
    /// Outlet names; an article without an outlet appears as `article:ID`.
    pub members: Vec<String>,
    pub articles: Vec<DocId>,
    pub joins: Vec<Join>,
}

/// A count of independent sources with the groups that make it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    pub count: usize,
    pub groups: Vec<SourceGroup>,
}

fn member(r: &Reporting<'_>) -> String {
    match r.outlet {
        Some(o) => o.to_string(),
        None => format!("article:{}", r.id),
    }
}

/// Union-find over member names.
struct Groups {
    parent: Vec<usize>,
    names: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl Groups {
    fn new(names: impl IntoIterator<Item = String>) -> Groups {
        let mut g = Groups {
            parent: Vec::new(),
            names: Vec::new(),
            index: BTreeMap::new(),
        };
        for n in names {
            if !g.index.contains_key(&n) {
                g.index.insert(n.clone(), g.names.len());
                g.parent.push(g.names.len());
                g.names.push(n);
            }
        }
        g
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins two members; whether they were apart.
    fn union(&mut self, a: &str, b: &str) -> bool {
        let (Some(&x), Some(&y)) = (self.index.get(a), self.index.get(b)) else {
            return false;
        };
        let (x, y) = (self.find(x), self.find(y));
        if x == y {
            return false;
        }
        // The smaller index is the root, so the result does not depend on the order of joins.
        let (root, child) = (x.min(y), x.max(y));
        self.parent[child] = root;
        true
    }
}

/// Independent sources among `articles`, joined by `links` between them.
pub fn independent_sources(articles: &[Reporting<'_>], links: &[CopyLink]) -> SourceCount {
    count(articles, links, false)
}

/// The stricter count: as [`independent_sources`], and outlets of one owner or state joined.
pub fn independent_owners(articles: &[Reporting<'_>], links: &[CopyLink]) -> SourceCount {
    count(articles, links, true)
}

fn count(articles: &[Reporting<'_>], links: &[CopyLink], by_owner: bool) -> SourceCount {
    let mut names: Vec<String> = articles.iter().map(member).collect();
    names.sort();
    let mut groups = Groups::new(names);
    let member_of: BTreeMap<&DocId, String> = articles.iter().map(|r| (r.id, member(r))).collect();
    let mut joins: Vec<(String, Join)> = Vec::new();
    let mut links: Vec<&CopyLink> = links.iter().filter(|l| l.kind.same_source()).collect();
    links.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    for link in links {
        let (Some(a), Some(b)) = (member_of.get(&link.a), member_of.get(&link.b)) else {
            continue;
        };
        if groups.union(a, b) {
            joins.push((
                a.clone(),
                Join::Copy {
                    a: link.a.clone(),
                    b: link.b.clone(),
                    kind: link.kind,
                },
            ));
        }
    }
    if by_owner {
        let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in groups.names.clone() {
            let group = newsdesk_outlets::by_credit(&name)
                .and_then(|o| o.ownership())
                .and_then(|o| o.group());
            if let Some(g) = group {
                by_group.entry(g).or_default().push(name);
            }
        }
        for (group, outlets) in by_group {
            let mut joined = false;
            for pair in outlets.windows(2) {
                joined |= groups.union(&pair[0], &pair[1]);
            }
            if joined {
                joins.push((
                    outlets[0].clone(),
                    Join::Ownership {
                        outlets: outlets.clone(),
                        group,
                    },
                ));
            }
        }
    }
    let mut out: BTreeMap<usize, SourceGroup> = BTreeMap::new();
    for i in 0..groups.names.len() {
        let root = groups.find(i);
        let name = groups.names[i].clone();
        out.entry(root)
            .or_insert_with(|| SourceGroup {
                members: Vec::new(),
                articles: Vec::new(),
                joins: Vec::new(),
            })
            .members
            .push(name);
    }
    for r in articles {
        let root = groups.find(groups.index[&member(r)]);
        out.get_mut(&root)
            .expect("every member has a group")
            .articles
            .push(r.id.clone());
    }
    for (name, join) in joins {
        let root = groups.find(groups.index[&name]);
        out.get_mut(&root)
            .expect("every member has a group")
            .joins
            .push(join);
    }
    let groups: Vec<SourceGroup> = out.into_values().collect();
    SourceCount {
        count: groups.len(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: &DocId, b: &DocId, kind: CopyKind) -> CopyLink {
        CopyLink {
            a: a.clone(),
            b: b.clone(),
            kind,
            direction: None,
            score: 1.0,
            passages: Vec::new(),
        }
    }

    #[test]
    fn five_reposts_of_one_wire_story_are_one_source() {
        let ids: Vec<DocId> = (0..6)
            .map(|i| DocId::from_string(format!("d{i}")))
            .collect();
        let outlets = ["Reuters", "Site A", "Site B", "Site C", "Site D", "Site E"];
        let articles: Vec<Reporting<'_>> = ids
            .iter()
            .zip(outlets)
            .map(|(id, o)| Reporting {
                id,
                outlet: Some(o),
            })
            .collect();
        let links: Vec<CopyLink> = (1..5)
            .map(|i| link(&ids[0], &ids[i], CopyKind::Republished))
            .collect();
        let c = independent_sources(&articles, &links);
        assert_eq!(c.count, 2, "{c:?}");
        let wire = c
            .groups
            .iter()
            .find(|g| g.members.contains(&"Reuters".to_string()))
            .unwrap();
        assert_eq!(wire.members.len(), 5);
        assert_eq!(wire.joins.len(), 4, "each merge keeps its link");
    }

    #[test]
    fn a_shared_quote_does_not_join_two_newsrooms() {
        let (a, b) = (DocId::from_string("a"), DocId::from_string("b"));
        let articles = [
            Reporting {
                id: &a,
                outlet: Some("Reuters"),
            },
            Reporting {
                id: &b,
                outlet: Some("Associated Press"),
            },
        ];
        let c = independent_sources(&articles, &[link(&a, &b, CopyKind::SharedQuote)]);
        assert_eq!(c.count, 2);
    }

    #[test]
    fn outlets_of_one_state_are_one_source_under_the_stricter_count_with_the_fact() {
        let ids: Vec<DocId> = (0..4)
            .map(|i| DocId::from_string(format!("d{i}")))
            .collect();
        let outlets = [Some("TASS"), Some("RT"), Some("Reuters"), None];
        let articles: Vec<Reporting<'_>> = ids
            .iter()
            .zip(outlets)
            .map(|(id, outlet)| Reporting { id, outlet })
            .collect();
        assert_eq!(independent_sources(&articles, &[]).count, 4);
        let strict = independent_owners(&articles, &[]);
        assert_eq!(strict.count, 3, "{strict:?}");
        let russia = strict.groups.iter().find(|g| g.members.len() == 2).unwrap();
        assert_eq!(
            russia.joins,
            [Join::Ownership {
                outlets: vec!["RT".into(), "TASS".into()],
                group: "state:RU".into()
            }]
        );
    }

    #[test]
    fn the_count_does_not_depend_on_the_order_of_articles_or_links() {
        let ids: Vec<DocId> = (0..4)
            .map(|i| DocId::from_string(format!("d{i}")))
            .collect();
        let outlets = ["W", "X", "Y", "Z"];
        let mut articles: Vec<Reporting<'_>> = ids
            .iter()
            .zip(outlets)
            .map(|(id, o)| Reporting {
                id,
                outlet: Some(o),
            })
            .collect();
        let mut links = vec![
            link(&ids[0], &ids[1], CopyKind::Rewritten),
            link(&ids[2], &ids[3], CopyKind::Identical),
        ];
        let first = independent_sources(&articles, &links);
        articles.reverse();
        links.reverse();
        assert_eq!(
            independent_sources(&articles, &links).groups.len(),
            first.groups.len()
        );
        assert_eq!(
            independent_sources(&articles, &links)
                .groups
                .iter()
                .map(|g| &g.members)
                .collect::<Vec<_>>(),
            first.groups.iter().map(|g| &g.members).collect::<Vec<_>>()
        );
    }
}
