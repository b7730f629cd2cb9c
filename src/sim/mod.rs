//! The deterministic world: a virtual clock, one seeded RNG, a network between the members
//! (latency, jitter, loss, reordering, partitions) and members that crash and restart from
//! their disk.
//!
//! Owns: time, randomness, message delivery, the event trace the UI animates, and the client
//! surface (`call`, `watch`) that etcdctl uses. Time moves only through the event queue: a
//! tick every 100 ms for every running member, and message deliveries.
//! Must not touch: the DOM, wall-clock time, threads or I/O.

pub mod endpoint;
pub mod network;
pub mod restore;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::persist::{Disk, MemoryDisk};
use crate::raft::{
    ConfChange, ConfChangeType, Entry, EntryType, HardState, Message, MessageType, StateRole,
};
use crate::server::api::{
    CallError, Member as ApiMember, RangeRequest, Request, Response, WatchCreateRequest,
    WatchResponse,
};
use crate::server::ids;
use crate::server::member::{Env, Member, MemberConfig, MemberEvent, Outbox};
use crate::server::membership::is_member_change;
use crate::server::payload::{encode_conf_change, ConfChangeContext, Payload};
use crate::server::requests::{route, Route};

pub use network::NetConfig;
pub use restore::Settings;
pub use view::{LogEntryView, MemberView, MessageView, ProgressView, Role, TraceEvent, TraceKind};

/// The simulated wall clock at `now() == 0`: 2024-01-01T00:00:00Z.
pub const EPOCH_UNIX_NANOS: i64 = 1_704_067_200_000_000_000;

/// The cluster token of the recorded cluster.
pub const CLUSTER_TOKEN: &str = "etcd-cluster-1";

/// One Raft tick (etcd's default heartbeat interval).
pub const TICK: Duration = Duration::from_millis(100);

/// How long a fresh world runs before it is handed out (etcd refuses `member add` during a
/// member's first 5 s).
pub const WARM_UP: Duration = Duration::from_millis(5_500);

/// The longest `advance` runs in one call (a day: 864 000 ticks).
pub const MAX_ADVANCE: Duration = Duration::from_secs(24 * 3600);

/// At most this many trace events are kept (older ones are dropped).
pub const TRACE_CAP: usize = 20_000;

/// The safety check remembers what was applied at this many of the latest indexes.
pub const APPLIED_LOG_CAP: usize = 100_000;

/// The default members: name, client URL, peer URL.
pub const DEFAULT_MEMBERS: [(&str, &str, &str); 3] = [
    ("infra1", "http://127.0.0.1:2379", "http://127.0.0.1:12380"),
    ("infra2", "http://127.0.0.1:22379", "http://127.0.0.1:22380"),
    ("infra3", "http://127.0.0.1:32379", "http://127.0.0.1:32380"),
];

/// One member's place in the world.
struct Slot {
    config: MemberConfig,
    /// Running member, or `None` while stopped (then `disk` holds what survived).
    member: Option<Member>,
    disk: Option<Box<dyn Disk>>,
    /// When the member last (re)started.
    up_since: Duration,
    /// It applied its own removal; it cannot start again.
    removed: bool,
}

#[derive(Clone, Debug)]
enum Event {
    Tick,
    Deliver { msg: Message, sent_at: Duration },
}

/// An event a client watch was sent, for the UI's write trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiredView {
    /// The world's watch ID (what `World::watch` returned).
    pub watch: u64,
    /// The member serving the watch.
    pub member: String,
    pub revision: i64,
    pub delete: bool,
    pub key: Vec<u8>,
}

/// A client's watch: the member serving it and the state machine's watcher ID there.
struct WatchState {
    member: u64,
    sm_id: i64,
}

/// The deterministic world.
pub struct World {
    seed: u64,
    rng: ChaCha8Rng,
    now: Duration,
    seq: u64,
    /// Messages in the queue.
    in_flight: usize,
    queue: EventQueue,
    slots: Vec<Slot>,
    cluster_id: u64,
    net: NetConfig,
    /// For each pair of members (low ID first), since when their link is up.
    link_up_since: BTreeMap<(u64, u64), Duration>,
    answers: BTreeMap<u64, Result<Response, CallError>>,
    /// Members holding batched proposals.
    batched: BTreeSet<u64>,
    next_call: u64,
    trace: Vec<TraceEvent>,
    trace_enabled: bool,
    /// What was applied at each index (term, digest), to check state machine safety.
    applied_log: AppliedLog,
    safety_violations: Vec<String>,
    watches: BTreeMap<u64, WatchState>,
    next_watch: u64,
    snapshot_count: u64,
    /// Every member's `--quota-backend-bytes` (0: etcd's default).
    quota_backend_bytes: i64,
    /// Summaries of log entries for the views, by (index, term): an entry is decoded once,
    /// not at every view (a txn of the large /registry sample is 120 kB; the views show 200
    /// entries of three members, several times per command).
    summaries: std::cell::RefCell<BTreeMap<(u64, u64), String>>,
}

/// At most this many entry summaries are kept (the lowest indexes are dropped first).
const SUMMARY_CACHE_CAP: usize = 4096;

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.seed)
            .field("now", &self.now)
            .finish()
    }
}

fn bootstrap_disk(configs: &[MemberConfig]) -> MemoryDisk {
    // As etcd's StartNode: one AddNode conf change per initial member at term 1, committed.
    let mut disk = MemoryDisk::new();
    let entries: Vec<Entry> = configs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let member = ApiMember {
                id: c.id,
                name: String::new(),
                peer_urls: c.peer_urls.clone(),
                client_urls: Vec::new(),
                is_learner: false,
            };
            let cc = ConfChange {
                change_type: ConfChangeType::AddNode,
                node_id: c.id,
                context: postcard::to_allocvec(&ConfChangeContext {
                    member,
                    request_id: 0,
                })
                .unwrap_or_default(),
            };
            Entry {
                term: 1,
                index: i as u64 + 1,
                entry_type: EntryType::ConfChange,
                data: encode_conf_change(&cc).into(),
            }
        })
        .collect();
    let _ = disk.append(&entries);
    let _ = disk.set_hard_state(HardState {
        term: 1,
        vote: 0,
        commit: entries.len() as u64,
    });
    disk
}

impl World {
    /// The default cluster, ready: infra1 leader at term 2, v3 revision 1, up more than 5 s.
    pub fn new(seed: u64) -> World {
        let (mut w, configs) = World::blank(seed);
        let member_ids: Vec<u64> = configs.iter().map(|c| c.id).collect();
        for c in &configs {
            w.slots.push(Slot {
                config: c.clone(),
                member: None,
                disk: Some(Box::new(bootstrap_disk(&configs))),
                up_since: Duration::ZERO,
                removed: false,
            });
        }
        for i in 0..w.slots.len() {
            w.boot(i);
        }
        w.schedule(TICK, Event::Tick);
        // The recorded cluster's first election is won by infra1 (the others had a longer
        // election timeout); here infra1 simply campaigns first.
        if let Some(first) = member_ids.first().copied() {
            let env = w.env(first);
            let mut out = Outbox::default();
            if let Some(m) = w.member_mut(first) {
                m.campaign(&env, &mut out);
            }
            w.handle_outbox(first, out);
        }
        w.run_until(WARM_UP, |_| false);
        w
    }

    /// A world with no members yet, and the default members' configurations.
    fn blank(seed: u64) -> (World, Vec<MemberConfig>) {
        let member_ids: Vec<u64> = DEFAULT_MEMBERS
            .iter()
            .map(|(_, _, p)| ids::member_id(&[p], CLUSTER_TOKEN))
            .collect();
        let cluster_id = ids::cluster_id(&member_ids);
        let configs: Vec<MemberConfig> = DEFAULT_MEMBERS
            .iter()
            .zip(&member_ids)
            .map(|((name, client, peer), id)| MemberConfig {
                id: *id,
                name: name.to_string(),
                peer_urls: vec![peer.to_string()],
                client_urls: vec![client.to_string()],
                cluster_id,
            })
            .collect();
        let w = World {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            now: Duration::ZERO,
            seq: 0,
            in_flight: 0,
            queue: EventQueue::default(),
            slots: Vec::new(),
            cluster_id,
            net: NetConfig::default(),
            link_up_since: BTreeMap::new(),
            answers: BTreeMap::new(),
            batched: BTreeSet::new(),
            next_call: 1,
            trace: Vec::new(),
            trace_enabled: true,
            applied_log: AppliedLog::default(),
            safety_violations: Vec::new(),
            watches: BTreeMap::new(),
            next_watch: 1,
            snapshot_count: crate::server::snapshot::DEFAULT_SNAPSHOT_COUNT,
            quota_backend_bytes: 0,
            summaries: std::cell::RefCell::new(BTreeMap::new()),
        };
        (w, configs)
    }

    fn boot(&mut self, i: usize) {
        let unix = self.unix_nanos();
        let seed: u64 = self.rng.gen();
        let now = self.now;
        let Some(slot) = self.slots.get_mut(i) else {
            return;
        };
        let Some(disk) = slot.disk.take() else { return };
        let id = slot.config.id;
        match Member::start(slot.config.clone(), disk, seed, unix) {
            Ok(mut m) => {
                m.set_snapshot_count(self.snapshot_count);
                m.set_quota_backend_bytes(self.quota_backend_bytes);
                slot.member = Some(m);
                slot.up_since = now;
            }
            Err(_) => return,
        }
        let env = self.env(id);
        let mut out = Outbox::default();
        if let Some(m) = self.member_mut(id) {
            m.process_ready(&env, &mut out);
        }
        self.handle_outbox(id, out);
    }

    // ---- the client contract ------------------------------------------------------------

    /// Simulated time since the world began.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Simulated wall clock: a fixed epoch plus `now`.
    pub fn unix_nanos(&self) -> i64 {
        EPOCH_UNIX_NANOS.saturating_add(self.now.as_nanos().min(i64::MAX as u128) as i64)
    }

    /// The seed this world was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn cluster_id(&self) -> u64 {
        self.cluster_id
    }

    /// The member serving a client endpoint (`127.0.0.1:2379`, `http://...`, `localhost:...`).
    pub fn resolve_endpoint(&self, endpoint: &str) -> Option<u64> {
        let port = endpoint::loopback_port(endpoint)?;
        self.slots
            .iter()
            .find(|s| {
                s.config
                    .client_urls
                    .iter()
                    .any(|u| endpoint::loopback_port(u) == Some(port))
            })
            .map(|s| s.config.id)
    }

    /// All member IDs of the world, in ID order.
    pub fn member_ids(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.slots.iter().map(|s| s.config.id).collect();
        v.sort_unstable();
        v
    }

    /// A member's name.
    pub fn member_name(&self, id: u64) -> Option<&str> {
        self.slots
            .iter()
            .find(|s| s.config.id == id)
            .map(|s| s.config.name.as_str())
    }

    /// The leader of the highest term among running members, if any believes it leads.
    pub fn leader(&self) -> Option<u64> {
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .filter(|m| m.is_leader())
            .max_by_key(|m| m.term())
            .map(|m| m.id())
    }

    /// Whether a member is running.
    pub fn is_running(&self, id: u64) -> bool {
        self.member(id).is_some()
    }

    /// A running member (for tests and views).
    pub fn member(&self, id: u64) -> Option<&Member> {
        self.slots
            .iter()
            .find(|s| s.config.id == id)
            .and_then(|s| s.member.as_ref())
    }

    fn member_mut(&mut self, id: u64) -> Option<&mut Member> {
        self.slots
            .iter_mut()
            .find(|s| s.config.id == id)
            .and_then(|s| s.member.as_mut())
    }

    /// Sends one request to the member at `endpoint` and runs the world until it answers or
    /// `timeout` of simulated time passes.
    pub fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        let id = self
            .resolve_endpoint(endpoint)
            .ok_or(CallError::Unreachable)?;
        if !self.is_running(id) {
            return Err(CallError::Unreachable);
        }
        self.learner_check(id, &req)?;
        let deadline = self.now.saturating_add(timeout.min(MAX_ADVANCE));
        if route(&req) == Route::Leader {
            return self.call_leader(id, req, deadline);
        }
        let call = self.start_call(id, req, auth_token, false);
        self.run_until(deadline, |w| w.answers.contains_key(&call));
        match self.answers.remove(&call) {
            Some(r) => r,
            None => {
                // The client gave up: the member forgets the call (it is never answered; what
                // it had not yet handed to Raft is never proposed).
                if let Some(m) = self.member_mut(id) {
                    m.abandon(call);
                }
                Err(CallError::DeadlineExceeded)
            }
        }
    }

    /// A learner serves only serializable reads and status (etcd 3.4's
    /// `isRPCSupportedForLearner`); anything else is refused.
    fn learner_check(&self, id: u64, req: &Request) -> Result<(), CallError> {
        let learner = self.is_learner(id);
        let supported = match req {
            Request::Range(r) => r.serializable,
            Request::Status => true,
            _ => false,
        };
        if learner && !supported {
            return Err(CallError::Server(
                crate::server::api::errors::not_supported_for_learner(),
            ));
        }
        Ok(())
    }

    /// Whether the member is a learner, as its own view of the membership says.
    pub fn is_learner(&self, id: u64) -> bool {
        self.member(id)
            .and_then(|m| m.cluster_member(id))
            .is_some_and(|x| x.is_learner)
    }

    /// Submits a request without waiting (several can be in flight at once); the answer is
    /// collected with [`World::take_answer`] as the world runs. Requests only the leader
    /// serves (lease keep-alive, time-to-live, leases) are not accepted here: use `call`.
    pub fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<u64, CallError> {
        let id = self
            .resolve_endpoint(endpoint)
            .ok_or(CallError::Unreachable)?;
        if !self.is_running(id) || route(&req) == Route::Leader {
            return Err(CallError::Unreachable);
        }
        self.learner_check(id, &req)?;
        Ok(self.start_call(id, req, auth_token, true))
    }

    /// Hands a request to member `id` under a new call number; its answer arrives in
    /// `answers`. `batched`: proposals wait for the next batch flush instead of being
    /// processed at once.
    fn start_call(
        &mut self,
        id: u64,
        req: Request,
        auth_token: Option<&str>,
        batched: bool,
    ) -> u64 {
        let call = self.next_call;
        self.next_call += 1;
        // Only membership changes look at who is connected to whom.
        let mut env = if is_member_change(&req) {
            self.client_env(id)
        } else {
            self.env(id)
        };
        env.random = self.rng.gen();
        let mut out = Outbox::default();
        if let Some(m) = self.member_mut(id) {
            m.submit(call, req, auth_token, &env, &mut out);
            if !batched {
                m.process_ready(&env, &mut out);
            } else if m.has_batch() {
                self.batched.insert(id);
            }
        }
        self.handle_outbox(id, out);
        call
    }

    /// The answer to a submitted request, once it arrived.
    pub fn take_answer(&mut self, call: u64) -> Option<Result<Response, CallError>> {
        self.answers.remove(&call)
    }

    /// Forgets every answer not yet taken (answers of abandoned calls).
    pub fn clear_answers(&mut self) {
        self.answers.clear();
    }

    /// Requests only the leader serves: the member forwards them (as etcd does over HTTP).
    fn call_leader(
        &mut self,
        id: u64,
        req: Request,
        deadline: Duration,
    ) -> Result<Response, CallError> {
        let reachable_leader = |w: &World| -> Option<u64> {
            let m = w.member(id)?;
            let lead = m.leader();
            if lead == 0 || !w.is_running(lead) || !w.connected(id, lead) {
                return None;
            }
            w.member(lead).filter(|l| l.is_leader()).map(|_| lead)
        };
        self.run_until(deadline, |w| reachable_leader(w).is_some());
        let Some(lead) = reachable_leader(self) else {
            return Err(CallError::DeadlineExceeded);
        };
        let rtt = if lead == id {
            Duration::ZERO
        } else {
            self.net.latency * 2
        };
        self.run_until(self.now + rtt, |_| false);
        if !self.is_running(lead) {
            return Err(CallError::DeadlineExceeded);
        }
        let env = self.env(lead);
        let m = self.member_mut(lead).ok_or(CallError::DeadlineExceeded)?;
        m.serve_leader(&req, &env).map_err(CallError::from)
    }

    /// Opens a watch on the member at `endpoint`; its responses (the `created` one first)
    /// are collected by `watch_poll` as the world runs.
    pub fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<u64, CallError> {
        let id = self
            .resolve_endpoint(endpoint)
            .ok_or(CallError::Unreachable)?;
        // a learner refuses every stream
        if self.is_learner(id) {
            return Err(CallError::Server(
                crate::server::api::errors::not_supported_for_learner(),
            ));
        }
        let m = self.member_mut(id).ok_or(CallError::Unreachable)?;
        let range = Request::Range(RangeRequest {
            key: req.key.clone(),
            range_end: req.range_end.clone(),
            ..Default::default()
        });
        m.sm.check_permission(auth_token, &range)?;
        let sm_id = m.sm.watch_create(req);
        let wid = self.next_watch;
        self.next_watch += 1;
        self.watches.insert(wid, WatchState { member: id, sm_id });
        Ok(wid)
    }

    /// The responses of a watch since the last poll (nothing once its member stopped).
    pub fn watch_poll(&mut self, watch: u64) -> Vec<WatchResponse> {
        let Some(w) = self.watches.get(&watch) else {
            return Vec::new();
        };
        let (member, sm_id) = (w.member, w.sm_id);
        let Some(m) = self.member_mut(member) else {
            return Vec::new();
        };
        let h = m.header();
        let mut v = m.sm.watch_poll(sm_id);
        for r in &mut v {
            r.header.cluster_id = h.cluster_id;
            r.header.member_id = h.member_id;
            r.header.raft_term = h.raft_term;
        }
        v
    }

    /// The events that client watches were sent for writes at main revisions `first..=last`
    /// (what one write fired), as (watch, member name, event) in watch and revision order.
    pub fn watch_events_fired(&self, first: i64, last: i64) -> Vec<FiredView> {
        let mut out = Vec::new();
        for (wid, w) in &self.watches {
            let Some(m) = self.member(w.member) else {
                continue;
            };
            let name = self.member_name(w.member).unwrap_or("").to_string();
            for f in m.sm.watch_fired() {
                if f.watch_id == w.sm_id && f.revision >= first && f.revision <= last {
                    out.push(FiredView {
                        watch: *wid,
                        member: name.clone(),
                        revision: f.revision,
                        delete: f.kind == crate::server::api::EventType::Delete,
                        key: f.key.clone(),
                    });
                }
            }
        }
        out
    }

    /// Cancels a watch.
    pub fn watch_cancel(&mut self, watch: u64) {
        if let Some(w) = self.watches.remove(&watch) {
            if let Some(m) = self.member_mut(w.member) {
                let _ = m.sm.watch_cancel(w.sm_id);
            }
        }
    }

    /// Runs the world for `d` of simulated time (at most [`MAX_ADVANCE`] per call, so that a
    /// typo cannot hang the page).
    pub fn advance(&mut self, d: Duration) {
        let until = self.now.saturating_add(d.min(MAX_ADVANCE));
        self.run_until(until, |_| false);
    }

    /// Processes one event (step mode); returns false if there is none.
    pub fn step(&mut self) -> bool {
        self.flush_batches();
        let Some((at, ev)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(at);
        self.process(ev);
        true
    }

    /// Runs until no message is in flight (only timer ticks remain), or `limit` passes.
    pub fn run_until_idle(&mut self, limit: Duration) {
        let until = self.now.saturating_add(limit.min(MAX_ADVANCE));
        self.run_until(until, |w| w.in_flight == 0);
    }

    // ---- the event loop -----------------------------------------------------------------

    fn schedule(&mut self, at: Duration, ev: Event) {
        if matches!(ev, Event::Deliver { .. }) {
            self.in_flight += 1;
        }
        self.seq += 1;
        self.queue.push(at, self.seq, ev);
    }

    /// Proposes what members batched since the last event.
    fn flush_batches(&mut self) {
        while let Some(id) = self.batched.pop_first() {
            let env = self.env(id);
            let mut out = Outbox::default();
            if let Some(m) = self.member_mut(id) {
                m.process_ready(&env, &mut out);
            }
            self.handle_outbox(id, out);
        }
    }

    fn run_until(&mut self, deadline: Duration, done: impl Fn(&World) -> bool) {
        loop {
            self.flush_batches();
            if done(self) {
                return;
            }
            let Some(at) = self.queue.peek_time() else {
                break;
            };
            if at > deadline {
                break;
            }
            if let Some((at, ev)) = self.queue.pop() {
                self.now = self.now.max(at);
                self.process(ev);
            }
        }
        self.now = self.now.max(deadline);
    }

    fn process(&mut self, ev: Event) {
        match ev {
            Event::Tick => {
                let next = self.now + TICK;
                self.schedule(next, Event::Tick);
                let ids: Vec<u64> = self
                    .slots
                    .iter()
                    .filter(|s| s.member.is_some())
                    .map(|s| s.config.id)
                    .collect();
                for id in ids {
                    let env = self.env(id);
                    let mut out = Outbox::default();
                    if let Some(m) = self.member_mut(id) {
                        m.tick(&env, &mut out);
                    }
                    self.handle_outbox(id, out);
                }
            }
            Event::Deliver { msg, sent_at: _ } => {
                self.in_flight = self.in_flight.saturating_sub(1);
                let (from, to) = (msg.from, msg.to);
                let kind = msg.msg_type.name();
                let term = msg.term;
                if !self.is_running(to) || !self.connected(from, to) {
                    self.record(TraceKind::Dropped {
                        from,
                        to,
                        kind,
                        term,
                        reason: if self.is_running(to) {
                            "partition"
                        } else {
                            "stopped"
                        },
                    });
                    self.report_snapshot(&msg, true);
                    return;
                }
                self.record(TraceKind::Delivered {
                    from,
                    to,
                    kind,
                    term,
                });
                self.report_snapshot(&msg, false);
                let env = self.env(to);
                let mut out = Outbox::default();
                if let Some(m) = self.member_mut(to) {
                    m.step(msg, &env, &mut out);
                }
                self.handle_outbox(to, out);
            }
        }
    }

    fn report_snapshot(&mut self, msg: &Message, failed: bool) {
        if msg.msg_type != MessageType::Snap {
            return;
        }
        let (from, to) = (msg.from, msg.to);
        let env = self.env(from);
        let mut out = Outbox::default();
        if let Some(m) = self.member_mut(from) {
            m.node.report_snapshot(to, failed);
            m.process_ready(&env, &mut out);
        }
        self.handle_outbox(from, out);
    }

    /// What a member needs to handle ticks and messages.
    fn env(&self, _id: u64) -> Env {
        Env {
            now: self.now,
            unix_nanos: self.unix_nanos(),
            connected_since: BTreeMap::new(),
            trace: self.trace_enabled,
            random: 0,
        }
    }

    /// What a member needs to check a client request: also whom it is connected to.
    fn client_env(&self, id: u64) -> Env {
        let mut connected_since = BTreeMap::new();
        for s in &self.slots {
            if s.member.is_some() && self.connected(id, s.config.id) {
                let me = self
                    .slots
                    .iter()
                    .find(|x| x.config.id == id)
                    .map_or(Duration::ZERO, |x| x.up_since);
                let link = self.link_since(id, s.config.id);
                connected_since.insert(s.config.id, s.up_since.max(me).max(link));
            }
        }
        Env {
            now: self.now,
            unix_nanos: self.unix_nanos(),
            connected_since,
            trace: self.trace_enabled,
            random: 0,
        }
    }

    fn link_since(&self, a: u64, b: u64) -> Duration {
        let key = if a < b { (a, b) } else { (b, a) };
        self.link_up_since
            .get(&key)
            .copied()
            .unwrap_or(Duration::ZERO)
    }

    fn connected(&self, a: u64, b: u64) -> bool {
        self.net.connected(a, b)
    }

    fn handle_outbox(&mut self, from: u64, out: Outbox) {
        for (call, ans) in out.answers {
            self.answers.insert(call, ans);
        }
        for ev in out.events {
            match ev {
                MemberEvent::RoleChanged { role, term, .. } => {
                    let role = match role {
                        StateRole::Follower => Role::Follower,
                        StateRole::PreCandidate => Role::PreCandidate,
                        StateRole::Candidate => Role::Candidate,
                        StateRole::Leader => Role::Leader,
                    };
                    self.record(TraceKind::RoleChanged {
                        member: from,
                        role,
                        term,
                    });
                }
                MemberEvent::Appended { index, term } => self.record(TraceKind::Appended {
                    member: from,
                    index,
                    term,
                }),
                MemberEvent::Committed { index } => self.record(TraceKind::Committed {
                    member: from,
                    index,
                }),
                MemberEvent::Applied {
                    index,
                    term,
                    digest,
                } => {
                    if let Some(v) = self.applied_log.check(index, term, digest) {
                        self.safety_violations.push(format!(
                            "state machine safety: member {from:x} applied index {index} term {term}, another applied term {v}"
                        ));
                    }
                    if self.trace_enabled {
                        self.record(TraceKind::Applied {
                            member: from,
                            index,
                        });
                    }
                }
                MemberEvent::Removed => {
                    if let Some(slot) = self.slots.iter_mut().find(|s| s.config.id == from) {
                        slot.removed = true;
                        if let Some(m) = slot.member.take() {
                            slot.disk = Some(m.into_disk());
                        }
                    }
                    self.record(TraceKind::Crashed { member: from });
                }
            }
        }
        for msg in out.messages {
            self.send(msg);
        }
    }

    fn send(&mut self, msg: Message) {
        let (from, to) = (msg.from, msg.to);
        let kind = msg.msg_type.name();
        let term = msg.term;
        let loss = self.net.loss(from, to);
        if loss > 0 && self.rng.gen_range(0..100) < loss {
            self.record(TraceKind::Dropped {
                from,
                to,
                kind,
                term,
                reason: "loss",
            });
            self.report_snapshot(&msg, true);
            return;
        }
        if !self.connected(from, to) {
            self.record(TraceKind::Dropped {
                from,
                to,
                kind,
                term,
                reason: "partition",
            });
            self.report_snapshot(&msg, true);
            return;
        }
        let mut delay = self.net.latency(from, to);
        if !self.net.jitter.is_zero() {
            let j = self.rng.gen_range(0..=self.net.jitter.as_micros() as u64);
            delay += Duration::from_micros(j);
        }
        self.record(TraceKind::Sent {
            from,
            to,
            kind,
            term,
        });
        let at = self.now + delay;
        let sent_at = self.now;
        self.schedule(at, Event::Deliver { msg, sent_at });
    }

    fn record(&mut self, kind: TraceKind) {
        if !self.trace_enabled {
            return;
        }
        if self.trace.len() >= TRACE_CAP {
            self.trace.drain(..TRACE_CAP / 4);
        }
        self.trace.push(TraceEvent { at: self.now, kind });
    }

    // ---- playground controls ------------------------------------------------------------

    fn id_by_name(&self, name: &str) -> Result<u64, String> {
        self.slots
            .iter()
            .find(|s| s.config.name == name)
            .map(|s| s.config.id)
            .ok_or_else(|| {
                let names: Vec<&str> = self.slots.iter().map(|s| s.config.name.as_str()).collect();
                format!("unknown member \"{name}\" (members: {})", names.join(", "))
            })
    }

    fn control(&mut self, text: String) -> Result<String, String> {
        self.record(TraceKind::Control { text: text.clone() });
        Ok(text)
    }

    /// Crashes a member: its volatile state is lost, its disk kept.
    pub fn stop(&mut self, name: &str) -> Result<String, String> {
        let id = self.id_by_name(name)?;
        let slot = self
            .slots
            .iter_mut()
            .find(|s| s.config.id == id)
            .ok_or("no such member")?;
        let Some(m) = slot.member.take() else {
            return Err(format!("{name} is already stopped"));
        };
        slot.disk = Some(m.into_disk());
        self.record(TraceKind::Crashed { member: id });
        self.control(format!("stopped {name}"))
    }

    /// Restarts a stopped member from its disk; a name no member has yet starts the member
    /// that `member add` announced (see [`World::start_added`]).
    pub fn start(&mut self, name: &str) -> Result<String, String> {
        let id = match self.id_by_name(name) {
            Ok(id) => id,
            Err(e) => {
                return self
                    .start_added(name)
                    .map_err(|added| format!("{e}; {added}"))
            }
        };
        let i = self
            .slots
            .iter()
            .position(|s| s.config.id == id)
            .ok_or("no such member")?;
        let slot = self.slots.get(i).ok_or("no such member")?;
        if slot.member.is_some() {
            return Err(format!("{name} is already running"));
        }
        if slot.removed {
            return Err(format!(
                "{name} was removed from the cluster and cannot start"
            ));
        }
        self.boot(i);
        self.record(TraceKind::Restarted { member: id });
        self.control(format!("started {name}"))
    }

    /// Starts, as `name`, the member that `member add` put in the cluster and that no process
    /// plays yet, as etcd does with `--initial-cluster-state existing`: an empty disk, a client
    /// URL on the port below its peer URL's (peer :42380, client :42379). It learns the log (or
    /// a snapshot) from the leader, then publishes its name and client URL.
    pub fn start_added(&mut self, name: &str) -> Result<String, String> {
        if name.is_empty() || self.slots.iter().any(|s| s.config.name == name) {
            return Err(format!("a member is already called \"{name}\""));
        }
        let known = self
            .leader()
            .or_else(|| {
                self.slots
                    .iter()
                    .find(|s| s.member.is_some())
                    .map(|s| s.config.id)
            })
            .and_then(|id| self.member(id))
            .map(|m| m.cluster_members())
            .unwrap_or_default();
        let unstarted: Vec<ApiMember> = known
            .into_iter()
            .filter(|m| !self.slots.iter().any(|s| s.config.id == m.id))
            .collect();
        let m = match unstarted.as_slice() {
            [] => {
                return Err(
                    "no added member waits to start (add one first: etcdctl member add NAME --peer-urls=http://127.0.0.1:42380)"
                        .to_string(),
                )
            }
            [one] => one.clone(),
            _ => {
                return Err(format!(
                    "{} added members wait to start; start them one at a time after each has joined",
                    unstarted.len()
                ))
            }
        };
        self.boot_joining(&m, name)
    }

    /// Adds a slot for a member the cluster knows (from `member add`) and boots it with an
    /// empty disk: it catches up from the leader by log or snapshot.
    fn boot_joining(&mut self, m: &ApiMember, name: &str) -> Result<String, String> {
        let client_urls: Vec<String> = m
            .peer_urls
            .iter()
            .filter_map(|u| {
                let port = endpoint::loopback_port(u)?;
                Some(format!("http://127.0.0.1:{}", port.checked_sub(1)?))
            })
            .take(1)
            .collect();
        if client_urls.is_empty() {
            return Err(format!(
                "the added member's peer URL {:?} is not a 127.0.0.1 address the playground can play",
                m.peer_urls
            ));
        }
        if let Some(taken) = client_urls.first().and_then(|u| self.resolve_endpoint(u)) {
            return Err(format!(
                "client URL {} is already served by member {taken:x}",
                client_urls.join(",")
            ));
        }
        self.slots.push(Slot {
            config: MemberConfig {
                id: m.id,
                name: name.to_string(),
                peer_urls: m.peer_urls.clone(),
                client_urls: client_urls.clone(),
                cluster_id: self.cluster_id,
            },
            member: None,
            disk: Some(Box::new(MemoryDisk::new())),
            up_since: self.now,
            removed: false,
        });
        let i = self.slots.len() - 1;
        self.boot(i);
        self.record(TraceKind::Restarted { member: m.id });
        self.control(format!(
            "started {name} ({:x}, joining the existing cluster; clients: {})",
            m.id,
            client_urls.join(",")
        ))
    }

    /// Splits the members into groups that only reach each other; members not named form
    /// one more group.
    pub fn partition(&mut self, groups: &[Vec<String>]) -> Result<String, String> {
        let mut sets = Vec::new();
        let mut seen = BTreeSet::new();
        for g in groups {
            let mut set = BTreeSet::new();
            for name in g {
                let id = self.id_by_name(name)?;
                if !seen.insert(id) {
                    return Err(format!("{name} is named in more than one group"));
                }
                set.insert(id);
            }
            if !set.is_empty() {
                sets.push(set);
            }
        }
        let rest: BTreeSet<u64> = self
            .member_ids()
            .into_iter()
            .filter(|id| !seen.contains(id))
            .collect();
        if !rest.is_empty() {
            sets.push(rest);
        }
        if sets.len() < 2 {
            return Err("a partition needs at least two groups".to_string());
        }
        let text = sets
            .iter()
            .map(|g| {
                g.iter()
                    .filter_map(|id| self.member_name(*id))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" | ");
        self.set_partition(Some(sets));
        self.control(format!("partitioned: {text}"))
    }

    fn set_partition(&mut self, p: Option<Vec<BTreeSet<u64>>>) {
        self.change_net(|net| net.partition = p);
    }

    /// Changes which links are up, noting when each link that comes back came back.
    fn change_net(&mut self, change: impl FnOnce(&mut NetConfig)) {
        let ids = self.member_ids();
        let before: Vec<(u64, u64, bool)> = pairs(&ids)
            .into_iter()
            .map(|(a, b)| (a, b, self.connected(a, b)))
            .collect();
        change(&mut self.net);
        for (a, b, was) in before {
            if !was && self.connected(a, b) {
                self.link_up_since.insert((a, b), self.now);
            }
        }
    }

    /// Removes every partition and every cut link.
    pub fn heal(&mut self) -> Result<String, String> {
        self.change_net(|net| {
            net.partition = None;
            net.cut.clear();
        });
        self.control("network healed".to_string())
    }

    /// Cuts the link between two members (both directions); other links stay.
    pub fn cut_link(&mut self, a: &str, b: &str) -> Result<String, String> {
        let key = self.link_by_names(a, b)?;
        self.change_net(|net| {
            net.cut.insert(key);
        });
        self.control(format!("link {a} – {b} cut"))
    }

    /// Mends one cut link (a partition, if any, stays).
    pub fn heal_link(&mut self, a: &str, b: &str) -> Result<String, String> {
        let key = self.link_by_names(a, b)?;
        self.change_net(|net| {
            net.cut.remove(&key);
        });
        self.control(format!("link {a} – {b} healed"))
    }

    /// Drops this percentage of the messages between two members.
    pub fn set_link_loss(&mut self, a: &str, b: &str, pct: u32) -> Result<String, String> {
        let key = self.link_by_names(a, b)?;
        if pct > 100 {
            return Err(format!("loss must be between 0 and 100 percent, got {pct}"));
        }
        self.net.link_loss.insert(key, pct);
        self.control(format!("message loss between {a} and {b} set to {pct}%"))
    }

    fn link_by_names(&self, a: &str, b: &str) -> Result<(u64, u64), String> {
        let (ia, ib) = (self.id_by_name(a)?, self.id_by_name(b)?);
        if ia == ib {
            return Err(format!("a link needs two different members, got {a} twice"));
        }
        Ok(network::link(ia, ib))
    }

    /// Drops this percentage of messages.
    pub fn set_loss(&mut self, pct: u32) -> Result<String, String> {
        if pct > 100 {
            return Err(format!("loss must be between 0 and 100 percent, got {pct}"));
        }
        self.net.loss_pct = pct;
        self.net.link_loss.clear();
        self.control(format!("message loss set to {pct}%"))
    }

    /// Sets the one-way latency of every link.
    pub fn set_latency(&mut self, ms: u64) -> Result<String, String> {
        if ms > 60_000 {
            return Err(format!("latency must be between 0 and 60000 ms, got {ms}"));
        }
        self.net.latency = Duration::from_millis(ms);
        self.net.link_latency.clear();
        self.control(format!("latency set to {ms} ms"))
    }

    /// Sets the one-way latency of the link between two members (both directions).
    pub fn set_link_latency(&mut self, a: &str, b: &str, ms: u64) -> Result<String, String> {
        let key = self.link_by_names(a, b)?;
        if ms > 60_000 {
            return Err(format!("latency must be between 0 and 60000 ms, got {ms}"));
        }
        self.net.link_latency.insert(key, Duration::from_millis(ms));
        self.control(format!("latency between {a} and {b} set to {ms} ms"))
    }

    /// Adds up to `ms` of random extra delay per message (which reorders messages).
    pub fn set_jitter(&mut self, ms: u64) -> Result<String, String> {
        if ms > 60_000 {
            return Err(format!("jitter must be between 0 and 60000 ms, got {ms}"));
        }
        self.net.jitter = Duration::from_millis(ms);
        self.control(format!("jitter set to {ms} ms"))
    }

    /// Sets every member's snapshot interval (applied entries between snapshots).
    pub fn set_snapshot_count(&mut self, n: u64) {
        self.snapshot_count = n;
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.set_snapshot_count(n);
            }
        }
    }

    /// Sets every member's `--quota-backend-bytes` (0: etcd's default of 2 GiB; negative: no
    /// quota), as if the cluster had been started with it.
    pub fn set_quota_backend_bytes(&mut self, bytes: i64) {
        self.quota_backend_bytes = bytes;
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.set_quota_backend_bytes(bytes);
            }
        }
    }

    /// Every member's `--quota-backend-bytes`.
    pub fn quota_backend_bytes(&self) -> i64 {
        self.quota_backend_bytes
    }

    /// Every member's snapshot interval.
    pub fn snapshot_count(&self) -> u64 {
        self.snapshot_count
    }

    /// Whether a running member has applied a snapshot interval's worth of entries since its
    /// last snapshot (a bulk load holds snapshots back; see [`World::snapshot_if_due`]).
    pub fn snapshot_due(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .any(|m| m.snapshot_due())
    }

    /// Lets every running member whose snapshot is due take it now (as etcd snapshots in the
    /// background, instead of leaving it to whichever write comes next). Returns whether any did.
    pub fn snapshot_if_due(&mut self) -> bool {
        let mut any = false;
        while self.snapshot_one_if_due() {
            any = true;
        }
        any
    }

    /// Lets the first running member whose snapshot is due take it; returns whether one did.
    /// The page calls this when idle after a bulk load, one member per idle moment, so that
    /// it never stops answering for longer than one member's snapshot.
    pub fn snapshot_one_if_due(&mut self) -> bool {
        self.slots
            .iter_mut()
            .filter_map(|s| s.member.as_mut())
            .any(|m| m.snapshot_if_due())
    }

    /// Turns the event trace on or off (benchmarks turn it off).
    pub fn set_trace(&mut self, on: bool) {
        self.trace_enabled = on;
    }

    /// The network's current settings.
    pub fn net(&self) -> &NetConfig {
        &self.net
    }

    // ---- views --------------------------------------------------------------------------

    /// Every member as the UI draws it, in the order they joined the world (the initial
    /// members first, in ID order), so a picture keeps its places as members are added.
    pub fn member_views(&self) -> Vec<MemberView> {
        self.slots
            .iter()
            .map(|s| {
                view::member_view(&s.config, s.member.as_ref(), s.disk.as_deref(), &|e| {
                    self.entry_summary_cached(e)
                })
            })
            .collect()
    }

    /// [`entry_summary`] of a log entry, decoded once per (index, term): by Log Matching,
    /// entries with the same index and term are the same entry, on every member.
    fn entry_summary_cached(&self, e: &Entry) -> String {
        let key = (e.index, e.term);
        let Ok(mut cache) = self.summaries.try_borrow_mut() else {
            return entry_summary(e);
        };
        if let Some(s) = cache.get(&key) {
            return s.clone();
        }
        let s = entry_summary(e);
        cache.insert(key, s.clone());
        while cache.len() > SUMMARY_CACHE_CAP {
            cache.pop_first();
        }
        s
    }

    /// Messages on the wire.
    pub fn messages_in_flight(&self) -> Vec<MessageView> {
        self.queue
            .in_order()
            .into_iter()
            .filter_map(|(at, e)| match e {
                Event::Deliver { msg, sent_at } => Some(MessageView {
                    from: msg.from,
                    to: msg.to,
                    kind: msg.msg_type.name(),
                    term: msg.term,
                    sent_at: *sent_at,
                    deliver_at: at,
                }),
                Event::Tick => None,
            })
            .collect()
    }

    /// The event trace so far (the most recent [`TRACE_CAP`] events at most).
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// Violations of state machine safety seen so far (two members applying different
    /// entries at one index). Empty in a correct world.
    pub fn safety_violations(&self) -> &[String] {
        &self.safety_violations
    }
}

/// The world's pending events in (time, sequence) order: a binary heap, so that scheduling a
/// message costs no allocation.
#[derive(Default)]
struct EventQueue {
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Queued>>,
}

struct Queued {
    at: Duration,
    seq: u64,
    ev: Event,
}

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

impl EventQueue {
    fn push(&mut self, at: Duration, seq: u64, ev: Event) {
        self.heap.push(std::cmp::Reverse(Queued { at, seq, ev }));
    }

    fn pop(&mut self) -> Option<(Duration, Event)> {
        self.heap.pop().map(|std::cmp::Reverse(q)| (q.at, q.ev))
    }

    fn peek_time(&self) -> Option<Duration> {
        self.heap.peek().map(|std::cmp::Reverse(q)| q.at)
    }

    fn in_order(&self) -> Vec<(Duration, &Event)> {
        let mut v: Vec<&Queued> = self.heap.iter().map(|std::cmp::Reverse(q)| q).collect();
        v.sort_by_key(|q| (q.at, q.seq));
        v.into_iter().map(|q| (q.at, &q.ev)).collect()
    }
}

/// What was applied at each of the latest indexes, to compare members' applies.
#[derive(Default)]
struct AppliedLog {
    base: u64,
    entries: std::collections::VecDeque<(u64, u64)>,
}

impl AppliedLog {
    /// Records or compares the entry applied at `index`; returns the other term on mismatch.
    fn check(&mut self, index: u64, term: u64, digest: u64) -> Option<u64> {
        let end = self.base + self.entries.len() as u64;
        if index >= self.base && index < end {
            let (t, d) = self.entries.get((index - self.base) as usize).copied()?;
            return ((t, d) != (term, digest)).then_some(t);
        }
        if index != end || self.entries.is_empty() {
            // A gap (a snapshot skipped ahead of what was recorded): start again there.
            if index != end {
                self.entries.clear();
                self.base = index;
            }
        }
        self.entries.push_back((term, digest));
        if self.entries.len() > APPLIED_LOG_CAP {
            self.entries.pop_front();
            self.base += 1;
        }
        None
    }
}

fn pairs(ids: &[u64]) -> Vec<(u64, u64)> {
    let mut v = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in ids.iter().skip(i + 1) {
            v.push((*a.min(b), *a.max(b)));
        }
    }
    v
}

/// Summary of an entry for views.
pub fn entry_summary(e: &Entry) -> String {
    match e.entry_type {
        EntryType::ConfChange => match crate::server::payload::decode_conf_change(&e.data) {
            Some(cc) => format!("conf change {:?} {:x}", cc.change_type, cc.node_id),
            None => "conf change".to_string(),
        },
        EntryType::Normal if e.data.is_empty() => "(empty)".to_string(),
        EntryType::Normal => {
            Payload::decode(&e.data).map_or_else(|| "?".to_string(), |p| p.summary())
        }
    }
}

#[cfg(test)]
mod tests;
