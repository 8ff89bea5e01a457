//! The `compare-profiles` command: one input ranked under two dependency-kind profiles (on the
//! Cargo features fixture), its CSV and summary, and its refusal of a snapshot.

use crate::workdir::{assert_ok, fixture, path, stderr, stdout, Workdir};

#[test]
fn compare_profiles_on_the_features_fixture() {
    let wd = Workdir::new();
    let input = fixture("crates-features.jsonl");
    let out = wd.run(&[
        "compare-profiles",
        path(&input),
        "--a",
        "normal,build",
        "--b",
        "normal,build,features",
        "--top",
        "3",
    ]);
    assert_ok(&out);
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
    let snap = wd.path("features.snap");
    assert_ok(&wd.run(&["ingest", path(&input), "-o", path(&snap)]));
    let refused = wd.run(&["compare-profiles", path(&snap), "--b", "normal,build,dev"]);
    assert!(stderr(&refused).contains("is a snapshot"), "{}", stderr(&refused));
}
