//! A member's snapshot taken, and read back, a piece at a time: after `load k8s large` a
//! member's snapshot is about 140 MB, which written in one go kept the page's main thread for
//! 300 ms and more, and read in one go on a reload 170 ms for each member. The page takes it
//! and reads it in pieces between frames instead; the bytes are those of
//! [`encode_member_snapshot`](super::snapshot::encode_member_snapshot), and the state read is
//! the one `StateMachine::from_raft_snapshot` reads.
//!
//! The state machine is walked twice to write it: counted (its length is written before it,
//! and the buffer is then allocated once at its final size), then written.
//!
//! Owns: [`SnapshotWriter`] and [`SnapshotReader`], where a snapshot being written or read
//! is. Must not touch: when a snapshot is due or kept (`snapshot`); the state must not change
//! between pieces of a write (the member starts over when its applied index moved).

use std::collections::{BTreeMap, BTreeSet};

use super::apply::{StateMachine, RAFT_SNAPSHOT_MAGIC};
use super::snapshot::{read_member_snapshot, MemberSnapshotHead};
use crate::api::bytes::Pieces;
use crate::api::Member as ApiMember;
use crate::auth::AuthStore;
use crate::lease::Lessor;
use crate::mvcc::stored_pieces::{StoredCursor, StoredReader};
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

/// A member snapshot being read back (a reload boots each member from its snapshot).
pub struct SnapshotReader {
    decoded: DecodedSnapshot,
    /// Where the state machine's bytes are read from next, and where they end.
    at: usize,
    end: usize,
    kv: StoredReader,
}

/// A member snapshot read back: its bytes (the member checks they are its snapshot's), its
/// membership and its state machine.
pub struct DecodedSnapshot {
    pub data: EntryData,
    pub members: BTreeMap<u64, ApiMember>,
    pub removed: BTreeSet<u64>,
    pub cluster_version: Option<String>,
    pub sm: StateMachine,
}

/// What a piece of a read did.
pub enum Read {
    More(SnapshotReader),
    Done(DecodedSnapshot),
    /// It does not read (the member's start reads it in one go, and says so as it does).
    Failed,
}

impl SnapshotReader {
    /// A reader of the member snapshot `data` (None: not one written in postcard, such as the
    /// JSON ones older versions stored; the member's start reads those in one go).
    pub fn new(data: EntryData) -> Option<Self> {
        let snap = read_member_snapshot(&data)?;
        let start = (snap.sm.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
        if !snap.sm.starts_with(RAFT_SNAPSHOT_MAGIC) {
            return None;
        }
        let end = start.checked_add(snap.sm.len())?;
        let at = start + RAFT_SNAPSHOT_MAGIC.len();
        let decoded = DecodedSnapshot {
            members: snap.members,
            removed: snap.removed,
            cluster_version: snap.cluster_version,
            sm: StateMachine::new(),
            data: data.clone(),
        };
        Some(SnapshotReader {
            decoded,
            at,
            end,
            kv: StoredReader::new(),
        })
    }

    /// Reads about `budget` more bytes' worth.
    pub fn advance(mut self, budget: usize) -> Read {
        let Some(rest) = self.decoded.data.get(self.at..self.end) else {
            return Read::Failed;
        };
        if !self.kv.is_done() {
            return match self.kv.advance(rest, budget) {
                Ok(n) => {
                    self.at += n;
                    Read::More(self)
                }
                Err(_) => Read::Failed,
            };
        }
        match postcard::take_from_bytes::<(Lessor, AuthStore, crate::v2store::ApplierV2)>(rest) {
            Ok(((lessor, auth, v2), _)) => {
                let kv = self.kv.finish();
                self.decoded.sm = StateMachine::from_parts(kv, lessor, auth, v2);
                Read::Done(self.decoded)
            }
            Err(_) => Read::Failed,
        }
    }

    /// The snapshot read in one go.
    pub fn read_whole(data: EntryData) -> Option<DecodedSnapshot> {
        let mut r = SnapshotReader::new(data)?;
        loop {
            match r.advance(usize::MAX) {
                Read::More(more) => r = more,
                Read::Done(d) => return Some(d),
                Read::Failed => return None,
            }
        }
    }
}
