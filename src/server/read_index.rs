//! Linearizable reads (etcd's `linearizableReadLoop`): a read waits at this member until the
//! leader confirmed a read index and the member applied up to it; a ReadIndex request that got
//! no answer is sent again.
//!
//! Owns: the reads waiting at this member. Must not touch: how the leader confirms the index
//! (Raft), the state machine's read itself.

use super::member::{Env, Member, Outbox};
use crate::api::{CallError, Request};

/// A client call waiting at this member.
#[derive(Clone, Debug)]
pub(super) struct PendingRead {
    pub(super) call: u64,
    pub(super) req: Request,
    /// The read index confirmed by the leader, once known.
    pub(super) index: Option<u64>,
    /// Tick at which the ReadIndex request was last sent.
    pub(super) sent_tick: u64,
}

impl Member {
    pub(super) fn retry_reads(&mut self) {
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

    pub(super) fn serve_reads(&mut self, env: &Env, out: &mut Outbox) {
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
}
