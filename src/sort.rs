//! Sorting through one compiled sort (issue 20: a light first visit).
//!
//! The standard library's sort is generic over the element and the comparison, so each call
//! site compiles its own copy of the whole algorithm: the page's wasm held 316 such functions,
//! 179 KB of its 2.55 MB. Here every sort orders a permutation of indices with one
//! non-generic routine ([`order`]), calling the comparison through a `dyn` reference, then moves
//! the elements into place; what each call site adds is that move. The sort is stable, as
//! `slice::sort_by` is, so it also stands in for `sort_unstable*` (whose callers ask for less).
//!
//! `collect()` into a `BTreeMap` or `BTreeSet` sorts its input first, with a copy of the sort
//! for each element type; [`Inserted`] builds small maps and sets by inserting instead. (Large
//! ones built from sorted input — the key index, a member's log — keep `collect()`: its bulk
//! build is the fast path there.)
//!
//! Owns: ordering slices. Must not touch: anything else; it imports nothing of the crate, and
//! every module may import it, as they do `std`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` with `compare`, stably.
pub fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut compare: F) {
    if v.len() < 2 {
        return;
    }
    let mut at: Vec<usize> = (0..v.len()).collect();
    order(&mut at, &mut |a, b| compare(&v[a], &v[b]));
    permute(v, &mut at);
}

/// Sorts `v` by the key `key` gives each element, stably.
pub fn sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], mut key: F) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its elements' order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Small maps and sets built by inserting (see the module doc).
pub trait Inserted: Iterator + Sized {
    /// The map of the pairs; a later pair's value wins over an earlier one's, as with `collect`.
    fn btree_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut m = BTreeMap::new();
        m.extend(self);
        m
    }

    /// The set of the items.
    fn btree_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        let mut s = BTreeSet::new();
        s.extend(self);
        s
    }
}

impl<I: Iterator> Inserted for I {}

/// The one compiled sort: orders the indices in `at` by `compare`.
#[inline(never)]
fn order(at: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    at.sort_by(|&a, &b| compare(a, b));
}

/// Puts `v[at[i]]` at `i` for every `i`, following each cycle of the permutation once (`at`
/// is left as the identity).
fn permute<T>(v: &mut [T], at: &mut [usize]) {
    for start in 0..v.len() {
        let mut i = start;
        loop {
            let from = at[i];
            at[i] = i;
            if from == start || from == i {
                break;
            }
            v.swap(i, from);
            i = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn it_sorts_as_the_standard_stable_sort_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(20);
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000, 5000] {
            for _ in 0..20 {
                // few distinct keys, so stability shows: the second field records the input order
                let v: Vec<(u8, usize)> = (0..len).map(|i| (rng.gen_range(0..8), i)).collect();
                let mut ours = v.clone();
                let mut std = v.clone();
                sort_by_key(&mut ours, |p| p.0);
                std.sort_by_key(|p| p.0);
                assert_eq!(ours, std, "len {len}");
                let mut rev = v.clone();
                sort_by(&mut rev, |a, b| b.0.cmp(&a.0));
                std.sort_by(|a, b| b.0.cmp(&a.0));
                assert_eq!(rev, std, "len {len}, descending");
            }
        }
    }

    #[test]
    fn it_moves_owned_elements_without_losing_or_doubling_one() {
        let mut v: Vec<String> = ["m", "b", "z", "a", "b", "q", "c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort(&mut v);
        assert_eq!(v, ["a", "b", "b", "c", "m", "q", "z"]);
        let mut r: Vec<String> = (0..200).rev().map(|i| format!("{i:03}")).collect();
        sort(&mut r);
        let want: Vec<String> = (0..200).map(|i| format!("{i:03}")).collect();
        assert_eq!(r, want);
    }
}
