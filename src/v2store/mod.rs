//! The etcd v2 store: a tree of files and directories with TTLs, compare-and-swap,
//! in-order keys and watches by index, answering with v2 error codes; plus the v2 auth
//! (users and roles kept inside the store). The requests the v2 API sends through Raft and
//! its answers are protocol: they live in `crate::api::v2`, which is all this module imports.
//!
//! Owns: the v2 keyspace (`/0` cluster data, `/1` user keys, `/2` auth data), its index,
//! v2 TTL expiry, v2 auth. Must not touch: the MVCC store, Raft, the clock (time comes in
//! with each request), the DOM.
//!
//! What the member (`server::member`, owner: Raft engineer) must do for v2 — the v2 store is
//! `self.sm.v2` ([`apply::ApplierV2`]); every call below takes one v2 index, exactly as in
//! etcd, and `now` may be 0 (the `/0` nodes never expire):
//! - conf change applied, `AddNode`/`AddLearnerNode` of a new member:
//!   `self.sm.v2.member_add(id, &peer_urls, is_learner, 0)`; of an existing one (promotion):
//!   `self.sm.v2.member_update(id, &peer_urls, false, 0)`;
//!   `RemoveNode` of a known member: `self.sm.v2.member_remove(id, 0)` (two indexes);
//!   `UpdateNode`: `self.sm.v2.member_update(id, &new_peer_urls, is_learner, 0)`;
//! - `Payload::Attributes` applied: `self.sm.v2.publish_attributes(member_id, &name, &client_urls, 0)`;
//! - `Payload::ClusterVersion(v)` applied: `self.sm.v2.set_cluster_version(&v, 0)`.
//!   On a fresh three-member cluster that is 3 + 3 + 1 = index 7, so the first user write gets
//!   index 8 as in the transcripts ([`apply::ApplierV2::bootstrap`] builds the same state in one
//!   call, for tests);
//! - in the tick, next to the lease-expiry check: while leader, every 500 ms (5 ticks), if
//!   `self.sm.v2.has_ttl_keys()`, propose
//!   `Payload::Request { id, req: Request::V2(V2Request::sync(env.unix_nanos)), auth_token: None }`
//!   (etcd's `SyncTicker`): TTL nodes expire when that SYNC entry is applied. (Until then, a
//!   keys request also expires what is due by its own time, so reads are right either way.)
//! - route every `Request::V2` through the log like a v3 write (reads may be served locally:
//!   [`crate::api::v2::V2Request::is_read`]); v2 errors come back as `Ok(Response::V2(V2Response::Error(..)))`.

pub mod apply;
pub mod auth;
pub mod event_history;
pub mod fuzz;
pub mod node;
pub mod store;
pub mod ttl_key_heap;

pub use apply::ApplierV2;
pub use store::Store;

/// Where user keys live inside the v2 store (`StoreKeysPrefix`).
pub const STORE_KEYS_PREFIX: &str = "/1";
/// Where cluster data lives (`StoreClusterPrefix`).
pub const STORE_CLUSTER_PREFIX: &str = "/0";

#[cfg(test)]
mod depth_test;
#[cfg(test)]
mod store_test;
