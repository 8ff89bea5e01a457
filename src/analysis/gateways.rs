//! Gateways: how concentrated a package's reach is, and which dependents it flows through.
//!
//! Packages like xz's liblzma5 sit under most of an ecosystem through a handful of direct
//! dependents (136 in Debian bookworm, for a reach of 36,049). Direct-dependent counts miss
//! them. Three measures catch the shape:
//! - [`top_gateway`]: where a package's reach enters from outside its own upstream project.
//!   Its *front* is the package and the packages of its project that depend on it, directly or
//!   through other packages of the project; the front's direct dependents outside the project
//!   are the package's *outside dependents* (for a package with no project, its direct
//!   dependents). The top gateway is the outside dependent whose own reach (plus itself) is
//!   largest, with the share of the package's reach that arrives through it. So serde_core's
//!   reach, which arrives through serde of its own project, is measured at serde's dependents.
//! - [`gateway_flag`] (the *xz shape*): reach at least [`FLAG_MIN_SHARE`] of the graph and at
//!   least [`FLAG_RATIO`] times the outside dependents.
//! - [`dominators`]: on the dependents of one package X, which dependents every chain from
//!   many others to X must cross (a dominator tree of the reverse graph rooted at X);
//!   [`of_search`] the same for what a search from several sources reached, through the edges
//!   it could follow (the union a `blast` of several targets, or of a scenario, hits).

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::paths::Search;
use crate::graph::bitset::Bitset;
use crate::graph::csr::Csr;

/// The least reach, as a share of all packages, for [`gateway_flag`].
pub const FLAG_MIN_SHARE: f64 = 0.01;
/// The least ratio of reach to direct dependents for [`gateway_flag`].
pub const FLAG_RATIO: u32 = 100;

/// The xz shape: a reach of at least 1% of `n` packages, at least 100 times the outside
/// dependents (`direct`: [`TopGateway::dependents`]).
pub fn gateway_flag(direct: u32, reach: u32, n: usize) -> bool {
    reach > 0
        && f64::from(reach) >= FLAG_MIN_SHARE * n as f64
        && u64::from(reach) >= u64::from(FLAG_RATIO) * u64::from(direct)
}

/// No project ([`top_gateway`]'s `projects`).
pub const NO_PROJECT: u32 = u32::MAX;

/// Where one package's reach enters from outside its project (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopGateway {
    /// How many outside dependents it has.
    pub dependents: u32,
    /// The outside dependent of largest reach (ties: lowest id) and the share of the package's
    /// reach that it and its own dependents make up (at most 1); `None` without any.
    pub top: Option<(u32, f64)>,
}

/// For every node, its outside dependents and top gateway. `reverse` is dependency →
/// dependent; `reach` as [`reach`](super::reach::reach) gives it; `projects` gives each node's
/// project id, or [`NO_PROJECT`].
///
/// Time O(n + m) plus, for each node with a project, the edges among its project's packages.
pub fn top_gateway(reverse: &Csr, reach: &[u32], projects: &[u32]) -> Vec<TopGateway> {
    // A package with no project reads its row as it is; only a project's front is gathered.
    let outside = |v: u32| -> Cow<'_, [u32]> {
        let project = projects[v as usize];
        if project == NO_PROJECT {
            return Cow::Borrowed(reverse.neighbors(v));
        }
        let (mut front, mut outside) = (vec![v], Vec::new());
        let mut seen: FxHashSet<u32> = FxHashSet::from_iter([v]);
        let mut next = 0;
        while let Some(&u) = front.get(next) {
            next += 1;
            for &d in reverse.neighbors(u) {
                if projects[d as usize] != project {
                    outside.push(d);
                } else if seen.insert(d) {
                    front.push(d);
                }
            }
        }
        outside.sort_unstable();
        outside.dedup();
        Cow::Owned(outside)
    };
    (0..reverse.len() as u32)
        .into_par_iter()
        .map(|v| {
            let dependents = outside(v);
            let r = reach[v as usize];
            let top = dependents
                .iter()
                .copied()
                .max_by(|&a, &b| reach[a as usize].cmp(&reach[b as usize]).then(b.cmp(&a)))
                .map(|top| (top, f64::from((reach[top as usize] + 1).min(r)) / f64::from(r)));
            TopGateway { dependents: dependents.len() as u32, top }
        })
        .collect()
}

/// The dependents of one package X that others' chains to X must cross.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dominators {
    /// `(gateway, dominated)`: for each dependent of X that dominates others, how many other
    /// dependents reach X only through it; most dominated first, ties by id.
    pub gateways: Vec<(u32, u32)>,
}

/// The dominator tree of the dependents of `x` over `reverse` (dependency → dependent), by the
/// iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance Algorithm").
/// A dependent D dominates a dependent P when every chain of dependencies from P down to `x`
/// passes through D.
///
/// Most dependents are packages nobody depends on (leaves of the reverse graph), which
/// dominate nothing. The algorithm runs on the others. Meanwhile their edges into leaves are
/// filed by the leaf's block of ids; each block then gives its leaves, in parallel, the
/// nearest common dominator of their dependencies among the others.
///
/// Time O(r + e) per round over the `r` dependents with dependents of their own and their `e`
/// edges, with few rounds on dependency graphs, plus O(e') for the `e'` edges into leaves;
/// memory O(n + e').
///
/// ```
/// use keystone::analysis::gateways::dominators;
/// use keystone::graph::csr::Csr;
/// // app1 → gate → x and app2 → gate → x; app3 → x directly.
/// let forward = Csr::from_edges(5, &[(0, 1), (2, 1), (1, 3), (4, 3)]);
/// assert_eq!(dominators(&forward.transpose(), &forward, 3).gateways, vec![(1, 2)]);
/// ```
pub fn dominators(reverse: &Csr, forward: &Csr, x: u32) -> Dominators {
    let mut leaves = Leaves { reverse, bits: None, tested: 0 };
    // Depth-first postorder of the dependents of x that are not leaves (iterative). `post`
    // holds 0 for nodes not seen (fresh zeroed memory, which a small search never touches),
    // `NONE` while a node is on the stack, and its postorder number plus one once finished.
    let mut post = vec![0u32; reverse.len()];
    let mut order: Vec<u32> = Vec::new();
    let mut stack: Vec<(u32, usize)> = vec![(x, 0)];
    post[x as usize] = NONE;
    while let Some((v, i)) = stack.last_mut() {
        // The next dependent of v to descend into, if any is left.
        let row = reverse.neighbors(*v);
        match row[*i..].iter().position(|&w| !leaves.test(w) && post[w as usize] == 0) {
            Some(k) => {
                let w = row[*i + k];
                *i += k + 1;
                post[w as usize] = NONE;
                stack.push((w, 0));
            }
            None => {
                order.push(*v);
                post[*v as usize] = order.len() as u32;
                stack.pop();
            }
        }
    }
    let root = order.len() as u32 - 1;
    // The dominators of the others, and the edges into leaves filed, at once.
    let (idom, filed) = rayon::join(|| others(forward, &post, &order), || file(reverse, &leaves, &order));
    // Per block of `BLOCK` ids, each leaf's dominator (postorder number plus one, 0 for none
    // yet) is built up in a scratch array that stays in cache, then counted and cleared.
    // Updating one n-sized array at random, once per edge, took three times as long.
    let zeros = || vec![0u32; order.len()];
    let resolve = |(mut size, mut common): (Vec<u32>, Vec<u32>), b: usize| {
        let edges = || filed.iter().flat_map(|f| &f[b]);
        for &(w, i) in edges() {
            let c = &mut common[w as usize % BLOCK];
            *c = 1 + if *c == 0 { i } else { intersect(&idom, *c - 1, i) };
        }
        for &(w, _) in edges() {
            if let Some(d) = std::mem::take(&mut common[w as usize % BLOCK]).checked_sub(1) {
                size[d as usize] += 1;
            }
        }
        (size, common)
    };
    let add = |a: Vec<u32>, b: Vec<u32>| a.iter().zip(b).map(|(x, y)| x + y).collect();
    let blocks = reverse.len().div_ceil(BLOCK);
    let mut size = (0..blocks)
        .into_par_iter()
        .fold(|| (zeros(), vec![0u32; BLOCK]), resolve)
        .map(|(size, _)| size)
        .reduce(zeros, add);
    // Subtree sizes, children before parents (ascending postorder).
    for i in 0..root {
        size[i as usize] += 1;
        let parent = idom[i as usize];
        size[parent as usize] += size[i as usize];
    }
    let mut gateways: Vec<(u32, u32)> =
        (0..root).filter(|&i| size[i as usize] > 1).map(|i| (order[i as usize], size[i as usize] - 1)).collect();
    gateways.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Dominators { gateways }
}

/// The dominators of what `search` reached over `graph` (the graph it searched): the dominator
/// tree of the nodes reached, below a root standing for all the sources, over the edges the
/// search could follow (from a source, only its first steps; from a node reached, every edge to
/// another node reached). Sources are not listed: they are what the others reach.
///
/// Time and memory O(r + e) for the `r` nodes reached and the `e` edges among them.
///
/// ```
/// use keystone::analysis::gateways::of_search;
/// use keystone::analysis::paths::{Bounds, Search};
/// use keystone::graph::csr::Csr;
/// // Sources 0 and 1; 2 depends on both, 3 and 4 on 2 alone, 5 on 1 alone.
/// let reverse = Csr::from_edges(6, &[(0, 2), (1, 2), (2, 3), (2, 4), (1, 5)]);
/// let search = Search::from_starts(&reverse, vec![(0, vec![2]), (1, vec![2, 5])], Bounds::default());
/// assert_eq!(of_search(&search, &reverse).gateways, vec![(2, 2)]);
/// ```
pub fn of_search(search: &Search, graph: &Csr) -> Dominators {
    // Local ids: 0 the root, then the sources, then the nodes reached.
    let mut local: FxHashMap<u32, u32> = FxHashMap::default();
    let nodes: Vec<u32> = search.sources.iter().map(|s| s.0).chain(search.reached.iter().copied()).collect();
    for (i, &v) in nodes.iter().enumerate() {
        local.insert(v, i as u32 + 1);
    }
    let sources = search.sources.len();
    let mut edges: Vec<(u32, u32)> = (1..=sources as u32).map(|s| (0, s)).collect();
    for (i, &v) in nodes.iter().enumerate() {
        let next = if i < sources { search.sources[i].1.as_slice() } else { graph.neighbors(v) };
        let from = i as u32 + 1;
        edges.extend(next.iter().filter_map(|w| local.get(w)).filter(|&&w| w as usize > sources).map(|&w| (from, w)));
    }
    let sub = Csr::from_edges(nodes.len() + 1, &edges);
    let mut gateways: Vec<(u32, u32)> = dominators(&sub, &sub.transpose(), 0)
        .gateways
        .into_iter()
        .filter(|&(g, _)| g as usize > sources)
        .map(|(g, dominated)| (nodes[g as usize - 1], dominated))
        .collect();
    gateways.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Dominators { gateways }
}

/// The immediate dominators of the dependents in `order` (depth-first postorder, the root x
/// last), by postorder number; `post` gives each node's number plus one.
fn others(forward: &Csr, post: &[u32], order: &[u32]) -> Vec<u32> {
    let root = order.len() as u32 - 1;
    let mut idom = vec![NONE; order.len()];
    idom[root as usize] = root;
    // The nearest common dominator of `v`'s dependencies seen so far (postorder numbers), or
    // NONE if none has a dominator yet; and whether one comes later in reverse postorder.
    let common = |idom: &[u32], v: u32, i: u32| {
        let (mut new, mut cycle) = (NONE, false);
        for &p in forward.neighbors(v) {
            let Some(q) = post[p as usize].checked_sub(1) else { continue };
            cycle |= q < i;
            if idom[q as usize] != NONE {
                new = if new == NONE { q } else { intersect(idom, q, new) };
            }
        }
        (new, cycle)
    };
    // Passes in reverse postorder until nothing changes. Without a cycle among the dependents
    // every predecessor comes first in that order, so the first pass is final and no second
    // pass is needed to confirm it.
    let mut changed = true;
    while changed {
        changed = false;
        let mut cycle = false;
        for i in (0..root).rev() {
            // Predecessors in the reverse graph: v's own dependencies that are dependents of x.
            let (new, back) = common(&idom, order[i as usize], i);
            cycle |= back;
            if new != NONE && idom[i as usize] != new {
                idom[i as usize] = new;
                changed = true;
            }
        }
        changed &= cycle;
    }
    idom
}

/// The edges from the dependents in `order` into leaves, as (leaf, postorder number), filed
/// by the block of [`BLOCK`] ids the leaf is in: one list per block from each of a few slices
/// of `order`, filed at once.
fn file(reverse: &Csr, leaves: &Leaves<'_>, order: &[u32]) -> Vec<Vec<Vec<(u32, u32)>>> {
    let slice = order.len().div_ceil(rayon::current_num_threads());
    order
        .par_chunks(slice)
        .enumerate()
        .map(|(s, nodes)| {
            // Sized for edges spread evenly over the blocks, with an eighth to spare, so that
            // the lists seldom grow (each growth copies a list into fresh memory).
            let blocks = reverse.len().div_ceil(BLOCK);
            let even = nodes.iter().map(|&u| reverse.degree(u)).sum::<usize>() / blocks;
            let mut filed: Vec<Vec<(u32, u32)>> = (0..blocks).map(|_| Vec::with_capacity(even + even / 8)).collect();
            for (i, &u) in (s * slice..).zip(nodes) {
                for &w in reverse.neighbors(u).iter().filter(|&&w| leaves.get(w)) {
                    filed[w as usize / BLOCK].push((w, i as u32));
                }
            }
            filed
        })
        .collect()
}

/// Which nodes are leaves of the reverse graph (have no dependents). A search reads it from
/// the graph's offsets, one random access per test, until it has tested as many edges as a
/// sixteenth of the nodes; then it builds a bitset of them all, which stays in cache. Small
/// searches so stay in proportion to their size, and large ones get the fast test.
struct Leaves<'g> {
    reverse: &'g Csr,
    bits: Option<Bitset>,
    tested: usize,
}

impl Leaves<'_> {
    fn test(&mut self, v: u32) -> bool {
        self.tested += 1;
        if self.bits.is_none() && self.tested > self.reverse.len() / 16 {
            self.bits = Some(self.reverse.sinks());
        }
        self.get(v)
    }

    fn get(&self, v: u32) -> bool {
        match &self.bits {
            Some(bits) => bits.contains(v),
            None => self.reverse.degree(v) == 0,
        }
    }
}

/// No node (a postorder number or dominator not yet known), or a node on the search's stack.
const NONE: u32 = u32::MAX;

/// How many consecutive ids [`dominators`] resolves leaves for at once: 256 KiB of scratch,
/// which stays in a core's cache.
const BLOCK: usize = 1 << 16;

/// The nearest common ancestor of `a` and `b` in the tree `idom`, numbered so that a parent is
/// numbered above its children.
fn intersect(idom: &[u32], mut a: u32, mut b: u32) -> u32 {
    while a != b {
        while a < b {
            a = idom[a as usize];
        }
        while b < a {
            b = idom[b as usize];
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::{top_gateway, NO_PROJECT};
    use crate::analysis::reach::reach;
    use crate::graph::csr::Csr;
    use crate::progress::NoProgress;

    /// serde_core (0) is depended on by serde (1) of its own project and by one outside package
    /// (2); serde has many dependents (3..10). Without projects, serde is serde_core's gateway;
    /// with them, its reach enters through serde's dependents, and the outside dependents are
    /// serde's and (2).
    #[test]
    fn same_project_dependents_are_part_of_the_front() {
        let mut forward = vec![(1, 0), (2, 0)];
        forward.extend((3..10).map(|v| (v, 1)));
        let reverse = Csr::from_edges(10, &forward).transpose();
        let reach = reach(&reverse, &NoProgress);
        let plain = top_gateway(&reverse, &reach, &[NO_PROJECT; 10]);
        assert_eq!((plain[0].dependents, plain[0].top.map(|t| t.0)), (2, Some(1)));
        let mut projects = [NO_PROJECT; 10];
        projects[0] = 7;
        projects[1] = 7;
        let split = top_gateway(&reverse, &reach, &projects);
        assert_eq!(split[0].dependents, 8);
        assert_eq!(split[0].top, Some((2, 1.0 / 9.0)));
        // serde itself is unchanged: its dependents are all outside the project.
        assert_eq!(split[1], plain[1]);
    }
}
