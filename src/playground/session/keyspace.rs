//! The keyspace panel's model and its reads: the keys the tree shows (at the newest or an
//! earlier revision, v3 or v2), the selected key's value and history, read through the
//! world's client surface with Range, Watch and v2 Get requests, as any client would send
//! them (serializable, from the leader or any running member).
//!
//! Owns: [`KeyspaceData`], [`KeyDetailModel`], the open folders across v3/v2. Must not touch:
//! the stores themselves (only requests reach them), how the tree is drawn (the page's).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::Session;
use crate::api::v2::{KeysRequest, Method, NodeExtern, V2Op, V2Request, V2Response};
use crate::api::{
    CallError, EventType, KeyValue, RangeRequest, Request, Response, WatchCreateRequest,
};
use crate::registry::tree::{KeyTree, NodeId};

pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Keys a page of a real cluster's key list holds (never the whole keyspace in one answer;
/// smaller in tests, so the sample spans several pages).
pub(super) const REMOTE_PAGE: i64 = if cfg!(test) { 100 } else { 1000 };
/// The most keys of a real cluster the tree lists.
const REMOTE_MAX_KEYS: usize = 200_000;
/// How often a real cluster is asked whether its keyspace changed.
const REMOTE_CHECK: Duration = Duration::from_secs(1);
/// Keys whose value sizes are read one by one; more changed keys are read in pages.
const SIZE_READS_ONE_BY_ONE: usize = 64;
/// Keys a page of the value-size read holds (about 1 MB of the large /registry sample).
const SIZE_PAGE: i64 = 1000;

/// One change of a key, newest first in a history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub revision: i64,
    pub deleted: bool,
    pub version: i64,
    pub create_revision: i64,
    pub value: Vec<u8>,
    pub lease: i64,
}

/// What the detail pane shows for a selected key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyDetailModel {
    pub key: Vec<u8>,
    /// The revision looked at (`None`: the newest).
    pub at_revision: Option<i64>,
    pub kv: Option<KeyValue>,
    pub history: Vec<HistoryRow>,
    /// Set when the history reaches back to a compacted revision: nothing before
    /// `compacted` can be shown.
    pub history_truncated: bool,
    pub compacted: i64,
    pub error: Option<String>,
    /// A v2 node: its TTL in seconds (0: permanent). `kv` then holds the value and the
    /// created/modified indexes.
    pub v2_ttl: Option<i64>,
}

/// The keys the tree shows, read at one revision.
#[derive(Clone, Debug, Default)]
pub struct KeyspaceData {
    /// Bumped whenever the tree changes (keys, open folders, filter), so props compare cheaply.
    pub generation: u64,
    pub tree: Rc<RefCell<KeyTree>>,
    pub filter: String,
    /// The store's newest revision (the slider's end).
    pub revision: i64,
    /// The revision shown (`None`: the newest).
    pub at: Option<i64>,
    /// Revisions up to this one are compacted (0: none known).
    pub compacted: i64,
    /// The v2 tree instead of the v3 keys.
    pub v2: bool,
    /// The tree carries each key's value size, not only its keys (the /registry picture is
    /// open and shows bytes). Sizes cost a read of the values: only what changed is re-read.
    pub sizes: bool,
    pub error: Option<String>,
}

impl PartialEq for KeyspaceData {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Session {
    /// The client URL of the member to read from: the leader when it runs, else any running one
    /// (whatever the lab: the local members or the kubeadm node's).
    fn read_endpoint(&self) -> Option<String> {
        if let Some(eps) = self.playground.connected() {
            return eps.first().cloned();
        }
        let views = self.world().member_views();
        let pick = views
            .iter()
            .find(|m| m.running && m.role == crate::sim::Role::Leader)
            .or_else(|| views.iter().find(|m| m.running))?;
        self.world().client_url(pick.id)
    }

    pub(super) fn range(&mut self, req: RangeRequest) -> Result<(Vec<KeyValue>, i64), String> {
        if self.playground.connected().is_some() && req.limit == 0 && !req.count_only {
            return self.range_in_pages(req);
        }
        self.range_once(req).map(|(kvs, rev, _)| (kvs, rev))
    }

    fn range_once(&mut self, req: RangeRequest) -> Result<(Vec<KeyValue>, i64, bool), String> {
        let ep = self.read_endpoint().ok_or("no member is running")?;
        match self
            .playground
            .cluster_mut()
            .call(&ep, None, Request::Range(req), READ_TIMEOUT)
        {
            Ok(Response::Range(r)) => Ok((r.kvs, r.header.revision, r.more)),
            Ok(_) => Err("unexpected answer".into()),
            Err(e) => Err(call_error_text(&e)),
        }
    }

    /// A real cluster's range read a page at a time, all pages at the first one's revision.
    fn range_in_pages(&mut self, mut req: RangeRequest) -> Result<(Vec<KeyValue>, i64), String> {
        req.limit = REMOTE_PAGE;
        let mut all: Vec<KeyValue> = Vec::new();
        let mut at = 0;
        loop {
            let (kvs, rev, more) = self.range_once(req.clone())?;
            if at == 0 {
                at = rev;
                req.revision = req.revision.max(rev);
            }
            let next = kvs.last().map(|kv| {
                let mut k = kv.key.clone();
                k.push(0);
                k
            });
            all.extend(kvs);
            match next {
                Some(k) if more && all.len() < REMOTE_MAX_KEYS => req.key = k,
                _ => return Ok((all, at)),
            }
        }
    }

    /// Whether the keyspace changed since it was last read (a member applied or restarted; a
    /// real cluster's revision moved, asked at most every [`REMOTE_CHECK`]).
    fn epoch(&mut self) -> Vec<(u64, bool)> {
        if self.playground.connected().is_some() {
            let now = self.playground.cluster_mut().now();
            if let Some(t) = self.remote_checked {
                if now < t.saturating_add(REMOTE_CHECK) && now >= t {
                    return self.read_epoch.clone();
                }
            }
            self.remote_checked = Some(now);
            let rev = self.range_once(RangeRequest {
                key: vec![0],
                range_end: vec![0],
                count_only: true,
                serializable: true,
                ..Default::default()
            });
            // (apart from any simulated epoch: connecting and disconnecting re-read)
            return vec![(u64::MAX, false), (rev.map_or(0, |r| r.1) as u64, true)];
        }
        self.world()
            .member_views()
            .iter()
            .map(|m| (m.applied, m.running))
            .collect()
    }

    /// Re-reads the keys when the world changed (or `force`), at the chosen revision.
    pub fn refresh_keyspace(&mut self, force: bool) {
        let epoch = self.epoch();
        if !force && epoch == self.read_epoch {
            return;
        }
        self.read_epoch = epoch;
        // (a newer read replaces one whose tree was left for later)
        self.tree_pending = None;
        let at = self.keyspace.at;
        if self.keyspace.v2 {
            self.read_v2();
        } else {
            let req = RangeRequest {
                key: vec![0],
                range_end: vec![0],
                keys_only: true,
                serializable: true,
                revision: at.unwrap_or(0),
                ..Default::default()
            };
            match self.range(req) {
                Ok((kvs, rev)) => {
                    if at.is_none() {
                        self.keyspace.revision = rev;
                    }
                    self.keyspace.error = None;
                    let at = at.unwrap_or(rev);
                    if self.defer_tree {
                        self.tree_pending = Some((kvs, at));
                    } else {
                        self.build_tree(kvs, at);
                    }
                }
                Err(e) => {
                    if e.contains("compacted") {
                        if let Some(a) = at {
                            self.keyspace.compacted = self.keyspace.compacted.max(a);
                        }
                    }
                    self.clear_tree();
                    self.keyspace.error = Some(e);
                }
            }
            if at.is_some() {
                // Still learn the newest revision, for the slider's end.
                if let Ok((_, rev)) = self.range(RangeRequest {
                    key: vec![0],
                    range_end: vec![0],
                    count_only: true,
                    serializable: true,
                    ..Default::default()
                }) {
                    self.keyspace.revision = rev;
                }
            }
        }
        self.keyspace.generation += 1;
        if let Some(k) = self.selected_key.clone() {
            self.select_key(k);
        }
    }

    /// A v2 keys request (a serializable get), answered by the read member's own store.
    pub(super) fn v2_get(&mut self, path: &str, recursive: bool) -> Result<NodeExtern, String> {
        if self.playground.connected().is_some() {
            return Err(
                "the v2 keyspace is not served through etcd's v3 JSON gateway (the real cluster's v3 keys show with v2 off)".to_string(),
            );
        }
        let ep = self.read_endpoint().ok_or("no member is running")?;
        let world = self.playground.world_mut();
        let req = V2Request {
            op: V2Op::Keys(KeysRequest {
                method: Method::Get,
                path: path.to_string(),
                recursive,
                sorted: true,
                ..Default::default()
            }),
            credentials: None,
            now: world.unix_nanos(),
        };
        match world.call(&ep, None, Request::V2(req), READ_TIMEOUT) {
            Ok(Response::V2(V2Response::Event(e))) => Ok(e.node),
            Ok(Response::V2(V2Response::Error(e))) => Err(e.to_string()),
            Ok(_) => Err("unexpected answer".into()),
            Err(e) => Err(call_error_text(&e)),
        }
    }

    fn read_v2(&mut self) {
        match self.v2_get("/", true) {
            Ok(root) => {
                // (key, value size): the recursive get holds the values anyway.
                let mut keys: Vec<(Vec<u8>, usize)> = Vec::new();
                let mut todo = vec![root];
                while let Some(n) = todo.pop() {
                    match n.nodes {
                        Some(children) if !children.is_empty() => todo.extend(children),
                        _ if n.key != "/" && !n.key.is_empty() => {
                            let len = n.value.as_ref().map_or(0, String::len);
                            keys.push((n.key.into_bytes(), len));
                        }
                        _ => {}
                    }
                }
                crate::sort::sort(&mut keys);
                self.replace_tree(KeyTree::from_keys(
                    keys.iter().map(|(k, len)| (k.as_slice(), *len)),
                ));
                self.keyspace.error = None;
            }
            Err(e) => {
                self.clear_tree();
                self.keyspace.error = Some(e);
            }
        }
    }

    /// The key tree of a read of the whole keyspace at `rev`.
    fn build_tree(&mut self, kvs: Vec<KeyValue>, rev: i64) {
        let lens = if self.keyspace.sizes {
            self.value_lens(&kvs, rev)
        } else {
            vec![0; kvs.len()]
        };
        let mut tree = KeyTree::new();
        for (kv, len) in kvs.iter().zip(lens) {
            let mod_revision = if self.keyspace.sizes {
                kv.mod_revision
            } else {
                0
            };
            tree.insert_at(&kv.key, len, mod_revision);
        }
        self.replace_tree(tree);
    }

    /// [`Session::refresh_keyspace`] (forced) that leaves the key tree for
    /// [`Session::build_pending_tree`], so a page can build it in a task of its own: after a
    /// reload of the large `/registry` sample, the read and the tree took a 98 ms task together.
    pub fn read_keyspace_tree_later(&mut self) {
        self.defer_tree = true;
        self.refresh_keyspace(true);
        self.defer_tree = false;
    }

    /// Builds the key tree of the read left for later (see `defer_tree`), if one is.
    pub fn build_pending_tree(&mut self) {
        if let Some((kvs, rev)) = self.tree_pending.take() {
            self.build_tree(kvs, rev);
        }
    }

    /// The value sizes of `kvs` (read keys only, at `rev`): those the tree already knows at
    /// the same mod_revision, the rest read with their values (one key at a time when few
    /// changed, else the whole keyspace in pages, so no response holds all the values).
    fn value_lens(&mut self, kvs: &[KeyValue], rev: i64) -> Vec<usize> {
        let mut lens = Vec::with_capacity(kvs.len());
        let mut missing = Vec::new();
        {
            let tree = self.keyspace.tree.borrow();
            for (i, kv) in kvs.iter().enumerate() {
                match tree.value_len_at(&kv.key, kv.mod_revision) {
                    Some(n) => lens.push(n),
                    None => {
                        lens.push(0);
                        missing.push(i);
                    }
                }
            }
        }
        if missing.len() <= SIZE_READS_ONE_BY_ONE {
            for i in missing {
                let Some(kv) = kvs.get(i) else { continue };
                let req = RangeRequest {
                    key: kv.key.clone(),
                    serializable: true,
                    revision: rev,
                    ..Default::default()
                };
                if let Ok((got, _)) = self.range(req) {
                    if let (Some(v), Some(l)) = (got.first(), lens.get_mut(i)) {
                        *l = v.value.len();
                    }
                }
            }
            return lens;
        }
        // In key order, as the keys-only read returned them.
        let mut from = vec![0u8];
        let mut at = 0usize;
        loop {
            let req = RangeRequest {
                key: from,
                range_end: vec![0],
                serializable: true,
                revision: rev,
                limit: SIZE_PAGE,
                ..Default::default()
            };
            let Ok((page, _)) = self.range(req) else {
                break;
            };
            for v in &page {
                while kvs.get(at).is_some_and(|k| k.key < v.key) {
                    at += 1;
                }
                if let (Some(k), Some(l)) = (kvs.get(at), lens.get_mut(at)) {
                    if k.key == v.key {
                        *l = v.value.len();
                    }
                }
            }
            match page.last() {
                Some(last) if page.len() as i64 == SIZE_PAGE => {
                    from = last.key.clone();
                    from.push(0);
                }
                _ => break,
            }
        }
        lens
    }

    /// Reads the value sizes too (the /registry picture is open), or stops.
    pub fn set_key_sizes(&mut self, on: bool) {
        if self.keyspace.sizes != on {
            self.keyspace.sizes = on;
            if on && !self.keyspace.v2 {
                self.refresh_keyspace(true);
            }
        }
    }

    /// Puts a freshly read tree in place, keeping the open folders and the filter.
    fn replace_tree(&mut self, mut tree: KeyTree) {
        let mut open = self.keyspace.tree.borrow().expanded_paths();
        open.append(&mut self.pending_open);
        tree.set_expanded_paths(&open);
        if !self.keyspace.filter.is_empty() {
            tree.set_filter(&self.keyspace.filter);
        }
        self.keyspace.tree = Rc::new(RefCell::new(tree));
    }

    /// Empties the tree (a read failed), remembering its open folders for the next read.
    fn clear_tree(&mut self) {
        let mut open = self.keyspace.tree.borrow().expanded_paths();
        self.pending_open.append(&mut open);
        self.keyspace.tree = Rc::new(RefCell::new(KeyTree::new()));
    }

    /// Opens one folder of the tree alone (the layout picture's drill-down): everything
    /// else closes, the folder and its parents open.
    pub fn drill(&mut self, id: NodeId) {
        {
            let mut tree = self.keyspace.tree.borrow_mut();
            let path = tree.path(id);
            tree.collapse_all();
            tree.reveal(&path);
            tree.set_expanded(id, true);
        }
        self.keyspace.generation += 1;
    }

    /// Opens or closes a folder of the tree.
    pub fn toggle_folder(&mut self, id: NodeId) {
        self.keyspace.tree.borrow_mut().toggle(id);
        self.keyspace.generation += 1;
    }

    /// Shows only the keys containing `text`.
    pub fn set_filter(&mut self, text: String) {
        self.keyspace.tree.borrow_mut().set_filter(&text);
        self.keyspace.filter = text;
        self.keyspace.generation += 1;
    }

    pub fn set_v2(&mut self, v2: bool) {
        if self.keyspace.v2 == v2 {
            return;
        }
        self.keyspace.v2 = v2;
        // Each keyspace keeps its open folders.
        let open = self.keyspace.tree.borrow().expanded_paths();
        self.pending_open = std::mem::replace(&mut self.other_open, open);
        self.keyspace.tree = Rc::new(RefCell::new(KeyTree::new()));
        self.selected_key = None;
        self.detail = None;
        self.refresh_keyspace(true);
    }

    /// Shows the store as it stood at `rev` (`None` or the newest revision: live).
    pub fn set_revision(&mut self, rev: Option<i64>) {
        self.keyspace.at = rev.filter(|r| *r < self.keyspace.revision);
        self.refresh_keyspace(true);
    }

    /// Selects a key and reads its value and history.
    pub fn select_key(&mut self, key: Vec<u8>) {
        self.selected_key = Some(key.clone());
        if self.keyspace.v2 {
            let path = String::from_utf8_lossy(&key).to_string();
            let got = self.v2_get(&path, false);
            self.detail = Some(KeyDetailModel {
                key,
                kv: got.as_ref().ok().map(|n| KeyValue {
                    value: n.value.clone().unwrap_or_default().into_bytes(),
                    create_revision: n.created_index as i64,
                    mod_revision: n.modified_index as i64,
                    ..Default::default()
                }),
                v2_ttl: got.as_ref().ok().map(|n| n.ttl),
                error: got.err(),
                ..Default::default()
            });
            return;
        }
        let at = self.keyspace.at;
        let mut detail = KeyDetailModel {
            key: key.clone(),
            at_revision: at,
            ..Default::default()
        };
        match self.range(RangeRequest {
            key: key.clone(),
            serializable: true,
            revision: at.unwrap_or(0),
            ..Default::default()
        }) {
            Ok((kvs, rev)) => {
                detail.kv = kvs.into_iter().next();
                let top = at.unwrap_or(rev);
                let (history, truncated) = self.key_history(&key, top);
                detail.history = history;
                detail.history_truncated = truncated;
                detail.compacted = self.keyspace.compacted;
            }
            Err(e) => detail.error = Some(e),
        }
        self.detail = Some(detail);
    }

    /// A key's changes up to revision `top`, newest first: from a watch that starts at the
    /// oldest revision kept (as `etcdctl watch --rev` would), or, when the watch answers nothing,
    /// by reading the key at earlier revisions.
    fn key_history(&mut self, key: &[u8], top: i64) -> (Vec<HistoryRow>, bool) {
        let Some(ep) = self.read_endpoint() else {
            return (Vec::new(), false);
        };
        let start = self.keyspace.compacted.saturating_add(1).max(1);
        if self.playground.connected().is_some() {
            // (a real cluster's watch answers later, as its stream arrives)
            return self.history_by_reads(key, top);
        }
        let world = self.playground.world_mut();
        if let Ok(w) = world.watch(
            &ep,
            None,
            WatchCreateRequest {
                key: key.to_vec(),
                start_revision: start,
                ..Default::default()
            },
        ) {
            let answers = world.watch_poll(w);
            world.watch_cancel(w);
            let mut rows: Vec<HistoryRow> = answers
                .iter()
                .flat_map(|a| a.events.iter())
                .filter(|e| e.kv.mod_revision <= top)
                .map(|e| HistoryRow {
                    revision: e.kv.mod_revision,
                    deleted: e.kind == EventType::Delete,
                    version: e.kv.version,
                    create_revision: e.kv.create_revision,
                    value: e.kv.value.clone(),
                    lease: e.kv.lease,
                })
                .collect();
            let compacted = answers.iter().any(|a| a.compact_revision > 0);
            if !rows.is_empty() || compacted {
                rows.reverse();
                return (rows, compacted || start > 1);
            }
        }
        self.history_by_reads(key, top)
    }

    /// Reads the key at earlier and earlier revisions (a bounded number of reads).
    fn history_by_reads(&mut self, key: &[u8], top: i64) -> (Vec<HistoryRow>, bool) {
        let floor = self.keyspace.compacted.saturating_add(1).max(1);
        let mut rows = Vec::new();
        let mut budget = 200;
        let mut r = top;
        // The newest revision at which the key was seen absent, above what was read so far.
        let mut absent_at: Option<i64> = None;
        let mut truncated = false;
        let get = |s: &mut Session, rev: i64| -> Result<Option<KeyValue>, String> {
            s.range(RangeRequest {
                key: key.to_vec(),
                serializable: true,
                revision: rev,
                ..Default::default()
            })
            .map(|(kvs, _)| kvs.into_iter().next())
        };
        while r >= floor && budget > 0 {
            budget -= 1;
            match get(self, r) {
                Err(e) => {
                    truncated = e.contains("compacted");
                    break;
                }
                Ok(Some(kv)) => {
                    if let Some(hi) = absent_at.take() {
                        // Deleted at the first revision in (mod, hi] where it is absent.
                        let (mut lo, mut hi) = (kv.mod_revision + 1, hi);
                        while lo < hi && budget > 0 {
                            budget -= 1;
                            let mid = lo + (hi - lo) / 2;
                            match get(self, mid) {
                                Ok(None) => hi = mid,
                                _ => lo = mid + 1,
                            }
                        }
                        rows.push(HistoryRow {
                            revision: hi,
                            deleted: true,
                            version: 0,
                            create_revision: 0,
                            value: Vec::new(),
                            lease: 0,
                        });
                    }
                    rows.push(HistoryRow {
                        revision: kv.mod_revision,
                        deleted: false,
                        version: kv.version,
                        create_revision: kv.create_revision,
                        value: kv.value.clone(),
                        lease: kv.lease,
                    });
                    r = kv.mod_revision - 1;
                }
                Ok(None) => {
                    if absent_at.is_none() {
                        absent_at = Some(r);
                    }
                    r -= 1;
                }
            }
        }
        if budget == 0 || r >= floor {
            truncated = true;
        }
        if r < floor && floor > 1 {
            truncated = true;
        }
        (rows, truncated)
    }

    /// Fills the keyspace panel with `n` synthetic keys (the tree benchmark; the world is not
    /// touched).
    pub fn load_synthetic_keys(&mut self, n: usize) {
        let mut keys: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("/registry/ns-{:02}/pods/pod-{i:07}", i % 20).into_bytes())
            .collect();
        crate::sort::sort(&mut keys);
        self.replace_tree(KeyTree::from_keys(keys.iter().map(|k| (k.as_slice(), 0))));
        self.keyspace.error = None;
        self.keyspace.generation += 1;
        // Keep it: the world's applied indexes are remembered, so plain refreshes skip.
        self.read_epoch = self.epoch();
    }
}

/// How a failed call reads on screen: etcd's own error text where there is one.
pub fn call_error_text(e: &CallError) -> String {
    match e {
        CallError::Server(e) => e.message.clone(),
        CallError::DeadlineExceeded => "context deadline exceeded".into(),
        CallError::Unreachable => "the member is not reachable".into(),
    }
}
