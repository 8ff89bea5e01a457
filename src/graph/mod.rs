//! The compact graph every analysis runs on: `u32` node ids, interned names, and the edges as a
//! forward CSR (dependent → dependency) and its transpose (dependency → dependents).
//!
//! Invariants of [`Graph`]:
//! - nodes are sorted by (ecosystem, name), strictly, so ids are deterministic and a name is
//!   found by binary search;
//! - `forward` and `reverse` satisfy the [`csr`] invariants and are each other's transpose;
//! - `edge_flags` and `edge_reqs` hold one entry per forward edge, in forward target order;
//! - [`Meta`] holds one entry per node.

pub mod bitset;
pub mod builder;
pub mod csr;
pub mod scc;
pub mod snapshot;
pub mod visit;

use std::borrow::Cow;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::{normalize_name, Ecosystem, Profile};
use csr::Csr;

/// Strings `0..n` stored back to back: string `i` is `bytes[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrTable {
    bytes: String,
    offsets: Vec<u32>,
}

impl Default for StrTable {
    fn default() -> Self {
        StrTable { bytes: String::new(), offsets: vec![0] }
    }
}

impl StrTable {
    /// Packs `strings` into one table.
    pub fn new<'a>(strings: impl IntoIterator<Item = &'a str>) -> Result<StrTable> {
        let mut table = StrTable { bytes: String::new(), offsets: vec![0] };
        for s in strings {
            table.bytes.push_str(s);
            let end = u32::try_from(table.bytes.len())
                .map_err(|_| Error::Invalid("more than 4 GiB of package names".to_string()))?;
            table.offsets.push(end);
        }
        Ok(table)
    }

    /// Wraps raw parts after checking that every string lies on character boundaries.
    pub fn from_parts(bytes: String, offsets: Vec<u32>) -> Result<StrTable, String> {
        if offsets.first() != Some(&0) || offsets.last().map(|&o| o as usize) != Some(bytes.len()) {
            return Err("string offsets do not span the string bytes".into());
        }
        if offsets.windows(2).any(|w| w[0] > w[1] || !bytes.is_char_boundary(w[1] as usize)) {
            return Err("string offsets are not increasing character boundaries".into());
        }
        Ok(StrTable { bytes, offsets })
    }

    /// String `i`.
    pub fn get(&self, i: u32) -> &str {
        &self.bytes[self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn parts(&self) -> (&str, &[u32]) {
        (&self.bytes, &self.offsets)
    }
}

/// A list of strings per node: node `v`'s strings are entries `offsets[v]..offsets[v + 1]` of
/// `table`. Invariant: `offsets` has `n + 1` non-decreasing entries from 0 to `table.len()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrLists {
    offsets: Vec<u32>,
    table: StrTable,
}

impl StrLists {
    /// Packs one list of strings per node.
    pub fn new<'a, L: IntoIterator<Item = &'a str>>(lists: impl IntoIterator<Item = L>) -> Result<StrLists> {
        let mut offsets = vec![0u32];
        let mut all: Vec<&str> = Vec::new();
        for list in lists {
            all.extend(list);
            offsets.push(
                u32::try_from(all.len()).map_err(|_| Error::Invalid("more than 4 billion list entries".to_string()))?,
            );
        }
        Ok(StrLists { offsets, table: StrTable::new(all)? })
    }

    /// Wraps raw parts after checking the invariant for `n` nodes.
    pub fn from_parts(n: usize, offsets: Vec<u32>, table: StrTable) -> Result<StrLists, String> {
        if offsets.len() != n + 1
            || offsets[0] != 0
            || offsets[n] as usize != table.len()
            || offsets.windows(2).any(|w| w[0] > w[1])
        {
            return Err("list offsets do not span their strings".into());
        }
        Ok(StrLists { offsets, table })
    }

    /// Node `v`'s strings.
    pub fn get(&self, v: u32) -> impl ExactSizeIterator<Item = &str> + '_ {
        (self.offsets[v as usize]..self.offsets[v as usize + 1]).map(|i| self.table.get(i))
    }

    pub(crate) fn parts(&self) -> (&[u32], &StrTable) {
        (&self.offsets, &self.table)
    }
}

/// What the inputs say about each package beyond its dependencies, one entry per node (empty
/// where nothing is known): its upstream project key, the accounts that can publish it, and
/// every release a resolution can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The project key, or `""`.
    pub projects: StrTable,
    /// Qualified account names (`crates/dtolnay`), sorted per node.
    pub maintainers: StrLists,
    /// Release versions.
    pub releases: StrLists,
}

impl Meta {
    /// Nothing known about any of `n` nodes.
    pub fn empty(n: usize) -> Meta {
        let nothing = || StrLists { offsets: vec![0; n + 1], table: StrTable::default() };
        let projects = StrTable { bytes: String::new(), offsets: vec![0; n + 1] };
        Meta { projects, maintainers: nothing(), releases: nothing() }
    }
}

/// What an edge's requirement says about its target's latest release, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeFlags(pub u8);

impl EdgeFlags {
    /// The requirement admits the target's latest release.
    pub const ADMITS_LATEST: u8 = 1;
    /// The requirement admits the next patch release after the latest (it floats).
    pub const FLOATS: u8 = 2;
    /// The requirement could not be read; it is taken to admit and float, so that a possible
    /// compromise is never under-counted.
    pub const UNPARSED: EdgeFlags = EdgeFlags(1 | 2 | 4);

    /// Whether the requirement admits the target's latest release.
    pub fn admits_latest(self) -> bool {
        self.0 & Self::ADMITS_LATEST != 0
    }

    /// Whether the requirement floats.
    pub fn floats(self) -> bool {
        self.0 & Self::FLOATS != 0
    }

    /// Whether the requirement could not be read.
    pub fn unparsed(self) -> bool {
        self.0 & 4 != 0
    }
}

impl From<crate::versions::ReqCheck> for EdgeFlags {
    fn from(check: crate::versions::ReqCheck) -> Self {
        EdgeFlags(
            if check.admits_latest { Self::ADMITS_LATEST } else { 0 } | if check.floats { Self::FLOATS } else { 0 },
        )
    }
}

/// Every table of a [`Graph`], as [`Graph::from_parts`] takes them: one entry per node in
/// `ecosystems`, `names`, `versions` and `meta`; one per edge (in `forward`'s order) in
/// `edge_flags` and `edge_reqs`.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Each node's ecosystem.
    pub ecosystems: Vec<Ecosystem>,
    /// Each node's name; nodes sorted by (ecosystem, name), no two alike.
    pub names: StrTable,
    /// Each node's version, or `""`.
    pub versions: StrTable,
    /// Dependent → dependency edges.
    pub forward: Csr,
    /// The transpose of `forward`.
    pub reverse: Csr,
    /// Each edge's [`EdgeFlags`] bits.
    pub edge_flags: Vec<u8>,
    /// Each edge's requirement as written, or `""`.
    pub edge_reqs: StrTable,
    /// The dependency kinds the edges were built from.
    pub profile: Profile,
    /// Projects, maintainers and releases.
    pub meta: Meta,
}

/// A dependency graph over packages of one or more ecosystems.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    ecosystems: Vec<Ecosystem>,
    names: StrTable,
    versions: StrTable,
    forward: Csr,
    reverse: Csr,
    edge_flags: Vec<u8>,
    edge_reqs: StrTable,
    profile: Profile,
    meta: Meta,
}

impl Graph {
    /// Assembles a graph from its parts, checking every invariant (used for untrusted data).
    /// `reverse` must be the transpose of `forward`: that is checked by comparing keyed digests
    /// of their edge sets, with a key drawn afresh for each call, so a crafted file cannot
    /// arrange a match.
    pub fn from_parts(parts: Parts) -> Result<Graph, String> {
        let Parts { ecosystems, names, versions, forward, reverse, edge_flags, edge_reqs, profile, meta } = parts;
        let n = ecosystems.len();
        if names.len() != n || versions.len() != n || forward.len() != n || meta.projects.len() != n {
            return Err("node tables differ in length".into());
        }
        let m = forward.targets().len();
        if edge_flags.len() != m || edge_reqs.len() != m || edge_flags.iter().any(|&f| f > 7) {
            return Err("edge tables differ in length from the edges, or hold unknown flags".into());
        }
        let unsorted = (1..n)
            .into_par_iter()
            .find_first(|&i| (ecosystems[i - 1], names.get(i as u32 - 1)) >= (ecosystems[i], names.get(i as u32)));
        if let Some(i) = unsorted {
            return Err(format!("package names are not strictly sorted at node {i}"));
        }
        if meta.maintainers.offsets.len() != n + 1 || meta.releases.offsets.len() != n + 1 {
            return Err("per-package lists differ in length from the packages".into());
        }
        let key = std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), 0u8);
        if reverse.len() != n || reverse.edge_count() != m || forward.digest(key) != reverse.transposed_digest(key) {
            return Err("the reverse edges are not the transpose of the forward edges".into());
        }
        Ok(Graph { ecosystems, names, versions, forward, reverse, edge_flags, edge_reqs, profile, meta })
    }

    /// Number of packages.
    pub fn node_count(&self) -> usize {
        self.ecosystems.len()
    }

    /// Number of dependency edges.
    pub fn edge_count(&self) -> usize {
        self.forward.edge_count()
    }

    /// Edges from each dependent to its dependencies.
    pub fn forward(&self) -> &Csr {
        &self.forward
    }

    /// Edges from each dependency to its direct dependents.
    pub fn reverse(&self) -> &Csr {
        &self.reverse
    }

    /// The flags of `v`'s dependency edges, aligned with `forward().neighbors(v)`.
    pub fn edge_flags(&self, v: u32) -> impl Iterator<Item = EdgeFlags> + '_ {
        let range = self.forward.offsets()[v as usize] as usize..self.forward.offsets()[v as usize + 1] as usize;
        self.edge_flags[range].iter().map(|&f| EdgeFlags(f))
    }

    /// Whether every edge's requirement admits the latest release and floats (as an edge
    /// without a requirement does).
    pub fn every_edge_floats(&self) -> bool {
        self.edge_flags.iter().all(|&f| EdgeFlags(f).admits_latest() && EdgeFlags(f).floats())
    }

    /// The requirement of `v`'s `i`-th dependency edge (in `forward().neighbors(v)` order),
    /// empty when none was given.
    pub fn edge_req(&self, v: u32, i: usize) -> &str {
        self.edge_reqs.get(self.forward.offsets()[v as usize] + i as u32)
    }

    /// Which dependencies the edges follow.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Package `v`'s name within its ecosystem.
    pub fn name(&self, v: u32) -> &str {
        self.names.get(v)
    }

    /// Package `v`'s ecosystem.
    pub fn ecosystem(&self, v: u32) -> Ecosystem {
        self.ecosystems[v as usize]
    }

    /// The version of `v` whose dependencies the graph holds, if known.
    pub fn version(&self, v: u32) -> Option<&str> {
        Some(self.versions.get(v)).filter(|s| !s.is_empty())
    }

    /// The upstream project key of `v` (Debian source, normalised repository), if known.
    pub fn project(&self, v: u32) -> Option<&str> {
        Some(self.meta.projects.get(v)).filter(|s| !s.is_empty())
    }

    /// The accounts that can publish `v` (`crates/dtolnay`), sorted; empty when unknown.
    pub fn maintainers(&self, v: u32) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.meta.maintainers.get(v)
    }

    /// Every release of `v` a new resolution can pick, in input order; where the input lists
    /// none, the version the graph holds (if any).
    pub fn releases(&self, v: u32) -> Vec<&str> {
        let listed: Vec<&str> = self.meta.releases.get(v).collect();
        if listed.is_empty() {
            self.version(v).into_iter().collect()
        } else {
            listed
        }
    }

    /// The ecosystems present, ascending.
    pub fn ecosystems(&self) -> Vec<Ecosystem> {
        // Nodes are grouped by ecosystem, ascending: one binary search per ecosystem.
        let mut present: Vec<Ecosystem> = Vec::new();
        let mut at = 0;
        while let Some(&e) = self.ecosystems.get(at) {
            present.push(e);
            at = self.ecosystems.partition_point(|&x| x <= e);
        }
        present
    }

    /// The graph with `extra` dependent → dependency edges added, as dependencies with no
    /// requirement (they admit every release and float, like an unversioned dependency); an
    /// edge already present keeps its own requirement.
    pub fn with_edges(&self, extra: &[(u32, u32)]) -> Graph {
        let n = self.node_count() as u32;
        // Each edge with its flags and the index of its requirement (u32::MAX: none).
        let mut edges: Vec<(u32, u32)> = Vec::with_capacity(self.edge_count() + extra.len());
        let mut data: Vec<(u8, u32)> = Vec::with_capacity(edges.capacity());
        for v in 0..n {
            let start = self.forward.offsets()[v as usize];
            for (i, &w) in self.forward.neighbors(v).iter().enumerate() {
                edges.push((v, w));
                data.push((self.edge_flags[start as usize + i], start + i as u32));
            }
        }
        let unversioned = EdgeFlags::from(crate::versions::ReqCheck::ANY).0;
        edges.extend_from_slice(extra);
        data.extend(extra.iter().map(|_| (unversioned, u32::MAX)));
        // Rows are sorted stably, so an edge already present comes first and is kept.
        let (forward, data) = Csr::from_edges_with(n as usize, &edges, &data, |_, _| {});
        let reqs = data.iter().map(|&(_, i)| if i == u32::MAX { "" } else { self.edge_reqs.get(i) });
        Graph {
            edge_flags: data.iter().map(|&(flags, _)| flags).collect(),
            edge_reqs: StrTable::new(reqs).expect("requirements of a valid graph fit again"),
            reverse: forward.transpose(),
            forward,
            ..self.clone()
        }
    }

    /// The edges of an alias file's [`bindings`](crate::ingest::side::Aliases::bindings),
    /// binding → library, with names read as [`find`](Graph::find) reads them. A binding
    /// naming an ecosystem the graph does not hold is skipped (one alias file serves graphs
    /// of any ecosystems), as the second item says; any other unknown name is an error.
    pub fn binding_edges(
        &self,
        bindings: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Result<(Vec<(u32, u32)>, usize)> {
        let present = self.ecosystems();
        let absent = |name: &str| Ecosystem::split_qualified(name).is_some_and(|(eco, _)| !present.contains(&eco));
        let (mut edges, mut skipped) = (Vec::new(), 0);
        for (binding, libraries) in bindings {
            for library in libraries {
                if absent(binding) || absent(library) {
                    skipped += 1;
                } else {
                    edges.push((self.find(binding)?, self.find(library)?));
                }
            }
        }
        Ok((edges, skipped))
    }

    /// How `v` is named to users: the bare name when the graph holds one ecosystem, else
    /// `ecosystem/name`.
    pub fn display_name(&self, v: u32) -> String {
        let single = self.ecosystems.first() == self.ecosystems.last();
        if single {
            self.name(v).to_string()
        } else {
            format!("{}/{}", self.ecosystem(v), self.name(v))
        }
    }

    /// The node of `ecosystem/name`, if present.
    pub fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Option<u32> {
        let n = self.node_count() as u32;
        let (mut lo, mut hi) = (0u32, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if (self.ecosystem(mid), self.name(mid)) < (ecosystem, name) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < n && self.ecosystem(lo) == ecosystem && self.name(lo) == name).then_some(lo)
    }

    /// Each node's project as a dense id (equal ids, equal projects), or `u32::MAX` for a
    /// node with none.
    pub fn project_ids(&self) -> Vec<u32> {
        let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        (0..self.node_count() as u32)
            .map(|v| match self.project(v) {
                Some(project) => {
                    let next = ids.len() as u32;
                    *ids.entry(project).or_insert(next)
                }
                None => u32::MAX,
            })
            .collect()
    }

    /// The nodes of `ecosystem`, a range of ids (nodes are sorted by ecosystem, then name).
    pub fn range_of(&self, ecosystem: Ecosystem) -> std::ops::Range<u32> {
        let start = self.ecosystems.partition_point(|&e| e < ecosystem) as u32;
        let end = self.ecosystems.partition_point(|&e| e <= ecosystem) as u32;
        start..end
    }

    /// The node of `ecosystem` that its registry reads `name` as: the exact name if present,
    /// else the first node (lowest id) whose name is equal under [`normalize_name`]. A scan of
    /// the ecosystem when the name is not exact; for many names at once, see [`Graph::names_of`].
    pub fn resolve(&self, ecosystem: Ecosystem, name: &str) -> Option<u32> {
        self.lookup(ecosystem, name).or_else(|| {
            let wanted = normalize_name(ecosystem, name);
            self.range_of(ecosystem).find(|&v| normalize_name(ecosystem, self.name(v)) == wanted)
        })
    }

    /// Every node of `ecosystem` by its name under [`normalize_name`] (the lowest id where two
    /// names are equal under it), for resolving many names at once.
    pub fn names_of(&self, ecosystem: Ecosystem) -> std::collections::HashMap<String, u32> {
        let mut names = std::collections::HashMap::new();
        for v in self.range_of(ecosystem) {
            names.entry(normalize_name(ecosystem, self.name(v)).into_owned()).or_insert(v);
        }
        names
    }

    /// Finds the package a user means by `query`: a bare name, or `ecosystem/name`
    /// (`crates/serde`, `debian/libssl3`), each name read as its registry reads it
    /// ([`Graph::resolve`]: `Unicode_Ident`, `pypi/URLLib3`, `LibLzma5:amd64`). A bare name that
    /// several ecosystems read as one of theirs is ambiguous; an unknown name's error carries
    /// close names from the ecosystem named (from all, when none is); an unknown ecosystem
    /// prefix is an error listing the graph's ecosystems.
    pub fn find(&self, query: &str) -> Result<u32> {
        if let Some((prefix, rest)) = query.split_once('/') {
            match prefix.parse::<Ecosystem>() {
                Ok(eco) => return self.resolve(eco, rest).ok_or_else(|| self.unknown(query, rest, Some(eco))),
                // An npm scope (`@babel/core`) or a name that holds a `/` is a bare name.
                Err(_)
                    if prefix.starts_with('@')
                        || self.ecosystems().iter().any(|&e| self.lookup(e, query).is_some()) => {}
                Err(_) => {
                    return Err(Error::UnknownEcosystem {
                        prefix: prefix.to_string(),
                        present: self.ecosystems().iter().map(|e| e.to_string()).collect(),
                    })
                }
            }
        }
        let hits: Vec<u32> = self.ecosystems().into_iter().filter_map(|e| self.resolve(e, query)).collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(self.unknown(query, query, None)),
            many => Err(Error::AmbiguousPackage {
                name: query.to_string(),
                candidates: many.iter().map(|&v| format!("{}/{}", self.ecosystem(v), self.name(v))).collect(),
            }),
        }
    }

    /// The error for an unknown `query`, with up to five names of `ecosystem` (of every
    /// ecosystem when `None`) close to `name` as their registries read names ([`close`]).
    fn unknown(&self, query: &str, name: &str, ecosystem: Option<Ecosystem>) -> Error {
        let ecosystems = ecosystem.map_or_else(|| self.ecosystems(), |e| vec![e]);
        let names: Vec<(Ecosystem, Cow<'_, str>)> =
            ecosystems.into_iter().map(|e| (e, normalize_name(e, name))).collect();
        let candidates = names
            .iter()
            .flat_map(|(e, name)| self.range_of(*e).map(move |v| (name.as_ref(), normalize_name(*e, self.name(v)), v)));
        Error::UnknownPackage {
            name: query.to_string(),
            suggestions: close(candidates).into_iter().map(|v| self.display_name(v)).collect(),
        }
    }
}

/// Up to five of `candidates` — `(name asked for, candidate's name, candidate)`, both names as
/// the registry reads them — close to the name asked for: those that start with it (shortest
/// first), then those with a Jaro-Winkler similarity of 0.85 or more (most similar first); ties
/// by length, then the order given.
pub fn close<'a, T>(candidates: impl Iterator<Item = (&'a str, Cow<'a, str>, T)>) -> Vec<T> {
    let mut scored: Vec<(bool, f64, usize, usize, T)> = candidates
        .enumerate()
        .filter_map(|(i, (name, candidate, t))| {
            let prefix = candidate.starts_with(name);
            let similarity = strsim::jaro_winkler(name, &candidate);
            let rank = if prefix { 0.0 } else { -similarity };
            (prefix || similarity >= 0.85).then_some((!prefix, rank, candidate.len(), i, t))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then((a.2, a.3).cmp(&(b.2, b.3))));
    scored.into_iter().take(5).map(|s| s.4).collect()
}
