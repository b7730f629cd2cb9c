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

use std::collections::{BTreeMap, BTreeSet};

use crate::raft::Snapshot;

/// The shared record's key for `snapshot`, whose encoded record is `record` (its first four
/// bytes are the record's checksum): `INDEX-TERM-CHECKSUM-LENGTH`.
pub fn key(snapshot: &Snapshot, record: &[u8]) -> String {
    let sum = match record.get(..4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    };
    format!(
        "{}-{}-{sum:08x}-{}",
        snapshot.metadata.index,
        snapshot.metadata.term,
        record.len()
    )
}

/// What the driving page knows of the shared records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedSnapshots {
    /// Per member, the record its stored snapshot names, as committed.
    named: BTreeMap<String, String>,
    /// The records known to be stored.
    stored: BTreeSet<String>,
    /// Writes issued and not yet settled.
    in_flight: usize,
}

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
        }
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
        let named: BTreeSet<&String> = self.named.values().collect();
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
