//! Turns ingested package records into a [`Graph`]: applies the [`Profile`], resolves virtual
//! names to their providers, interns (ecosystem, name) pairs to sorted `u32` ids, and builds
//! both CSRs.
//!
//! An input's [`RecordEdge`](crate::model::RecordEdge)s (edge lists) join records by their
//! places and need no name resolution.
//!
//! Name resolution, per ecosystem: a dependency on a name that some record has is an edge to
//! it; a name no record has but some records `provide` is an edge to each provider; a name that
//! the registry reads as a record's ([`normalize_name`]: `newtonsoft.json` for NuGet's
//! `Newtonsoft.Json`) is an edge to that record; any other name becomes a package of its own
//! with no dependencies (a target without an entry), one per name as the registry reads it,
//! spelt as first seen.
//!
//! Every edge keeps its requirement and [`EdgeFlags`] from checking it against the target's
//! latest version ([`versions::check`]). Where several dependencies give the same edge, the
//! first one's requirement is kept and the flags are united: the edge admits or floats if any
//! of them does.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::csr::Csr;
use super::{EdgeFlags, Graph, Meta, StrLists, StrTable};
use crate::error::{Error, Result};
use crate::model::{normalize_name, Ecosystem, Ingested, Profile};
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

/// Where an edge came from: the target's ecosystem, the requirement, and flags recorded by
/// the input (which are taken instead of checking the requirement).
#[derive(Clone, Copy)]
struct Origin<'a> {
    ecosystem: Ecosystem,
    req: Option<&'a str>,
    flags: Option<u8>,
}

/// Builds the graph of `inputs` under `profile`. Records of the same (ecosystem, name) from
/// several inputs are merged: their dependencies are united, and the first version is kept.
pub fn build(inputs: &[Ingested], profile: Profile, progress: &dyn Progress) -> Result<Graph> {
    progress.phase("build graph", Work::Unmeasured);
    // Records first, so that provisional ids below `records` are exactly the records.
    let mut names = Interner::default();
    let mut versions: Vec<Option<&str>> = Vec::new();
    // Each input's records' provisional ids.
    let record_ids: Vec<Vec<u32>> = inputs
        .iter()
        .map(|input| {
            let ids: Vec<u32> =
                input.packages.iter().map(|record| names.intern((record.ecosystem, &record.name))).collect();
            versions.resize(names.keys.len(), None);
            for (record, &id) in input.packages.iter().zip(&ids) {
                versions[id as usize] = versions[id as usize].or(record.version.as_deref());
            }
            ids
        })
        .collect();
    let records = names.keys.len() as u32;
    // Records by the name their registry reads theirs as, where that is not the name itself;
    // then targets without a record, by the name as read.
    let mut read_as: FxHashMap<(Ecosystem, String), u32> = FxHashMap::default();
    for (id, &(ecosystem, name)) in names.keys.iter().enumerate() {
        if let Cow::Owned(read) = normalize_name(ecosystem, name) {
            read_as.entry((ecosystem, read)).or_insert(id as u32);
        }
    }
    let mut providers: FxHashMap<Key<'_>, Vec<u32>> = FxHashMap::default();
    for (input, ids) in inputs.iter().zip(&record_ids) {
        for (record, &id) in input.packages.iter().zip(ids) {
            for virtual_name in &record.provides {
                providers.entry((record.ecosystem, virtual_name)).or_default().push(id);
            }
        }
    }
    // Each admitted dependency, resolved to target ids; its requirement is kept and checked
    // against the target's latest version once every target is known.
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut origins: Vec<Origin<'_>> = Vec::new();
    for (input, ids) in inputs.iter().zip(&record_ids) {
        for (record, &from) in input.packages.iter().zip(ids) {
            for dep in record.deps.iter().filter(|d| profile.admits(d)) {
                let key = (dep.ecosystem.unwrap_or(record.ecosystem), dep.name.as_str());
                let before = edges.len();
                match (names.ids.get(&key), providers.get(&key)) {
                    (Some(&to), _) if to < records => edges.push((from, to)),
                    (_, Some(provided)) => edges.extend(provided.iter().map(|&to| (from, to))),
                    _ => {
                        // A record under the name as its registry reads it, else the target of
                        // that name seen first, else a new target.
                        let read = normalize_name(key.0, key.1).into_owned();
                        let to = match names.ids.get(&(key.0, read.as_str())) {
                            Some(&to) if to < records => to,
                            _ => *read_as.entry((key.0, read)).or_insert_with(|| names.intern(key)),
                        };
                        edges.push((from, to));
                    }
                }
                let origin = Origin { ecosystem: key.0, req: dep.req.as_deref(), flags: dep.flags };
                origins.extend(std::iter::repeat_n(origin, edges.len() - before));
            }
        }
        for edge in input.edges.iter().filter(|e| profile.admits_kind(e.kind, e.optional, false)) {
            edges.push((ids[edge.from as usize], ids[edge.to as usize]));
            let ecosystem = input.packages[edge.to as usize].ecosystem;
            origins.push(Origin { ecosystem, req: None, flags: None });
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
        .map(|(i, (&(_, to), origin))| {
            let flags = match origin.flags {
                Some(recorded) => EdgeFlags(recorded),
                None => versions::check(origin.ecosystem, origin.req, versions[to as usize])
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
    let edge_reqs = StrTable::new(data.iter().map(|&(_, i)| origins[i as usize].req.unwrap_or("")))?;
    let sorted = |i: &u32| keys[*i as usize];
    let ecosystems = order.iter().map(|i| sorted(i).0).collect();
    let meta = meta(inputs, &record_ids, &final_id)?;
    let names = StrTable::new(order.iter().map(|i| sorted(i).1))?;
    let versions = StrTable::new(order.iter().map(|&i| versions[i as usize].unwrap_or("")))?;
    let reverse = forward.transpose();
    Ok(Graph { ecosystems, names, versions, forward, reverse, edge_flags, edge_reqs, profile, meta })
}

/// Each node's project, maintainers and releases; records of the same package from several
/// inputs keep the first project and unite the lists. `record_ids` gives each record's
/// provisional id.
fn meta(inputs: &[Ingested], record_ids: &[Vec<u32>], final_id: &[u32]) -> Result<Meta> {
    let n = final_id.len();
    let mut projects: Vec<&str> = vec![""; n];
    let mut maintainers: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut releases: Vec<Vec<&str>> = vec![Vec::new(); n];
    let records = inputs.iter().zip(record_ids).flat_map(|(input, ids)| input.packages.iter().zip(ids));
    for (record, &id) in records {
        let v = final_id[id as usize] as usize;
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
