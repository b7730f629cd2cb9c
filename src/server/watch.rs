//! A member's side of a client watch stream: etcd's checks when a stream opens (a learner
//! refuses every stream; the user needs read permission on the watched range), and the
//! member's fields in the header of each response.
//!
//! Owns: nothing of its own (the watchers live in the state machine). Must not touch: which
//! member a client's stream reaches (the world's), the watchers' events (mvcc's).

use super::member::Member;
use crate::api::{errors, CallError, RangeRequest, Request, WatchCreateRequest, WatchResponse};

impl Member {
    /// Opens a watcher on this member's state machine; its ID there.
    pub fn watch_create(
        &mut self,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<i64, CallError> {
        if self.is_learner() {
            return Err(CallError::Server(errors::not_supported_for_learner()));
        }
        let range = Request::Range(RangeRequest {
            key: req.key.clone(),
            range_end: req.range_end.clone(),
            ..Default::default()
        });
        self.sm.check_permission(auth_token, &range)?;
        Ok(self.sm.watch_create(req))
    }

    /// A watcher's responses since the last poll, with this member's header fields.
    pub fn watch_poll(&mut self, watcher: i64) -> Vec<WatchResponse> {
        let h = self.header();
        let mut v = self.sm.watch_poll(watcher);
        for r in &mut v {
            r.header.cluster_id = h.cluster_id;
            r.header.member_id = h.member_id;
            r.header.raft_term = h.raft_term;
        }
        v
    }

    /// Cancels a watcher.
    pub fn watch_cancel(&mut self, watcher: i64) {
        let _ = self.sm.watch_cancel(watcher);
    }
}
