//! Proposals: client requests batched and proposed together, proposals queued while no
//! leader is known, re-proposed when the leader changes (duplicates are dropped at apply by
//! request ID), and the proposals a member makes by itself (publishing its attributes, the
//! cluster version, the leader's lease revokes and v2 SYNC).
//!
//! Owns: request IDs and what is waiting to be proposed. Must not touch: what a committed entry
//! does (apply), Raft rules.

use super::api::Request;
use super::member::{Env, Member};
use super::payload::Payload;
use crate::raft::{Entry, EntryData, EntryType};

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

    pub(super) fn flush_queued(&mut self) {
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

    /// Proposals a member makes by itself: publishing its attributes, the cluster version.
    pub(super) fn housekeeping(&mut self, env: &Env) {
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
            self.queued.push((call, e));
        }
    }

    pub(super) fn flush_batch(&mut self) {
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
    pub(super) fn repropose_on_new_leader(&mut self) {
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
}
