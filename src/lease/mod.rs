//! Leases: etcd 3.4's `Lessor` (`lease/lessor.go`).
//!
//! A lease has an ID chosen by the member before proposing (etcd's idutil generator), a TTL
//! (raised to the member's minimum, `ceil(1.5 × election timeout)`, 2 s with the default
//! 1000 ms), and a set of attached keys. Only the leader's lessor is *primary*: it gives leases
//! an expiry (`now + TTL`) and finds the expired ones so the leader can propose their
//! revocation; on followers leases never expire by themselves. When a member becomes leader it
//! promotes its lessor, which refreshes every lease (etcd's `Promote(extend)`).
//!
//! Time is never read here: every call that needs it takes the simulated `now`.
//!
//! Owns: leases and the key → lease map, and its own errors ([`Error`]; `server` maps them to
//! etcd's wire texts). Imports only `crate::api`. Must not touch: the MVCC store (revoking a
//! lease returns its keys; `server::apply` deletes them in one transaction, so `lease` never
//! needs `mvcc` and the map keeps etcd's direction, mvcc above lease), Raft, the clock.

pub mod error;
pub mod lessor;

pub use error::Error;
pub use lessor::{Lease, Lessor, MAX_LEASE_TTL};
