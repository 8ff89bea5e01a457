//! Search as you type: every package name as its registry reads it, sorted per ecosystem, so
//! that the names starting with what was typed are one binary search away.
//!
//! Invariant: each ecosystem's list is sorted by normalised name, then id.

use std::borrow::Cow;

use crate::graph::Graph;
use crate::model::{normalize_name, Ecosystem};

/// Normalised names and their packages, sorted.
type Names = Vec<(Box<str>, u32)>;

/// Every package name, normalised, per ecosystem.
pub(super) struct NameIndex {
    by_ecosystem: Vec<(Ecosystem, Names)>,
}

impl NameIndex {
    pub(super) fn new(graph: &Graph) -> NameIndex {
        let by_ecosystem = graph
            .ecosystems()
            .into_iter()
            .map(|e| {
                let mut names: Names =
                    graph.range_of(e).map(|v| (normalize_name(e, graph.name(v)).into(), v)).collect();
                names.sort_unstable();
                (e, names)
            })
            .collect();
        NameIndex { by_ecosystem }
    }

    /// Per ecosystem (`ecosystem/` in `query` narrows it to one), the names that start with the
    /// rest of `query` as its registry reads names: one binary search each.
    /// Each comes with the query as that ecosystem reads it.
    fn matching<'a>(&'a self, query: &'a str) -> impl Iterator<Item = (Cow<'a, str>, &'a [(Box<str>, u32)])> + 'a {
        let (only, query) = match query.split_once('/') {
            Some((prefix, rest)) => match prefix.parse::<Ecosystem>() {
                Ok(e) => (Some(e), rest),
                Err(_) => (None, query),
            },
            None => (None, query),
        };
        self.by_ecosystem.iter().filter(move |(e, _)| only.is_none_or(|o| o == *e)).map(move |(e, names)| {
            let q = normalize_name(*e, query.trim());
            if q.is_empty() {
                return (q, &names[..0]);
            }
            let start = names.partition_point(|(n, _)| n.as_ref() < q.as_ref());
            let end = start + names[start..].partition_point(|(n, _)| n.starts_with(q.as_ref()));
            (q, &names[start..end])
        })
    }

    /// How many names start with `query`.
    pub(super) fn count(&self, query: &str) -> usize {
        self.matching(query).map(|(_, names)| names.len()).sum()
    }

    /// The packages whose names start with `query`: an exact match first, then by `reach`
    /// (largest first), then by name; at most `limit`.
    pub(super) fn search(&self, graph: &Graph, reach: &[u32], query: &str, limit: usize) -> Vec<u32> {
        if limit == 0 {
            return Vec::new();
        }
        let mut hits: Vec<(bool, u32, u32)> = Vec::new();
        for (q, names) in self.matching(query) {
            hits.extend(names.iter().map(|(n, v)| (n.as_ref() != q.as_ref(), reach[*v as usize], *v)));
        }
        let order = |a: &(bool, u32, u32), b: &(bool, u32, u32)| {
            a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| graph.name(a.2).cmp(graph.name(b.2))).then(a.2.cmp(&b.2))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        hits.into_iter().map(|h| h.2).collect()
    }
}
