//! Fresh-install propagation of a malicious next release: who would install it.
//!
//! If X publishes a malicious next patch release, a fresh install (no lockfile) of a direct
//! dependent D picks it up when D's requirement on X **floats** (admits the next patch after X's
//! latest). From there it spreads hop by hop to every package P whose requirement on an affected
//! package A **admits A's latest** release, since a fresh install of P resolves A to that release,
//! which in turn pulls the malicious X. A dependent that pins A exactly at A's latest is still hit
//! through A's floating requirement on X.
//!
//! Both questions are answered per edge when the graph is built
//! ([`EdgeFlags`](crate::graph::EdgeFlags)); this module
//! turns them into a propagation graph and reuses exact [`reach`](crate::analysis::reach) on it.
//!
//! Limits of the model: it sees each package's latest release only (older releases that other
//! packages pin are not in the graph), and it ignores lockfiles, which stop the spread for
//! installs that honour them.

use crate::analysis::paths::{Bounds, Search};
use crate::analysis::reach::{bounded_reach, BoundedReach, ReachLimits};
use crate::error::Result;
use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::graph::Graph;
use crate::progress::{Progress, Work};

/// The reverse graph of propagation over `2n` nodes: node `v < n` is package `v`, node `n + v`
/// stands for "a malicious next release of `v`". Edges run from a release to the packages whose
/// fresh install takes it: `n + X → D` for each direct dependent `D` whose requirement on `X`
/// floats, and `A → P` for each `P` whose requirement on `A` admits `A`'s latest.
pub fn propagation_graph(graph: &Graph) -> Csr {
    let n = graph.node_count() as u32;
    let mut edges = Vec::new();
    for p in 0..n {
        for (&a, flags) in graph.forward().neighbors(p).iter().zip(graph.edge_flags(p)) {
            if flags.admits_latest() {
                edges.push((a, p));
            }
            if flags.floats() {
                edges.push((n + a, p));
            }
        }
    }
    Csr::from_edges(2 * n as usize, &edges)
}

/// Everything malicious next releases of the packages `xs` reach through fresh installs, with
/// depths and chains (as [`blast`](crate::analysis::paths::blast)); each chain ends at the
/// stand-in node `n + x` of `propagation` ([`propagation_graph`]) of the nearest `x`. A single
/// `x` is never passed through: it is the source of the release, not a package affected by it.
/// Of several, each may be hit by another's release (a fresh install of it takes the other's),
/// and the search goes on through it.
pub fn blast_new_release(propagation: &Csr, xs: &[u32], max_depth: Option<u32>) -> Search {
    let n = propagation.len() as u32 / 2;
    let starts = xs.iter().map(|&x| (n + x, propagation.neighbors(n + x).to_vec())).collect();
    let avoid = if xs.len() == 1 { xs } else { &[] };
    Search::from_starts(propagation, starts, Bounds { max_depth, avoid, ..Bounds::default() })
}

/// For every package X, the number of packages a malicious next release of X reaches through
/// fresh installs (X itself excluded); never more than X's reach. Within `limits` as
/// [`bounded_reach`], which may estimate: then the largest values are re-checked exactly.
///
/// Time and memory: one reach over the propagation graph (twice the nodes).
///
/// # Errors
/// As [`bounded_reach`].
pub fn floating_reach(graph: &Graph, limits: &ReachLimits, progress: &dyn Progress) -> Result<BoundedReach> {
    let n = graph.node_count();
    let propagation = propagation_graph(graph);
    progress.phase("floating reach", Work::Unmeasured);
    let mut result = bounded_reach(&propagation, limits, n..2 * n, progress)?;
    result.values.drain(..n);
    result.estimated.drain(..n.min(result.estimated.len()));
    // Reach over the propagation graph may pass through X itself, which the model does not
    // (X is the source, not an affected package). That needs a cycle through X: recount the
    // packages in cycles of the dependency graph with a search that avoids X.
    let comps = components(graph.forward());
    let sizes = comps.sizes();
    for x in 0..n {
        if sizes[comps.component[x] as usize] > 1 && result.values[x] > 0 {
            result.values[x] = blast_new_release(&propagation, &[x as u32], None).reached.len() as u32;
            if let Some(estimated) = result.estimated.get_mut(x) {
                *estimated = false;
            }
        }
    }
    Ok(result)
}
