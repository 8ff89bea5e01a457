//! A set of node ids `0..n` as one bit each: bit `v % 64` of word `v / 64`. Small enough to
//! stay in cache where a lookup in a per-node array would not, and unions are word-wise ORs.

/// A fixed-size set of node ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    /// The empty set over ids `0..n`.
    pub fn new(n: usize) -> Bitset {
        Bitset { words: vec![0; n.div_ceil(64)] }
    }

    /// Whether `v` is in the set.
    #[inline]
    pub fn contains(&self, v: u32) -> bool {
        self.words[v as usize / 64] & (1 << (v % 64)) != 0
    }

    /// Adds `v`; returns whether it was absent.
    #[inline]
    pub fn insert(&mut self, v: u32) -> bool {
        let (word, bit) = (&mut self.words[v as usize / 64], 1u64 << (v % 64));
        let absent = *word & bit == 0;
        *word |= bit;
        absent
    }

    /// Removes `v`.
    #[inline]
    pub fn remove(&mut self, v: u32) {
        self.words[v as usize / 64] &= !(1u64 << (v % 64));
    }

    /// Adds every id of `other` (a set over the same ids).
    pub fn union_with(&mut self, other: &Bitset) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    /// The number of ids in the set.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// The ids in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            std::iter::successors(Some(word).filter(|&w| w != 0), |&w| Some(w & (w - 1)).filter(|&w| w != 0))
                .map(move |w| i as u32 * 64 + w.trailing_zeros())
        })
    }

    /// Heap bytes held.
    pub fn bytes(&self) -> u64 {
        8 * self.words.len() as u64
    }
}
