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

use super::api::{
    errors, AlarmAction, AlarmMember, AlarmResponse, AlarmType, EtcdError, Member as ApiMember,
    MemberAddResponse, MemberChangeResponse, MemberListResponse, Request, Response,
    ResponseHeader,
};
use super::apply::{ApplyContext, StateMachine};
use super::idutil::Generator;
use crate::raft::{ConfChange, ConfChangeType};

/// What one normal Raft entry carries (encoded into `Entry::data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A client request, with the ID the proposing member gave it and the auth token it came
    /// with.
    Request { id: u64, req: Request, auth_token: Option<String> },
    /// A member publishes its name and client URLs once it has joined (etcd's `publish`).
    Publish { member_id: u64, name: String, client_urls: Vec<String> },
    /// The leader sets the cluster version once every member has published.
    ClusterVersion(String),
}

impl Payload {
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
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
            d.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase()
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
        Request::Range(_) => Route::ReadIndex,
        Request::MemberList
        | Request::Status
        | Request::HashKv { .. }
        | Request::Defragment
        | Request::Snapshot => Route::Local,
        Request::Alarm { action: AlarmAction::Get, .. } => Route::Local,
        Request::LeaseKeepAlive { .. }
        | Request::LeaseTimeToLive { .. }
        | Request::LeaseLeases => Route::Leader,
        Request::MoveLeader { .. } => Route::Transfer,
        _ => Route::Propose,
    }
}

/// One member's applied state and identity.
#[derive(Debug)]
pub struct Member {
    pub config: MemberConfig,
    pub sm: StateMachine,
    /// The cluster as this member has applied it, by ID.
    members: BTreeMap<u64, ApiMember>,
    removed: BTreeSet<u64>,
    alarms: Vec<AlarmMember>,
    cluster_version: Option<String>,
    id_gen: Generator,
    /// Index of the last applied entry.
    pub applied: u64,
}

impl Member {
    pub fn new(config: MemberConfig, unix_nanos: i64) -> Self {
        let id_gen = Generator::new(config.id, unix_nanos);
        Member {
            config,
            sm: StateMachine::new(),
            members: BTreeMap::new(),
            removed: BTreeSet::new(),
            alarms: Vec::new(),
            cluster_version: None,
            id_gen,
            applied: 0,
        }
    }

    pub fn id(&self) -> u64 {
        self.config.id
    }

    /// The next request ID from etcd's generator.
    pub fn next_request_id(&mut self) -> u64 {
        self.id_gen.next_id()
    }

    /// Fills in what the member decides before proposing (etcd assigns lease IDs here).
    pub fn prepare(&mut self, req: &mut Request) {
        if let Request::LeaseGrant(g) = req {
            if g.id == 0 {
                g.id = self.id_gen.next_lease_id();
            }
        }
    }

    /// The header this member puts on an answer.
    pub fn header(&self, raft_term: u64) -> ResponseHeader {
        ResponseHeader {
            cluster_id: self.config.cluster_id,
            member_id: self.config.id,
            revision: self.sm.revision(),
            raft_term,
        }
    }

    /// The members as this member knows them, in ID order.
    pub fn cluster_members(&self) -> Vec<ApiMember> {
        self.members.values().cloned().collect()
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

    /// Checks a membership change before proposing it, with etcd's errors.
    pub fn validate_conf_change(
        &self,
        req: &Request,
        is_started: &dyn Fn(u64) -> bool,
        learner_in_sync: &dyn Fn(u64) -> bool,
    ) -> Result<(), EtcdError> {
        match req {
            Request::MemberAdd { peer_urls, .. } => {
                if peer_urls.is_empty() {
                    return Err(errors::member_bad_urls());
                }
                for m in self.members.values() {
                    if m.peer_urls.iter().any(|u| peer_urls.contains(u)) {
                        return Err(errors::peer_url_exist());
                    }
                }
                // etcd refuses to add a voter if the cluster would lose quorum with the
                // members that have not started yet.
                let voters: Vec<&ApiMember> =
                    self.members.values().filter(|m| !m.is_learner).collect();
                let started = voters.iter().filter(|m| is_started(m.id)).count();
                if !matches!(req, Request::MemberAdd { is_learner: true, .. }) {
                    let quorum_after = (voters.len() + 1) / 2 + 1;
                    if started < quorum_after {
                        return Err(errors::unhealthy());
                    }
                }
                Ok(())
            }
            Request::MemberRemove { id } | Request::MemberUpdate { id, .. } => {
                if !self.members.contains_key(id) {
                    return Err(errors::member_not_found());
                }
                if let Request::MemberRemove { id } = req {
                    let voters: Vec<&ApiMember> =
                        self.members.values().filter(|m| !m.is_learner).collect();
                    let is_voter = voters.iter().any(|m| m.id == *id);
                    if is_voter {
                        let started_after =
                            voters.iter().filter(|m| m.id != *id && is_started(m.id)).count();
                        let quorum_after = (voters.len() - 1) / 2 + 1;
                        if started_after < quorum_after {
                            return Err(errors::member_not_enough_started());
                        }
                    }
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
                if !learner_in_sync(*id) {
                    return Err(errors::learner_not_ready());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Applies a committed conf change (the Raft node has applied it to its configuration).
    pub fn apply_conf_change(
        &mut self,
        index: u64,
        cc: &ConfChange,
        raft_term: u64,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        let ctx: Option<ConfChangeContext> = postcard::from_bytes(&cc.context).ok();
        match cc.change_type {
            ConfChangeType::AddNode | ConfChangeType::AddLearnerNode => {
                if let Some(c) = ctx {
                    let mut m = c.member;
                    if cc.change_type == ConfChangeType::AddNode {
                        if let Some(old) = self.members.get(&m.id) {
                            // A promotion keeps name and client URLs.
                            let mut promoted = old.clone();
                            promoted.is_learner = false;
                            m = promoted;
                        }
                    }
                    self.members.insert(m.id, m.clone());
                    let added = m;
                    return Ok(Response::MemberAdd(MemberAddResponse {
                        header: self.header(raft_term),
                        member: added,
                        members: self.cluster_members(),
                    }));
                }
            }
            ConfChangeType::RemoveNode => {
                self.members.remove(&cc.node_id);
                self.removed.insert(cc.node_id);
            }
            ConfChangeType::UpdateNode => {
                if let (Some(c), Some(m)) = (ctx, self.members.get_mut(&cc.node_id)) {
                    m.peer_urls = c.member.peer_urls;
                }
            }
        }
        Ok(Response::MemberChange(MemberChangeResponse {
            header: self.header(raft_term),
            members: self.cluster_members(),
        }))
    }

    /// Applies one committed normal entry's payload. `raft_term` is the term the answer's
    /// header reports.
    pub fn apply_payload(
        &mut self,
        index: u64,
        payload: &Payload,
        raft_term: u64,
        ctx: &ApplyContext,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        match payload {
            Payload::Publish { member_id, name, client_urls } => {
                if let Some(m) = self.members.get_mut(member_id) {
                    m.name = name.clone();
                    m.client_urls = client_urls.clone();
                }
                Ok(Response::Header(self.header(raft_term)))
            }
            Payload::ClusterVersion(v) => {
                self.cluster_version = Some(v.clone());
                Ok(Response::Header(self.header(raft_term)))
            }
            Payload::Request { req, .. } => self.apply_request(req, raft_term, ctx),
        }
    }

    fn apply_request(
        &mut self,
        req: &Request,
        raft_term: u64,
        ctx: &ApplyContext,
    ) -> Result<Response, EtcdError> {
        match req {
            Request::Alarm { action, member_id, alarm } => {
                match action {
                    AlarmAction::Activate if *alarm != AlarmType::None => {
                        if !self.alarms.iter().any(|a| a.member_id == *member_id && a.alarm == *alarm)
                        {
                            self.alarms.push(AlarmMember { member_id: *member_id, alarm: *alarm });
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
                    header: self.header(raft_term),
                    alarms: self.alarms.clone(),
                }))
            }
            _ => {
                let resp = self.sm.apply(req, ctx)?;
                Ok(self.stamp(resp, raft_term))
            }
        }
    }

    /// Serves a request from local state (no consensus).
    pub fn read_local(
        &mut self,
        req: &Request,
        raft_term: u64,
        ctx: &ApplyContext,
    ) -> Result<Response, EtcdError> {
        match req {
            Request::MemberList => Ok(Response::MemberList(MemberListResponse {
                header: ResponseHeader { revision: 0, ..self.header(raft_term) },
                members: self.cluster_members(),
            })),
            Request::Alarm { .. } => Ok(Response::Alarm(AlarmResponse {
                header: self.header(raft_term),
                alarms: self.alarms.clone(),
            })),
            Request::Defragment => Ok(Response::Header(self.header(raft_term))),
            Request::LeaseKeepAlive { .. } => {
                let resp = self.sm.apply(req, ctx)?;
                Ok(self.stamp(resp, raft_term))
            }
            _ => {
                let resp = self.sm.read(req, ctx)?;
                Ok(self.stamp(resp, raft_term))
            }
        }
    }

    /// Puts the member's fields into a state machine answer's header (the state machine has
    /// filled `revision`).
    pub fn stamp(&self, mut resp: Response, raft_term: u64) -> Response {
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
