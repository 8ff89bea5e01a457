//! The `rank` command: its columns, the embedded default dataset, rankings within a memory
//! limit, rankings by project (repository addresses normalised into project keys) with the
//! gateway flag, and the score's columns and weights file.

use std::process::Output;

use keystone::model::normalize_repository;

use crate::workdir::{assert_ok, fixture, path, stderr, stdout, Workdir};

#[test]
fn rank_writes_the_documented_columns() {
    let wd = Workdir::new();
    let out = wd.run(&["rank", path(&fixture("Packages")), "--top", "3"]);
    assert_ok(&out);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "rank,package,ecosystem,version,direct_dependents,reach,reach_share,depth1,depth2,depth3,depth4plus,pagerank,\
         floating_reach,project,maintainers,sole_maintainer,top_gateway,top_gateway_share,gateway_flag,reach_estimated,\
         floating_reach_estimated"
    );
    assert_eq!(lines.len(), 4);
    // All but four packages depend on libc6, which needs libgcc-s1 (a cycle), which needs
    // gcc-12-base: reach 10 of 14.
    assert!(lines[1].starts_with("1,gcc-12-base,debian,12.2.0-14,1,10,0.714286,1,1,"), "{}", lines[1]);
    assert!(lines[2].starts_with("2,libc6,debian,"), "{}", lines[2]);
}

#[test]
fn rank_runs_on_the_embedded_default() {
    let wd = Workdir::new();
    let out = wd.run(&["rank", "--top", "3"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.lines().nth(1).unwrap().starts_with("1,gcc-12-base,debian,"), "{text}");
}

#[test]
fn rank_within_a_memory_limit_estimates_and_keeps_the_top_exact() {
    let wd = Workdir::new();
    let exact = wd.run(&["rank", "--top", "20"]);
    let bounded = wd.run(&["rank", "--top", "20", "--max-memory", "0.002"]);
    assert_ok(&bounded);
    assert!(
        stderr(&bounded).contains("the exact reach sets passed the memory limit (2.05 MiB, --max-memory)"),
        "{}",
        stderr(&bounded)
    );
    // The top 20 by reach: same packages, same reach, in the same order, not marked estimated.
    let rows = |out: &Output| -> Vec<(String, String, bool)> {
        stdout(out)
            .lines()
            .skip(1)
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                (cells[1].to_string(), cells[5].to_string(), cells[19] == "true")
            })
            .collect()
    };
    assert_eq!(rows(&bounded), rows(&exact));
    assert!(rows(&bounded).iter().all(|(_, _, estimated)| !estimated));
    // The whole ranking marks estimates; too small a limit is a clear error.
    let all = wd.run(&["rank", "--max-memory", "0.002"]);
    assert!(stdout(&all).lines().any(|line| line.ends_with(",true,false") || line.ends_with(",true,true")));
    let tiny = wd.run(&["rank", "--max-memory", "0.0001"]);
    assert_eq!(tiny.status.code(), Some(2));
    assert!(
        stderr(&tiny).contains("need at least") && stderr(&tiny).contains("raise --max-memory"),
        "{}",
        stderr(&tiny)
    );
    let groups = wd.run(&["rank", "--by", "project", "--max-memory", "1"]);
    assert!(stderr(&groups).contains("--max-memory applies to package rankings"), "{}", stderr(&groups));
}

#[test]
fn debian_projects_put_xz_in_the_top_ten_and_flag_liblzma5() {
    let wd = Workdir::new();
    let out = wd.run(&["rank", "--by", "project", "--top", "10"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.starts_with("rank,project,packages,direct_dependents,reach,reach_share,top_package"));
    assert!(text.lines().skip(1).any(|l| l.split(',').nth(1) == Some("xz-utils")), "{text}");
    assert!(
        stderr(&out).contains("projects: debian: 63436 of 63727 packages from the Source field"),
        "{}",
        stderr(&out)
    );
    let out = wd.run(&["rank", "--top", "10"]);
    let text = stdout(&out);
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let flag = header.iter().position(|&h| h == "gateway_flag").unwrap();
    let lzma = text.lines().find(|l| l.split(',').nth(1) == Some("liblzma5")).unwrap();
    assert_eq!(lzma.split(',').nth(flag), Some("true"), "{lzma}");
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

/// The columns of one CSV row by name.
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines.map(|l| header.iter().map(|h| h.to_string()).zip(l.split(',').map(str::to_string)).collect()).collect()
}

/// Every score column recomputes from the ones before it: the size from reach and direct
/// dependents, impact and fragility from the points, the score from both; missing signals are
/// empty and add nothing.
#[test]
fn score_columns_recompute_and_missing_ones_stay_empty() {
    let wd = Workdir::new();
    let weights = wd.create("weights.toml", "[weights]\nreach = 1.0\ndirect = 1.0\npagerank = 0.0\n");
    let out = wd.run(&["rank", "--weights", path(&weights)]);
    assert_ok(&out);
    let rows = rows(&stdout(&out));
    let f = |row: &std::collections::HashMap<String, String>, c: &str| -> f64 { row[c].parse().unwrap_or(0.0) };
    let key = |row| f(row, "impact") * f(row, "fragility");
    let top = key(&rows[0]);
    for row in &rows {
        assert_eq!(row["popular_reach"], "", "no popularity file: missing, not zero");
        assert!(row["missing"].starts_with("popular_reach"));
        let size = ((1.0 + f(row, "reach")) * (1.0 + f(row, "direct_dependents"))).sqrt() - 1.0;
        assert!((size - f(row, "size")).abs() < 1e-5, "{row:?}");
        assert_eq!(f(row, "pagerank_points"), 0.0);
        assert!((f(row, "impact") - f(row, "size")).abs() < 1e-5);
        let fragility = 1.0 + f(row, "concentration_points") + f(row, "sole_maintainer_points");
        assert!((fragility - f(row, "fragility")).abs() < 1e-5);
        assert!((key(row).ln_1p() / top.ln_1p() - f(row, "score")).abs() < 1e-5, "{row:?}");
        assert_eq!(row["rank"], row["ecosystem_rank"], "one ecosystem");
    }
    // The old additive score's weights are refused by name.
    std::fs::write(&weights, "[weights]\nreach_share = 1.0\n").unwrap();
    let out = wd.run(&["rank", "--weights", path(&weights)]);
    let err = stderr(&out);
    assert!(!out.status.success() && err.contains("weights.toml:2") && err.contains("reach_share"), "{err}");
    std::fs::write(&weights, "[weights]\nconcentration = 4.0\n").unwrap();
    let out = wd.run(&["rank", "--weights", path(&weights), "--top", "1"]);
    assert_ok(&out);
    assert!(stderr(&out).contains("can rank above it"), "{}", stderr(&out));
}

/// `--score` ranks projects and accounts too, each with the evidence of the whole group.
#[test]
fn score_ranks_projects_and_accounts() {
    let wd = Workdir::new();
    let out = wd.run(&["rank", "--score", "--by", "project", "--top", "5"]);
    assert_ok(&out);
    let projects = rows(&stdout(&out));
    assert_eq!(projects[0]["project"], "glibc");
    assert_eq!((projects[0]["ecosystem"].as_str(), projects[0]["ecosystem_rank"].as_str()), ("debian", "1"));
    assert!(projects.iter().any(|r| r["project"] == "xz-utils" || r["project"] == "gcc-12"), "{projects:?}");
    let out = wd.run(&["rank", "--score", "--by", "account", "--top", "3"]);
    assert_ok(&out);
    let accounts = rows(&stdout(&out));
    assert!(accounts[0]["account"].starts_with("debian/"), "{accounts:?}");
    assert_eq!(
        accounts[0]["sole_maintainer"],
        if accounts[0]["account"].contains("@lists.") { "false" } else { "true" }
    );
}

/// A popularity list is matched by the registry's name rules and says how many names matched;
/// one for an ecosystem the graph lacks, or whose names mostly match nothing, is refused.
#[test]
fn popularity_lists_say_what_they_matched() {
    let wd = Workdir::new();
    let list = wd.create("pypi.tsv", "name\tdownloads\nURLLib3\t100\nRequests\t50\nnot-in-the-graph\t1\n");
    let input = fixture("pypi/pypi-api.jsonl");
    let popularity = format!("pypi={}", path(&list));
    let out = wd.run(&["rank", path(&input), "--popularity", &popularity]);
    assert_ok(&out);
    assert!(stderr(&out).contains("pypi.tsv: matched 2 of 3 names to pypi packages"), "{}", stderr(&out));
    let absent = format!("npm={}", path(&list));
    let out = wd.run(&["rank", path(&input), "--popularity", &absent]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the graph holds no npm packages (it holds pypi)"), "{}", stderr(&out));
    let other = wd.create("npm.tsv", "name\tdownloads\nleft-pad\t100\nexpress\t50\n");
    let out = wd.run(&["rank", path(&input), "--popularity", &format!("pypi={}", path(&other))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only 0 of its 2 names are pypi packages of the graph"), "{}", stderr(&out));
}
