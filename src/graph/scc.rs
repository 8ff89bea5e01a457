//! Strongly connected components: nodes that cannot lie on a cycle peeled off first (as in
//! Kahn's topological sort, in parallel rounds), then an iterative Tarjan over the rest (no
//! recursion, so a 100k-long chain cannot overflow the stack). Dependency graphs are nearly
//! acyclic, so the cheap peeling does most of the work. The same passes lay the nodes out in
//! layers, the order a pass over the condensation runs in.

use super::csr::Csr;

/// The strongly connected components of a graph, and its nodes in layers.
///
/// Components are numbered in a reverse topological order: for every edge `u → v` of the
/// graph, `component[u] >= component[v]`. Sinks come first, by id; then the components
/// Tarjan's algorithm finds, in the order it completes them; the peeled nodes take the
/// highest numbers, the first peeled the highest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// The component of each node.
    pub component: Vec<u32>,
    /// Number of components.
    pub count: u32,
    /// Every node once, in layers: an edge between two components always runs from an earlier
    /// layer to a later one, so the components of one layer have no edges between them. The
    /// members of a component share a layer. The last layer holds the sinks (the nodes with
    /// no edges out), ascending, and is there even when empty.
    pub layers: Vec<Vec<u32>>,
}

/// Computes the strongly connected components of `graph` and lays its nodes out in layers.
///
/// Time O(n + m), memory O(n) beside the graph.
///
/// Sinks lie on no cycle and are set aside first: in dependency graphs most edges end at one
/// (a package nobody depends on, in the reverse graph), and the peeling never touches them.
/// Peeling: a node with no predecessors lies on no cycle; remove it, and repeat with the nodes
/// it leaves without predecessors. Round `r` removes the nodes whose longest chain of
/// predecessors has `r` edges, and is layer `r`. No edge runs from a node left over to a
/// peeled one (a peeled node's predecessors were all peeled before it), so numbering the
/// peeled nodes above the rest, in peeling order from the top, keeps the order topological.
/// The nodes left take the layers after, by the longest chain of components among them.
///
/// ```
/// use keystone::graph::{csr::Csr, scc::components};
/// // 0 → 1 → 2 → 1: {1, 2} is a cycle, completed before 0.
/// let g = Csr::from_edges(3, &[(0, 1), (1, 2), (2, 1)]);
/// let c = components(&g);
/// assert_eq!(c.count, 2);
/// assert_eq!(c.component[1], c.component[2]);
/// assert!(c.component[0] > c.component[1]);
/// assert_eq!(c.layers, vec![vec![0], vec![1, 2], vec![]]);
/// ```
pub fn components(graph: &Csr) -> Components {
    const NONE: u32 = u32::MAX;
    let n = graph.len();
    let offsets = graph.offsets();
    let sink = graph.sinks();
    let is_sink = |v: u32| sink.contains(v);
    // Predecessors not yet peeled, of the nodes that are not sinks.
    let mut pending = vec![0u32; n];
    graph.targets().iter().filter(|&&t| !is_sink(t)).for_each(|&t| pending[t as usize] += 1);
    let mut peeled: Vec<u32> = (0..n as u32).filter(|&v| !is_sink(v) && pending[v as usize] == 0).collect();
    // Peeling order is by rounds: the nodes a round frees come after it.
    let mut round_ends = Vec::new();
    let mut next_peeled = 0;
    while next_peeled < peeled.len() {
        let end = peeled.len();
        round_ends.push(end);
        for i in next_peeled..end {
            for &w in graph.neighbors(peeled[i]) {
                if is_sink(w) {
                    continue;
                }
                pending[w as usize] -= 1;
                if pending[w as usize] == 0 {
                    peeled.push(w);
                }
            }
        }
        next_peeled = end;
    }
    let mut layers: Vec<Vec<u32>> =
        round_ends.iter().scan(0, |start, &end| Some(peeled[std::mem::replace(start, end)..end].to_vec())).collect();
    // Tarjan over the nodes left: exactly those with predecessors left. Each component's
    // members are kept, in the order components complete, for their layers.
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut component = vec![NONE; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let (mut found, mut found_offsets) = (Vec::new(), vec![0usize]);
    // Sinks take the lowest numbers, given at the end; Tarjan's components the next ones.
    let sinks = sink.len() as u32;
    let (mut next_index, mut count) = (0u32, sinks);
    for root in 0..n as u32 {
        if index[root as usize] != NONE || pending[root as usize] == 0 {
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
                if is_sink(w) {
                    continue;
                }
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
                    found.push(w);
                    if w == v {
                        break;
                    }
                }
                found_offsets.push(found.len());
                count += 1;
            }
        }
    }
    // Layers of the components Tarjan found, predecessors first (the reverse of completion):
    // each takes the layer after the latest of its predecessors among them.
    let peeled_layers = layers.len();
    let mut height = low;
    found.iter().for_each(|&v| height[v as usize] = 0);
    for k in (0..found_offsets.len() - 1).rev() {
        let members = &found[found_offsets[k]..found_offsets[k + 1]];
        let h = members.iter().map(|&m| height[m as usize]).max().unwrap_or_default();
        for &m in members {
            height[m as usize] = h;
            for &w in graph.neighbors(m).iter().filter(|&&w| component[w as usize] != sinks + k as u32) {
                height[w as usize] = height[w as usize].max(h + 1);
            }
        }
        if layers.len() <= peeled_layers + h as usize {
            layers.resize(peeled_layers + h as usize + 1, Vec::new());
        }
        layers[peeled_layers + h as usize].extend_from_slice(members);
    }
    layers[peeled_layers..].iter_mut().for_each(|layer| layer.sort_unstable());
    for &v in layers[..peeled_layers].iter().flatten().rev() {
        component[v as usize] = count;
        count += 1;
    }
    let sinks: Vec<u32> = (0..n as u32).filter(|&v| is_sink(v)).collect();
    sinks.iter().enumerate().for_each(|(c, &v)| component[v as usize] = c as u32);
    layers.push(sinks);
    Components { component, count, layers }
}

impl Components {
    /// The number of members of each component.
    pub fn sizes(&self) -> Vec<u32> {
        let mut sizes = vec![0u32; self.count as usize];
        self.component.iter().for_each(|&c| sizes[c as usize] += 1);
        sizes
    }
}
