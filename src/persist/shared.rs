//! Snapshots the members share, stored once. At one index every member's snapshot is the
//! same bytes (a snapshot holds no member-local state), and after `load k8s large` each is
//! hundreds of MB: the page keeps one record per distinct snapshot in a shared store, under a
//! [`key`] made from its index, term, checksum and length, and each member's snapshot store
//! holds only that key. A reload then reads such a snapshot once instead of once per member.
//!
//! [`SharedSnapshots`] is the writer's bookkeeping, from what is known to be committed only:
//! a member's write carries the record unless the record is already stored, and records that
//! no member names any more are deleted only while no write is in flight. A write that fails
//! changes nothing here, so a member never names a record that a failed write was to store
//! or that a deletion removes.
//!
//! Owns: the shared-record key and the decisions above. Must not touch: IndexedDB itself
//! (`idb`), the record format (`record`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::raft::{Snapshot, SnapshotMetadata};
use crate::sort::Inserted;

/// The shared record's key for `snapshot`, whose encoded record is `record` (its first four
/// bytes are the record's checksum): `INDEX-TERM-CHECKSUM-LENGTH`.
pub fn key(snapshot: &Snapshot, record: &[u8]) -> String {
    key_of(
        snapshot,
        super::record::stored_checksum(record),
        record.len(),
    )
}

/// [`key`] from the record's checksum `sum` and length `len`.
pub fn key_of(snapshot: &Snapshot, sum: u32, len: usize) -> String {
    format!(
        "{}-{}-{sum:08x}-{len}",
        snapshot.metadata.index, snapshot.metadata.term
    )
}

/// The record checksum a [`key_of`] key names (None: not such a key).
pub fn record_sum(key: &str) -> Option<u32> {
    let sum = key.rsplit('-').nth(1)?;
    (sum.len() == 8).then(|| u32::from_str_radix(sum, 16).ok())?
}

/// The record length a [`key_of`] key names (None: not such a key).
pub fn record_len(key: &str) -> Option<usize> {
    key.rsplit('-').next()?.parse().ok()
}

/// What the driving page knows of the shared records.
#[derive(Clone, Debug, Default)]
pub struct SharedSnapshots {
    /// Per member, the record its stored snapshot names, as committed.
    named: BTreeMap<String, String>,
    /// The records known to be stored.
    stored: BTreeSet<String>,
    /// Writes issued and not yet settled.
    in_flight: usize,
    /// The key of the last snapshot record encoded, by that snapshot's bytes in memory (their
    /// address and length) and its metadata: members that took the same bytes (see
    /// `World::snapshot_one_if_due`) have the same record, so the later ones' writes need not
    /// encode hundreds of MB again only to learn its key.
    key_memo: RefCell<Option<(usize, usize, SnapshotMetadata, String)>>,
}

/// The bookkeeping compares; the key memo is a cache, not part of it.
impl PartialEq for SharedSnapshots {
    fn eq(&self, other: &Self) -> bool {
        (&self.named, &self.stored, self.in_flight)
            == (&other.named, &other.stored, other.in_flight)
    }
}

impl Eq for SharedSnapshots {}

/// A member write's part in the bookkeeping, handed back when it settles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotWrite {
    pub member: String,
    /// The record the member's snapshot store names after the write (`None`: it is emptied).
    pub names: Option<String>,
    /// Whether the write stores the record too.
    pub carries: bool,
}

impl SharedSnapshots {
    /// What a read of the stores found: the record each member names, and every stored record.
    pub fn found(
        named: impl IntoIterator<Item = (String, String)>,
        stored: impl IntoIterator<Item = String>,
    ) -> Self {
        SharedSnapshots {
            named: named.into_iter().collect(),
            stored: stored.into_iter().collect(),
            in_flight: 0,
            key_memo: RefCell::new(None),
        }
    }

    /// The key of `snapshot`'s record if the last record encoded was of the same snapshot
    /// (the same bytes in memory, the same metadata).
    pub fn key_known(&self, snapshot: &Snapshot) -> Option<String> {
        let memo = self.key_memo.borrow();
        let (at, len, meta, key) = memo.as_ref()?;
        (*at == snapshot.data.as_ptr() as usize
            && *len == snapshot.data.len()
            && *meta == snapshot.metadata)
            .then(|| key.clone())
    }

    /// Remembers `key` as the key of `snapshot`'s record.
    pub fn remember_key(&self, snapshot: &Snapshot, key: &str) {
        *self.key_memo.borrow_mut() = Some((
            snapshot.data.as_ptr() as usize,
            snapshot.data.len(),
            snapshot.metadata.clone(),
            key.to_string(),
        ));
    }

    /// Whether a write that makes a member name `key` must store the record as well.
    pub fn must_store(&self, key: &str) -> bool {
        !self.stored.contains(key)
    }

    /// A member write was issued.
    pub fn issued(&mut self) {
        self.in_flight += 1;
    }

    /// A member write settled (`committed`: it landed whole; otherwise nothing of it did);
    /// `write` is its part in the bookkeeping (`None`: it left the member's snapshot alone).
    pub fn settled(&mut self, write: Option<&SnapshotWrite>, committed: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(write) = write.filter(|_| committed) else {
            return;
        };
        match &write.names {
            Some(key) => {
                self.named.insert(write.member.clone(), key.clone());
                if write.carries {
                    self.stored.insert(key.clone());
                }
            }
            None => {
                self.named.remove(&write.member);
            }
        }
    }

    /// The stored records no member names, forgotten here: the caller deletes them. Empty
    /// while a write is in flight (it may name one of them).
    pub fn take_unnamed(&mut self) -> Vec<String> {
        if self.in_flight > 0 {
            return Vec::new();
        }
        let named: BTreeSet<&String> = self.named.values().btree_set();
        let unnamed: Vec<String> = self
            .stored
            .iter()
            .filter(|k| !named.contains(k))
            .cloned()
            .collect();
        for k in &unnamed {
            self.stored.remove(k);
        }
        unnamed
    }

    /// The record `member` names, as committed.
    pub fn named_by(&self, member: &str) -> Option<&str> {
        self.named.get(member).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::SnapshotMetadata;

    fn write(member: &str, key: Option<&str>, carries: bool) -> SnapshotWrite {
        SnapshotWrite {
            member: member.into(),
            names: key.map(Into::into),
            carries,
        }
    }

    #[test]
    fn the_key_names_index_term_checksum_and_length() {
        let s = Snapshot {
            metadata: SnapshotMetadata {
                index: 40,
                term: 3,
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(key(&s, &[0x78, 0x56, 0x34, 0x12, 9]), "40-3-12345678-5");
        assert_eq!(key(&s, &[1]), "40-3-00000000-1");
        assert_eq!(record_sum("40-3-12345678-5"), Some(0x1234_5678));
        assert_eq!(record_len("40-3-12345678-5"), Some(5));
        assert_eq!(record_sum("40-3-1234-5"), None);
        assert_eq!(record_sum("5"), None);
    }

    #[test]
    fn a_record_is_stored_once_and_deleted_when_no_member_names_it() {
        let mut s = SharedSnapshots::default();
        assert!(s.must_store("A"));
        s.issued();
        let w1 = write("infra1", Some("A"), true);
        // (nothing is deleted while a write is in flight)
        assert!(s.take_unnamed().is_empty());
        s.settled(Some(&w1), true);
        assert!(!s.must_store("A"), "the second member only names it");
        for m in ["infra2", "infra3"] {
            s.issued();
            s.settled(Some(&write(m, Some("A"), false)), true);
        }
        assert!(s.take_unnamed().is_empty());
        // The next snapshot: A stays while a member still names it.
        for (i, m) in ["infra1", "infra2"].into_iter().enumerate() {
            s.issued();
            s.settled(Some(&write(m, Some("B"), i == 0)), true);
        }
        assert!(s.take_unnamed().is_empty());
        s.issued();
        s.settled(Some(&write("infra3", Some("B"), false)), true);
        assert_eq!(s.take_unnamed(), vec!["A".to_string()]);
        assert!(s.take_unnamed().is_empty(), "forgotten once handed out");
        assert_eq!(s.named_by("infra3"), Some("B"));
    }

    #[test]
    fn the_key_is_known_again_for_the_same_bytes_only() {
        let data: crate::raft::EntryData = vec![1u8, 2, 3].into();
        let mut s = Snapshot {
            data: data.clone(),
            ..Default::default()
        };
        s.metadata.index = 9;
        let shared = SharedSnapshots::default();
        assert_eq!(shared.key_known(&s), None);
        shared.remember_key(&s, "9-0-00000001-7");
        let same = Snapshot {
            data,
            metadata: s.metadata.clone(),
        };
        assert_eq!(shared.key_known(&same).as_deref(), Some("9-0-00000001-7"));
        // equal bytes elsewhere in memory, or other metadata: not known
        let copy = Snapshot {
            data: vec![1u8, 2, 3].into(),
            metadata: s.metadata.clone(),
        };
        assert_eq!(shared.key_known(&copy), None);
        let mut later = same.clone();
        later.metadata.term = 2;
        assert_eq!(shared.key_known(&later), None);
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let mut s = SharedSnapshots::found([("infra1".into(), "A".into())], ["A".into()]);
        s.issued();
        s.settled(Some(&write("infra2", Some("B"), true)), false);
        assert!(s.must_store("B"), "it was never stored");
        assert_eq!(s.named_by("infra2"), None);
        // A member emptied (a rewrite without a snapshot) no longer names its record.
        s.issued();
        s.settled(Some(&write("infra1", None, false)), true);
        assert_eq!(s.take_unnamed(), vec!["A".to_string()]);
    }

    #[test]
    fn records_found_that_no_member_names_are_deleted() {
        let mut s = SharedSnapshots::found(
            [("infra1".into(), "B".into())],
            ["A".into(), "B".into(), "C".into()],
        );
        s.issued();
        assert!(s.take_unnamed().is_empty());
        s.settled(None, true);
        assert_eq!(s.take_unnamed(), vec!["A".to_string(), "C".to_string()]);
    }
}
