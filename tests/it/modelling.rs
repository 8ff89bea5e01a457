//! Blast-radius modelling: scenarios, projects, accounts, gateways, the score and the
//! backtest, on fixtures whose answers are worked out by hand, and on the real dumps.

use std::process::Command;

use keystone::analysis::gateways::{dominators, gateway_flag};
use keystone::analysis::groups::{accounts, group_metrics, projects};
use keystone::analysis::reach::reach;
use keystone::analysis::scenario::{run, Scenario, Status};
use keystone::graph::Graph;
use keystone::ingest::Format;
use keystone::model::{normalize_repository, Profile};
use keystone::progress::NoProgress;

use crate::{dataset, fixture, graph_of};

fn scenario_graph() -> Graph {
    graph_of(Format::CratesIndex, &fixture("scenarios/crates-index.jsonl"), Profile::default())
}

/// `(package, status)` of everything the scenario hits, sorted.
fn hits(graph: &Graph, scenario: Scenario) -> Vec<(String, Status)> {
    let x = graph.find("x").unwrap();
    let outcome = run(graph, x, &scenario, None).unwrap();
    let mut out: Vec<(String, Status)> =
        outcome.search.reached.iter().map(|&v| (graph.name(v).to_string(), outcome.status(v))).collect();
    out.sort();
    out
}

fn named(pairs: &[(&str, Status)]) -> Vec<(String, Status)> {
    let mut out: Vec<(String, Status)> = pairs.iter().map(|(n, s)| (n.to_string(), *s)).collect();
    out.sort();
    out
}

// x has releases 1.0.0, 1.0.1, 1.1.0 (1.2.0 is yanked). pinned =1.0.0, caret ^1.0, tilde
// ~1.0.0, newer ^1.1; app1 → pinned, app2 → caret, app3 → caret + tilde, app4 → newer.

#[test]
fn affected_range_splits_stuck_and_fixable() {
    use Status::*;
    let graph = scenario_graph();
    // 1.0.0 and 1.0.1 are vulnerable: tilde and pinned can only resolve to them; caret can
    // reach 1.1.0; newer never resolves a vulnerable release. app3 is stuck through tilde.
    let expected = named(&[
        ("pinned", Stuck),
        ("tilde", Stuck),
        ("caret", Fixable),
        ("app1", Stuck),
        ("app2", Fixable),
        ("app3", Stuck),
    ]);
    assert_eq!(hits(&graph, Scenario::Affected("<1.1.0".into())), expected);
    let x = graph.find("x").unwrap();
    let outcome = run(&graph, x, &Scenario::Affected("<1.1.0".into()), None).unwrap();
    assert_eq!(outcome.in_range, ["1.0.0", "1.0.1"]);
    assert_eq!(outcome.releases, 3, "the yanked 1.2.0 is no release to resolve");
    assert_eq!(outcome.per_depth(), vec![vec![(Stuck, 2), (Fixable, 1)], vec![(Stuck, 2), (Fixable, 1)]]);
}

#[test]
fn removal_breaks_who_has_no_release_left() {
    use Status::Broken;
    let graph = scenario_graph();
    let all = ["pinned", "caret", "tilde", "newer", "app1", "app2", "app3", "app4"];
    assert_eq!(hits(&graph, Scenario::Removed(None)), named(&all.map(|n| (n, Broken))));
    assert_eq!(hits(&graph, Scenario::Removed(Some("=1.0.0".into()))), named(&[("pinned", Broken), ("app1", Broken)]));
    assert_eq!(hits(&graph, Scenario::Removed(Some(">=1.1.0".into()))), named(&[("newer", Broken), ("app4", Broken)]));
    assert_eq!(hits(&graph, Scenario::Removed(Some(">=2".into()))), vec![]);
}

#[test]
fn compromise_hits_every_dependent_and_bad_ranges_are_errors() {
    let graph = scenario_graph();
    assert_eq!(hits(&graph, Scenario::Compromise).len(), 8);
    let x = graph.find("x").unwrap();
    let err = run(&graph, x, &Scenario::Affected("not a range".into()), None).unwrap_err().to_string();
    assert!(err.contains("not a range") && err.contains("Cargo requirement"), "{err}");
}

#[test]
fn debian_projects_and_maintainers() {
    let graph = graph_of(Format::Debian, &fixture("Packages"), Profile::default());
    let lzma = graph.find("liblzma5").unwrap();
    assert_eq!(graph.project(lzma), Some("xz-utils"), "`Source: xz-utils (5.4.1-0.2)` without its version");
    let libc = graph.find("libc6").unwrap();
    assert_eq!(graph.maintainers(libc).collect::<Vec<_>>(), ["debian/debian-glibc@lists.debian.org"]);
    let groups = projects(&graph, &[]).unwrap();
    let xz = groups.names.iter().position(|n| n == "xz-utils").unwrap();
    assert!(groups.members[xz].contains(&lzma));
    // A package without a Source field is its own project.
    let no_source = (0..graph.node_count() as u32).find(|&v| graph.project(v) == Some(graph.name(v))).unwrap();
    assert!(groups.names.iter().any(|n| n == graph.name(no_source)));
    let (metrics, _) = group_metrics(graph.reverse(), &groups, &NoProgress);
    assert!(metrics[xz].reach > 0);
    // Aliases rename a package's whole derived project.
    let aliased = projects(&graph, &[("xz".into(), vec!["debian/liblzma5".into(), "crates/xz2".into()])]).unwrap();
    assert!(aliased.names.iter().any(|n| n == "xz") && !aliased.names.iter().any(|n| n == "xz-utils"));
    assert!(projects(&graph, &[("x".into(), vec!["debian/no-such-package".into()])]).is_err());
}

#[test]
fn crates_dump_owners_and_repositories() {
    let graph = graph_of(Format::CratesDump, &fixture("crates-db-dump"), Profile::default());
    let tokio = graph.find("tokio").unwrap();
    assert_eq!(
        graph.maintainers(tokio).collect::<Vec<_>>(),
        ["crates/alice-dev", "crates/github:example-org:maintainers"]
    );
    assert_eq!(graph.project(tokio), Some("github.com/tokio-rs/tokio"));
    let rand = graph.find("rand").unwrap();
    assert_eq!(graph.maintainers(rand).collect::<Vec<_>>(), ["crates/alice-dev", "crates/bob-rs"]);
    assert!(graph.releases(graph.find("libc").unwrap()).len() >= 2);
    let owners = accounts(&graph);
    let alice = owners.names.iter().position(|n| n == "crates/alice-dev").unwrap();
    let (metrics, reach) = group_metrics(graph.reverse(), &owners, &NoProgress);
    // An account reaches at least as far as its widest package, outside its own packages.
    let widest = owners.members[alice].iter().map(|&v| reach[v as usize]).max().unwrap();
    assert!(metrics[alice].reach + owners.members[alice].len() as u32 > widest);
}

#[test]
fn npm_maintainers_and_repository() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs.jsonl");
    let doc = r#"{"name":"a","dist-tags":{"latest":"1.0.0"},"maintainers":[{"name":"sub","email":"s@x"},"Jo Doe <j@x>",7],"versions":{"0.9.0":{},"1.0.0":{"repository":{"type":"git","url":"git+https://github.com/Org/A.git"},"dependencies":{"b":"^1"}}}}"#;
    std::fs::write(&path, format!("{doc}\n")).unwrap();
    let graph = graph_of(Format::Npm, &path, Profile::default());
    let a = graph.find("a").unwrap();
    assert_eq!(graph.maintainers(a).collect::<Vec<_>>(), ["npm/Jo Doe", "npm/sub"]);
    assert_eq!(graph.project(a), Some("github.com/org/a"));
    assert_eq!(graph.releases(a), ["0.9.0", "1.0.0"]);
}

#[test]
fn repository_addresses_normalise() {
    for (url, key) in [
        ("https://github.com/serde-rs/serde", "github.com/serde-rs/serde"),
        ("git://github.com/serde-rs/serde.git", "github.com/serde-rs/serde"),
        ("git@github.com:serde-rs/serde.git", "github.com/serde-rs/serde"),
        ("https://www.github.com/serde-rs/serde/", "github.com/serde-rs/serde"),
        ("github:serde-rs/serde", "github.com/serde-rs/serde"),
        ("https://github.com/babel/babel/tree/main/packages/@babel/core", "github.com/babel/babel"),
        ("https://user@gitlab.com/a/b.git", "gitlab.com/a/b"),
        ("https://git.sr.ht/~sircmpwn/hare", "git.sr.ht/~sircmpwn/hare"),
    ] {
        assert_eq!(normalize_repository(url).as_deref(), Some(key), "{url}");
    }
    assert_eq!(normalize_repository("  "), None);
}

#[test]
fn gateways_of_a_diamond() {
    // app1 → gate → x, app2 → gate → x, other → x.
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), "dependent,dependency\napp1,gate\napp2,gate\ngate,x\nother,x\n").unwrap();
    let graph = graph_of(Format::Edges, path.path(), Profile::default());
    let (x, gate) = (graph.find("x").unwrap(), graph.find("gate").unwrap());
    assert_eq!(dominators(graph.reverse(), graph.forward(), x).gateways, vec![(gate, 2)]);
    let r = reach(graph.reverse(), &NoProgress);
    assert_eq!(r[x as usize], 4);
    assert!(gateway_flag(1, 100, 10_000) && !gateway_flag(2, 100, 10_000) && !gateway_flag(1, 99, 10_000));
}

fn keystone(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_keystone")).args(args).output().unwrap()
}

#[test]
fn debian_projects_put_xz_in_the_top_ten_and_flag_liblzma5() {
    let out = keystone(&["rank", "--by", "project", "--top", "10"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("rank,project,packages,direct_dependents,reach,reach_share,top_package"));
    assert!(text.lines().skip(1).any(|l| l.split(',').nth(1) == Some("xz-utils")), "{text}");
    let out = keystone(&["rank", "--top", "10"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let flag = header.iter().position(|&h| h == "gateway_flag").unwrap();
    let lzma = text.lines().find(|l| l.split(',').nth(1) == Some("liblzma5")).unwrap();
    assert_eq!(lzma.split(',').nth(flag), Some("true"), "{lzma}");
}

#[test]
fn score_columns_carry_every_signal_and_missing_ones_stay_empty() {
    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("weights.toml");
    std::fs::write(&weights, "[weights]\nreach_share = 1.0\npagerank = 0.0\n").unwrap();
    let out = keystone(&["rank", "--weights", weights.to_str().unwrap(), "--top", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for signal in keystone::analysis::score::Signal::ALL.map(|s| s.as_str()) {
        assert!(header.contains(&signal) && header.contains(&format!("{signal}_points").as_str()), "{signal}");
    }
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| first[header.iter().position(|&h| h == name).unwrap()];
    assert_eq!(col("popular_reach"), "", "no popularity file: missing, not zero");
    assert_eq!(col("missing"), "popular_reach");
    let points: f64 = header
        .iter()
        .zip(&first)
        .filter(|(h, _)| h.ends_with("_points"))
        .filter_map(|(_, v)| v.parse::<f64>().ok())
        .sum();
    assert!((points - col("score").parse::<f64>().unwrap()).abs() < 1e-5, "the score is the sum of the points");
    std::fs::write(&weights, "[weights]\nreach = 1.0\n").unwrap();
    let out = keystone(&["rank", "--weights", weights.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("weights.toml:2") && err.contains("reach"), "{err}");
}

#[test]
fn backtest_finds_xz_through_the_alias_file() {
    let dir = tempfile::tempdir().unwrap();
    let osv = dir.path().join("osv.jsonl");
    std::fs::write(
        &osv,
        concat!(
            r#"{"id":"GHSA-rxwq-x6h5-x525","aliases":["CVE-2024-3094"],"affected":[{"package":{"ecosystem":"Debian:13","name":"xz"}}]}"#,
            "\n",
            r#"{"id":"GHSA-x","affected":[{"package":{"ecosystem":"npm","name":"colors"}},{"package":{"ecosystem":"npm","name":"colors"}}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let aliases = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/aliases.toml");
    let out = keystone(&["backtest", osv.to_str().unwrap(), "--aliases", aliases]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "one row per advisory and package: {text}");
    assert!(rows[1].starts_with("GHSA-rxwq-x6h5-x525,CVE-2024-3094,Debian:13,xz,liblzma5,"), "{}", rows[1]);
    assert!(rows[2].starts_with("GHSA-x,,npm,colors,,,"), "not in a Debian graph: {}", rows[2]);
}

#[test]
fn blast_scenarios_write_status_columns() {
    let input = fixture("scenarios/crates-index.jsonl");
    let out = keystone(&["blast", input.to_str().unwrap(), "x", "--affected", "<1.1.0"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("package,depth,status,path\ncaret,1,fixable,caret > x\n"), "{csv}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("releases in range: 2 of 3") && err.contains("depth 1: 3 (stuck 2, fixable 1)"), "{err}");
    let out = keystone(&["blast", input.to_str().unwrap(), "x", "--removed"]);
    assert!(String::from_utf8(out.stdout).unwrap().lines().skip(1).all(|l| l.contains(",broken,")));
    let out = keystone(&["blast", input.to_str().unwrap(), "x", "--removed", "--affected", "<1"]);
    assert_eq!(out.status.code(), Some(2), "one scenario at a time");
}

/// Each scenario on the real crates.io file: the counts hang together with reach.
#[test]
fn scenarios_on_crates_io_2025() {
    let Some(path) = dataset("cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst") else { return };
    let graph = graph_of(Format::CratesIndex, &path, Profile::default());
    let x = graph.find("serde").unwrap();
    let all = run(&graph, x, &Scenario::Compromise, None).unwrap().search.reached.len();
    let affected = run(&graph, x, &Scenario::Affected("<1.0.100".into()), None).unwrap();
    let stuck = affected.search.reached.iter().filter(|&&v| affected.status(v) == Status::Stuck).count();
    assert!(0 < stuck && stuck < affected.search.reached.len() && affected.search.reached.len() <= all);
    let removed = run(&graph, x, &Scenario::Removed(None), None).unwrap();
    assert!(removed.search.reached.len() <= all && removed.search.reached.len() * 10 > all * 9);
    let old = run(&graph, x, &Scenario::Removed(Some("<1.0.100".into())), None).unwrap();
    assert!(old.search.reached.len() < affected.search.reached.len());
    eprintln!(
        "serde: compromise {all}, <1.0.100 affected {} (stuck {stuck}), removal {}, removal of <1.0.100 {}",
        affected.search.reached.len(),
        removed.search.reached.len(),
        old.search.reached.len()
    );
}
