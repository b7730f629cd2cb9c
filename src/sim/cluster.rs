//! The simulated world as a [`Cluster`]: what etcdctl and kubectl see of it. Each method
//! hands over to the world's client surface; letting time pass runs the world's event loop.
//!
//! Owns: the mapping of the trait onto [`World`] (a member answers at an endpoint only while
//! it runs). Must not touch: the world's state beyond its public client surface.

use std::time::Duration;

use super::World;
use crate::cluster::{CallId, Cluster, WatchId};
use crate::server::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};

impl Cluster for World {
    fn now(&self) -> Duration {
        World::now(self)
    }

    fn unix_nanos(&self) -> i64 {
        World::unix_nanos(self)
    }

    fn advance(&mut self, d: Duration) {
        World::advance(self, d)
    }

    fn run_until_idle(&mut self, limit: Duration) {
        World::run_until_idle(self, limit)
    }

    fn member_at(&self, endpoint: &str) -> Option<u64> {
        self.resolve_endpoint(endpoint)
            .filter(|id| self.is_running(*id))
    }

    fn member_count(&self) -> usize {
        self.member_ids().len()
    }

    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        World::call(self, endpoint, auth_token, req, timeout)
    }

    fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<CallId, CallError> {
        World::submit(self, endpoint, auth_token, req)
    }

    fn take_answer(&mut self, call: CallId) -> Option<Result<Response, CallError>> {
        World::take_answer(self, call)
    }

    fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError> {
        World::watch(self, endpoint, auth_token, req)
    }

    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse> {
        World::watch_poll(self, watch)
    }

    fn watch_cancel(&mut self, watch: WatchId) {
        World::watch_cancel(self, watch)
    }
}
