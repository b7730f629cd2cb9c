//! Long commands (`load k8s [large]`, `load FILE`: see the session's `work`) are driven here
//! a step at a time, in slices between frames, with their progress on screen, while the
//! console keeps answering (typing, scrolling, Ctrl+C).
//!
//! Owns: the slices and their length. Must not touch: what a step does, when the session's
//! state is stored (the caller's `after`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::playground::session::Session;

/// Wall time one slice of steps may take before the page gets the thread back (a step is a
/// few ms to a few tens of ms: a frame stays well under 100 ms).
pub(super) const SLICE_MS: f64 = 30.0;

/// How often the progress is drawn again while it runs: a re-render of the page costs a frame
/// tens of ms after 100k keys, which each slice paid when every slice drew it.
const SHOW_MS: f64 = 250.0;

thread_local! {
    /// Whether slices are already scheduled (one driver per page).
    static DRIVING: Cell<bool> = const { Cell::new(false) };
    /// When the progress was last drawn.
    static SHOWN: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Runs the session's long command in slices of [`SLICE_MS`], one task each, until it ends
/// (or Ctrl+C ended it); the parts of its end take a slice each. `after(ended)` runs once it
/// ended (store, re-render), and meanwhile after a slice every [`SHOW_MS`] (re-render: the
/// progress).
pub fn drive(session: Rc<RefCell<Session>>, after: Rc<dyn Fn(bool)>) {
    if DRIVING.with(|d| d.replace(true)) {
        return;
    }
    Timeout::new(0, move || slice(session, after)).forget();
}

fn slice(session: Rc<RefCell<Session>>, after: Rc<dyn Fn(bool)>) {
    let start = now_ms();
    let ended = match session.try_borrow_mut() {
        Ok(mut s) => {
            while s.working().is_some() && now_ms() - start < SLICE_MS {
                // (each part of its end gets a slice of its own: see the session's `work`)
                if s.work().is_some() || s.finishing() {
                    break;
                }
            }
            s.working().is_none()
        }
        // (an action is being applied: the next slice goes on)
        Err(_) => false,
    };
    let now = now_ms();
    if ended || now - SHOWN.with(Cell::get) >= SHOW_MS {
        SHOWN.with(|s| s.set(now));
        after(ended);
    }
    if ended {
        DRIVING.with(|d| d.set(false));
        return;
    }
    Timeout::new(0, move || slice(session, after)).forget();
}

/// A long command in progress, as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Working {
    pub line: String,
    /// Keys written, of about how many.
    pub progress: (usize, usize),
    /// Lines typed meanwhile, run once it ends.
    pub typeahead: Vec<String>,
}

impl Working {
    /// The session's long command, if one runs.
    pub fn of(s: &Session) -> Option<Self> {
        let (line, p) = s.working()?;
        Some(Working {
            line: line.to_string(),
            progress: (p.written, p.expected),
            typeahead: s.typeahead().to_vec(),
        })
    }
}

/// The console's line while such a line runs.
pub fn view(w: &Working) -> Html {
    let (done, of) = w.progress;
    let pct = (done * 100).checked_div(of).unwrap_or(0).min(100);
    html! {
        <div class="status working" data-testid="console-working">
            <span aria-live="polite">
                { format!("running `{}`: {done} of about {of} keys written ({pct}%) · Ctrl+C stops it", w.line) }
            </span>
            <progress data-testid="console-progress" max={of.max(1).to_string()} value={done.to_string()} />
            { for w.typeahead.iter().map(|l| html! {
                <div class="typeahead" data-testid="console-typeahead">{ format!("waiting: {l}") }</div>
            }) }
        </div>
    }
}
