//! Proposals, as etcd's server makes them: client requests batched and proposed together;
//! proposals made while no leader is known wait for one (or for their client to give up);
//! a proposal Raft refuses (a leader transfer in progress) is answered with etcd's
//! `raft proposal dropped`; and the proposals a member makes by itself (publishing its
//! attributes, the cluster version, the leader's lease revokes and v2 SYNC).
//!
//! A proposal is handed to Raft once and never again: if the network loses it on its way to
//! the leader, or a leader change overwrites its entry, its client times out and the write
//! never happens (etcd's server does not re-send proposals either).
//!
//! Owns: request IDs and what is waiting to be proposed. Must not touch: what a committed entry
//! does (apply), Raft rules.

use super::member::{Env, Member, Outbox};
use super::payload::Payload;
use crate::api::{CallError, Code, EtcdError, Request};
use crate::raft::{Entry, EntryType, RaftError};

/// What etcd answers when Raft drops a proposal (`raft.ErrProposalDropped`, which etcd's gRPC
/// layer passes on as it is).
fn proposal_dropped() -> CallError {
    CallError::Server(EtcdError::new(
        Code::Unknown,
        RaftError::ProposalDropped.to_string(),
    ))
}

impl Member {
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

    /// Proposes what waited for a leader, once one is known.
    pub(super) fn flush_queued(&mut self) {
        if self.node.raft.lead == 0 || self.queued.is_empty() {
            return;
        }
        for (call, e) in std::mem::take(&mut self.queued) {
            self.propose_entry(call, e);
        }
    }

    /// The client of `call` gave up (its deadline passed): nothing answers it any more, and
    /// what of it still waits to be proposed never will be (etcd's proposal ends with its
    /// context). A proposal already handed to Raft may still commit.
    pub fn abandon(&mut self, call: u64) {
        self.waiters.retain(|_, c| *c != call);
        self.queued.retain(|(c, _)| *c != call);
        self.batch.retain(|(c, _)| *c != call);
        self.reads.retain(|r| r.call != call);
        self.transfers.retain(|(c, _)| *c != call);
    }

    /// Answers the calls whose proposal Raft refused.
    pub(super) fn answer_refused(&mut self, out: &mut Outbox) {
        for call in std::mem::take(&mut self.refused) {
            self.waiters.retain(|_, c| *c != call);
            out.answers.push((call, Err(proposal_dropped())));
        }
    }

    /// Proposals a member makes by itself: publishing its attributes, the cluster version.
    pub(super) fn housekeeping(&mut self, env: &Env) {
        if self.node.raft.lead == 0 {
            return;
        }
        if self.is_leader() && self.ticks % 5 == 0 && self.sm.v2.has_ttl_keys() {
            // etcd's leader proposes a v2 SYNC every 500 ms while TTL keys exist.
            let rid = self.next_request_id();
            let req = Request::V2(crate::api::v2::V2Request::sync(env.unix_nanos));
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
            // etcd's publish is the member's first request: it takes the generator's next ID
            // (read here without taking it, so that the IDs this member hands out later stay
            // as they were)
            let p = Payload::Attributes {
                request_id: self.id_gen.clone().next_id(),
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
                let p = Payload::ClusterVersion(self.version.cluster().to_string());
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

    /// Hands one entry to Raft, or keeps it until a leader is known. A refused client
    /// proposal is answered with etcd's error; the member's own wait for the next tick.
    pub(super) fn propose_entry(&mut self, call: u64, e: Entry) {
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
            if call == 0 {
                self.queued.push((call, e));
            } else {
                self.refused.push(call);
            }
        }
    }

    /// Proposes the client requests batched since the last `process_ready` in one message.
    pub(super) fn flush_batch(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        if self.node.raft.lead == 0 {
            for (call, data) in batch {
                self.queued.push((
                    call,
                    Entry {
                        data,
                        ..Default::default()
                    },
                ));
            }
            return;
        }
        let (calls, datas): (Vec<u64>, Vec<_>) = batch.into_iter().unzip();
        if self.node.propose_batch(datas).is_err() {
            self.refused.extend(calls);
        }
    }

    /// Whether proposals wait in the batch (the world then calls `process_ready`).
    pub fn has_batch(&self) -> bool {
        !self.batch.is_empty()
    }
}
