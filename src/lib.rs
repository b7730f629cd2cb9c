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
//!  module          may import                                   what it is
//!  bin ─────────> ui, transcript, playground, gateway           etcdplay REPL, web entry
//!  ui ──────────> playground, registry, process, api            Yew components, one dispatch
//!  transcript ──> playground                                    conformance transcripts
//!  playground ──> node, kubectl, etcdctl, etcdutl, registry,    the session a page or etcdplay
//!                 sim, cluster, process and all of server's     drives: shell, jobs, completion,
//!                                                               session (timeline, persistence)
//!  node ────────> etcdctl, cluster, process, api                node labs: fs, shell, kubelet, systemd
//!  kubectl ─────> registry, cluster, process, api               the consoles: commands and
//!  etcdutl ─────> etcdctl, cluster, process, bbolt, api         etcd 3.5's offline tool
//!  etcdctl ─────> cluster, process, bbolt, api                  printers
//!  registry ────> api                                           /registry samples, key tree
//!  sim ─────────> server, cluster and all of server's           clock, seeded RNG, network;
//!                                                               implements `cluster`
//!  server ──────> mvcc, lease, auth, v2store, persist, raft,    one member; wire error texts;
//!                 bbolt, api                                    its backend file
//!  gateway ─────> cluster, api                                  a real etcd's JSON gateway
//!                                                               as a `cluster` (native HTTP)
//!  cluster ─────> api                                           the trait consoles talk to
//!  mvcc ────────> lease, api                                    as etcd's mvcc imports lease
//!  lease, auth, v2store ──> api
//!  persist ─────> raft, api                                     the member's disk: WAL, snapshots
//!  raft, api, process, wasm_alloc ──> nothing                   raft standalone; api the protocol
//!  bbolt ───────> nothing                                       bbolt's file format
//!  sort ────────> nothing; every module may import it           one compiled stable sort
//! ```
//!
//! An arrow only points inward, and `tests/layers.rs` keeps it so: its `ALLOWED` table is this
//! map, row for row (what a module's imports import is not implied), and its `MOVED` list
//! forbids the paths issue 19 moved away from. `api` holds the protocol (KeyValue, Event,
//! requests, responses, rpctypes errors, byte helpers, the v2 protocol); `process` holds a
//! process's result (`Output`).
//!
//! `mvcc` knows nothing of `raft`, `etcdctl` knows nothing of the DOM or of the simulation,
//! and `ui` holds no etcd logic.
//!
//! The page ships this crate twice (issue 20): the first visit loads a build with the feature
//! `lite`, which leaves out the node labs, kubectl, the `/registry` sample, etcd 3.5 and the
//! gateway client (`connect`); where the playground meets one of them it marks the line, and
//! the page hands it over to the full build (`playground::session::handover`, `ui::module`).

pub mod api;
pub mod auth;
pub mod bbolt;
pub mod cluster;
pub mod etcdctl;
pub mod etcdutl;
pub mod gateway;
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
pub mod sort;
pub mod transcript;
pub mod v2store;

#[cfg(feature = "ui")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
mod wasm_alloc;
