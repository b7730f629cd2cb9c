//! `TxnWrite`: one write transaction over the store (`mvcc/kvstore_txn.go`).
//!
//! Every write of one transaction gets the same main revision (`begin_rev + 1`) and an
//! increasing sub revision; reads inside the transaction see its earlier writes. A transaction
//! that changed nothing does not move the store's revision. `end` returns the changes as
//! watch events, in sub-revision order (built only then, from the stored revisions, so a
//! write nobody watches copies nothing: `end_quiet`).
//!
//! Owns: the revision bookkeeping of one transaction. Must not touch: leases (callers attach
//! and detach from the events), auth, watchers.

use super::backend_size::entry_bytes;
use super::error::Error;
use super::index::RangeEnd;
use super::kvstore::{KvStore, RangeOptions, RangeResult, StoredKv, Value};
use super::revision::Revision;
use super::watch::stored_event;
use crate::api::Event;

/// An open write transaction. Call [`TxnWrite::end`] to finish it.
pub struct TxnWrite<'a> {
    store: &'a mut KvStore,
    begin_rev: i64,
    /// How many writes so far: they are at `(begin_rev + 1, 0..changes)`.
    changes: i64,
}

impl<'a> TxnWrite<'a> {
    pub fn new(store: &'a mut KvStore) -> Self {
        let begin_rev = store.current_rev;
        TxnWrite {
            store,
            begin_rev,
            changes: 0,
        }
    }

    /// The revision the transaction started from.
    pub fn rev(&self) -> i64 {
        self.begin_rev
    }

    /// The revision a read inside the transaction sees.
    fn read_rev(&self) -> i64 {
        if self.changes == 0 {
            self.begin_rev
        } else {
            self.begin_rev.saturating_add(1)
        }
    }

    /// The revision the store will have after `end`.
    pub fn end_rev(&self) -> i64 {
        self.read_rev()
    }

    pub fn store(&self) -> &KvStore {
        self.store
    }

    pub fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, Error> {
        self.store.range_keys(key, end, self.read_rev(), ro)
    }

    /// Puts `key = value` with `lease`; returns the revision of the write.
    pub fn put(&mut self, key: &[u8], value: &[u8], lease: i64) -> i64 {
        let main = self.begin_rev.saturating_add(1);
        let rev = Revision::new(main, self.changes);
        let Ok(put) = self.store.index.put(key, rev) else {
            // Out of order: cannot happen for a transaction at begin_rev + 1; ignore the write
            // rather than corrupt the index.
            return main;
        };
        let stored = StoredKv {
            key: put.key,
            value: Value::from_slice(value),
            create_revision: put.create_revision,
            version: put.version,
            lease,
            tombstone: false,
            prev: put.prev.unwrap_or_default(),
        };
        self.store.backend.add(entry_bytes(rev, &stored));
        self.store.bucket.insert(rev, stored);
        self.changes += 1;
        main
    }

    /// Deletes every key in the range; returns how many and the revision of the store after
    /// the deletion (unchanged if nothing was deleted and nothing else was written).
    pub fn delete_range(&mut self, key: &[u8], end: RangeEnd<'_>) -> (i64, i64) {
        let keys: Vec<Vec<u8>> = self
            .store
            .index
            .range(&self.store.bucket, key, end, self.read_rev())
            .into_iter()
            .map(|(k, _)| k.to_vec())
            .collect();
        let n = keys.len() as i64;
        for k in keys {
            self.delete(&k);
        }
        if n != 0 || self.changes != 0 {
            (n, self.begin_rev.saturating_add(1))
        } else {
            (0, self.begin_rev)
        }
    }

    fn delete(&mut self, key: &[u8]) {
        let main = self.begin_rev.saturating_add(1);
        let rev = Revision::new(main, self.changes);
        let Ok((key, prev)) = self.store.index.tombstone(key, rev) else {
            return;
        };
        let stored = StoredKv {
            key,
            value: Value::new(),
            create_revision: 0,
            version: 0,
            lease: 0,
            tombstone: true,
            prev: prev.unwrap_or_default(),
        };
        self.store.backend.add(entry_bytes(rev, &stored));
        self.store.bucket.insert(rev, stored);
        self.changes += 1;
    }

    /// Ends the transaction: the store moves to the next revision if anything changed.
    /// Returns the changes as events (delete events carry the key and `mod_revision` only).
    pub fn end(self) -> Vec<Event> {
        let store = &*self.store;
        let main = self.begin_rev.saturating_add(1);
        let events = (0..self.changes)
            .filter_map(|sub| {
                let rev = Revision::new(main, sub);
                store.bucket.get(&rev).map(|s| stored_event(rev, s))
            })
            .collect();
        self.end_quiet();
        events
    }

    /// Ends the transaction without building its events (nobody watches).
    pub fn end_quiet(self) {
        if self.changes != 0 {
            self.store.current_rev = self.begin_rev.saturating_add(1);
        }
    }
}
