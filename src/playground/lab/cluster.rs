//! The lab's etcd as a client on the node sees it: the world behind the member's listeners.
//! An endpoint reaches the member only at an address it listens on (`--listen-client-urls`:
//! `127.0.0.1` and the node's address), and only through a TLS handshake that works
//! ([`tls::handshake`](super::tls::handshake)); anything else looks like nothing answering,
//! which etcdctl turns into its `context deadline exceeded` after the command timeout.
//!
//! Owns: [`LabCluster`]. Must not touch: the world's rules, etcdctl's texts.

use std::time::Duration;

use super::tls::{handshake, ServerTls};
use crate::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};
use crate::cluster::{CallId, ClientTls, Cluster, RestoreSpec, RestoredDir, WatchId};
use crate::sim::World;

/// The member's client listeners: its URLs and what TLS they require.
#[derive(Clone, Debug, Default)]
pub struct Listeners {
    pub urls: Vec<String>,
    pub tls: Option<ServerTls>,
}

/// The world as seen through the member's listeners, with one client's TLS settings.
pub struct LabCluster<'a> {
    pub world: &'a mut World,
    pub listeners: Listeners,
    pub client: ClientTls,
}

/// Splits an endpoint into (scheme, host, port).
fn parts(endpoint: &str) -> (Option<&str>, &str, &str) {
    let e = endpoint.trim();
    let (scheme, rest) = match e.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, e),
    };
    let hp = rest.split('/').next().unwrap_or(rest);
    let (host, port) = hp.rsplit_once(':').unwrap_or((hp, ""));
    (scheme, host, port)
}

fn same_host(a: &str, b: &str) -> bool {
    let norm = |h: &str| {
        if h == "localhost" {
            "127.0.0.1".to_string()
        } else {
            h.to_string()
        }
    };
    norm(a) == norm(b)
}

impl LabCluster<'_> {
    /// The world's endpoint for a client endpoint, if a listener takes it and the handshake
    /// works.
    fn route(&self, endpoint: &str) -> Option<String> {
        let (scheme, host, port) = parts(endpoint);
        let tls = match scheme {
            Some("https") => true,
            Some("http") => false,
            Some(_) => return None,
            None => self.client.secure_default,
        };
        let listener = self.listeners.urls.iter().find(|u| {
            let (_, h, p) = parts(u);
            p == port && (same_host(h, host) || h == "0.0.0.0")
        })?;
        let secure = parts(listener).0 == Some("https");
        let server = if secure {
            Some(self.listeners.tls.clone().unwrap_or_default())
        } else {
            None
        };
        if !handshake(&self.client, tls, server.as_ref()) {
            return None;
        }
        Some(format!("127.0.0.1:{port}"))
    }
}

impl Cluster for LabCluster<'_> {
    fn now(&self) -> Duration {
        self.world.now()
    }
    fn unix_nanos(&self) -> i64 {
        self.world.unix_nanos()
    }
    fn advance(&mut self, d: Duration) {
        self.world.advance(d)
    }
    fn run_until_idle(&mut self, limit: Duration) {
        self.world.run_until_idle(limit)
    }
    fn member_at(&self, endpoint: &str) -> Option<u64> {
        let ep = self.route(endpoint)?;
        Cluster::member_at(&*self.world, &ep)
    }
    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        match self.route(endpoint) {
            Some(ep) => self.world.call(&ep, auth_token, req, timeout),
            None => Err(CallError::Unreachable),
        }
    }
    fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<CallId, CallError> {
        match self.route(endpoint) {
            Some(ep) => self.world.submit(&ep, auth_token, req),
            None => Err(CallError::Unreachable),
        }
    }
    fn take_answer(&mut self, call: CallId) -> Option<Result<Response, CallError>> {
        self.world.take_answer(call)
    }
    fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError> {
        match self.route(endpoint) {
            Some(ep) => self.world.watch(&ep, auth_token, req),
            None => Err(CallError::Unreachable),
        }
    }
    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse> {
        self.world.watch_poll(watch)
    }
    fn watch_cancel(&mut self, watch: WatchId) {
        self.world.watch_cancel(watch)
    }
    fn set_client_tls(&mut self, tls: ClientTls) {
        self.client = tls;
    }
    fn restore_data_dir(&self, blob: &[u8], spec: &RestoreSpec) -> Result<RestoredDir, String> {
        self.world.restore_data_dir(blob, spec)
    }
    fn backup_wal(
        &self,
        wal: &[u8],
        snap_file_found: bool,
        with_v3: bool,
    ) -> Result<crate::cluster::BackedUpWal, String> {
        self.world.backup_wal(wal, snap_file_found, with_v3)
    }
    fn migrate_wal(
        &self,
        wal: &[u8],
        snap_file_found: bool,
    ) -> Result<crate::cluster::MigratedWal, String> {
        self.world.migrate_wal(wal, snap_file_found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_parts() {
        assert_eq!(
            parts("https://127.0.0.1:2379"),
            (Some("https"), "127.0.0.1", "2379")
        );
        assert_eq!(parts("localhost:2379"), (None, "localhost", "2379"));
        assert!(same_host("localhost", "127.0.0.1"));
    }
}
