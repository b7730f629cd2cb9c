//! The client surface of the world: what etcdctl and kubectl use. A request goes to the
//! member at an endpoint (`call` waits for its answer, `submit` does not); requests only the
//! leader serves are forwarded to it; watches are opened, polled and cancelled.
//!
//! Owns: call numbers, answers waiting to be taken, client watches. Must not touch: etcd's
//! rules for a request (the member's), the event loop's internals.

use std::time::Duration;

use rand::Rng;

use super::{World, MAX_ADVANCE};
use crate::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};
use crate::server::member::Outbox;
use crate::server::membership::is_member_change;
use crate::server::requests::served_by_leader;

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
pub(super) struct WatchState {
    pub(super) member: u64,
    pub(super) sm_id: i64,
}

impl World {
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
        if served_by_leader(&req) {
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

    /// The member's refusal of a request it cannot serve as a learner.
    fn learner_check(&self, id: u64, req: &Request) -> Result<(), CallError> {
        self.member(id).map_or(Ok(()), |m| m.check_learner(req))
    }

    /// Whether the member is a learner, as its own view of the membership says.
    pub fn is_learner(&self, id: u64) -> bool {
        self.member(id).is_some_and(|m| m.is_learner())
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
        if !self.is_running(id) || served_by_leader(&req) {
            return Err(CallError::Unreachable);
        }
        self.learner_check(id, &req)?;
        Ok(self.start_call(id, req, auth_token, true))
    }

    /// Hands a request to member `id` under a new call number; its answer arrives in
    /// `answers`. `batched`: proposals wait for the next batch flush instead of being
    /// processed at once.
    pub(super) fn start_call(
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
    pub(super) fn call_leader(
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
        let m = self.member_mut(id).ok_or(CallError::Unreachable)?;
        let sm_id = m.watch_create(auth_token, req)?;
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
        self.member_mut(member)
            .map_or_else(Vec::new, |m| m.watch_poll(sm_id))
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
                        delete: f.kind == crate::api::EventType::Delete,
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
                m.watch_cancel(w.sm_id);
            }
        }
    }
}
