//! ReadIndex bookkeeping (etcd's `readOnly`, safe mode): read requests waiting for a quorum
//! of heartbeat acknowledgements that confirm the leader still leads at their commit index.

use std::collections::{BTreeMap, BTreeSet};

use super::message::Message;

/// A read that may be served once the node has applied `index`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadState {
    pub index: u64,
    pub request_ctx: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct ReadIndexStatus {
    pub req: Message,
    pub index: u64,
    pub acks: BTreeSet<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct ReadOnly {
    pending: BTreeMap<Vec<u8>, ReadIndexStatus>,
    queue: Vec<Vec<u8>>,
}

impl ReadOnly {
    pub fn add_request(&mut self, index: u64, m: Message) {
        let ctx = m.context.clone();
        if self.pending.contains_key(&ctx) {
            return;
        }
        self.pending.insert(ctx.clone(), ReadIndexStatus { req: m, index, acks: BTreeSet::new() });
        self.queue.push(ctx);
    }

    /// Records `id`'s acknowledgement of `ctx`; returns the acks so far.
    pub fn recv_ack(&mut self, id: u64, ctx: &[u8]) -> Option<&BTreeSet<u64>> {
        let rs = self.pending.get_mut(ctx)?;
        rs.acks.insert(id);
        Some(&rs.acks)
    }

    /// Removes and returns every request up to and including `ctx` (an ack for a later
    /// request confirms the earlier ones too).
    pub fn advance(&mut self, ctx: &[u8]) -> Vec<ReadIndexStatus> {
        let Some(pos) = self.queue.iter().position(|c| c.as_slice() == ctx) else { return Vec::new() };
        let done: Vec<Vec<u8>> = self.queue.drain(..=pos).collect();
        done.into_iter().filter_map(|c| self.pending.remove(&c)).collect()
    }

    pub fn last_pending_request_ctx(&self) -> Option<&[u8]> {
        self.queue.last().map(Vec::as_slice)
    }

    pub fn pending_count(&self) -> usize {
        self.queue.len()
    }
}
