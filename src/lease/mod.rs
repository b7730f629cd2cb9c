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
//! Owns: leases and the key → lease map. Must not touch: the MVCC store (revoking a lease
//! returns its keys; `server::apply` deletes them in one transaction), Raft, the clock.

pub mod lessor;

pub use lessor::{Lease, Lessor, MAX_LEASE_TTL};
