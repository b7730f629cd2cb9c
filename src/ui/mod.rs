//! The Yew front end: thin function components over the page's session
//! ([`crate::playground::session::Session`]). No etcd logic and no session state here: every
//! input becomes a session [`Action`](crate::playground::session::Action) sent through the
//! app's one dispatch, and the components only show what the session holds.
//!
//! Owns: the DOM, the browser's IndexedDB (`storage`, `persistence`), keyboard handling, the
//! play timer, view state (the selection, the theme, open panels).
//!
//! - `app`: the page layout and the dispatch;
//! - `console`: the etcdctl console;
//! - `editor`: the in-page editor `vi FILE` opens on a lab's node;
//! - `lab_select`: the title bar's lab selector; `labs`: one session per lab, switching;
//! - `cluster`, `actions`, `controls`: the Raft picture, its buttons and panels, the time bar;
//!   `decimal`: the pictures' numbers as SVG attributes take them;
//! - `keyspace`: the key tree (over `registry::tree`), the revision slider, the key detail;
//! - `registry_view`: the `/registry` layout treemap and the decoded Kubernetes object;
//! - `share`: the share button's strip and a link's offer; `export`: the disk banner's export;
//!   `replaying`: a share link's replay, a step at a time between frames;
//! - `lessons`: the lessons panel (the list, the lesson in progress, its steps);
//! - `remote`: connecting to a real etcd, and the banner while connected;
//! - `time_travel`: the question before a new input discards what came after a rewind;
//! - `keys`: page-wide keys (Esc closes the open dialogs);
//! - `module`: the hand-over from the first-visit module to the full one;
//! - `early`: the driver lock and the database, both asked for before the first render.

pub mod actions;
pub mod app;
pub mod cluster;
pub mod console;
pub mod controls;
pub mod decimal;
pub mod dispatch;
#[cfg(target_arch = "wasm32")]
pub mod early;
pub mod editor;
#[cfg(target_arch = "wasm32")]
pub mod export;
pub mod keys;
pub mod keyspace;
pub mod lab_select;
pub mod labs;
pub mod lessons;
pub mod module;
#[cfg(target_arch = "wasm32")]
pub mod persistence;
pub mod registry_view;
pub mod remote;
#[cfg(target_arch = "wasm32")]
pub mod replaying;
pub mod share;
#[cfg(target_arch = "wasm32")]
pub mod storage;
pub mod theme;
pub mod time_travel;
pub mod working;

/// Mounts the app on the page's body (the wasm entry point calls this).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // `connect URL` reaches real clusters with the browser's HTTP (in the full module: the
    // first-visit one hands `connect` over)
    #[cfg(not(feature = "lite"))]
    crate::playground::remote::set_connector(crate::gateway::connect::page);
    // (what the first-visit module handed over, before anything reads the address)
    module::arrive();
    // (the driver lock and the database, asked for while the first frame is built)
    let (kind, version) = share::link_lab().unwrap_or_else(labs::remembered);
    if module::runs(kind, version) {
        early::begin(kind, version);
    }
    yew::Renderer::<app::App>::new().render();
}
