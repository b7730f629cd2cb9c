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
//!  ui (yew components)          bin (etcdplay REPL, web entry) ──> transcript
//!           \                     /
//!      playground — the session a page or the CLI drives: world, shell, background jobs,
//!                   line completion, persistence hooks
//!        /                   |                         \
//!        |                   |                          registry — /registry samples, key tree
//!        \                   |                         /
//!      etcdctl, kubectl, node — the consoles: commands and printers
//!                  |
//!      cluster — what a client sees of a cluster: the consoles' only way in
//!                  |            (sim implements it: sim imports cluster, never the reverse)
//!      sim — virtual clock, seeded RNG, network (latency, loss, partitions, crashes)
//!                  |
//!      server — one etcd member: raft node, apply loop; maps lower errors to wire texts
//!      /      |          \        \
//!   raft    mvcc ──> lease   auth   v2store
//!      \       \        |      /      /
//!       persist — the member's "disk": WAL entries, hard state, snapshots
//!                  |
//!      api — the protocol: KeyValue, Event, requests, responses, rpctypes errors, bytes
//! ```
//!
//! An arrow only points inward, and `tests/layers.rs` keeps it so: its table is this map. In
//! words (each module may import those listed, and what they import is not implied):
//!
//! - `api`: nothing. `raft`: nothing (standalone, like etcd's raft library).
//! - `persist`: api, raft (the WAL stores raft entries, as etcd's wal imports raftpb).
//! - `lease`, `auth`, `v2store`: api. `mvcc`: api, lease (as in etcd).
//! - `server`: api, raft, persist, mvcc, lease, auth, v2store.
//! - `cluster`: api. `process`: nothing. `sim`: server and everything below it, cluster.
//! - `registry`: api. `etcdctl`: api, cluster, process. `kubectl`: api, cluster, process,
//!   registry. `node`: api, cluster, process, etcdctl (its shell lexer).
//! - `playground`: everything above except `ui`, `transcript`, `bin`.
//! - `transcript`: playground. `ui`: api, registry, playground.
//!   `bin`: playground, transcript, ui.
//!
//! `mvcc` knows nothing of `raft`, `etcdctl` knows nothing of the DOM or of the simulation,
//! and `ui` holds no etcd logic.

pub mod api;
pub mod auth;
pub mod cluster;
pub mod etcdctl;
pub mod kubectl;
pub mod lease;
pub mod mvcc;
pub mod node;
pub mod persist;
pub mod playground;
pub mod process;
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
