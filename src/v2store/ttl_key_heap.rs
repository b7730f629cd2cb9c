//! The nodes that carry a TTL, ordered by expiration time (`ttlKeyHeap` in etcd), so a SYNC
//! can expire the earliest first. Ties are broken by path, which keeps expiry deterministic.

use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TtlKeyHeap {
    keys: BTreeSet<(i64, String)>,
}

impl TtlKeyHeap {
    pub fn push(&mut self, expire: i64, path: &str) {
        self.keys.insert((expire, path.to_string()));
    }

    pub fn remove(&mut self, expire: i64, path: &str) {
        self.keys.remove(&(expire, path.to_string()));
    }

    pub fn top(&self) -> Option<&(i64, String)> {
        self.keys.iter().next()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
