//! Outputs: written atomically (a temporary file beside the target, renamed when complete, so a
//! killed or failed run leaves the old file and no temporary one), and byte-identical whatever
//! the thread count; an output that is also an input, or has no folder to go into, is refused
//! before any work.

use crate::workdir::{assert_ok, fixture, path, stderr, Workdir};

#[test]
fn rank_output_is_atomic_and_deterministic() {
    let wd = Workdir::new();
    let a = wd.path("a.csv");
    let b = wd.path("b.csv");
    let input = fixture("crates-index.jsonl");
    assert_ok(&wd.run(&["rank", path(&input), "-o", path(&a)]));
    assert_ok(&wd.run(&["--threads", "1", "rank", path(&input), "-o", path(&b)]));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(wd.root()).unwrap().count(), 2);
}

#[test]
fn outputs_are_byte_identical_on_any_thread_count() {
    let wd = Workdir::new();
    // A mixed graph with cycles and ties in reach.
    let snap = wd.path("all.snap");
    let inputs = [fixture("crates-index.jsonl"), fixture("Packages"), fixture("npm/packuments.jsonl")];
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(inputs.iter().map(|p| path(p)));
    assert_ok(&wd.run(&args));
    let commands: [&[&str]; 5] = [
        &["rank"],
        &["blast", "debian/libc6"],
        &["blast", "crates/libc", "--new-release"],
        &["edges"],
        &["why", "crates/mylib", "crates/libc"],
    ];
    for command in commands {
        let mut outputs = Vec::new();
        for threads in ["1", "2", "1", "2"] {
            let mut args = vec!["--threads", threads, command[0], path(&snap)];
            args.extend_from_slice(&command[1..]);
            let out = wd.run(&args);
            assert!(out.status.success(), "{command:?}: {}", stderr(&out));
            assert!(!out.stdout.is_empty());
            outputs.push((threads, crc32fast::hash(&out.stdout), out.stdout));
        }
        for (threads, hash, bytes) in &outputs[1..] {
            assert!(*bytes == outputs[0].2, "{command:?} on {threads} threads: crc {hash:08x} != {:08x}", outputs[0].1);
        }
    }
}

#[test]
fn a_killed_run_leaves_the_old_output() {
    let wd = Workdir::new();
    let out = wd.create("graph.snap", "the old file");
    let mut child = wd
        .command(&["synth", "--packages", "3000000", "-o", path(&out)])
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
fn a_failed_run_leaves_the_old_csv_and_no_temporary_file() {
    // `a_killed_run_leaves_the_old_output` (above) covers a snapshot; CSV outputs go through
    // the same temporary-file-and-rename, so a run that fails keeps the old file as it was.
    let wd = Workdir::new();
    let bad = wd.create("bad.csv", "a,b\nb,c,weird-kind\n");
    for command in ["rank", "edges"] {
        let out_file = wd.create(&format!("{command}.csv"), "the old file");
        let out = wd.run(&[command, path(&bad), "-o", path(&out_file)]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "the old file", "{command}");
    }
    let out_file = wd.create("blast.csv", "the old file");
    let out = wd.run(&["blast", path(&bad), "b", "-o", path(&out_file)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "the old file");
    assert_eq!(wd.files(), ["bad.csv", "blast.csv", "edges.csv", "rank.csv"]);
}

#[test]
fn an_output_that_is_an_input_or_has_no_folder_is_refused() {
    let wd = Workdir::new();
    let snap = wd.path("x.snap");
    assert_ok(&wd.run(&["ingest", path(&fixture("Packages")), "-o", path(&snap)]));
    let before = std::fs::read(&snap).unwrap();
    for args in [
        vec!["rank", path(&snap), "-o", path(&snap)],
        vec!["ingest", path(&snap), "-o", path(&snap)],
        vec!["blast", path(&snap), "liblzma5", "-o", path(&snap)],
        vec!["edges", path(&snap), "-o", "./x.snap"],
    ] {
        let out = wd.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("is also an input; write the output to another file"), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read(&snap).unwrap(), before, "the input is untouched");
    let out = wd.run(&["rank", path(&snap), "-o", "missing/rank.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing/rank.csv: there is no folder missing to write it into"), "{}", stderr(&out));
}

/// A reader that stops early (`keystone rank | head -1`) is no failure: exit 0, nothing on
/// stderr.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let wd = Workdir::new();
    for args in [vec!["rank"], vec!["edges", path(&fixture("Packages"))], vec!["stats", path(&fixture("Packages"))]] {
        let mut child = wd
            .command(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?}");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}
