//! Library-only use of keystone for an incident: the embedded Debian bookworm graph, what a
//! compromise of one package reaches and through which gateways, and petgraph's strongly
//! connected components run on the same graph in place.
//!
//! `cargo run --release --example incident -- liblzma5`

use keystone::analysis::scenario::{self, Bad, Scenario, Target};
use keystone::graph::builder;
use keystone::ingest::{read_default, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "liblzma5".to_string());
    let graph =
        builder::build(&[read_default(&ReadOptions::default(), &NoProgress)?], Profile::default(), &NoProgress)?;
    let x = graph.find(&name)?;
    let outcome = scenario::run(&graph, &[Target { package: x, bad: Bad::All }], Scenario::Compromise, None, None)?;
    println!("{}: {} packages affected if compromised", graph.display_name(x), outcome.search.reached.len());
    for (gateway, dominated) in outcome.gateways.iter().take(5) {
        println!("  through {}: {dominated}", graph.display_name(*gateway));
    }
    let cycles = petgraph::algo::tarjan_scc(&graph).into_iter().filter(|c| c.len() > 1).count();
    println!("dependency cycles in the graph: {cycles}");
    Ok(())
}
