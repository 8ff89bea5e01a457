//! deps.dev exports (`--format deps-dev`): the hand-made fixtures of its tables in its three
//! export shapes (the requirements tables of Go, NuGet and RubyGems among them), their bad rows, and the round trip at real scale: the
//! crates.io 2025 and PyPI graphs written in deps.dev's shape read back with the same reach for
//! every package.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use keystone::analysis::reach::reach;
use keystone::graph::Graph;
use keystone::ingest::Format;
use keystone::model::{Ecosystem, Profile};
use keystone::progress::NoProgress;
use rustc_hash::FxHashMap;

use crate::workdir::{assert_ok, dataset, fixture, graph_of, path, stderr, stdout, Workdir};

#[test]
fn deps_dev_exports_read_as_json_lines_and_as_csv() {
    let wd = Workdir::new();
    let (json, csv, parquet) = (fixture("deps-dev/json"), fixture("deps-dev/csv"), fixture("deps-dev/parquet"));
    let rank = wd.run(&["rank", path(&json)]);
    assert_ok(&rank);
    assert_eq!(stdout(&rank), stdout(&wd.run(&["rank", path(&csv)])), "CSV and JSON lines give one graph");
    assert_eq!(stdout(&rank), stdout(&wd.run(&["rank", path(&parquet)])), "Parquet and JSON lines give one graph");
    let text = stdout(&rank);
    // log4j-api at its latest release (not the 3.0.0 beta), reached through log4j-core and
    // log4j-to-slf4j; only direct rows (MinimumDepth 1) of the latest version are edges.
    assert!(text.contains(",org.apache.logging.log4j:log4j-api,maven,2.17.1,3,5,"), "{text}");
    assert!(!text.contains("old-only"), "a dependency of an older version is no edge: {text}");
    let blast = wd.run(&["blast", path(&json), "maven/org.apache.logging.log4j:log4j-core"]);
    assert_eq!(
        stdout(&blast),
        "package,depth,status,reach,path\n\
         maven/org.elasticsearch:elasticsearch,1,affected,1,maven/org.elasticsearch:elasticsearch > maven/org.apache.logging.log4j:log4j-core\n\
         maven/com.example:app,2,affected,0,maven/com.example:app > maven/org.elasticsearch:elasticsearch > maven/org.apache.logging.log4j:log4j-core\n"
    );
    // DependencyGraphEdges give requirements: spring-boot-starter-logging asks for log4j-to-slf4j
    // softly (`2.17.1`), so a new release of it does not spread; PackageVersionToProject gives
    // the projects (the latest version's source repository, its case ignored).
    let columns = |name: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.split(',').nth(1) == Some(name)).unwrap();
        line.split(',').map(str::to_string).collect()
    };
    let slf4j = columns("org.apache.logging.log4j:log4j-to-slf4j");
    assert_eq!(
        (slf4j[5].as_str(), slf4j[12].as_str(), slf4j[13].as_str()),
        ("2", "0", "github.com/apache/logging-log4j2")
    );
    assert_eq!(columns("org.apache.logging.log4j:log4j-core")[13], "github.com/apache/logging-log4j2");
    let projects = stdout(&wd.run(&["rank", path(&json), "--by", "project"]));
    assert!(projects.contains(",github.com/apache/logging-log4j2,3,"), "{projects}");
    // NuGet ids ignore case; Go module paths are names with slashes.
    assert_ok(&wd.run(&["blast", path(&json), "nuget/newtonsoft.json"]));
    let why = wd.run(&["why", path(&json), "go/github.com/example/tool", "go/golang.org/x/net"]);
    assert_eq!(stdout(&why), "go/github.com/example/tool > go/golang.org/x/net\n");
}

#[test]
fn requirements_tables_build_the_go_nuget_and_rubygems_graphs() {
    let wd = Workdir::new();
    let json = fixture("deps-dev/json");
    let rank = stdout(&wd.run(&["rank", path(&json)]));
    // (reach, floating_reach, project) of a package.
    let row = |name: &str| -> (String, String, String) {
        let line = rank.lines().find(|l| l.split(',').nth(1) == Some(name)).unwrap_or_else(|| panic!("{name}: {rank}"));
        let c: Vec<&str> = line.split(',').collect();
        (c[5].to_string(), c[12].to_string(), c[13].to_string())
    };
    let of =
        |reach: &str, floating: &str, project: &str| (reach.to_string(), floating.to_string(), project.to_string());
    // RubyGems: `~>` and `>=` requirements take the next release (Bundler picks the highest
    // allowed); `= 7.1.3` does not. Development dependencies (bundler) are no edges.
    assert_eq!(row("concurrent-ruby"), of("5", "5", "github.com/ruby-concurrency/concurrent-ruby"));
    assert_eq!(row("activesupport"), of("2", "0", "github.com/rails/rails"));
    assert_eq!(row("bundler"), of("0", "0", ""));
    let projects = stdout(&wd.run(&["rank", path(&json), "--by", "project"]));
    assert!(projects.contains(",github.com/rails/rails,3,"), "{projects}");
    // Go: minimums never float; the `// indirect` requirement of the tool is no edge, and the
    // requirements of an older version are not read.
    assert_eq!(row("golang.org/x/text"), of("2", "0", ""));
    let why = wd.run(&["why", path(&json), "go/github.com/example/tool", "go/golang.org/x/text"]);
    assert_eq!(stdout(&why), "go/github.com/example/tool > go/golang.org/x/net > go/golang.org/x/text\n");
    // NuGet: the groups of every target framework, one edge per id (its case ignored); a
    // range that excludes the latest release keeps its dependent out of that release's blast.
    assert_eq!(row("Newtonsoft.Json"), of("1", "0", ""));
    assert_eq!(row("Serilog"), of("1", "0", ""));
    // Serilog.Sinks.Console asks for `3.1.0` on net6.0 and `[2.12.0, 3.0.0)` on .NET Standard:
    // both count, so a vulnerable 3.1.1 hits it.
    let blast = stdout(&wd.run(&["blast", path(&json), "nuget/serilog", "--affected", "[3.1.1]"]));
    assert!(blast.contains("\nnuget/Serilog.Sinks.Console,1,"), "{blast}");
    let blast = stdout(&wd.run(&["blast", path(&json), "nuget/system.text.json", "--affected", "[8.0.0,)"]));
    assert_eq!(blast, "package,depth,status,reach,path\n");
    let blast = stdout(&wd.run(&["blast", path(&json), "rubygems/concurrent-ruby", "--new-release"]));
    assert!(
        blast.contains("rubygems/rails,2,floats,0,rubygems/rails > rubygems/activesupport > rubygems/concurrent-ruby"),
        "{blast}"
    );
}

#[test]
fn bad_deps_dev_exports_are_named_by_file_and_line() {
    let wd = Workdir::new();
    let folder = wd.path("export");
    std::fs::create_dir(&folder).unwrap();
    let versions = "{\"System\":\"CARGO\",\"Name\":\"a\",\"Version\":\"1.0.0\",\"VersionInfo\":{\"IsRelease\":true,\"Ordinal\":\"1\"}}\n\
                    {\"System\":\"HACKAGE\",\"Name\":\"b\",\"Version\":\"1\",\"VersionInfo\":{\"IsRelease\":true,\"Ordinal\":1}}\n";
    std::fs::write(folder.join("PackageVersions.json"), versions).unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("PackageVersions.json:2: System `HACKAGE` is not one keystone reads"),
        "{}",
        stderr(&out)
    );
    assert_ok(&wd.run(&["rank", path(&folder), "-f", "deps-dev", "--skip-bad"]));
    std::fs::write(folder.join("PackageVersions.json"), versions.lines().next().unwrap()).unwrap();
    std::fs::write(folder.join("Dependencies.csv"), "System,Name,Version,MinimumDepth\nCARGO,a,1.0.0,1\n").unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert!(stderr(&out).contains("Dependencies.csv:2: expected a `Dependency.System`"), "{}", stderr(&out));
    std::fs::remove_file(folder.join("Dependencies.csv")).unwrap();
    std::fs::write(folder.join("DependencyGraphEdges.parquet"), "not parquet").unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert!(stderr(&out).contains("DependencyGraphEdges.parquet: expected a Parquet file"), "{}", stderr(&out));
    std::fs::remove_file(folder.join("DependencyGraphEdges.parquet")).unwrap();
    let requirements = [
        ("{\"System\":\"NPM\",\"Name\":\"b\",\"Version\":\"1.0\"}", "`System` is `NPM` in a NuGetRequirements table"),
        (
            "{\"Name\":\"a\",\"Version\":\"1.0\",\"DependencyGroups\":[{\"Dependencies\":[{\"Requirement\":\"1.0\"}]}]}",
            "expected a `DependencyGroups.Dependencies.Name`",
        ),
    ];
    for (row, message) in requirements {
        std::fs::write(folder.join("NuGetRequirements.json"), row).unwrap();
        let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
        assert!(stderr(&out).contains(&format!("NuGetRequirements.json:1: {message}")), "{}", stderr(&out));
    }
    std::fs::remove_file(folder.join("NuGetRequirements.json")).unwrap();
    std::fs::write(folder.join("notes.txt"), "hello").unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert!(stderr(&out).contains("notes.txt: expected a deps.dev table export"), "{}", stderr(&out));
    std::fs::remove_file(folder.join("notes.txt")).unwrap();
    std::fs::remove_file(folder.join("PackageVersions.json")).unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert!(stderr(&out).contains("expected a PackageVersions table"), "{}", stderr(&out));
}

#[test]
fn fuzz_finding_a_parquet_file_whose_arrow_schema_panicked_arrow_ipc() {
    // A Parquet footer whose embedded Arrow schema names a field of type NONE made arrow-ipc
    // panic ("not implemented"). The embedded schema is no longer decoded: the file is read by
    // its Parquet schema, and this one is then a bad Parquet file, named.
    let crash = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus/deps_dev/crash-ddfe76db72968264ae48f83038ea9d39e8e6fbc7");
    let bytes = std::fs::read(crash).unwrap();
    let wd = Workdir::new();
    let folder = wd.path("export");
    std::fs::create_dir(&folder).unwrap();
    // The fuzz input: a shape byte (Parquet), a table byte (DependencyGraphEdges), the file.
    std::fs::write(folder.join("DependencyGraphEdges.parquet"), &bytes[2..]).unwrap();
    let versions = "{\"System\":\"MAVEN\",\"Name\":\"g:a\",\"Version\":\"1.0\",\"VersionInfo\":{\"IsRelease\":true,\"Ordinal\":\"1\"}}\n";
    std::fs::write(folder.join("PackageVersions.json"), versions).unwrap();
    let out = wd.run(&["rank", path(&folder), "-f", "deps-dev"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("DependencyGraphEdges.parquet: expected a Parquet file"), "{}", stderr(&out));
}

/// deps.dev's `System` for an ecosystem.
fn system(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Crates => "CARGO",
        Ecosystem::Pypi => "PYPI",
        Ecosystem::Npm => "NPM",
        other => panic!("no deps.dev system for {other}"),
    }
}

/// Writes `graph` as deps.dev's `PackageVersions` and `Dependencies` tables (JSON lines,
/// zstd-compressed, as BigQuery shards them) into `dir`: every release of every package, its
/// latest with the highest ordinal, and the latest's dependencies at depth 1, plus one row at
/// depth 2 for each, which must be ignored.
fn write_deps_dev(graph: &Graph, dir: &Path) {
    let file =
        |name: &str| zstd::Encoder::new(std::fs::File::create(dir.join(name)).unwrap(), 1).unwrap().auto_finish();
    let (mut versions, mut dependencies) =
        (file("PackageVersions-000000000000.json.zst"), file("Dependencies-000000000000.json.zst"));
    for v in 0..graph.node_count() as u32 {
        let Some(latest) = graph.version(v) else { continue };
        let (sys, name) = (system(graph.ecosystem(v)), graph.name(v));
        let releases = graph.releases(v);
        for (ordinal, release) in releases.iter().filter(|r| **r != latest).enumerate() {
            let row = serde_json::json!({"System": sys, "Name": name, "Version": release,
                "VersionInfo": {"IsRelease": true, "Ordinal": ordinal.to_string()}});
            writeln!(versions, "{row}").unwrap();
        }
        let row = serde_json::json!({"System": sys, "Name": name, "Version": latest,
            "VersionInfo": {"IsRelease": true, "Ordinal": releases.len().to_string()}});
        writeln!(versions, "{row}").unwrap();
        for &d in graph.forward().neighbors(v) {
            for depth in [1, 2] {
                let on = if depth == 1 { d } else { graph.forward().neighbors(d).first().copied().unwrap_or(d) };
                let row = serde_json::json!({"System": sys, "Name": name, "Version": latest,
                    "Dependency": {"System": system(graph.ecosystem(on)), "Name": graph.name(on), "Version": graph.version(on)},
                    "MinimumDepth": depth.to_string()});
                writeln!(dependencies, "{row}").unwrap();
            }
        }
    }
}

/// Every package's reach by name.
fn reach_by_name(graph: &Graph) -> FxHashMap<String, u32> {
    let reach = reach(graph.reverse(), &NoProgress);
    (0..graph.node_count() as u32).map(|v| (graph.display_name(v), reach[v as usize])).collect()
}

fn round_trip(format: Format, input: &Path) {
    let wd = Workdir::new();
    let original = graph_of(format, input, Profile::default());
    let start = Instant::now();
    write_deps_dev(&original, wd.root());
    let written = start.elapsed();
    let start = Instant::now();
    let back = graph_of(Format::DepsDev, wd.root(), Profile::default());
    let read = start.elapsed();
    assert_eq!(back.edge_count(), original.edge_count());
    // deps.dev lists versions: a package with none (every crate version yanked) and no edge
    // has no row to be written in.
    let (a, b) = (reach_by_name(&original), reach_by_name(&back));
    let unwritten: Vec<u32> =
        (0..original.node_count() as u32).filter(|&v| !b.contains_key(&original.display_name(v))).collect();
    assert!(unwritten.iter().all(|&v| original.version(v).is_none()
        && original.forward().degree(v) == 0
        && original.reverse().degree(v) == 0));
    assert_eq!(back.node_count() + unwritten.len(), original.node_count());
    let differing = b.iter().filter(|(name, reach)| a.get(*name) != Some(reach)).count();
    assert_eq!(differing, 0, "packages whose reach differs after the round trip");
    eprintln!(
        "{}: {} packages ({} without any version or edge left out), {} edges: written as deps.dev tables in {:.1} s, \
         read back in {:.1} s, reach equal for every package",
        input.display(),
        back.node_count(),
        unwritten.len(),
        back.edge_count(),
        written.as_secs_f64(),
        read.as_secs_f64()
    );
}

#[test]
fn crates_io_2025_round_trips_through_the_deps_dev_shape() {
    let Some(index) = dataset("cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst") else { return };
    round_trip(Format::CratesIndex, &index);
}

#[test]
fn pypi_round_trips_through_the_deps_dev_shape() {
    let Some(db) = dataset("pypi/pypi-deps-db-2023-09-07.partial.tar.zst") else { return };
    round_trip(Format::PypiDepsDb, &db);
}
