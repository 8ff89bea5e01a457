//! Outputs: written atomically (a temporary file beside the target, renamed when complete, so a
//! killed or failed run leaves the old file and no temporary one), and byte-identical whatever
//! the thread count; an output that is also an input, or has no folder to go into, is refused
//! before any work.

use crate::workdir::{assert_ok, fixture, path, stderr, stdout, Workdir};

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

/// Every table keystone writes, in every encoding, reads back with pandas and polars with no
/// options, each column in the type the table declares (exactly in JSON lines and Parquet; as
/// far as CSV can say): on Debian, crates.io 2019 and a snapshot of several ecosystems.
/// Needs python3 with pandas, polars, pyarrow and zstandard (`.ci/run` installs them).
#[test]
fn tables_read_back_typed_in_pandas_and_polars() {
    use keystone::export::movements::{DiffRow, ProfilesRow};
    use keystone::export::table::Column;
    use keystone::export::tables::*;
    let modules = std::process::Command::new("python3")
        .args(["-c", "import pandas, polars, pyarrow, zstandard"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !modules {
        assert!(std::env::var("CI").is_ok_and(|v| v != "true") || std::env::var("CI").is_err(), "CI needs them");
        eprintln!("skipping: python3 with pandas, polars, pyarrow and zstandard is not here");
        return;
    }
    let wd = Workdir::new();
    let blasted = |name: &str| match name {
        "mixed" => "crates/libc",
        "debian" => "liblzma5",
        _ => "serde",
    };
    let sources: Vec<_> = wd.sample_snapshots().into_iter().map(|(name, snap)| (name, snap, blasted(name))).collect();
    let named = |columns: Vec<Column>, kind: &str| -> Vec<Column> {
        columns.into_iter().map(|c| if c.name == "group" { Column { name: kind.into(), ..c } } else { c }).collect()
    };
    let mut tables = Vec::new();
    let mut table = |name: String, args: Vec<String>, columns: Vec<Column>, formats: &[&str]| {
        let mut files = serde_json::Map::new();
        for format in formats {
            let file = wd.path(&format!("{name}.{format}"));
            let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
            all.extend(["-o", path(&file)]);
            assert_ok(&wd.run(&all));
            files.insert(format.to_string(), path(&file).into());
        }
        let columns: Vec<serde_json::Value> = columns
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "type": c.ty.as_str(), "nullable": c.nullable}))
            .collect();
        tables.push(serde_json::json!({"files": files, "columns": columns}));
    };
    let every = ["csv", "csv.gz", "csv.zst", "jsonl", "jsonl.gz", "jsonl.zst", "parquet"];
    let plain = ["csv", "jsonl", "parquet"];
    for (source, snap, package) in &sources {
        let formats: &[&str] = if *source == "mixed" { &every } else { &plain };
        let snap = path(snap).to_string();
        let run = |words: &[&str]| -> Vec<String> {
            let mut args: Vec<String> = vec![words[0].into(), snap.clone()];
            args.extend(words[1..].iter().map(|w| w.to_string()));
            args
        };
        table(format!("{source}-rank"), run(&["rank"]), RankRow::columns(), formats);
        table(format!("{source}-score"), run(&["rank", "--score"]), ScoreRow::columns(), formats);
        table(
            format!("{source}-projects"),
            run(&["rank", "--by", "project"]),
            named(GroupRow::columns(), "project"),
            formats,
        );
        let scored = named(GroupScoreRow::columns(), "project");
        table(format!("{source}-project-scores"), run(&["rank", "--score", "--by", "project"]), scored, formats);
        table(format!("{source}-blast"), run(&["blast", package]), BlastRow::columns(), formats);
        table(format!("{source}-edges"), run(&["edges"]), EdgeRow::columns(), formats);
    }
    let accounts = ["rank".to_string(), path(&sources[1].1).to_string(), "--by".into(), "account".into()];
    table("debian-accounts".into(), accounts.to_vec(), named(GroupRow::columns(), "account"), &plain);
    let osv = wd.create(
        "osv.jsonl",
        r#"{"id":"GHSA-rxwq-x6h5-x525","aliases":["CVE-2024-3094"],"affected":[{"package":{"ecosystem":"Debian:13","name":"xz"}},{"package":{"ecosystem":"npm","name":"colors"}}]}"#,
    );
    let aliases = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/aliases.toml");
    let backtest =
        vec!["backtest".into(), path(&osv).into(), path(&sources[1].1).into(), "--aliases".into(), aliases.into()];
    table("backtest".into(), backtest, BacktestRow::columns(), &plain);
    let diff = vec!["diff".into(), path(&fixture("diff/old.csv")).into(), path(&fixture("diff/new.csv")).into()];
    table("diff".into(), diff, DiffRow::columns(), &plain);
    let (index, debian_fixture) = (fixture("crates-index.jsonl"), fixture("Packages"));
    let profiles = ["compare-profiles", path(&index), "--b", "normal,build,dev"];
    table("profiles".into(), profiles.map(String::from).to_vec(), ProfilesRow::columns(), &plain);
    let bindings = ["bindings", path(&debian_fixture), path(&index)];
    table("bindings".into(), bindings.map(String::from).to_vec(), BindingRow::columns(), &plain);
    let manifest = wd.create("manifest.json", serde_json::json!({ "tables": tables }).to_string());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/readback.py");
    let out = std::process::Command::new("python3").args([script, path(&manifest)]).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
}

/// `docs/schemas.md` lists every table's columns with their types, as the row types declare
/// them; `KEYSTONE_BLESS=1 cargo test schemas` rewrites it after a change.
#[test]
fn schemas_doc_matches_the_row_types() {
    use keystone::export::movements::{DiffRow, ProfilesRow};
    use keystone::export::table::Column;
    use keystone::export::tables::*;
    let tables: [(&str, Vec<Column>); 10] = [
        ("`rank`", RankRow::columns()),
        ("`rank --score`", ScoreRow::columns()),
        ("`rank --by project` (`--by account`: `account`)", GroupRow::columns()),
        ("`rank --score --by project` (`--by account`: `account`)", GroupScoreRow::columns()),
        ("`blast`", BlastRow::columns()),
        ("`edges`", EdgeRow::columns()),
        ("`backtest`", BacktestRow::columns()),
        ("`diff`", DiffRow::columns()),
        ("`compare-profiles`", ProfilesRow::columns()),
        ("`bindings`", BindingRow::columns()),
    ];
    let mut doc = String::from(
        "# Table schemas\n\n<!-- Generated by tests/it/outputs.rs from the row types; \
         KEYSTONE_BLESS=1 cargo test schemas rewrites it. -->\n\nEvery table keystone writes has one \
         schema, whatever the data and the format (CSV, JSON lines, Parquet): each column has one \
         type, and only the columns marked nullable have empty cells (CSV), `null` (JSON) or \
         nulls (Parquet). Integers are 64-bit in Parquet; floats are printed in CSV with the \
         precision [the reference](reference.md#output-columns) gives and written in full in JSON \
         and Parquet. What each column means is in [the reference](reference.md#output-columns) \
         and [the model](model.md).\n",
    );
    for (name, columns) in &tables {
        doc += &format!("\n## {name}\n\n| column | type | nullable |\n|---|---|---|\n");
        for c in columns {
            let column = if c.name == "group" { "project" } else { &c.name };
            doc += &format!("| `{column}` | {} | {} |\n", c.ty.as_str(), if c.nullable { "yes" } else { "" });
        }
    }
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schemas.md");
    if std::env::var("KEYSTONE_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(file, &doc).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(file).unwrap_or_default(),
        doc,
        "docs/schemas.md is stale: rerun with KEYSTONE_BLESS=1"
    );
}

/// An output file gets the mode a plain creation gives under the umask (0644 under 022), and a
/// replaced file keeps its own.
#[cfg(unix)]
#[test]
fn outputs_take_the_mode_of_a_plain_file() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    let out = wd.path("rank.parquet");
    let run = || {
        let script = format!("umask 022 && '{}' rank --top 1 -o '{}'", env!("CARGO_BIN_EXE_keystone"), path(&out));
        assert!(std::process::Command::new("sh").args(["-c", &script]).status().unwrap().success());
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(run(), 0o644);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(run(), 0o640);
}

/// Where an output came from: Parquet carries the keystone version, the command line and each
/// input's size and SHA-256 in its metadata (and stays byte-identical run to run);
/// `--provenance` writes the same, with the time, beside a CSV.
#[test]
fn outputs_say_where_they_came_from() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let wd = Workdir::new();
    let input = wd.create("Packages", std::fs::read(fixture("Packages")).unwrap());
    let sha256 = std::process::Command::new("sha256sum").arg(&input).output().unwrap();
    let sha256 = String::from_utf8(sha256.stdout).unwrap().split_whitespace().next().unwrap().to_string();
    let parquet = wd.path("rank.parquet");
    let run = || {
        assert_ok(&wd.run(&["rank", path(&input), "-o", path(&parquet)]));
        std::fs::read(&parquet).unwrap()
    };
    assert_eq!(run(), run(), "no time in the table");
    let reader = SerializedFileReader::new(std::fs::File::open(&parquet).unwrap()).unwrap();
    let metadata = reader.metadata().file_metadata().key_value_metadata().unwrap();
    let record = metadata.iter().find(|kv| kv.key == "keystone.provenance").unwrap().value.clone().unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(record["keystone"], format!("keystone {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(record["command"][1], "rank");
    assert_eq!(record["inputs"][0]["sha256"], sha256.as_str());
    assert_eq!(record["inputs"][0]["bytes"], std::fs::metadata(&input).unwrap().len());
    let csv = wd.path("rank.csv");
    assert_ok(&wd.run(&["rank", path(&input), "-o", path(&csv), "--provenance"]));
    let sidecar: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path("rank.csv.provenance.json")).unwrap()).unwrap();
    assert_eq!(sidecar["inputs"][0]["sha256"], sha256.as_str());
    assert!(sidecar["written_unix_seconds"].as_u64().unwrap() > 1_700_000_000);
    let out = wd.run(&["rank", path(&input), "--provenance"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--provenance writes a file beside the output"), "{}", stderr(&out));
}

/// `stats --json`, `blast --summary FILE` and `why --json` give the summaries as JSON, with the
/// same counts and chain as the text.
#[test]
fn summaries_as_json() {
    let wd = Workdir::new();
    let packages = fixture("Packages");
    let out = wd.run(&["stats", path(&packages), "--json"]);
    assert_ok(&out);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((stats["packages"].as_u64(), stats["packages_by_ecosystem"]["debian"].as_u64()), (Some(14), Some(14)));
    assert_eq!(stats["cyclic_components"], 1);
    let summary = wd.path("summary.json");
    let out = wd.run(&["blast", path(&packages), "liblzma5", "--summary", path(&summary)]);
    assert_ok(&out);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let affected = stdout(&out).lines().count() as u64 - 1;
    assert_eq!(json["affected"].as_u64(), Some(affected));
    let by_depth: u64 = json["by_depth"].as_array().unwrap().iter().map(|d| d["affected"].as_u64().unwrap()).sum();
    assert_eq!(by_depth, affected);
    assert!(stderr(&out).contains(&format!(": {affected} packages affected if compromised")), "{}", stderr(&out));

    let out = wd.run(&["why", path(&packages), "foo-tools", "liblzma5", "--json"]);
    assert_ok(&out);
    let why: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(why["depends"], true);
    let chain = why["chain"].as_array().unwrap();
    let names: Vec<&str> = chain.iter().map(|step| step["package"].as_str().unwrap()).collect();
    assert_eq!(names, ["foo-tools", "libfoo1", "xz-utils", "liblzma5"]);
    assert_eq!((&chain[2]["requirement"], &chain[2]["version"]), (&">= 5.4.0".into(), &"5.4.1-0.2".into()));
    assert_eq!((&chain[3]["requirement"], &chain[3]["floats"]), (&serde_json::Value::Null, &serde_json::Value::Null));
    let out = wd.run(&["why", path(&packages), "liblzma5", "foo-tools", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let why: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((&why["depends"], why["chain"].as_array().map(Vec::len)), (&false.into(), Some(0)));
}
