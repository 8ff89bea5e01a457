//! CSV of how packages move between two rankings ([`crate::analysis::compare`]):
//! `keystone diff` (an old and a new graph) and `keystone compare-profiles` (graphs A and B).

use super::table::Fixed;
use super::tables::Target;
use crate::analysis::compare::{Movement, Standing};
use crate::row;

/// What the two rankings are, which names the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    /// An old and a new graph (`keystone diff`): [`DiffRow`].
    OldNew,
    /// One input under profiles A and B (`keystone compare-profiles`): [`ProfilesRow`].
    Profiles,
}

row! {
/// A row of `keystone diff`; a cell whose side is missing is null.
pub struct DiffRow<'a> {
    /// The package.
    pub package: &'a str,
    /// Its ecosystem.
    pub ecosystem: &'a str,
    /// Its rank in the old graph.
    pub old_rank: Option<u32>,
    /// In the new.
    pub new_rank: Option<u32>,
    /// Old rank − new rank: positive for a climb.
    pub rank_change: Option<i64>,
    /// Its reach in the old graph.
    pub old_reach: Option<u32>,
    /// In the new.
    pub new_reach: Option<u32>,
    /// New − old.
    pub reach_change: Option<i64>,
    /// New / old, 6 decimals.
    pub reach_ratio: Option<Fixed<6>>,
    /// `kept`, `new` (only in the new graph) or `gone` (only in the old).
    pub status: &'static str,
}
}

row! {
/// A row of `keystone compare-profiles`; a cell whose side is missing is null.
pub struct ProfilesRow<'a> {
    /// The package.
    pub package: &'a str,
    /// Its ecosystem.
    pub ecosystem: &'a str,
    /// Its rank under profile A.
    pub rank_a: Option<u32>,
    /// Under B.
    pub rank_b: Option<u32>,
    /// A's rank − B's.
    pub rank_change: Option<i64>,
    /// Its reach under A.
    pub reach_a: Option<u32>,
    /// Under B.
    pub reach_b: Option<u32>,
    /// B − A.
    pub reach_change: Option<i64>,
}
}

/// Writes `moves` in their order, only those among the first `top` of either ranking when
/// given.
pub fn write_movements(
    moves: &[Movement<'_>],
    top: Option<usize>,
    sides: Sides,
    to: Target<'_>,
) -> std::io::Result<()> {
    let shown = moves.iter().filter(|m| top.is_none_or(|n| m.in_top(n)));
    let rank = |s: Option<Standing>| s.map(|s| s.rank);
    let reach = |s: Option<Standing>| s.map(|s| s.reach);
    match sides {
        Sides::OldNew => to.write(shown.map(|m| DiffRow {
            package: m.name,
            ecosystem: m.ecosystem.as_str(),
            old_rank: rank(m.old),
            new_rank: rank(m.new),
            rank_change: m.rank_change(),
            old_reach: reach(m.old),
            new_reach: reach(m.new),
            reach_change: m.reach_change(),
            reach_ratio: m.reach_ratio().map(Fixed),
            status: match (m.old, m.new) {
                (None, _) => "new",
                (_, None) => "gone",
                _ => "kept",
            },
        })),
        Sides::Profiles => to.write(shown.map(|m| ProfilesRow {
            package: m.name,
            ecosystem: m.ecosystem.as_str(),
            rank_a: rank(m.old),
            rank_b: rank(m.new),
            rank_change: m.rank_change(),
            reach_a: reach(m.old),
            reach_b: reach(m.new),
            reach_change: m.reach_change(),
        })),
    }
}
