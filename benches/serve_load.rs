//! The load test of `keystone serve`, run as a benchmark (`cargo bench --bench serve_load`):
//! the crates.io index as a snapshot, served on loopback, and 16 kept-alive connections asking
//! blasts, searches and chains for a spread of its packages, bounded in requests and time.
//! Prints requests per second, p50, p99 and the largest latency per kind of request, the
//! errors, and the server's resident memory along the run.
//!
//! Kinds: `blast median` (packages around the median of the ranking by reach), `blast spread`
//! (packages spread evenly over the whole ranking, the largest hubs among them), `search` (the
//! first letters of those names), `why` (a dependent to the package it was reached from).
//!
//! Needs `../shared/datasets` (skipped, saying so, without it).

#[path = "../tests/it/http.rs"]
#[allow(dead_code)]
mod http;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::{Connection, Server};

const CONNECTIONS: usize = 16;
/// Requests each connection makes, at most.
const PER_CONNECTION: usize = 2000;
/// The longest the run may take.
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn main() {
    let index = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/datasets/cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst");
    if !index.exists() {
        eprintln!("skipped: {} is absent", index.display());
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (snap, ranking) = (dir.path().join("crates.snap"), dir.path().join("rank.csv"));
    let keystone = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_keystone")).args(args).output().expect("keystone runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    keystone(&["ingest", index.to_str().unwrap(), "-o", snap.to_str().unwrap()]);
    keystone(&["rank", snap.to_str().unwrap(), "-o", ranking.to_str().unwrap()]);
    // Packages by rank (reach, largest first).
    let ranked: Vec<String> = std::fs::read_to_string(&ranking)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    let median: Vec<&str> = ranked[ranked.len() / 2 - 100..ranked.len() / 2 + 100].iter().map(String::as_str).collect();
    let spread: Vec<&str> = ranked.iter().step_by(ranked.len() / 200).map(String::as_str).collect();

    let server = Server::start(&[snap.to_str().unwrap()]);
    // Chains to ask for: a dependent of each spread package, to it.
    let mut connection = Connection::open(&server.addr);
    let pairs: Vec<(String, String)> = spread
        .iter()
        .filter_map(|p| {
            let page = connection.get(&format!("/api/blast?package={p}&limit=1&max_depth=3")).json();
            page["rows"][0]["package"].as_str().map(|d| (d.to_string(), p.to_string()))
        })
        .collect();
    // Each kind cycles through its own packages.
    let mut requests: Vec<(&str, String)> = Vec::new();
    let mut next = [0usize; 4];
    let mut take = |kind: usize, len: usize| {
        next[kind] += 1;
        next[kind] % len
    };
    for i in 0..PER_CONNECTION {
        requests.push(match i % 8 {
            0..=3 => ("blast median", format!("/api/blast?package={}", median[take(0, median.len())])),
            4 => ("blast spread", format!("/api/blast?package={}&order=importance", spread[take(1, spread.len())])),
            5 | 6 => {
                let name = spread[take(2, spread.len())];
                ("search", format!("/api/search?q={}", &name[..3.min(name.len())]))
            }
            _ => {
                let (from, to) = &pairs[take(3, pairs.len())];
                ("why", format!("/api/why?from={from}&to={to}"))
            }
        });
    }

    let latencies: Mutex<Vec<(&str, Duration)>> = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let memory = Mutex::new(vec![server.rss_kb()]);
    let done = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                memory.lock().unwrap().push(server.rss_kb());
            }
        });
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                let (requests, latencies, errors, addr) = (&requests, &latencies, &errors, &server.addr);
                scope.spawn(move || {
                    let mut connection = Connection::open(addr);
                    let mut mine = Vec::with_capacity(requests.len());
                    for (kind, target) in requests.iter().cycle().skip(c * 37).take(requests.len()) {
                        if start.elapsed() > TIME_LIMIT {
                            break;
                        }
                        let at = Instant::now();
                        let answer = connection.get(target);
                        mine.push((*kind, at.elapsed()));
                        if answer.status != 200 {
                            errors.lock().unwrap().push(format!("{target}: {} {}", answer.status, answer.text()));
                        }
                    }
                    latencies.lock().unwrap().extend(mine);
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let elapsed = start.elapsed();
    let latencies = latencies.into_inner().unwrap();
    let errors = errors.into_inner().unwrap();
    let memory = memory.into_inner().unwrap();
    println!(
        "serve load: {} requests on {CONNECTIONS} connections in {:.1} s: {:.0} requests/s, {} errors",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        errors.len()
    );
    for kind in ["blast median", "blast spread", "search", "why"] {
        let mut times: Vec<Duration> = latencies.iter().filter(|(k, _)| *k == kind).map(|(_, t)| *t).collect();
        times.sort_unstable();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
        println!(
            "  {kind:>12}: {:>5} requests, p50 {:>7.2} ms, p99 {:>7.2} ms, max {:>7.2} ms",
            times.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    let (first, last) = (memory[0], *memory.last().unwrap());
    println!(
        "  server memory: {} MB before, {} MB at most, {} MB after ({} samples)",
        first / 1024,
        memory.iter().max().unwrap() / 1024,
        last / 1024,
        memory.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
}
