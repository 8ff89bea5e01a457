//! The `keystone` binary: every command on the fixtures, exit codes, and bad input (clear
//! errors naming file and line, nothing written to `-o`).

use std::path::Path;
use std::process::{Command, Output};

use crate::fixture;

pub fn keystone(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keystone")).args(args).output().expect("keystone runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn rank_writes_the_documented_columns() {
    let out = keystone(&["rank", path(&fixture("Packages")), "--top", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "rank,package,ecosystem,version,direct_dependents,reach,reach_share,depth1,depth2,depth3,depth4plus,pagerank,\
         floating_reach,project,maintainers,sole_maintainer,top_gateway,top_gateway_share,gateway_flag,estimated"
    );
    assert_eq!(lines.len(), 4);
    // All but four packages depend on libc6, which needs libgcc-s1 (a cycle), which needs
    // gcc-12-base: reach 10 of 14.
    assert!(lines[1].starts_with("1,gcc-12-base,debian,12.2.0-14,1,10,0.714286,1,1,"), "{}", lines[1]);
    assert!(lines[2].starts_with("2,libc6,debian,"), "{}", lines[2]);
}

#[test]
fn rank_output_is_atomic_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let input = fixture("crates-index.jsonl");
    assert!(keystone(&["rank", path(&input), "-o", path(&a)]).status.success());
    assert!(keystone(&["--threads", "1", "rank", path(&input), "-o", path(&b)]).status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn ingest_then_every_command_on_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("debian.snap");
    let out = keystone(&["ingest", path(&fixture("Packages")), "-o", path(&snap)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("14 packages, 19 edges"), "{}", stderr(&out));

    let from_raw = keystone(&["rank", path(&fixture("Packages"))]);
    let from_snap = keystone(&["rank", path(&snap)]);
    assert_eq!(stdout(&from_raw), stdout(&from_snap));

    let blast = keystone(&["blast", path(&snap), "liblzma5"]);
    assert!(blast.status.success(), "{}", stderr(&blast));
    assert!(stderr(&blast).contains("liblzma5 5.4.1-0.2: 5 packages affected"), "{}", stderr(&blast));
    assert_eq!(
        stdout(&blast),
        "package,depth,status,path\n\
         postfix,1,affected,postfix > liblzma5\n\
         xz-utils,1,affected,xz-utils > liblzma5\n\
         bsd-mailx,2,affected,bsd-mailx > postfix > liblzma5\n\
         libfoo1,2,affected,libfoo1 > xz-utils > liblzma5\n\
         foo-tools,3,affected,foo-tools > libfoo1 > xz-utils > liblzma5\n"
    );
    let limited = keystone(&["blast", path(&snap), "debian/liblzma5", "--max-depth", "1"]);
    assert_eq!(stdout(&limited).lines().count(), 3);

    let why = keystone(&["why", path(&snap), "foo-tools", "liblzma5"]);
    assert_eq!(why.status.code(), Some(0));
    assert_eq!(stdout(&why), "foo-tools > libfoo1 > xz-utils > liblzma5\n");
    let not = keystone(&["why", path(&snap), "liblzma5", "foo-tools"]);
    assert_eq!(not.status.code(), Some(1));
    assert!(stdout(&not).contains("liblzma5 does not depend on foo-tools"));

    let stats = keystone(&["stats", path(&snap)]);
    assert!(stats.status.success());
    let text = stdout(&stats);
    assert!(text.contains("packages: 14 (debian: 14)"), "{text}");
    assert!(text.contains("cycles: 1 components holding 2 packages"), "{text}");

    let edges = keystone(&["edges", path(&snap)]);
    assert_eq!(stdout(&edges).lines().count(), 20);

    // Shaping flags belong to ingest, not to a snapshot.
    let refused = keystone(&["rank", path(&snap), "--with-dev"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("apply when ingesting"));
}

#[test]
fn unknown_names_get_suggestions() {
    let out = keystone(&["blast", path(&fixture("Packages")), "liblzma"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no package named `liblzma`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean: liblzma5"), "{}", stderr(&out));
}

#[test]
fn bad_input_names_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str); 4] = [
        ("bad.jsonl", "{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\nnot json\n", "bad.jsonl:2:"),
        ("Packages", "Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\nDepends: c (>= 1), (broken\n", "Packages:6:"),
        ("edges.csv", "a,b\nb,c,weird-kind\n", "edges.csv:2:"),
        ("more-edges.csv", "a,b\nonly-one-field\n", "more-edges.csv:2:"),
    ];
    for (name, content, location) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, content).unwrap();
        let output = dir.path().join(format!("{name}.out.csv"));
        let out = keystone(&["rank", path(&input), "-o", path(&output)]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(location), "{name}: {}", stderr(&out));
        assert!(!output.exists(), "{name}: nothing may be written");
        let skipped = keystone(&["rank", path(&input), "--skip-bad", "-o", path(&output)]);
        assert!(skipped.status.success(), "{name}: {}", stderr(&skipped));
        assert!(stderr(&skipped).contains("skipped 1 bad records"), "{name}: {}", stderr(&skipped));
    }
    let unknown = dir.path().join("mystery.bin");
    std::fs::write(&unknown, "x").unwrap();
    let out = keystone(&["rank", path(&unknown)]);
    assert!(stderr(&out).contains("pass --format"), "{}", stderr(&out));
}

#[test]
fn rank_runs_on_the_embedded_default() {
    let out = keystone(&["rank", "--top", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().nth(1).unwrap().starts_with("1,gcc-12-base,debian,"), "{text}");
}

#[test]
fn new_release_follows_floating_requirements_only() {
    let input = fixture("crates-index.jsonl");
    // cc pins libc at `=0.2.150`: a malicious libc 0.2.151 reaches getrandom, ash and tokio,
    // but neither cc nor mylib (which depends on libc only through cc).
    let all = keystone(&["blast", path(&input), "libc"]);
    assert_eq!(stdout(&all).lines().count(), 1 + 5, "{}", stdout(&all));
    let fresh = keystone(&["blast", path(&input), "libc", "--new-release"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert_eq!(
        stdout(&fresh),
        "package,depth,status,path\nash,1,floats,ash > libc\ngetrandom,1,floats,getrandom > libc\ntokio,1,floats,tokio > libc\n"
    );
    assert!(stderr(&fresh).contains("3 packages affected by a malicious next release"), "{}", stderr(&fresh));
    // mylib pins rand exactly at its latest (`=0.9.3`), and is still hit through rand's
    // floating `^0.9` on rand_core.
    let through = keystone(&["blast", path(&input), "rand_core", "--new-release"]);
    assert_eq!(
        stdout(&through),
        "package,depth,status,path\nrand,1,floats,rand > rand_core\nmylib,2,floats,mylib > rand > rand_core\n"
    );
    // And the rank column agrees.
    let rank = stdout(&keystone(&["rank", path(&input)]));
    let libc = rank.lines().find(|l| l.contains(",libc,")).unwrap();
    assert_eq!(libc.split(',').nth(12), Some("3"), "floating_reach: {libc}");
}

#[test]
fn one_snapshot_holds_several_ecosystems() {
    let dir = tempfile::tempdir().unwrap();
    // Cross-ecosystem links: the libc crate binds Debian's libc6; an npm package named `cc`
    // makes the bare name `cc` ambiguous.
    let links = dir.path().join("links.csv");
    std::fs::write(&links, "dependent,dependency\ncrates/libc,debian/libc6\nnpm/cc,npm/ms\n").unwrap();
    let snap = dir.path().join("all.snap");
    let inputs = [fixture("crates-index.jsonl"), fixture("Packages"), fixture("npm/packuments.jsonl"), links];
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(inputs.iter().map(|p| path(p)));
    let out = keystone(&args);
    assert!(out.status.success(), "{}", stderr(&out));

    let stats = stdout(&keystone(&["stats", path(&snap)]));
    assert!(stats.contains("crates: 12, debian: 14, npm: "), "{stats}");

    let blast = keystone(&["blast", path(&snap), "debian/libc6"]);
    assert!(blast.status.success(), "{}", stderr(&blast));
    let text = stdout(&blast);
    assert!(text.contains("\ncrates/libc,1,affected,crates/libc > debian/libc6\n"), "{text}");
    assert!(text.contains("\ncrates/tokio,2,affected,crates/tokio > crates/libc > debian/libc6\n"), "{text}");

    let why = keystone(&["why", path(&snap), "crates/mylib", "libc6"]);
    assert_eq!(stdout(&why), "crates/mylib > crates/cc > crates/libc > debian/libc6\n");

    let ambiguous = keystone(&["blast", path(&snap), "cc"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(stderr(&ambiguous).contains("crates/cc, npm/cc"), "{}", stderr(&ambiguous));

    // The mixed graph's edge list reads back as the same graph.
    let edges = dir.path().join("edges.csv");
    assert!(keystone(&["edges", path(&snap), "-o", path(&edges)]).status.success());
    let again = dir.path().join("again.snap");
    assert!(keystone(&["ingest", path(&edges), "-o", path(&again)]).status.success());
    assert_eq!(stdout(&keystone(&["edges", path(&again)])), std::fs::read_to_string(&edges).unwrap());
}

#[test]
fn a_killed_run_leaves_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.snap");
    std::fs::write(&out, "the old file").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_keystone"))
        .args(["synth", "--packages", "3000000", "-o", path(&out)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    if !finished {
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "the old file");
    }
}

#[test]
fn rank_within_a_memory_limit_estimates_and_keeps_the_top_exact() {
    let exact = keystone(&["rank", "--top", "20"]);
    let bounded = keystone(&["rank", "--top", "20", "--max-memory", "0.002"]);
    assert!(bounded.status.success(), "{}", stderr(&bounded));
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
                (
                    cells[1].to_string(),
                    cells[5].to_string(),
                    cells[19].contains("reach") && !cells[19].contains("floating"),
                )
            })
            .collect()
    };
    assert_eq!(rows(&bounded), rows(&exact));
    assert!(rows(&bounded).iter().all(|(_, _, estimated)| !estimated));
    // The whole ranking marks estimates; too small a limit is a clear error.
    let all = keystone(&["rank", "--max-memory", "0.002"]);
    assert!(stdout(&all).lines().any(|line| line.ends_with(",reach") || line.ends_with(",reach floating_reach")));
    let tiny = keystone(&["rank", "--max-memory", "0.0001"]);
    assert_eq!(tiny.status.code(), Some(2));
    assert!(
        stderr(&tiny).contains("need at least") && stderr(&tiny).contains("raise --max-memory"),
        "{}",
        stderr(&tiny)
    );
    let groups = keystone(&["rank", "--by", "project", "--max-memory", "1"]);
    assert!(stderr(&groups).contains("--max-memory applies to package rankings"), "{}", stderr(&groups));
}
