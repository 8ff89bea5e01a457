//! Turns ingested package records into a [`Graph`]: applies the [`Profile`], resolves virtual
//! names to their providers, interns (ecosystem, name) pairs to sorted `u32` ids, and builds
//! both CSRs.
//!
//! Name resolution, per ecosystem: a dependency on a name that some record has is an edge to
//! it; a name no record has but some records `provide` is an edge to each provider; any other
//! name becomes a package of its own with no dependencies (a target without an entry).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::csr::Csr;
use super::{Graph, StrTable};
use crate::error::{Error, Result};
use crate::model::{Ecosystem, Ingested, Profile};
use crate::progress::Progress;

type Key<'a> = (Ecosystem, &'a str);

/// Names interned to provisional ids in first-seen order.
#[derive(Default)]
struct Interner<'a> {
    ids: FxHashMap<Key<'a>, u32>,
    keys: Vec<Key<'a>>,
}

impl<'a> Interner<'a> {
    fn intern(&mut self, key: Key<'a>) -> u32 {
        let next = self.keys.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.keys.push(key);
        }
        id
    }
}

/// Builds the graph of `inputs` under `profile`. Records of the same (ecosystem, name) from
/// several inputs are merged: their dependencies are united, and the first version is kept.
pub fn build(inputs: &[Ingested], profile: Profile, progress: &dyn Progress) -> Result<Graph> {
    progress.phase("build graph", None);
    // Records first, so that provisional ids below `records` are exactly the records.
    let mut names = Interner::default();
    let mut versions: Vec<Option<&str>> = Vec::new();
    for input in inputs {
        for record in &input.packages {
            let id = names.intern((input.ecosystem, &record.name)) as usize;
            versions.resize(names.keys.len(), None);
            versions[id] = versions[id].or(record.version.as_deref());
        }
    }
    let records = names.keys.len() as u32;
    let mut providers: FxHashMap<Key<'_>, Vec<u32>> = FxHashMap::default();
    for input in inputs {
        for record in &input.packages {
            let id = names.ids[&(input.ecosystem, record.name.as_str())];
            for virtual_name in &record.provides {
                providers.entry((input.ecosystem, virtual_name)).or_default().push(id);
            }
        }
    }
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for input in inputs {
        let eco = input.ecosystem;
        for record in &input.packages {
            let from = names.ids[&(eco, record.name.as_str())];
            for dep in record.deps.iter().filter(|d| profile.admits(d)) {
                let key = (eco, dep.name.as_str());
                match (names.ids.get(&key), providers.get(&key)) {
                    (Some(&to), _) if to < records => edges.push((from, to)),
                    (_, Some(provided)) => edges.extend(provided.iter().map(|&to| (from, to))),
                    _ => edges.push((from, names.intern(key))),
                }
            }
        }
    }
    let n = names.keys.len();
    if n >= u32::MAX as usize || edges.len() >= u32::MAX as usize {
        return Err(Error::Invalid(format!(
            "{n} packages and {} edges exceed the u32 ids",
            edges.len()
        )));
    }
    // Final ids: sorted by (ecosystem, name).
    let keys = names.keys;
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by_key(|&i| keys[i as usize]);
    let mut final_id = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        final_id[old as usize] = new as u32;
    }
    edges
        .par_iter_mut()
        .for_each(|(a, b)| (*a, *b) = (final_id[*a as usize], final_id[*b as usize]));
    progress.advance(edges.len() as u64);
    let forward = Csr::from_edges(n, &edges);
    let sorted = |i: &u32| keys[*i as usize];
    let ecosystems = order.iter().map(|i| sorted(i).0).collect();
    let names = StrTable::new(order.iter().map(|i| sorted(i).1))?;
    let versions = StrTable::new(
        order
            .iter()
            .map(|&i| versions.get(i as usize).copied().flatten().unwrap_or("")),
    )?;
    let reverse = forward.transpose();
    Ok(Graph {
        ecosystems,
        names,
        versions,
        forward,
        reverse,
        profile,
    })
}
