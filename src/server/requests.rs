//! A client request arriving at a member: etcd's checks before it is served or proposed
//! (validation, permissions), where it is served ([`route`]: local state, after a ReadIndex,
//! through the log, on the leader, by a leader transfer), and the answers served from local
//! state.
//!
//! Owns: routing and admission. Must not touch: the network (forwarding to the leader is the
//! world's), what a committed entry does.

use super::apply::StateMachine;
use super::member::{Env, Member, Outbox};
use super::membership::is_member_change;
use super::payload::{encode_conf_change, ConfChangeContext, Payload};
use super::quota::alarm_text;
use super::read_index::PendingRead;
use crate::api::wire_size::{internal_raft_request_len, MAX_REQUEST_BYTES};
use crate::api::{
    errors, AlarmAction, AlarmResponse, AuthRequest, CallError, EtcdError, MemberListResponse,
    Request, Response, ResponseHeader, SnapshotResponse, StatusResponse,
};
use crate::raft::{Entry, EntryType};

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

/// Whether only the leader serves `req` (the world forwards it there, as etcd's members do
/// over HTTP).
pub fn served_by_leader(req: &Request) -> bool {
    route(req) == Route::Leader
}

impl Member {
    /// Whether this member is a learner, as its own view of the membership says.
    pub fn is_learner(&self) -> bool {
        self.members
            .get(&self.config.id)
            .is_some_and(|m| m.is_learner)
    }

    /// A learner serves only serializable reads and status (etcd 3.4's
    /// `isRPCSupportedForLearner`); anything else is refused.
    pub fn check_learner(&self, req: &Request) -> Result<(), CallError> {
        let supported = match req {
            Request::Range(r) => r.serializable,
            Request::Status => true,
            _ => false,
        };
        if self.is_learner() && !supported {
            return Err(CallError::Server(errors::not_supported_for_learner()));
        }
        Ok(())
    }

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
                if self.version.is_3_5() && self.updates_v2_dir(&req) {
                    // etcd 3.5.1's v2 server answers it with HTTP 500 ("Not a file")
                    let e = crate::api::EtcdError::new(crate::api::Code::Internal, "Not a file");
                    out.answers.push((call, Err(e.into())));
                    self.process_ready(env, out);
                    return;
                }
                if let Err(e) = self.check_quota(&req) {
                    out.answers.push((call, Err(e.into())));
                    self.process_ready(env, out);
                    return;
                }
                self.prepare(&mut req, env);
                let rid = self.next_request_id();
                // etcd marshals the request with its ID and refuses one over
                // --max-request-bytes before proposing it.
                if !matches!(req, Request::V2(_))
                    && internal_raft_request_len(&req, rid) > MAX_REQUEST_BYTES
                {
                    out.answers
                        .push((call, Err(errors::request_too_large().into())));
                    self.process_ready(env, out);
                    return;
                }
                // The password itself never enters the log (its hash does).
                let req = match req {
                    Request::Auth(a) => Request::Auth(self.sm.auth.seal(a)),
                    req => req,
                };
                let p = Payload::Request {
                    id: rid,
                    req,
                    auth_token: auth_token.map(str::to_string),
                };
                self.waiters.insert(rid, call);
                // Batched: proposed with the others at the next `process_ready`.
                self.batch.push((call, p.encode().into()));
            }
        }
    }

    /// Whether `req` is a v2 `updatedir` of a directory that exists (`PUT dir=true
    /// prevExist=true`), which etcd 3.5.1 fails.
    fn updates_v2_dir(&self, req: &Request) -> bool {
        let Request::V2(r) = req else { return false };
        let crate::api::v2::V2Op::Keys(k) = &r.op else {
            return false;
        };
        k.method == crate::api::v2::Method::Put
            && k.dir
            && k.prev_exist == Some(true)
            && self.sm.v2.peek(&k.path) == Some(None)
    }

    /// etcd's checks before a request is served or proposed: validation, then permissions
    /// (with the password check of `Authenticate`).
    pub(super) fn admit(
        &mut self,
        req: &Request,
        auth_token: Option<&str>,
    ) -> Result<(), EtcdError> {
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
            Request::Defragment => {
                self.sm.kv.defrag();
                self.take_snapshot();
                Ok(Response::Header(self.header()))
            }
            Request::Snapshot => Ok(Response::Snapshot(SnapshotResponse {
                header: self.header(),
                blob: self.backend_file(),
            })),
            Request::Status => {
                let r = &self.node.raft;
                // etcd's status lists "no leader" and the alarms.
                let mut errs = Vec::new();
                if r.lead == 0 {
                    errs.push(errors::no_leader().message);
                }
                errs.extend(self.alarms.iter().map(alarm_text));
                Ok(Response::Status(StatusResponse {
                    header: self.header(),
                    version: self.version.full().to_string(),
                    db_size: self.sm.kv.db_size(),
                    leader: r.lead,
                    raft_index: r.raft_log.committed,
                    raft_term: r.term,
                    raft_applied_index: self.applied,
                    errors: errs,
                    db_size_in_use: self.sm.kv.db_size_in_use(),
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
}
