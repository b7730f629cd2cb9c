//! The apply side of one member: the state that committed Raft entries build, namely the
//! MVCC store, the lessor and the auth store (and the v2 store beside them).
//!
//! The member feeds committed requests here in log order; nothing here knows Raft, the
//! network or the clock (the time of an entry comes in through [`ApplyContext`]).
//! `revision` in response headers is filled here; `cluster_id`, `member_id` and `raft_term`
//! are the member's to fill.

use std::time::Duration;

use super::api::{errors, EtcdError, Request, Response};

/// What an apply may need to know about where and when it runs.
#[derive(Clone, Debug, Default)]
pub struct ApplyContext {
    /// The member applying the entry.
    pub member_id: u64,
    /// Simulated time at which the entry is applied.
    pub now: Duration,
}

/// One member's applied state.
#[derive(Debug, Default)]
pub struct StateMachine {
    /// The v2 store (owner: v2 engineer). The member feeds it the cluster events etcd records
    /// under `/0` through `v2.member_add`, `v2.publish_attributes`, `v2.set_cluster_version`,
    /// `v2.member_update` and `v2.member_remove` (see `crate::v2store` for what the member
    /// must do, including the SYNC proposals).
    pub v2: crate::v2store::ApplierV2,
}

impl StateMachine {
    pub fn new() -> Self {
        StateMachine::default()
    }

    /// Applies one committed request, in log order.
    pub fn apply(&mut self, _req: &Request, _ctx: &ApplyContext) -> Result<Response, EtcdError> {
        if let Request::V2(r) = _req {
            return Ok(Response::V2(self.v2.apply(r)));
        }
        Err(errors::not_capable())
    }

    /// Serves a read from local state, without consensus (serializable reads, and linearizable
    /// ones once ReadIndex has confirmed this member is up to date).
    pub fn read(&self, _req: &Request, _ctx: &ApplyContext) -> Result<Response, EtcdError> {
        if let Request::V2(r) = _req {
            return Ok(Response::V2(self.v2.read(r)));
        }
        Err(errors::not_capable())
    }

    /// The current revision of the MVCC store.
    pub fn revision(&self) -> i64 {
        1
    }
}
