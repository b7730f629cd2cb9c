//! The page's open, begun before its first render (wasm only). Asking for the driver lock and
//! opening the lab's IndexedDB database are the browser's work, and each takes a round trip of
//! 15–40 ms. Asked for here, they run while the page builds and lays out its first frame, so the
//! restore can start once the frame is out. Both are asked for at once: the database is only
//! read and written once the lock is held, and a page that does not get the lock (another tab
//! drives) closes it at once.
//!
//! `persistence::boot` takes what was begun here (once) and goes on as if it had asked itself:
//! the lock's answer holds whichever lab the page boots; the database only if it is that lab's.
//! Owns: the early request and its answer until the page takes it. Must not touch: the
//! session, the restore (`persistence`).

use std::cell::RefCell;
use std::rc::Rc;

use super::labs::db_name;
use super::persistence::request_lock;
use super::storage;
use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;

/// The lab's database, or why it did not open.
pub type Opened = Result<storage::OpenedDb, String>;

/// The lock's answer: `None` when another tab drives, else the database opened for `lab`.
type Answer = (LabKind, EtcdVersion, Option<Opened>);

#[derive(Default)]
struct Early {
    /// The lock's answer (true: this page drives), before the database is in.
    drives: Option<bool>,
    /// The database, opened before the lock's answer is in.
    opened: Option<Opened>,
    /// The answer is made (the database's, if it comes later, is not wanted).
    settled: bool,
    /// The answer, once in (the page has not taken it yet).
    answer: Option<Answer>,
    /// The page's boot, waiting for the answer.
    waiting: Option<Box<dyn FnOnce(Answer)>>,
    /// The page's handler for the lock taken over by another tab.
    on_lost: Option<Box<dyn FnOnce()>>,
    /// The lock was taken over before the page had a handler for it.
    lost: bool,
}

type EarlyRef = Rc<RefCell<Early>>;

thread_local! {
    static BEGUN: RefCell<Option<EarlyRef>> = const { RefCell::new(None) };
}

/// Asks for the driver lock and opens lab `kind` at `version`'s database, both at once.
pub fn begin(kind: LabKind, version: EtcdVersion) {
    let early: EarlyRef = Rc::default();
    BEGUN.with(|b| *b.borrow_mut() = Some(early.clone()));
    {
        let early = early.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let opened = storage::open_lab(&db_name(kind, version)).await;
            early.borrow_mut().opened = Some(opened);
            settle(&early, kind, version);
        });
    }
    let granted = {
        let early = early.clone();
        move |ok: bool| {
            early.borrow_mut().drives = Some(ok);
            settle(&early, kind, version);
        }
    };
    let lost = {
        let early = early.clone();
        move || {
            let handler = early.borrow_mut().on_lost.take();
            match handler {
                Some(h) => h(),
                None => early.borrow_mut().lost = true,
            }
        }
    };
    if !request_lock(false, Box::new(granted.clone()), Box::new(lost)) {
        granted(true);
    }
}

/// Answers once the lock's answer is in: at once when another tab drives (the database, open now
/// or later, is closed), else with the database once it is in.
fn settle(early: &EarlyRef, kind: LabKind, version: EtcdVersion) {
    let a = {
        let mut e = early.borrow_mut();
        match (e.settled, e.drives) {
            (true, _) | (false, Some(false)) => {
                close(e.opened.take());
                if e.settled {
                    return;
                }
                (kind, version, None)
            }
            (false, None) => return,
            (false, Some(true)) => match e.opened.take() {
                None => return,
                Some(opened) => (kind, version, Some(opened)),
            },
        }
    };
    early.borrow_mut().settled = true;
    answer(early, a);
}

/// Closes a database the page will not use (a connection left open would hold up another tab's
/// upgrade of it).
fn close(opened: Option<Opened>) {
    if let Some(Ok(o)) = opened {
        o.db.close();
    }
}

fn answer(early: &EarlyRef, a: Answer) {
    let waiting = early.borrow_mut().waiting.take();
    match waiting {
        Some(w) => w(a),
        None => early.borrow_mut().answer = Some(a),
    }
}

/// What `begin` asked for, handed to the page's boot (once; `None` after that or without a
/// `begin`): `granted(drives, database)` runs when the answer is in, with the database only if
/// it is lab `kind` at `version`'s; `lost` when another tab takes the lock over.
pub fn take(
    kind: LabKind,
    version: EtcdVersion,
    granted: impl FnOnce(bool, Option<Opened>) + 'static,
    lost: impl FnOnce() + 'static,
) -> bool {
    let Some(early) = BEGUN.with(|b| b.borrow_mut().take()) else {
        return false;
    };
    let on_answer = move |(k, v, opened): Answer| {
        let drives = opened.is_some();
        // (another lab's database is closed; the page opens its own)
        match (k, v) == (kind, version) {
            true => granted(drives, opened),
            false => {
                close(opened);
                granted(drives, None);
            }
        }
    };
    let answer = early.borrow_mut().answer.take();
    match answer {
        Some(a) => on_answer(a),
        None => early.borrow_mut().waiting = Some(Box::new(on_answer)),
    }
    let was_lost = std::mem::take(&mut early.borrow_mut().lost);
    match was_lost {
        true => lost(),
        false => early.borrow_mut().on_lost = Some(Box::new(lost)),
    }
    true
}
