//! Dependency-kind profiles (`--kinds`), optional crates.io dependencies switched on by Cargo
//! features (`datasets/fixtures/crates-features.jsonl`, whose graph is worked out by hand in
//! `datasets/README.md`), and the `compare-profiles` and `diff` commands.

use keystone::graph::{builder, snapshot};
use keystone::ingest::{Format, FormatOptions, ReadOptions};
use keystone::model::{Profile, ProfileKind};
use keystone::progress::NoProgress;

use crate::cli::{keystone, path, stderr, stdout};
use crate::{edge_list, fixture, graph_of};

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
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.snap");
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
    let unresolved = FormatOptions { cargo_features: false, ..FormatOptions::default() };
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
    let input = fixture("crates-features.jsonl");
    let with_dev = keystone(&["edges", path(&input), "--with-dev"]);
    let dev = keystone(&["edges", path(&input), "--kinds", "normal,build,dev", "--with-dev"]);
    assert!(dev.status.success(), "{}", stderr(&dev));
    assert_eq!(stdout(&with_dev), stdout(&dev));
    let clash = keystone(&["edges", path(&input), "--kinds", "normal,build", "--with-optional"]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(stderr(&clash).contains("--with-optional contradicts --kinds normal,build"), "{}", stderr(&clash));
    let unknown = keystone(&["edges", path(&input), "--kinds", "normal,feature"]);
    assert!(stderr(&unknown).contains("unknown dependency kind `feature`"), "{}", stderr(&unknown));
    let stats = keystone(&["stats", path(&input), "--kinds", "normal,build,features"]);
    assert!(stdout(&stats).contains("edges: 15 (normal+build+features dependencies)"), "{}", stdout(&stats));
}

#[test]
fn compare_profiles_on_the_features_fixture() {
    let input = fixture("crates-features.jsonl");
    let out = keystone(&[
        "compare-profiles",
        path(&input),
        "--a",
        "normal,build",
        "--b",
        "normal,build,features",
        "--top",
        "3",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "package,ecosystem,rank_a,rank_b,rank_change,reach_a,reach_b,reach_change\n\
         serde,crates,7,1,6,0,5,5\n\
         bytes,crates,4,2,2,0,4,4\n\
         lz4,crates,,3,,,4,\n\
         codec,crates,1,6,-5,3,3,0\n\
         web,crates,2,13,-11,2,2,0\n\
         app,crates,3,14,-11,1,1,0\n"
    );
    let summary = stderr(&out);
    assert!(summary.contains("edges A → B: +11"), "{summary}");
    assert!(
        summary.contains("biggest climbers into the top 3:\n  serde: rank 7 → 1, reach 0 → 5 (+6 places)"),
        "{summary}"
    );
    let snap = tempfile::NamedTempFile::new().unwrap();
    assert!(keystone(&["ingest", path(&input), "-o", path(snap.path())]).status.success());
    let refused = keystone(&["compare-profiles", path(snap.path()), "--b", "normal,build,dev"]);
    assert!(stderr(&refused).contains("is a snapshot"), "{}", stderr(&refused));
}

#[test]
fn diff_of_two_edge_lists() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("diff.csv");
    let (old, new) = (fixture("diff/old.csv"), fixture("diff/new.csv"));
    let args = ["diff", path(&old), path(&new), "--top", "3", "--min-reach", "2", "-o", path(&csv)];
    let out = keystone(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "package,ecosystem,old_rank,new_rank,rank_change,old_reach,new_reach,reach_change,reach_ratio,status\n\
         x,generic,1,1,0,5,12,7,2.400000,kept\n\
         y,generic,,2,,,11,,,new\n\
         d,generic,5,3,2,0,5,5,,kept\n\
         b,generic,2,4,-2,2,4,2,2.000000,kept\n\
         a,generic,3,5,-2,0,0,0,,kept\n"
    );
    let summary = stderr(&out);
    for part in [
        "edges old → new: +7; packages: 5 in both, 8 only in new, 1 only in old",
        "entered the top 3 (2):\n  y: rank - → 2, reach - → 11\n  d: rank 5 → 3, reach 0 → 5\n",
        "left the top 3 (2):\n  b: rank 2 → 4, reach 2 → 4\n  a: rank 3 → 5, reach 0 → 0\n",
        "biggest climbers into the top 3:\n  d: rank 5 → 3, reach 0 → 5 (+2 places)\n",
        "largest reach gains:\n  x: rank 1 → 1, reach 5 → 12 (+7)\n  d: rank 5 → 3, reach 0 → 5 (+5)\n",
        "largest reach ratios, old reach at least 2:\n  x: rank 1 → 1, reach 5 → 12 (×2.40)\n  b: rank 2 → 4, reach 2 → 4 (×2.00)",
    ] {
        assert!(summary.contains(part), "{part}\nnot in\n{summary}");
    }
    // Every package of either graph without --top, the one only in the old graph last.
    let all = keystone(&["diff", path(&old), path(&new)]);
    let text = stdout(&all);
    assert_eq!(text.lines().count(), 1 + 14);
    assert_eq!(text.lines().last(), Some("gone,generic,6,,,0,,,,gone"));
}
