//! SplitMix64, the one mixing function behind the seeded synthetic generator, the node hashes
//! of reach sketches and the snapshot's keyed edge digest.

/// The SplitMix64 output for `state` (Steele, Lea and Flood, 2014): the state advanced by the
/// golden-ratio increment, then a finaliser whose every output bit depends on every input bit.
/// A bijection on `u64`; a generator returns `splitmix64(s)` and moves on to `s + increment`.
pub(crate) fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The increment between SplitMix64 states: 2^64 divided by the golden ratio, made odd.
pub(crate) const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
