//! Turns ingested package records into a [`Graph`]: applies the [`Profile`], resolves virtual
//! names to their providers, interns (ecosystem, name) pairs to sorted `u32` ids, and builds
//! both CSRs.
//!
//! Name resolution, per ecosystem: a dependency on a name that some record has is an edge to
//! it; a name no record has but some records `provide` is an edge to each provider; any other
//! name becomes a package of its own with no dependencies (a target without an entry).
//!
//! Every edge keeps its requirement and [`EdgeFlags`] from checking it against the target's
//! latest version ([`versions::check`]). Where several dependencies give the same edge, the
//! first one's requirement is kept and the flags are united: the edge admits or floats if any
//! of them does.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::csr::Csr;
use super::{EdgeFlags, Graph, Meta, StrLists, StrTable};
use crate::error::{Error, Result};
use crate::model::{Dependency, Ecosystem, Ingested, Profile};
use crate::progress::{Progress, Work};
use crate::versions;

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
    progress.phase("build graph", Work::Unmeasured);
    // Records first, so that provisional ids below `records` are exactly the records.
    let mut names = Interner::default();
    let mut versions: Vec<Option<&str>> = Vec::new();
    for input in inputs {
        for record in &input.packages {
            let id = names.intern((record.ecosystem, &record.name)) as usize;
            versions.resize(names.keys.len(), None);
            versions[id] = versions[id].or(record.version.as_deref());
        }
    }
    let records = names.keys.len() as u32;
    let mut providers: FxHashMap<Key<'_>, Vec<u32>> = FxHashMap::default();
    for input in inputs {
        for record in &input.packages {
            let id = names.ids[&(record.ecosystem, record.name.as_str())];
            for virtual_name in &record.provides {
                providers.entry((record.ecosystem, virtual_name)).or_default().push(id);
            }
        }
    }
    // Each admitted dependency, resolved to target ids; its requirement is kept and checked
    // against the target's latest version once every target is known.
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut origins: Vec<(Ecosystem, &Dependency)> = Vec::new();
    for input in inputs {
        for record in &input.packages {
            let eco = record.ecosystem;
            let from = names.ids[&(eco, record.name.as_str())];
            for dep in record.deps.iter().filter(|d| profile.admits(d)) {
                let key = (dep.ecosystem.unwrap_or(eco), dep.name.as_str());
                let before = edges.len();
                match (names.ids.get(&key), providers.get(&key)) {
                    (Some(&to), _) if to < records => edges.push((from, to)),
                    (_, Some(provided)) => edges.extend(provided.iter().map(|&to| (from, to))),
                    _ => edges.push((from, names.intern(key))),
                }
                origins.extend(std::iter::repeat_n((key.0, dep), edges.len() - before));
            }
        }
    }
    let n = names.keys.len();
    if n >= u32::MAX as usize || edges.len() >= u32::MAX as usize {
        return Err(Error::Invalid(format!("{n} packages and {} edges exceed the u32 ids", edges.len())));
    }
    versions.resize(n, None);
    let data: Vec<(u8, u32)> = edges
        .par_iter()
        .zip(&origins)
        .enumerate()
        .map(|(i, (&(_, to), &(eco, dep)))| {
            let flags = match dep.flags {
                Some(recorded) => EdgeFlags(recorded),
                None => versions::check(eco, dep.req.as_deref(), versions[to as usize])
                    .map_or(EdgeFlags::UNPARSED, EdgeFlags::from),
            };
            (flags.0, i as u32)
        })
        .collect();
    // Final ids: sorted by (ecosystem, name).
    let keys = names.keys;
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by_key(|&i| keys[i as usize]);
    let mut final_id = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        final_id[old as usize] = new as u32;
    }
    edges.par_iter_mut().for_each(|(a, b)| (*a, *b) = (final_id[*a as usize], final_id[*b as usize]));
    let (forward, data) = Csr::from_edges_with(n, &edges, &data, |kept, other| kept.0 |= other.0);
    let edge_flags = data.iter().map(|&(flags, _)| flags).collect();
    let edge_reqs = StrTable::new(data.iter().map(|&(_, i)| origins[i as usize].1.req.as_deref().unwrap_or("")))?;
    let sorted = |i: &u32| keys[*i as usize];
    let ecosystems = order.iter().map(|i| sorted(i).0).collect();
    let meta = meta(inputs, &names.ids, &final_id)?;
    let names = StrTable::new(order.iter().map(|i| sorted(i).1))?;
    let versions = StrTable::new(order.iter().map(|&i| versions[i as usize].unwrap_or("")))?;
    let reverse = forward.transpose();
    Ok(Graph { ecosystems, names, versions, forward, reverse, edge_flags, edge_reqs, profile, meta })
}

/// Each node's project, maintainers and releases; records of the same package from several
/// inputs keep the first project and unite the lists. `ids` gives each record's provisional id.
fn meta(inputs: &[Ingested], ids: &FxHashMap<Key<'_>, u32>, final_id: &[u32]) -> Result<Meta> {
    let n = final_id.len();
    let mut projects: Vec<&str> = vec![""; n];
    let mut maintainers: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut releases: Vec<Vec<&str>> = vec![Vec::new(); n];
    for record in inputs.iter().flat_map(|i| &i.packages) {
        let v = final_id[ids[&(record.ecosystem, record.name.as_str())] as usize] as usize;
        if projects[v].is_empty() {
            projects[v] = record.project.as_deref().unwrap_or("");
        }
        maintainers[v].extend(record.maintainers.iter().map(String::as_str));
        releases[v].extend(record.releases.iter().map(String::as_str));
    }
    maintainers.par_iter_mut().for_each(|list| {
        list.sort_unstable();
        list.dedup();
    });
    releases.par_iter_mut().for_each(|list| {
        let mut seen = rustc_hash::FxHashSet::default();
        list.retain(|r| seen.insert(*r));
    });
    Ok(Meta {
        projects: StrTable::new(projects.iter().copied())?,
        maintainers: StrLists::new(maintainers.iter().map(|l| l.iter().copied()))?,
        releases: StrLists::new(releases.iter().map(|l| l.iter().copied()))?,
    })
}
