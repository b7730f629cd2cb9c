//! A member's snapshot taken a piece at a time: after `load k8s large` a member's snapshot is
//! about 140 MB, which written in one go kept the page's main thread for 300 ms and more. The
//! page takes it in pieces between frames instead; the bytes are those of
//! [`encode_member_snapshot`](super::snapshot::encode_member_snapshot).
//!
//! The state machine is walked twice: counted (its length is written before it, and the
//! buffer is then allocated once at its final size), then written.
//!
//! Owns: [`SnapshotWriter`], where a snapshot being written is. Must not touch: when a
//! snapshot is due or kept (`snapshot`); the state must not change between pieces (the member
//! starts over when its applied index moved).

use std::collections::{BTreeMap, BTreeSet};

use super::apply::{StateMachine, RAFT_SNAPSHOT_MAGIC};
use super::snapshot::MemberSnapshotHead;
use crate::api::bytes::Pieces;
use crate::api::Member as ApiMember;
use crate::mvcc::stored_pieces::StoredCursor;
use crate::raft::EntryData;

/// A member snapshot being written.
pub struct SnapshotWriter {
    /// The applied index it is a snapshot of.
    pub applied: u64,
    /// The state machine counted so far, or the snapshot written so far.
    out: Pieces,
    at: SmCursor,
}

/// How far a walk of the state machine got: its fields in their stored order (the watchers
/// are not stored).
#[derive(Clone, Debug, PartialEq, Eq)]
enum SmCursor {
    Magic,
    Kv(StoredCursor),
    /// The lessor, the auth store and the v2 store (small: written whole).
    Rest,
    Done,
}

/// The membership a snapshot holds beside the state machine.
#[derive(Clone, Copy)]
pub struct Membership<'a> {
    pub members: &'a BTreeMap<u64, ApiMember>,
    pub removed: &'a BTreeSet<u64>,
    pub cluster_version: &'a Option<String>,
}

/// What a piece of work did.
pub enum Advanced {
    /// More to write.
    More(SnapshotWriter),
    /// The snapshot's bytes (empty if it could not be encoded, as the whole encoding gives).
    Done(EntryData),
}

impl SnapshotWriter {
    pub fn new(applied: u64) -> Self {
        SnapshotWriter {
            applied,
            out: Pieces::Count(0),
            at: SmCursor::Magic,
        }
    }

    /// The snapshot written in one go.
    pub fn write_whole(applied: u64, membership: Membership<'_>, sm: &StateMachine) -> EntryData {
        let mut job = SnapshotWriter::new(applied);
        loop {
            match job.advance(membership, sm, usize::MAX) {
                Advanced::More(more) => job = more,
                Advanced::Done(data) => return data,
            }
        }
    }

    /// Counts or writes about `budget` more bytes of the snapshot of `sm` with `membership`.
    pub fn advance(
        mut self,
        membership: Membership<'_>,
        sm: &StateMachine,
        budget: usize,
    ) -> Advanced {
        match self.step(membership, sm, budget) {
            Ok(Some(bytes)) => Advanced::Done(bytes),
            Ok(None) => Advanced::More(self),
            Err(_) => Advanced::Done(EntryData::default()),
        }
    }

    fn step(
        &mut self,
        membership: Membership<'_>,
        sm: &StateMachine,
        budget: usize,
    ) -> postcard::Result<Option<EntryData>> {
        let until = self.out.written().saturating_add(budget);
        put_state_machine(sm, &mut self.at, &mut self.out, until)?;
        if self.at != SmCursor::Done {
            return Ok(None);
        }
        match std::mem::replace(&mut self.out, Pieces::Count(0)) {
            // counted: the membership, the state machine's length, then the state machine
            Pieces::Count(sm_len) => {
                let head = MemberSnapshotHead::new(
                    membership.members,
                    membership.removed,
                    membership.cluster_version,
                );
                let head = postcard::to_allocvec(&head)?;
                let len = postcard::to_allocvec(&(sm_len as u64))?;
                let total = head.len() + len.len() + sm_len;
                self.out = Pieces::fill(total);
                self.out.put_raw(&head)?;
                self.out.put_raw(&len)?;
                self.at = SmCursor::Magic;
                Ok(None)
            }
            filled => filled
                .finish()
                .map(Some)
                .ok_or(postcard::Error::SerializeBufferFull),
        }
    }
}

/// Writes the next pieces of `sm`'s Raft snapshot bytes (see
/// [`StateMachine::append_raft_snapshot`]) into `out` until it holds `until` bytes or all are
/// written.
fn put_state_machine(
    sm: &StateMachine,
    at: &mut SmCursor,
    out: &mut Pieces,
    until: usize,
) -> postcard::Result<()> {
    while out.written() < until {
        *at = match std::mem::replace(at, SmCursor::Done) {
            SmCursor::Magic => {
                out.put_raw(RAFT_SNAPSHOT_MAGIC)?;
                SmCursor::Kv(StoredCursor::Start)
            }
            SmCursor::Kv(mut kv) => {
                sm.kv.put_stored_pieces(&mut kv, out, until)?;
                match kv {
                    StoredCursor::Done => SmCursor::Rest,
                    kv => SmCursor::Kv(kv),
                }
            }
            SmCursor::Rest => {
                out.put(&(&sm.lessor, &sm.auth, &sm.v2))?;
                SmCursor::Done
            }
            SmCursor::Done => return Ok(()),
        };
    }
    Ok(())
}
