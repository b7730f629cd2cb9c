//! The Yew front end: thin function components over the playground. No etcd logic here:
//! every command goes to [`crate::playground::Playground`], and the components only show
//! what it answers.
//!
//! Owns: the DOM, the browser's IndexedDB (`storage`), keyboard handling.

pub mod app;
pub mod console;
pub mod history;
#[cfg(target_arch = "wasm32")]
pub mod storage;

use std::cell::RefCell;
use std::rc::Rc;

use crate::playground::{Output, Playground};

/// The seed of the page's world. Fixed, so that replaying the stored inputs rebuilds the
/// same history after a reload.
pub const DEFAULT_SEED: u64 = 1;

/// The one playground a page drives, shared by its components.
#[derive(Clone)]
pub struct PlaygroundHandle(Rc<RefCell<Playground>>);

impl PlaygroundHandle {
    pub fn new(seed: u64) -> Self {
        PlaygroundHandle(Rc::new(RefCell::new(Playground::new(seed))))
    }

    /// Runs one console line.
    pub fn run(&self, line: &str) -> Output {
        match self.0.try_borrow_mut() {
            Ok(mut playground) => playground.run(line, None),
            Err(_) => Output {
                stderr: "the playground is busy with another command\n".into(),
                exit: 1,
                ..Default::default()
            },
        }
    }
}

impl PartialEq for PlaygroundHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Mounts the app on the page's body (the wasm entry point calls this).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
