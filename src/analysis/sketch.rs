//! HyperLogLog sketches of node sets: what reach falls back to when the exact sets would not
//! fit in the memory allowed.
//!
//! A sketch is `m = 2^p` one-byte registers. A node's 64-bit hash picks a register by its top
//! `p` bits and offers the position of the first 1-bit among the other `64 − p` (1 to `65 − p`);
//! the register keeps the largest offer. The sketch of a union is the register-wise maximum, so
//! sketches merge as sets do, in any order, with the same result. The estimate is Ertl's
//! improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
//! 2017): no empirical bias tables, and a relative standard error of about `1.04 / √m` over the
//! whole range.

use crate::hash::splitmix64;

/// Adds node `v` to the sketch `registers` (a power of two of them, at least 16).
pub(super) fn insert(registers: &mut [u8], v: u32) {
    let p = registers.len().trailing_zeros();
    // Fixed, so every run builds the same sketches.
    let h = splitmix64(u64::from(v));
    let rest = h << p;
    let offer = if rest == 0 { 65 - p } else { rest.leading_zeros() + 1 };
    let slot = &mut registers[(h >> (64 - p)) as usize];
    *slot = (*slot).max(offer as u8);
}

/// Merges `other` into `into`: afterwards `into` is the sketch of the union.
pub(super) fn merge(into: &mut [u8], other: &[u8]) {
    into.iter_mut().zip(other).for_each(|(a, &b)| *a = (*a).max(b));
}

/// The estimated number of distinct nodes added to `registers`.
pub(super) fn estimate(registers: &[u8]) -> f64 {
    let m = registers.len() as f64;
    let q = 64 - registers.len().trailing_zeros() as usize;
    let mut counts = vec![0u32; q + 2];
    registers.iter().for_each(|&r| counts[r as usize] += 1);
    let mut z = m * tau(1.0 - f64::from(counts[q + 1]) / m);
    for &count in counts[1..=q].iter().rev() {
        z = 0.5 * (z + f64::from(count));
    }
    z += m * sigma(f64::from(counts[0]) / m);
    m * m / (2.0 * std::f64::consts::LN_2 * z)
}

/// The relative standard error of [`estimate`] with `registers` registers.
pub(super) fn standard_error(registers: usize) -> f64 {
    1.04 / (registers as f64).sqrt()
}

/// Ertl's σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1), summed until it stops changing.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if z == before {
            return z;
        }
    }
}

/// Ertl's τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k) / 3, summed until it stops changing.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if z == before {
            return z / 3.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_stay_within_five_standard_errors_from_one_to_a_million() {
        for registers in [16usize, 256, 4096] {
            let sigma = standard_error(registers);
            let mut sketch = vec![0u8; registers];
            assert_eq!(estimate(&sketch), 0.0);
            let mut added = 0u32;
            for target in [1u32, 2, 5, 10, 50, 100, 1000, 10_000, 100_000, 1_000_000] {
                (added..target).for_each(|v| insert(&mut sketch, v.wrapping_mul(2_654_435_761)));
                added = target;
                let error = (estimate(&sketch) - f64::from(target)).abs() / f64::from(target);
                assert!(error <= 5.0 * sigma, "{registers} registers, {target} nodes: error {error}");
            }
        }
    }

    #[test]
    fn merging_is_the_sketch_of_the_union() {
        let (mut a, mut b, mut both) = (vec![0u8; 64], vec![0u8; 64], vec![0u8; 64]);
        (0..500).for_each(|v| insert(&mut a, v));
        (300..900).for_each(|v| insert(&mut b, v));
        (0..900).for_each(|v| insert(&mut both, v));
        merge(&mut a, &b);
        assert_eq!(a, both);
    }
}
