//! CSV of how packages move between two rankings ([`crate::analysis::compare`]):
//! `keystone diff` (an old and a new graph) and `keystone compare-profiles` (graphs A and B).

use std::io::Write;

use crate::analysis::compare::{Movement, Standing};

/// What the two rankings are, which names the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    /// An old and a new graph (`keystone diff`): `package,ecosystem,old_rank,new_rank,
    /// rank_change,old_reach,new_reach,reach_change,reach_ratio,status`.
    OldNew,
    /// One input under profiles A and B (`keystone compare-profiles`):
    /// `package,ecosystem,rank_a,rank_b,rank_change,reach_a,reach_b,reach_change`.
    Profiles,
}

impl Sides {
    fn columns(self) -> &'static [&'static str] {
        match self {
            Sides::OldNew => &[
                "package",
                "ecosystem",
                "old_rank",
                "new_rank",
                "rank_change",
                "old_reach",
                "new_reach",
                "reach_change",
                "reach_ratio",
                "status",
            ],
            Sides::Profiles => {
                &["package", "ecosystem", "rank_a", "rank_b", "rank_change", "reach_a", "reach_b", "reach_change"]
            }
        }
    }
}

/// Writes `moves` in their order, only those among the first `top` of either ranking when
/// given. `rank_change` is old (A) rank − new (B) rank, positive for a climb; `reach_change`
/// is new − old; `reach_ratio` is new / old with 6 decimals; `status` is `kept`, `new` (only in
/// the new graph) or `gone` (only in the old). A cell whose side is missing is empty.
pub fn write_movements(
    moves: &[Movement<'_>],
    top: Option<usize>,
    sides: Sides,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    let columns = sides.columns();
    csv.write_record(columns)?;
    let cell = |v: Option<String>| v.unwrap_or_default();
    for m in moves.iter().filter(|m| top.is_none_or(|n| m.in_top(n))) {
        let rank = |s: Option<Standing>| cell(s.map(|s| s.rank.to_string()));
        let reach = |s: Option<Standing>| cell(s.map(|s| s.reach.to_string()));
        let status = match (m.old, m.new) {
            (None, _) => "new",
            (_, None) => "gone",
            _ => "kept",
        };
        let row = [
            m.name.to_string(),
            m.ecosystem.to_string(),
            rank(m.old),
            rank(m.new),
            cell(m.rank_change().map(|c| c.to_string())),
            reach(m.old),
            reach(m.new),
            cell(m.reach_change().map(|c| c.to_string())),
            cell(m.reach_ratio().map(|r| format!("{r:.6}"))),
            status.to_string(),
        ];
        csv.write_record(&row[..columns.len()])?;
    }
    csv.flush()
}
