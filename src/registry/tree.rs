//! The key tree behind the keyspace view: keys split on `/` into folders, with the number of
//! keys and bytes under each folder, children in byte order, expand/collapse state, a filter,
//! and the flattened list of visible rows that a virtualised list draws.
//!
//! Owns: [`KeyTree`] (an arena of [`TreeNode`]s), its flattening into [`Row`]s, and the
//! per-resource-type [`ResourceSummary`] of `/registry` for a treemap or sunburst.
//! Must not touch: the store, the world, the DOM. The UI feeds it keys (from a range or a watch)
//! and draws the rows it hands back.
//!
//! Cost model (100k keys must stay smooth): building is O(keys × depth); inserting or removing
//! one key is O(depth + siblings); expanding or collapsing a folder marks the flattening stale,
//! and the next [`KeyTree::rows`] walks only the visible rows (collapsed folders are never
//! entered), so it costs O(visible rows), not O(keys). A filter costs one pass over the tree
//! when it changes.
//!
//! A key `/registry/pods/default/web-1` gives the segments `""`, `registry`, `pods`, `default`,
//! `web-1`: the first folder is the empty segment, shown as `/`. A path can be both a key and a
//! folder (`/a` and `/a/b` may both exist in etcd); the node then has `is_key` and children.

use crate::registry::resources::{self, RESOURCE_TYPES};

/// Index of a node in the tree's arena. The root (the empty path above every key) is 0.
pub type NodeId = u32;

/// The root node's id.
pub const ROOT: NodeId = 0;

/// One folder or key.
#[derive(Clone, Debug, Default)]
pub struct TreeNode {
    /// The segment (bytes between two `/`).
    pub name: Box<[u8]>,
    pub parent: NodeId,
    /// Sorted by name, bytewise.
    pub children: Vec<NodeId>,
    /// A key ends exactly here.
    pub is_key: bool,
    /// Bytes of this node's own key and value, if it is a key.
    pub own_bytes: u64,
    /// The key's mod_revision when it was read with its value size (0: not known), so a
    /// later read of the keys alone can tell which sizes still hold.
    pub mod_revision: i64,
    /// Keys at or below this node.
    pub key_count: u64,
    /// Key and value bytes at or below this node.
    pub bytes: u64,
    pub expanded: bool,
    /// 0 for the root's children.
    pub depth: u16,
    /// Keys at or below this node that match the filter.
    filter_hits: u32,
    live: bool,
}

/// One visible line of the keyspace view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub node: NodeId,
    pub depth: u16,
    pub is_folder: bool,
    pub expanded: bool,
}

/// The key tree.
#[derive(Clone, Debug)]
pub struct KeyTree {
    nodes: Vec<TreeNode>,
    free: Vec<NodeId>,
    filter: Option<Vec<u8>>,
    rows: Vec<Row>,
    rows_stale: bool,
}

impl Default for KeyTree {
    fn default() -> Self {
        KeyTree::new()
    }
}

impl KeyTree {
    pub fn new() -> KeyTree {
        let root = TreeNode {
            expanded: true,
            live: true,
            ..Default::default()
        };
        KeyTree {
            nodes: vec![root],
            free: Vec::new(),
            filter: None,
            rows: Vec::new(),
            rows_stale: true,
        }
    }

    /// A tree of these `(key, value length)` pairs. Sorted input (as a range returns it) is
    /// the fast case: every child is appended at the end of its folder.
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = (&'a [u8], usize)>) -> KeyTree {
        let mut t = KeyTree::new();
        for (k, len) in keys {
            t.insert(k, len);
        }
        t
    }

    pub fn node(&self, id: NodeId) -> Option<&TreeNode> {
        self.nodes.get(id as usize).filter(|n| n.live)
    }

    /// Number of keys in the tree.
    pub fn key_count(&self) -> u64 {
        self.nodes.first().map(|r| r.key_count).unwrap_or(0)
    }

    /// Key and value bytes in the tree.
    pub fn bytes(&self) -> u64 {
        self.nodes.first().map(|r| r.bytes).unwrap_or(0)
    }

    fn child(&self, parent: NodeId, name: &[u8]) -> Result<usize, usize> {
        let Some(p) = self.nodes.get(parent as usize) else {
            return Err(0);
        };
        // Sorted input (a range's answer) always lands at the end: check it first.
        if let Some(last) = p.children.last() {
            let ln = self
                .nodes
                .get(*last as usize)
                .map(|n| &*n.name)
                .unwrap_or(&[]);
            match ln.cmp(name) {
                std::cmp::Ordering::Equal => return Ok(p.children.len() - 1),
                std::cmp::Ordering::Less => return Err(p.children.len()),
                std::cmp::Ordering::Greater => {}
            }
        }
        p.children.binary_search_by(|c| {
            self.nodes
                .get(*c as usize)
                .map(|n| &*n.name)
                .unwrap_or(&[])
                .cmp(name)
        })
    }

    /// The node of a path (a key, or a folder given without its trailing `/`).
    pub fn find(&self, path: &[u8]) -> Option<NodeId> {
        let mut at = ROOT;
        for seg in path.split(|b| *b == b'/') {
            let i = self.child(at, seg).ok()?;
            at = *self.nodes.get(at as usize)?.children.get(i)?;
        }
        Some(at)
    }

    fn alloc(&mut self, node: TreeNode) -> NodeId {
        if let Some(id) = self.free.pop() {
            if let Some(slot) = self.nodes.get_mut(id as usize) {
                *slot = node;
                return id;
            }
        }
        self.nodes.push(node);
        NodeId::try_from(self.nodes.len() - 1).unwrap_or(NodeId::MAX)
    }

    /// Adds a key, or updates its value size if it is already there.
    pub fn insert(&mut self, key: &[u8], value_len: usize) {
        self.insert_at(key, value_len, 0);
    }

    /// The value size of `key` as last inserted, if it was inserted at `mod_revision` (a
    /// key's mod_revision names one value, so the size still holds).
    pub fn value_len_at(&self, key: &[u8], mod_revision: i64) -> Option<usize> {
        let n = self.node(self.find(key)?)?;
        (n.is_key && mod_revision != 0 && n.mod_revision == mod_revision)
            .then(|| (n.own_bytes as usize).saturating_sub(key.len()))
    }

    /// [`KeyTree::insert`] of a value read at `mod_revision`.
    pub fn insert_at(&mut self, key: &[u8], value_len: usize, mod_revision: i64) {
        let own = (key.len() + value_len) as u64;
        let mut at = ROOT;
        for (depth, seg) in key.split(|b| *b == b'/').enumerate() {
            at = match self.child(at, seg) {
                Ok(i) => self
                    .nodes
                    .get(at as usize)
                    .and_then(|n| n.children.get(i).copied())
                    .unwrap_or(ROOT),
                Err(i) => {
                    let id = self.alloc(TreeNode {
                        name: seg.into(),
                        parent: at,
                        depth: u16::try_from(depth).unwrap_or(u16::MAX),
                        live: true,
                        ..Default::default()
                    });
                    if let Some(p) = self.nodes.get_mut(at as usize) {
                        p.children.insert(i, id);
                    }
                    self.rows_stale = true;
                    id
                }
            };
        }
        let Some(leaf) = self.nodes.get_mut(at as usize) else {
            return;
        };
        let (dk, old) = if leaf.is_key {
            (0, leaf.own_bytes)
        } else {
            (1, 0)
        };
        leaf.is_key = true;
        leaf.own_bytes = own;
        leaf.mod_revision = mod_revision;
        let hit = u32::from(
            dk == 1
                && self
                    .filter
                    .as_ref()
                    .is_some_and(|f| contains(&key.to_ascii_lowercase(), f)),
        );
        if hit == 1 {
            self.rows_stale = true;
        }
        // Up the parent chain to the root.
        let mut cur = at;
        while let Some(n) = self.nodes.get_mut(cur as usize) {
            n.key_count += dk;
            n.bytes = n.bytes.saturating_add(own).saturating_sub(old);
            n.filter_hits = n.filter_hits.saturating_add(hit);
            if cur == ROOT {
                break;
            }
            cur = n.parent;
        }
    }

    /// Removes a key (a deleted key vanishes from the view); empty folders above it go too.
    pub fn remove(&mut self, key: &[u8]) -> bool {
        let Some(id) = self.find(key) else {
            return false;
        };
        let Some(n) = self.nodes.get_mut(id as usize) else {
            return false;
        };
        if !n.is_key {
            return false;
        }
        let own = n.own_bytes;
        let hit = u32::from(
            self.filter
                .as_ref()
                .is_some_and(|f| contains(&key.to_ascii_lowercase(), f)),
        );
        n.is_key = false;
        n.own_bytes = 0;
        n.mod_revision = 0;
        let mut at = id;
        while let Some(n) = self.nodes.get_mut(at as usize) {
            n.key_count = n.key_count.saturating_sub(1);
            n.bytes = n.bytes.saturating_sub(own);
            n.filter_hits = n.filter_hits.saturating_sub(hit);
            if at == ROOT {
                break;
            }
            at = n.parent;
        }
        // Prune folders that hold nothing any more.
        let mut at = id;
        while at != ROOT {
            let Some(n) = self.nodes.get(at as usize) else {
                break;
            };
            if n.key_count > 0 || !n.children.is_empty() {
                break;
            }
            let (parent, name) = (n.parent, n.name.clone());
            if let Ok(i) = self.child(parent, &name) {
                if let Some(p) = self.nodes.get_mut(parent as usize) {
                    p.children.remove(i);
                }
            }
            if let Some(n) = self.nodes.get_mut(at as usize) {
                *n = TreeNode::default();
            }
            self.free.push(at);
            at = parent;
        }
        self.rows_stale = true;
        true
    }

    /// The full path of a node (`/registry/pods`); for a key, the key itself.
    pub fn path(&self, id: NodeId) -> Vec<u8> {
        let mut segs: Vec<&[u8]> = Vec::new();
        let mut at = id;
        while at != ROOT {
            let Some(n) = self.nodes.get(at as usize) else {
                break;
            };
            segs.push(&n.name);
            at = n.parent;
        }
        segs.reverse();
        segs.join(&b'/')
    }

    /// The prefix that ranges over everything below a folder (`/registry/pods/`).
    pub fn folder_prefix(&self, id: NodeId) -> Vec<u8> {
        let mut p = self.path(id);
        if id != ROOT {
            p.push(b'/');
        }
        p
    }

    /// What the view prints for a node: the segment, `/` for the empty first segment, and a
    /// trailing `/` on folders.
    pub fn label(&self, id: NodeId) -> String {
        let Some(n) = self.node(id) else {
            return String::new();
        };
        let name = String::from_utf8_lossy(&n.name);
        if n.children.is_empty() {
            name.into_owned()
        } else if name.is_empty() {
            "/".to_string()
        } else {
            format!("{name}/")
        }
    }

    pub fn is_folder(&self, id: NodeId) -> bool {
        self.node(id).is_some_and(|n| !n.children.is_empty())
    }

    pub fn set_expanded(&mut self, id: NodeId, expanded: bool) {
        if let Some(n) = self.nodes.get_mut(id as usize) {
            if n.expanded != expanded && id != ROOT {
                n.expanded = expanded;
                self.rows_stale = true;
            }
        }
    }

    pub fn toggle(&mut self, id: NodeId) {
        let e = self.node(id).is_some_and(|n| n.expanded);
        self.set_expanded(id, !e);
    }

    /// Expands every folder on the way to a path (and the path's folder itself), so it shows.
    pub fn reveal(&mut self, path: &[u8]) -> Option<NodeId> {
        let id = self.find(path)?;
        let mut at = id;
        while at != ROOT {
            self.set_expanded(at, true);
            at = self
                .nodes
                .get(at as usize)
                .map(|n| n.parent)
                .unwrap_or(ROOT);
        }
        Some(id)
    }

    pub fn collapse_all(&mut self) {
        for (i, n) in self.nodes.iter_mut().enumerate() {
            if i != 0 {
                n.expanded = false;
            }
        }
        self.rows_stale = true;
    }

    /// Paths of the expanded folders, to carry the view's state over a rebuild.
    pub fn expanded_paths(&self) -> Vec<Vec<u8>> {
        (1..self.nodes.len())
            .filter(|i| {
                self.nodes
                    .get(*i)
                    .is_some_and(|n| n.live && n.expanded && !n.children.is_empty())
            })
            .map(|i| self.path(NodeId::try_from(i).unwrap_or(0)))
            .collect()
    }

    pub fn set_expanded_paths(&mut self, paths: &[Vec<u8>]) {
        for p in paths {
            if let Some(id) = self.find(p) {
                self.set_expanded(id, true);
            }
        }
    }

    /// Shows only keys whose full path contains `text` (ASCII case-insensitive) and the folders
    /// above them, expanded. An empty text clears the filter.
    pub fn set_filter(&mut self, text: &str) {
        self.filter = if text.is_empty() {
            None
        } else {
            Some(text.as_bytes().to_ascii_lowercase())
        };
        self.refilter();
        self.rows_stale = true;
    }

    pub fn filter(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|f| String::from_utf8_lossy(f).into_owned())
    }

    /// Keys that match the filter below a node (all keys when no filter is set).
    pub fn matching(&self, id: NodeId) -> u64 {
        match (&self.filter, self.node(id)) {
            (None, Some(n)) => n.key_count,
            (Some(_), Some(n)) => u64::from(n.filter_hits),
            _ => 0,
        }
    }

    fn refilter(&mut self) {
        for n in self.nodes.iter_mut() {
            n.filter_hits = 0;
        }
        let Some(f) = self.filter.clone() else { return };
        // Depth-first with the lower-cased path in a reused buffer.
        let mut buf: Vec<u8> = Vec::new();
        let mut stack: Vec<(NodeId, usize, bool)> = vec![(ROOT, 0, false)];
        while let Some((id, len, done)) = stack.pop() {
            if done {
                let hits = self
                    .nodes
                    .get(id as usize)
                    .map(|n| n.filter_hits)
                    .unwrap_or(0);
                if id != ROOT {
                    let parent = self
                        .nodes
                        .get(id as usize)
                        .map(|n| n.parent)
                        .unwrap_or(ROOT);
                    if let Some(p) = self.nodes.get_mut(parent as usize) {
                        p.filter_hits = p.filter_hits.saturating_add(hits);
                    }
                }
                continue;
            }
            buf.truncate(len);
            let Some(n) = self.nodes.get(id as usize) else {
                continue;
            };
            if id != ROOT {
                if n.depth > 0 {
                    buf.push(b'/');
                }
                buf.extend(n.name.iter().map(u8::to_ascii_lowercase));
            }
            let is_key = n.is_key;
            let here = buf.len();
            stack.push((id, here, true));
            for c in n.children.iter().rev() {
                stack.push((*c, here, false));
            }
            if is_key && contains(&buf, &f) {
                if let Some(n) = self.nodes.get_mut(id as usize) {
                    n.filter_hits = 1;
                }
            }
        }
    }

    /// The visible rows, in display order. Recomputed only after a change, in
    /// O(visible rows).
    pub fn rows(&mut self) -> &[Row] {
        if self.rows_stale {
            let mut rows = std::mem::take(&mut self.rows);
            rows.clear();
            self.flatten_into(ROOT, &mut rows);
            self.rows = rows;
            self.rows_stale = false;
        }
        &self.rows
    }

    /// Rows `start..start+len` of the visible rows (clamped), for a virtualised list.
    pub fn window(&mut self, start: usize, len: usize) -> &[Row] {
        let rows = self.rows();
        let s = start.min(rows.len());
        let e = s.saturating_add(len).min(rows.len());
        rows.get(s..e).unwrap_or(&[])
    }

    /// Number of visible rows.
    pub fn visible_len(&mut self) -> usize {
        self.rows().len()
    }

    /// Where a node is among the visible rows (to scroll a list to it).
    pub fn row_index(&mut self, id: NodeId) -> Option<usize> {
        self.rows().iter().position(|r| r.node == id)
    }

    fn flatten_into(&self, top: NodeId, rows: &mut Vec<Row>) {
        let filtering = self.filter.is_some();
        let mut stack: Vec<NodeId> = Vec::new();
        if let Some(n) = self.nodes.get(top as usize) {
            stack.extend(n.children.iter().rev());
        }
        while let Some(id) = stack.pop() {
            let Some(n) = self.nodes.get(id as usize) else {
                continue;
            };
            if filtering && n.filter_hits == 0 {
                continue;
            }
            let is_folder = !n.children.is_empty();
            let open = is_folder && (n.expanded || filtering);
            rows.push(Row {
                node: id,
                depth: n.depth,
                is_folder,
                expanded: open,
            });
            if open {
                stack.extend(n.children.iter().rev());
            }
        }
    }

    /// `/registry` by resource type, for a treemap or sunburst: one entry per resource folder
    /// (`pods`, `services/specs`, `apiregistration.k8s.io/apiservices`, ...) with its keys and
    /// bytes, and for namespaced types one child per namespace. Largest first (by keys).
    pub fn resource_summary(&self) -> Vec<ResourceSummary> {
        let Some(registry) = self.find(b"/registry") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let Some(reg) = self.node(registry) else {
            return out;
        };
        for &c in &reg.children {
            let Some(n) = self.node(c) else { continue };
            let name = String::from_utf8_lossy(&n.name).into_owned();
            // Two-level prefixes: services/specs, ranges/serviceips, <group>/<resource>.
            let two_level = RESOURCE_TYPES
                .iter()
                .any(|r| r.prefix.starts_with(&format!("{name}/")))
                || (name.contains('.') && !n.children.is_empty());
            if two_level && !n.children.is_empty() {
                for &g in &n.children {
                    if let Some(gn) = self.node(g) {
                        let label = format!("{name}/{}", String::from_utf8_lossy(&gn.name));
                        out.push(self.summary_of(g, label));
                    }
                }
            } else {
                out.push(self.summary_of(c, name));
            }
        }
        crate::sort::sort_by(&mut out, |a, b| {
            b.keys
                .cmp(&a.keys)
                .then_with(|| a.resource.cmp(&b.resource))
        });
        out
    }

    fn summary_of(&self, id: NodeId, label: String) -> ResourceSummary {
        let n = self.node(id);
        let prefix = format!("/registry/{label}");
        let kind = resources::RESOURCE_TYPES
            .iter()
            .find(|r| r.prefix == label)
            .map(|r| r.kind.to_string());
        let namespaced = resources::RESOURCE_TYPES
            .iter()
            .find(|r| r.prefix == label)
            .is_some_and(|r| r.namespaced);
        let mut children = Vec::new();
        if namespaced {
            for &c in n.map(|n| n.children.as_slice()).unwrap_or(&[]) {
                if let Some(cn) = self.node(c) {
                    children.push(SummaryPart {
                        name: String::from_utf8_lossy(&cn.name).into_owned(),
                        node: c,
                        keys: cn.key_count,
                        bytes: cn.bytes,
                    });
                }
            }
            crate::sort::sort_by(&mut children, |a, b| {
                b.keys.cmp(&a.keys).then_with(|| a.name.cmp(&b.name))
            });
        }
        ResourceSummary {
            resource: label,
            prefix,
            kind,
            node: id,
            keys: n.map(|n| n.key_count).unwrap_or(0),
            bytes: n.map(|n| n.bytes).unwrap_or(0),
            namespaces: children,
        }
    }
}

/// One resource type under `/registry`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceSummary {
    /// The folder below `/registry/` (`pods`, `services/specs`).
    pub resource: String,
    /// `/registry/pods` (the node's path; add `/` to range over it).
    pub prefix: String,
    /// The kind stored there, when the folder is a known resource type.
    pub kind: Option<String>,
    /// The folder's node, to drill into the tree.
    pub node: NodeId,
    pub keys: u64,
    pub bytes: u64,
    /// Per namespace (namespaced types only), largest first.
    pub namespaces: Vec<SummaryPart>,
}

/// One namespace of a resource type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryPart {
    pub name: String,
    pub node: NodeId,
    pub keys: u64,
    pub bytes: u64,
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(keys: &[&str]) -> KeyTree {
        KeyTree::from_keys(keys.iter().map(|k| (k.as_bytes(), 10usize)))
    }

    fn labels(t: &mut KeyTree) -> Vec<String> {
        let rows = t.rows().to_vec();
        rows.iter()
            .map(|r| format!("{}{}", "  ".repeat(r.depth as usize), t.label(r.node)))
            .collect()
    }

    const KEYS: &[&str] = &[
        "/registry/pods/default/web-1",
        "/registry/pods/default/web-2",
        "/registry/pods/kube-system/etcd-cp",
        "/registry/namespaces/default",
        "/registry/services/specs/default/kubernetes",
        "/registry/ranges/serviceips",
        "foo",
    ];

    #[test]
    fn counts_and_sizes_per_folder() {
        let t = tree(KEYS);
        assert_eq!(t.key_count(), 7);
        let pods = t.find(b"/registry/pods").unwrap();
        assert_eq!(t.node(pods).unwrap().key_count, 3);
        assert_eq!(t.node(pods).unwrap().bytes, (28 + 10) * 2 + 34 + 10);
        assert_eq!(t.folder_prefix(pods), b"/registry/pods/");
        assert_eq!(
            t.path(t.find(b"/registry/pods/default/web-2").unwrap()),
            b"/registry/pods/default/web-2"
        );
        assert_eq!(t.find(b"/registry/nothing"), None);
    }

    #[test]
    fn collapsed_by_default_and_sorted() {
        let mut t = tree(KEYS);
        assert_eq!(labels(&mut t), vec!["/", "foo"]);
        t.reveal(b"/registry/pods/default");
        assert_eq!(
            labels(&mut t),
            vec![
                "/",
                "  registry/",
                "    namespaces/",
                "    pods/",
                "      default/",
                "        web-1",
                "        web-2",
                "      kube-system/",
                "    ranges/",
                "    services/",
                "foo",
            ]
        );
        let pods = t.find(b"/registry/pods").unwrap();
        t.toggle(pods);
        assert_eq!(t.visible_len(), 7);
        assert_eq!(t.window(2, 2).len(), 2);
        assert_eq!(t.window(100, 5).len(), 0);
        // Expansion state is kept across a rebuild.
        let saved = t.expanded_paths();
        let mut t2 = tree(KEYS);
        t2.set_expanded_paths(&saved);
        assert_eq!(labels(&mut t2), labels(&mut t));
    }

    #[test]
    fn key_and_folder_at_once() {
        let mut t = tree(&["/a", "/a/b"]);
        t.reveal(b"/a/b");
        assert_eq!(labels(&mut t), vec!["/", "  a/", "    b"]);
        let a = t.find(b"/a").unwrap();
        assert!(t.node(a).unwrap().is_key);
        assert_eq!(t.node(a).unwrap().key_count, 2);
    }

    #[test]
    fn insert_update_and_remove() {
        let mut t = tree(KEYS);
        t.insert(b"/registry/pods/default/web-1", 100);
        assert_eq!(t.key_count(), 7);
        t.insert(b"/registry/pods/default/web-0", 1);
        assert_eq!(t.key_count(), 8);
        t.reveal(b"/registry/pods/default/web-0");
        let d = t.find(b"/registry/pods/default").unwrap();
        let kids: Vec<String> = t
            .node(d)
            .unwrap()
            .children
            .iter()
            .map(|c| t.label(*c))
            .collect();
        assert_eq!(kids, vec!["web-0", "web-1", "web-2"]);
        assert!(t.remove(b"/registry/pods/kube-system/etcd-cp"));
        assert!(!t.remove(b"/registry/pods/kube-system/etcd-cp"));
        assert!(!t.remove(b"/registry/pods"));
        assert_eq!(t.find(b"/registry/pods/kube-system"), None);
        assert_eq!(
            t.node(t.find(b"/registry/pods").unwrap())
                .unwrap()
                .key_count,
            3
        );
        for k in KEYS {
            t.remove(k.as_bytes());
        }
        t.remove(b"/registry/pods/default/web-0");
        assert_eq!(t.key_count(), 0);
        assert_eq!(t.bytes(), 0);
        assert!(t.rows().is_empty());
        // Freed nodes are reused.
        t.insert(b"x/y", 1);
        assert_eq!(t.key_count(), 1);
    }

    #[test]
    fn filter_shows_matches_and_their_folders() {
        let mut t = tree(KEYS);
        t.set_filter("KUBE-system/");
        assert_eq!(
            labels(&mut t),
            vec![
                "/",
                "  registry/",
                "    pods/",
                "      kube-system/",
                "        etcd-cp"
            ]
        );
        assert_eq!(t.matching(t.find(b"/registry").unwrap()), 1);
        t.insert(b"/registry/leases/kube-system/x", 3);
        assert_eq!(t.matching(ROOT), 2);
        assert_eq!(t.visible_len(), 8);
        t.remove(b"/registry/pods/kube-system/etcd-cp");
        assert_eq!(t.matching(ROOT), 1);
        assert_eq!(
            labels(&mut t),
            vec![
                "/",
                "  registry/",
                "    leases/",
                "      kube-system/",
                "        x"
            ]
        );
        t.set_filter("");
        assert_eq!(labels(&mut t), vec!["/", "foo"]);
        assert_eq!(t.matching(ROOT), 7);
    }

    #[test]
    fn summary_by_resource_type() {
        let t = tree(KEYS);
        let s = t.resource_summary();
        let names: Vec<&str> = s.iter().map(|r| r.resource.as_str()).collect();
        assert_eq!(
            names,
            vec!["pods", "namespaces", "ranges/serviceips", "services/specs"]
        );
        assert_eq!(s[0].keys, 3);
        assert_eq!(s[0].kind.as_deref(), Some("Pod"));
        assert_eq!(
            s[0].namespaces
                .iter()
                .map(|p| (p.name.as_str(), p.keys))
                .collect::<Vec<_>>(),
            vec![("default", 2), ("kube-system", 1)]
        );
        assert_eq!(s[3].namespaces.len(), 1);
        assert_eq!(s[1].namespaces.len(), 0);
    }

    #[test]
    fn the_sample_summary_covers_every_key() {
        use crate::registry::sample::{generate, SampleOptions, SampleSize};
        let s = generate(&SampleOptions::new(3, SampleSize::Small, 2, 1_795_586_400));
        let t = KeyTree::from_keys(s.objects.iter().map(|o| (o.key.as_bytes(), o.value.len())));
        let sum = t.resource_summary();
        assert_eq!(
            sum.iter().map(|r| r.keys).sum::<u64>(),
            s.objects.len() as u64
        );
        assert_eq!(
            sum.iter().map(|r| r.bytes).sum::<u64>(),
            s.total_bytes() as u64
        );
        assert!(sum
            .iter()
            .any(|r| r.resource == "apiregistration.k8s.io/apiservices" && r.keys == 22));
        assert!(sum.iter().all(|r| r.kind.is_some()), "{sum:?}");
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any sequence of inserts and removes keeps the counts equal to a plain map's.
        #[test]
        fn counts_match_a_map(ops in proptest::collection::vec((any::<bool>(), proptest::collection::vec(prop_oneof![Just(b'/'), Just(b'a'), Just(b'b'), Just(0xffu8)], 0..6), 0usize..5), 0..60)) {
            let mut t = KeyTree::new();
            let mut m = std::collections::BTreeMap::new();
            t.set_filter("a");
            for (insert, key, len) in ops {
                if insert {
                    t.insert(&key, len);
                    m.insert(key, len);
                } else {
                    prop_assert_eq!(t.remove(&key), m.remove(&key).is_some());
                }
                prop_assert_eq!(t.key_count(), m.len() as u64);
                prop_assert_eq!(t.bytes(), m.iter().map(|(k, l)| (k.len() + l) as u64).sum::<u64>());
                let hits = m.keys().filter(|k| k.to_ascii_lowercase().contains(&b'a')).count() as u64;
                prop_assert_eq!(t.matching(ROOT), hits);
                let _ = t.rows().len();
            }
        }
    }
}
