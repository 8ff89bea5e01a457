//! The `keystone` binary: every command on the fixtures, exit codes, and bad input (clear
//! errors naming file and line, nothing written to `-o`).

use std::path::Path;
use std::process::{Command, Output};

use crate::fixture;

fn keystone(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keystone"))
        .args(args)
        .output()
        .expect("keystone runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn path(p: &Path) -> &str {
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
        "rank,package,ecosystem,version,direct_dependents,reach,reach_share,depth1,depth2,depth3,depth4plus,pagerank"
    );
    assert_eq!(lines.len(), 4);
    // All but four packages depend on libc6, which needs libgcc-s1 (a cycle), which needs
    // gcc-12-base: reach 10 of 14.
    assert!(
        lines[1].starts_with("1,gcc-12-base,debian,12.2.0-14,1,10,0.714286,1,1,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("2,libc6,debian,"), "{}", lines[2]);
}

#[test]
fn rank_output_is_atomic_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let input = fixture("crates-index.jsonl");
    assert!(keystone(&["rank", path(&input), "-o", path(&a)]).status.success());
    assert!(keystone(&["--threads", "1", "rank", path(&input), "-o", path(&b)])
        .status
        .success());
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
    assert!(
        stderr(&blast).contains("liblzma5 5.4.1-0.2: 5 packages affected"),
        "{}",
        stderr(&blast)
    );
    assert_eq!(
        stdout(&blast),
        "package,depth,path\n\
         postfix,1,postfix > liblzma5\n\
         xz-utils,1,xz-utils > liblzma5\n\
         bsd-mailx,2,bsd-mailx > postfix > liblzma5\n\
         libfoo1,2,libfoo1 > xz-utils > liblzma5\n\
         foo-tools,3,foo-tools > libfoo1 > xz-utils > liblzma5\n"
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
        (
            "bad.jsonl",
            "{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\nnot json\n",
            "bad.jsonl:2:",
        ),
        (
            "Packages",
            "Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\nDepends: c (>= 1), (broken\n",
            "Packages:6:",
        ),
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
        assert!(
            stderr(&skipped).contains("skipped 1 bad records"),
            "{name}: {}",
            stderr(&skipped)
        );
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
    assert!(
        text.lines().nth(1).unwrap().starts_with("1,gcc-12-base,debian,"),
        "{text}"
    );
}
