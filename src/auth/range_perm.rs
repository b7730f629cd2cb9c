//! Whether a user's permissions cover a key or a range (etcd's `range_perm_cache.go` with the
//! affine byte intervals of `pkg/adt`).
//!
//! A permission is the interval `[key, range_end)`; an empty `range_end` means the single key
//! `key` (the interval `[key, key+"\0")`), `"\0"` means every key from `key` on. An empty end
//! bound is +infinity. A range request is allowed when the union of the user's intervals of
//! the right kind covers it entirely; a single-key request when one interval contains the key.
//!
//! Owns: the interval arithmetic. Must not touch: users and roles (the caller merges them).

use std::cmp::Ordering;

/// A half-open interval of keys; an empty `end` is +infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInterval {
    pub begin: Vec<u8>,
    pub end: Vec<u8>,
}

/// Affine comparison: the empty byte string is +infinity.
fn cmp_affine(a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.cmp(b),
    }
}

impl KeyInterval {
    /// The interval a stored permission stands for.
    pub fn from_permission(key: &[u8], range_end: &[u8]) -> Self {
        match range_end {
            [] => KeyInterval::point(key),
            [0] => KeyInterval {
                begin: key.to_vec(),
                end: Vec::new(),
            },
            e => KeyInterval {
                begin: key.to_vec(),
                end: e.to_vec(),
            },
        }
    }

    /// `[key, key + "\0")`.
    pub fn point(key: &[u8]) -> Self {
        let mut end = key.to_vec();
        end.push(0);
        KeyInterval {
            begin: key.to_vec(),
            end,
        }
    }

    fn intersects(&self, other: &KeyInterval) -> bool {
        cmp_affine(&self.begin, &other.end) == Ordering::Less
            && cmp_affine(&other.begin, &self.end) == Ordering::Less
    }
}

/// Whether `key` (a single-key request) lies in one of `perms`.
pub fn contains_point(perms: &[KeyInterval], key: &[u8]) -> bool {
    let p = KeyInterval::point(key);
    perms.iter().any(|iv| iv.intersects(&p))
}

/// Whether the union of `perms` covers the request range `[key, range_end)` (`range_end`
/// `"\0"` or empty meaning every key from `key` on, as etcd's `checkKeyInterval` reads it).
pub fn covers_range(perms: &[KeyInterval], key: &[u8], range_end: &[u8]) -> bool {
    let end: &[u8] = if range_end == [0] { &[] } else { range_end };
    let want = KeyInterval {
        begin: key.to_vec(),
        end: end.to_vec(),
    };
    let mut hits: Vec<&KeyInterval> = perms.iter().filter(|iv| iv.intersects(&want)).collect();
    crate::sort::sort_by(&mut hits, |a, b| {
        cmp_affine(&a.begin, &b.begin).then_with(|| cmp_affine(&a.end, &b.end))
    });
    let Some(first) = hits.first() else {
        return false;
    };
    let min_begin = &first.begin;
    let mut max_end: &[u8] = &first.end;
    for iv in hits.iter().skip(1) {
        if cmp_affine(max_end, &iv.begin) == Ordering::Less {
            return false;
        }
        if cmp_affine(&iv.end, max_end) == Ordering::Greater {
            max_end = &iv.end;
        }
    }
    cmp_affine(max_end, &want.end) != Ordering::Less
        && cmp_affine(min_begin, &want.begin) != Ordering::Greater
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_from_key() {
        let perms = vec![
            KeyInterval::from_permission(b"/app/", b"/app0"),
            KeyInterval::from_permission(b"/config", b"/configz"),
        ];
        assert!(contains_point(&perms, b"/app/name"));
        assert!(!contains_point(&perms, b"/secret/key"));
        assert!(covers_range(&perms, b"/app/", b"/app0"));
        assert!(!covers_range(&perms, b"\0", b"\0"));
        let logs = vec![KeyInterval::from_permission(b"/logs/", b"\0")];
        assert!(contains_point(&logs, b"/logs/2024"));
        assert!(covers_range(&logs, b"/logs/a", b"\0"));
        assert!(!covers_range(&logs, b"/log", b"\0"));
    }

    #[test]
    fn union_of_adjacent_ranges_covers() {
        let perms = vec![
            KeyInterval::from_permission(b"a", b"c"),
            KeyInterval::from_permission(b"c", b"e"),
        ];
        assert!(covers_range(&perms, b"b", b"d"));
        let gap = vec![
            KeyInterval::from_permission(b"a", b"c"),
            KeyInterval::from_permission(b"d", b"e"),
        ];
        assert!(!covers_range(&gap, b"b", b"e"));
        let single = vec![KeyInterval::from_permission(b"k", b"")];
        assert!(contains_point(&single, b"k"));
        assert!(!contains_point(&single, b"k2"));
    }
}
