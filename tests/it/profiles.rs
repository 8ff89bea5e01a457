//! Dependency-kind profiles (`--kinds`, on the command line and as a library type, kept in
//! snapshots), and optional crates.io dependencies switched on by Cargo features
//! (`datasets/fixtures/crates-features.jsonl`, whose graph is worked out by hand in
//! `datasets/README.md`).

use keystone::graph::{builder, snapshot};
use keystone::ingest::{CargoOptions, Format, FormatOptions, ReadOptions};
use keystone::model::{Profile, ProfileKind};
use keystone::progress::NoProgress;

use crate::workdir::{assert_ok, edge_list, fixture, graph_of, path, stderr, stdout, Workdir};

fn kinds(s: &str) -> Profile {
    s.parse().unwrap()
}

#[test]
fn kinds_spell_profiles() {
    assert_eq!(kinds("normal,build"), Profile::default());
    assert_eq!(kinds("build, normal,dev"), Profile { with_dev: true, ..Profile::DEFAULT });
    let normal = kinds("normal");
    assert!(!normal.with_build && normal.with_normal);
    assert_eq!(normal.describe(), "normal");
    assert_eq!(kinds("normal,build,features").describe(), "normal+build+features");
    assert_eq!(
        kinds("features,peer,optional,recommends,dev,build,normal").kinds(),
        ProfileKind::ALL.map(ProfileKind::as_str)
    );
    let unknown = "normal,devel".parse::<Profile>().unwrap_err();
    assert!(unknown.contains("unknown dependency kind `devel`"), "{unknown}");
    let modifiers_only = "optional,features".parse::<Profile>().unwrap_err();
    assert!(modifiers_only.contains("selects no dependency kind"), "{modifiers_only}");
}

#[test]
fn kinds_can_drop_build_and_normal() {
    let path = fixture("crates-index.jsonl");
    let all = edge_list(&graph_of(Format::CratesIndex, &path, Profile::default()));
    let normal = edge_list(&graph_of(Format::CratesIndex, &path, kinds("normal")));
    let build = edge_list(&graph_of(Format::CratesIndex, &path, kinds("build")));
    assert_eq!(build, ["mylib -> cc"]);
    assert_eq!(normal.len() + build.len(), all.len());
    assert!(!normal.contains(&"mylib -> cc".to_string()));
}

#[test]
fn snapshots_keep_every_profile() {
    let wd = Workdir::new();
    let file = wd.path("g.snap");
    for profile in [Profile::default(), kinds("build,features"), kinds("dev,optional,recommends,peer")] {
        let g = graph_of(Format::CratesIndex, &fixture("crates-features.jsonl"), profile);
        snapshot::save(&g, &file).unwrap();
        assert_eq!(snapshot::load(&file).unwrap().profile(), profile);
    }
}

/// The hand-worked graph of `crates-features.jsonl` under `normal,build,features`.
const FEATURE_EDGES: [&str; 15] = [
    "app -> fmtlib",       // renamed `fmt2`, switched on by `fmt2/color` (in tls, in default)
    "app -> rustls",       // `rustls/ring` in tls
    "app -> web",          // not optional
    "bytes -> serde",      // `bytes?/serde` in codec's default, once tool switches bytes on
    "codec -> bytes",      // `dep:bytes` in fast, which tool asks for
    "codec -> lz4",        // `zstd/simd` in fast also switches on codec's own feature `zstd`
    "codec -> simd",       // app asks web for json, whose `codec/json` switches on `dep:simd`
    "codec -> zstd",       // `zstd/simd` in fast
    "fmtlib -> termcolor", // color, asked for through `fmt2/color`
    "rustls -> ring",      // ring, asked for through `rustls/ring`
    "tool -> app",         // not optional
    "tool -> codec",       // not optional
    "web -> codec",        // not optional
    "web -> mio",          // the implicit feature `mio` in web's own default (app turns defaults off)
    "web -> serde_json",   // `dep:serde_json` in json
];

#[test]
fn features_switch_on_optional_dependencies() {
    let path = fixture("crates-features.jsonl");
    let default = edge_list(&graph_of(Format::CratesIndex, &path, Profile::default()));
    assert_eq!(default, ["app -> web", "tool -> app", "tool -> codec", "web -> codec"]);
    let features = edge_list(&graph_of(Format::CratesIndex, &path, kinds("normal,build,features")));
    assert_eq!(features, FEATURE_EDGES);
    // Never switched on: `dep:logger` leaves no implicit feature `logger` for tool to ask for;
    // web's `rt` is asked for by a dev dependency only; `serde?/std` waits for a serde nobody
    // switches on; bytes' `extra` and rustls' `aws` are asked for by nobody.
    let optional = edge_list(&graph_of(Format::CratesIndex, &path, kinds("normal,build,optional")));
    let never: Vec<&String> = optional.iter().filter(|e| !features.contains(e)).collect();
    assert_eq!(never, ["app -> logger", "bytes -> extra", "rustls -> aws-lc-rs", "web -> serde", "web -> tokio"]);
    // `optional` already holds every optional dependency.
    assert_eq!(edge_list(&graph_of(Format::CratesIndex, &path, kinds("normal,build,optional,features"))), optional);
}

/// Without the `features` kind the resolution can be skipped: nothing is marked, and the
/// graphs of other profiles are the same.
#[test]
fn features_are_worked_out_only_when_asked_for() {
    let unresolved = FormatOptions {
        cargo: CargoOptions { features: false, ..CargoOptions::default() },
        ..FormatOptions::default()
    };
    for (format, input) in
        [(Format::CratesIndex, fixture("crates-features.jsonl")), (Format::CratesDump, fixture("crates-db-dump"))]
    {
        let read = format.reader_with(&unresolved).read(&input, &ReadOptions::default(), &NoProgress).unwrap();
        assert!(read.packages.iter().flat_map(|p| &p.deps).all(|d| !d.by_feature));
        for profile in [Profile::default(), kinds("normal,build,optional")] {
            let skipped = builder::build(std::slice::from_ref(&read), profile, &NoProgress).unwrap();
            assert_eq!(edge_list(&skipped), edge_list(&graph_of(format, &input, profile)));
        }
    }
}

#[test]
fn features_from_the_db_dump() {
    let g = graph_of(Format::CratesDump, &fixture("crates-db-dump"), kinds("normal,build,features"));
    let edges = edge_list(&g);
    // mylib asks serde for `derive`, whose implicit feature `serde_derive` switches it on.
    // rand_core's `getrandom?/std` (asked for by rand's std) waits for a getrandom that only
    // `os_rng` would switch on; mylib's optional tokio needs `async`, which nobody asks for.
    assert_eq!(edges.len(), 8, "{edges:?}");
    assert!(edges.contains(&"serde -> serde_derive".to_string()));
}

#[test]
fn kinds_on_the_command_line() {
    let wd = Workdir::new();
    let input = fixture("crates-features.jsonl");
    let with_dev = wd.run(&["edges", path(&input), "--with-dev"]);
    let dev = wd.run(&["edges", path(&input), "--kinds", "normal,build,dev", "--with-dev"]);
    assert_ok(&dev);
    assert_eq!(stdout(&with_dev), stdout(&dev));
    let clash = wd.run(&["edges", path(&input), "--kinds", "normal,build", "--with-optional"]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(stderr(&clash).contains("--with-optional contradicts --kinds normal,build"), "{}", stderr(&clash));
    let unknown = wd.run(&["edges", path(&input), "--kinds", "normal,feature"]);
    assert!(stderr(&unknown).contains("unknown dependency kind `feature`"), "{}", stderr(&unknown));
    let stats = wd.run(&["stats", path(&input), "--kinds", "normal,build,features"]);
    assert!(stdout(&stats).contains("edges: 15 (normal+build+features dependencies)"), "{}", stdout(&stats));
}
