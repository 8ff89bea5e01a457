//! Strongly connected components: nodes that cannot lie on a cycle peeled off first (as in
//! Kahn's topological sort), then an iterative Tarjan over the rest (no recursion, so a
//! 100k-long chain cannot overflow the stack). Dependency graphs are nearly acyclic, so the
//! cheap peeling does most of the work.

use super::csr::Csr;

/// The strongly connected components of a graph.
///
/// Components are numbered in a reverse topological order: for every edge `u → v` of the
/// graph, `component[u] >= component[v]`. The components Tarjan's algorithm finds come first,
/// in the order it completes them; the peeled nodes take the highest numbers, the first peeled
/// the highest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// The component of each node.
    pub component: Vec<u32>,
    /// Number of components.
    pub count: u32,
}

/// Computes the strongly connected components of `graph`.
///
/// Time O(n + m), memory O(n) beside the graph.
///
/// Peeling: a node with no predecessors lies on no cycle; remove it, and repeat with the nodes
/// it leaves without predecessors. No edge runs from a node left over to a peeled one (a
/// peeled node's predecessors were all peeled before it), so numbering the peeled nodes above
/// the rest, in peeling order from the top, keeps the order topological.
///
/// ```
/// use keystone::graph::{csr::Csr, scc::components};
/// // 0 → 1 → 2 → 1: {1, 2} is a cycle, completed before 0.
/// let g = Csr::from_edges(3, &[(0, 1), (1, 2), (2, 1)]);
/// let c = components(&g);
/// assert_eq!(c.count, 2);
/// assert_eq!(c.component[1], c.component[2]);
/// assert!(c.component[0] > c.component[1]);
/// ```
pub fn components(graph: &Csr) -> Components {
    const NONE: u32 = u32::MAX;
    let n = graph.len();
    let offsets = graph.offsets();
    let mut preds = vec![0u32; n];
    graph.targets().iter().for_each(|&t| preds[t as usize] += 1);
    let mut peeled: Vec<u32> = (0..n as u32).filter(|&v| preds[v as usize] == 0).collect();
    let mut next_peeled = 0;
    while let Some(&v) = peeled.get(next_peeled) {
        next_peeled += 1;
        for &w in graph.neighbors(v) {
            preds[w as usize] -= 1;
            if preds[w as usize] == 0 {
                peeled.push(w);
            }
        }
    }
    // Tarjan over the nodes left: exactly those with predecessors left.
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut component = vec![NONE; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let (mut next_index, mut count) = (0u32, 0u32);
    for root in 0..n as u32 {
        if index[root as usize] != NONE || preds[root as usize] == 0 {
            continue;
        }
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        calls.push((root, offsets[root as usize]));
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            if *pos < offsets[v as usize + 1] {
                let w = graph.targets()[*pos as usize];
                *pos += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = next_index;
                    low[w as usize] = next_index;
                    next_index += 1;
                    stack.push(w);
                    calls.push((w, offsets[w as usize]));
                } else if component[w as usize] == NONE {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u as usize] = low[u as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                while let Some(w) = stack.pop() {
                    component[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    for &v in peeled.iter().rev() {
        component[v as usize] = count;
        count += 1;
    }
    Components { component, count }
}

impl Components {
    /// The members of every component, grouped: `(offsets, nodes)` where component `c`'s nodes
    /// are `nodes[offsets[c]..offsets[c + 1]]`, ascending.
    pub fn members(&self) -> (Vec<u32>, Vec<u32>) {
        let mut offsets = vec![0u32; self.count as usize + 1];
        for &c in &self.component {
            offsets[c as usize + 1] += 1;
        }
        for c in 0..self.count as usize {
            offsets[c + 1] += offsets[c];
        }
        let mut fill = offsets.clone();
        let mut nodes = vec![0u32; self.component.len()];
        for (v, &c) in self.component.iter().enumerate() {
            nodes[fill[c as usize] as usize] = v as u32;
            fill[c as usize] += 1;
        }
        (offsets, nodes)
    }
}
