//! Member snapshots (etcd's `triggerSnapshot`): every `--snapshot-count` applied entries the
//! member writes the membership and the state machine into a Raft snapshot and compacts its
//! log, keeping [`SNAPSHOT_CATCH_UP_ENTRIES`] behind for slow followers; and installing a
//! snapshot that the leader sent.
//!
//! Owns: [`MemberSnapshot`] and when to take one. Must not touch: how the disk stores it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::apply::StateMachine;
use super::member::{Member, ELECTION_TIMEOUT};
use super::snapshot_pieces::{Advanced, Membership, SnapshotWriter};
#[cfg(test)]
use super::snapshot_pieces::{Read, SnapshotReader};
use crate::api::Member as ApiMember;
use crate::raft::EntryData;

/// Applied entries between two snapshots by default.
pub const DEFAULT_SNAPSHOT_COUNT: u64 = 100_000;

/// Entries kept behind a snapshot for slow followers (etcd's `SnapshotCatchUpEntries`).
pub const SNAPSHOT_CATCH_UP_ENTRIES: u64 = 5_000;

/// The member's part of a snapshot: the membership it applied (the state machine's own
/// state travels in `sm`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MemberSnapshot {
    pub members: BTreeMap<u64, ApiMember>,
    pub removed: BTreeSet<u64>,
    pub cluster_version: Option<String>,
    /// Written empty: see [`RecentIds`].
    pub recent: RecentIds,
    #[serde(with = "crate::api::bytes")]
    pub sm: Vec<u8>,
}

/// What a piece of a due snapshot did (see [`Member::snapshot_piece`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotPiece {
    /// No snapshot is due (or none can be taken).
    NotDue,
    /// Part of it is written; more pieces follow.
    Working,
    /// The snapshot was taken.
    Took,
}

/// Where earlier versions kept the IDs of recently applied requests (to apply a request they
/// had proposed again only once). etcd never proposes a request again, so nothing is
/// recorded; the field stays so that snapshots stored by those versions still decode.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RecentIds {
    set: BTreeSet<u64>,
    order: std::collections::VecDeque<u64>,
}

/// [`MemberSnapshot`]'s fields before `sm`, borrowed: postcard writes a struct as its
/// fields one after the other, so these bytes, `sm`'s length and `sm`'s bytes are the
/// snapshot's bytes.
#[derive(Serialize)]
pub(super) struct MemberSnapshotHead<'a> {
    members: &'a BTreeMap<u64, ApiMember>,
    removed: &'a BTreeSet<u64>,
    cluster_version: &'a Option<String>,
    recent: RecentIds,
}

impl<'a> MemberSnapshotHead<'a> {
    pub(super) fn new(
        members: &'a BTreeMap<u64, ApiMember>,
        removed: &'a BTreeSet<u64>,
        cluster_version: &'a Option<String>,
    ) -> Self {
        MemberSnapshotHead {
            members,
            removed,
            cluster_version,
            recent: RecentIds::default(),
        }
    }
}

/// The bytes of a [`MemberSnapshot`] of `sm`, written once into one allocation of their
/// final size: the state machine is counted, then written straight after the head (before,
/// its bytes were built apart, regrowing, and copied in: about three times the store at the
/// peak, on every member in turn, with the large /registry sample).
pub fn encode_member_snapshot(
    members: &BTreeMap<u64, ApiMember>,
    removed: &BTreeSet<u64>,
    cluster_version: &Option<String>,
    sm: &StateMachine,
) -> Vec<u8> {
    let head = MemberSnapshotHead::new(members, removed, cluster_version);
    let Some(sm_len) = sm.raft_snapshot_len() else {
        return Vec::new();
    };
    let buf = Vec::with_capacity(sm_len.saturating_add(4096));
    let Ok(buf) = crate::api::bytes::postcard_append(&head, buf) else {
        return Vec::new();
    };
    // `sm` is a byte string: its length as a varint, then its bytes
    let Ok(buf) = crate::api::bytes::postcard_append(&(sm_len as u64), buf) else {
        return Vec::new();
    };
    sm.append_raft_snapshot(buf).unwrap_or_default()
}

pub fn decode_member_snapshot(data: &[u8]) -> Option<MemberSnapshot> {
    postcard::from_bytes(data).ok()
}

/// A [`MemberSnapshot`] read in place: the state machine's bytes are borrowed from the
/// snapshot instead of copied (after the large `/registry` sample, a member's boot copied
/// 141 MB only to decode them).
#[derive(Deserialize)]
pub struct MemberSnapshotRef<'a> {
    pub members: BTreeMap<u64, ApiMember>,
    pub removed: BTreeSet<u64>,
    pub cluster_version: Option<String>,
    pub recent: RecentIds,
    pub sm: &'a [u8],
}

/// [`decode_member_snapshot`] in place (see [`MemberSnapshotRef`]).
pub fn read_member_snapshot(data: &[u8]) -> Option<MemberSnapshotRef<'_>> {
    postcard::from_bytes(data).ok()
}

impl Member {
    pub(super) fn install(&mut self, snap: MemberSnapshotRef<'_>) {
        self.members = snap.members;
        self.removed = snap.removed;
        self.cluster_version = snap.cluster_version;
        if let Ok(sm) = StateMachine::from_raft_snapshot(snap.sm) {
            self.sm = sm;
        }
    }

    /// [`Member::install`] of a snapshot read already (a piece at a time: see
    /// [`super::snapshot_pieces::SnapshotReader`]).
    pub(super) fn install_decoded(&mut self, d: super::snapshot_pieces::DecodedSnapshot) {
        self.members = d.members;
        self.removed = d.removed;
        self.cluster_version = d.cluster_version;
        self.sm = d.sm;
    }

    /// The etcd release this member runs.
    pub fn set_version(&mut self, v: crate::api::EtcdVersion) {
        self.version = v;
    }

    /// Applied entries between snapshots (etcd's `--snapshot-count`, 100000 by default).
    pub fn set_snapshot_count(&mut self, n: u64) {
        self.snapshot_count = n.max(1);
    }

    /// Whether a snapshot interval's worth of entries was applied since the last snapshot.
    pub fn snapshot_due(&self) -> bool {
        self.applied.saturating_sub(self.last_snapshot) >= self.snapshot_count
    }

    /// Takes the snapshot if it is due; returns whether it did.
    pub fn snapshot_if_due(&mut self) -> bool {
        self.snapshot_if_due_as(None)
    }

    /// [`Member::snapshot_if_due`] with `same`: the bytes of another member's snapshot at this
    /// member's applied index, taken instead of encoding the state again. They are the same
    /// bytes: the applied state is the same at one index, and what only a leader holds is
    /// written as a follower holds it (debug builds encode and compare).
    pub fn snapshot_if_due_as(&mut self, same: Option<EntryData>) -> bool {
        let before = self.last_snapshot;
        if self.snapshot_due() {
            self.take_snapshot_with(same);
        }
        self.last_snapshot != before
    }

    /// Takes a piece of the snapshot that is due, about `budget` bytes of its writing (a
    /// large one is taken a piece at a time between the page's frames: see
    /// [`SnapshotWriter`]). A member whose applied index moved since the last piece starts
    /// over; one that took a snapshot meanwhile drops what it had written.
    pub fn snapshot_piece(&mut self, budget: usize) -> SnapshotPiece {
        let job = self.snapshot_job.take();
        if !self.snapshot_due()
            || self.applied <= self.node.raft.raft_log.storage.snapshot().metadata.index
        {
            return SnapshotPiece::NotDue;
        }
        let job = match job {
            Some(j) if j.applied == self.applied => j,
            _ => SnapshotWriter::new(self.applied),
        };
        match job.advance(self.membership(), &self.sm, budget) {
            Advanced::More(job) => {
                self.snapshot_job = Some(job);
                SnapshotPiece::Working
            }
            Advanced::Done(data) => match self.snapshot_if_due_as(Some(data)) {
                true => SnapshotPiece::Took,
                false => SnapshotPiece::NotDue,
            },
        }
    }

    fn membership(&self) -> Membership<'_> {
        Membership {
            members: &self.members,
            removed: &self.removed,
            cluster_version: &self.cluster_version,
        }
    }

    /// The index and bytes of the member's newest snapshot (None: it has none).
    pub fn snapshot_data(&self) -> Option<(u64, EntryData)> {
        let s = self.node.raft.raft_log.storage.snapshot();
        (!s.is_empty()).then(|| (s.metadata.index, s.data.clone()))
    }

    /// The index the member applied up to.
    pub fn applied(&self) -> u64 {
        self.applied
    }

    pub(super) fn maybe_snapshot(&mut self) {
        if !self.snapshot_due() {
            return;
        }
        self.take_snapshot();
    }

    /// Writes the membership and the state machine into a Raft snapshot now and compacts the
    /// log behind it (keeping the catch-up entries). A defragmentation takes one: the disk
    /// the page keeps then holds the compacted store, not the history the deletes and the
    /// compaction left behind, so freeing space after NOSPACE frees the browser's storage
    /// too. Nothing a client sees changes (indexes, revisions, the backend).
    pub(super) fn take_snapshot(&mut self) {
        self.take_snapshot_with(None);
    }

    fn take_snapshot_with(&mut self, same: Option<EntryData>) {
        if self.applied <= self.node.raft.raft_log.storage.snapshot().metadata.index {
            return;
        }
        let encode = || {
            encode_member_snapshot(
                &self.members,
                &self.removed,
                &self.cluster_version,
                &self.sm,
            )
        };
        let data: EntryData = match same {
            Some(d) => {
                debug_assert!(
                    d[..] == encode()[..],
                    "a member's snapshot differs from another's at index {}",
                    self.applied
                );
                d
            }
            None => SnapshotWriter::write_whole(self.applied, self.membership(), &self.sm),
        };
        let cs = self.node.raft.prs.conf_state();
        let keep = SNAPSHOT_CATCH_UP_ENTRIES.min(self.snapshot_count);
        if self.node.compact(self.applied, cs, data, keep).is_ok() {
            let _ = self
                .disk
                .save_snapshot(self.node.raft.raft_log.storage.snapshot());
            let first = self.node.raft.raft_log.storage.first_index();
            let _ = self.disk.compact(first.saturating_sub(1));
            self.last_snapshot = self.applied;
            self.snapshot_job = None;
        }
    }

    pub(super) fn restore_snapshot(&mut self, s: &crate::raft::Snapshot) {
        if let Some(state) = read_member_snapshot(&s.data) {
            self.install(state);
            self.configure_sm();
            if self.is_leader() {
                self.sm.lease_promote(Duration::ZERO, ELECTION_TIMEOUT);
            }
        }
        self.applied = s.metadata.index;
        self.last_snapshot = s.metadata.index;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PutRequest, Request};
    use crate::server::apply::ApplyContext;

    #[test]
    fn the_snapshot_is_written_once_with_the_bytes_it_always_had() {
        let mut sm = StateMachine::new();
        for i in 0..300u64 {
            let req = Request::Put(PutRequest {
                key: format!("k{}", i % 50).into_bytes(),
                value: vec![b'v'; (i as usize * 7) % 200],
                ..Default::default()
            });
            let ctx = ApplyContext {
                member_id: 1,
                now: Duration::from_secs(i),
                index: i + 1,
            };
            assert!(sm.apply(&req, &ctx).is_ok());
        }
        let mut members = BTreeMap::new();
        members.insert(
            7,
            ApiMember {
                id: 7,
                name: "infra1".into(),
                ..Default::default()
            },
        );
        let removed: BTreeSet<u64> = [3, 300].into();
        let cv = Some("3.4.0".to_string());
        let before = postcard::to_allocvec(&MemberSnapshot {
            members: members.clone(),
            removed: removed.clone(),
            cluster_version: cv.clone(),
            recent: RecentIds::default(),
            sm: sm.to_raft_snapshot(),
        })
        .unwrap();
        let now = encode_member_snapshot(&members, &removed, &cv, &sm);
        assert_eq!(now.len(), before.len());
        assert!(now == before, "the same bytes");
        let sm_len = sm.raft_snapshot_len().unwrap();
        assert_eq!(
            now.capacity(),
            sm_len + 4096,
            "one allocation, sized up front"
        );
        // written a piece at a time (as the page takes a held-back snapshot), or in one go
        let membership = Membership {
            members: &members,
            removed: &removed,
            cluster_version: &cv,
        };
        let whole = SnapshotWriter::write_whole(9, membership, &sm);
        assert!(whole[..] == now[..], "written whole: the same bytes");
        for budget in [1, 300, 5000] {
            let mut job = SnapshotWriter::new(9);
            let mut pieces = 0;
            let data = loop {
                match job.advance(membership, &sm, budget) {
                    Advanced::More(more) => job = more,
                    Advanced::Done(data) => break data,
                }
                pieces += 1;
            };
            assert!(data[..] == now[..], "in pieces of {budget}: the same bytes");
            assert!(pieces >= 2 * now.len() / (budget + 400), "{pieces} pieces");
        }
        // read back a piece at a time (as a reload boots a member): the state and membership
        // the whole decoding gives
        let data: EntryData = now.clone().into();
        for budget in [1, 300, 5000, usize::MAX] {
            let mut r = SnapshotReader::new(data.clone()).expect("a postcard snapshot");
            let mut pieces = 0;
            let read = loop {
                match r.advance(budget) {
                    Read::More(more) => r = more,
                    Read::Done(d) => break d,
                    Read::Failed => panic!("it reads"),
                }
                pieces += 1;
            };
            assert!(
                pieces >= now.len() / (budget.saturating_add(400)),
                "{pieces} pieces"
            );
            assert!(read.sm.kv == sm.kv, "read in pieces of {budget}");
            assert_eq!((&read.members, &read.removed), (&members, &removed));
            assert_eq!(read.cluster_version, cv);
            let again = encode_member_snapshot(
                &read.members,
                &read.removed,
                &read.cluster_version,
                &read.sm,
            );
            assert!(again == now, "the same state: the same bytes");
        }
        assert!(SnapshotReader::read_whole(data.clone()).is_some());
        // a damaged or cut snapshot fails to read, never panics
        for cut in (0..now.len()).step_by(37) {
            let part: EntryData = now[..cut].to_vec().into();
            if let Some(mut r) = SnapshotReader::new(part) {
                let mut rounds = 0;
                loop {
                    match r.advance(64) {
                        Read::More(more) => r = more,
                        Read::Done(_) => panic!("a cut snapshot read whole at {cut}"),
                        Read::Failed => break,
                    }
                    rounds += 1;
                    assert!(rounds < 100_000);
                }
            }
        }
        let mut damaged = now.clone();
        for i in (20..damaged.len()).step_by(11) {
            damaged[i] = damaged[i].wrapping_mul(31).wrapping_add(7);
        }
        let _ = SnapshotReader::read_whole(damaged.into());
        let back = decode_member_snapshot(&now).unwrap();
        assert_eq!(back.sm, sm.to_raft_snapshot());
        // read in place: the same fields, the state machine's bytes inside the snapshot's
        let read = read_member_snapshot(&now).unwrap();
        assert_eq!(read.sm, &back.sm[..]);
        assert_eq!((read.members, read.removed), (back.members, back.removed));
        assert_eq!(read.cluster_version, back.cluster_version);
        let inside = now.as_ptr_range();
        assert!(inside.contains(&read.sm.as_ptr()), "borrowed, not copied");
    }
}
