//! The `backtest` command: advisories (OSV records) matched to the graph's packages through the
//! alias file, one row per advisory and package.

use crate::workdir::{assert_ok, path, stderr, stdout, Workdir};

#[test]
fn backtest_finds_xz_through_the_alias_file() {
    let wd = Workdir::new();
    let osv = wd.create(
        "osv.jsonl",
        concat!(
            r#"{"id":"GHSA-rxwq-x6h5-x525","aliases":["CVE-2024-3094"],"affected":[{"package":{"ecosystem":"Debian:13","name":"xz"}}]}"#,
            "\n",
            r#"{"id":"GHSA-x","affected":[{"package":{"ecosystem":"npm","name":"colors"}},{"package":{"ecosystem":"npm","name":"colors"}}]}"#,
            "\n"
        ),
    );
    let aliases = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/aliases.toml");
    let out = wd.run(&["backtest", path(&osv), "--aliases", aliases]);
    assert_ok(&out);
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "one row per advisory and package: {text}");
    assert!(rows[1].starts_with("GHSA-rxwq-x6h5-x525,CVE-2024-3094,Debian:13,xz,liblzma5,"), "{}", rows[1]);
    // Ranks among all packages and among its own ecosystem's (the same in a Debian graph).
    assert!(rows[0]
        .contains(",packages,ecosystem_score_rank,ecosystem_reach_rank,ecosystem_direct_rank,ecosystem_packages,"));
    assert!(rows[1].contains(",9,6,197,36049,136,63727,9,6,197,63727,xz,"), "{}", rows[1]);
    assert!(rows[2].starts_with("GHSA-x,,npm,colors,,,"), "not in a Debian graph: {}", rows[2]);
    // What matched nothing is said, with the reason.
    assert!(
        stderr(&out).contains("GHSA-x: npm colors not matched: the graph holds no npm packages"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("GHSA-rxwq-x6h5-x525"), "{}", stderr(&out));
    // The file's bindings all name crates or PyPI packages, absent from a Debian graph.
    assert!(stderr(&out).contains("0 new edges from bindings (10 binding edges into ecosystems"), "{}", stderr(&out));
}
