//! The page: a title bar (product, lab and etcd release selectors, theme, help), then two resizable columns: on the left the
//! time bar, the cluster picture with its member strip, and the console; on the right the
//! keyspace and the detail pane (a key, a member or a link, whichever was selected last).
//!
//! Owns: the layout and what wires it to the page's one path from input to screen (the
//! `dispatch`: every click, key and timer tick that changes something is a session
//! [`Action`]). Also the play timer (the only place wall time enters), the theme, view state
//! (what is selected), and the notices of persistence (disk banner, second tab, reset). The
//! labs: the page shows one session of a lab at an etcd release at a time (`labs`); a `lab`
//! line or a selector switches (to the full module first when this one does not run that lab:
//! `module`), and an output that asks for the editor (`vi FILE`) opens it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::actions::{LinkPanel, MemberPanel, MemberStrip, TracePanel};
use super::cluster::{ClusterPicture, Selection};
use super::console::{Console, HistoryMove, TerminalView};
use super::controls::TimeBar;
use super::dispatch::{dispatcher, store};
use super::editor::Editor;
use super::keyspace::{KeyDetail, KeyspacePanel};
use super::lab_select::{LabSelect, SelectKind};
use super::labs::{lab_line, remember, remembered, DbSlot, LabLine, Labs};
use super::lessons::{has_own_inputs, view_of, LessonsPanel};
use super::module::{self, hand_over_lines as hand_over, lab_needs, Next};
use super::registry_view::RegistryDetail;
use super::remote::{page_origin, use_connect_strip, ConnectPanel, ConnectionBanner};
use super::share::{LinkState, ShareOffer, SharePanel};
use super::time_travel::TimeTravelConfirm;
use super::working::Working;
use crate::api::EtcdVersion;
use crate::playground::completion::Completion;
use crate::playground::lab::{with_release, LabKind};
use crate::playground::lesson::{self, Lesson};
use crate::playground::session::share::Shared;
use crate::playground::session::Action;
use crate::process::Edit;

/// Wall milliseconds between two frames of play.
pub const FRAME_MS: u32 = 33;

type SessionRef = super::labs::SessionRef;

/// An input held while the page asks whether to discard what came after a rewind.
#[derive(Clone, PartialEq)]
enum Held {
    /// A console line (cancel puts it back into the input).
    Line(String),
    Act(Action),
}
type LabsRef = Rc<RefCell<Labs>>;
/// A lab at an etcd release: what the page keeps one session (and one database) of.
type LabAt = (LabKind, EtcdVersion);

#[component]
pub fn App() -> Html {
    // (a share link in the address opens its lab and release)
    let labs: LabsRef = use_mut_ref(|| {
        let (kind, version) = link_lab().unwrap_or_else(remembered);
        Labs::new(kind, version)
    });
    let current = labs.borrow().current();
    let (kind, version) = (current.kind, current.version);
    let session: SessionRef = current.session.clone();
    let db: DbSlot = current.db.clone();
    let update = use_force_update();
    let ready = use_state(|| false);
    let note = use_state(|| None::<String>);
    let selection = use_state(|| None::<Selection>);
    let editing = use_state(|| None::<Edit>);
    let theme = use_state(|| None::<&'static str>);
    let help_open = use_state(|| false);
    let disk_banner = use_state(|| None::<String>);
    let second_tab = use_state_eq(|| false);
    let share = use_state(|| None::<LinkState>);
    let offer = use_state(|| None::<Shared>);
    // the lessons panel: None until toggled (then open while a lesson is in progress)
    let lessons_open = use_state(|| None::<bool>);
    let lesson_confirm = use_state(|| None::<(String, String)>);
    // a lesson to start once its lab is in view and ready
    let lesson_queued = use_state(|| None::<String>);
    // what the first-visit module left to do here (the full module: see `module`)
    let arrived = use_mut_ref(module::arrived);
    let fill = use_state(|| None::<(u32, String)>);
    let held = use_state(|| None::<Held>);
    let dispatch = dispatcher(labs.clone(), update.clone());
    // After a rewind, an input that would discard the later ones waits for an answer.
    let inputs_ahead = session.try_borrow().map_or(0, |s| s.inputs_ahead());
    let guarded = {
        let (dispatch, held) = (dispatch.clone(), held.clone());
        Callback::from(move |a: Action| {
            if inputs_ahead > 0 && a.adds_input() {
                held.set(Some(Held::Act(a)));
            } else {
                dispatch.emit(a);
            }
        })
    };
    let disk_ui = {
        let update = update.clone();
        let disk_banner = disk_banner.clone();
        let second_tab = second_tab.clone();
        let ready = ready.clone();
        let note = note.clone();
        let labs = labs.clone();
        let offer = offer.clone();
        DiskUi {
            offer: Callback::from(move |o| offer.set(o)),
            update: Callback::from(move |_| update.force_update()),
            banner: Callback::from(move |b| disk_banner.set(b)),
            second_tab: Callback::from(move |b| second_tab.set(b)),
            ready: Callback::from(move |(r, n): (bool, Option<String>)| {
                if n.is_some() {
                    note.set(n);
                }
                if r {
                    // a lab opened by `lab NAME`: its answer shows in it
                    show_pending_line(&labs);
                }
                ready.set(r);
            }),
        }
    };

    // Restore: take the driver lock, restart the members from their disks in IndexedDB,
    // read the keyspace, then open the input.
    {
        let session = session.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        let update = update.clone();
        use_effect_with((), move |_| match module::runs(kind, version) {
            true => boot(session, db, disk_ui, false, (kind, version)),
            // (a lab or release of a link or remembered: the full module's)
            false => hand_over(
                (&db, &session),
                lab_needs(kind, version),
                Vec::new(),
                &update,
            ),
        });
    }
    let on_take_over = {
        let session = session.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        Callback::from(move |_: MouseEvent| {
            boot(
                session.clone(),
                db.clone(),
                disk_ui.clone(),
                true,
                (kind, version),
            )
        })
    };
    let on_reset_playground = {
        let session = session.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        Callback::from(move |_: MouseEvent| {
            reset_playground(
                session.clone(),
                db.clone(),
                disk_ui.clone(),
                (kind, version),
            )
        })
    };
    let on_export = Callback::from(move |_: MouseEvent| export_disks((kind, version)));
    let on_share = {
        let (session, db, share) = (session.clone(), db.clone(), share.clone());
        Callback::from(move |_: MouseEvent| {
            let share = share.clone();
            make_share_link(
                session.clone(),
                db.clone(),
                Callback::from(move |l| share.set(Some(l))),
            );
        })
    };
    let connect = use_connect_strip(&dispatch);
    let on_share_close = {
        let share = share.clone();
        Callback::from(move |_: MouseEvent| share.set(None))
    };
    let on_open_shared = {
        let (session, db, disk_ui, offer) =
            (session.clone(), db.clone(), disk_ui.clone(), offer.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(shared) = (*offer).clone() {
                open_shared(session.clone(), db.clone(), disk_ui.clone(), shared);
            }
        })
    };
    let on_keep_mine = {
        let offer = offer.clone();
        Callback::from(move |_: MouseEvent| offer.set(None))
    };
    let on_dismiss = {
        let disk_banner = disk_banner.clone();
        Callback::from(move |_: MouseEvent| disk_banner.set(None))
    };

    // Play: turn wall time into simulated time while playing (the lab in view's).
    // After a trap (out of memory) the session can stay borrowed for good: rendering tries,
    // so later events do not panic in a cascade.
    // (connected to a real cluster, its jobs are polled as wall time passes, playing or not)
    let playing = session
        .try_borrow()
        .is_ok_and(|s| s.playing() || s.real_cluster());
    {
        let dispatch = dispatch.clone();
        use_effect_with((playing, kind, version), move |(playing, _, _)| {
            let timer = playing.then(|| start_timer(dispatch));
            move || {
                let _stopped_here = timer;
            }
        });
    }

    // Lessons: a chosen lesson starts once its lab is the one in view, at etcd 3.4 (lessons
    // are written for it), and ready (a switch to a lab not opened yet waits for its restore).
    {
        let (session, db, disk_ui, queued) = (
            session.clone(),
            db.clone(),
            disk_ui.clone(),
            lesson_queued.clone(),
        );
        let ready = *ready;
        use_effect_with(
            ((*lesson_queued).clone(), ready, kind, version),
            move |(q, ready, kind, version)| {
                if let (Some(id), true) = (q, *ready) {
                    match lesson::find(id) {
                        Some(l) if l.lab == *kind && *version == EtcdVersion::default() => {
                            queued.set(None);
                            start_lesson(session, db, disk_ui, l);
                        }
                        Some(_) => {}
                        None => queued.set(None),
                    }
                }
            },
        );
    }
    let on_choose_lesson = {
        let (labs, session, confirm, queued) = (
            labs.clone(),
            session.clone(),
            lesson_confirm.clone(),
            lesson_queued.clone(),
        );
        Callback::from(move |id: String| {
            let Some(l) = lesson::find(&id) else { return };
            let Ok(s) = session.try_borrow() else { return };
            if s.lesson().is_some_and(|r| r.id == id && !r.finished()) {
                return; // already the one in progress: the panel shows it
            }
            let own = has_own_inputs(&s);
            drop(s);
            let here = labs
                .try_borrow()
                .is_ok_and(|l2| l2.kind() == l.lab && l2.version() == EtcdVersion::default());
            if here && !own {
                queued.set(Some(id));
            } else {
                confirm.set(Some((id, start_question(&l, here))));
            }
        })
    };
    // Theme: an explicit choice overrides the system's preference.
    {
        use_effect_with(*theme, move |t| {
            super::theme::set_attribute(*t);
        });
    }

    // Queries of the console: they answer the console and change nothing on screen, so they
    // are not actions (a busy session answers nothing rather than panic).
    let on_download = {
        let session = session.clone();
        Callback::from(move |name: String| {
            let bytes = session.try_borrow().ok().and_then(|s| s.file(&name));
            if let Some(bytes) = bytes {
                download_file(&name, &bytes);
            }
        })
    };
    let on_history = {
        let session = session.clone();
        Callback::from(move |m: HistoryMove| {
            let mut s = session.try_borrow_mut().ok()?;
            match m {
                HistoryMove::Up(current) => s.history_up(&current),
                HistoryMove::Down => s.history_down(),
            }
        })
    };
    let on_complete = {
        let session = session.clone();
        Callback::from(move |line: String| match session.try_borrow() {
            Ok(s) => s.complete(&line),
            Err(_) => Completion {
                line,
                candidates: Vec::new(),
            },
        })
    };

    // A console line: `lab` lines are the page's own (they switch the session in view); the
    // rest go to the session, and one that opens a file (`vi FILE`) opens the editor.
    let run_now = {
        let labs = labs.clone();
        let dispatch = dispatch.clone();
        let editing = editing.clone();
        let selection = selection.clone();
        let disk_ui = disk_ui.clone();
        let update = update.clone();
        Callback::from(move |text: String| {
            let Ok(current) = labs.try_borrow().map(|l| l.current()) else {
                return;
            };
            match lab_line(&text, current.kind, current.version) {
                LabLine::NotLab => {
                    let before = current.session.borrow().next_entry_id();
                    dispatch.emit(Action::Run(text));
                    let edit = current.session.try_borrow().ok().and_then(|s| {
                        s.entries()
                            .iter()
                            .rev()
                            .take_while(|e| e.id >= before)
                            .find_map(|e| e.output.edit.clone())
                    });
                    if edit.is_some() {
                        editing.set(edit);
                    }
                }
                LabLine::Answer(out) => {
                    if let Ok(mut s) = current.session.try_borrow_mut() {
                        s.show(&text, out);
                    }
                    store(&current.db, false);
                    update.force_update();
                }
                LabLine::Switch(to, v, _) if !module::runs(to, v) => {
                    let at = (&current.db, &current.session);
                    hand_over(at, lab_needs(to, v), vec![text], &update);
                }
                LabLine::Switch(to, to_version, out) => {
                    let (slot, new) = labs.borrow_mut().switch(to, to_version);
                    remember(to, to_version);
                    selection.set(None);
                    editing.set(None);
                    if new {
                        labs.borrow_mut().set_pending_line(text, out);
                        disk_ui.ready.emit((false, None));
                        open_lab(slot.session, slot.db, disk_ui.clone(), (to, to_version));
                    } else {
                        if let Ok(mut s) = slot.session.try_borrow_mut() {
                            s.show(&text, out);
                        }
                        store(&slot.db, false);
                    }
                    update.force_update();
                }
            }
        })
    };
    {
        let (arrived, run_now, queued) = (arrived.clone(), run_now.clone(), lesson_queued.clone());
        use_effect_with(*ready, move |ready| {
            if !*ready {
                return;
            }
            let next = arrived.borrow_mut().take();
            if let Some(next) = next {
                next.lines.into_iter().for_each(|l| run_now.emit(l));
                queued.set(next.lesson);
            }
        });
    }
    let on_run = {
        let (run_now, held) = (run_now.clone(), held.clone());
        Callback::from(move |text: String| {
            if inputs_ahead > 0 && matches!(lab_line(&text, kind, version), LabLine::NotLab) {
                held.set(Some(Held::Line(text)));
            } else {
                run_now.emit(text);
            }
        })
    };
    let on_choose_lab = on_run.reform(|name: String| format!("lab {name}"));
    let on_choose_version =
        on_run.reform(move |v: String| format!("lab {} --etcd {v}", kind.name()));
    let on_confirm_lesson = {
        let (confirm, queued, on_run) = (
            lesson_confirm.clone(),
            lesson_queued.clone(),
            on_run.clone(),
        );
        let (db, update, session) = (db.clone(), update.clone(), session.clone());
        Callback::from(move |_| {
            let Some((id, _)) = (*confirm).clone() else {
                return;
            };
            confirm.set(None);
            if let Some(l) = lesson::find(&id) {
                if !module::runs(l.lab, EtcdVersion::default()) {
                    // (the lesson's lab is the full module's: it starts there)
                    let line = format!("lab {} --etcd 3.4", l.lab.name());
                    let (needs, lesson) = (lab_needs(l.lab, version), Some(id));
                    let next = Next {
                        needs,
                        lines: vec![line],
                        lesson,
                        ..Next::default()
                    };
                    return module::hand_over_next((&db, &session), next, &update);
                }
                if l.lab != kind || version != EtcdVersion::default() {
                    // the same as typing `lab NAME` (a lab not opened yet restores first)
                    on_run.emit(format!("lab {} --etcd 3.4", l.lab.name()));
                }
            }
            queued.set(Some(id));
        })
    };
    let on_cancel_lesson = {
        let confirm = lesson_confirm.clone();
        Callback::from(move |_| confirm.set(None))
    };
    let on_fill = {
        let fill = fill.clone();
        Callback::from(move |line: String| {
            let n = fill.as_ref().map_or(0, |(n, _)| n.wrapping_add(1));
            fill.set(Some((n, line)));
        })
    };
    let toggle_lessons = {
        let (open, session) = (lessons_open.clone(), session.clone());
        Callback::from(move |_: MouseEvent| {
            let now =
                (*open).unwrap_or_else(|| session.try_borrow().is_ok_and(|s| s.lesson().is_some()));
            open.set(Some(!now));
        })
    };
    let on_close_lessons = {
        let open = lessons_open.clone();
        Callback::from(move |_| open.set(Some(false)))
    };
    let on_save_edit = {
        let guarded = guarded.clone();
        let editing = editing.clone();
        Callback::from(move |text: String| {
            if let Some(e) = (*editing).clone() {
                editing.set(None);
                guarded.emit(Action::SaveEdit { path: e.path, text });
            }
        })
    };
    // The answers to "discard what came after?": cancel gives the input back.
    let on_discard = {
        let (held, run_now, dispatch) = (held.clone(), run_now.clone(), dispatch.clone());
        Callback::from(move |_| {
            match (*held).clone() {
                Some(Held::Line(text)) => run_now.emit(text),
                Some(Held::Act(a)) => dispatch.emit(a),
                None => {}
            }
            held.set(None);
        })
    };
    let on_cancel_held = {
        let (held, fill, editing) = (held.clone(), fill.clone(), editing.clone());
        Callback::from(move |_| {
            match (*held).clone() {
                Some(Held::Line(line)) => {
                    let n = fill.as_ref().map_or(0, |(n, _)| n.wrapping_add(1));
                    fill.set(Some((n, line)));
                }
                Some(Held::Act(Action::SaveEdit { path, text })) => {
                    editing.set(Some(Edit { path, text }));
                }
                _ => {}
            }
            held.set(None);
        })
    };
    // Esc closes whatever dialog is open (a question answers "cancel").
    {
        let (help_open, share, confirm, offer) = (
            help_open.clone(),
            share.clone(),
            lesson_confirm.clone(),
            offer.clone(),
        );
        let (held_open, on_cancel_held) = (held.is_some(), on_cancel_held.clone());
        super::keys::use_escape(Callback::from(move |_| {
            help_open.set(false);
            share.set(None);
            confirm.set(None);
            offer.set(None);
            if held_open {
                on_cancel_held.emit(());
            }
        }));
    }
    let on_cancel_edit = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(None))
    };

    // View state: what the detail pane shows.
    let on_select = {
        let selection = selection.clone();
        Callback::from(move |s: Selection| selection.set(Some(s)))
    };
    let on_select_entry = {
        let selection = selection.clone();
        Callback::from(move |id: usize| selection.set(Some(Selection::Entry(id))))
    };
    let on_select_member = {
        let selection = selection.clone();
        Callback::from(move |n: String| selection.set(Some(Selection::Member(n))))
    };
    let on_select_key = {
        let dispatch = dispatch.clone();
        let selection = selection.clone();
        Callback::from(move |k: Vec<u8>| {
            dispatch.emit(Action::SelectKey(k));
            selection.set(Some(Selection::Key));
        })
    };
    let toggle_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let dark = match *theme {
                Some(t) => t == "dark",
                None => super::theme::system_prefers_dark(),
            };
            theme.set(Some(if dark { "light" } else { "dark" }));
        })
    };
    let toggle_help = {
        let help_open = help_open.clone();
        Callback::from(move |_: MouseEvent| help_open.set(!*help_open))
    };

    let Ok(s) = session.try_borrow() else {
        return html! {
            <div class="disk-banner" role="alert" data-testid="stopped-banner">
                { "The playground stopped (it ran out of memory or hit an error). Reload the page: what you ran is kept in this browser." }
            </div>
        };
    };
    let cluster = s.cluster();
    let detail = match &*selection {
        Some(Selection::Member(n)) => cluster
            .member(n)
            .map(|m| html! { <MemberPanel member={m.clone()} /> }),
        Some(Selection::Link(a, b)) => Some(html! {
            <LinkPanel a={a.clone()} b={b.clone()} model={cluster.clone()} on_op={guarded.reform(Action::Cluster)} />
        }),
        Some(Selection::Key) => s.detail().cloned().map(|d| {
            // a /registry key also shows what Kubernetes object it holds
            let k8s = match (&d.kv, d.v2_ttl) {
                (Some(kv), None) if d.key.starts_with(b"/registry/") => Some(html! {
                    <RegistryDetail key={String::from_utf8_lossy(&d.key).into_owned()} object_key={d.key.clone()} value={kv.value.clone()} mod_revision={kv.mod_revision}
                                    on_select_key={on_select_key.clone()} />
                }),
                _ => None,
            };
            html! { <><KeyDetail detail={d} />{ for k8s }</> }
        }),
        Some(Selection::Entry(id)) => s
            .entries()
            .iter()
            .find(|e| e.id == *id)
            .and_then(|e| e.trace.clone().map(|t| (e.line.clone(), t)))
            .map(|(line, trace)| {
                let fired = trace
                    .revisions
                    .map(|(a, b)| s.watch_events_fired(a, b))
                    .unwrap_or_default();
                html! { <TracePanel {line} {trace} {fired} model={cluster.clone()} /> }
            }),
        None => None,
    };
    let traced = match &*selection {
        Some(Selection::Entry(id)) => s
            .entries()
            .iter()
            .find(|e| e.id == *id)
            .and_then(|e| e.trace.as_ref())
            .map(|t| (t.first_index, t.last_index)),
        _ => None,
    };
    let lessons = (*lessons_open)
        .unwrap_or(s.lesson().is_some())
        .then(|| view_of(&s));
    let handing = module::handing_over();
    let selected_entry = match &*selection {
        Some(Selection::Entry(id)) => Some(*id),
        _ => None,
    };
    html! {
        <div class="app">
            <header class="titlebar">
                <h1><span class="logo" aria-hidden="true"></span>{ "etcd playground" }</h1>
                <span class="subtitle">{ format!("etcd {} and Raft, running in this tab", version.api()) }</span>
                <span class="spacer"></span>
                <LabSelect labs={Labs::choices()} current={kind.name()} on_choose={on_choose_lab}
                           disabled={!*ready || *second_tab || editing.is_some()} />
                <LabSelect kind={SelectKind::Version} labs={Labs::version_choices()} current={version.api()}
                           on_choose={on_choose_version} disabled={!*ready || *second_tab || editing.is_some()} />
                <button class="linkbutton" data-testid="lessons-open" onclick={toggle_lessons}
                        aria-expanded={lessons.is_some().to_string()}
                        title="guided lessons on etcd and Raft, and challenges">
                    { "lessons" }
                </button>
                <button class="linkbutton" data-testid="share" onclick={on_share}
                        disabled={!*ready || *second_tab}
                        title="a link that replays this session in any browser">
                    { "share" }
                </button>
                <button class="linkbutton" data-testid="connect-open" onclick={connect.toggle.clone()}
                        aria-expanded={connect.open.to_string()} disabled={!*ready || *second_tab || kind != LabKind::Local}
                        title="connect the console and the keyspace to a real etcd">
                    { "real etcd" }
                </button>
                <button class="linkbutton" data-testid="theme-toggle" onclick={toggle_theme}
                        title="switch between the light and the dark theme">
                    { "◐ theme" }
                </button>
                <button class="linkbutton" data-testid="help-link" onclick={toggle_help}
                        aria-expanded={help_open.to_string()}>
                    { if *help_open { "Close help" } else { "What is this?" } }
                </button>
                <button class="linkbutton" data-testid="reset-playground" onclick={on_reset_playground.clone()}
                        title="forget everything this browser stores of this lab and start it afresh">
                    { "reset playground" }
                </button>
            </header>
            if let Some(link) = (*share).clone() {
                <SharePanel {link} on_close={on_share_close} />
            }
            if connect.open {
                <ConnectPanel origin={page_origin()} on_connect={connect.connect.clone()} on_close={connect.close.clone()} />
            }
            if let Some(endpoints) = s.connected() {
                <ConnectionBanner {endpoints} on_disconnect={connect.disconnect.clone()} />
            }
            if let Some(o) = &*offer {
                <ShareOffer inputs={o.inputs.len()} lab={with_release(o.lab.clone(), o.etcd_version()).trim_end().to_string()} on_open={on_open_shared} on_dismiss={on_keep_mine} />
            }
            if let Some(text) = (*disk_banner).clone() {
                <DiskBanner {text} on_reset={on_reset_playground.clone()} {on_export} {on_dismiss} />
            }
            if *second_tab {
                <section class="disk-banner second-tab" data-testid="second-tab" role="alert">
                    <span>{ "This playground is open in another tab, which drives it; this tab shows nothing new and writes nothing. " }</span>
                    <button data-testid="take-over" onclick={on_take_over}>{ "take over" }</button>
                </section>
            }
            if *help_open {
                <HelpPanel />
            }
            if let Some(e) = (*editing).clone() {
                <Editor key={e.path.clone()} path={e.path.clone()} text={e.text} on_save={on_save_edit} on_cancel={on_cancel_edit} />
            }
            <main class="panes">
                <div class="pane left">
                    // (while a load runs, time and the cluster are its: these wait)
                    <fieldset class="while-working" disabled={s.working().is_some()}>
                    <TimeBar playing={s.playing()} speed={s.speed()} now_ms={s.now_ms()} horizon_ms={s.horizon_ms()}
                             viewing_past={s.viewing_past()} inputs_ahead={s.inputs_ahead()}
                             on_watch_election={dispatch.reform(|_| Action::WatchElection)}
                             on_play_pause={dispatch.reform(|_| Action::PlayPause)}
                             on_step={dispatch.reform(|_| Action::Step)}
                             on_idle={dispatch.reform(|_| Action::UntilIdle)}
                             on_speed={dispatch.reform(Action::Speed)} on_seek={dispatch.reform(Action::Seek)} />
                    </fieldset>
                    <section class={classes!("picture", s.connected().is_some().then_some("sim-paused"))} aria-label="cluster"
                             title={s.connected().map(|_| "the simulated cluster, paused while the console talks to a real etcd")}>
                        <ClusterPicture model={cluster.clone()} selected={(*selection).clone()} on_select={on_select} {traced} />
                        <fieldset class="while-working" disabled={s.working().is_some()}>
                            <MemberStrip model={cluster.clone()} on_op={guarded.reform(Action::Cluster)} on_select={on_select_member} />
                        </fieldset>
                    </section>
                    if let Some(h) = &*held {
                        <TimeTravelConfirm what={held_text(h, &cluster)} now_ms={s.now_ms()} inputs_ahead={s.inputs_ahead()}
                                           {on_discard} on_cancel={on_cancel_held} />
                    }
                    <Console entries={s.entries().clone()} ready={*ready && !*second_tab && handing.is_none()}
                             note={handing.as_deref().map(module::loading_text).or_else(|| (*note).clone())}
                             durable_upto={s.durable_upto()}
                             {on_run} on_clear={dispatch.reform(|_| Action::ClearScreen)}
                             {on_history} {on_complete} on_interrupt={dispatch.reform(|_| Action::Interrupt)} {on_download}
                             on_drop_file={dispatch.reform(|(name, bytes)| Action::DropFile { name, bytes })}
                             job_running={s.job_running() || s.working().is_some()} on_select={on_select_entry} selected={selected_entry}
                             show_requests={s.show_requests()} prompt={s.prompt()} api={s.api_version()} busy={editing.is_some()}
                             working={Working::of(&s)}
                             terminal={s.terminal().map(TerminalView::from)} on_terminal_line={dispatch.reform(Action::TerminalLine)}
                             on_terminal_eof={dispatch.reform(Action::TerminalEof)}
                             banner={lab_banner(kind)} fill={(*fill).clone()} />
                </div>
                <div class="pane right">
                    if let Some((items, run)) = lessons {
                        <LessonsPanel {items} {run} confirm={(*lesson_confirm).clone()}
                                      on_choose={on_choose_lesson} on_confirm={on_confirm_lesson} on_cancel={on_cancel_lesson}
                                      {on_fill} on_show_me={guarded.reform(|_| Action::ShowMe)}
                                      on_leave={dispatch.reform(|_| Action::CloseLesson)} on_close={on_close_lessons} />
                    }
                    <KeyspacePanel data={s.keyspace().clone()} selected_key={s.selected_key().cloned()}
                                   {on_select_key} on_revision={dispatch.reform(Action::Revision)}
                                   on_v2={dispatch.reform(Action::V2)} on_toggle={dispatch.reform(Action::ToggleFolder)}
                                   on_filter={dispatch.reform(Action::Filter)} on_drill={dispatch.reform(Action::Drill)}
                                   on_command={guarded.reform(Action::Run)} on_sizes={dispatch.reform(Action::KeySizes)} />
                    <aside class="detail" data-testid="detail-pane" aria-label="detail">
                        if let Some(d) = detail {
                            { d }
                        } else {
                            <p class="hint">{ "Select a key, a member or a link to see it here." }</p>
                        }
                    </aside>
                </div>
            </main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DiskBannerProps {
    text: String,
    on_reset: Callback<MouseEvent>,
    on_export: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
}

/// What is wrong with the stored playground, and the ways out.
#[component]
fn DiskBanner(props: &DiskBannerProps) -> Html {
    html! {
        <section class="disk-banner" data-testid="disk-banner" role="alert">
            <span class="text">{ props.text.clone() }</span>
            <button data-testid="disk-reset" onclick={props.on_reset.clone()}>{ "reset the playground" }</button>
            <button data-testid="disk-export" onclick={props.on_export.clone()}>{ "export what can be read" }</button>
            <button class="linkbutton" data-testid="disk-dismiss" onclick={props.on_dismiss.clone()}>{ "dismiss" }</button>
        </section>
    }
}

#[component]
fn HelpPanel() -> Html {
    html! {
        <section class="help" data-testid="help-panel" aria-label="What is this?">
            <h2>{ "What is this?" }</h2>
            <p>
                { "A three-member etcd cluster (infra1, infra2, infra3) simulated inside this page: " }
                { "each member is a Raft node with its own key-value store, on a simulated network. " }
                { "Nothing is sent to a server; the page works offline." }
            </p>
            <p>
                { "Type etcdctl commands as you would against etcd 3.4: " }
                <code>{ "etcdctl put foo bar" }</code>{ ", " }
                <code>{ "etcdctl get foo" }</code>{ ", " }
                <code>{ "etcdctl member list -w table" }</code>
                { ". They answer as etcdctl 3.4.23 does. Set " }
                <code>{ "export ETCDCTL_API=2" }</code>{ " for the v2 commands." }
            </p>
            <p>
                { "Break things: " }<code>{ "stop infra1" }</code>{ ", " }<code>{ "partition infra1 | infra2 infra3" }</code>
                { ", " }<code>{ "heal" }</code>{ ", " }<code>{ "loss 20" }</code>{ ", " }<code>{ "latency 50" }</code>
                { ", " }<code>{ "advance 5s" }</code>{ ", " }<code>{ "speed 1/10" }</code>{ ", " }<code>{ "reset" }</code>
                { ". Every button on the page sends one of these lines through the console." }
            </p>
            <p>
                { "Keys: Enter runs a line, ↑/↓ walk the history, Tab completes (on an empty line it moves to the next control), " }
                { "Ctrl+L clears the screen, Esc closes this and the page's questions. " }
                { "Each member's disk (its Raft log, hard state and snapshots) is kept in this browser (IndexedDB): " }
                { "a reload is a power cycle, the members restart from their disks and elect a leader. " }
                { "A command's output shows once its writes are on disk. " }
                { "The timeline rewinds to the reload (or to the first election, from t = 0); a command typed in the past asks before it discards what came after." }
            </p>
        </section>
    }
}

/// What a held input is, in the console's words.
fn held_text(h: &Held, cluster: &crate::playground::session::ClusterModel) -> String {
    match h {
        Held::Line(line) | Held::Act(Action::Run(line)) => line.clone(),
        Held::Act(Action::Cluster(op)) => op.line(cluster).unwrap_or_default(),
        Held::Act(Action::ShowMe) => "the lesson's “show me”".to_string(),
        Held::Act(Action::SaveEdit { path, .. }) => format!("the save of {path}"),
        Held::Act(_) => "this".to_string(),
    }
}

/// Why the page asks before starting `l` (`here`: it runs in the lab in view).
fn start_question(l: &Lesson, here: bool) -> String {
    if here {
        format!(
            "Starting “{}” replaces this lab's session with a fresh cluster: what you typed here is dropped. Use share or export first to keep it.",
            l.title
        )
    } else {
        format!(
            "“{}” runs in lab {} at etcd 3.4.23: the page switches to it and replaces that lab's session with a fresh one.",
            l.title,
            l.lab.name()
        )
    }
}

/// What the console's banner says in a lab other than local.
fn lab_banner(kind: LabKind) -> Option<String> {
    match kind {
        LabKind::Local => None,
        LabKind::Kubeadm => Some(
            "You are root on `controlplane`, the control-plane node of a kubeadm cluster; etcd runs as a static pod with TLS only. \
             Try: cat /etc/kubernetes/manifests/etcd.yaml, ls /etc/kubernetes/pki/etcd, crictl ps, kubectl get pods -n kube-system, lab."
                .to_string(),
        ),
        LabKind::ExternalEtcd => Some(
            "You are root on `controlplane`, the control-plane node of a kubeadm cluster whose etcd runs on a second node as a systemd service (TLS only). \
             Try: grep etcd /etc/kubernetes/manifests/kube-apiserver.yaml, ssh etcd-server, systemctl cat etcd, journalctl -u etcd, exit, lab."
                .to_string(),
        ),
    }
}

/// Shows the answer of the `lab NAME` that opened the lab now in view.
fn show_pending_line(labs: &LabsRef) {
    let Ok(mut l) = labs.try_borrow_mut() else {
        return;
    };
    let Some((line, out)) = l.take_pending_line() else {
        return;
    };
    let current = l.current();
    drop(l);
    if let Ok(mut s) = current.session.try_borrow_mut() {
        s.show(&line, out);
    }
    store(&current.db, false);
}

// ---- the browser side: timer, theme, IndexedDB (nothing natively, where effects never run) ----

/// What persistence tells the page (see `persistence::Ui`).
#[derive(Clone)]
pub struct DiskUi {
    pub update: Callback<()>,
    pub banner: Callback<Option<String>>,
    pub second_tab: Callback<bool>,
    pub ready: Callback<(bool, Option<String>)>,
    pub offer: Callback<Option<Shared>>,
}

#[cfg(target_arch = "wasm32")]
impl DiskUi {
    fn into_ui(self) -> super::persistence::Ui {
        super::persistence::Ui {
            update: self.update,
            banner: self.banner,
            second_tab: self.second_tab,
            ready: self.ready,
            offer: self.offer,
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn boot(session: SessionRef, db: DbSlot, ui: DiskUi, steal: bool, lab: LabAt) {
    super::persistence::boot(session, db, ui.into_ui(), steal, lab);
}

#[cfg(not(target_arch = "wasm32"))]
fn boot(_session: SessionRef, _db: DbSlot, _ui: DiskUi, _steal: bool, _lab: LabAt) {}

#[cfg(target_arch = "wasm32")]
fn open_lab(session: SessionRef, db: DbSlot, ui: DiskUi, lab: LabAt) {
    super::persistence::open_lab(session, db, ui.into_ui(), lab);
}

#[cfg(not(target_arch = "wasm32"))]
fn open_lab(_session: SessionRef, _db: DbSlot, _ui: DiskUi, _lab: LabAt) {}

#[cfg(target_arch = "wasm32")]
fn reset_playground(session: SessionRef, db: DbSlot, ui: DiskUi, lab: LabAt) {
    super::persistence::reset(session, db, ui.into_ui(), lab);
}

#[cfg(not(target_arch = "wasm32"))]
fn reset_playground(_session: SessionRef, _db: DbSlot, _ui: DiskUi, _lab: LabAt) {}

#[cfg(target_arch = "wasm32")]
fn make_share_link(session: SessionRef, db: DbSlot, done: Callback<LinkState>) {
    super::replaying::share_link(session, db, done);
}

#[cfg(not(target_arch = "wasm32"))]
fn make_share_link(_session: SessionRef, _db: DbSlot, _done: Callback<LinkState>) {}

#[cfg(target_arch = "wasm32")]
fn open_shared(session: SessionRef, db: DbSlot, ui: DiskUi, shared: Shared) {
    super::persistence::open_shared(session, db, ui.into_ui(), shared);
}

#[cfg(not(target_arch = "wasm32"))]
fn open_shared(_session: SessionRef, _db: DbSlot, _ui: DiskUi, _shared: Shared) {}

#[cfg(target_arch = "wasm32")]
fn start_lesson(session: SessionRef, db: DbSlot, ui: DiskUi, lesson: Rc<Lesson>) {
    super::persistence::start_lesson(session, db, ui.into_ui(), lesson);
}

#[cfg(not(target_arch = "wasm32"))]
fn start_lesson(_session: SessionRef, _db: DbSlot, _ui: DiskUi, _lesson: Rc<Lesson>) {}

#[cfg(target_arch = "wasm32")]
fn link_lab() -> Option<LabAt> {
    super::share::link_lab()
}

#[cfg(not(target_arch = "wasm32"))]
fn link_lab() -> Option<LabAt> {
    None
}

#[cfg(target_arch = "wasm32")]
fn export_disks(lab: LabAt) {
    super::export::export(lab);
}

#[cfg(not(target_arch = "wasm32"))]
fn export_disks(_lab: LabAt) {}

/// Every frame while playing: the wall time since the last frame, as an action.
#[cfg(target_arch = "wasm32")]
fn start_timer(dispatch: Callback<Action>) -> gloo_timers::callback::Interval {
    let last = Rc::new(std::cell::Cell::new(js_sys::Date::now()));
    gloo_timers::callback::Interval::new(FRAME_MS, move || {
        let now = js_sys::Date::now();
        let dt = now - last.get();
        last.set(now);
        dispatch.emit(Action::Play(dt));
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn start_timer(_dispatch: Callback<Action>) {}

/// Saves a file of the playground's working directory as a browser download.
#[cfg(target_arch = "wasm32")]
fn download_file(name: &str, bytes: &[u8]) {
    super::persistence::download(name, "application/octet-stream", bytes);
}

#[cfg(not(target_arch = "wasm32"))]
fn download_file(_name: &str, _bytes: &[u8]) {}
