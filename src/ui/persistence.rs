//! The page's persistence loop (wasm only): one tab drives (a Web Lock), a reload is a power
//! cycle (the world restored from the members' IndexedDB disks, see the session's
//! `persistence`), and after every step or command the members' journals are drained and
//! written — one transaction per member, plus one for the playground's state and new inputs.
//! A command's output shows only once the flush carrying its writes committed (entries wait
//! as "pending"); nothing blocks the page meanwhile.
//!
//! Faults: an unreadable record gives the disk banner (that member starts empty and is
//! restored from its peers; the others are untouched), a full quota answers etcd's NOSPACE
//! error, a second tab yields and offers to take over.
//! Owns: the lock, the flush bookkeeping, reset (export is `export`'s). Must not touch: etcd
//! rules, the record format (`persist`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use super::early::{self, Opened};
use super::labs::{db_name, page_session};
use super::replaying;
use super::storage::{self, Stored, WriteError};
use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;
use crate::playground::lesson::Lesson;
use crate::playground::session::persistence::{
    Found, RecordChecksum, SharedSnapshots, SnapshotPiece,
};
use crate::playground::session::recovery::{
    expects_a_leader, no_leader_after_restore, unrecoverable, PayloadCheck,
};
use crate::playground::session::replay::Replay;
use crate::playground::session::share::{decode, encode, Shared};
use crate::playground::session::{PlaygroundState, Session};
use crate::ui::module::{self, Next};
use crate::ui::share::{clear_fragment, share_fragment};

pub type SessionRef = Rc<RefCell<Session>>;
pub type Slot = Rc<RefCell<Option<Rc<Persist>>>>;
pub type DbHandle = Rc<Persist>;

/// The Web Lock the driving tab holds.
pub const LOCK_NAME: &str = "etcd-playground-driver";

/// etcd's NOSPACE error, answered when the browser's quota is full.
pub const NOSPACE: &str = "etcdserver: mvcc: database space exceeded";

/// What persistence tells the page.
#[derive(Clone)]
pub struct Ui {
    /// Re-render.
    pub update: Callback<()>,
    /// The disk banner's text (`None`: hidden).
    pub banner: Callback<Option<String>>,
    /// Another tab drives (true) or this one does (false).
    pub second_tab: Callback<bool>,
    /// The console may take input, with a note for it.
    pub ready: Callback<(bool, Option<String>)>,
    /// A share link this page was opened with, offered (it would replace stored work).
    pub offer: Callback<Option<Shared>>,
}

/// An open database bound to the page's session.
pub struct Persist {
    pub db: idb::Database,
    session: SessionRef,
    ui: Ui,
    in_flight: Cell<usize>,
    /// Entries below this become durable once nothing is in flight.
    wanted: Cell<usize>,
    last_state: RefCell<Option<PlaygroundState>>,
    /// A write failed: the next flush rewrites the stores whole.
    needs_baseline: Cell<bool>,
    /// The last flush failed for the browser's quota (its banner shows until one commits).
    disk_full: Cell<bool>,
    /// A snapshot held back by a bulk load is scheduled (see [`snapshot_when_idle`]).
    snapshot_scheduled: Cell<bool>,
    /// The snapshot records the members share, as stored (see `persist::shared`).
    shared: Rc<RefCell<SharedSnapshots>>,
    /// Nothing more is written (the page hands over to its full module: `module`).
    frozen: Cell<bool>,
}

/// From now on nothing more is written from this page (see `module`).
pub fn freeze(p: &Persist) {
    p.frozen.set(true);
}

/// Flushes issued and not committed yet.
pub fn in_flight(p: &Persist) -> usize {
    p.in_flight.get()
}

/// Asks for the driver lock; `on_granted(true|false)` says whether this tab drives,
/// `on_lost` runs when another tab takes it over. Returns false when the browser has no Web
/// Locks (the tab then drives).
pub(super) fn request_lock(
    steal: bool,
    on_granted: Box<dyn FnOnce(bool)>,
    on_lost: Box<dyn FnOnce()>,
) -> bool {
    let Ok(nav) = Reflect::get(&js_sys::global(), &"navigator".into()) else {
        return false;
    };
    let Ok(locks) = Reflect::get(&nav, &"locks".into()) else {
        return false;
    };
    if locks.is_undefined() || locks.is_null() {
        return false;
    }
    let Some(request) = Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let opts = Object::new();
    let key = if steal { "steal" } else { "ifAvailable" };
    let _ = Reflect::set(&opts, &key.into(), &JsValue::TRUE);
    let cb = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            on_granted(false);
            return Promise::resolve(&JsValue::UNDEFINED).into();
        }
        on_granted(true);
        // Held for as long as the page lives.
        Promise::new(&mut |_, _| {}).into()
    });
    let Ok(p) = request.call3(&locks, &LOCK_NAME.into(), &opts, &cb) else {
        return false;
    };
    // The request's promise rejects when another tab steals the lock.
    if let Some(catch) = Reflect::get(&p, &"catch".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        let lost = Closure::once_into_js(move |_e: JsValue| on_lost());
        let _ = catch.call1(&p, &lost);
    }
    true
}

/// Loads the page: takes the driver lock (or, with `steal`, takes it over), then restores
/// lab `kind` at etcd `version` from its IndexedDB database. The first boot takes what the
/// page asked for before its first render (`early`).
pub fn boot(session: SessionRef, slot: Slot, ui: Ui, steal: bool, lab: (LabKind, EtcdVersion)) {
    let granted = {
        let (session, slot, ui) = (session.clone(), slot.clone(), ui.clone());
        move |ok: bool, opened: Option<Opened>| {
            if ok {
                ui.second_tab.emit(false);
                wasm_bindgen_futures::spawn_local(open_and_restore(session, slot, ui, lab, opened));
            } else {
                ui.second_tab.emit(true);
                ui.ready.emit((false, None));
            }
        }
    };
    let lost = {
        let (session, slot, ui) = (session.clone(), slot.clone(), ui.clone());
        move || {
            // Another tab took over: stop writing, stop taking input.
            *slot.borrow_mut() = None;
            if let Ok(mut s) = session.try_borrow_mut() {
                s.yield_to_another_tab();
            }
            ui.second_tab.emit(true);
            ui.ready.emit((false, None));
        }
    };
    if !steal && early::take(lab.0, lab.1, granted.clone(), lost.clone()) {
        return;
    }
    let asked = granted.clone();
    let supported = request_lock(steal, Box::new(move |ok| asked(ok, None)), Box::new(lost));
    if !supported {
        granted(true, None);
    }
}

/// Opens another lab's (or release's) database (the driver lock is already held) and
/// restores that lab.
pub fn open_lab(session: SessionRef, slot: Slot, ui: Ui, lab: (LabKind, EtcdVersion)) {
    wasm_bindgen_futures::spawn_local(open_and_restore(session, slot, ui, lab, None));
}

/// Restores lab `lab` from its database (`opened`: already opened, or why it did not open).
async fn open_and_restore(
    session: SessionRef,
    slot: Slot,
    ui: Ui,
    lab: (LabKind, EtcdVersion),
    opened: Option<Opened>,
) {
    let (kind, version) = lab;
    let mut times = OpenTimes::start();
    let opened = match opened {
        Some(o) => o,
        None => storage::open_lab(&db_name(kind, version)).await,
    };
    let (db, created) = match opened {
        Ok(o) => (o.db, o.created),
        Err(e) => {
            ui.ready
                .emit((true, Some(format!("{e} (this session will not be kept)"))));
            return;
        }
    };
    // (a database this open created holds nothing: a first visit does not wait for its read)
    let read = match created {
        true => Ok(Stored::created()),
        false => storage::load_all(&db).await,
    };
    let stored = match read {
        Ok(s) => s,
        Err(e) => {
            ui.banner
                .emit(Some(format!("The stored playground cannot be read: {e}.")));
            ui.ready.emit((true, None));
            return;
        }
    };
    times.mark("read");
    let mut problems = Vec::new();
    if let Some(p) = &stored.state_problem {
        problems.push(format!("{p} (the seed, clock and settings were reset)"));
    }
    let mut found = Found {
        state: stored.state.clone(),
        state_unreadable: stored.state_problem.is_some(),
        disks: stored.usable_disks(),
        inputs: stored.inputs.records.clone(),
    };
    // (a member a task, apart from the read's, once a task took more than a frame: the forged
    // records' check goes a piece at a time, then each member decodes its snapshot, see
    // `opening`; the read decoded the records just now, which took a frame or more if they are
    // more than a few MB)
    let stored_bytes: usize = found
        .disks
        .values()
        .map(|d| d.snapshot.data.len() + d.entries.iter().map(|e| e.data.len()).sum::<usize>())
        .sum();
    let mut since = match stored_bytes > HEAVY_READ_BYTES {
        true => f64::NEG_INFINITY,
        false => OpenTimes::now(),
    };
    // (a forged entry passes its checksum: its disk is damaged all the same)
    let mut check = PayloadCheck::default();
    loop {
        turn_if_due(&mut since).await;
        if !check.step(&found, CHECK_PIECE_BYTES) {
            break;
        }
    }
    let forged = check.finish(&mut found);
    // (the verdict knows the local members; a lab's node restarts its own member)
    let verdict = match kind {
        LabKind::Local => unrecoverable(&found),
        _ => None,
    };
    let mut damaged = stored.damaged();
    damaged.extend(forged);
    if let Some(v) = &verdict {
        problems.push(v.clone());
    }
    for (name, why) in &damaged {
        problems.push(if verdict.is_some() {
            format!("{name}'s disk cannot be read: {why}")
        } else {
            format!(
                "{name}'s disk cannot be read: {why}. {name} started with an empty disk and is restored from its peers; the other members' data is untouched"
            )
        });
    }
    let expected = kind == LabKind::Local && verdict.is_none() && expects_a_leader(&found);
    let mut opening = Session::opening(found);
    loop {
        turn_if_due(&mut since).await;
        if !opening.step() {
            break;
        }
    }
    let (mut new_session, note) = opening.finish();
    times.mark("restore");
    if let Some(v) = no_leader_after_restore(expected, &new_session) {
        problems.push(v);
    }
    if new_session.lab() != kind || new_session.playground().etcd_version() != version {
        // a fresh database (or an unreadable state) of a lab other than local at 3.4
        new_session = page_session(kind, version);
        new_session.start_persisting();
        let _ = new_session.take_new_inputs();
    }
    new_session.playground_mut().set_editor_available(true);
    if !stored.inputs.unreadable.is_empty() {
        problems.push(format!(
            "{} stored console line(s) could not be read: {}",
            stored.inputs.unreadable.len(),
            stored.inputs.unreadable.join("; ")
        ));
    }
    // (the placeholder the page first drew goes once the ready page is painted, and the key
    // tree is read then: 0.1 s for 100k keys, which the console need not wait for)
    let placeholder;
    let keyspace_later = bench_fill().is_none() && bench_tree().is_none();
    {
        let mut s = session.borrow_mut();
        let speed = s.speed();
        placeholder = std::mem::replace(&mut *s, new_session);
        s.set_speed(speed);
        // (what the first-visit module showed before it handed over: see `module`)
        s.show_earlier(module::arrived_entries());
        if !keyspace_later {
            s.refresh_keyspace(true);
        }
        if let Some(n) = bench_fill() {
            s.bench_fill(n);
        }
        if let Some(n) = bench_tree() {
            s.load_synthetic_keys(n);
        }
    }
    let p = Rc::new(Persist {
        db,
        session,
        ui: ui.clone(),
        in_flight: Cell::new(0),
        wanted: Cell::new(0),
        last_state: RefCell::new(None),
        needs_baseline: Cell::new(false),
        disk_full: Cell::new(false),
        snapshot_scheduled: Cell::new(false),
        frozen: Cell::new(false),
        shared: Rc::new(RefCell::new(stored.shared_snapshots())),
    });
    *slot.borrow_mut() = Some(p.clone());
    // A share link: opened at once when this lab keeps no work, offered otherwise.
    let mut open_now = None;
    let link = share_fragment();
    if let Some(fragment) = link.clone() {
        clear_fragment();
        match decode(&fragment) {
            Err(e) => problems.push(format!(
                "The link could not be opened: {e}. Nothing from it was run"
            )),
            Ok(shared) if (shared.lab(), shared.etcd_version()) != lab => problems.push(format!(
                "The link holds a session of lab {} at etcd {}: choose that lab and release, then open the link again",
                shared.lab,
                shared.etcd_version().full()
            )),
            Ok(shared) if stored.inputs.records.is_empty() => open_now = Some(shared),
            Ok(shared) => ui.offer.emit(Some(shared)),
        }
    }
    // What was read is what the banner's export hands over: the first flush below rewrites
    // the damaged disks (a member restored from its peers, or nothing left to restore).
    super::export::keep(
        lab,
        (!damaged.is_empty() || verdict.is_some()).then_some(stored),
    );
    if !problems.is_empty() {
        ui.banner.emit(Some(problems.join(". ") + "."));
    }
    // (a stored lab this module does not run: the full module's, see `module`)
    let handover = p.session.borrow_mut().take_handover();
    if let Some(h) = handover {
        let next = Next {
            needs: h.needs.to_string(),
            shared: link,
            ..Next::default()
        };
        return module::hand_over(&slot, next, ui.update.clone());
    }
    times.mark("ready");
    times.publish();
    ui.ready.emit((true, note));
    match open_now {
        Some(shared) => {
            refresh_keyspace(&p, keyspace_later);
            flush(&p);
            open_shared(p.session.clone(), slot, ui, shared);
        }
        // (the first flush writes the restored or fresh members whole: it waits for the
        // ready page's paint, and a line typed before it drains the same writes)
        None => after_paint(move || {
            refresh_keyspace(&p, keyspace_later);
            drop(placeholder);
            flush(&p);
        }),
    }
}

/// Reads the keys of the session just opened, when `wanted`, then builds their tree in a task
/// of its own and shows it.
fn refresh_keyspace(p: &Persist, wanted: bool) {
    if !wanted {
        return;
    }
    if let Ok(mut s) = p.session.try_borrow_mut() {
        s.read_keyspace_tree_later();
    }
    let session = p.session.clone();
    let update = p.ui.update.clone();
    gloo_timers::callback::Timeout::new(0, move || {
        if let Ok(mut s) = session.try_borrow_mut() {
            s.build_pending_tree();
        }
        update.emit(());
    })
    .forget();
}

/// Runs `f` in a task of its own once the page painted its next frame, or after
/// [`PAINT_WAIT_MS`] if no frame comes first (a tab opened in the background paints no frame
/// until it is shown), whichever is first; at once if the browser has no frames to offer.
fn after_paint(f: impl FnOnce() + 'static) {
    type Once = Rc<Cell<Option<Box<dyn FnOnce()>>>>;
    let f: Once = Rc::new(Cell::new(Some(Box::new(f))));
    let run = |f: Once| {
        move || {
            if let Some(f) = f.take() {
                f();
            }
        }
    };
    let painted = run(f.clone());
    let frame = Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, painted).forget();
    });
    let asked = web_sys::window()
        .map(|w| w.request_animation_frame(frame.unchecked_ref()).is_ok())
        .unwrap_or(false);
    if asked {
        gloo_timers::callback::Timeout::new(PAINT_WAIT_MS, run(f)).forget();
    } else {
        run(f)();
    }
}

/// How long [`after_paint`] waits for a frame.
const PAINT_WAIT_MS: u32 = 200;

/// How long a task of the restore may run before the page gets a turn to paint.
const FRAME_MS: f64 = 16.0;

/// How many bytes of stored records the forged records' check decodes between looks at the
/// clock (a member's log holds about 60 MB after the large `/registry` sample).
const CHECK_PIECE_BYTES: usize = 1 << 20;

/// Stored bytes past which reading them took a frame (the first member's boot then waits for
/// a task of its own).
const HEAVY_READ_BYTES: usize = 4 << 20;

/// Gives the page its turn to paint (see [`next_task`]) when the task running since `since`
/// ran past [`FRAME_MS`]; `since` is then now.
pub(super) async fn turn_if_due(since: &mut f64) {
    if OpenTimes::now() - *since > FRAME_MS {
        next_task().await;
        *since = OpenTimes::now();
    }
}

/// Resolves in a task of its own, once the page had its turn to paint.
async fn next_task() {
    let turn = Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
            return;
        };
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .is_err()
        {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(turn).await;
}

/// Replaces lab `shared.lab`'s session (in view, its database emptied first) with the replay
/// of a share link, written whole.
pub fn open_shared(session: SessionRef, slot: Slot, ui: Ui, shared: Shared) {
    let offer = ui.offer.clone();
    let next = Next {
        shared: encode(&shared).ok(),
        ..Next::default()
    };
    replace_session(
        session,
        slot,
        ui,
        ("Opening the shared session failed", next),
        Box::new(move || {
            offer.emit(None);
            let (mut s, replay) = Session::start_shared(&shared);
            s.playground_mut().set_editor_available(true);
            Building {
                session: s,
                replay: Some(replay),
                end: Box::new(move |s: &mut Session| s.end_shared(&shared)),
            }
        }),
    );
}

/// Replaces the session in view with a fresh one of `lesson`'s lab and seed, the lesson
/// started (its setup run); the lessons finished before are carried over.
pub fn start_lesson(session: SessionRef, slot: Slot, ui: Ui, lesson: Rc<Lesson>) {
    let old = session.clone();
    let next = Next {
        lesson: Some(lesson.id.clone()),
        ..Next::default()
    };
    let why = ("Starting the lesson failed", next);
    let make = move || {
        let mut s = Session::for_lesson(lesson);
        s.playground_mut().set_editor_available(true);
        if let Ok(o) = old.try_borrow() {
            s.inherit_lessons(&o);
        }
        Building::done(s)
    };
    replace_session(session, slot, ui, why, Box::new(make));
}

/// A session built to replace the one in view: the replay it still has to run (a share
/// link's), then `end`.
struct Building {
    session: Session,
    replay: Option<Replay>,
    end: Box<dyn FnOnce(&mut Session)>,
}

impl Building {
    fn done(session: Session) -> Building {
        Building {
            session,
            replay: None,
            end: Box::new(|_| {}),
        }
    }
}

/// Empties the database of the lab in view, then puts the session `make` builds in place of
/// its session and writes it whole (`failed` starts the banner's text if emptying fails). A
/// session that needs the full module (its replay did) is built there: `next` says how. The
/// replay a built session still has runs first, a step at a time with the page's turn to
/// paint between slices; after a slice of it the console waits and says how far it got.
fn replace_session(
    session: SessionRef,
    slot: Slot,
    ui: Ui,
    (failed, next): (&'static str, Next),
    make: Box<dyn FnOnce() -> Building>,
) {
    // (boxed: one copy of this body for its three callers, not one each)
    let p = slot.borrow().clone();
    wasm_bindgen_futures::spawn_local(async move {
        let Building {
            session: mut fresh,
            replay,
            end,
        } = make();
        // (the console waited for a long replay: it is ready again once the session is in view)
        let mut opened_note = None;
        if let Some(mut replay) = replay {
            let total = replay.progress().1;
            let shown = replaying::drive(&mut fresh, &mut replay, |replay, fresh| {
                let (replayed, total) = replay.progress();
                let what = replay.working(fresh).map_or(String::new(), |(line, p)| {
                    format!(" ({line}: {} of {} keys)", p.written, p.expected)
                });
                ui.ready.emit((
                    false,
                    Some(format!(
                        "Replaying the shared session: {replayed} of {total} inputs{what}…"
                    )),
                ));
            })
            .await;
            if shown {
                opened_note = Some(format!(
                    "Opened the shared session ({total} inputs replayed)."
                ));
            }
        }
        end(&mut fresh);
        // (emptied once the new session is built: until then the one in view is kept whole)
        if let Some(p) = &p {
            if let Err(e) = storage::clear_all(&p.db).await {
                ui.banner.emit(Some(format!("{failed}: {e}")));
                if opened_note.is_some() {
                    ui.ready.emit((true, None));
                }
                return;
            }
            *p.shared.borrow_mut() = SharedSnapshots::default();
        }
        {
            if let Some(h) = fresh.take_handover() {
                let needs = h.needs.to_string();
                return module::hand_over(&slot, Next { needs, ..next }, ui.update.clone());
            }
            let mut s = session.borrow_mut();
            fresh.set_speed(s.speed());
            if p.is_some() {
                fresh.start_persisting();
            }
            *s = fresh;
            s.refresh_keyspace(true);
        }
        if let Some(p) = &p {
            *p.last_state.borrow_mut() = None;
            flush(p);
        }
        ui.banner.emit(None);
        if let Some(note) = opened_note {
            ui.ready.emit((true, Some(note)));
        }
        ui.update.emit(());
    });
}

/// A benchmark hook: `#bench-fill=N` writes N keys (directly through the world, in txns)
/// after the load, so reload time can be measured at scale.
fn bench_fill() -> Option<usize> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#bench-fill=")?.parse().ok()
}

/// A benchmark hook: `#bench-tree=N` fills the keyspace panel with N synthetic keys (UI only,
/// the world is not touched) so the tree can be measured at scale.
fn bench_tree() -> Option<usize> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#bench-tree=")?.parse().ok()
}

/// Drains the members' journals and writes them; the entries shown so far become durable
/// when the writes commit.
pub fn flush(p: &Rc<Persist>) {
    let Ok(mut s) = p.session.try_borrow_mut() else {
        return;
    };
    if !s.is_persisting() || p.frozen.get() {
        return;
    }
    if p.needs_baseline.replace(false) {
        s.restart_journals();
    }
    let t0 = js_sys::Date::now();
    let disks = s.drain_disks();
    let (clear, inputs) = s.take_new_inputs();
    let state = s.stored_state();
    let upto = s.next_entry_id();
    let write_state = {
        let last = p.last_state.borrow();
        match last.as_ref() {
            None => true,
            Some(l) => {
                !disks.is_empty()
                    || l.env != state.env
                    || l.hints != state.hints
                    || l.settings != state.settings
                    || l.lab != state.lab
                    || l.node != state.node
                    || l.jobs != state.jobs
                    || l.unset_secrets != state.unset_secrets
                    || l.secrets_named != state.secrets_named
                    || state.clock_us.saturating_sub(l.clock_us) >= 1_000_000
            }
        }
    };
    if disks.is_empty() && inputs.is_empty() && !clear && !write_state {
        if p.in_flight.get() == 0 {
            s.mark_durable(upto);
        } else {
            p.wanted.set(p.wanted.get().max(upto));
        }
        return;
    }
    drop(s);
    let fut = storage::flush(
        &p.db,
        &p.shared,
        disks,
        write_state.then_some(&state),
        clear,
        &inputs,
    );
    // (kept to be written again if this flush fails)
    let unstored = (clear, inputs);
    if write_state {
        *p.last_state.borrow_mut() = Some(state);
    }
    record_issue_time(js_sys::Date::now() - t0);
    p.in_flight.set(p.in_flight.get() + 1);
    let p = p.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let t1 = js_sys::Date::now();
        let r = fut.await;
        record_commit_time(js_sys::Date::now() - t1);
        if let Some(deleting) = storage::delete_unnamed(&p.db, &p.shared) {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = deleting.await;
            });
        }
        p.in_flight.set(p.in_flight.get().saturating_sub(1));
        {
            let Ok(mut s) = p.session.try_borrow_mut() else {
                return;
            };
            match &r {
                Ok(()) => s.mark_durable(upto),
                Err(e) => {
                    p.needs_baseline.set(true);
                    let (clear, inputs) = unstored;
                    s.inputs_not_stored(clear, inputs);
                    match e {
                        WriteError::QuotaExceeded(_) => s.disk_full(upto),
                        WriteError::Other(e) => s.fail_pending(upto, &format!("Error: {e}\n")),
                    }
                }
            }
            if p.in_flight.get() == 0 && r.is_ok() {
                s.mark_durable(p.wanted.get());
            }
            if r.is_ok() && s.snapshot_due() {
                snapshot_when_idle(&p);
            }
        }
        match r {
            Err(e) => {
                let why = match &e {
                    WriteError::QuotaExceeded(x) => {
                        p.disk_full.set(true);
                        format!("The browser's storage for this page is full ({x}). As an etcd member whose backend reached its quota, every member raised the NOSPACE alarm: writes are refused with `{NOSPACE}`; reads, deletes, compaction and defrag still work. What ran until then is kept in this tab and stored as soon as there is room (closing the tab before that loses it). Free space: delete keys you do not need, then `etcdctl compaction REV` (REV: the `revision` that `etcdctl get x -w json` shows) and `etcdctl defrag --cluster` (the members then store the compacted keyspace instead of its history); or export, then reset this lab or another one, or clear other sites' data in the browser. Then run `etcdctl alarm disarm`")
                    }
                    WriteError::Other(x) => format!("A write to the disk failed: {x}"),
                };
                p.ui.banner.emit(Some(why));
            }
            Ok(()) if p.disk_full.replace(false) => p.ui.banner.emit(None),
            Ok(()) => {}
        }
        p.ui.update.emit(());
    });
}

/// [`flush`] in a task of its own, a moment later (after a line that kept the page busy:
/// the page paints between the two). What it writes waits as the entries shown meanwhile
/// do ("writing to disk…").
pub fn flush_soon(p: &Rc<Persist>) {
    let p = p.clone();
    gloo_timers::callback::Timeout::new(0, move || flush(&p)).forget();
}

/// After a bulk load (`load k8s large`) the members' snapshots are due but were held back, so
/// that the load's answer does not wait for them: they are taken here, a moment after the
/// load's flush committed (as etcd snapshots in the background), one member at a time, each
/// flushed like any other write (its commit schedules the next), instead of stalling whichever
/// command comes next. A snapshot is written in pieces, a slice of them per task (a member's
/// snapshot after the large sample is about 140 MB: 300 ms and more of the main thread in one
/// go); then its record's checksum is computed the same way, and the flush issued in the task
/// of the last piece (see [`checksum_then_flush`]).
fn snapshot_when_idle(p: &Rc<Persist>) {
    snapshot_pieces_after(p, SNAPSHOT_IDLE_MS);
}

fn snapshot_pieces_after(p: &Rc<Persist>, ms: u32) {
    if p.snapshot_scheduled.replace(true) {
        return;
    }
    let p = p.clone();
    gloo_timers::callback::Timeout::new(ms, move || {
        p.snapshot_scheduled.set(false);
        let start = js_sys::Date::now();
        let piece = match p.session.try_borrow_mut() {
            Ok(mut s) => loop {
                let piece = s.snapshot_piece();
                if piece != SnapshotPiece::Working
                    || js_sys::Date::now() - start >= super::working::SLICE_MS
                {
                    break piece;
                }
            },
            // Busy (a command is running): try again later.
            Err(_) => {
                snapshot_when_idle(&p);
                return;
            }
        };
        match piece {
            SnapshotPiece::Working => snapshot_pieces_after(&p, 0),
            SnapshotPiece::Took => {
                p.ui.update.emit(());
                checksum_then_flush(&p);
            }
            SnapshotPiece::NotDue => {}
        }
    })
    .forget();
}

/// Computes the checksum of the snapshot record the next flush stores, a slice of pieces per
/// task, then flushes: the member write finds the record's key known and only copies the
/// record out, a part per slice. (A flush that comes meanwhile, after a command, computes it
/// in one go instead; nothing waits for this one.)
fn checksum_then_flush(p: &Rc<Persist>) {
    let job = match p.session.try_borrow() {
        Ok(s) => s.record_checksum(&p.shared.borrow()),
        Err(_) => None,
    };
    match job {
        Some(job) => checksum_slice(p.clone(), job),
        None => flush_soon(p),
    }
}

fn checksum_slice(p: Rc<Persist>, mut job: RecordChecksum) {
    gloo_timers::callback::Timeout::new(0, move || {
        let start = js_sys::Date::now();
        loop {
            if job.advance(&p.shared.borrow()) {
                return flush(&p);
            }
            if js_sys::Date::now() - start >= super::working::SLICE_MS {
                return checksum_slice(p, job);
            }
        }
    })
    .forget();
}

/// How long after the load's flush the held-back snapshots are taken.
const SNAPSHOT_IDLE_MS: u32 = 250;

thread_local! {
    static TIMES: RefCell<(Vec<f64>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

fn record_issue_time(ms: f64) {
    TIMES.with(|t| t.borrow_mut().0.push(ms));
}

fn record_commit_time(ms: f64) {
    TIMES.with(|t| t.borrow_mut().1.push(ms));
    publish_times();
}

/// How long a page load's steps took (ms since the open began): reading the store, restoring
/// the session from it, and the rest until the console is ready. Exposed to benchmarks and
/// tests as `window.__etcdplayOpenTimes = {read, restore, ready}`.
pub(super) struct OpenTimes {
    start: f64,
    marks: Vec<(&'static str, f64)>,
}

impl OpenTimes {
    pub(super) fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }

    fn start() -> Self {
        OpenTimes {
            start: Self::now(),
            marks: Vec::new(),
        }
    }

    fn mark(&mut self, step: &'static str) {
        self.marks.push((step, Self::now() - self.start));
    }

    fn publish(&self) {
        let obj = Object::new();
        for (step, ms) in &self.marks {
            let _ = Reflect::set(&obj, &(*step).into(), &JsValue::from_f64(*ms));
        }
        let _ = Reflect::set(&js_sys::global(), &"__etcdplayOpenTimes".into(), &obj);
    }
}

/// Exposes the flush timings to benchmarks: `window.__etcdplayFlushTimes = {issue, commit}`.
fn publish_times() {
    TIMES.with(|t| {
        let t = t.borrow();
        let obj = Object::new();
        let issue: js_sys::Array = t.0.iter().map(|x| JsValue::from_f64(*x)).collect();
        let commit: js_sys::Array = t.1.iter().map(|x| JsValue::from_f64(*x)).collect();
        let _ = Reflect::set(&obj, &"issue".into(), &issue);
        let _ = Reflect::set(&obj, &"commit".into(), &commit);
        let _ = Reflect::set(&js_sys::global(), &"__etcdplayFlushTimes".into(), &obj);
    });
}

/// "Reset the playground": every store of lab `kind`'s database at etcd `version` emptied, a
/// fresh world of that lab and release written whole (the other labs and releases are
/// untouched).
pub fn reset(session: SessionRef, slot: Slot, ui: Ui, lab: (LabKind, EtcdVersion)) {
    super::export::keep(lab, None);
    replace_session(
        session,
        slot,
        ui,
        ("Reset failed", Next::default()),
        Box::new(move || Building::done(page_session(lab.0, lab.1))),
    );
}

/// Offers `bytes` as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    download_parts(
        name,
        mime,
        &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)),
    );
}

/// Offers the Blob made of `parts` as a file download.
pub fn download_parts(name: &str, mime: &str, parts: &js_sys::Array) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
