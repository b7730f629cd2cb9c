//! `Revision`: the global logical clock of the MVCC store, `{main, sub}`.
//!
//! `main` is incremented by every write transaction; `sub` numbers the writes inside one
//! transaction (0, 1, 2, ...). Revisions order first by `main`, then by `sub`. The byte form
//! (8-byte big-endian `main`, `_`, 8-byte big-endian `sub`, plus `t` for a tombstone) is the
//! key etcd uses in its bolt "key" bucket; HashKV hashes it.
//!
//! Owns: nothing but the type. Must not touch: anything else.

use serde::{Deserialize, Serialize};

/// A point in the store's history.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Revision {
    pub main: i64,
    pub sub: i64,
}

impl Revision {
    pub const fn new(main: i64, sub: i64) -> Self {
        Revision { main, sub }
    }

    /// The bolt bucket key of this revision: 17 bytes, 18 with the tombstone mark.
    pub fn to_bytes(self, tombstone: bool) -> Vec<u8> {
        let mut b = Vec::with_capacity(18);
        b.extend_from_slice(&self.main.to_be_bytes());
        b.push(b'_');
        b.extend_from_slice(&self.sub.to_be_bytes());
        if tombstone {
            b.push(b't');
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_main_then_sub() {
        assert!(Revision::new(1, 5) < Revision::new(2, 0));
        assert!(Revision::new(2, 0) < Revision::new(2, 1));
    }

    #[test]
    fn bytes_are_big_endian_with_separator() {
        let b = Revision::new(2, 1).to_bytes(true);
        assert_eq!(b.len(), 18);
        assert_eq!(&b[..8], &[0, 0, 0, 0, 0, 0, 0, 2]);
        assert_eq!(b[8], b'_');
        assert_eq!(&b[9..17], &[0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(b[17], b't');
    }
}
