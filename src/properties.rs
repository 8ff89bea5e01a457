//! Property tests: the fast algorithms against their slow references
//! ([`analysis::reference`](crate::analysis::reference)) on seeded random graphs with cycles.
//! In the crate, so that the references and the knobs they turn (the dense-set threshold)
//! are not public API.

use crate::analysis::{depth, pagerank, paths, reach, reference};
use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::progress::NoProgress;
use proptest::prelude::*;

/// Random graphs of up to 60 nodes: sparse enough for long chains, dense enough for cycles.
fn graphs() -> impl Strategy<Value = Csr> {
    (1usize..60).prop_flat_map(|n| {
        prop::collection::vec((0..n as u32, 0..n as u32), 0..n * 3).prop_map(move |edges| Csr::from_edges(n, &edges))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn csr_has_its_invariants_and_transposes_back(g in graphs()) {
        prop_assert!(g.validate().is_ok());
        prop_assert!(g.transpose().validate().is_ok());
        prop_assert_eq!(g.transpose().transpose(), g);
    }

    #[test]
    fn scc_matches_mutual_reachability_and_petgraph(g in graphs()) {
        let fast = components(&g);
        let labels = reference::scc_labels(&g);
        for u in 0..g.len() {
            for v in 0..g.len() {
                prop_assert_eq!(fast.component[u] == fast.component[v], labels[u] == labels[v]);
            }
        }
        // Numbering is a reverse topological order.
        for u in 0..g.len() as u32 {
            for &v in g.neighbors(u) {
                prop_assert!(fast.component[u as usize] >= fast.component[v as usize]);
            }
        }
        // petgraph's Tarjan, run on the CSR in place, finds the same components: as many, each
        // inside one of keystone's.
        let tarjan = petgraph::algo::tarjan_scc(&g);
        prop_assert_eq!(tarjan.len(), fast.count as usize);
        for nodes in &tarjan {
            prop_assert!(nodes.iter().all(|&v| fast.component[v as usize] == fast.component[nodes[0] as usize]));
        }
        // Layers: every node once; edges between components run to a later layer; the last
        // layer is exactly the sinks.
        let mut layer = vec![usize::MAX; g.len()];
        for (i, nodes) in fast.layers.iter().enumerate() {
            for &v in nodes {
                prop_assert_eq!(layer[v as usize], usize::MAX);
                layer[v as usize] = i;
            }
        }
        prop_assert!(layer.iter().all(|&l| l != usize::MAX));
        for u in 0..g.len() as u32 {
            for &v in g.neighbors(u) {
                let (lu, lv) = (layer[u as usize], layer[v as usize]);
                let same = fast.component[u as usize] == fast.component[v as usize];
                let climbs = if same { lu == lv } else { lu < lv };
                prop_assert!(climbs, "edge {} → {}", u, v);
            }
        }
        let sinks: Vec<u32> = (0..g.len() as u32).filter(|&v| g.degree(v) == 0).collect();
        prop_assert_eq!(fast.layers.last(), Some(&sinks));
    }

    #[test]
    fn group_reach_matches_bfs_from_every_member(g in graphs(), seed in any::<u64>()) {
        use crate::analysis::groups::{group_metrics, group_weighted_reach, Groups};
        let n = g.len() as u32;
        // Deal the nodes into up to five groups by a seeded hash.
        let k = (seed % 5 + 1) as u32;
        let mut members = vec![Vec::new(); k as usize];
        (0..n).for_each(|v| members[(((u64::from(v) * 2654435761) ^ seed) % u64::from(k)) as usize].push(v));
        members.retain(|m| !m.is_empty());
        let names = (0..members.len()).map(|i| format!("g{i}")).collect();
        let groups = Groups { names, members: members.clone() };
        let reverse = g.transpose();
        let (metrics, all) = group_metrics(&reverse, &groups, &NoProgress);
        prop_assert_eq!(metrics.iter().map(|m| m.reach).collect::<Vec<_>>(), reference::group_reach(&reverse, &members));
        prop_assert_eq!(&all, &reference::reach(&reverse));
        // The top gateway: the outside direct dependent of largest reach, ties by lowest id.
        for (m, group) in metrics.iter().zip(&members) {
            let outside = group.iter().flat_map(|&v| reverse.neighbors(v)).filter(|d| !group.contains(d));
            prop_assert_eq!(m.top_gateway, outside.min_by_key(|&&d| (std::cmp::Reverse(all[d as usize]), d)).copied());
        }
        let weights: Vec<f64> = (0..n).map(|v| f64::from(v % 5) * 0.1).collect();
        let fast = group_weighted_reach(&reverse, &groups, &weights, &NoProgress);
        for (a, b) in fast.iter().zip(reference::group_weighted_reach(&reverse, &members, &weights)) {
            prop_assert!((a - b).abs() < 1e-9, "{} vs {}", a, b);
        }
    }

    #[test]
    fn weighted_reach_matches_bfs(g in graphs()) {
        let reverse = g.transpose();
        let weights: Vec<f64> = (0..g.len()).map(|v| (v % 7) as f64 * 0.5).collect();
        let fast = reach::weighted_reach(&reverse, &weights, &NoProgress);
        for (a, b) in fast.iter().zip(reference::weighted_reach(&reverse, &weights)) {
            prop_assert!((a - b).abs() < 1e-9, "{} vs {}", a, b);
        }
    }

    #[test]
    fn dominators_match_removal_counts(g in graphs(), x in any::<prop::sample::Index>()) {
        use crate::analysis::gateways::dominators;
        let x = x.index(g.len()) as u32;
        let reverse = g.transpose();
        prop_assert_eq!(dominators(&reverse, &g, x).gateways, reference::dominated(&reverse, x));
        // The same graph with its ids spread out among up to two million packages with no
        // edges: the search stays small enough to test leaves without their bitset, and its
        // leaves fall into many of the blocks of 65,536 ids that leaves are resolved in, two
        // to a block, at the same two offsets in every block.
        const SPREAD: u32 = 32_768;
        let edges: Vec<(u32, u32)> = (0..g.len() as u32)
            .flat_map(|u| g.neighbors(u).iter().map(move |&v| (u * SPREAD, v * SPREAD)))
            .collect();
        let spread = Csr::from_edges((g.len() - 1) * SPREAD as usize + 1, &edges);
        let gateways = dominators(&spread.transpose(), &spread, x * SPREAD).gateways;
        let back: Vec<(u32, u32)> = gateways.iter().map(|&(v, d)| (v / SPREAD, d)).collect();
        prop_assert_eq!(back, reference::dominated(&reverse, x));
    }

    #[test]
    fn dominators_match_petgraph(g in graphs(), x in any::<prop::sample::Index>()) {
        use crate::analysis::gateways::dominators;
        use petgraph::algo::dominators::simple_fast;
        let x = x.index(g.len()) as u32;
        let reverse = g.transpose();
        // Cooper, Harvey and Kennedy's algorithm as petgraph has it, on the reverse CSR in place:
        // each dependent's count is how many others it strictly dominates, x apart.
        let tree = simple_fast(&reverse, x);
        let mut count = vec![0u32; g.len()];
        for v in (0..g.len() as u32).filter(|&v| v != x) {
            for d in tree.strict_dominators(v).into_iter().flatten().filter(|&d| d != x) {
                count[d as usize] += 1;
            }
        }
        let mut expected: Vec<(u32, u32)> =
            (0..g.len() as u32).filter(|&d| count[d as usize] > 0).map(|d| (d, count[d as usize])).collect();
        expected.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        prop_assert_eq!(dominators(&reverse, &g, x).gateways, expected);
    }

    #[test]
    fn reach_matches_bfs_with_sparse_and_dense_sets(g in graphs()) {
        let reverse = g.transpose();
        let expected = reference::reach(&reverse);
        prop_assert_eq!(&reach::reach(&reverse, &NoProgress), &expected);
        prop_assert_eq!(&reach::reach_with_threshold(&reverse, 0), &expected);
        prop_assert_eq!(&reach::reach_with_threshold(&reverse, 3), &expected);
        prop_assert_eq!(&reach::reach_with_threshold(&reverse, usize::MAX), &expected);
    }

    #[test]
    fn bounded_reach_is_exact_where_it_says_and_at_the_top(g in graphs(), max_bytes in 0u64..6000, k in 1usize..8) {
        let reverse = g.transpose();
        let expected = reference::reach(&reverse);
        let limits = reach::ReachLimits { max_bytes, exact_top: k };
        let Ok(bounded) = reach::bounded_reach(&reverse, &limits, 0..g.len(), &NoProgress) else {
            return Ok(());
        };
        let Some(approximation) = bounded.approximation else {
            prop_assert_eq!(bounded.values, expected);
            return Ok(());
        };
        for ((&value, &estimated), &exact) in bounded.values.iter().zip(&bounded.estimated).zip(&expected) {
            if !estimated {
                prop_assert_eq!(value, exact);
            }
        }
        if approximation.top_certain {
            let mut order: Vec<usize> = (0..g.len()).collect();
            order.sort_by_key(|&v| std::cmp::Reverse(bounded.values[v]));
            prop_assert!(order.iter().take(k).all(|&v| !bounded.estimated[v]));
        }
    }

    #[test]
    fn depth_counts_match_bfs(g in graphs()) {
        let reverse = g.transpose();
        prop_assert_eq!(depth::depth_counts(&reverse, &NoProgress), reference::depth_counts(&reverse));
    }

    #[test]
    fn pagerank_matches_plain_iteration(g in graphs()) {
        let opts = pagerank::PageRankOptions { tolerance: 1e-13, max_iterations: 1000, ..Default::default() };
        let fast = pagerank::pagerank(&g, &g.transpose(), &opts, &NoProgress);
        let slow = reference::pagerank(&g, 0.85, 1000);
        prop_assert!(fast.converged);
        for (a, b) in fast.scores.iter().zip(&slow) {
            prop_assert!((a - b).abs() < 1e-9, "{} vs {}", a, b);
        }
        prop_assert!((fast.scores.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn blast_and_why_give_real_shortest_chains(g in graphs(), x in 0u32..60) {
        let x = x % g.len() as u32;
        let reverse = g.transpose();
        let search = paths::blast(&reverse, x, None);
        let dist = reference::bfs_distances(&reverse, x);
        prop_assert_eq!(search.reached.len() as u32, reference::reach(&reverse)[x as usize]);
        for &a in &search.reached {
            let chain = search.chain(a).unwrap();
            prop_assert_eq!(chain.len() as u32 - 1, dist[a as usize]);
            prop_assert_eq!(*chain.last().unwrap(), x);
            for pair in chain.windows(2) {
                prop_assert!(g.neighbors(pair[0]).contains(&pair[1]), "{:?} is not an edge", pair);
            }
            let why = paths::why(&g, a, x).unwrap();
            prop_assert_eq!(why.len(), chain.len());
        }
        let limited = paths::blast(&reverse, x, Some(2));
        prop_assert_eq!(limited.reached.len(), dist.iter().filter(|&&d| d == 1 || d == 2).count());
    }

    /// A search from several sources, each with some of its edges as first steps, is one BFS
    /// from a stand-in node on which every source hangs (its other edges dropped); its gateways
    /// are that stand-in's dominated counts, sources left out.
    #[test]
    fn searches_from_several_sources_match_one_from_a_stand_in(
        g in graphs(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..5),
        seed in any::<u64>(),
    ) {
        use crate::analysis::gateways::of_search;
        let (reverse, n) = (g.transpose(), g.len());
        let mut sources: Vec<u32> = picks.iter().map(|i| i.index(n) as u32).collect();
        sources.sort_unstable();
        sources.dedup();
        let kept = |s: u32, w: u32| (seed ^ (u64::from(s) << 32 | u64::from(w))).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 62 != 0;
        let starts: Vec<(u32, Vec<u32>)> =
            sources.iter().map(|&s| (s, reverse.neighbors(s).iter().copied().filter(|&w| kept(s, w)).collect())).collect();
        let search = paths::Search::from_starts(&reverse, starts.clone(), paths::Bounds::default());
        let mut edges: Vec<(u32, u32)> = (0..n as u32)
            .filter(|u| sources.binary_search(u).is_err())
            .flat_map(|u| reverse.neighbors(u).iter().map(move |&w| (u, w)))
            .collect();
        for (s, first) in &starts {
            edges.push((n as u32, *s));
            edges.extend(first.iter().map(|&w| (*s, w)));
        }
        let stand_in = Csr::from_edges(n + 1, &edges);
        let dist = reference::bfs_distances(&stand_in, n as u32);
        for v in 0..n as u32 {
            if sources.binary_search(&v).is_ok() {
                prop_assert!(search.is_source(v) && search.depth(v) == Some(0));
                continue;
            }
            let expected = Some(dist[v as usize]).filter(|&d| d != u32::MAX).map(|d| d - 1);
            prop_assert_eq!(search.depth(v), expected);
            if let Some(chain) = search.chain(v) {
                prop_assert_eq!(chain.len() as u32 - 1, expected.unwrap());
                prop_assert!(sources.binary_search(chain.last().unwrap()).is_ok());
                for pair in chain.windows(2) {
                    prop_assert!(stand_in.neighbors(pair[1]).contains(&pair[0]), "{:?} is not an edge", pair);
                }
            }
        }
        let expected: Vec<(u32, u32)> =
            reference::dominated(&stand_in, n as u32).into_iter().filter(|(d, _)| sources.binary_search(d).is_err()).collect();
        prop_assert_eq!(of_search(&search, &reverse).gateways, expected);
    }
}

#[test]
fn parallel_results_equal_sequential() {
    // A larger seeded graph, run on 1 and on 4 threads: identical results, bit for bit.
    let mut state = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = 5000;
    let edges: Vec<(u32, u32)> = (0..20000)
        .map(|_| {
            let a = (next() % n) as u32;
            // Mostly towards lower ids (a DAG-like shape with hubs), sometimes back (cycles).
            let b =
                if next() % 10 == 0 { (next() % n) as u32 } else { ((next() % (a as u64 + 1)) as f64).sqrt() as u32 };
            (a, b)
        })
        .collect();
    let g = Csr::from_edges(n as usize, &edges);
    let reverse = g.transpose();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let opts = pagerank::PageRankOptions::default();
            (
                reach::reach(&reverse, &NoProgress),
                depth::depth_counts(&reverse, &NoProgress),
                pagerank::pagerank(&g, &reverse, &opts, &NoProgress).scores,
            )
        })
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert_eq!(one.0, reference::reach(&reverse));
}

#[test]
fn deep_chains_do_not_overflow_the_stack() {
    let n = 200_000u32;
    let edges: Vec<(u32, u32)> = (1..n).map(|v| (v, v - 1)).chain([(0, n - 1)]).collect();
    let g = Csr::from_edges(n as usize, &edges);
    let c = components(&g);
    assert_eq!(c.count, 1);
    // Reach along a chain (20k long: every set is a union along the whole chain).
    let m = 20_000u32;
    let chain: Vec<(u32, u32)> = (1..m).map(|v| (v, v - 1)).collect();
    let r = reach::reach(&Csr::from_edges(m as usize, &chain).transpose(), &NoProgress);
    assert_eq!(r[0], m - 1);
    assert_eq!(r[m as usize - 1], 0);
}

/// A graph with random requirement flags, named `p000`, `p001`, … so that ids are sorted.
fn flagged(g: &Csr, seed: u64) -> crate::graph::Graph {
    let mut state = seed | 1;
    let flags: Vec<u8> = (0..g.edge_count())
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 4) as u8
        })
        .collect();
    with_flags(g, flags)
}

/// The graph of `g` with these requirement flags, one per edge.
fn with_flags(g: &Csr, flags: Vec<u8>) -> crate::graph::Graph {
    use crate::graph::{Graph, Meta, Parts, StrTable};
    use crate::model::{Ecosystem, Profile};
    let n = g.len();
    let names: Vec<String> = (0..n).map(|i| format!("p{i:03}")).collect();
    Graph::from_parts(Parts {
        ecosystems: vec![Ecosystem::Generic; n],
        names: StrTable::new(names.iter().map(String::as_str)).unwrap(),
        versions: StrTable::new(names.iter().map(|_| "")).unwrap(),
        forward: g.clone(),
        reverse: g.transpose(),
        edge_flags: flags,
        edge_reqs: StrTable::new((0..g.edge_count()).map(|_| "")).unwrap(),
        profile: Profile::default(),
        meta: Meta::empty(n),
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn floating_reach_matches_two_phase_bfs(g in graphs(), seed in any::<u64>()) {
        use crate::analysis::floating;
        let graph = flagged(&g, seed);
        let fast = floating::floating_reach(&graph, &Default::default(), &NoProgress).unwrap().values;
        let flags: Vec<u8> = (0..g.len() as u32).flat_map(|v| graph.edge_flags(v).map(|f| f.0).collect::<Vec<_>>()).collect();
        prop_assert_eq!(&fast, &reference::floating_reach(&g, &flags));
        let full = reach::reach(&g.transpose(), &NoProgress);
        let propagation = floating::propagation_graph(&graph);
        for x in 0..g.len() as u32 {
            prop_assert!(fast[x as usize] <= full[x as usize]);
            let search = floating::blast_new_release(&propagation, &[x], None);
            prop_assert_eq!(search.reached.len() as u32, fast[x as usize]);
        }
    }

    /// The premise of `rank`'s shortcut: where every edge admits and floats, floating reach
    /// is reach.
    #[test]
    fn floating_reach_is_reach_where_everything_floats(g in graphs()) {
        use crate::analysis::floating;
        let graph = with_flags(&g, vec![3; g.edge_count()]);
        prop_assert!(graph.every_edge_floats());
        let floating = floating::floating_reach(&graph, &Default::default(), &NoProgress).unwrap().values;
        prop_assert_eq!(floating, reach::reach(&g.transpose(), &NoProgress));
    }

    #[test]
    fn petgraph_walks_a_graph_both_ways(g in graphs(), seed in any::<u64>()) {
        use petgraph::visit::{Dfs, EdgeRef, IntoEdgeReferences, IntoEdgesDirected, Reversed, Walker};
        use petgraph::Direction::{Incoming, Outgoing};
        let graph = flagged(&g, seed);
        let reverse = g.transpose();
        let reach = reference::reach(&reverse);
        for x in 0..g.len() as u32 {
            // Incoming edges (through `Reversed`) from x: x and its dependents at any depth.
            prop_assert_eq!(Dfs::new(Reversed(&graph), x).iter(Reversed(&graph)).count() as u32 - 1, reach[x as usize]);
            let ends = |d| (&graph).edges_directed(x, d).map(|e| (e.source(), e.target())).collect::<Vec<_>>();
            prop_assert_eq!(ends(Outgoing), g.neighbors(x).iter().map(|&v| (x, v)).collect::<Vec<_>>());
            prop_assert_eq!(ends(Incoming), reverse.neighbors(x).iter().map(|&u| (u, x)).collect::<Vec<_>>());
        }
        let edges: Vec<(u32, u32)> = (&g).edge_references().map(|e| (e.source(), e.target())).collect();
        prop_assert_eq!(edges.len(), (&g).edge_references().len());
        prop_assert_eq!(Csr::from_edges(g.len(), &edges), g);
    }
}

/// Random score evidence: reach spread over six orders of magnitude, direct dependents at most
/// the reach, every factor anywhere in its range, two ecosystems.
fn evidence() -> impl Strategy<Value = Vec<crate::analysis::score::Evidence>> {
    use crate::analysis::score::Evidence;
    use crate::model::Ecosystem;
    let one = (0u32..7, 0.0f64..1.0, 0.0f64..1.0, any::<u8>(), 0.0f64..1.0, (0.0f64..1.0, 0.0f64..1.0)).prop_map(
        |(digits, r, d, bits, pagerank, (share, concentration))| {
            let reach = if digits == 0 { 0 } else { (10f64.powf(f64::from(digits - 1) + r)) as u32 };
            let direct = if reach == 0 { 0 } else { 1 + (f64::from(reach - 1) * d * d) as u32 };
            Evidence {
                ecosystem: if bits & 1 == 0 { Ecosystem::Crates } else { Ecosystem::Npm },
                reach,
                direct,
                pagerank,
                popular: (bits & 2 != 0).then_some(share),
                concentration: (reach > 0 && bits & 4 != 0).then_some(concentration),
                sole_maintainer: (bits & 8 != 0).then_some(bits & 16 != 0),
            }
        },
    );
    prop::collection::vec(one, 1..120)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The order property of the score (see [`crate::analysis::score`]), and its percentiles
    /// against a count of the smaller values.
    #[test]
    fn score_never_lifts_a_tenth_above_the_whole(
        evidence in evidence(),
        size in (0.0f64..1.0, 0.0f64..1.0),
        factors in prop::array::uniform4(0.0f64..1.3),
        default in any::<bool>(),
    ) {
        use crate::analysis::score::{ranked, score, Factor, Weights};
        // The default weights, or any that keep the order (a split of the size, factors whose
        // product stays under the margin).
        let [pagerank, popular_reach, concentration, sole_maintainer] = factors;
        let weights = if default {
            Weights::default()
        } else {
            Weights { reach: size.0, direct: size.1, pagerank, popular_reach, concentration, sole_maintainer }
        };
        prop_assume!(weights.keeps_order() && weights.reach + weights.direct > 0.0);
        let scores = score(&evidence, &weights);
        let order = ranked(&scores, |a, b| a.cmp(&b));
        let mut at = vec![0; evidence.len()];
        order.iter().enumerate().for_each(|(i, &x)| at[x] = i);
        for (a, ea) in evidence.iter().enumerate() {
            let same: Vec<_> = evidence.iter().filter(|e| e.ecosystem == ea.ecosystem).collect();
            let below = same.iter().filter(|e| e.pagerank < ea.pagerank).count();
            prop_assert_eq!(scores[a].value(Factor::Pagerank), Some(below as f64 / same.len() as f64));
            prop_assert!((0.0..=1.0).contains(&scores[a].score));
            for (b, eb) in evidence.iter().enumerate() {
                if ea.ecosystem == eb.ecosystem && eb.reach > 0 && ea.reach * 10 <= eb.reach && ea.direct * 10 <= eb.direct {
                    prop_assert!(at[a] > at[b], "{:?} ranks above {:?}", ea, eb);
                }
            }
        }
    }
}

/// A seeded random graph of 30,000 packages whose reach sets run to thousands: sketches of
/// 1024 registers estimate every large reach within six standard errors, and the 50 largest
/// values come out exact.
#[test]
fn bounded_reach_estimates_within_the_sketch_error() {
    let n = 30_000u32;
    let mut state = 7u64;
    let mut uniform = move || {
        // SplitMix64, to a float in [0, 1).
        let z = crate::hash::splitmix64(state);
        state = state.wrapping_add(crate::hash::GOLDEN);
        (z >> 11) as f64 / (1u64 << 53) as f64
    };
    // Each package depends on six lower-numbered ones, most often near the bottom: a DAG with
    // hubs.
    let edges: Vec<(u32, u32)> =
        (1..n).flat_map(|v| [v; 6]).map(|v| (v, (uniform().powi(3) * f64::from(v)) as u32)).collect();
    let reverse = Csr::from_edges(n as usize, &edges).transpose();
    let expected = reach::reach(&reverse, &NoProgress);
    let limits = reach::ReachLimits { max_bytes: 8 << 20, exact_top: 50 };
    let bounded = reach::bounded_reach(&reverse, &limits, 0..n as usize, &NoProgress).expect("sketches fit");
    let approximation = bounded.approximation.expect("the exact sets do not fit 8 MiB");
    assert!(approximation.registers >= 256 && approximation.top_certain, "{approximation:?}");
    let sigma = approximation.standard_error();
    let mut estimated = 0;
    for (v, &exact) in expected.iter().enumerate() {
        let (got, want) = (f64::from(bounded.values[v]), f64::from(exact));
        if bounded.estimated[v] {
            estimated += 1;
            assert!((got - want).abs() <= 6.0 * sigma * want + 2.0, "{v}: estimated {got}, exact {want}");
        } else {
            assert_eq!(got, want);
        }
    }
    assert!(estimated > 1000, "only {estimated} estimates");
    let mut top: Vec<u32> = expected.clone();
    top.sort_unstable_by(|a, b| b.cmp(a));
    let mut got: Vec<u32> = bounded.values.clone();
    got.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(got[..50], top[..50]);
}

/// PageRank solves cycles by rounds of their own: a ring of thousands of packages with chords
/// and hubs, inside a larger acyclic graph, gives what plain power iteration converges to, and
/// the same bits on one thread and on two.
#[test]
fn pagerank_solves_large_cycles_as_power_iteration_converges() {
    let n = 5_000u32;
    // A ring 1000..3000 with chords, hubs 0..10 that depend on nothing, and an acyclic rest.
    let mut edges: Vec<(u32, u32)> = (1000..3000).map(|v| (v, if v == 2999 { 1000 } else { v + 1 })).collect();
    edges.extend((1000..3000).step_by(7).map(|v| (v, 1000 + (v * 13) % 2000)));
    edges.extend((10..n).filter(|v| !(1000..3000).contains(v)).map(|v| (v, v % 10)));
    edges.extend((3000..n).step_by(3).map(|v| (v, 1000 + v % 2000)));
    edges.extend((10..1000).map(|v| (v, v - 1)));
    let g = Csr::from_edges(n as usize, &edges);
    let reverse = g.transpose();
    let slow = reference::pagerank(&g, 0.85, 400);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| pagerank::pagerank(&g, &reverse, &Default::default(), &NoProgress))
    };
    let fast = run(1);
    assert!(fast.converged && fast.iterations > 1, "{} rounds", fast.iterations);
    for (a, b) in fast.scores.iter().zip(&slow) {
        assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
    }
    assert_eq!(fast, run(2));
}
