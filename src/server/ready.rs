//! The Ready loop (etcd's `raftNode`): the world ticks the member and hands it messages; the
//! member takes each `Ready` from its Raft node, persists what it asks (hard state, entries,
//! snapshot), sends its messages, applies its committed entries, then advances the node.
//!
//! Owns: the order of persist, send, apply, advance; role changes (lease promote/demote);
//! answering leader transfers. Must not touch: the network (messages go out through
//! [`Outbox`]), the clock (time comes in through [`Env`]).

use super::member::{Env, Member, MemberEvent, Outbox, ELECTION_TIMEOUT};
use crate::api::Response;
use crate::raft::{Message, StateRole};

impl Member {
    /// The transport's report on a snapshot this member sent to `to` (etcd's
    /// `ReportSnapshot`): the leader's progress of `to` leaves the snapshot state.
    pub fn report_snapshot(&mut self, to: u64, failed: bool, env: &Env, out: &mut Outbox) {
        self.node.report_snapshot(to, failed);
        self.process_ready(env, out);
    }

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
            // Proposals that waited for a leader go to the one now known.
            self.flush_queued();
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
        self.answer_refused(out);
        self.serve_reads(env, out);
        self.check_transfers(out);
    }

    pub(super) fn check_transfers(&mut self, out: &mut Outbox) {
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
}
