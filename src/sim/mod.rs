//! The deterministic world: a virtual clock, one seeded RNG, a network between the members
//! (latency, loss, reordering, partitions) and members that crash and restart from their disk.
//!
//! Owns: time, randomness, message delivery, the event trace the UI animates, and the client
//! surface (`call`, `watch`) that etcdctl uses.
//! Must not touch: the DOM, wall-clock time, threads or I/O.
//!
//! FIRST LANDING (simplified internals): requests are applied in one global order to every
//! running member that can reach the leader, without Raft messages. The public API is final;
//! the Raft-driven internals replace this.

pub mod endpoint;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::server::api::{
    errors, CallError, Request, Response, WatchCreateRequest, WatchResponse,
};
use crate::server::apply::ApplyContext;
use crate::server::ids;
use crate::server::member::{route, Member, MemberConfig, Payload, Route};

pub use view::{LogEntryView, MemberView, MessageView, ProgressView, Role, TraceEvent, TraceKind};

/// The simulated wall clock at `now() == 0`: 2024-01-01T00:00:00Z.
pub const EPOCH_UNIX_NANOS: i64 = 1_704_067_200_000_000_000;

/// The cluster token of the recorded cluster.
pub const CLUSTER_TOKEN: &str = "etcd-cluster-1";

/// The default members: name, client URL, peer URL.
pub const DEFAULT_MEMBERS: [(&str, &str, &str); 3] = [
    ("infra1", "http://127.0.0.1:2379", "http://127.0.0.1:12380"),
    ("infra2", "http://127.0.0.1:22379", "http://127.0.0.1:22380"),
    ("infra3", "http://127.0.0.1:32379", "http://127.0.0.1:32380"),
];

/// One member's place in the world: its static config, whether it runs, and its state.
#[derive(Debug)]
struct Slot {
    config: MemberConfig,
    member: Option<Member>,
    /// Index into the world's log of what this member has applied (simplified engine).
    applied: usize,
    term: u64,
}

#[derive(Debug)]
struct WatchState {
    member: u64,
    #[allow(dead_code)]
    req: WatchCreateRequest,
    pending: Vec<WatchResponse>,
}

/// The network's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NetConfig {
    latency: Duration,
    loss_pct: u32,
    /// Groups that can talk among themselves; `None`: everyone reaches everyone.
    partition: Option<Vec<BTreeSet<u64>>>,
}

/// The deterministic world.
pub struct World {
    seed: u64,
    rng: ChaCha8Rng,
    now: Duration,
    slots: Vec<Slot>,
    cluster_id: u64,
    leader: Option<u64>,
    term: u64,
    /// Committed payloads (simplified engine).
    log: Vec<Payload>,
    net: NetConfig,
    trace: Vec<TraceEvent>,
    watches: BTreeMap<u64, WatchState>,
    next_watch: u64,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World").field("seed", &self.seed).field("now", &self.now).finish()
    }
}

impl World {
    /// The default cluster, ready: infra1 leader at term 2, v3 revision 1, up more than 5 s.
    pub fn new(seed: u64) -> World {
        let member_ids: Vec<u64> =
            DEFAULT_MEMBERS.iter().map(|(_, _, p)| ids::member_id(&[p], CLUSTER_TOKEN)).collect();
        let cluster_id = ids::cluster_id(&member_ids);
        let slots: Vec<Slot> = DEFAULT_MEMBERS
            .iter()
            .zip(&member_ids)
            .map(|((name, client, peer), id)| Slot {
                config: MemberConfig {
                    id: *id,
                    name: name.to_string(),
                    peer_urls: vec![peer.to_string()],
                    client_urls: vec![client.to_string()],
                    cluster_id,
                },
                member: None,
                applied: 0,
                term: 2,
            })
            .collect();
        let mut w = World {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            now: Duration::ZERO,
            slots,
            cluster_id,
            leader: Some(member_ids[0]),
            term: 2,
            log: Vec::new(),
            net: NetConfig { latency: Duration::from_millis(1), loss_pct: 0, partition: None },
            trace: Vec::new(),
            watches: BTreeMap::new(),
            next_watch: 1,
        };
        for i in 0..w.slots.len() {
            w.boot(i);
        }
        w.now = Duration::from_millis(5_500);
        w
    }

    fn boot(&mut self, i: usize) {
        let unix = EPOCH_UNIX_NANOS + self.now.as_nanos() as i64;
        let Some(slot) = self.slots.get_mut(i) else { return };
        let mut m = Member::new(slot.config.clone(), unix);
        // Bootstrap membership: every initial member, as the initial conf changes add them.
        let all: Vec<MemberConfig> = self.slots.iter().map(|s| s.config.clone()).collect();
        for (k, c) in all.iter().enumerate() {
            let cc = crate::raft::ConfChange {
                change_type: crate::raft::ConfChangeType::AddNode,
                node_id: c.id,
                context: postcard::to_allocvec(&crate::server::member::ConfChangeContext {
                    member: crate::server::api::Member {
                        id: c.id,
                        name: c.name.clone(),
                        peer_urls: c.peer_urls.clone(),
                        client_urls: c.client_urls.clone(),
                        is_learner: false,
                    },
                    request_id: 0,
                })
                .unwrap_or_default(),
            };
            let _ = m.apply_conf_change(k as u64 + 1, &cc, 1);
        }
        let Some(slot) = self.slots.get_mut(i) else { return };
        slot.member = Some(m);
        slot.applied = 0;
        self.catch_up(i);
    }

    fn ctx(&self, member_id: u64) -> ApplyContext {
        ApplyContext { member_id, now: self.now, ..Default::default() }
    }

    fn catch_up(&mut self, i: usize) {
        let now = self.now;
        let term = self.term;
        let Some(slot) = self.slots.get_mut(i) else { return };
        let id = slot.config.id;
        let Some(m) = slot.member.as_mut() else { return };
        while let Some(p) = self.log.get(slot.applied) {
            let ctx = ApplyContext { member_id: id, now, ..Default::default() };
            let _ = m.apply_payload(slot.applied as u64 + 1, p, term, &ctx);
            slot.applied += 1;
        }
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
            .find(|s| s.config.client_urls.iter().any(|u| endpoint::loopback_port(u) == Some(port)))
            .map(|s| s.config.id)
    }

    /// All member IDs, in ID order.
    pub fn member_ids(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.slots.iter().map(|s| s.config.id).collect();
        v.sort_unstable();
        v
    }

    /// The member's name.
    pub fn member_name(&self, id: u64) -> Option<&str> {
        self.slots.iter().find(|s| s.config.id == id).map(|s| s.config.name.as_str())
    }

    /// The current leader as the world sees it (a running member that believes it leads).
    pub fn leader(&self) -> Option<u64> {
        self.leader
    }

    fn slot_index(&self, id: u64) -> Option<usize> {
        self.slots.iter().position(|s| s.config.id == id)
    }

    fn running(&self, id: u64) -> bool {
        self.slot_index(id).and_then(|i| self.slots.get(i)).is_some_and(|s| s.member.is_some())
    }

    fn connected(&self, a: u64, b: u64) -> bool {
        match &self.net.partition {
            None => true,
            Some(groups) => groups.iter().any(|g| g.contains(&a) && g.contains(&b)),
        }
    }

    /// Whether `from` can get a request committed: a leader it reaches that reaches a quorum.
    fn quorum_via(&self, from: u64) -> Option<u64> {
        let leader = self.leader?;
        if !self.running(leader) || !self.connected(from, leader) {
            return None;
        }
        let reach =
            self.slots.iter().filter(|s| s.member.is_some() && self.connected(leader, s.config.id)).count();
        (reach * 2 > self.slots.len()).then_some(leader)
    }

    /// Sends one request to the member at `endpoint` and runs the world until it answers or
    /// `timeout` of simulated time passes.
    pub fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        mut req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        let id = self.resolve_endpoint(endpoint).ok_or(CallError::Unreachable)?;
        let i = self.slot_index(id).ok_or(CallError::Unreachable)?;
        if !self.running(id) {
            return Err(CallError::Unreachable);
        }
        let ctx = self.ctx(id);
        let term = self.term;
        let rt = self.net.latency * 2;
        match route(&req) {
            Route::Local => {
                self.advance(rt);
                if let Some(r) = self.local_status(id, &req) {
                    return r;
                }
                let m = self.slots.get_mut(i).and_then(|s| s.member.as_mut()).ok_or(CallError::Unreachable)?;
                return m.read_local(&req, term, &ctx).map_err(CallError::from);
            }
            Route::ReadIndex => {
                if self.quorum_via(id).is_none() {
                    self.advance(timeout);
                    return Err(CallError::DeadlineExceeded);
                }
                self.advance(rt);
                let m = self.slots.get_mut(i).and_then(|s| s.member.as_mut()).ok_or(CallError::Unreachable)?;
                return m.read_local(&req, term, &ctx).map_err(CallError::from);
            }
            Route::Leader => {
                let Some(leader) = self.quorum_via(id) else {
                    self.advance(timeout);
                    return Err(CallError::DeadlineExceeded);
                };
                self.advance(rt);
                let li = self.slot_index(leader).ok_or(CallError::Unreachable)?;
                let lctx = self.ctx(leader);
                let lm = self.slots.get_mut(li).and_then(|s| s.member.as_mut()).ok_or(CallError::Unreachable)?;
                let resp = lm.read_local(&req, term, &lctx)?;
                let m = self.slots.get(i).and_then(|s| s.member.as_ref()).ok_or(CallError::Unreachable)?;
                return Ok(m.stamp(resp, term));
            }
            Route::Transfer => {
                let Request::MoveLeader { target_id } = req else { return Err(CallError::Unreachable) };
                if self.leader != Some(id) {
                    return Err(errors::not_leader().into());
                }
                let m = self.slots.get(i).and_then(|s| s.member.as_ref()).ok_or(CallError::Unreachable)?;
                let ok = m.cluster_members().iter().any(|x| x.id == target_id && !x.is_learner);
                if !ok {
                    return Err(errors::bad_leader_transferee().into());
                }
                if !self.running(target_id) || !self.connected(id, target_id) {
                    self.advance(timeout);
                    return Err(CallError::DeadlineExceeded);
                }
                self.advance(rt);
                self.term += 1;
                self.leader = Some(target_id);
                for s in &mut self.slots {
                    if s.member.is_some() {
                        s.term = self.term;
                    }
                }
                let m = self.slots.get(i).and_then(|s| s.member.as_ref()).ok_or(CallError::Unreachable)?;
                return Ok(Response::Header(m.header(self.term)));
            }
            Route::Propose => {}
        }
        // Proposal.
        if matches!(
            req,
            Request::MemberAdd { .. } | Request::MemberRemove { .. } | Request::MemberUpdate { .. } | Request::MemberPromote { .. }
        ) {
            return self.member_change(i, id, req, timeout);
        }
        let Some(_leader) = self.quorum_via(id) else {
            self.advance(timeout);
            return Err(CallError::DeadlineExceeded);
        };
        let m = self.slots.get_mut(i).and_then(|s| s.member.as_mut()).ok_or(CallError::Unreachable)?;
        m.prepare(&mut req);
        let rid = m.next_request_id();
        self.log.push(Payload::Request { id: rid, req, auth_token: auth_token.map(str::to_string) });
        self.advance(rt);
        let index = self.log.len();
        let mut answer = None;
        for k in 0..self.slots.len() {
            let sid = self.slots.get(k).map(|s| s.config.id).unwrap_or(0);
            if !self.running(sid) || !self.leader.is_some_and(|l| self.connected(l, sid)) {
                continue;
            }
            let ctx = self.ctx(sid);
            let now_term = self.term;
            let Some(slot) = self.slots.get_mut(k) else { continue };
            let Some(m) = slot.member.as_mut() else { continue };
            while let Some(p) = self.log.get(slot.applied) {
                let r = m.apply_payload(slot.applied as u64 + 1, p, now_term, &ctx);
                slot.applied += 1;
                if sid == id && slot.applied == index {
                    answer = Some(r);
                }
            }
        }
        answer.unwrap_or(Err(errors::timeout())).map_err(CallError::from)
    }

    fn member_change(&mut self, i: usize, id: u64, req: Request, timeout: Duration) -> Result<Response, CallError> {
        let Some(_leader) = self.quorum_via(id) else {
            self.advance(timeout);
            return Err(CallError::DeadlineExceeded);
        };
        let now = self.now;
        let running: BTreeSet<u64> = self.slots.iter().filter(|s| s.member.is_some()).map(|s| s.config.id).collect();
        let started = move |mid: u64| running.contains(&mid) && now >= Duration::from_secs(5);
        let new_id: u64 = self.rng.gen();
        let term = self.term;
        let m = self.slots.get_mut(i).and_then(|s| s.member.as_mut()).ok_or(CallError::Unreachable)?;
        m.validate_conf_change(&req, &started, &|_| false)?;
        use crate::raft::{ConfChange, ConfChangeType};
        use crate::server::api::Member as ApiMember;
        let members = m.cluster_members();
        let (change_type, node_id, member) = match &req {
            Request::MemberAdd { peer_urls, is_learner } => (
                if *is_learner { ConfChangeType::AddLearnerNode } else { ConfChangeType::AddNode },
                new_id,
                ApiMember { id: new_id, name: String::new(), peer_urls: peer_urls.clone(), client_urls: vec![], is_learner: *is_learner },
            ),
            Request::MemberRemove { id } => (ConfChangeType::RemoveNode, *id, ApiMember { id: *id, ..Default::default() }),
            Request::MemberUpdate { id, peer_urls } => (
                ConfChangeType::UpdateNode,
                *id,
                ApiMember { id: *id, peer_urls: peer_urls.clone(), ..Default::default() },
            ),
            Request::MemberPromote { id } => {
                let mut mm = members.iter().find(|x| x.id == *id).cloned().unwrap_or_default();
                mm.is_learner = false;
                (ConfChangeType::AddNode, *id, mm)
            }
            _ => return Err(CallError::Unreachable),
        };
        let cc = ConfChange {
            change_type,
            node_id,
            context: postcard::to_allocvec(&crate::server::member::ConfChangeContext { member, request_id: 0 }).unwrap_or_default(),
        };
        self.advance(self.net.latency * 2);
        let mut answer = None;
        for slot in &mut self.slots {
            if let Some(m) = slot.member.as_mut() {
                let r = m.apply_conf_change(0, &cc, term);
                if slot.config.id == id {
                    answer = Some(r);
                }
            }
        }
        let mut resp = answer.unwrap_or(Err(errors::timeout()))?;
        if let (Response::MemberChange(_), true) = (&resp, matches!(req, Request::MemberAdd { .. })) {
            // not reached: adds answer MemberAdd
        }
        if let Response::MemberAdd(a) = &mut resp {
            a.member.id = node_id;
        }
        Ok(resp)
    }

    fn local_status(&self, id: u64, req: &Request) -> Option<Result<Response, CallError>> {
        if !matches!(req, Request::Status) {
            return None;
        }
        let slot = self.slots.iter().find(|s| s.config.id == id)?;
        let m = slot.member.as_ref()?;
        let header = m.header(slot.term);
        let index = self.log.len() as u64 + 8;
        Some(Ok(Response::Status(crate::server::api::StatusResponse {
            header,
            version: "3.4.23".to_string(),
            db_size: 20480,
            leader: self.leader.unwrap_or(0),
            raft_index: index,
            raft_term: slot.term,
            raft_applied_index: index,
            errors: vec![],
            db_size_in_use: 16384,
            is_learner: false,
        })))
    }

    /// Opens a watch on the member at `endpoint`; its responses are collected by `watch_poll`.
    pub fn watch(
        &mut self,
        endpoint: &str,
        _auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<u64, CallError> {
        let id = self.resolve_endpoint(endpoint).ok_or(CallError::Unreachable)?;
        if !self.running(id) {
            return Err(CallError::Unreachable);
        }
        let wid = self.next_watch;
        self.next_watch += 1;
        let header = self.slots.iter().find(|s| s.config.id == id).and_then(|s| s.member.as_ref()).map(|m| m.header(self.term)).unwrap_or_default();
        let created = WatchResponse { header, watch_id: 0, created: true, ..Default::default() };
        self.watches.insert(wid, WatchState { member: id, req, pending: vec![created] });
        Ok(wid)
    }

    /// The responses of a watch since the last poll.
    pub fn watch_poll(&mut self, watch: u64) -> Vec<WatchResponse> {
        self.watches.get_mut(&watch).map(|w| std::mem::take(&mut w.pending)).unwrap_or_default()
    }

    /// Cancels a watch.
    pub fn watch_cancel(&mut self, watch: u64) {
        self.watches.remove(&watch);
    }

    /// Runs the world for `d` of simulated time.
    pub fn advance(&mut self, d: Duration) {
        self.now += d;
        let _ = self.watches.values().map(|w| w.member).count();
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

    fn log_control(&mut self, text: String) -> Result<String, String> {
        self.trace.push(TraceEvent { at: self.now, kind: TraceKind::Control { text: text.clone() } });
        Ok(text)
    }

    /// Crashes a member: its volatile state is lost, its disk kept.
    pub fn stop(&mut self, name: &str) -> Result<String, String> {
        let id = self.id_by_name(name)?;
        let i = self.slot_index(id).ok_or("no such member")?;
        let slot = self.slots.get_mut(i).ok_or("no such member")?;
        if slot.member.take().is_none() {
            return Err(format!("{name} is already stopped"));
        }
        self.trace.push(TraceEvent { at: self.now, kind: TraceKind::Crashed { member: id } });
        if self.leader == Some(id) {
            // Simplified engine: the lowest running ID takes over at the next term.
            self.term += 1;
            self.leader = self.slots.iter().find(|s| s.member.is_some()).map(|s| s.config.id);
            for s in &mut self.slots {
                if s.member.is_some() {
                    s.term = self.term;
                }
            }
            self.advance(Duration::from_millis(1100));
        }
        self.log_control(format!("stopped {name}"))
    }

    /// Restarts a stopped member from its disk.
    pub fn start(&mut self, name: &str) -> Result<String, String> {
        let id = self.id_by_name(name)?;
        let i = self.slot_index(id).ok_or("no such member")?;
        if self.slots.get(i).is_some_and(|s| s.member.is_some()) {
            return Err(format!("{name} is already running"));
        }
        self.boot(i);
        if let Some(s) = self.slots.get_mut(i) {
            s.term = self.term;
        }
        if self.leader.map_or(true, |l| !self.running(l)) {
            self.leader = Some(id);
        }
        self.trace.push(TraceEvent { at: self.now, kind: TraceKind::Restarted { member: id } });
        self.log_control(format!("started {name}"))
    }

    /// Splits the members into groups that only reach each other.
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
        // Members not named form their own group.
        let rest: BTreeSet<u64> = self.member_ids().into_iter().filter(|id| !seen.contains(id)).collect();
        if !rest.is_empty() {
            sets.push(rest);
        }
        if sets.len() < 2 {
            return Err("a partition needs at least two groups".to_string());
        }
        let text = sets
            .iter()
            .map(|g| g.iter().filter_map(|id| self.member_name(*id)).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" | ");
        self.net.partition = Some(sets);
        self.log_control(format!("partitioned: {text}"))
    }

    /// Removes every partition.
    pub fn heal(&mut self) -> Result<String, String> {
        self.net.partition = None;
        for i in 0..self.slots.len() {
            self.catch_up(i);
        }
        self.log_control("network healed".to_string())
    }

    /// Drops this percentage of messages.
    pub fn set_loss(&mut self, pct: u32) -> Result<String, String> {
        if pct > 100 {
            return Err(format!("loss must be between 0 and 100 percent, got {pct}"));
        }
        self.net.loss_pct = pct;
        self.log_control(format!("message loss set to {pct}%"))
    }

    /// Sets the one-way latency of every link.
    pub fn set_latency(&mut self, ms: u64) -> Result<String, String> {
        if ms > 60_000 {
            return Err(format!("latency must be at most 60000 ms, got {ms}"));
        }
        self.net.latency = Duration::from_millis(ms);
        self.log_control(format!("latency set to {ms} ms"))
    }

    // ---- views --------------------------------------------------------------------------

    /// Every member as the UI draws it, in ID order.
    pub fn member_views(&self) -> Vec<MemberView> {
        let mut v: Vec<MemberView> = self
            .slots
            .iter()
            .map(|s| MemberView {
                id: s.config.id,
                name: s.config.name.clone(),
                running: s.member.is_some(),
                role: if self.leader == Some(s.config.id) { Role::Leader } else { Role::Follower },
                term: s.term,
                vote: 0,
                leader: self.leader.unwrap_or(0),
                commit: s.applied as u64,
                applied: s.applied as u64,
                first_index: 1,
                last_index: self.log.len() as u64,
                log: self
                    .log
                    .iter()
                    .enumerate()
                    .map(|(k, p)| LogEntryView { index: k as u64 + 1, term: self.term, summary: p.summary() })
                    .collect(),
                progress: vec![],
                election_elapsed: 0,
                election_timeout: 10,
                is_learner: false,
            })
            .collect();
        v.sort_by_key(|m| m.id);
        v
    }

    /// Messages on the wire.
    pub fn messages_in_flight(&self) -> Vec<MessageView> {
        Vec::new()
    }

    /// The event trace so far.
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }
}

#[cfg(test)]
mod tests;
