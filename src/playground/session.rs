//! The page's session: what the page drives, kept outside the DOM so it runs and is tested
//! natively. It holds the playground, the console's entries and history, the input log with
//! the simulated moment each input ran at (the timeline rebuilds any earlier moment by
//! replaying the seed and the inputs), the play speed, what the keyspace panel shows, and the
//! persistence bookkeeping.
//!
//! The page has one path from input to screen: every click or key is an [`Action`], applied
//! with [`Session::apply`], which says whether the members' disks must be flushed and how the
//! keyspace is refreshed before the page re-renders.
//!
//! Owns: the session's state, split by concern into [`console`] (running lines, jobs,
//! entries), [`timeline`] (input log, replay, seek, play speed: the only place the page's wall
//! time turns into simulated time), [`replay`] (a replay run a step at a time), [`keyspace`] (reads through the world's client surface),
//! [`persistence`] (journals to drain, the stored state, durable entries), [`action`] (the
//! action type), [`commands`] (the console lines a click runs) and [`terminal`] (a command
//! waiting for what is typed at its terminal); [`secrets`] keeps passwords out of what is
//! stored and shown.
//! Must not touch: the DOM or IndexedDB (the page's `ui` does), etcd rules (the playground
//! and the layers below do).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::Playground;

pub mod action;
pub mod api_hint;
pub mod cluster_model;
pub mod commands;
pub mod console;
pub mod forged;
pub mod handover;
pub mod history;
pub mod keyspace;
pub mod lesson;
pub mod opening;
pub mod persistence;
pub mod recovery;
pub mod replay;
pub mod secrets;
pub mod share;
pub mod terminal;
pub mod timeline;
pub mod work;

pub use action::{Action, Applied, Refresh};
pub use cluster_model::ClusterModel;
pub use commands::ClusterOp;
pub use console::{Entry, WriteTrace};
pub use history::History;
pub use keyspace::{HistoryRow, KeyDetailModel, KeyspaceData};
pub use persistence::{Base, PlaygroundState, DEFAULT_SEED, SCHEMA_VERSION, SNAPSHOT_COUNT};
pub use timeline::{InputRecord, LogChange, IDLE_LIMIT, INTERRUPT, REWIND_INPUTS, SPEEDS, TICK};

/// The watch events a traced write fired (the trace panel lists them).
pub use crate::sim::FiredView;

pub struct Session {
    seed: u64,
    playground: Playground,
    /// The restored moment the timeline starts at (`None`: the seed).
    base: Option<Base>,
    /// Whether the members' disks journal their writes (the page stores them).
    persisting: bool,
    /// Console entries with an ID below this are durable; later ones wait for their flush.
    durable_upto: usize,
    /// How many of `inputs` are in the stored history; whether that history must be emptied
    /// first (after `reset`).
    inputs_stored: usize,
    inputs_clear: bool,
    /// Inputs that made the current moment, oldest first.
    inputs: Vec<InputRecord>,
    /// Inputs no longer kept for rewinding (see [`timeline::REWIND_INPUTS`]).
    rewind_dropped: usize,
    /// After a rewind: the inputs past the current moment (the timeline can go forward again
    /// until something new runs).
    future: Vec<InputRecord>,
    /// Showing the first election (a moment before the seed's world is handed out): when
    /// time reaches this moment (ms), the timeline's start is rebuilt and the inputs go on.
    cold_until: Option<u64>,
    /// The timeline starts at the seed's first moment (`t = 0`), not at the world handed out
    /// after the first election: a line was typed while that election was shown.
    cold_start: bool,
    entries: Rc<Vec<Entry>>,
    next_id: usize,
    history: History,
    playing: bool,
    /// Index into [`SPEEDS`].
    speed: usize,
    /// The furthest simulated moment reached, in ms (the timeline's end).
    horizon_ms: u64,
    /// Wall time not yet turned into simulated time (µs), so slow speeds still advance.
    carry_us: f64,
    /// The console entry of the long-running command (watch, lock, elect, keep-alive) that
    /// is the playground's current job.
    job: Option<usize>,
    /// The console entry and command line of each background job, by job number.
    background: BTreeMap<u32, (usize, String)>,
    keyspace: KeyspaceData,
    /// Open folders of the keyspace not shown (v2 while v3 shows, and back), and those to
    /// open in the next tree read.
    other_open: Vec<Vec<u8>>,
    pending_open: Vec<Vec<u8>>,
    /// A keyspace read whose key tree is built later (the end of a long command, see
    /// [`work`]): its keys and revision. `defer_tree` asks the next read to leave it here.
    tree_pending: Option<(Vec<crate::api::KeyValue>, i64)>,
    defer_tree: bool,
    selected_key: Option<Vec<u8>>,
    detail: Option<KeyDetailModel>,
    /// What the keyspace was last read for (applied indexes, running members).
    read_epoch: Vec<(u64, bool)>,
    /// When a connected real cluster's revision was last asked for (its clock).
    remote_checked: Option<std::time::Duration>,
    /// The lesson in progress (see [`lesson`]).
    lesson: Option<crate::playground::lesson::LessonRun>,
    lessons_finished: std::collections::BTreeSet<String>,
    /// A command waiting for what is typed at the terminal (see [`terminal`]).
    terminal: Option<terminal::TerminalInput>,
    /// The stored input log redacted on load (it was stored with secrets): stored again
    /// whole by the next [`Session::take_new_inputs`].
    restore_stored: Option<Vec<InputRecord>>,
    /// Inputs (redacted) whose flush failed: handed out first by the next take.
    retry_inputs: Vec<InputRecord>,
    /// Which lines typed at the terminal command about to run were passwords.
    typed_secret_lines: Vec<usize>,
    /// Long commands run a step at a time (the page's [`Session::work`]); the one in
    /// progress; the lines typed meanwhile, run once it ends (see [`work`]).
    stepping: bool,
    work: Option<work::Ran>,
    /// The end of a long command whose steps are done (see [`work`]).
    finishing: Option<work::Finishing>,
    typeahead: Vec<String>,
    /// The pseudonyms of the secrets seen (see [`secrets`]).
    secrets: secrets::Secrets,
    /// A line that needs the page's full module (see [`handover`]).
    handover: Option<handover::Handover>,
}

impl Session {
    pub fn new(seed: u64) -> Session {
        let playground = Playground::new(seed);
        let horizon_ms = timeline::ms(playground.world().now());
        Session {
            seed,
            playground,
            base: None,
            persisting: false,
            durable_upto: usize::MAX,
            inputs_stored: 0,
            inputs_clear: false,
            inputs: Vec::new(),
            rewind_dropped: 0,
            future: Vec::new(),
            cold_until: None,
            cold_start: false,
            entries: Rc::new(Vec::new()),
            next_id: 0,
            history: History::default(),
            playing: false,
            speed: timeline::default_speed(),
            horizon_ms,
            carry_us: 0.0,
            job: None,
            background: BTreeMap::new(),
            keyspace: KeyspaceData::default(),
            other_open: Vec::new(),
            pending_open: Vec::new(),
            tree_pending: None,
            defer_tree: false,
            selected_key: None,
            detail: None,
            read_epoch: Vec::new(),
            remote_checked: None,
            lesson: None,
            lessons_finished: Default::default(),
            terminal: None,
            restore_stored: None,
            retry_inputs: Vec::new(),
            typed_secret_lines: Vec::new(),
            stepping: false,
            work: None,
            finishing: None,
            typeahead: Vec::new(),
            secrets: secrets::Secrets::default(),
            handover: None,
        }
    }

    /// Applies one action of the page. The answer says what the page does next, in this
    /// order: flush the members' disks (`persist`), then [`Session::refresh`] the keyspace,
    /// then re-render.
    pub fn apply(&mut self, action: Action) -> Applied {
        let applied = self.apply_action(action);
        if applied.persist {
            self.lesson_saw_time();
        }
        applied
    }

    fn apply_action(&mut self, action: Action) -> Applied {
        let action = match self.while_working(action) {
            Some(a) => a,
            None => {
                return Applied {
                    persist: false,
                    refresh: Refresh::None,
                }
            }
        };
        let ran = Applied {
            persist: true,
            refresh: Refresh::IfChanged,
        };
        let view = Applied {
            persist: false,
            refresh: Refresh::None,
        };
        match action {
            Action::Run(text) => {
                self.run_input(&text);
                self.hand_over_text(&text);
                ran
            }
            Action::Cluster(op) => {
                if let Some(line) = op.line(&self.cluster()) {
                    self.run_line(&line);
                }
                ran
            }
            Action::Speed(i) => {
                if let Some((f, _)) = SPEEDS.get(i) {
                    self.run_input(&format!("speed {f}"));
                }
                ran
            }
            Action::ShowMe => {
                self.show_me();
                ran
            }
            Action::CloseLesson => {
                self.close_lesson();
                view
            }
            Action::Interrupt => {
                self.interrupt();
                ran
            }
            Action::TerminalLine(text) => {
                self.terminal_input(&text);
                ran
            }
            Action::TerminalEof(text) => {
                self.terminal_eof(&text);
                ran
            }
            Action::Step => {
                self.step();
                ran
            }
            Action::UntilIdle => {
                self.run_until_idle();
                ran
            }
            Action::Play(wall_ms) => {
                self.play_for(wall_ms);
                ran
            }
            Action::WatchElection => {
                self.watch_election();
                Applied {
                    persist: true,
                    refresh: Refresh::Force,
                }
            }
            Action::Seek(t_ms) => {
                self.seek(t_ms);
                Applied {
                    persist: true,
                    refresh: Refresh::Force,
                }
            }
            Action::SaveEdit { path, text } => {
                self.save_edit(&path, &text);
                ran
            }
            Action::DropFile { name, bytes } => {
                self.add_file(&name, bytes);
                Applied {
                    persist: true,
                    refresh: Refresh::None,
                }
            }
            Action::PlayPause => {
                self.playing = !self.playing;
                view
            }
            Action::ClearScreen => {
                self.clear_screen();
                view
            }
            Action::SelectKey(key) => {
                self.select_key(key);
                view
            }
            Action::Revision(rev) => {
                self.set_revision(rev);
                view
            }
            Action::V2(v2) => {
                self.set_v2(v2);
                view
            }
            Action::ToggleFolder(id) => {
                self.toggle_folder(id);
                view
            }
            Action::Drill(id) => {
                self.drill(id);
                view
            }
            Action::KeySizes(on) => {
                self.set_key_sizes(on);
                view
            }
            Action::Filter(text) => {
                self.set_filter(text);
                view
            }
        }
    }

    /// Re-reads the keyspace after an action, as [`Applied::refresh`] asked.
    pub fn refresh(&mut self, how: Refresh) {
        match how {
            Refresh::None => {}
            Refresh::IfChanged => self.refresh_keyspace(false),
            Refresh::Force => self.refresh_keyspace(true),
        }
    }

    pub fn world(&self) -> &crate::sim::World {
        self.playground.world()
    }

    /// The playground (lessons' checks read it).
    pub fn playground(&self) -> &Playground {
        &self.playground
    }

    /// The endpoints of the real cluster the console and the keyspace show, if connected.
    pub fn connected(&self) -> Option<Vec<String>> {
        self.playground.connected().map(<[String]>::to_vec)
    }

    /// Whether the console talks to a real cluster, or waits for one to answer `connect`
    /// (then time is the wall clock's, and nothing it does is stored).
    pub fn real_cluster(&self) -> bool {
        self.playground.connected().is_some() || self.playground.connecting()
    }

    /// The playground, to replace its world's settings (tests, benchmarks).
    pub fn playground_mut(&mut self) -> &mut Playground {
        &mut self.playground
    }

    /// The cluster picture's model of the world as it stands.
    pub fn cluster(&self) -> ClusterModel {
        ClusterModel::from_world(self.world())
    }

    /// The watch events fired by the writes that made revisions `first..=last`.
    pub fn watch_events_fired(&self, first: i64, last: i64) -> Vec<FiredView> {
        self.world().watch_events_fired(first, last)
    }

    /// Tab in the console: the line with its last word completed, and the candidates left.
    pub fn complete(&self, line: &str) -> crate::playground::completion::Completion {
        let world = self.world();
        let members: Vec<String> = world
            .member_ids()
            .into_iter()
            .filter_map(|id| world.member_name(id).map(|n| n.to_string()))
            .collect();
        crate::playground::completion::complete_for(
            line,
            self.playground.env(),
            &members,
            self.playground.etcd_version(),
        )
    }

    /// ↑ in the console: the previous line of the history.
    pub fn history_up(&mut self, current: &str) -> Option<String> {
        self.history.up(current)
    }

    /// ↓ in the console: the next line of the history, or the draft.
    pub fn history_down(&mut self) -> Option<String> {
        self.history.down()
    }

    /// A file of the playground's working directory (a download).
    pub fn file(&self, name: &str) -> Option<Vec<u8>> {
        self.playground.files().get(name).cloned()
    }

    pub fn entries(&self) -> &Rc<Vec<Entry>> {
        &self.entries
    }

    /// Whether a long-running command is the console's current job.
    pub fn job_running(&self) -> bool {
        self.job.is_some()
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Index into [`SPEEDS`].
    pub fn speed(&self) -> usize {
        self.speed
    }

    /// Sets the play speed (an index into [`SPEEDS`]) without a console entry (a session that
    /// replaces another keeps its speed).
    pub fn set_speed(&mut self, i: usize) {
        if i < SPEEDS.len() {
            self.speed = i;
        }
    }

    /// The furthest simulated moment reached, in ms (the timeline's end).
    pub fn horizon_ms(&self) -> u64 {
        self.horizon_ms
    }

    pub fn keyspace(&self) -> &KeyspaceData {
        &self.keyspace
    }

    pub fn selected_key(&self) -> Option<&Vec<u8>> {
        self.selected_key.as_ref()
    }

    /// What the detail pane shows for the selected key.
    pub fn detail(&self) -> Option<&KeyDetailModel> {
        self.detail.as_ref()
    }

    /// Whether kubectl's etcd requests are shown (`requests on|off`).
    pub fn show_requests(&self) -> bool {
        self.playground.show_requests
    }
}

#[cfg(test)]
mod bounds_tests;
#[cfg(test)]
mod handover_tests;
#[cfg(test)]
mod remote_tests;
#[cfg(test)]
mod share_tests;
#[cfg(test)]
mod terminal_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod watch_input_tests;
