//! One etcd member: its Raft node, its disk and the state its committed entries built, and
//! the headers of its answers (`cluster_id`, `member_id`, `raft_term`; the state machine
//! fills `revision`).
//!
//! A member is driven from outside: the world (`sim`) ticks it, hands it the messages that
//! reach it and the client requests sent to it, and delivers what it puts in its [`Outbox`]
//! (messages, answers, events). What the member does is split by concern: the Ready loop
//! (`ready`), proposals (`proposals`), linearizable reads (`read_index`), applying committed
//! entries (`apply_entries`), membership (`membership`), snapshots (`snapshot`), client
//! requests (`requests`) and the entry codec (`payload`).
//!
//! Owns: [`Member`], its configuration and start from disk. Must not touch: the network, the
//! clock (time comes in through [`Env`]), Raft rules.
//!
//! Note for the v2 store: etcd's bootstrap writes 7 v2 keys (3 member `raftAttributes` from
//! the initial conf changes, 3 `attributes` from each member publishing its name and client
//! URLs, then `/0/version`). They reach this member as [`Payload::Attributes`],
//! [`Payload::ClusterVersion`] and conf-change entries, and are handed to the v2 store where
//! they are applied (`apply_entries`, `membership`).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::apply::{ApplyContext, StateMachine};
use super::idutil::Generator;
use super::read_index::PendingRead;
use super::snapshot::{read_member_snapshot, DEFAULT_SNAPSHOT_COUNT};
use super::snapshot_pieces::DecodedSnapshot;
use crate::api::{AlarmMember, CallError, Member as ApiMember, Response, ResponseHeader};
use crate::lease::Lessor;
use crate::persist::Disk;
use crate::raft::{
    Config as RaftConfig, Entry, EntryData, Message, RaftError, RawNode, SoftState, StateRole,
};

/// The static description of one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberConfig {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub cluster_id: u64,
}

/// What the world needs to know about the other members when this one checks a request.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub now: Duration,
    pub unix_nanos: i64,
    /// For each member this one is connected to (running and reachable): since when.
    pub connected_since: BTreeMap<u64, Duration>,
    /// Whether to record trace events.
    pub trace: bool,
    /// A random number drawn from the world's RNG for this request (IDs of added members).
    pub random: u64,
}

/// What handling a tick, message or request produced, for the world to act on.
#[derive(Debug, Default)]
pub struct Outbox {
    pub messages: Vec<Message>,
    pub answers: Vec<(u64, Result<Response, CallError>)>,
    pub events: Vec<MemberEvent>,
}

/// Things the world traces about a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberEvent {
    RoleChanged {
        role: StateRole,
        term: u64,
        lead: u64,
    },
    Appended {
        index: u64,
        term: u64,
    },
    Committed {
        index: u64,
    },
    Applied {
        index: u64,
        term: u64,
        digest: u64,
    },
    /// This member applied its own removal: it stops, as etcd does.
    Removed,
}

/// One etcd member: its Raft node, its disk and its applied state.
pub struct Member {
    pub config: MemberConfig,
    pub sm: StateMachine,
    pub node: RawNode,
    pub(super) disk: Box<dyn Disk>,
    /// The cluster as this member has applied it, by ID.
    pub(super) members: BTreeMap<u64, ApiMember>,
    pub(super) removed: BTreeSet<u64>,
    pub(super) alarms: Vec<AlarmMember>,
    pub(super) cluster_version: Option<String>,
    /// The etcd release this member is (its `version` in a status, the cluster version it
    /// proposes).
    pub(super) version: crate::api::EtcdVersion,
    pub(super) id_gen: Generator,
    /// Index of the last applied entry.
    pub applied: u64,
    /// Proposals of this member waiting to be applied: request ID -> call.
    pub(super) waiters: BTreeMap<u64, u64>,
    /// Client proposals received since the last `process_ready`, proposed together: (call,
    /// entry data).
    pub(super) batch: Vec<(u64, EntryData)>,
    /// Proposals made while no leader was known, with their call (0: the member's own):
    /// proposed once one is, unless their client gave up first (etcd's proposal blocks until
    /// a leader is known or its context ends).
    pub(super) queued: Vec<(u64, Entry)>,
    /// Calls whose proposal Raft refused (a leader transfer in progress): answered with
    /// etcd's error at the next `process_ready`.
    pub(super) refused: Vec<u64>,
    pub(super) reads: Vec<PendingRead>,
    /// Leadership transfers waiting for the target to lead: (call, target).
    pub(super) transfers: Vec<(u64, u64)>,
    pub(super) published: bool,
    pub(super) ticks: u64,
    pub(super) last_soft: SoftState,
    /// Set once this member applied its own removal.
    pub removed_self: bool,
    pub(super) snapshot_count: u64,
    pub(super) last_snapshot: u64,
    /// Lease revokes proposed by this leader: lease -> tick proposed.
    pub(super) revoking: BTreeMap<i64, u64>,
    /// `--quota-backend-bytes` (0: etcd's default, 2 GiB; see `quota`).
    pub(super) quota_backend_bytes: i64,
    /// The due snapshot being taken a piece at a time (see `Member::snapshot_piece`).
    pub(super) snapshot_job: Option<super::snapshot_pieces::SnapshotWriter>,
}

/// etcd's default election timeout (10 ticks of 100 ms).
pub const ELECTION_TIMEOUT: Duration = Duration::from_millis(1000);

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("id", &self.config.id)
            .field("applied", &self.applied)
            .finish()
    }
}

/// The Raft settings of every member: heartbeat 1 tick (100 ms), election 10 ticks (1 s).
pub fn raft_config(id: u64, applied: u64) -> RaftConfig {
    RaftConfig {
        id,
        election_tick: 10,
        heartbeat_tick: 1,
        applied,
        ..RaftConfig::default()
    }
}

impl Member {
    /// Starts (or restarts) a member from its disk. `raft_seed` seeds its election timer RNG.
    pub fn start(
        config: MemberConfig,
        disk: Box<dyn Disk>,
        raft_seed: u64,
        unix_nanos: i64,
    ) -> Result<Member, RaftError> {
        Member::start_with(config, disk, raft_seed, unix_nanos, None)
    }

    /// [`Member::start`] with its snapshot already read (a piece at a time, between the
    /// page's frames: see `snapshot_pieces`); `decoded` is used if it is of the very bytes
    /// the disk holds, else the snapshot is read here.
    pub fn start_with(
        config: MemberConfig,
        disk: Box<dyn Disk>,
        raft_seed: u64,
        unix_nanos: i64,
        decoded: Option<DecodedSnapshot>,
    ) -> Result<Member, RaftError> {
        let state = disk.load();
        let applied = state.snapshot.metadata.index;
        let node = RawNode::new(
            &raft_config(config.id, applied),
            state.hard_state,
            state.snapshot,
            &state.entries,
            ChaCha8Rng::seed_from_u64(raft_seed),
        )?;
        let id_gen = Generator::new(config.id, unix_nanos);
        let last_soft = SoftState {
            lead: 0,
            role: StateRole::Follower,
        };
        // (the snapshot's bytes, shared: its state machine is decoded from them in place)
        let data = node.raft.raft_log.storage.snapshot().data.clone();
        let decoded = decoded.filter(|d| std::sync::Arc::ptr_eq(&d.data, &data));
        let snap = match decoded {
            Some(_) => None,
            None => read_member_snapshot(&data),
        };
        let mut m = Member {
            config,
            sm: StateMachine::new(),
            node,
            disk,
            members: BTreeMap::new(),
            removed: BTreeSet::new(),
            alarms: Vec::new(),
            cluster_version: None,
            version: crate::api::EtcdVersion::default(),
            id_gen,
            applied,
            waiters: BTreeMap::new(),
            batch: Vec::new(),
            queued: Vec::new(),
            refused: Vec::new(),
            reads: Vec::new(),
            transfers: Vec::new(),
            published: false,
            ticks: 0,
            last_soft,
            removed_self: false,
            snapshot_count: DEFAULT_SNAPSHOT_COUNT,
            last_snapshot: applied,
            revoking: BTreeMap::new(),
            quota_backend_bytes: 0,
            snapshot_job: None,
        };
        if let Some(d) = decoded {
            m.install_decoded(d);
        } else if let Some(snap) = snap {
            m.install(snap);
        }
        m.configure_sm();
        Ok(m)
    }

    pub(super) fn configure_sm(&mut self) {
        self.sm
            .set_min_lease_ttl(Lessor::min_ttl_for_election_timeout(ELECTION_TIMEOUT));
    }

    /// Crashes the member: everything but the disk is lost.
    pub fn into_disk(self) -> Box<dyn Disk> {
        self.disk
    }

    pub fn disk(&self) -> &dyn Disk {
        self.disk.as_ref()
    }

    /// The disk, to start or drain its journal (never to write behind Raft's back).
    pub fn disk_mut(&mut self) -> &mut dyn Disk {
        self.disk.as_mut()
    }

    pub fn id(&self) -> u64 {
        self.config.id
    }

    pub fn term(&self) -> u64 {
        self.node.raft.term
    }

    pub fn leader(&self) -> u64 {
        self.node.raft.lead
    }

    pub fn is_leader(&self) -> bool {
        self.node.raft.state == StateRole::Leader
    }

    /// The header this member puts on an answer.
    pub fn header(&self) -> ResponseHeader {
        ResponseHeader {
            cluster_id: self.config.cluster_id,
            member_id: self.config.id,
            revision: self.sm.revision(),
            raft_term: self.term(),
        }
    }

    pub(super) fn ctx(&self, env: &Env) -> ApplyContext {
        ApplyContext {
            member_id: self.config.id,
            now: env.now,
            index: self.applied,
        }
    }

    /// Puts the member's fields into a state machine answer's header (the state machine has
    /// filled `revision`).
    pub fn stamp(&self, mut resp: Response) -> Response {
        let raft_term = self.term();
        let set = |h: &mut ResponseHeader| {
            h.cluster_id = self.config.cluster_id;
            h.member_id = self.config.id;
            h.raft_term = raft_term;
        };
        match &mut resp {
            Response::Range(r) => set(&mut r.header),
            Response::Put(r) => set(&mut r.header),
            Response::DeleteRange(r) => set(&mut r.header),
            Response::Txn(r) => set(&mut r.header),
            Response::Compaction(r) => set(&mut r.header),
            Response::LeaseGrant(r) => set(&mut r.header),
            Response::LeaseRevoke(r) => set(&mut r.header),
            Response::LeaseKeepAlive(r) => set(&mut r.header),
            Response::LeaseTimeToLive(r) => set(&mut r.header),
            Response::LeaseLeases(r) => set(&mut r.header),
            Response::MemberList(r) => set(&mut r.header),
            Response::MemberAdd(r) => set(&mut r.header),
            Response::MemberChange(r) => set(&mut r.header),
            Response::Alarm(r) => set(&mut r.header),
            Response::Status(r) => set(&mut r.header),
            Response::HashKv(r) => set(&mut r.header),
            Response::Header(h) => set(h),
            Response::Snapshot(r) => set(&mut r.header),
            Response::Auth(a) => match a {
                crate::api::AuthResponse::Done(h) => set(h),
                crate::api::AuthResponse::Authenticate { header, .. }
                | crate::api::AuthResponse::UserGet { header, .. }
                | crate::api::AuthResponse::UserList { header, .. }
                | crate::api::AuthResponse::RoleGet { header, .. }
                | crate::api::AuthResponse::RoleList { header, .. }
                | crate::api::AuthResponse::Status { header, .. } => set(header),
            },
            #[allow(unreachable_patterns)]
            _ => {}
        }
        resp
    }
}
