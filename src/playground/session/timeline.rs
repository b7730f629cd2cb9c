//! The session's timeline: the log of inputs with the simulated moment each ran at, replay
//! and seek (an earlier moment is rebuilt from the seed, or from the restored disks, by
//! replaying the inputs run before it), and simulated time passing: play at a speed, step,
//! run until idle. This is the only place the page's wall time turns into simulated time.
//!
//! The rewind history is bounded: past [`REWIND_INPUTS`] inputs the timeline starts again at
//! the present (its start becomes the members' disks as they stand, as after a reload), so a
//! rewind never replays more than that many inputs; a rewind to an earlier moment lands on
//! the timeline's start and says so.
//!
//! Owns: [`InputRecord`], [`LogChange`], the speeds, the rewind bound. Must not touch: the stored form of the
//! log (the page's storage) or what an input does (the console and the playground).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::keyspace::KeyspaceData;
use super::persistence::Base;
use super::Session;
use crate::playground::lab::LabKind;
use crate::playground::Playground;
use crate::sim::World;

/// One console input as it was run, and the simulated moment it ran at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    pub line: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
    /// Milliseconds of simulated time when it ran (older records lack it: run at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<u64>,
    /// A long command Ctrl+C stopped: how many steps it ran (see `playground::work`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u64>,
    /// Which lines of `stdin` were typed at a password prompt (never stored: the stored
    /// record has their pseudonyms, see [`super::secrets`]).
    #[serde(skip)]
    pub secret_lines: Vec<usize>,
}

/// How the stored input log must change after something ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogChange {
    None,
    Append(InputRecord),
    /// After a rewind the later inputs are gone: store exactly these.
    Rewrite(Vec<InputRecord>),
}

/// Play speeds offered (simulated seconds per wall second).
pub const SPEEDS: [(f64, &str); 9] = [
    (0.01, "1/100×"),
    (0.1, "1/10×"),
    (0.25, "1/4×"),
    (0.5, "1/2×"),
    (1.0, "1×"),
    (2.0, "2×"),
    (10.0, "10×"),
    (50.0, "50×"),
    (100.0, "100×"),
];

/// How long a step or an idle check advances when no message is on the wire (one Raft tick).
pub const TICK: Duration = Duration::from_millis(100);
/// "Run until idle" gives up after this much simulated time.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);

/// The most inputs a rewind replays: past this the timeline starts again at the present.
pub const REWIND_INPUTS: usize = 2_000;

/// How a Ctrl+C is kept in the input log (a shell comment: harmless anywhere else).
pub const INTERRUPT: &str = "# ^C";

/// How the page's storage refusing a write for its quota is kept in the input log (the
/// members raised NOSPACE then: a replay raises it at the same moment).
pub const DISK_FULL: &str = "# the browser's storage is full";

/// How a line typed to the running command (`etcdctl watch -i`) is kept in the input log:
/// this, with the line as the record's stdin (none: Ctrl+D).
pub const JOB_INPUT: &str = "# typed to the running command";

/// The moment the seed's world is handed out at (after the first election): the timeline
/// shows the moments before it from the seed's first moment (`t = 0`).
pub fn first_moment_ms() -> u64 {
    ms(crate::sim::WARM_UP)
}

pub(super) fn default_speed() -> usize {
    4
}

pub(super) fn ms(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

impl Session {
    pub fn now_ms(&self) -> u64 {
        ms(self.world().now())
    }

    /// Replays one stored input to its end (time passes first to the moment it ran); a
    /// replay of many: `replay::Replay`.
    pub(super) fn replay_one(&mut self, r: InputRecord, show: bool) {
        if let Some(at) = r.at_ms {
            let now = self.now_ms();
            if at > now {
                self.pass(Duration::from_millis(at - now));
            }
        }
        self.rerun(r, show);
    }

    /// Lets `d` of simulated time pass; the current job (if any) prints into its entry.
    pub(super) fn pass(&mut self, d: Duration) {
        let end = self.world().now().saturating_add(d);
        // A job that ends stops its poll early: the rest of the time passes without it.
        for _ in 0..2 {
            let now = self.world().now();
            if now >= end {
                break;
            }
            let out = self.playground.poll(end - now);
            self.append_to_job(out, false);
        }
        self.drain_background();
    }

    /// Back to the timeline's start (the restored base, or the seed), with nothing run.
    pub(super) fn reset(&mut self) {
        let connection = self.playground.take_connection();
        self.playground = match &self.base {
            Some(b) => b.playground(false),
            None if self.cold_start => self.cold_playground(),
            None => Playground::for_lab_version(
                self.playground.lab(),
                self.seed,
                self.playground.etcd_version(),
            ),
        };
        self.playground.keep_connection(connection);
        if self.persisting {
            self.playground.world_mut().start_journals(true);
        }
        self.cold_until = None;
        self.inputs.clear();
        self.future.clear();
        self.job = None;
        // (a long command in progress belonged to the playground replaced)
        self.work = None;
        self.finishing = None;
        self.tree_pending = None;
        self.typeahead.clear();
        self.background.clear();
        self.entries = std::rc::Rc::new(Vec::new());
        self.horizon_ms = self.now_ms();
        self.keyspace = KeyspaceData {
            generation: self.keyspace.generation + 1,
            ..Default::default()
        };
        self.selected_key = None;
        self.detail = None;
        self.read_epoch.clear();
        self.terminal = None;
    }

    /// Rebuilds the moment `t_ms` from the seed and the inputs run before it (the timeline).
    /// An input that itself takes time (`advance 5s`, a put that waits for its timeout) is
    /// replayed whole, so the world may end up past `t_ms`.
    pub fn seek(&mut self, t_ms: u64) {
        // (a lesson's progress only moves forward: the replay is not shown to it)
        let lesson = self.lesson.take();
        self.seek_inner(t_ms);
        self.lesson = lesson;
    }

    fn seek_inner(&mut self, t_ms: u64) {
        let mut all = std::mem::take(&mut self.inputs);
        all.append(&mut self.future);
        let next_id = self.next_id;
        let history = self.history.clone();
        let v2 = self.keyspace.v2;
        let selected = self.selected_key.clone();
        let horizon = self.horizon_ms;
        let start = self.timeline_start_ms();
        self.reset();
        self.keyspace.v2 = v2;
        self.selected_key = selected;
        self.next_id = next_id;
        self.history = history;
        let mut later = Vec::new();
        for r in all {
            // Inputs that ran before `t_ms` (all of them at the timeline's end).
            let before = r.at_ms.is_none_or(|at| at < t_ms || t_ms >= horizon);
            if before && later.is_empty() {
                self.replay_one(r, false);
            } else {
                later.push(r);
            }
        }
        let now = self.now_ms();
        if t_ms > now {
            self.pass(Duration::from_millis(t_ms - now));
        }
        self.future = later;
        self.inputs_stored = self.inputs_stored.min(self.inputs.len());
        self.horizon_ms = horizon.max(self.now_ms());
        self.read_epoch.clear();
        self.cold_until = None;
        let from_zero = self.cold_start && self.base.is_none();
        if t_ms < first_moment_ms() && self.playground.lab() == LabKind::Local && !from_zero {
            self.view_cold(t_ms);
            return;
        }
        if self.rewind_dropped > 0 && t_ms < start {
            let text = format!(
                "the timeline keeps the last {REWIND_INPUTS} inputs ({} earlier ones cannot be replayed): rewound to its start at {:.1} s instead of {:.1} s\n",
                self.rewind_dropped,
                start as f64 / 1000.0,
                t_ms as f64 / 1000.0
            );
            self.push_entry(
                "# rewind".to_string(),
                crate::process::Output {
                    stderr: text,
                    ..Default::default()
                },
            );
        }
    }

    /// A moment before the seed's world is handed out (the first election): the world of the
    /// seed from `now() == 0`, with every input still ahead. Time passing past
    /// [`first_moment_ms`] rebuilds the timeline's start and carries on with the inputs.
    fn view_cold(&mut self, t_ms: u64) {
        let mut cold = self.cold_playground();
        if self.persisting {
            cold.world_mut().start_journals(true);
        }
        self.playground = cold;
        let mut ahead = std::mem::take(&mut self.inputs);
        ahead.append(&mut self.future);
        self.future = ahead;
        self.inputs_stored = 0;
        self.job = None;
        self.background.clear();
        self.entries = std::rc::Rc::new(Vec::new());
        self.cold_until = Some(first_moment_ms());
        self.pass(Duration::from_millis(t_ms));
    }

    /// A new input while the first election is shown: the world goes on from there, so the
    /// timeline's start becomes the seed's first moment (a later rewind replays the inputs
    /// from `t = 0`; with a restored base, the seed's world at `t = 0` replaces it).
    pub(super) fn leave_cold_view(&mut self) {
        if self.cold_until.take().is_some() {
            self.base = None;
            self.rewind_dropped = 0;
            self.cold_start = true;
            self.future.clear();
            self.horizon_ms = self.now_ms();
        }
    }

    /// The seed's world at its first moment, with the page's settings.
    fn cold_playground(&self) -> Playground {
        let mut cold = Playground::from_world(
            World::cold_with(self.seed, self.playground.etcd_version()),
            BTreeMap::new(),
            self.playground.hints_enabled,
        );
        cold.set_etcd_version(self.playground.etcd_version());
        let snapshots = self.world().settings().snapshot_count;
        cold.world_mut().set_snapshot_count(snapshots);
        cold
    }

    /// Whether the page shows an earlier moment than the newest one reached (the timeline
    /// was dragged back): the page says so and offers the way back.
    pub fn viewing_past(&self) -> bool {
        self.now_ms() < self.horizon_ms || self.cold_until.is_some()
    }

    /// How many inputs come after the moment shown (after a rewind): a new input would
    /// discard them, so the page asks first.
    pub fn inputs_ahead(&self) -> usize {
        self.future.len()
    }

    /// "Watch an election slowly": back to the first moment (`t = 0`, infra1's first
    /// campaign on the wire) and playing at the slowest speed. Nothing is discarded: the
    /// inputs run again at their moments as time passes, or "return to now" jumps back.
    pub fn watch_election(&mut self) {
        self.seek(0);
        self.speed = 0;
        self.playing = true;
    }

    /// Lets `d` of simulated time pass while showing an earlier moment: the inputs ahead run
    /// again when their moment comes (nothing after a rewind is lost by playing on), and the
    /// view of the first election becomes the timeline's start when it reaches it.
    pub(super) fn pass_forward(&mut self, d: Duration) {
        let end = self.world().now().saturating_add(d);
        loop {
            if let Some(first) = self.cold_until {
                if Duration::from_millis(first) <= end {
                    self.seek(first);
                    continue;
                }
                break;
            }
            match self.future.first().map(|r| r.at_ms.unwrap_or(0)) {
                Some(at) if Duration::from_millis(at) <= end => {
                    let r = self.future.remove(0);
                    // (the lesson saw these inputs when they were typed)
                    let lesson = self.lesson.take();
                    self.replay_one(r, false);
                    self.lesson = lesson;
                }
                _ => break,
            }
        }
        let now = self.world().now();
        if end > now {
            self.pass(end - now);
        }
    }

    /// The moment the timeline starts at (the restored base, or the seed's first moment).
    pub fn timeline_start_ms(&self) -> u64 {
        if self.base.is_none() && !self.cold_start {
            return 0;
        }
        self.base.as_ref().map_or(0, |b| b.state.clock_us / 1000)
    }

    /// Past [`REWIND_INPUTS`] inputs, the timeline starts again at the present: the members'
    /// disks as they stand become its start (what a reload restores), and the inputs run
    /// before are no longer kept for rewinding. Jobs still running are not part of that
    /// start: a rewind past it shows the world without them.
    pub(super) fn bound_rewind(&mut self) {
        // Inputs not yet in the stored history wait until the page took them.
        let unstored = self.persisting && self.inputs_stored < self.inputs.len();
        if self.inputs.len() <= REWIND_INPUTS || unstored {
            return;
        }
        self.base = Some(Base {
            state: self.state(),
            disks: self.world().disk_states(),
        });
        self.rewind_dropped += self.inputs.len();
        self.inputs_stored = self.inputs_stored.saturating_sub(self.inputs.len());
        self.inputs.clear();
        self.future.clear();
    }

    pub(super) fn touch_horizon(&mut self) {
        self.horizon_ms = self.horizon_ms.max(self.now_ms());
    }

    pub fn speed_factor(&self) -> f64 {
        SPEEDS.get(self.speed).map_or(1.0, |s| s.0)
    }

    /// Turns `wall_ms` of page time into simulated time at the current speed (while playing).
    pub fn play_for(&mut self, wall_ms: f64) {
        if !wall_ms.is_finite() || wall_ms <= 0.0 {
            return;
        }
        if self.real_cluster() {
            // a real cluster's time is the wall clock's, playing or not; the simulated
            // cluster stays paused
            let d = Duration::from_micros((wall_ms.min(1000.0) * 1000.0) as u64);
            let out = self.playground.poll(d);
            self.append_to_job(out, false);
            self.drain_background();
            return;
        }
        if !self.playing {
            return;
        }
        self.carry_us += wall_ms.min(1000.0) * 1000.0 * self.speed_factor();
        let whole = self.carry_us.floor();
        if whole >= 1.0 {
            self.carry_us -= whole;
            self.pass_forward(Duration::from_micros(whole as u64));
            self.after_time_moved();
        }
    }

    fn after_time_moved(&mut self) {
        // (the inputs ahead of a rewind ran again as their moments passed: see pass_forward)
        self.touch_horizon();
    }

    /// A "step" click: runs the step command, or, while a job runs (a typed line would end
    /// it) or an earlier moment is shown (a new input would discard what came after), lets
    /// the same time pass directly.
    pub fn step(&mut self) -> LogChange {
        let line = self.step_command();
        if self.job.is_some() || !self.future.is_empty() || self.cold_until.is_some() {
            let ms = line
                .trim_start_matches("advance ")
                .trim_end_matches("ms")
                .parse()
                .unwrap_or(100);
            self.pass_forward(Duration::from_millis(ms));
            self.after_time_moved();
            return LogChange::None;
        }
        self.run_line(&line)
    }

    /// The command a "step" click runs: up to the next message delivery, or one tick.
    pub fn step_command(&self) -> String {
        let now = self.world().now();
        let next = self
            .world()
            .messages_in_flight()
            .iter()
            .map(|m| m.deliver_at)
            .filter(|d| *d > now)
            .min()
            .map(|d| d - now)
            .unwrap_or(TICK);
        let ms = next.as_millis().max(1);
        format!("advance {ms}ms")
    }

    /// Advances tick by tick until no message but heartbeats is on the wire and every running
    /// member has applied its whole log (or [`IDLE_LIMIT`] passes). Returns the simulated time spent.
    pub fn run_until_idle(&mut self) -> Duration {
        let start = self.world().now();
        while self.world().now() - start < IDLE_LIMIT {
            // Heartbeats never stop: they do not count as work.
            let idle = self
                .world()
                .messages_in_flight()
                .iter()
                .all(|m| m.kind.starts_with("MsgHeartbeat"))
                && {
                    let views = self.world().member_views();
                    let leader = views
                        .iter()
                        .find(|m| m.running && m.role == crate::sim::Role::Leader)
                        .map(|m| m.id);
                    leader.is_some()
                        && views
                            .iter()
                            .filter(|m| m.running)
                            .all(|m| m.applied >= m.last_index && Some(m.leader) == leader)
                };
            if idle {
                break;
            }
            self.pass_forward(TICK);
        }
        self.after_time_moved();
        self.world().now() - start
    }
}

/// The console hint under a fault typed or clicked while time is paused: nothing follows a
/// stopped leader or a cut link until simulated time passes, and a newcomer must see how to
/// let it pass. (Time stays paused by default so that what a lesson or a share link shows
/// happens when the learner asks, the same in every replay.)
pub(super) fn paused_fault_hint(line: &str, exit: i32, playing: bool) -> Option<String> {
    if playing || exit != 0 {
        return None;
    }
    let mut words = line.split_whitespace();
    let fault = match words.next()? {
        "stop" | "partition" | "cut" => words.next().is_some(),
        "loss" => words.next().is_some_and(|p| p != "0"),
        _ => false,
    };
    fault.then(|| {
        "Time is paused, so nothing follows yet: press ▶ Play, or type `advance 3s`, to see what the cluster does next."
            .to_string()
    })
}
