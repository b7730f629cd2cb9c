//! The Yew front end: thin function components over the playground. No etcd logic here:
//! every command goes to [`crate::playground::Playground`] (through [`shell::Shell`]), and the
//! components only show what it answers and what the world's read-only views say.
//!
//! Owns: the DOM, the browser's IndexedDB (`storage`), keyboard handling, the play timer.
//!
//! - `app`: the page layout and the wiring; `shell`: the page's state outside the DOM;
//! - `console`, `history`: the etcdctl console;
//! - `model`, `cluster`, `actions`, `controls`: the Raft picture, its buttons, the time bar;
//! - `keyspace`: the key tree (over `registry::tree`), the revision slider, the key detail;
//! - `registry_view`: the `/registry` layout treemap and the decoded Kubernetes object.

pub mod actions;
pub mod app;
pub mod cluster;
pub mod console;
pub mod controls;
pub mod history;
pub mod keyspace;
pub mod model;
#[cfg(target_arch = "wasm32")]
pub mod persistence;
pub mod registry_view;
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod storage;

/// The page's snapshot interval (applied entries between snapshots): small, so each
/// member's stored log stays short (etcd's default is 100 000).
pub const SNAPSHOT_COUNT: u64 = 500;

/// The seed of the page's world. Fixed, so that replaying the stored inputs rebuilds the
/// same history after a reload.
pub const DEFAULT_SEED: u64 = 1;

/// Mounts the app on the page's body (the wasm entry point calls this).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
