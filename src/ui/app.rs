//! The page: a title bar (product, theme, help), then two resizable columns: on the left the
//! time bar, the cluster picture with its member strip, and the console; on the right the
//! keyspace and the detail pane (a key, a member or a link, whichever was selected last).
//!
//! Owns: the wiring between the components and the shell, the play timer (the only place
//! wall time enters), the theme; persistence (`persistence`) is flushed after every step or
//! command, and its notices (disk banner, second tab, reset) are shown here.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::actions::{LinkPanel, MemberPanel, MemberStrip, TracePanel};
use super::cluster::{ClusterPicture, Selection};
use super::console::{Console, HistoryMove};
use super::controls::TimeBar;
use super::keyspace::{KeyDetail, KeyspacePanel};
use super::registry_view::RegistryDetail;
use super::shell::{LogChange, Shell};
use super::DEFAULT_SEED;

/// Wall milliseconds between two frames of play.
pub const FRAME_MS: u32 = 33;

type ShellRef = Rc<RefCell<Shell>>;

#[component]
pub fn App() -> Html {
    let shell: ShellRef = use_mut_ref(|| Shell::new(DEFAULT_SEED));
    let update = use_force_update();
    let ready = use_state(|| false);
    let note = use_state(|| None::<String>);
    let db = use_mut_ref(|| None::<DbHandle>);
    let selection = use_state(|| None::<Selection>);
    let theme = use_state(|| None::<&'static str>);
    let help_open = use_state(|| false);
    let disk_banner = use_state(|| None::<String>);
    let second_tab = use_state(|| false);
    let disk_ui = {
        let update = update.clone();
        let disk_banner = disk_banner.clone();
        let second_tab = second_tab.clone();
        let ready = ready.clone();
        let note = note.clone();
        DiskUi {
            update: Callback::from(move |_| update.force_update()),
            banner: Callback::from(move |b| disk_banner.set(b)),
            second_tab: Callback::from(move |b| second_tab.set(b)),
            ready: Callback::from(move |(r, n): (bool, Option<String>)| {
                if n.is_some() {
                    note.set(n);
                }
                ready.set(r);
            }),
        }
    };

    // Restore: take the driver lock, restart the members from their disks in IndexedDB,
    // read the keyspace, then open the input.
    {
        let shell = shell.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        use_effect_with((), move |_| {
            boot(shell, db, disk_ui, false);
        });
    }
    let on_take_over = {
        let shell = shell.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        Callback::from(move |_: MouseEvent| boot(shell.clone(), db.clone(), disk_ui.clone(), true))
    };
    let on_reset_playground = {
        let shell = shell.clone();
        let db = db.clone();
        let disk_ui = disk_ui.clone();
        Callback::from(move |_: MouseEvent| {
            reset_playground(shell.clone(), db.clone(), disk_ui.clone())
        })
    };
    let on_export = Callback::from(move |_: MouseEvent| export_disks());
    let on_dismiss = {
        let disk_banner = disk_banner.clone();
        Callback::from(move |_: MouseEvent| disk_banner.set(None))
    };

    // Play: turn wall time into simulated time while playing.
    let playing = shell.borrow().playing;
    {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        use_effect_with(playing, move |playing| {
            let timer = playing.then(|| start_timer(shell, update, db));
            move || {
                let _stopped_here = timer;
            }
        });
    }

    // Theme: an explicit choice overrides the system's preference.
    {
        use_effect_with(*theme, move |t| {
            set_theme_attribute(*t);
        });
    }

    let run = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |line: String| {
            let change = shell.borrow_mut().run_input(&line);
            store(&db, change);
            shell.borrow_mut().refresh_keyspace(false);
            update.force_update();
        })
    };
    let on_download = {
        let shell = shell.clone();
        Callback::from(move |name: String| {
            let bytes = shell.borrow().file(&name);
            if let Some(bytes) = bytes {
                download_file(&name, &bytes);
            }
        })
    };
    let on_drop_file = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |(name, bytes): (String, Vec<u8>)| {
            shell.borrow_mut().add_file(&name, bytes);
            store(&db, LogChange::None);
            update.force_update();
        })
    };
    let on_clear = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |_| {
            shell.borrow_mut().clear_screen();
            update.force_update();
        })
    };
    let on_history = {
        let shell = shell.clone();
        Callback::from(move |m: HistoryMove| {
            let mut s = shell.borrow_mut();
            match m {
                HistoryMove::Up(current) => s.history.up(&current),
                HistoryMove::Down => s.history.down(),
            }
        })
    };
    let on_complete = {
        let shell = shell.clone();
        Callback::from(move |line: String| shell.borrow().complete(&line))
    };
    let on_play_pause = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |_| {
            let mut s = shell.borrow_mut();
            s.playing = !s.playing;
            drop(s);
            update.force_update();
        })
    };
    let on_step = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |_| {
            let change = shell.borrow_mut().step();
            store(&db, change);
            shell.borrow_mut().refresh_keyspace(false);
            update.force_update();
        })
    };
    let on_interrupt = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |_| {
            let change = shell.borrow_mut().interrupt();
            store(&db, change);
            shell.borrow_mut().refresh_keyspace(false);
            update.force_update();
        })
    };
    let on_idle = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |_| {
            let mut s = shell.borrow_mut();
            s.run_until_idle();
            s.refresh_keyspace(false);
            drop(s);
            store(&db, LogChange::None);
            update.force_update();
        })
    };
    let on_speed = {
        let run = run.clone();
        Callback::from(move |i: usize| {
            if let Some((f, _)) = super::shell::SPEEDS.get(i) {
                run.emit(format!("speed {f}"));
            }
        })
    };
    let on_seek = {
        let shell = shell.clone();
        let update = update.clone();
        let db = db.clone();
        Callback::from(move |t: u64| {
            let mut s = shell.borrow_mut();
            s.seek(t);
            s.refresh_keyspace(true);
            drop(s);
            store(&db, LogChange::None);
            update.force_update();
        })
    };
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
        let shell = shell.clone();
        let update = update.clone();
        let selection = selection.clone();
        Callback::from(move |k: Vec<u8>| {
            shell.borrow_mut().select_key(k);
            selection.set(Some(Selection::Key));
            update.force_update();
        })
    };
    let on_revision = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |r: Option<i64>| {
            shell.borrow_mut().set_revision(r);
            update.force_update();
        })
    };
    let on_v2 = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |v2: bool| {
            shell.borrow_mut().set_v2(v2);
            update.force_update();
        })
    };
    let on_toggle = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |id| {
            shell.borrow_mut().toggle_folder(id);
            update.force_update();
        })
    };
    let on_drill = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |id| {
            shell.borrow_mut().drill(id);
            update.force_update();
        })
    };
    let on_filter = {
        let shell = shell.clone();
        let update = update.clone();
        Callback::from(move |text: String| {
            shell.borrow_mut().set_filter(text);
            update.force_update();
        })
    };
    let toggle_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let dark = match *theme {
                Some(t) => t == "dark",
                None => system_prefers_dark(),
            };
            theme.set(Some(if dark { "light" } else { "dark" }));
        })
    };
    let toggle_help = {
        let help_open = help_open.clone();
        Callback::from(move |_: MouseEvent| help_open.set(!*help_open))
    };

    let s = shell.borrow();
    let cluster = s.cluster();
    let detail = match &*selection {
        Some(Selection::Member(n)) => cluster
            .member(n)
            .map(|m| html! { <MemberPanel member={m.clone()} /> }),
        Some(Selection::Link(a, b)) => Some(html! {
            <LinkPanel a={a.clone()} b={b.clone()} model={cluster.clone()} on_command={run.clone()} />
        }),
        Some(Selection::Key) => s.detail.clone().map(|d| {
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
            .entries
            .iter()
            .find(|e| e.id == *id)
            .and_then(|e| e.trace.clone().map(|t| (e.line.clone(), t)))
            .map(|(line, trace)| {
                let fired = trace
                    .revisions
                    .map(|(a, b)| s.world().watch_events_fired(a, b))
                    .unwrap_or_default();
                html! { <TracePanel {line} {trace} {fired} model={cluster.clone()} /> }
            }),
        None => None,
    };
    let traced = match &*selection {
        Some(Selection::Entry(id)) => s
            .entries
            .iter()
            .find(|e| e.id == *id)
            .and_then(|e| e.trace.as_ref())
            .map(|t| (t.first_index, t.last_index)),
        _ => None,
    };
    let selected_entry = match &*selection {
        Some(Selection::Entry(id)) => Some(*id),
        _ => None,
    };
    html! {
        <div class="app">
            <header class="titlebar">
                <h1><span class="logo" aria-hidden="true"></span>{ "etcd playground" }</h1>
                <span class="subtitle">{ "etcd 3.4 and Raft, running in this tab" }</span>
                <span class="spacer"></span>
                <button class="linkbutton" data-testid="theme-toggle" onclick={toggle_theme}
                        title="switch between the light and the dark theme">
                    { "◐ theme" }
                </button>
                <button class="linkbutton" data-testid="help-link" onclick={toggle_help}
                        aria-expanded={help_open.to_string()}>
                    { if *help_open { "Close help" } else { "What is this?" } }
                </button>
                <button class="linkbutton" data-testid="reset-playground" onclick={on_reset_playground.clone()}
                        title="forget everything stored in this browser and start a fresh cluster">
                    { "reset playground" }
                </button>
            </header>
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
            <main class="panes">
                <div class="pane left">
                    <TimeBar playing={s.playing} speed={s.speed} now_ms={s.now_ms()} horizon_ms={s.horizon_ms}
                             on_play_pause={on_play_pause} on_step={on_step} on_idle={on_idle}
                             on_speed={on_speed} on_seek={on_seek} />
                    <section class="picture" aria-label="cluster">
                        <ClusterPicture model={cluster.clone()} selected={(*selection).clone()} on_select={on_select} {traced} />
                        <MemberStrip model={cluster.clone()} on_command={run.clone()} on_select={on_select_member} />
                    </section>
                    <Console entries={s.entries.clone()} ready={*ready && !*second_tab} note={(*note).clone()}
                             durable_upto={s.durable_upto}
                             on_run={run.clone()} {on_clear} {on_history} {on_complete} {on_interrupt} {on_download} {on_drop_file}
                             job_running={s.job.is_some()} on_select={on_select_entry} selected={selected_entry}
                             show_requests={s.show_requests()} />
                </div>
                <div class="pane right">
                    <KeyspacePanel data={s.keyspace.clone()} selected_key={s.selected_key.clone()}
                                   {on_select_key} {on_revision} {on_v2} {on_toggle} {on_filter} {on_drill}
                                   on_command={run.clone()} />
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
                { "Keys: Enter runs a line, ↑/↓ walk the history, Ctrl+L clears the screen. " }
                { "Each member's disk (its Raft log, hard state and snapshots) is kept in this browser (IndexedDB): " }
                { "a reload is a power cycle, the members restart from their disks and elect a leader. " }
                { "A command's output shows once its writes are on disk. The timeline starts at the reload." }
            </p>
        </section>
    }
}

// ---- the browser side: timer, theme, IndexedDB (nothing natively, where effects never run) ----

#[cfg(target_arch = "wasm32")]
type DbHandle = Rc<super::persistence::Persist>;
#[cfg(not(target_arch = "wasm32"))]
type DbHandle = ();

/// What persistence tells the page (see `persistence::Ui`).
#[derive(Clone)]
pub struct DiskUi {
    pub update: Callback<()>,
    pub banner: Callback<Option<String>>,
    pub second_tab: Callback<bool>,
    pub ready: Callback<(bool, Option<String>)>,
}

#[cfg(target_arch = "wasm32")]
impl DiskUi {
    fn into_ui(self) -> super::persistence::Ui {
        super::persistence::Ui {
            update: self.update,
            banner: self.banner,
            second_tab: self.second_tab,
            ready: self.ready,
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn boot(shell: ShellRef, db: Rc<RefCell<Option<DbHandle>>>, ui: DiskUi, steal: bool) {
    super::persistence::boot(shell, db, ui.into_ui(), steal);
}

#[cfg(not(target_arch = "wasm32"))]
fn boot(_shell: ShellRef, _db: Rc<RefCell<Option<DbHandle>>>, _ui: DiskUi, _steal: bool) {}

#[cfg(target_arch = "wasm32")]
fn reset_playground(shell: ShellRef, db: Rc<RefCell<Option<DbHandle>>>, ui: DiskUi) {
    super::persistence::reset(shell, db, ui.into_ui());
}

#[cfg(not(target_arch = "wasm32"))]
fn reset_playground(_shell: ShellRef, _db: Rc<RefCell<Option<DbHandle>>>, _ui: DiskUi) {}

#[cfg(target_arch = "wasm32")]
fn export_disks() {
    super::persistence::export();
}

#[cfg(not(target_arch = "wasm32"))]
fn export_disks() {}

#[cfg(target_arch = "wasm32")]
fn start_timer(
    shell: ShellRef,
    update: UseForceUpdateHandle,
    db: Rc<RefCell<Option<DbHandle>>>,
) -> gloo_timers::callback::Interval {
    let last = Rc::new(std::cell::Cell::new(js_sys::Date::now()));
    gloo_timers::callback::Interval::new(FRAME_MS, move || {
        let now = js_sys::Date::now();
        let dt = now - last.get();
        last.set(now);
        let Ok(mut s) = shell.try_borrow_mut() else {
            return;
        };
        s.play_for(dt);
        s.refresh_keyspace(false);
        drop(s);
        store(&db, LogChange::None);
        update.force_update();
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn start_timer(
    _shell: ShellRef,
    _update: UseForceUpdateHandle,
    _db: Rc<RefCell<Option<DbHandle>>>,
) {
}

#[cfg(target_arch = "wasm32")]
fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

#[cfg(not(target_arch = "wasm32"))]
fn system_prefers_dark() -> bool {
    false
}

#[cfg(target_arch = "wasm32")]
fn set_theme_attribute(theme: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(t) => root.set_attribute("data-theme", t),
        None => root.remove_attribute("data-theme"),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn set_theme_attribute(_theme: Option<&str>) {}

/// Saves a file of the playground's working directory as a browser download.
#[cfg(target_arch = "wasm32")]
fn download_file(name: &str, bytes: &[u8]) {
    super::persistence::download(name, "application/octet-stream", bytes);
}

#[cfg(not(target_arch = "wasm32"))]
fn download_file(_name: &str, _bytes: &[u8]) {}

/// Flushes the members' journals (the stored log of inputs is the console history: the
/// flush takes the new ones from the shell, so `change` is not needed here).
#[cfg(target_arch = "wasm32")]
fn store(db: &Rc<RefCell<Option<DbHandle>>>, _change: LogChange) {
    let p = db.borrow().clone();
    if let Some(p) = p {
        super::persistence::flush(&p);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn store(_db: &Rc<RefCell<Option<DbHandle>>>, _change: LogChange) {}
