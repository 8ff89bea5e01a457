//! Library-only use of keystone: read a dump, build the default graph, print the ten packages
//! with the highest reach.
//!
//! `cargo run --release --example top -- datasets/fixtures/Packages debian`

use std::path::Path;

use keystone::analysis::rank::rank;
use keystone::graph::builder;
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: top PATH [FORMAT]")?;
    let path = Path::new(&path);
    let format = match args.next() {
        Some(name) => name.parse::<Format>()?,
        None => Format::guess(path).ok_or("cannot tell the format; name it")?,
    };
    let input = format.reader().read(path, &ReadOptions::default(), &NoProgress)?;
    let graph = builder::build(&[input], Profile::default(), &NoProgress)?;
    for m in rank(&graph, &Default::default(), &NoProgress)?.rows.iter().take(10) {
        println!("{:>8} {}", m.reach, graph.display_name(m.node));
    }
    Ok(())
}
