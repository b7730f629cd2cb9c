//! # etcd-playground
//!
//! etcd and Raft running entirely inside a browser tab: a three-member etcd cluster
//! (`infra1`, `infra2`, `infra3`) simulated in a deterministic world, an `etcdctl` console
//! that answers as etcdctl 3.4 does, and pictures of what happens.
//!
//! The browser is a thin shell around a deterministic world. Everything below `ui` is pure
//! Rust: no DOM, no wall clock, no threads, no I/O. The same seed and the same commands give
//! the same history, natively and in wasm.
//!
//! ```text
//! ui (yew components, wasm + ssr)          bin/etcdplay (native REPL + transcript runner)
//!         \                                  /
//!          playground  — one object a page or the CLI drives: world + shell + persistence hooks
//!         /          \
//!    etcdctl          sim  — virtual clock, seeded RNG, network (latency, loss, partitions, crashes)
//!  (shell, v3+v2       |
//!   parsers,         server — one etcd member: raft node + apply loop + request/response types
//!   printers)        /    |      \
//!                raft   mvcc    v2store        (+ lease, auth beside mvcc)
//!                          \      /
//!                        persist — the member's "disk": WAL entries, hard state, snapshots
//! ```
//!
//! An arrow only points inward: `mvcc` knows nothing of `raft`, `etcdctl` knows nothing of
//! the DOM, and `ui` holds no etcd logic.

pub mod auth;
pub mod background;
pub mod completion;
pub mod etcdctl;
pub mod kubectl;
pub mod lease;
pub mod mvcc;
pub mod node;
pub mod persist;
pub mod playground;
pub mod raft;
pub mod registry;
pub mod server;
pub mod sim;
pub mod transcript;
pub mod v2store;

#[cfg(feature = "ui")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
mod wasm_alloc;
