//! The apply side of one member: the state that committed Raft entries build, namely the
//! MVCC store, the lessor and the auth store (and the v2 store beside them), plus the member's
//! watchers over the store.
//!
//! The member feeds committed requests here in log order; nothing here knows Raft, the
//! network or the clock (the time of an entry comes in through [`ApplyContext`]).
//! `revision` in response headers is filled here (nested txn responses carry only what etcd
//! puts there); `cluster_id`, `member_id` and `raft_term` are the member's to fill.
//!
//! # How the member uses it (the raft engineer's side)
//!
//! Before proposing a client request, as etcd's gRPC layer and `EtcdServer` do:
//! 1. [`validate`](StateMachine::validate) (empty keys, txn limits, duplicate keys...).
//! 2. [`check_permission`](StateMachine::check_permission) with the client's token
//!    (`None` without one) — auth errors ("user name is empty", "permission denied",
//!    "invalid auth token"). For `Auth(Authenticate)`, call
//!    [`check_password`](StateMachine::check_password) first (etcd checks before proposing).
//! 3. For `LeaseGrant` with `id == 0`, choose the ID (etcd's idutil generator) and put it in
//!    the request: the lessor refuses ID 0 ("requested lease not found").
//!
//! Then propose; when committed, every member calls [`apply`](StateMachine::apply) with the
//! entry (in log order, `ApplyContext { now, index, .. }`), and the proposer answers the
//! client with its own result. `apply` also accepts reads (`Range`, `HashKv`, auth reads)
//! for linearizable reads through the log. [`read`](StateMachine::read) serves local reads
//! (`Range`, `LeaseTimeToLive`, `LeaseLeases`, `HashKv`, auth gets/lists); it never changes
//! state. Requests that are not the state machine's (members, alarms, status, defragment,
//! snapshot, move-leader) answer "etcdserver: not capable" here.
//!
//! Leases: only the leader's lessor expires leases. Call
//! [`lease_promote`](StateMachine::lease_promote) when the member becomes leader (etcd
//! extends every lease by the election timeout) and [`lease_demote`](StateMachine::lease_demote)
//! when it stops being leader. Poll [`expired_leases`](StateMachine::expired_leases) on the
//! leader (etcd looks every 500 ms) and propose `LeaseRevoke { id }` for each. Keep-alive
//! and time-to-live are leader-local in etcd: forward them to the leader and answer there
//! (`apply` of `LeaseKeepAlive` renews only on the primary lessor; `read` of
//! `LeaseTimeToLive` answers `ttl: -1` for an unknown lease, as etcd's gRPC layer does).
//! Minimum TTL: [`set_min_lease_ttl`](StateMachine::set_min_lease_ttl) with
//! `Lessor::min_ttl_for_election_timeout(election_timeout)` (2 s for 1000 ms, 8 s for 5000 ms).
//!
//! Watches: [`watch_create`](StateMachine::watch_create), [`watch_poll`](StateMachine::watch_poll),
//! [`watch_cancel`](StateMachine::watch_cancel). Every write applied here notifies the
//! watchers; poll after applying.
//!
//! Snapshots: [`to_snapshot`](StateMachine::to_snapshot) / [`from_snapshot`](StateMachine::from_snapshot)
//! (JSON bytes; watchers are not part of it).

#[doc(hidden)]
pub mod fuzz;
mod kv;
mod permission;
pub mod validate;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use self::kv::go_sort;
use crate::api::Event;
use crate::api::{
    errors, AuthRequest, AuthResponse, EtcdError, HashKvResponse, LeaseGrantResponse,
    LeaseKeepAliveResponse, LeaseLeasesResponse, LeaseRevokeResponse, LeaseTimeToLiveResponse,
    Request, Response, ResponseHeader, TxnRequest, TxnResponse, WatchCreateRequest, WatchResponse,
};
use crate::auth::AuthStore;
use crate::lease::Lessor;
use crate::mvcc::watch::WatchHub;
use crate::mvcc::{KvStore, RangeEnd, TxnWrite};

/// What an apply may need to know about where and when it runs.
#[derive(Clone, Debug, Default)]
pub struct ApplyContext {
    /// The member applying the entry.
    pub member_id: u64,
    /// Simulated time at which the entry is applied.
    pub now: Duration,
    /// The Raft index of the entry (0 when unknown); simple auth tokens end with it.
    pub index: u64,
}

/// One member's applied state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StateMachine {
    /// The MVCC key-value store.
    pub kv: KvStore,
    /// The leases.
    pub lessor: Lessor,
    /// Users, roles, permissions, tokens.
    pub auth: AuthStore,
    /// The watchers of this member (not part of snapshots).
    #[serde(skip)]
    watches: WatchHub,
    /// The v2 store (owner: v2 engineer). The member feeds it the cluster events etcd records
    /// under `/0` through `v2.member_add`, `v2.publish_attributes`, `v2.set_cluster_version`,
    /// `v2.member_update` and `v2.member_remove` (see `crate::v2store` for what the member
    /// must do, including the SYNC proposals).
    pub v2: crate::v2store::ApplierV2,
}

/// What starts a postcard Raft snapshot (a JSON one starts with `{`).
pub(super) const RAFT_SNAPSHOT_MAGIC: &[u8] = b"\0sm-postcard-1\0";

fn hdr(rev: i64) -> ResponseHeader {
    ResponseHeader {
        revision: rev,
        ..ResponseHeader::default()
    }
}

impl StateMachine {
    pub fn new() -> Self {
        StateMachine::default()
    }

    /// Sets the lessor's minimum TTL in seconds (etcd: `ceil(1.5 × election timeout)`).
    pub fn set_min_lease_ttl(&mut self, secs: i64) {
        self.lessor.set_min_ttl(secs);
    }

    /// Sets the bcrypt cost of new password hashes (etcd's default 10; 4 is the fastest).
    pub fn set_bcrypt_cost(&mut self, cost: u32) {
        self.auth.set_bcrypt_cost(cost);
    }

    /// The checks etcd makes before proposing a request (see [`validate::validate`]).
    pub fn validate(req: &Request) -> Result<(), EtcdError> {
        validate::validate(req)
    }

    /// The current revision of the MVCC store.
    pub fn revision(&self) -> i64 {
        self.kv.rev()
    }

    /// The revision of the last compaction (-1 if none).
    pub fn compact_revision(&self) -> i64 {
        self.kv.compact_rev()
    }

    /// Applies one committed request, in log order.
    pub fn apply(&mut self, req: &Request, ctx: &ApplyContext) -> Result<Response, EtcdError> {
        if let Request::V2(r) = req {
            return Ok(Response::V2(self.v2.apply(r)));
        }
        validate::validate(req)?;
        match req {
            Request::Put(p) => {
                if p.lease != 0 && self.lessor.lookup(p.lease).is_none() {
                    return Err(errors::lease_not_found());
                }
                let mut txn = TxnWrite::new(&mut self.kv);
                let resp = kv::put(&mut txn, &mut self.lessor, p);
                let events = finish(txn, self.watches.is_empty());
                self.notify(&events);
                resp.map(Response::Put)
            }
            Request::DeleteRange(d) => {
                let mut txn = TxnWrite::new(&mut self.kv);
                let resp = kv::delete_range(&mut txn, &mut self.lessor, d);
                let events = finish(txn, self.watches.is_empty());
                self.notify(&events);
                resp.map(Response::DeleteRange)
            }
            Request::Txn(t) => self.txn(t).map(Response::Txn),
            Request::Compaction(c) => {
                self.kv.compact(c.revision)?;
                Ok(Response::Compaction(crate::api::CompactionResponse {
                    header: hdr(self.kv.rev()),
                }))
            }
            Request::LeaseGrant(g) => {
                let l = self.lessor.grant(g.id, g.ttl, ctx.now)?;
                let (id, ttl) = (l.id, l.ttl);
                Ok(Response::LeaseGrant(LeaseGrantResponse {
                    header: hdr(self.kv.rev()),
                    id,
                    ttl,
                    error: String::new(),
                }))
            }
            Request::LeaseRevoke { id } => {
                self.lease_revoke(*id)?;
                Ok(Response::LeaseRevoke(LeaseRevokeResponse {
                    header: hdr(self.kv.rev()),
                }))
            }
            Request::LeaseKeepAlive { id } => {
                let ttl = self.lessor.renew(*id, ctx.now)?;
                Ok(Response::LeaseKeepAlive(LeaseKeepAliveResponse {
                    header: hdr(self.kv.rev()),
                    id: *id,
                    ttl,
                }))
            }
            Request::Auth(a) => {
                let resp = self.auth.apply(a, ctx.index)?;
                Ok(Response::Auth(self.fill_auth(resp)))
            }
            _ => self.read(req, ctx),
        }
    }

    /// Serves a read from local state, without consensus (serializable reads, and linearizable
    /// ones once ReadIndex has confirmed this member is up to date).
    pub fn read(&self, req: &Request, ctx: &ApplyContext) -> Result<Response, EtcdError> {
        if let Request::V2(r) = req {
            return Ok(Response::V2(self.v2.read(r)));
        }
        validate::validate(req)?;
        match req {
            Request::Range(r) => kv::range(&self.kv, r).map(Response::Range),
            Request::Txn(t) if kv::is_txn_readonly(t) => {
                let path = kv::compare_to_path(&self.kv, t);
                kv::check_requests(&self.kv, &self.lessor, t, &path, false)?;
                let mut resp = kv::read_txn(&self.kv, t, &path)?;
                resp.header = hdr(self.kv.rev());
                Ok(Response::Txn(resp))
            }
            Request::LeaseTimeToLive { id, keys } => Ok(Response::LeaseTimeToLive(
                self.lease_time_to_live(*id, *keys, ctx.now),
            )),
            Request::LeaseLeases => Ok(Response::LeaseLeases(LeaseLeasesResponse {
                header: hdr(self.kv.rev()),
                leases: self.lessor.leases().iter().map(|l| l.id).collect(),
            })),
            Request::HashKv { revision } => {
                let h = self.kv.hash_by_rev(*revision)?;
                Ok(Response::HashKv(HashKvResponse {
                    header: hdr(h.current_rev),
                    hash: h.hash,
                    compact_revision: h.compact_rev,
                }))
            }
            Request::Auth(
                a @ (AuthRequest::UserGet { .. }
                | AuthRequest::UserList
                | AuthRequest::RoleGet { .. }
                | AuthRequest::RoleList
                | AuthRequest::Status),
            ) => {
                let resp = self.auth.read(a)?;
                Ok(Response::Auth(self.fill_auth(resp)))
            }
            _ => Err(errors::not_capable()),
        }
    }

    fn fill_auth(&self, resp: AuthResponse) -> AuthResponse {
        let h = hdr(self.kv.rev());
        match resp {
            AuthResponse::Done(_) => AuthResponse::Done(h),
            AuthResponse::Authenticate { token, .. } => {
                AuthResponse::Authenticate { header: h, token }
            }
            AuthResponse::UserGet { roles, .. } => AuthResponse::UserGet { header: h, roles },
            AuthResponse::UserList { users, .. } => AuthResponse::UserList { header: h, users },
            AuthResponse::RoleGet { perm, .. } => AuthResponse::RoleGet { header: h, perm },
            AuthResponse::RoleList { roles, .. } => AuthResponse::RoleList { header: h, roles },
            AuthResponse::Status {
                enabled,
                auth_revision,
                ..
            } => AuthResponse::Status {
                header: h,
                enabled,
                auth_revision,
            },
        }
    }

    fn notify(&mut self, events: &[Event]) {
        if !events.is_empty() {
            let rev = self.kv.rev();
            self.watches.notify(&self.kv, rev, events);
        }
    }

    /// etcd's `applierV3backend.Txn`.
    fn txn(&mut self, t: &TxnRequest) -> Result<TxnResponse, EtcdError> {
        let path = kv::compare_to_path(&self.kv, t);
        if !kv::is_txn_readonly(t) {
            kv::check_requests(&self.kv, &self.lessor, t, &path, true)?;
        }
        kv::check_requests(&self.kv, &self.lessor, t, &path, false)?;
        let mut txn = TxnWrite::new(&mut self.kv);
        let resp = kv::apply_txn(&mut txn, &mut self.lessor, t, &path);
        let rev = txn.end_rev();
        let events = finish(txn, self.watches.is_empty());
        self.notify(&events);
        let mut resp = resp?;
        resp.header = hdr(rev);
        Ok(resp)
    }

    /// Revokes a lease: every attached key is deleted in one revision.
    fn lease_revoke(&mut self, id: i64) -> Result<(), EtcdError> {
        let keys = self.lessor.revoke(id)?;
        let mut txn = TxnWrite::new(&mut self.kv);
        for k in &keys {
            txn.delete_range(k, RangeEnd::Single);
        }
        let events = finish(txn, self.watches.is_empty());
        self.notify(&events);
        Ok(())
    }

    fn lease_time_to_live(&self, id: i64, keys: bool, now: Duration) -> LeaseTimeToLiveResponse {
        match self.lessor.lookup(id) {
            None => LeaseTimeToLiveResponse {
                header: hdr(self.kv.rev()),
                id,
                ttl: -1,
                granted_ttl: 0,
                keys: Vec::new(),
            },
            Some(l) => LeaseTimeToLiveResponse {
                header: hdr(self.kv.rev()),
                id,
                ttl: l.remaining_secs(now),
                granted_ttl: l.ttl,
                keys: if keys {
                    l.keys.iter().cloned().collect()
                } else {
                    Vec::new()
                },
            },
        }
    }

    // ---- leases: leader-side controls ------------------------------------------------------

    /// The leases expired at `now` that the leader should revoke (empty unless promoted).
    pub fn expired_leases(&mut self, now: Duration) -> Vec<i64> {
        self.lessor.expired_leases(now)
    }

    /// The member became leader: its lessor becomes primary and every lease is refreshed to
    /// expire `extend` later than its TTL from `now`.
    pub fn lease_promote(&mut self, now: Duration, extend: Duration) {
        self.lessor.promote(now, extend);
    }

    /// The member stopped being leader: its leases stop expiring.
    pub fn lease_demote(&mut self) {
        self.lessor.demote();
    }

    /// Leader-local keep-alive (etcd does not send keep-alives through Raft).
    pub fn lease_renew(
        &mut self,
        id: i64,
        now: Duration,
    ) -> Result<LeaseKeepAliveResponse, EtcdError> {
        let ttl = self.lessor.renew(id, now)?;
        Ok(LeaseKeepAliveResponse {
            header: hdr(self.kv.rev()),
            id,
            ttl,
        })
    }

    // ---- auth ------------------------------------------------------------------------------

    /// Checks a password before proposing `Authenticate` (etcd's `CheckPassword`):
    /// "authentication is not enabled" or "authentication failed, invalid user ID or password".
    pub fn check_password(&mut self, name: &str, password: &str) -> Result<(), EtcdError> {
        self.auth
            .check_password(name, password)
            .map_err(EtcdError::from)
    }

    /// Checks and hands out a token at once (for a single member or tests; a cluster proposes
    /// `Auth(Authenticate)` so that every member knows the token).
    pub fn authenticate(
        &mut self,
        name: &str,
        password: &str,
        ctx: &ApplyContext,
    ) -> Result<String, EtcdError> {
        self.auth
            .authenticate(name, password, ctx.index)
            .map_err(EtcdError::from)
    }

    /// Whether the client holding `token` may make `req` (etcd's auth checks of every request
    /// kind). Always `Ok` while auth is disabled.
    pub fn check_permission(&self, token: Option<&str>, req: &Request) -> Result<(), EtcdError> {
        permission::check(&self.auth, &self.lessor, token, req)
    }

    // ---- watch -----------------------------------------------------------------------------

    /// Creates a watcher; returns its ID. Its `created` response (and replayed history, or the
    /// compaction cancel) is ready for [`watch_poll`](Self::watch_poll) at once.
    pub fn watch_create(&mut self, req: WatchCreateRequest) -> i64 {
        self.watches.create(&self.kv, req)
    }

    /// The newest live events this member's watchers were sent.
    pub fn watch_fired(&self) -> impl Iterator<Item = &crate::mvcc::watch::Fired> {
        self.watches.fired()
    }

    /// The responses ready for a watcher.
    pub fn watch_poll(&mut self, id: i64) -> Vec<WatchResponse> {
        self.watches.poll(id)
    }

    /// Cancels a watcher; returns etcd's `canceled` response (None for an unknown ID).
    pub fn watch_cancel(&mut self, id: i64) -> Option<WatchResponse> {
        let rev = self.kv.rev();
        self.watches.cancel(id, rev)
    }

    // ---- snapshots -------------------------------------------------------------------------

    /// The applied state as bytes (for Raft snapshots). Watchers are not included.
    pub fn to_snapshot(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Restores the applied state from [`to_snapshot`](Self::to_snapshot) bytes.
    pub fn from_snapshot(bytes: &[u8]) -> Result<StateMachine, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The applied state as a Raft snapshot (and a `snapshot save` file) carries it: the same
    /// data as [`to_snapshot`](Self::to_snapshot), in postcard after a marker, written once
    /// into one allocation of its final size (several times faster to write and read than
    /// JSON and about a third of its size: JSON writes bytes as arrays of numbers).
    pub fn to_raft_snapshot(&self) -> Vec<u8> {
        self.raft_snapshot_len()
            .and_then(|n| self.append_raft_snapshot(Vec::with_capacity(n)))
            .unwrap_or_else(|| self.to_snapshot())
    }

    /// The length of [`to_raft_snapshot`](Self::to_raft_snapshot)'s bytes, counted without
    /// writing them.
    pub fn raft_snapshot_len(&self) -> Option<usize> {
        let n = postcard::serialize_with_flavor(self, postcard::ser_flavors::Size::default());
        Some(RAFT_SNAPSHOT_MAGIC.len() + n.ok()?)
    }

    /// Appends [`to_raft_snapshot`](Self::to_raft_snapshot)'s bytes to `buf` (give it the
    /// room: nothing is regrown).
    pub fn append_raft_snapshot(&self, mut buf: Vec<u8>) -> Option<Vec<u8>> {
        buf.extend_from_slice(RAFT_SNAPSHOT_MAGIC);
        crate::api::bytes::postcard_append(self, buf).ok()
    }

    /// The state machine of these parts, as a snapshot read back a piece at a time gives
    /// them (see `snapshot_pieces`; the watchers are not stored).
    pub(super) fn from_parts(
        kv: KvStore,
        lessor: Lessor,
        auth: AuthStore,
        v2: crate::v2store::ApplierV2,
    ) -> StateMachine {
        StateMachine {
            kv,
            lessor,
            auth,
            watches: WatchHub::default(),
            v2,
        }
    }

    /// Restores [`to_raft_snapshot`](Self::to_raft_snapshot) bytes (or JSON ones, as older
    /// snapshots hold).
    pub fn from_raft_snapshot(bytes: &[u8]) -> Result<StateMachine, String> {
        match bytes.strip_prefix(RAFT_SNAPSHOT_MAGIC) {
            Some(rest) => postcard::from_bytes(rest).map_err(|e| e.to_string()),
            None => StateMachine::from_snapshot(bytes),
        }
    }
}

/// Ends a write transaction; its events are built only when someone watches.
fn finish(txn: TxnWrite<'_>, nobody_watches: bool) -> Vec<Event> {
    if nobody_watches {
        txn.end_quiet();
        Vec::new()
    } else {
        txn.end()
    }
}
