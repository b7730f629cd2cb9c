//! Watchers (etcd's `watchable_store.go`, `watcher_group.go` and the filtering of
//! `etcdserver/api/v3rpc/watch.go`).
//!
//! A watcher follows `[key, range_end)` from a start revision. On creation it answers a
//! `created` response; if its start revision is in the past it first replays the history from
//! the bucket (one response with every event up to the current revision, 1000 revisions at
//! most per response, header revision = the store's revision), then follows live writes: one
//! response per write transaction, holding every event of that transaction in the range, with
//! the transaction's revision in the header. A start revision below the compaction revision
//! gets one response with `compact_revision` set and `canceled`, and the watcher is gone.
//! `no_put` / `no_delete` drop events; a response left empty is not sent. `prev_kv` adds the
//! key-value before each event (read at `mod_revision - 1`, absent once compacted).
//!
//! Owns: the watchers of one member and their pending responses. Must not touch: Raft, time.
//! The member drains responses with [`WatchHub::poll`] and fills cluster/member/term headers.

use std::collections::{BTreeMap, VecDeque};

use super::index::RangeEnd;
use super::kvstore::{KvStore, RangeOptions};
use super::revision::Revision;
use crate::api::{Event, EventType, KeyValue, ResponseHeader, WatchCreateRequest, WatchResponse};

/// At most this many distinct revisions in one replayed response (etcd's `watchBatchMaxRevs`).
const WATCH_BATCH_MAX_REVS: usize = 1000;

#[derive(Clone, Debug)]
struct Watcher {
    req: WatchCreateRequest,
    /// The first revision this watcher still has to see.
    min_rev: i64,
    pending: VecDeque<WatchResponse>,
}

impl Watcher {
    fn matches(&self, key: &[u8]) -> bool {
        RangeEnd::from_request(&self.req.range_end).contains(&self.req.key, key)
    }

    fn wanted(&self, ev: &Event) -> bool {
        match ev.kind {
            EventType::Put => !self.req.no_put,
            EventType::Delete => !self.req.no_delete,
        }
    }
}

/// One event a watcher was sent (kept for the UI's write trace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fired {
    pub watch_id: i64,
    pub revision: i64,
    pub kind: EventType,
    pub key: Vec<u8>,
}

/// How many fired events are remembered.
const FIRED_KEPT: usize = 512;

/// Every watcher of one member.
#[derive(Clone, Debug, Default)]
pub struct WatchHub {
    watchers: BTreeMap<i64, Watcher>,
    next_id: i64,
    /// The newest live events sent to watchers, oldest first.
    fired: VecDeque<Fired>,
}

fn header(rev: i64) -> ResponseHeader {
    ResponseHeader {
        revision: rev,
        ..ResponseHeader::default()
    }
}

fn prev_kv_of(store: &KvStore, ev: &Event) -> Option<KeyValue> {
    let ro = RangeOptions {
        rev: ev.kv.mod_revision.saturating_sub(1),
        ..RangeOptions::default()
    };
    if ro.rev <= 0 {
        return None;
    }
    store
        .range(&ev.kv.key, RangeEnd::Single, ro)
        .ok()
        .and_then(|r| r.kvs.into_iter().next())
}

impl WatchHub {
    pub fn new() -> Self {
        WatchHub::default()
    }

    /// Number of active watchers.
    pub fn len(&self) -> usize {
        self.watchers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.watchers.is_empty()
    }

    /// Creates a watcher; returns its ID. Its first response (`created`) and any replayed
    /// history are ready for [`WatchHub::poll`] at once.
    pub fn create(&mut self, store: &KvStore, req: WatchCreateRequest) -> i64 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        let cur = store.rev();
        let mut w = Watcher {
            min_rev: 0,
            req,
            pending: VecDeque::new(),
        };
        w.pending.push_back(WatchResponse {
            header: header(cur),
            watch_id: id,
            created: true,
            ..WatchResponse::default()
        });
        let start = w.req.start_revision;
        if start == 0 || start > cur {
            w.min_rev = if start > cur {
                start
            } else {
                cur.saturating_add(1)
            };
        } else {
            w.min_rev = start;
            if start < store.compact_rev() {
                w.pending.push_back(WatchResponse {
                    header: header(cur),
                    watch_id: id,
                    canceled: true,
                    compact_revision: store.compact_rev(),
                    ..WatchResponse::default()
                });
                // The watcher is gone; keep it only until its responses are polled.
                w.min_rev = i64::MAX;
                self.watchers.insert(id, w);
                return id;
            }
            Self::replay(store, id, &mut w, cur);
            w.min_rev = cur.saturating_add(1);
        }
        self.watchers.insert(id, w);
        id
    }

    fn replay(store: &KvStore, id: i64, w: &mut Watcher, cur: i64) {
        let mut batch: Vec<Event> = Vec::new();
        let mut revs_in_batch = 0usize;
        let mut last_main = 0i64;
        for (r, s) in store.history_from(w.min_rev) {
            if !w.matches(&s.key) {
                continue;
            }
            let ev = stored_event(*r, s);
            if !w.wanted(&ev) {
                continue;
            }
            if r.main != last_main {
                if revs_in_batch == WATCH_BATCH_MAX_REVS {
                    let events = std::mem::take(&mut batch);
                    w.pending.push_back(WatchResponse {
                        header: header(cur),
                        watch_id: id,
                        events,
                        ..WatchResponse::default()
                    });
                    revs_in_batch = 0;
                }
                revs_in_batch += 1;
                last_main = r.main;
            }
            let mut ev = ev;
            if w.req.prev_kv {
                ev.prev_kv = prev_kv_of(store, &ev);
            }
            batch.push(ev);
        }
        if !batch.is_empty() {
            w.pending.push_back(WatchResponse {
                header: header(cur),
                watch_id: id,
                events: batch,
                ..WatchResponse::default()
            });
        }
    }

    /// Feeds the events of one finished write transaction (all at revision `rev`).
    pub fn notify(&mut self, store: &KvStore, rev: i64, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        for (id, w) in self.watchers.iter_mut() {
            if w.min_rev > rev {
                continue;
            }
            let mut evs: Vec<Event> = Vec::new();
            for ev in events
                .iter()
                .filter(|e| w.matches(&e.kv.key) && w.wanted(e))
            {
                let mut ev = ev.clone();
                if w.req.prev_kv {
                    ev.prev_kv = prev_kv_of(store, &ev);
                }
                if self.fired.len() >= FIRED_KEPT {
                    self.fired.pop_front();
                }
                self.fired.push_back(Fired {
                    watch_id: *id,
                    revision: ev.kv.mod_revision,
                    kind: ev.kind,
                    key: ev.kv.key.clone(),
                });
                evs.push(ev);
            }
            w.min_rev = rev.saturating_add(1);
            if !evs.is_empty() {
                w.pending.push_back(WatchResponse {
                    header: header(rev),
                    watch_id: *id,
                    events: evs,
                    ..WatchResponse::default()
                });
            }
        }
    }

    /// The newest live events sent to watchers (at most 512), oldest first.
    pub fn fired(&self) -> impl Iterator<Item = &Fired> {
        self.fired.iter()
    }

    /// Takes the responses ready for a watcher (empty for an unknown ID). A watcher canceled
    /// by a compaction is removed once its responses are taken.
    pub fn poll(&mut self, id: i64) -> Vec<WatchResponse> {
        let Some(w) = self.watchers.get_mut(&id) else {
            return Vec::new();
        };
        let out: Vec<WatchResponse> = w.pending.drain(..).collect();
        if out.iter().any(|r| r.canceled) {
            self.watchers.remove(&id);
        }
        out
    }

    /// Cancels a watcher; returns the `canceled` response etcd sends (None if unknown).
    pub fn cancel(&mut self, id: i64, current_rev: i64) -> Option<WatchResponse> {
        self.watchers.remove(&id)?;
        Some(WatchResponse {
            header: header(current_rev),
            watch_id: id,
            canceled: true,
            ..WatchResponse::default()
        })
    }
}

/// The event a bucket entry stands for (as etcd's `kvsToEvents`).
pub fn stored_event(r: Revision, s: &super::kvstore::StoredKv) -> Event {
    if s.tombstone {
        Event {
            kind: EventType::Delete,
            kv: KeyValue {
                key: s.key.to_vec(),
                mod_revision: r.main,
                ..KeyValue::default()
            },
            prev_kv: None,
        }
    } else {
        Event {
            kind: EventType::Put,
            kv: s.to_key_value(r),
            prev_kv: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::kvstore_txn::TxnWrite;
    use super::*;

    fn put(s: &mut KvStore, hub: &mut WatchHub, k: &str, v: &str) {
        let mut t = TxnWrite::new(s);
        t.put(k.as_bytes(), v.as_bytes(), 0);
        let evs = t.end();
        let rev = s.rev();
        hub.notify(s, rev, &evs);
    }

    fn del(s: &mut KvStore, hub: &mut WatchHub, k: &str) {
        let mut t = TxnWrite::new(s);
        t.delete_range(k.as_bytes(), RangeEnd::Single);
        let evs = t.end();
        let rev = s.rev();
        hub.notify(s, rev, &evs);
    }

    fn kinds(rs: &[WatchResponse]) -> Vec<String> {
        rs.iter()
            .flat_map(|r| r.events.iter())
            .map(|e| {
                format!(
                    "{:?} {} {}",
                    e.kind,
                    String::from_utf8_lossy(&e.kv.key),
                    e.kv.mod_revision
                )
            })
            .collect()
    }

    #[test]
    fn replay_then_live() {
        // v3-watch.transcript
        let mut s = KvStore::new();
        let mut hub = WatchHub::new();
        put(&mut s, &mut hub, "job/1", "queued");
        put(&mut s, &mut hub, "job/1", "running");
        put(&mut s, &mut hub, "job/2", "queued");
        del(&mut s, &mut hub, "job/1");
        let id = hub.create(
            &s,
            WatchCreateRequest {
                key: b"job/".to_vec(),
                range_end: b"job0".to_vec(),
                start_revision: 1,
                ..Default::default()
            },
        );
        let rs = hub.poll(id);
        assert!(rs[0].created);
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[1].header.revision, 5);
        assert_eq!(
            kinds(&rs),
            vec![
                "Put job/1 2",
                "Put job/1 3",
                "Put job/2 4",
                "Delete job/1 5"
            ]
        );
        put(&mut s, &mut hub, "job/3", "x");
        put(&mut s, &mut hub, "other", "x");
        let rs = hub.poll(id);
        assert_eq!(kinds(&rs), vec!["Put job/3 6"]);
        assert_eq!(rs[0].header.revision, 6);

        let pk = hub.create(
            &s,
            WatchCreateRequest {
                key: b"job/1".to_vec(),
                start_revision: 3,
                prev_kv: true,
                ..Default::default()
            },
        );
        let rs = hub.poll(pk);
        let evs = &rs[1].events;
        assert_eq!(evs[0].prev_kv.as_ref().unwrap().value, b"queued");
        assert_eq!(evs[1].prev_kv.as_ref().unwrap().value, b"running");

        s.compact(4).unwrap();
        let c = hub.create(
            &s,
            WatchCreateRequest {
                key: b"job/".to_vec(),
                range_end: b"job0".to_vec(),
                start_revision: 2,
                ..Default::default()
            },
        );
        let rs = hub.poll(c);
        assert!(rs[1].canceled);
        assert_eq!(rs[1].compact_revision, 4);
        assert!(hub.poll(c).is_empty());
        let ok = hub.create(
            &s,
            WatchCreateRequest {
                key: b"job/".to_vec(),
                range_end: b"job0".to_vec(),
                start_revision: 4,
                ..Default::default()
            },
        );
        assert_eq!(
            kinds(&hub.poll(ok)),
            vec!["Put job/2 4", "Delete job/1 5", "Put job/3 6"]
        );
    }

    #[test]
    fn filters_and_cancel() {
        let mut s = KvStore::new();
        let mut hub = WatchHub::new();
        let id = hub.create(
            &s,
            WatchCreateRequest {
                key: b"k".to_vec(),
                no_put: true,
                ..Default::default()
            },
        );
        assert_eq!(hub.poll(id).len(), 1);
        put(&mut s, &mut hub, "k", "1");
        assert!(hub.poll(id).is_empty());
        del(&mut s, &mut hub, "k");
        assert_eq!(kinds(&hub.poll(id)), vec!["Delete k 3"]);
        assert!(hub.cancel(id, s.rev()).unwrap().canceled);
        assert!(hub.cancel(id, s.rev()).is_none());
    }
}
