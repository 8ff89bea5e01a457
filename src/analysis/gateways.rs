//! Gateways: how concentrated a package's reach is, and which dependents it flows through.
//!
//! Packages like xz's liblzma5 sit under most of an ecosystem through a handful of direct
//! dependents (136 in Debian bookworm, for a reach of 36,049). Direct-dependent counts miss
//! them. Three measures catch the shape:
//! - [`top_gateway`]: the direct dependent whose own reach (plus itself) is largest, and the
//!   share of the package's reach that arrives through it. Cheap: it reads the reach counts.
//! - [`gateway_flag`] (the *xz shape*): reach at least [`FLAG_MIN_SHARE`] of the graph and at
//!   least [`FLAG_RATIO`] times the direct dependents.
//! - [`dominators`]: on the dependents of one package X, which dependents every chain from
//!   many others to X must cross (a dominator tree of the reverse graph rooted at X).

use crate::graph::csr::Csr;

/// The least reach, as a share of all packages, for [`gateway_flag`].
pub const FLAG_MIN_SHARE: f64 = 0.01;
/// The least ratio of reach to direct dependents for [`gateway_flag`].
pub const FLAG_RATIO: u32 = 100;

/// The xz shape: a reach of at least 1% of `n` packages, at least 100 times the direct
/// dependents.
pub fn gateway_flag(direct: u32, reach: u32, n: usize) -> bool {
    reach > 0
        && f64::from(reach) >= FLAG_MIN_SHARE * n as f64
        && u64::from(reach) >= u64::from(FLAG_RATIO) * u64::from(direct)
}

/// For every node with a reach, its direct dependent of largest reach (ties: lowest id) and
/// the share of the node's reach that dependent and its own dependents make up (at most 1).
/// `reverse` is dependency → dependent; `reach` as [`reach`](super::reach::reach) gives it.
///
/// Time O(n + m).
pub fn top_gateway(reverse: &Csr, reach: &[u32]) -> Vec<Option<(u32, f64)>> {
    (0..reverse.len() as u32)
        .map(|v| {
            let r = reach[v as usize];
            let top = reverse
                .neighbors(v)
                .iter()
                .copied()
                .max_by(|&a, &b| reach[a as usize].cmp(&reach[b as usize]).then(b.cmp(&a)))?;
            let carried = (reach[top as usize] + 1).min(r);
            Some((top, f64::from(carried) / f64::from(r)))
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
/// Time O(r + e) per round over the `r` dependents and their `e` edges, with few rounds on
/// dependency graphs; memory O(n).
///
/// ```
/// use keystone::analysis::gateways::dominators;
/// use keystone::graph::csr::Csr;
/// // app1 → gate → x and app2 → gate → x; app3 → x directly.
/// let forward = Csr::from_edges(5, &[(0, 1), (2, 1), (1, 3), (4, 3)]);
/// assert_eq!(dominators(&forward.transpose(), &forward, 3).gateways, vec![(1, 2)]);
/// ```
pub fn dominators(reverse: &Csr, forward: &Csr, x: u32) -> Dominators {
    const NONE: u32 = u32::MAX;
    // Depth-first postorder of the dependents of x (iterative). `post` holds 0 for nodes not
    // seen (fresh zeroed memory, which a small search never touches), `NONE` while a node is
    // on the stack, and its postorder number plus one once finished.
    let mut post = vec![0u32; reverse.len()];
    let mut order: Vec<u32> = Vec::new();
    let mut stack: Vec<(u32, usize)> = vec![(x, 0)];
    post[x as usize] = NONE;
    while let Some((v, i)) = stack.pop() {
        match reverse.neighbors(v).get(i) {
            Some(&w) => {
                stack.push((v, i + 1));
                if post[w as usize] == 0 {
                    post[w as usize] = NONE;
                    stack.push((w, 0));
                }
            }
            None => {
                order.push(v);
                post[v as usize] = order.len() as u32;
            }
        }
    }
    // idom by postorder number; the root x is last.
    let root = order.len() as u32 - 1;
    let mut idom = vec![NONE; order.len()];
    idom[root as usize] = root;
    let intersect = |idom: &[u32], mut a: u32, mut b: u32| {
        while a != b {
            while a < b {
                a = idom[a as usize];
            }
            while b < a {
                b = idom[b as usize];
            }
        }
        a
    };
    // Passes in reverse postorder until nothing changes. Without a cycle among the dependents
    // every predecessor comes first in that order, so the first pass is final and no second
    // pass is needed to confirm it.
    let mut changed = true;
    while changed {
        changed = false;
        let mut cycle = false;
        for i in (0..root).rev() {
            let v = order[i as usize];
            // Predecessors in the reverse graph: v's own dependencies that are dependents of x.
            let mut new = NONE;
            for &p in forward.neighbors(v) {
                let Some(q) = post[p as usize].checked_sub(1) else { continue };
                cycle |= q < i;
                if idom[q as usize] != NONE {
                    new = if new == NONE { q } else { intersect(&idom, q, new) };
                }
            }
            if new != NONE && idom[i as usize] != new {
                idom[i as usize] = new;
                changed = true;
            }
        }
        changed &= cycle;
    }
    // Subtree sizes, children before parents (ascending postorder).
    let mut size = vec![1u32; order.len()];
    for i in 0..root {
        let parent = idom[i as usize];
        size[parent as usize] += size[i as usize];
    }
    let mut gateways: Vec<(u32, u32)> =
        (0..root).filter(|&i| size[i as usize] > 1).map(|i| (order[i as usize], size[i as usize] - 1)).collect();
    gateways.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Dominators { gateways }
}
