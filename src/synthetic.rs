//! A seeded generator of **synthetic** npm-sized dependency graphs, for benchmarks where no
//! real dump of that size is at hand. Nothing it produces is real data.
//!
//! Model: packages are created one after another and depend only on older ones (a DAG).
//! - A small **core** (the first `core_fraction` of packages) depends on older core packages
//!   chosen by preferential attachment (probability ∝ 1 + in-degree), which gives the
//!   heavy-tailed in-degree of real registries: a few hubs with tens of thousands of direct
//!   dependents.
//! - Every later **periphery** package is a leaf with probability `leaf_fraction`, else has
//!   `1 + Geometric` dependencies (mean `periphery_degree`). Each is another periphery package
//!   (uniformly among older ones) with probability `periphery_link`, else a core package by
//!   preferential attachment. Most periphery packages have no dependents, as on npm.
//!
//! Two presets: [`SynthParams::npm`] aims at npm's shape (3.5M packages, about 30M edges, mean
//! reach about 80, as Zimmermann et al. measured 79 transitive dependencies per npm package in
//! 2018; top packages reaching a large share); [`SynthParams::dense`] is a stress setting with
//! mean reach above 100k. `keystone synth` prints the statistics of what it made.

use crate::graph::csr::Csr;
use crate::graph::{Graph, Meta, Parts, StrTable};
use crate::hash::{splitmix64, GOLDEN};
use crate::model::{Ecosystem, Profile};

/// Parameters of [`generate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthParams {
    /// Number of packages.
    pub packages: u32,
    /// Share of packages in the core.
    pub core_fraction: f64,
    /// Mean number of dependencies of a core package.
    pub core_degree: f64,
    /// Share of periphery packages with no dependencies.
    pub leaf_fraction: f64,
    /// Mean number of dependencies of a non-leaf periphery package.
    pub periphery_degree: f64,
    /// Probability that a periphery dependency is another periphery package.
    pub periphery_link: f64,
    /// The random seed: the same parameters give the same graph.
    pub seed: u64,
}

impl SynthParams {
    /// npm's shape at npm's size.
    pub fn npm() -> Self {
        SynthParams {
            packages: 3_500_000,
            core_fraction: 0.02,
            core_degree: 1.8,
            leaf_fraction: 0.25,
            periphery_degree: 12.0,
            periphery_link: 0.02,
            seed: 1,
        }
    }

    /// The dense stress setting: mean reach above 100k.
    pub fn dense() -> Self {
        SynthParams { core_degree: 6.0, periphery_link: 0.6, ..SynthParams::npm() }
    }
}

/// A small, fast, seeded generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let out = splitmix64(self.0);
        self.0 = self.0.wrapping_add(GOLDEN);
        out
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Geometric number of failures before a success, with the given mean.
    fn geometric(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        let p = 1.0 / (1.0 + mean);
        ((1.0 - self.unit()).ln() / (1.0 - p).ln()).floor() as u32
    }
}

/// Generates the dependency edges (dependent, dependency) of a synthetic graph.
pub fn edges(params: &SynthParams) -> Vec<(u32, u32)> {
    let mut rng = Rng(params.seed);
    let n = params.packages;
    let core = ((f64::from(n) * params.core_fraction) as u32).clamp(1.min(n), n);
    let mut edges: Vec<(u32, u32)> = Vec::new();
    // Preferential attachment: each core package once, plus once per dependent it gains.
    let mut urn: Vec<u32> = Vec::new();
    for v in 0..core {
        let k = rng.geometric(params.core_degree).min(v);
        for _ in 0..k {
            let t = urn[rng.below(urn.len() as u64) as usize];
            edges.push((v, t));
            urn.push(t);
        }
        urn.push(v);
    }
    for v in core..n {
        if rng.unit() < params.leaf_fraction {
            continue;
        }
        let k = 1 + rng.geometric(params.periphery_degree - 1.0);
        for _ in 0..k {
            let t = if v > core && rng.unit() < params.periphery_link {
                core + rng.below(u64::from(v - core)) as u32
            } else {
                let t = urn[rng.below(urn.len() as u64) as usize];
                urn.push(t);
                t
            };
            edges.push((v, t));
        }
    }
    edges
}

/// Generates a synthetic graph: packages named `synthetic-0000000`, … in the `generic`
/// ecosystem, with unconstrained requirements (every edge admits and floats).
pub fn generate(params: &SynthParams) -> Graph {
    let n = params.packages as usize;
    let forward = Csr::from_edges(n, &edges(params));
    let reverse = forward.transpose();
    let width = n.saturating_sub(1).to_string().len();
    let names: Vec<String> = (0..n).map(|i| format!("synthetic-{i:0width$}")).collect();
    let m = forward.edge_count();
    let table = |strings: &mut dyn Iterator<Item = &str>| StrTable::new(strings).expect("names fit in u32 offsets");
    Graph::from_parts(Parts {
        ecosystems: vec![Ecosystem::Generic; n],
        names: table(&mut names.iter().map(String::as_str)),
        versions: table(&mut std::iter::repeat_n("", n)),
        forward,
        reverse,
        edge_flags: vec![3; m],
        edge_reqs: table(&mut std::iter::repeat_n("", m)),
        profile: Profile::default(),
        meta: Meta::empty(n),
    })
    .expect("the generator upholds the graph invariants")
}
