//! The page's one path from input to screen, [`dispatcher`]: every click, key and timer tick
//! that changes something is a session [`Action`]; the dispatch borrows the current lab's
//! session, applies the action, stores what the members' disks wrote, refreshes the keyspace
//! and re-renders. A line that needs the page's full module is handed over instead (`module`).
//!
//! Owns: that path, and when the session's writes are stored. Must not touch: what an action
//! does (the session), how storing works (`persistence`).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::labs::{DbSlot, Labs, SessionRef};
use super::module;
use crate::playground::session::handover::Handover;
use crate::playground::session::{Action, Refresh};

/// The page's one path from input to screen: borrow the current lab's session, apply the
/// action, store what the members' disks wrote, refresh the keyspace, re-render. (A single
/// callback over the shared session rather than `use_reducer`: the session is also driven by
/// the persistence tasks and the play timer outside rendering, and is mutated in place.)
pub fn dispatcher(labs: Rc<RefCell<Labs>>, update: UseForceUpdateHandle) -> Callback<Action> {
    Callback::from(move |action: Action| {
        if module::handing_over().is_some() {
            return; // (this page is on its way to the full module: nothing more happens here)
        }
        let Ok(current) = labs.try_borrow().map(|l| l.current()) else {
            return;
        };
        let (session, db) = (current.session, current.db);
        // Busy (an action re-entered while another is applied): never panic, drop it.
        let Ok(mut s) = session.try_borrow_mut() else {
            return;
        };
        // (a reset or a rewind builds a new playground: the page's editor is always there)
        s.playground_mut().set_editor_available(true);
        // (a long command runs a step at a time: see `drive` below)
        s.step_long_commands(true);
        let applied = s.apply(action);
        let handover = s.take_handover();
        let working = s.working().is_some();
        drop(s);
        if let Some(h) = handover {
            // (nothing of the line is stored here: the full module runs it again)
            hand_over((&db, &session), h, &update);
            return;
        }
        if working {
            // its steps run in slices between frames; once it ended, its writes are stored
            let driven = session.clone();
            let (session, db, update) = (session.clone(), db.clone(), update.clone());
            let after = move |ended: bool| {
                let handover = match session.try_borrow_mut() {
                    Ok(mut s) if ended => s.take_handover(),
                    _ => None,
                };
                if let Some(h) = handover {
                    // (the load is kept; the line typed meanwhile that needs the full
                    // module, and those after it, run there)
                    store(&db, false);
                    return hand_over((&db, &session), h, &update);
                }
                if ended {
                    store(&db, true);
                    if let Ok(mut s) = session.try_borrow_mut() {
                        s.refresh(Refresh::IfChanged);
                    }
                }
                update.force_update();
            };
            super::working::drive(driven, Rc::new(after));
        }
        if applied.persist {
            store(&db, false);
        }
        if let Ok(mut s) = session.try_borrow_mut() {
            s.refresh(applied.refresh);
        }
        update.force_update();
    })
}

/// Hands the session's line over to the full module (see `module`).
fn hand_over(at: (&DbSlot, &SessionRef), h: Handover, update: &UseForceUpdateHandle) {
    module::hand_over_lines(at, h.needs.to_string(), h.lines, update);
}

/// Flushes the members' journals and the new inputs (the session hands out what is new).
#[cfg(target_arch = "wasm32")]
pub fn store(db: &DbSlot, soon: bool) {
    let p = db.borrow().clone();
    match p {
        Some(p) if soon => super::persistence::flush_soon(&p),
        Some(p) => super::persistence::flush(&p),
        None => {}
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn store(_db: &DbSlot, _soon: bool) {}
