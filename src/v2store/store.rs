//! The v2 store (`store` in etcd 3.4's `v2store`): the tree, the store index, the TTL keys
//! and the event history; get, set, create, update, compare-and-swap, delete,
//! compare-and-delete, expiry and watch-by-index.
//!
//! Every operation that changes the tree takes the next index; a failed one leaves the
//! index alone and answers a [`V2Error`] carrying the current index. Time never comes from
//! a clock here: each call gets `now` (unix nanoseconds of the simulated clock) to compute
//! remaining TTLs, and expiry happens only in [`Store::delete_expired_keys`].
//!
//! Paths are internal paths: etcd keeps user keys under `/1` and cluster data under `/0`
//! (see [`super::apply`] for the translation).

use super::event_history::EventHistory;
use super::node::{CompareResult, Node, NodeKind};
use super::ttl_key_heap::TtlKeyHeap;
use crate::api::v2::error::*;
use crate::api::v2::event::*;
use crate::api::v2::path::{clean, join, split};

/// Expiration times before 2000-01-01T00:00:00Z mean "permanent" (etcd's `minExpireTime`).
pub const MIN_EXPIRE_TIME: i64 = 946_684_800 * 1_000_000_000;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Store {
    root: Node,
    current_index: u64,
    history: EventHistory,
    ttl_keys: TtlKeyHeap,
    /// Paths nobody may change: `/` and the namespaces.
    read_only: Vec<String>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new(&[])
    }
}

impl Store {
    /// A store with the given top-level namespace directories (etcd uses `/0` and `/1`).
    pub fn new(namespaces: &[&str]) -> Store {
        let mut root = Node::new_dir("/", 0, None);
        let mut read_only = vec!["/".to_string()];
        if let Some(children) = root.children_mut() {
            for ns in namespaces {
                let p = clean(ns);
                let name = p.trim_start_matches('/').to_string();
                children.insert(name, Node::new_dir(&p, 0, None));
                read_only.push(p);
            }
        }
        Store {
            root,
            current_index: 0,
            history: EventHistory::default(),
            ttl_keys: TtlKeyHeap::default(),
            read_only,
        }
    }

    pub fn index(&self) -> u64 {
        self.current_index
    }

    pub fn has_ttl_keys(&self) -> bool {
        !self.ttl_keys.is_empty()
    }

    /// The earliest expiration time of any TTL node.
    pub fn next_expiry(&self) -> Option<i64> {
        self.ttl_keys.top().map(|(t, _)| *t)
    }

    /// The tree itself, read-only (for pictures of the keyspace).
    pub fn root(&self) -> &Node {
        &self.root
    }

    fn is_read_only(&self, p: &str) -> bool {
        self.read_only.iter().any(|r| r == p)
    }

    fn err(&self, code: u32, cause: impl Into<String>) -> V2Error {
        V2Error::new(code, cause, self.current_index)
    }

    /// `internalGet`: walks a cleaned path.
    fn internal_get(&self, node_path: &str) -> Result<&Node, V2Error> {
        let p = clean(node_path);
        let mut curr = &self.root;
        for comp in p.split('/').skip(1) {
            if comp.is_empty() {
                return Ok(curr);
            }
            let children = match curr.children() {
                Some(c) => c,
                None => return Err(self.err(ECODE_NOT_DIR, curr.path.clone())),
            };
            match children.get(comp) {
                Some(c) => curr = c,
                None => return Err(self.err(ECODE_KEY_NOT_FOUND, join(&curr.path, comp))),
            }
        }
        Ok(curr)
    }

    fn node_mut(&mut self, node_path: &str) -> Option<&mut Node> {
        let p = clean(node_path);
        let mut curr = &mut self.root;
        for comp in p.split('/').skip(1) {
            if comp.is_empty() {
                return Some(curr);
            }
            curr = curr.children_mut()?.get_mut(comp)?;
        }
        Some(curr)
    }

    /// Takes a node out of its parent and forgets the TTLs of its subtree.
    fn detach(&mut self, node_path: &str) -> Option<Node> {
        let (dir, name) = split(node_path);
        let parent = self.node_mut(dir)?;
        let removed = parent.children_mut()?.remove(name)?;
        let mut ttls = Vec::new();
        removed.ttl_entries(&mut ttls);
        for (t, p) in ttls {
            self.ttl_keys.remove(t, &p);
        }
        Some(removed)
    }

    fn notify(&mut self, e: &Event) {
        self.history.add(e.clone());
    }

    // ---- reads ---------------------------------------------------------------------------

    /// `Get`: the node at `node_path`; a directory lists its visible children.
    pub fn get(
        &self,
        node_path: &str,
        recursive: bool,
        sorted: bool,
        now: i64,
    ) -> Result<Event, V2Error> {
        let _ = sorted; // children are always in key order
        let n = self.internal_get(node_path)?;
        let mut e = Event::new(GET, node_path, n.modified_index, n.created_index);
        e.etcd_index = self.current_index;
        n.load(recursive, now, &mut e.node);
        Ok(e)
    }

    /// The watch by index (`Watch` answered from the history): the first event at or after
    /// `since` (0: the next index) concerning `key`, or `None` when there is none yet.
    /// `hidden_after`: see [`EventHistory::scan`]. An event found in the history carries the
    /// current index as its `etcd_index`, as etcd answers.
    pub fn watch(
        &self,
        key: &str,
        recursive: bool,
        since: u64,
        hidden_after: u64,
    ) -> Result<(Option<Event>, u64), V2Error> {
        let key = clean(key);
        let since = if since == 0 {
            self.current_index.saturating_add(1)
        } else {
            since
        };
        match self.history.scan(&key, recursive, since, hidden_after) {
            Err(mut e) => {
                e.index = self.current_index;
                Err(e)
            }
            Ok(found) => Ok((
                found.map(|e| {
                    let mut e = e.clone();
                    if e.index() <= hidden_after {
                        e.etcd_index = hidden_after;
                    }
                    e
                }),
                since,
            )),
        }
    }

    // ---- writes --------------------------------------------------------------------------

    /// `Create`: a new file or directory; `unique` appends a 20-digit in-order name.
    pub fn create(
        &mut self,
        node_path: &str,
        dir: bool,
        value: &str,
        unique: bool,
        expire: Option<i64>,
        now: i64,
    ) -> Result<Event, V2Error> {
        let e = self.internal_create(node_path, dir, value, unique, false, expire, CREATE, now)?;
        let mut e = e;
        e.etcd_index = self.current_index;
        self.notify(&e);
        Ok(e)
    }

    /// `Set`: creates or replaces a file (or creates a directory); `refresh` keeps the value
    /// and only resets the TTL.
    pub fn set(
        &mut self,
        node_path: &str,
        dir: bool,
        value: &str,
        expire: Option<i64>,
        refresh: bool,
        now: i64,
    ) -> Result<Event, V2Error> {
        let prev = match self.internal_get(node_path) {
            Ok(n) => Some(n),
            Err(e) if e.error_code == ECODE_KEY_NOT_FOUND => None,
            Err(e) => return Err(e),
        };
        let mut value = value.to_string();
        if refresh {
            match prev {
                Some(n) => value = n.value().to_string(),
                None => {
                    return Err(self
                        .internal_get(node_path)
                        .err()
                        .unwrap_or_else(|| self.err(ECODE_KEY_NOT_FOUND, node_path)))
                }
            }
        }
        let prev_node = prev.map(|n| {
            let mut pe = NodeExtern {
                key: node_path.to_string(),
                ..NodeExtern::default()
            };
            pe.modified_index = n.modified_index;
            pe.created_index = n.created_index;
            n.load(false, now, &mut pe);
            pe
        });
        let mut e = self.internal_create(node_path, dir, &value, false, true, expire, SET, now)?;
        e.etcd_index = self.current_index;
        e.prev_node = prev_node;
        if refresh {
            e.refresh = true;
        }
        self.notify(&e);
        Ok(e)
    }

    #[allow(clippy::too_many_arguments)]
    fn internal_create(
        &mut self,
        node_path: &str,
        dir: bool,
        value: &str,
        unique: bool,
        replace: bool,
        expire: Option<i64>,
        action: &'static str,
        now: i64,
    ) -> Result<Event, V2Error> {
        let curr_index = self.current_index;
        let next_index = curr_index.saturating_add(1);
        let mut node_path = node_path.to_string();
        if unique {
            node_path = format!("{}/{:020}", node_path, next_index);
        }
        let node_path = clean(&node_path);
        if self.is_read_only(&node_path) {
            return Err(self.err(ECODE_ROOT_R_ONLY, "/"));
        }
        let expire = expire.filter(|t| *t >= MIN_EXPIRE_TIME);
        let (dir_name, node_name) = split(&node_path);
        let dir_name = clean(dir_name);

        // walk, creating missing directories (`checkDir`)
        {
            let mut curr = &mut self.root;
            for comp in dir_name.split('/').skip(1) {
                if comp.is_empty() {
                    break;
                }
                let parent_path = curr.path.clone();
                let children = match curr.children_mut() {
                    Some(c) => c,
                    None => return Err(V2Error::new(ECODE_NOT_DIR, parent_path, curr_index)),
                };
                let child = children
                    .entry(comp.to_string())
                    .or_insert_with(|| Node::new_dir(&join(&parent_path, comp), next_index, None));
                if !child.is_dir() {
                    return Err(V2Error::new(ECODE_NOT_DIR, child.path.clone(), curr_index));
                }
                curr = child;
            }
        }

        let mut e = Event::new(action, &node_path, next_index, next_index);
        let existing = self
            .internal_get(&node_path)
            .ok()
            .map(|n| (n.is_dir(), n.repr(false, now)));
        if let Some((is_dir, repr)) = existing {
            if !replace {
                return Err(V2Error::new(ECODE_NODE_EXIST, node_path, curr_index));
            }
            if is_dir {
                return Err(V2Error::new(ECODE_NOT_FILE, node_path, curr_index));
            }
            e.prev_node = Some(repr);
            self.detach(&node_path);
        }

        let n = if dir {
            e.node.dir = true;
            Node::new_dir(&node_path, next_index, expire)
        } else {
            e.node.value = Some(value.to_string());
            Node::new_file(&node_path, value, next_index, expire)
        };
        if let Some(t) = expire {
            self.ttl_keys.push(t, &node_path);
            let (exp, ttl) = n.expiration_and_ttl(now);
            e.node.expiration = exp;
            e.node.ttl = ttl;
        }
        let parent = self.node_mut(&dir_name).and_then(|d| d.children_mut());
        match parent {
            Some(children) => {
                children.insert(node_name.to_string(), n);
            }
            None => return Err(V2Error::new(ECODE_NOT_DIR, dir_name, curr_index)),
        }
        self.current_index = next_index;
        Ok(e)
    }

    /// Changes the TTL of a node (`UpdateTTL`): `None` makes it permanent.
    fn update_ttl(&mut self, node_path: &str, expire: Option<i64>) {
        let old = match self.node_mut(node_path) {
            Some(n) => {
                let old = n.expire_time;
                n.expire_time = expire;
                old
            }
            None => return,
        };
        if let Some(t) = old {
            self.ttl_keys.remove(t, node_path);
        }
        if let Some(t) = expire {
            self.ttl_keys.push(t, node_path);
        }
    }

    /// `Update`: a new value (files) and/or a new TTL for an existing node.
    pub fn update(
        &mut self,
        node_path: &str,
        new_value: &str,
        expire: Option<i64>,
        refresh: bool,
        now: i64,
    ) -> Result<Event, V2Error> {
        let node_path = clean(node_path);
        if self.is_read_only(&node_path) {
            return Err(self.err(ECODE_ROOT_R_ONLY, "/"));
        }
        let next_index = self.current_index.saturating_add(1);
        let n = self.internal_get(&node_path)?;
        if n.is_dir() && !new_value.is_empty() {
            return Err(self.err(ECODE_NOT_FILE, node_path));
        }
        let new_value = if refresh {
            n.value().to_string()
        } else {
            new_value.to_string()
        };
        let mut e = Event::new(UPDATE, &node_path, next_index, n.created_index);
        e.etcd_index = next_index;
        e.prev_node = Some(n.repr(false, now));
        let is_dir = n.is_dir();
        let expire = expire.filter(|t| *t >= MIN_EXPIRE_TIME);
        if let Some(node) = self.node_mut(&node_path) {
            if let NodeKind::File(v) = &mut node.kind {
                *v = new_value.clone();
                node.modified_index = next_index;
            }
        }
        if is_dir {
            e.node.dir = true;
        } else {
            e.node.value = Some(new_value);
        }
        self.update_ttl(&node_path, expire);
        if let Ok(n) = self.internal_get(&node_path) {
            let (exp, ttl) = n.expiration_and_ttl(now);
            e.node.expiration = exp;
            e.node.ttl = ttl;
        }
        e.refresh = refresh;
        self.notify(&e);
        self.current_index = next_index;
        Ok(e)
    }

    /// `CompareAndSwap`: writes a file only if its value and/or modified index match.
    pub fn compare_and_swap(
        &mut self,
        node_path: &str,
        prev_value: &str,
        prev_index: u64,
        value: &str,
        expire: Option<i64>,
        refresh: bool,
        now: i64,
    ) -> Result<Event, V2Error> {
        let node_path = clean(node_path);
        if self.is_read_only(&node_path) {
            return Err(self.err(ECODE_ROOT_R_ONLY, "/"));
        }
        let n = self.internal_get(&node_path)?;
        if n.is_dir() {
            return Err(self.err(ECODE_NOT_FILE, node_path));
        }
        let which = n.compare(prev_value, prev_index);
        if which != CompareResult::Match {
            return Err(self.err(
                ECODE_TEST_FAILED,
                compare_fail_cause(n, which, prev_value, prev_index),
            ));
        }
        let value = if refresh {
            n.value().to_string()
        } else {
            value.to_string()
        };
        let created = n.created_index;
        let prev = n.repr(false, now);
        self.current_index = self.current_index.saturating_add(1);
        let idx = self.current_index;
        let mut e = Event::new(COMPARE_AND_SWAP, &node_path, idx, created);
        e.etcd_index = idx;
        e.prev_node = Some(prev);
        if let Some(node) = self.node_mut(&node_path) {
            node.kind = NodeKind::File(value.clone());
            node.modified_index = idx;
        }
        self.update_ttl(&node_path, expire.filter(|t| *t >= MIN_EXPIRE_TIME));
        e.node.value = Some(value);
        if let Ok(n) = self.internal_get(&node_path) {
            let (exp, ttl) = n.expiration_and_ttl(now);
            e.node.expiration = exp;
            e.node.ttl = ttl;
        }
        e.refresh = refresh;
        self.notify(&e);
        Ok(e)
    }

    /// `Delete`: a file, an empty directory (`dir`) or a whole subtree (`recursive`).
    pub fn delete(
        &mut self,
        node_path: &str,
        dir: bool,
        recursive: bool,
        now: i64,
    ) -> Result<Event, V2Error> {
        let node_path = clean(node_path);
        if self.is_read_only(&node_path) {
            return Err(self.err(ECODE_ROOT_R_ONLY, "/"));
        }
        let dir = dir || recursive;
        let n = self.internal_get(&node_path)?;
        let next_index = self.current_index.saturating_add(1);
        let mut e = Event::new(DELETE, &node_path, next_index, n.created_index);
        e.etcd_index = next_index;
        e.prev_node = Some(n.repr(false, now));
        if let Some(children) = n.children() {
            e.node.dir = true;
            if !dir {
                return Err(self.err(ECODE_NOT_FILE, n.path.clone()));
            }
            if !children.is_empty() && !recursive {
                return Err(self.err(ECODE_DIR_NOT_EMPTY, n.path.clone()));
            }
        }
        self.detach(&node_path);
        self.current_index = next_index;
        self.notify(&e);
        Ok(e)
    }

    /// `CompareAndDelete`: deletes a file only if its value and/or modified index match.
    pub fn compare_and_delete(
        &mut self,
        node_path: &str,
        prev_value: &str,
        prev_index: u64,
        now: i64,
    ) -> Result<Event, V2Error> {
        let node_path = clean(node_path);
        let n = self.internal_get(&node_path)?;
        if n.is_dir() {
            return Err(self.err(ECODE_NOT_FILE, node_path));
        }
        let which = n.compare(prev_value, prev_index);
        if which != CompareResult::Match {
            return Err(self.err(
                ECODE_TEST_FAILED,
                compare_fail_cause(n, which, prev_value, prev_index),
            ));
        }
        let created = n.created_index;
        let prev = n.repr(false, now);
        self.current_index = self.current_index.saturating_add(1);
        let mut e = Event::new(COMPARE_AND_DELETE, &node_path, self.current_index, created);
        e.etcd_index = self.current_index;
        e.prev_node = Some(prev);
        self.detach(&node_path);
        self.notify(&e);
        Ok(e)
    }

    /// `DeleteExpiredKeys`: removes every node whose expiration is at or before `cutoff`,
    /// earliest first, one index and one `expire` event each.
    pub fn delete_expired_keys(&mut self, cutoff: i64) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some((t, p)) = self.ttl_keys.top().cloned() {
            if t > cutoff {
                break;
            }
            let n = match self.internal_get(&p) {
                Ok(n) => n,
                Err(_) => {
                    self.ttl_keys.remove(t, &p);
                    continue;
                }
            };
            let idx = self.current_index.saturating_add(1);
            let mut e = Event::new(EXPIRE, &p, idx, n.created_index);
            e.etcd_index = idx;
            e.prev_node = Some(n.repr(false, cutoff));
            e.node.dir = n.is_dir();
            self.current_index = idx;
            self.ttl_keys.remove(t, &p);
            self.detach(&p);
            self.notify(&e);
            out.push(e);
        }
        out
    }
}

fn compare_fail_cause(n: &Node, which: CompareResult, prev_value: &str, prev_index: u64) -> String {
    match which {
        CompareResult::IndexNotMatch => format!("[{} != {}]", prev_index, n.modified_index),
        CompareResult::ValueNotMatch => format!("[{} != {}]", prev_value, n.value()),
        _ => format!(
            "[{} != {}] [{} != {}]",
            prev_value,
            n.value(),
            prev_index,
            n.modified_index
        ),
    }
}
