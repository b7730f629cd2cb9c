//! One node of the v2 tree (`node` in etcd): a file with a value or a directory with
//! children, its created/modified indexes and an optional expiration time.
//!
//! Children are kept in a `BTreeMap`, so listings come out in key order (etcd lists in Go
//! map order, which the conformance normalizer sorts anyway).

use std::collections::BTreeMap;

use crate::api::v2::NodeExtern;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NodeKind {
    File(String),
    Dir(BTreeMap<String, Node>),
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    /// Full internal path (`/1/foo/bar`).
    pub path: String,
    pub created_index: u64,
    pub modified_index: u64,
    /// Unix nanoseconds; `None` means permanent.
    pub expire_time: Option<i64>,
    pub kind: NodeKind,
}

/// Outcome of comparing a node with a prevValue / prevIndex pair (`Compare*` in etcd).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareResult {
    Match,
    IndexNotMatch,
    ValueNotMatch,
    NotMatch,
}

impl Node {
    pub fn new_file(path: &str, value: &str, index: u64, expire_time: Option<i64>) -> Node {
        Node {
            path: path.to_string(),
            created_index: index,
            modified_index: index,
            expire_time,
            kind: NodeKind::File(value.to_string()),
        }
    }

    pub fn new_dir(path: &str, index: u64, expire_time: Option<i64>) -> Node {
        Node {
            path: path.to_string(),
            created_index: index,
            modified_index: index,
            expire_time,
            kind: NodeKind::Dir(BTreeMap::new()),
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir(_))
    }

    /// The value of a file; "" for a directory.
    pub fn value(&self) -> &str {
        match &self.kind {
            NodeKind::File(v) => v,
            NodeKind::Dir(_) => "",
        }
    }

    /// A node whose own name starts with `_` is hidden from listings.
    pub fn is_hidden(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or("");
        name.starts_with('_')
    }

    pub fn children(&self) -> Option<&BTreeMap<String, Node>> {
        match &self.kind {
            NodeKind::Dir(c) => Some(c),
            NodeKind::File(_) => None,
        }
    }

    pub fn children_mut(&mut self) -> Option<&mut BTreeMap<String, Node>> {
        match &mut self.kind {
            NodeKind::Dir(c) => Some(c),
            NodeKind::File(_) => None,
        }
    }

    pub fn expiration_and_ttl(&self, now: i64) -> (Option<i64>, i64) {
        match self.expire_time {
            Some(t) => (Some(t), ttl_seconds(t, now)),
            None => (None, 0),
        }
    }

    /// The external view (`node.Repr`): a directory lists its visible children only when
    /// `recursive`.
    pub fn repr(&self, recursive: bool, now: i64) -> NodeExtern {
        let (expiration, ttl) = self.expiration_and_ttl(now);
        let mut out = NodeExtern {
            key: self.path.clone(),
            value: None,
            dir: false,
            expiration,
            ttl,
            nodes: None,
            modified_index: self.modified_index,
            created_index: self.created_index,
        };
        match &self.kind {
            NodeKind::File(v) => out.value = Some(v.clone()),
            NodeKind::Dir(children) => {
                out.dir = true;
                if recursive {
                    out.nodes = Some(
                        children
                            .values()
                            .filter(|c| !c.is_hidden())
                            .map(|c| c.repr(true, now))
                            .collect(),
                    );
                }
            }
        }
        out
    }

    /// The view a get answers with (`loadInternalNode`): a directory always lists its visible
    /// children (their own children only when `recursive`).
    pub fn load(&self, recursive: bool, now: i64, into: &mut NodeExtern) {
        match &self.kind {
            NodeKind::File(v) => into.value = Some(v.clone()),
            NodeKind::Dir(children) => {
                into.dir = true;
                into.nodes = Some(
                    children
                        .values()
                        .filter(|c| !c.is_hidden())
                        .map(|c| c.repr(recursive, now))
                        .collect(),
                );
            }
        }
        let (expiration, ttl) = self.expiration_and_ttl(now);
        into.expiration = expiration;
        into.ttl = ttl;
    }

    pub fn compare(&self, prev_value: &str, prev_index: u64) -> CompareResult {
        let index_match = prev_index == 0 || self.modified_index == prev_index;
        let value_match = prev_value.is_empty() || self.value() == prev_value;
        match (value_match, index_match) {
            (true, true) => CompareResult::Match,
            (false, true) => CompareResult::ValueNotMatch,
            (true, false) => CompareResult::IndexNotMatch,
            (false, false) => CompareResult::NotMatch,
        }
    }

    /// Every (expire time, path) of this node and its descendants that carry a TTL.
    pub fn ttl_entries(&self, out: &mut Vec<(i64, String)>) {
        if let Some(t) = self.expire_time {
            out.push((t, self.path.clone()));
        }
        if let NodeKind::Dir(children) = &self.kind {
            for c in children.values() {
                c.ttl_entries(out);
            }
        }
    }
}

/// Remaining time to live in whole seconds, rounded up (etcd's `expirationAndTTL`).
pub fn ttl_seconds(expire: i64, now: i64) -> i64 {
    let left = expire.saturating_sub(now);
    let secs = left / 1_000_000_000;
    if left % 1_000_000_000 > 0 {
        secs.saturating_add(1)
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_rounds_up() {
        assert_eq!(ttl_seconds(10_000_000_000, 0), 10);
        assert_eq!(ttl_seconds(10_000_000_001, 0), 11);
        assert_eq!(ttl_seconds(10_000_000_000, 9_500_000_000), 1);
        assert_eq!(ttl_seconds(0, 10), 0);
        assert_eq!(ttl_seconds(0, 2_000_000_000), -2);
    }
}
