//! The `diff` command: two graphs of one ecosystem (edge lists in `datasets/fixtures/diff/`)
//! compared package by package, its CSV and its summary of the biggest movers.

use crate::workdir::{assert_ok, fixture, path, stderr, stdout, Workdir};

#[test]
fn diff_of_two_edge_lists() {
    let wd = Workdir::new();
    let csv = wd.path("diff.csv");
    let (old, new) = (fixture("diff/old.csv"), fixture("diff/new.csv"));
    let args = ["diff", path(&old), path(&new), "--top", "3", "--min-reach", "2", "-o", path(&csv)];
    let out = wd.run(&args);
    assert_ok(&out);
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
    let all = wd.run(&["diff", path(&old), path(&new)]);
    let text = stdout(&all);
    assert_eq!(text.lines().count(), 1 + 14);
    assert_eq!(text.lines().last(), Some("gone,generic,6,,,0,,,,gone"));
}
