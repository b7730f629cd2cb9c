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
use crate::api::Member as ApiMember;

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

/// Where earlier versions kept the IDs of recently applied requests (to apply a request they
/// had proposed again only once). etcd never proposes a request again, so nothing is
/// recorded; the field stays so that snapshots stored by those versions still decode.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RecentIds {
    set: BTreeSet<u64>,
    order: std::collections::VecDeque<u64>,
}

pub fn decode_member_snapshot(data: &[u8]) -> Option<MemberSnapshot> {
    postcard::from_bytes(data).ok()
}

impl Member {
    pub(super) fn install(&mut self, snap: MemberSnapshot) {
        self.members = snap.members;
        self.removed = snap.removed;
        self.cluster_version = snap.cluster_version;
        if let Ok(sm) = StateMachine::from_raft_snapshot(&snap.sm) {
            self.sm = sm;
        }
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
        let before = self.last_snapshot;
        self.maybe_snapshot();
        self.last_snapshot != before
    }

    pub(super) fn maybe_snapshot(&mut self) {
        if !self.snapshot_due() {
            return;
        }
        let data = MemberSnapshot {
            members: self.members.clone(),
            removed: self.removed.clone(),
            cluster_version: self.cluster_version.clone(),
            recent: RecentIds::default(),
            sm: self.sm.to_raft_snapshot(),
        };
        // Sized up front: the state machine's bytes are nearly all of it (no regrowing copies
        // of a 140 MB snapshot).
        let size = data.sm.len().saturating_add(4096);
        let data =
            crate::api::bytes::postcard_append(&data, Vec::with_capacity(size)).unwrap_or_default();
        let cs = self.node.raft.prs.conf_state();
        let keep = SNAPSHOT_CATCH_UP_ENTRIES.min(self.snapshot_count);
        if self.node.compact(self.applied, cs, data, keep).is_ok() {
            let _ = self
                .disk
                .save_snapshot(self.node.raft.raft_log.storage.snapshot());
            let first = self.node.raft.raft_log.storage.first_index();
            let _ = self.disk.compact(first.saturating_sub(1));
            self.last_snapshot = self.applied;
        }
    }

    pub(super) fn restore_snapshot(&mut self, s: &crate::raft::Snapshot) {
        if let Some(state) = decode_member_snapshot(&s.data) {
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
