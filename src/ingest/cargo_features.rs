//! Cargo features over a whole registry: which optional dependencies of each crate's chosen
//! release a feature really switches on. Shared by the crates.io index and db-dump readers,
//! which mark those dependencies [`Dependency::by_feature`] (the `features` kind of a
//! [`crate::model::Profile`]).
//!
//! # The model
//!
//! A feature is switched on in crate X by X's own `default` feature (every crate is taken to be
//! built with its defaults once), or by a request from a dependent: a dependency entry on X asks
//! for the features in its `features` list. Since X's defaults are on anyway, whether the entry
//! also asks for them (`default_features`) changes nothing, and is not read. A switched-on
//! feature switches on its values, in X's `[features]` table (the index's `features` and
//! `features2`, the db-dump's `versions.features`):
//!
//! - `"feat"`: X's feature `feat`;
//! - `"dep:name"`: X's optional dependency `name`, without switching on a feature of that name;
//! - `"name/feat"`: X's dependency `name` (switched on if optional, together with X's feature
//!   `name` if there is one, as Cargo does) and, on it, feature `feat`;
//! - `"name?/feat"`: feature `feat` on X's dependency `name`, only if `name` is switched on by
//!   something else (now or later);
//! - an optional dependency that no `"dep:name"` value names has an implicit feature of its name
//!   that switches it on.
//!
//! `name` is the dependency's name in X's manifest: its rename when renamed (`package` in
//! index lines, `explicit_name` in the db-dump), else the crate's name. A dependency that is
//! switched on (or not optional) sends its own requests to its crate, and so on, to a fixpoint.
//! Only normal and build entries are switched on or send requests; dev entries are not built
//! for dependents. Requests to a crate not in the input, and unknown features, are ignored.
//!
//! This is Cargo's feature unification taken over the whole registry: a feature that any
//! dependent asks for counts for every dependent, so it over-approximates the edges that a
//! given dependent's build has (one whose tree asks for no such feature does not get them).
//! Features are read from each crate's chosen (latest) release, as the graph is; a dependent
//! that requires an older release may ask for features that release defines differently.
//!
//! # Complexity
//!
//! Each (crate, feature) is switched on once and each dependency entry once, each time reading
//! its values or requests once: O(Σ features' values + Σ dependency entries' features) set and
//! map operations, plus a scan of the crate's table for each implicit feature looked up.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{DepKind, Dependency, PackageRecord};

/// What feature resolution needs of one dependency entry, beyond its [`Dependency`]. The
/// default is an entry not renamed that asks for no features.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FeatureDep {
    /// The name the dependent's manifest gives it when renamed (`rng = { package = "rand" }`).
    pub(super) rename: Option<String>,
    /// The features it asks for.
    pub(super) features: Vec<String>,
}

/// One crate's chosen release, as feature resolution sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CrateFeatures {
    /// The `[features]` table, sorted by name: each feature and its values.
    table: Vec<(String, Vec<String>)>,
    /// One per dependency of the record, in the same order.
    deps: Vec<FeatureDep>,
}

impl CrateFeatures {
    /// A crate's features from its table (features named twice have their values joined, as
    /// when the index splits them between `features` and `features2`) and its dependency
    /// entries, one per [`PackageRecord::deps`] entry in the same order.
    pub(super) fn new(table: impl IntoIterator<Item = (String, Vec<String>)>, deps: Vec<FeatureDep>) -> Self {
        let mut table: Vec<(String, Vec<String>)> = table.into_iter().collect();
        table.sort_by(|a, b| a.0.cmp(&b.0));
        table.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1.append(&mut later.1);
            }
            same
        });
        CrateFeatures { table, deps }
    }

    fn values(&self, feature: &str) -> Option<&[String]> {
        self.table.binary_search_by(|(name, _)| name.as_str().cmp(feature)).ok().map(|i| self.table[i].1.as_slice())
    }

    /// Whether some value names `dep:key`, which removes the implicit feature `key`.
    fn names_dep(&self, key: &str) -> bool {
        self.table.iter().flat_map(|(_, values)| values).any(|v| v.strip_prefix("dep:") == Some(key))
    }
}

/// Marks [`Dependency::by_feature`] on every optional dependency of `records` that a feature
/// switches on (see the module docs). `features[i]` describes `records[i]`, with one
/// [`FeatureDep`] per dependency; names in `records` must be distinct.
///
/// # Panics
///
/// If `features` is not aligned with `records` and their dependencies.
pub(super) fn switch_on(records: &mut [PackageRecord], features: &[CrateFeatures]) {
    assert_eq!(records.len(), features.len(), "one CrateFeatures per record");
    for (record, f) in records.iter().zip(features) {
        assert_eq!(record.deps.len(), f.deps.len(), "one FeatureDep per dependency of {}", record.name);
    }
    let on = Resolver::new(records, features).run();
    for (c, j) in on {
        records[c as usize].deps[j as usize].by_feature = true;
    }
}

/// The state of one resolution: what is switched on, and what is still to do.
struct Resolver<'a> {
    records: &'a [PackageRecord],
    features: &'a [CrateFeatures],
    crates: FxHashMap<&'a str, u32>,
    /// Per crate, its dependency entries' indices sorted by manifest name.
    by_key: Vec<Vec<u32>>,
    /// Switched-on features, implicit ones included.
    enabled: FxHashSet<(u32, &'a str)>,
    /// Switched-on optional dependency entries.
    active: FxHashSet<(u32, u32)>,
    /// `name?/feat` values waiting for `name` to be switched on.
    weak: FxHashMap<(u32, &'a str), Vec<&'a str>>,
    /// Values to apply, each in its crate.
    work: VecDeque<(u32, &'a str)>,
}

impl<'a> Resolver<'a> {
    fn new(records: &'a [PackageRecord], features: &'a [CrateFeatures]) -> Self {
        let crates = records.iter().enumerate().map(|(i, r)| (r.name.as_str(), i as u32)).collect();
        let by_key = features
            .iter()
            .zip(records)
            .map(|(f, r)| {
                let mut order: Vec<u32> = (0..r.deps.len() as u32).collect();
                order.sort_by_key(|&j| key(r, f, j));
                order
            })
            .collect();
        Resolver {
            records,
            features,
            crates,
            by_key,
            enabled: FxHashSet::default(),
            active: FxHashSet::default(),
            weak: FxHashMap::default(),
            work: VecDeque::new(),
        }
    }

    /// Runs to the fixpoint; returns the switched-on optional entries as (crate, dependency).
    fn run(mut self) -> Vec<(u32, u32)> {
        for c in 0..self.records.len() as u32 {
            self.work.push_back((c, "default"));
            for j in 0..self.records[c as usize].deps.len() as u32 {
                if built(self.dep(c, j)) && !self.dep(c, j).optional {
                    self.send_requests(c, j);
                }
            }
        }
        while let Some((c, value)) = self.work.pop_front() {
            self.apply(c, value);
        }
        self.active.into_iter().collect()
    }

    fn dep(&self, c: u32, j: u32) -> &'a Dependency {
        &self.records[c as usize].deps[j as usize]
    }

    fn table(&self, c: u32) -> &'a CrateFeatures {
        &self.features[c as usize]
    }

    /// The built (normal or build) entries of crate `c` named `k` in its manifest.
    fn entries(&self, c: u32, k: &str) -> Vec<u32> {
        let (record, f) = (&self.records[c as usize], &self.features[c as usize]);
        let order = &self.by_key[c as usize];
        let start = order.partition_point(|&j| key(record, f, j) < k);
        order[start..]
            .iter()
            .copied()
            .take_while(|&j| key(record, f, j) == k)
            .filter(|&j| built(self.dep(c, j)))
            .collect()
    }

    /// Applies one feature value in crate `c`.
    fn apply(&mut self, c: u32, value: &'a str) {
        if let Some(k) = value.strip_prefix("dep:") {
            self.activate(c, k);
        } else if let Some((k, feat)) = value.split_once('/') {
            match k.strip_suffix('?') {
                Some(k) if self.entries(c, k).iter().any(|&j| self.is_on(c, j)) => self.request_through(c, k, feat),
                Some(k) => self.weak.entry((c, k)).or_default().push(feat),
                None => {
                    let optional = self.entries(c, k).iter().any(|&j| self.dep(c, j).optional);
                    if optional && self.table(c).values(k).is_some() {
                        self.work.push_back((c, k));
                    }
                    self.activate(c, k);
                    self.request_through(c, k, feat);
                }
            }
        } else if self.enabled.insert((c, value)) {
            let f = self.table(c);
            match f.values(value) {
                Some(values) => self.work.extend(values.iter().map(|v| (c, v.as_str()))),
                None if !f.names_dep(value) => self.activate(c, value),
                None => {}
            }
        }
    }

    /// Whether entry `j` of crate `c` is in the build: not optional, or switched on.
    fn is_on(&self, c: u32, j: u32) -> bool {
        !self.dep(c, j).optional || self.active.contains(&(c, j))
    }

    /// Switches on crate `c`'s optional entries named `k`, sending their requests, and applies
    /// the `k?/feat` values that waited for them.
    fn activate(&mut self, c: u32, k: &'a str) {
        let mut any = false;
        for j in self.entries(c, k) {
            if self.dep(c, j).optional && self.active.insert((c, j)) {
                self.send_requests(c, j);
                any = true;
            }
        }
        if any {
            for feat in self.weak.remove(&(c, k)).unwrap_or_default() {
                self.request_through(c, k, feat);
            }
        }
    }

    /// Asks for `feat` on the crates behind crate `c`'s entries named `k` that are on.
    fn request_through(&mut self, c: u32, k: &str, feat: &'a str) {
        for j in self.entries(c, k) {
            if self.is_on(c, j) {
                self.request(c, j, feat);
            }
        }
    }

    /// Entry `j` of crate `c` asks its crate for its features.
    fn send_requests(&mut self, c: u32, j: u32) {
        for feat in &self.table(c).deps[j as usize].features {
            self.request(c, j, feat);
        }
    }

    fn request(&mut self, c: u32, j: u32, value: &'a str) {
        if let Some(&t) = self.crates.get(self.dep(c, j).name.as_str()) {
            self.work.push_back((t, value));
        }
    }
}

/// Entry `j`'s name in the manifest of `record`.
fn key<'a>(record: &'a PackageRecord, f: &'a CrateFeatures, j: u32) -> &'a str {
    f.deps[j as usize].rename.as_deref().unwrap_or(&record.deps[j as usize].name)
}

/// Whether a dependency is part of a build for dependents.
fn built(dep: &Dependency) -> bool {
    matches!(dep.kind, DepKind::Normal | DepKind::Build)
}

#[cfg(test)]
mod tests {
    use super::{switch_on, CrateFeatures, FeatureDep};
    use crate::model::{DepKind, Dependency, Ecosystem, PackageRecord};

    #[test]
    fn a_requested_feature_switches_on_an_optional_dependency() {
        let record = |name: &str, deps| PackageRecord::new(Ecosystem::Crates, name.into(), Some("1.0.0".into()), deps);
        // `app` asks for `lib`'s feature `json`, which switches on `lib`'s optional `serde_json`.
        let mut records = vec![
            record("app", vec![Dependency::new("lib", DepKind::Normal, false, None)]),
            record("lib", vec![Dependency::new("serde_json", DepKind::Normal, true, None)]),
        ];
        let features = vec![
            CrateFeatures::new([], vec![FeatureDep { features: vec!["json".into()], ..FeatureDep::default() }]),
            CrateFeatures::new([("json".into(), vec!["dep:serde_json".into()])], vec![FeatureDep::default()]),
        ];
        switch_on(&mut records, &features);
        assert!(records[1].deps[0].by_feature);
    }
}
