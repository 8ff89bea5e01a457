//! Turns ingested package records into a [`Graph`]: applies the [`Profile`], resolves virtual
//! names to their providers, interns (ecosystem, name) pairs to sorted `u32` ids, and builds
//! both CSRs.
//!
//! Name resolution, per ecosystem: a dependency on a name that some record has is an edge to
//! it; a name no record has but some records `provide` is an edge to each provider; any other
//! name becomes a package of its own with no dependencies (a target without an entry).

use std::collections::HashMap;

use super::csr::Csr;
use super::{Graph, StrTable};
use crate::error::{Error, Result};
use crate::model::{Ecosystem, Ingested, Profile};
use crate::progress::Progress;

/// Builds the graph of `inputs` under `profile`. Records of the same (ecosystem, name) from
/// several inputs are merged: their dependencies are united, and the first version is kept.
pub fn build(inputs: &[Ingested], profile: Profile, progress: &dyn Progress) -> Result<Graph> {
    progress.phase("build graph", None);
    // Every record, and the providers of each virtual name.
    let mut records: HashMap<(Ecosystem, &str), Option<&str>> = HashMap::new();
    let mut providers: HashMap<(Ecosystem, &str), Vec<&str>> = HashMap::new();
    for input in inputs {
        for record in &input.packages {
            let version = records.entry((input.ecosystem, &record.name)).or_insert(None);
            if version.is_none() {
                *version = record.version.as_deref();
            }
            for virtual_name in &record.provides {
                providers
                    .entry((input.ecosystem, virtual_name))
                    .or_default()
                    .push(&record.name);
            }
        }
    }
    // Each record's dependencies, resolved to target names.
    let mut named_edges: Vec<((Ecosystem, &str), &str)> = Vec::new();
    for input in inputs {
        let eco = input.ecosystem;
        for record in &input.packages {
            for dep in record.deps.iter().filter(|d| profile.admits(d)) {
                let key = (eco, dep.name.as_str());
                match providers.get(&key) {
                    Some(names) if !records.contains_key(&key) => {
                        named_edges.extend(names.iter().map(|&p| ((eco, record.name.as_str()), p)));
                    }
                    _ => named_edges.push(((eco, record.name.as_str()), dep.name.as_str())),
                }
            }
        }
    }
    // Intern: every record and every target, sorted.
    let mut keys: Vec<(Ecosystem, &str)> = records.keys().copied().collect();
    keys.extend(named_edges.iter().map(|&((eco, _), target)| (eco, target)));
    keys.sort_unstable();
    keys.dedup();
    let n = keys.len();
    if n >= u32::MAX as usize || named_edges.len() >= u32::MAX as usize {
        return Err(Error::Invalid(format!(
            "{n} packages and {} edges exceed the u32 ids",
            named_edges.len()
        )));
    }
    let ids: HashMap<(Ecosystem, &str), u32> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    let edges: Vec<(u32, u32)> = named_edges
        .iter()
        .map(|&(from, target)| (ids[&from], ids[&(from.0, target)]))
        .collect();
    progress.advance(edges.len() as u64);
    let forward = Csr::from_edges(n, &edges);
    let ecosystems = keys.iter().map(|k| k.0).collect();
    let names = StrTable::new(keys.iter().map(|k| k.1))?;
    let versions = StrTable::new(keys.iter().map(|k| records.get(k).copied().flatten().unwrap_or("")))?;
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
