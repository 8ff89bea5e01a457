//! Slow, obvious versions of the fast algorithms, for tests and benchmarks to compare against.
//! Each is written for clarity, not speed: do not call them on real ecosystems.

use std::collections::VecDeque;

use crate::graph::csr::Csr;

/// All nodes reachable from `source` along `graph`'s edges, `source` excluded; and their
/// shortest distances (`u32::MAX` where unreachable).
pub(crate) fn bfs_distances(graph: &Csr, source: u32) -> Vec<u32> {
    let mut dist = vec![u32::MAX; graph.len()];
    dist[source as usize] = 0;
    let mut queue = VecDeque::from([source]);
    while let Some(v) = queue.pop_front() {
        for &w in graph.neighbors(v) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    dist
}

/// Reach by one BFS per node over the dependency → dependent edges `reverse`.
pub(crate) fn reach(reverse: &Csr) -> Vec<u32> {
    (0..reverse.len() as u32)
        .map(|x| bfs_distances(reverse, x).iter().filter(|&&d| d != u32::MAX && d > 0).count() as u32)
        .collect()
}

/// Dependents at shortest depth 1, 2, 3 by one full BFS per node.
pub(crate) fn depth_counts(reverse: &Csr) -> Vec<[u32; 3]> {
    (0..reverse.len() as u32)
        .map(|x| {
            let mut counts = [0u32; 3];
            for d in bfs_distances(reverse, x) {
                if (1..=3).contains(&d) {
                    counts[d as usize - 1] += 1;
                }
            }
            counts
        })
        .collect()
}

/// Floating reach by one two-phase BFS per node: from X, first the dependents whose edge to X
/// floats, then, hop by hop, dependents whose edge admits the latest. `flags` is aligned with
/// `forward`'s targets ([`crate::graph::EdgeFlags`] bits).
pub(crate) fn floating_reach(forward: &Csr, flags: &[u8]) -> Vec<u32> {
    let n = forward.len() as u32;
    let edges: Vec<(u32, u32, u8)> = (0..n)
        .flat_map(|p| {
            let start = forward.offsets()[p as usize] as usize;
            forward.neighbors(p).iter().enumerate().map(move |(i, &a)| (p, a, flags[start + i]))
        })
        .collect();
    (0..n)
        .map(|x| {
            let mut seen = vec![false; n as usize];
            seen[x as usize] = true;
            let mut queue: VecDeque<u32> = VecDeque::new();
            for &(d, a, f) in &edges {
                if a == x && f & 2 != 0 && !seen[d as usize] {
                    seen[d as usize] = true;
                    queue.push_back(d);
                }
            }
            let mut count = queue.len() as u32;
            while let Some(a) = queue.pop_front() {
                for &(p, target, f) in &edges {
                    if target == a && f & 1 != 0 && !seen[p as usize] {
                        seen[p as usize] = true;
                        count += 1;
                        queue.push_back(p);
                    }
                }
            }
            count
        })
        .collect()
}

/// Strongly connected components as a partition label per node: two nodes share a label iff
/// each reaches the other. The label is the smallest node id of the component.
pub(crate) fn scc_labels(graph: &Csr) -> Vec<u32> {
    let n = graph.len();
    let reaches: Vec<Vec<u32>> = (0..n as u32).map(|v| bfs_distances(graph, v)).collect();
    (0..n)
        .map(|v| (0..n).find(|&u| reaches[v][u] != u32::MAX && reaches[u][v] != u32::MAX).unwrap_or(v) as u32)
        .collect()
}

/// PageRank by plain sequential push iteration along dependent → dependency edges, a fixed
/// number of rounds.
pub(crate) fn pagerank(forward: &Csr, damping: f64, rounds: usize) -> Vec<f64> {
    let n = forward.len();
    let mut scores = vec![1.0 / n as f64; n];
    for _ in 0..rounds {
        let mut next = vec![(1.0 - damping) / n as f64; n];
        for v in 0..n as u32 {
            let out = forward.neighbors(v);
            if out.is_empty() {
                for x in next.iter_mut() {
                    *x += damping * scores[v as usize] / n as f64;
                }
            } else {
                for &w in out {
                    next[w as usize] += damping * scores[v as usize] / out.len() as f64;
                }
            }
        }
        scores = next;
    }
    scores
}

/// Distinct dependents outside each group (members' union of reach minus the members), by one
/// BFS per member.
pub(crate) fn group_reach(reverse: &Csr, members: &[Vec<u32>]) -> Vec<u32> {
    group_weighted_reach(reverse, members, &vec![1.0; reverse.len()]).into_iter().map(|r| r as u32).collect()
}

/// The `weights` of each group's outside dependents at any depth, summed once each, by one
/// BFS per member.
pub(crate) fn group_weighted_reach(reverse: &Csr, members: &[Vec<u32>], weights: &[f64]) -> Vec<f64> {
    members
        .iter()
        .map(|group| {
            let mut hit = vec![false; reverse.len()];
            for &m in group {
                bfs_distances(reverse, m)
                    .iter()
                    .enumerate()
                    .filter(|(_, &d)| d != u32::MAX)
                    .for_each(|(v, _)| hit[v] = true);
            }
            group.iter().for_each(|&m| hit[m as usize] = false);
            hit.iter().zip(weights).filter(|(&h, _)| h).map(|(_, w)| w).sum()
        })
        .collect()
}

/// Weighted reach by one BFS per node.
pub(crate) fn weighted_reach(reverse: &Csr, weights: &[f64]) -> Vec<f64> {
    (0..reverse.len() as u32)
        .map(|x| {
            let dist = bfs_distances(reverse, x);
            dist.iter().zip(weights).filter(|(&d, _)| d != u32::MAX && d > 0).map(|(_, w)| w).sum()
        })
        .collect()
}

/// For every dependent D of `x`, how many other dependents stop reaching `x` when D is
/// removed: D's dominated count, by one BFS per dependent.
pub(crate) fn dominated(reverse: &Csr, x: u32) -> Vec<(u32, u32)> {
    let all = bfs_distances(reverse, x);
    let reached = all.iter().filter(|&&d| d != u32::MAX && d > 0).count();
    let mut out = Vec::new();
    for d in 0..reverse.len() as u32 {
        if d == x || all[d as usize] == u32::MAX {
            continue;
        }
        // BFS from x never entering d.
        let mut seen = vec![false; reverse.len()];
        let (mut queue, mut count) = (VecDeque::from([x]), 0usize);
        seen[x as usize] = true;
        seen[d as usize] = true;
        while let Some(v) = queue.pop_front() {
            for &w in reverse.neighbors(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    count += 1;
                    queue.push_back(w);
                }
            }
        }
        let lost = reached - 1 - count;
        if lost > 0 {
            out.push((d, lost as u32));
        }
    }
    out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
