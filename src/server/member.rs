//! One etcd member's application side: the state that committed entries build (the
//! [`StateMachine`] and the cluster membership), the ID generator, and the answers it gives
//! (with etcd's response headers: `cluster_id`, `member_id`, `raft_term`; the state machine
//! fills `revision`).
//!
//! The Raft node and the network belong to the world (`sim`), which feeds this member the
//! entries Raft commits, in log order. Must not touch: Raft rules, the clock (time comes in
//! through [`ApplyContext`]), the network.
//!
//! Note for the v2 store: etcd's bootstrap writes 7 v2 keys (3 member `raftAttributes` from
//! the initial conf changes, 3 `attributes` from each member publishing its name and client
//! URLs, then `/0/version`). They reach this member as [`Payload::Publish`],
//! [`Payload::ClusterVersion`] and conf-change entries; `apply_entry` is where they are
//! handed to the state machine once it has v2 hooks for them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::api::{
    errors, AlarmAction, AlarmMember, AlarmResponse, AlarmType, AuthRequest, CallError, EtcdError,
    Member as ApiMember, MemberAddResponse, MemberChangeResponse, MemberListResponse, Request,
    Response, ResponseHeader, SnapshotResponse, StatusResponse,
};
use super::apply::{ApplyContext, StateMachine};
use super::idutil::Generator;
use crate::lease::Lessor;
use crate::persist::Disk;
use crate::raft::{
    ConfChange, ConfChangeType, Config as RaftConfig, Entry, EntryData, EntryType, Message,
    RaftError, RawNode, SoftState, StateRole,
};

/// What one normal Raft entry carries (encoded into `Entry::data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A client request, with the ID the proposing member gave it and the auth token it came
    /// with.
    Request {
        id: u64,
        req: Request,
        auth_token: Option<String>,
    },
    /// A member publishes its name and client URLs once it has joined (etcd's `publish`).
    Publish {
        member_id: u64,
        name: String,
        client_urls: Vec<String>,
    },
    /// The leader sets the cluster version once every member has published.
    ClusterVersion(String),
}

impl Payload {
    pub fn encode(&self) -> Vec<u8> {
        // Sized for a put up front (the vector would otherwise grow several times).
        let hint = match self {
            Payload::Request {
                req: Request::Put(p),
                ..
            } => p.key.len() + p.value.len() + 48,
            _ => 64,
        };
        crate::server::bytes::postcard_append(self, Vec::with_capacity(hint)).unwrap_or_default()
    }

    pub fn decode(data: &[u8]) -> Option<Payload> {
        postcard::from_bytes(data).ok()
    }

    /// A short description for views and traces (`put foo`, `publish infra1`, ...).
    pub fn summary(&self) -> String {
        match self {
            Payload::Request { req, .. } => request_summary(req),
            Payload::Publish { name, .. } => format!("publish {name}"),
            Payload::ClusterVersion(v) => format!("cluster version {v}"),
        }
    }
}

/// What a conf change entry's context carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfChangeContext {
    pub member: ApiMember,
    /// The ID of the client request that proposed it (0 for bootstrap).
    pub request_id: u64,
}

pub fn encode_conf_change(cc: &ConfChange) -> Vec<u8> {
    postcard::to_allocvec(cc).unwrap_or_default()
}

pub fn decode_conf_change(data: &[u8]) -> Option<ConfChange> {
    postcard::from_bytes(data).ok()
}

/// Whether a request changes the membership.
pub fn is_member_change(req: &Request) -> bool {
    matches!(
        req,
        Request::MemberAdd { .. }
            | Request::MemberRemove { .. }
            | Request::MemberUpdate { .. }
            | Request::MemberPromote { .. }
    )
}

/// The member's part of a snapshot: the membership it applied (the state machine's own
/// state travels in `sm`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MemberSnapshot {
    pub members: BTreeMap<u64, ApiMember>,
    pub removed: BTreeSet<u64>,
    pub cluster_version: Option<String>,
    pub recent: RecentIds,
    #[serde(with = "crate::server::bytes")]
    pub sm: Vec<u8>,
}

/// The IDs of the most recently applied requests, oldest dropped first.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RecentIds {
    set: BTreeSet<u64>,
    order: std::collections::VecDeque<u64>,
}

impl RecentIds {
    const CAP: usize = 1 << 16;

    /// Records `id`; false if it was already recorded.
    pub fn insert(&mut self, id: u64) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > Self::CAP {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }
}

pub fn decode_member_snapshot(data: &[u8]) -> Option<MemberSnapshot> {
    postcard::from_bytes(data).ok()
}

/// A one-line description of a request.
pub fn request_summary(req: &Request) -> String {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match req {
        Request::Range(r) => format!("range {}", s(&r.key)),
        Request::Put(r) => format!("put {}", s(&r.key)),
        Request::DeleteRange(r) => format!("delete {}", s(&r.key)),
        Request::Txn(_) => "txn".to_string(),
        Request::Compaction(c) => format!("compact {}", c.revision),
        Request::LeaseGrant(l) => format!("lease grant {:x}", l.id),
        Request::LeaseRevoke { id } => format!("lease revoke {id:x}"),
        Request::Alarm { .. } => "alarm".to_string(),
        Request::Auth(_) => "auth".to_string(),
        other => {
            let d = format!("{other:?}");
            d.split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase()
        }
    }
}

/// The static description of one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberConfig {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub cluster_id: u64,
}

/// Where a request is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Local state, no consensus (serializable reads, member list, status...).
    Local,
    /// Local state after ReadIndex confirms it is current (linearizable reads).
    ReadIndex,
    /// Through the Raft log.
    Propose,
    /// On the leader only, outside the log (lease keep-alive, time-to-live, leases).
    Leader,
    /// Handled by the member's Raft node (move-leader).
    Transfer,
}

/// How a request is served, as etcd's server routes it.
pub fn route(req: &Request) -> Route {
    match req {
        Request::Range(r) if r.serializable => Route::Local,
        Request::V2(r) if r.is_read() => Route::Local,
        Request::Range(_) => Route::ReadIndex,
        Request::MemberList
        | Request::Status
        | Request::HashKv { .. }
        | Request::Defragment
        | Request::Snapshot => Route::Local,
        Request::Alarm {
            action: AlarmAction::Get,
            ..
        } => Route::Local,
        Request::LeaseKeepAlive { .. } | Request::LeaseTimeToLive { .. } | Request::LeaseLeases => {
            Route::Leader
        }
        Request::MoveLeader { .. } => Route::Transfer,
        _ => Route::Propose,
    }
}

/// A client call waiting at this member.
#[derive(Clone, Debug)]
struct PendingRead {
    call: u64,
    req: Request,
    /// The read index confirmed by the leader, once known.
    index: Option<u64>,
    /// Tick at which the ReadIndex request was last sent.
    sent_tick: u64,
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

/// etcd's interval between a member's health checks of its peers before it accepts a
/// membership change (`HealthInterval`).
pub const HEALTH_INTERVAL: Duration = Duration::from_secs(5);

/// One etcd member: its Raft node, its disk and its applied state.
pub struct Member {
    pub config: MemberConfig,
    pub sm: StateMachine,
    pub node: RawNode,
    disk: Box<dyn Disk>,
    /// The cluster as this member has applied it, by ID.
    members: BTreeMap<u64, ApiMember>,
    removed: BTreeSet<u64>,
    alarms: Vec<AlarmMember>,
    cluster_version: Option<String>,
    id_gen: Generator,
    /// Index of the last applied entry.
    pub applied: u64,
    /// Proposals of this member waiting to be applied: request ID -> call.
    waiters: BTreeMap<u64, u64>,
    /// This member's proposals not yet applied, re-proposed when the leader changes (a
    /// proposal forwarded to a leader that lost its leadership is otherwise lost).
    retry: BTreeMap<u64, EntryData>,
    /// Client proposals received since the last `process_ready`, proposed together.
    batch: Vec<EntryData>,
    /// IDs of recently applied requests (part of the applied state).
    recent: RecentIds,
    /// Proposals made while no leader was known: proposed once one is.
    queued: Vec<(u64, Entry)>,
    reads: Vec<PendingRead>,
    /// Leadership transfers waiting for the target to lead: (call, target).
    transfers: Vec<(u64, u64)>,
    published: bool,
    ticks: u64,
    last_soft: SoftState,
    /// The (leader, term) the pending proposals were last proposed to: a new leader, or the
    /// same member leading again in a new term, gets them again (a forwarded proposal the
    /// old one dropped is otherwise lost).
    proposed_to: (u64, u64),
    /// Set once this member applied its own removal.
    pub removed_self: bool,
    snapshot_count: u64,
    last_snapshot: u64,
    /// Lease revokes proposed by this leader: lease -> tick proposed.
    revoking: BTreeMap<i64, u64>,
}

/// etcd's default election timeout (10 ticks of 100 ms).
pub const ELECTION_TIMEOUT: Duration = Duration::from_millis(1000);

/// Applied entries between two snapshots by default.
pub const DEFAULT_SNAPSHOT_COUNT: u64 = 100_000;

/// Entries kept behind a snapshot for slow followers (etcd's `SnapshotCatchUpEntries`).
pub const SNAPSHOT_CATCH_UP_ENTRIES: u64 = 5_000;

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

fn digest(data: &[u8]) -> u64 {
    // FNV-1a over 8-byte words (then the tail byte by byte): cheap, deterministic; used by
    // safety checks to compare applied entries. Word steps keep it fast on 100 kB entries.
    let mut h = 0xcbf29ce484222325u64 ^ data.len() as u64;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(0x100000001b3);
        h ^= h >> 29;
    }
    words
        .remainder()
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}

impl Member {
    /// Starts (or restarts) a member from its disk. `raft_seed` seeds its election timer RNG.
    pub fn start(
        config: MemberConfig,
        disk: Box<dyn Disk>,
        raft_seed: u64,
        unix_nanos: i64,
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
        let snap = decode_member_snapshot(&node.raft.raft_log.storage.snapshot().data);
        let mut m = Member {
            config,
            sm: StateMachine::new(),
            node,
            disk,
            members: BTreeMap::new(),
            removed: BTreeSet::new(),
            alarms: Vec::new(),
            cluster_version: None,
            id_gen,
            applied,
            waiters: BTreeMap::new(),
            retry: BTreeMap::new(),
            batch: Vec::new(),
            recent: RecentIds::default(),
            queued: Vec::new(),
            reads: Vec::new(),
            transfers: Vec::new(),
            published: false,
            ticks: 0,
            last_soft,
            proposed_to: (0, 0),
            removed_self: false,
            snapshot_count: DEFAULT_SNAPSHOT_COUNT,
            last_snapshot: applied,
            revoking: BTreeMap::new(),
        };
        if let Some(snap) = snap {
            m.install(snap);
        }
        m.configure_sm();
        Ok(m)
    }

    fn configure_sm(&mut self) {
        self.sm
            .set_min_lease_ttl(Lessor::min_ttl_for_election_timeout(ELECTION_TIMEOUT));
    }

    fn install(&mut self, snap: MemberSnapshot) {
        self.members = snap.members;
        self.removed = snap.removed;
        self.cluster_version = snap.cluster_version;
        self.recent = snap.recent;
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

    fn maybe_snapshot(&mut self) {
        if !self.snapshot_due() {
            return;
        }
        let data = MemberSnapshot {
            members: self.members.clone(),
            removed: self.removed.clone(),
            cluster_version: self.cluster_version.clone(),
            recent: self.recent.clone(),
            sm: self.sm.to_raft_snapshot(),
        };
        // Sized up front: the state machine's bytes are nearly all of it (no regrowing copies
        // of a 140 MB snapshot).
        let size = data.sm.len().saturating_add(4096);
        let data = crate::server::bytes::postcard_append(&data, Vec::with_capacity(size))
            .unwrap_or_default();
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

    /// The next request ID from etcd's generator.
    pub fn next_request_id(&mut self) -> u64 {
        self.id_gen.next_id()
    }

    /// Fills in what the member decides before proposing (etcd assigns lease IDs here).
    pub fn prepare(&mut self, req: &mut Request, env: &Env) {
        match req {
            Request::LeaseGrant(g) if g.id == 0 => g.id = self.id_gen.next_lease_id(),
            // A v2 request carries the time the member received it (TTLs count from there).
            Request::V2(r) if r.now == 0 => r.now = env.unix_nanos,
            _ => {}
        }
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

    /// The members as this member knows them, in ID order.
    pub fn cluster_members(&self) -> Vec<ApiMember> {
        self.members.values().cloned().collect()
    }

    /// One member as this member has applied it.
    pub fn cluster_member(&self, id: u64) -> Option<&ApiMember> {
        self.members.get(&id)
    }

    pub fn is_member(&self, id: u64) -> bool {
        self.members.contains_key(&id)
    }

    pub fn is_removed(&self, id: u64) -> bool {
        self.removed.contains(&id)
    }

    pub fn cluster_version(&self) -> Option<&str> {
        self.cluster_version.as_deref()
    }

    fn ctx(&self, env: &Env) -> ApplyContext {
        ApplyContext {
            member_id: self.config.id,
            now: env.now,
            index: self.applied,
        }
    }

    // ---- driving the node ----------------------------------------------------------------

    /// One tick of the world's clock (100 ms).
    pub fn tick(&mut self, env: &Env, out: &mut Outbox) {
        self.ticks += 1;
        self.node.tick();
        self.flush_queued();
        self.retry_reads();
        self.housekeeping(env);
        self.process_ready(env, out);
    }

    /// A message from a peer.
    pub fn step(&mut self, m: Message, env: &Env, out: &mut Outbox) {
        let _ = self.node.step(m);
        self.process_ready(env, out);
    }

    /// Starts an election now.
    pub fn campaign(&mut self, env: &Env, out: &mut Outbox) {
        let _ = self.node.campaign();
        self.process_ready(env, out);
    }

    fn flush_queued(&mut self) {
        if self.node.raft.lead == 0 || self.queued.is_empty() {
            return;
        }
        let queued = std::mem::take(&mut self.queued);
        for (_, e) in queued {
            let r = if e.entry_type == EntryType::ConfChange {
                self.node.propose_conf_change(e.data.clone())
            } else {
                self.node.propose(e.data.clone())
            };
            if r.is_err() {
                self.queued.push((0, e));
            }
        }
    }

    fn retry_reads(&mut self) {
        // etcd's linearizable read loop retries a ReadIndex that got no answer.
        let retry: Vec<u64> = self
            .reads
            .iter()
            .filter(|r| r.index.is_none() && self.ticks.saturating_sub(r.sent_tick) >= 5)
            .map(|r| r.call)
            .collect();
        for call in retry {
            let _ = self.node.read_index(call.to_be_bytes().to_vec());
            if let Some(r) = self.reads.iter_mut().find(|r| r.call == call) {
                r.sent_tick = self.ticks;
            }
        }
    }

    /// Proposals a member makes by itself: publishing its attributes, the cluster version.
    fn housekeeping(&mut self, env: &Env) {
        if self.node.raft.lead == 0 {
            return;
        }
        if self.is_leader() && self.ticks % 5 == 0 && self.sm.v2.has_ttl_keys() {
            // etcd's leader proposes a v2 SYNC every 500 ms while TTL keys exist.
            let rid = self.next_request_id();
            let req = Request::V2(crate::v2store::V2Request::sync(env.unix_nanos));
            let p = Payload::Request {
                id: rid,
                req,
                auth_token: None,
            };
            self.propose_entry(
                0,
                Entry {
                    data: p.encode().into(),
                    ..Default::default()
                },
            );
        }
        if self.is_leader() && self.ticks % 5 == 0 {
            // etcd's leader looks for expired leases every 500 ms and proposes their revokes.
            for id in self.sm.expired_leases(env.now) {
                let rid = self.next_request_id();
                let p = Payload::Request {
                    id: rid,
                    req: Request::LeaseRevoke { id },
                    auth_token: None,
                };
                self.revoking.insert(id, self.ticks);
                self.propose_entry(
                    0,
                    Entry {
                        data: p.encode().into(),
                        ..Default::default()
                    },
                );
            }
        }
        let me = self.config.id;
        let published = self.members.get(&me).is_some_and(|m| {
            m.name == self.config.name && m.client_urls == self.config.client_urls
        });
        if !self.published || (!published && self.ticks % 20 == 0) {
            self.published = true;
            let p = Payload::Publish {
                member_id: me,
                name: self.config.name.clone(),
                client_urls: self.config.client_urls.clone(),
            };
            self.propose_entry(
                0,
                Entry {
                    data: p.encode().into(),
                    ..Default::default()
                },
            );
        }
        if self.is_leader() && self.cluster_version.is_none() && self.ticks % 5 == 0 {
            let all_published = !self.members.is_empty()
                && self
                    .members
                    .values()
                    .all(|m| !m.name.is_empty() || m.is_learner);
            if all_published {
                let p = Payload::ClusterVersion("3.4.0".to_string());
                self.propose_entry(
                    0,
                    Entry {
                        data: p.encode().into(),
                        ..Default::default()
                    },
                );
            }
        }
    }

    fn propose_entry(&mut self, call: u64, e: Entry) {
        if self.node.raft.lead == 0 {
            self.queued.push((call, e));
            return;
        }
        let r = if e.entry_type == EntryType::ConfChange {
            self.node.propose_conf_change(e.data.clone())
        } else {
            self.node.propose(e.data.clone())
        };
        if r.is_err() {
            self.queued.push((call, e));
        }
    }

    fn flush_batch(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        if self.node.raft.lead == 0 {
            for data in batch {
                self.queued.push((
                    0,
                    Entry {
                        data,
                        ..Default::default()
                    },
                ));
            }
            return;
        }
        // A refused batch (leader transfer in progress) is re-proposed from `retry` at the
        // next leader change, like any lost proposal.
        let _ = self.node.propose_batch(batch);
    }

    /// Re-proposes what is still unanswered when a leader is known and it is not the
    /// (leader, term) the proposals last went to. Duplicates are dropped at apply by request ID.
    fn repropose_on_new_leader(&mut self) {
        let now = (self.node.raft.lead, self.term());
        if now.0 == 0 || now == self.proposed_to {
            return;
        }
        self.proposed_to = now;
        self.flush_queued();
        let again: Vec<EntryData> = self.retry.values().cloned().collect();
        for data in again {
            self.propose_entry(
                0,
                Entry {
                    data,
                    ..Default::default()
                },
            );
        }
    }

    /// Whether proposals wait in the batch (the world then calls `process_ready`).
    pub fn has_batch(&self) -> bool {
        !self.batch.is_empty()
    }

    /// Handles everything the node has ready: persist, send, apply, answer.
    pub fn process_ready(&mut self, env: &Env, out: &mut Outbox) {
        self.flush_batch();
        while self.node.has_ready() {
            let mut rd = self.node.ready();
            if let Some(ss) = rd.soft_state {
                if ss != self.last_soft {
                    if ss.role == StateRole::Leader && self.last_soft.role != StateRole::Leader {
                        // etcd extends every lease by an election timeout on promotion.
                        self.sm.lease_promote(env.now, ELECTION_TIMEOUT);
                        self.revoking.clear();
                    } else if ss.role != StateRole::Leader
                        && self.last_soft.role == StateRole::Leader
                    {
                        self.sm.lease_demote();
                    }
                    self.last_soft = ss;
                    if env.trace {
                        out.events.push(MemberEvent::RoleChanged {
                            role: ss.role,
                            term: self.term(),
                            lead: ss.lead,
                        });
                    }
                }
            }
            self.repropose_on_new_leader();
            if let Some(s) = &rd.snapshot {
                let _ = self.disk.save_snapshot(s);
            }
            let _ = self.disk.append(&rd.entries);
            if let Some(hs) = rd.hard_state {
                let _ = self.disk.set_hard_state(hs);
                if env.trace {
                    out.events.push(MemberEvent::Committed { index: hs.commit });
                }
            }
            if env.trace {
                for e in &rd.entries {
                    out.events.push(MemberEvent::Appended {
                        index: e.index,
                        term: e.term,
                    });
                }
            }
            out.messages.append(&mut rd.messages);
            if let Some(s) = &rd.snapshot {
                self.restore_snapshot(s);
            }
            for e in &rd.committed_entries {
                self.apply_entry(e, env, out);
            }
            for rs in &rd.read_states {
                let call = rs
                    .request_ctx
                    .as_slice()
                    .try_into()
                    .map(u64::from_be_bytes)
                    .unwrap_or(0);
                if let Some(r) = self.reads.iter_mut().find(|r| r.call == call) {
                    r.index = Some(rs.index);
                }
            }
            self.node.advance(rd);
            if self.removed_self {
                break;
            }
            self.maybe_snapshot();
        }
        self.serve_reads(env, out);
        self.check_transfers(out);
    }

    fn restore_snapshot(&mut self, s: &crate::raft::Snapshot) {
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

    fn serve_reads(&mut self, env: &Env, out: &mut Outbox) {
        if self.reads.is_empty() {
            return;
        }
        let applied = self.applied;
        let ready: Vec<PendingRead> = {
            let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.reads)
                .into_iter()
                .partition(|r| r.index.is_some_and(|i| i <= applied));
            self.reads = waiting;
            ready
        };
        for r in ready {
            let ans = self.read_local(&r.req, env).map_err(CallError::from);
            out.answers.push((r.call, ans));
        }
    }

    fn check_transfers(&mut self, out: &mut Outbox) {
        if self.transfers.is_empty() {
            return;
        }
        let lead = self.node.raft.lead;
        let header = self.header();
        self.transfers.retain(|(call, target)| {
            if lead == *target {
                out.answers.push((*call, Ok(Response::Header(header))));
                false
            } else {
                true
            }
        });
    }

    fn apply_entry(&mut self, e: &Entry, env: &Env, out: &mut Outbox) {
        if e.index <= self.applied {
            return;
        }
        // Always reported: the world checks state machine safety with it.
        out.events.push(MemberEvent::Applied {
            index: e.index,
            term: e.term,
            digest: digest(&e.data),
        });
        match e.entry_type {
            EntryType::Normal => {
                self.applied = e.index;
                if e.data.is_empty() {
                    return;
                }
                let Some(p) = Payload::decode(&e.data) else {
                    return;
                };
                if let Payload::Request { id, .. } = &p {
                    // A proposal re-sent after a leader change may commit twice: apply once.
                    if !self.recent.insert(*id) {
                        return;
                    }
                    self.retry.remove(id);
                }
                let result = self.apply_payload(e.index, &p, env);
                if let Payload::Request { id, .. } = p {
                    if let Some(call) = self.waiters.remove(&id) {
                        out.answers.push((call, result.map_err(CallError::from)));
                    }
                }
            }
            EntryType::ConfChange => {
                let Some(cc) = decode_conf_change(&e.data) else {
                    self.applied = e.index;
                    return;
                };
                self.node.apply_conf_change(&cc);
                let result = self.apply_conf_change(e.index, &cc, env);
                let rid = postcard::from_bytes::<ConfChangeContext>(&cc.context)
                    .map_or(0, |c| c.request_id);
                if let Some(call) = self.waiters.remove(&rid) {
                    out.answers.push((call, result.map_err(CallError::from)));
                }
                if cc.change_type == ConfChangeType::RemoveNode && cc.node_id == self.config.id {
                    self.removed_self = true;
                    out.events.push(MemberEvent::Removed);
                }
            }
        }
    }

    // ---- client requests ---------------------------------------------------------------

    /// A client request arriving at this member. Answers that are ready at once go to `out`;
    /// the others come later from `tick`/`step`.
    pub fn submit(
        &mut self,
        call: u64,
        mut req: Request,
        auth_token: Option<&str>,
        env: &Env,
        out: &mut Outbox,
    ) {
        if let Err(e) = self.admit(&req, auth_token) {
            out.answers.push((call, Err(e.into())));
            return;
        }
        match route(&req) {
            Route::Local => {
                let ans = self.read_local(&req, env).map_err(CallError::from);
                out.answers.push((call, ans));
            }
            Route::ReadIndex => {
                let _ = self.node.read_index(call.to_be_bytes().to_vec());
                self.reads.push(PendingRead {
                    call,
                    req,
                    index: None,
                    sent_tick: self.ticks,
                });
                self.process_ready(env, out);
            }
            Route::Leader => {
                // The world forwards these to the leader (see `serve_leader`).
                out.answers
                    .push((call, Err(CallError::Server(errors::not_leader()))));
            }
            Route::Transfer => {
                let Request::MoveLeader { target_id } = req else {
                    return;
                };
                if !self.is_leader() {
                    out.answers.push((call, Err(errors::not_leader().into())));
                    return;
                }
                let ok = self.members.get(&target_id).is_some_and(|m| !m.is_learner);
                if !ok {
                    out.answers
                        .push((call, Err(errors::bad_leader_transferee().into())));
                    return;
                }
                let _ = self.node.transfer_leader(target_id);
                self.transfers.push((call, target_id));
                self.process_ready(env, out);
            }
            Route::Propose => {
                if let Some(cc) = self.conf_change_for(&req, env, out, call) {
                    let rid = self.next_request_id();
                    let mut cc = cc;
                    if let Ok(mut ctx) = postcard::from_bytes::<ConfChangeContext>(&cc.context) {
                        ctx.request_id = rid;
                        cc.context = postcard::to_allocvec(&ctx).unwrap_or_default();
                    }
                    self.waiters.insert(rid, call);
                    self.propose_entry(
                        call,
                        Entry {
                            data: encode_conf_change(&cc).into(),
                            entry_type: EntryType::ConfChange,
                            ..Default::default()
                        },
                    );
                    self.process_ready(env, out);
                    return;
                }
                if is_member_change(&req) {
                    return; // refused: the answer is in `out`
                }
                self.prepare(&mut req, env);
                let rid = self.next_request_id();
                let p = Payload::Request {
                    id: rid,
                    req,
                    auth_token: auth_token.map(str::to_string),
                };
                self.waiters.insert(rid, call);
                let data: EntryData = p.encode().into();
                self.retry.insert(rid, data.clone());
                // Batched: proposed with the others at the next `process_ready`.
                self.batch.push(data);
            }
        }
    }

    /// etcd's checks before a request is served or proposed: validation, then permissions
    /// (with the password check of `Authenticate`).
    fn admit(&mut self, req: &Request, auth_token: Option<&str>) -> Result<(), EtcdError> {
        if matches!(
            req,
            Request::Range(_)
                | Request::Put(_)
                | Request::DeleteRange(_)
                | Request::Txn(_)
                | Request::Compaction(_)
        ) {
            StateMachine::validate(req)?;
        }
        if let Request::Auth(AuthRequest::Authenticate { name, password }) = req {
            return self.sm.check_password(name, password);
        }
        self.sm.check_permission(auth_token, req)
    }

    /// Serves a request that only the leader answers (lease keep-alive, time-to-live, list).
    pub fn serve_leader(&mut self, req: &Request, env: &Env) -> Result<Response, EtcdError> {
        let ctx = self.ctx(env);
        let resp = match req {
            Request::LeaseKeepAlive { id } => {
                Response::LeaseKeepAlive(self.sm.lease_renew(*id, env.now)?)
            }
            _ => self.sm.read(req, &ctx)?,
        };
        Ok(self.stamp(resp))
    }

    /// Builds the conf change for a member request after etcd's checks, or answers the
    /// refusal into `out` (then returns `None`).
    fn conf_change_for(
        &mut self,
        req: &Request,
        env: &Env,
        out: &mut Outbox,
        call: u64,
    ) -> Option<ConfChange> {
        if !is_member_change(req) {
            return None;
        }
        if let Err(e) = self.check_member_change(req, env) {
            out.answers.push((call, Err(e.into())));
            return None;
        }
        let (change_type, node_id, member) = match req {
            Request::MemberAdd {
                peer_urls,
                is_learner,
            } => {
                // etcd derives the ID from the URLs and the time; the playground's is random
                // per world seed: it is drawn from the request ID generator's output.
                let id = self.new_member_id(env);
                let m = ApiMember {
                    id,
                    name: String::new(),
                    peer_urls: peer_urls.clone(),
                    client_urls: vec![],
                    is_learner: *is_learner,
                };
                (
                    if *is_learner {
                        ConfChangeType::AddLearnerNode
                    } else {
                        ConfChangeType::AddNode
                    },
                    id,
                    m,
                )
            }
            Request::MemberRemove { id } => (
                ConfChangeType::RemoveNode,
                *id,
                ApiMember {
                    id: *id,
                    ..Default::default()
                },
            ),
            Request::MemberUpdate { id, peer_urls } => {
                let mut m = self.members.get(id).cloned().unwrap_or_default();
                m.peer_urls = peer_urls.clone();
                (ConfChangeType::UpdateNode, *id, m)
            }
            Request::MemberPromote { id } => {
                let mut m = self.members.get(id).cloned().unwrap_or_default();
                m.is_learner = false;
                (ConfChangeType::AddNode, *id, m)
            }
            _ => return None,
        };
        let ctx = ConfChangeContext {
            member,
            request_id: 0,
        };
        Some(ConfChange {
            change_type,
            node_id,
            context: postcard::to_allocvec(&ctx).unwrap_or_default(),
        })
    }

    fn new_member_id(&self, env: &Env) -> u64 {
        // etcd hashes the peer URLs, the token and the time; the playground draws the ID from
        // the world's RNG (the recorded IDs of added members are random too).
        let mut id = env.random;
        while id == 0 || self.members.contains_key(&id) || self.removed.contains(&id) {
            id = id
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
        }
        id
    }

    /// etcd's `mayAddMember` / `mayRemoveMember` / `mayPromoteMember` checks and the
    /// membership validation of `ValidateConfigurationChange`.
    /// Checks a membership change before proposing it, with etcd's errors.
    fn check_member_change(&self, req: &Request, env: &Env) -> Result<(), EtcdError> {
        let since = env.now.checked_sub(HEALTH_INTERVAL);
        let connected = |id: u64| -> bool {
            id == self.config.id
                || (since.is_some()
                    && env
                        .connected_since
                        .get(&id)
                        .is_some_and(|t| Some(*t) <= since))
        };
        let started = |m: &ApiMember| !m.name.is_empty();
        let voters: Vec<&ApiMember> = self.members.values().filter(|m| !m.is_learner).collect();
        match req {
            Request::MemberAdd {
                peer_urls,
                is_learner,
            } => {
                if peer_urls.is_empty() {
                    return Err(errors::member_bad_urls());
                }
                if self
                    .members
                    .values()
                    .any(|m| m.peer_urls.iter().any(|u| peer_urls.contains(u)))
                {
                    return Err(errors::peer_url_exist());
                }
                if *is_learner {
                    let learners = self.members.values().filter(|m| m.is_learner).count();
                    if learners >= 1 {
                        return Err(errors::too_many_learners());
                    }
                } else {
                    // IsReadyToAddVotingMember: a quorum of the enlarged cluster has started.
                    let nmembers = voters.len() + 1;
                    let nstarted = voters.iter().filter(|m| started(m)).count();
                    if !(nstarted == 1 && nmembers == 2) && nstarted < nmembers / 2 + 1 {
                        return Err(errors::member_not_enough_started());
                    }
                }
                // isConnectedFullySince: every voting member reachable for HealthInterval.
                if !voters.iter().all(|m| connected(m.id)) {
                    return Err(errors::unhealthy());
                }
                Ok(())
            }
            Request::MemberUpdate { id, .. } => {
                if !self.members.contains_key(id) {
                    return Err(errors::member_not_found());
                }
                Ok(())
            }
            Request::MemberRemove { id } => {
                let Some(m) = self.members.get(id) else {
                    return Err(if self.removed.contains(id) {
                        errors::member_not_found()
                    } else {
                        errors::member_not_found()
                    });
                };
                if m.is_learner {
                    return Ok(());
                }
                // IsReadyToRemoveVotingMember: a quorum of the rest has started.
                let nmembers = voters.len() - 1;
                let nstarted = voters.iter().filter(|v| v.id != *id && started(v)).count();
                if nstarted < nmembers / 2 + 1 {
                    return Err(errors::member_not_enough_started());
                }
                // A member that never connected is safe to remove.
                if *id != self.config.id && !env.connected_since.contains_key(id) {
                    return Ok(());
                }
                let active = voters.iter().filter(|v| connected(v.id)).count();
                if active.saturating_sub(1) < 1 + (voters.len() - 1) / 2 {
                    return Err(errors::unhealthy());
                }
                Ok(())
            }
            Request::MemberPromote { id } => {
                let Some(m) = self.members.get(id) else {
                    return Err(errors::member_not_found());
                };
                if !m.is_learner {
                    return Err(errors::member_not_learner());
                }
                // isLearnerReady: the leader's progress of the learner is within 90% of the
                // leader's own.
                let leader_match = self
                    .node
                    .raft
                    .prs
                    .progress
                    .get(&self.config.id)
                    .map_or(0, |p| p.matched);
                let learner_match = self.node.raft.prs.progress.get(id).map_or(0, |p| p.matched);
                if !self.is_leader()
                    || (learner_match as f64) < (leader_match as f64) * 0.9
                    || learner_match == 0
                {
                    return Err(errors::learner_not_ready());
                }
                let nmembers = voters.len() + 1;
                let nstarted =
                    voters.iter().filter(|m| started(m)).count() + usize::from(started(m));
                if nstarted < nmembers / 2 + 1 {
                    return Err(errors::member_not_enough_started());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Applies a committed conf change (the Raft node has applied it to its configuration).
    fn apply_conf_change(
        &mut self,
        index: u64,
        cc: &ConfChange,
        env: &Env,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        let ctx: Option<ConfChangeContext> = postcard::from_bytes(&cc.context).ok();
        let now = env.unix_nanos;
        match cc.change_type {
            ConfChangeType::AddNode | ConfChangeType::AddLearnerNode => {
                let Some(c) = ctx else {
                    return Err(errors::member_bad_urls());
                };
                let is_learner = cc.change_type == ConfChangeType::AddLearnerNode;
                if let Some(old) = self.members.get_mut(&c.member.id) {
                    // A promotion: the learner becomes a voter, keeping its attributes.
                    if !is_learner && old.is_learner {
                        old.is_learner = false;
                        let urls = old.peer_urls.clone();
                        self.sm.v2.member_update(cc.node_id, &urls, false, now);
                    }
                    return Ok(Response::MemberChange(MemberChangeResponse {
                        header: self.header(),
                        members: self.cluster_members(),
                    }));
                }
                let mut m = c.member;
                m.is_learner = is_learner;
                self.sm.v2.member_add(m.id, &m.peer_urls, is_learner, now);
                self.members.insert(m.id, m.clone());
                return Ok(Response::MemberAdd(MemberAddResponse {
                    header: self.header(),
                    member: m,
                    members: self.cluster_members(),
                }));
            }
            ConfChangeType::RemoveNode => {
                if self.members.remove(&cc.node_id).is_some() {
                    self.sm.v2.member_remove(cc.node_id, now);
                }
                self.removed.insert(cc.node_id);
            }
            ConfChangeType::UpdateNode => {
                if let (Some(c), Some(m)) = (ctx, self.members.get_mut(&cc.node_id)) {
                    m.peer_urls = c.member.peer_urls;
                    let (urls, learner) = (m.peer_urls.clone(), m.is_learner);
                    self.sm.v2.member_update(cc.node_id, &urls, learner, now);
                }
            }
        }
        Ok(Response::MemberChange(MemberChangeResponse {
            header: self.header(),
            members: self.cluster_members(),
        }))
    }

    /// Applies one committed normal entry's payload. `raft_term` is the term the answer's
    /// header reports.
    fn apply_payload(
        &mut self,
        index: u64,
        payload: &Payload,
        env: &Env,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        let ctx = self.ctx(env);
        match payload {
            Payload::Publish {
                member_id,
                name,
                client_urls,
            } => {
                if let Some(m) = self.members.get_mut(member_id) {
                    m.name = name.clone();
                    m.client_urls = client_urls.clone();
                    self.sm
                        .v2
                        .publish_attributes(*member_id, name, client_urls, env.unix_nanos);
                }
                Ok(Response::Header(self.header()))
            }
            Payload::ClusterVersion(v) => {
                self.cluster_version = Some(v.clone());
                self.sm.v2.set_cluster_version(v, env.unix_nanos);
                Ok(Response::Header(self.header()))
            }
            Payload::Request { req, .. } => self.apply_request(req, &ctx),
        }
    }

    fn apply_request(&mut self, req: &Request, ctx: &ApplyContext) -> Result<Response, EtcdError> {
        match req {
            Request::Alarm {
                action,
                member_id,
                alarm,
            } => {
                match action {
                    AlarmAction::Activate if *alarm != AlarmType::None => {
                        if !self
                            .alarms
                            .iter()
                            .any(|a| a.member_id == *member_id && a.alarm == *alarm)
                        {
                            self.alarms.push(AlarmMember {
                                member_id: *member_id,
                                alarm: *alarm,
                            });
                        }
                    }
                    AlarmAction::Deactivate => {
                        self.alarms.retain(|a| {
                            !(a.member_id == *member_id
                                && (a.alarm == *alarm || *alarm == AlarmType::None))
                        });
                    }
                    _ => {}
                }
                Ok(Response::Alarm(AlarmResponse {
                    header: self.header(),
                    alarms: self.alarms.clone(),
                }))
            }
            _ => {
                let resp = self.sm.apply(req, ctx)?;
                Ok(self.stamp(resp))
            }
        }
    }

    /// Serves a request from local state (no consensus).
    pub fn read_local(&mut self, req: &Request, env: &Env) -> Result<Response, EtcdError> {
        let ctx = &self.ctx(env);
        match req {
            Request::MemberList => Ok(Response::MemberList(MemberListResponse {
                header: ResponseHeader {
                    revision: 0,
                    ..self.header()
                },
                members: self.cluster_members(),
            })),
            Request::Alarm { .. } => Ok(Response::Alarm(AlarmResponse {
                header: self.header(),
                alarms: self.alarms.clone(),
            })),
            Request::Defragment => Ok(Response::Header(self.header())),
            Request::Snapshot => Ok(Response::Snapshot(SnapshotResponse {
                header: self.header(),
                blob: self.sm.to_snapshot(),
            })),
            Request::Status => {
                let r = &self.node.raft;
                Ok(Response::Status(StatusResponse {
                    header: self.header(),
                    version: "3.4.23".to_string(),
                    // The playground has no bolt file; these are plausible sizes.
                    db_size: 20480,
                    leader: r.lead,
                    raft_index: r.raft_log.committed,
                    raft_term: r.term,
                    raft_applied_index: self.applied,
                    errors: Vec::new(),
                    db_size_in_use: 16384,
                    is_learner: r.is_learner,
                }))
            }
            Request::LeaseKeepAlive { .. } => {
                let resp = self.sm.apply(req, ctx)?;
                Ok(self.stamp(resp))
            }
            _ => {
                let resp = self.sm.read(req, ctx)?;
                Ok(self.stamp(resp))
            }
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
                super::api::AuthResponse::Done(h) => set(h),
                super::api::AuthResponse::Authenticate { header, .. }
                | super::api::AuthResponse::UserGet { header, .. }
                | super::api::AuthResponse::UserList { header, .. }
                | super::api::AuthResponse::RoleGet { header, .. }
                | super::api::AuthResponse::RoleList { header, .. } => set(header),
            },
            #[allow(unreachable_patterns)]
            _ => {}
        }
        resp
    }
}
