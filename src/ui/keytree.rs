//! The keyspace as a tree: keys split after each `/`, folders with the number of keys under
//! them, and the rows a virtualised list shows for a set of open folders and a filter.
//!
//! Owns: the tree built from a sorted key list, and the flattening into visible rows.
//! Must not touch: the world (it is given the keys). Kept in `ui` until `registry::tree`
//! offers a key-tree model to build on.

use std::collections::BTreeSet;

/// One node: a folder (ends with `/`), a key, or both (a key that is also a folder's name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The segment this node adds to its parent's path (`registry/`, `pods/`, `web-1`).
    pub label: Vec<u8>,
    /// The whole path from the root (a key or a folder prefix).
    pub path: Vec<u8>,
    pub depth: u32,
    pub children: Vec<usize>,
    /// Keys at or under this node.
    pub count: usize,
    /// A key with exactly this path exists.
    pub is_key: bool,
}

impl Node {
    pub fn is_folder(&self) -> bool {
        !self.children.is_empty()
    }
}

/// The tree of a sorted list of keys. Node 0 is the root (empty path).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyTree {
    pub nodes: Vec<Node>,
}

/// `a/b/c` → `a/`, `b/`, `c`.
fn segments(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    key.split_inclusive(|b| *b == b'/')
}

impl KeyTree {
    /// Builds the tree. `keys` must be sorted (as a Range answers them); keys sharing a folder
    /// are then next to each other, so one pass with a stack of open folders suffices.
    pub fn build(keys: &[Vec<u8>]) -> KeyTree {
        let mut nodes = vec![Node {
            label: Vec::new(),
            path: Vec::new(),
            depth: 0,
            children: Vec::new(),
            count: 0,
            is_key: false,
        }];
        // The open path: node ids from the root down.
        let mut stack: Vec<usize> = vec![0];
        for key in keys {
            let segs: Vec<&[u8]> = segments(key).collect();
            // Keep the longest open prefix that this key shares.
            let mut keep = 1;
            while keep < stack.len() {
                let Some(seg) = segs.get(keep - 1) else { break };
                let same = stack
                    .get(keep)
                    .and_then(|id| nodes.get(*id))
                    .is_some_and(|n| n.label.as_slice() == *seg);
                if !same {
                    break;
                }
                keep += 1;
            }
            stack.truncate(keep);
            let mut path_len: usize = segs.iter().take(keep - 1).map(|s| s.len()).sum();
            for seg in segs.iter().skip(keep - 1) {
                path_len += seg.len();
                let parent = stack.last().copied().unwrap_or(0);
                let id = nodes.len();
                nodes.push(Node {
                    label: seg.to_vec(),
                    path: key.get(..path_len).unwrap_or(key).to_vec(),
                    depth: stack.len() as u32 - 1,
                    children: Vec::new(),
                    count: 0,
                    is_key: false,
                });
                if let Some(p) = nodes.get_mut(parent) {
                    p.children.push(id);
                }
                stack.push(id);
            }
            for id in &stack {
                if let Some(n) = nodes.get_mut(*id) {
                    n.count += 1;
                }
            }
            if let Some(n) = stack.last().and_then(|id| nodes.get_mut(*id)) {
                n.is_key = true;
            }
        }
        KeyTree { nodes }
    }

    pub fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub fn key_count(&self) -> usize {
        self.nodes.first().map_or(0, |n| n.count)
    }

    /// The rows shown: every node whose ancestors are all open, depth first. With a filter,
    /// only keys whose text contains it and the folders leading to them, all open.
    pub fn visible(&self, open: &BTreeSet<Vec<u8>>, filter: &str) -> Vec<usize> {
        let mut out = Vec::new();
        if filter.is_empty() {
            let mut todo: Vec<usize> = self
                .node(0)
                .map(|r| r.children.iter().rev().copied().collect())
                .unwrap_or_default();
            while let Some(id) = todo.pop() {
                let Some(n) = self.node(id) else { continue };
                out.push(id);
                if n.is_folder() && open.contains(&n.path) {
                    todo.extend(n.children.iter().rev().copied());
                }
            }
        } else {
            let needle = filter.as_bytes();
            let mut keep = vec![false; self.nodes.len()];
            self.mark(0, needle, &mut keep);
            let mut todo: Vec<usize> = self
                .node(0)
                .map(|r| r.children.iter().rev().copied().collect())
                .unwrap_or_default();
            while let Some(id) = todo.pop() {
                if !keep.get(id).copied().unwrap_or(false) {
                    continue;
                }
                out.push(id);
                if let Some(n) = self.node(id) {
                    todo.extend(n.children.iter().rev().copied());
                }
            }
        }
        out
    }

    /// Marks the nodes that match or lead to a match; returns whether `id` is marked.
    fn mark(&self, id: usize, needle: &[u8], keep: &mut [bool]) -> bool {
        let Some(n) = self.node(id) else { return false };
        let mut any = n.is_key && contains(&n.path, needle);
        for c in &n.children {
            any |= self.mark(*c, needle, keep);
        }
        if let Some(k) = keep.get_mut(id) {
            *k = any;
        }
        any
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Bytes as text for the screen: UTF-8 as is, anything else as `\xNN`.
pub fn display_bytes(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for x in chunk.invalid() {
            out.push_str(&format!("\\x{x:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = list.iter().map(|s| s.as_bytes().to_vec()).collect();
        v.sort();
        v
    }

    fn labels(t: &KeyTree, rows: &[usize]) -> Vec<String> {
        rows.iter()
            .map(|id| {
                let n = t.node(*id).unwrap();
                format!("{}{}:{}", "  ".repeat(n.depth as usize), display_bytes(&n.label), n.count)
            })
            .collect()
    }

    #[test]
    fn folders_count_their_keys_and_open_on_demand() {
        let t = KeyTree::build(&keys(&["/registry/pods/a", "/registry/pods/b", "/registry/svc/x", "foo", "a/"]));
        assert_eq!(t.key_count(), 5);
        let closed = t.visible(&BTreeSet::new(), "");
        assert_eq!(labels(&t, &closed), ["/:3", "a/:1", "foo:1"]);
        let open: BTreeSet<Vec<u8>> = [b"/".to_vec(), b"/registry/".to_vec()].into();
        assert_eq!(
            labels(&t, &t.visible(&open, "")),
            ["/:3", "  registry/:3", "    pods/:2", "    svc/:1", "a/:1", "foo:1"]
        );
        let a = t.nodes.iter().find(|n| n.path == b"a/").unwrap();
        assert!(a.is_key && !a.is_folder());
    }

    #[test]
    fn a_filter_shows_matches_and_their_folders() {
        let t = KeyTree::build(&keys(&["/r/pods/web", "/r/pods/db", "/r/svc/web"]));
        let rows = t.visible(&BTreeSet::new(), "web");
        assert_eq!(labels(&t, &rows), ["/:3", "  r/:3", "    pods/:2", "      web:1", "    svc/:1", "      web:1"]);
        assert!(t.visible(&BTreeSet::new(), "zzz").is_empty());
    }

    #[test]
    fn keys_that_are_prefixes_of_others_and_binary_keys() {
        let t = KeyTree::build(&keys(&["a", "a/b", "a/b/c", "\u{1F600}/x"]));
        assert_eq!(t.key_count(), 4);
        let all: BTreeSet<Vec<u8>> = t.nodes.iter().map(|n| n.path.clone()).collect();
        let rows = t.visible(&all, "");
        assert_eq!(labels(&t, &rows), ["a:1", "a/:2", "  b:1", "  b/:1", "    c:1", "\u{1F600}/:1", "  x:1"]);
        assert_eq!(display_bytes(b"k\xff\x00"), "k\\xff\u{0}");
    }

    #[test]
    fn a_hundred_thousand_keys() {
        let ks: Vec<Vec<u8>> = {
            let mut v: Vec<Vec<u8>> = (0..100_000)
                .map(|i| format!("/registry/ns{}/pod-{i:06}", i % 10).into_bytes())
                .collect();
            v.sort();
            v
        };
        let t = KeyTree::build(&ks);
        assert_eq!(t.key_count(), 100_000);
        let open: BTreeSet<Vec<u8>> = [b"/".to_vec(), b"/registry/".to_vec(), b"/registry/ns3/".to_vec()].into();
        assert_eq!(t.visible(&open, "").len(), 2 + 10 + 10_000);
    }
}
