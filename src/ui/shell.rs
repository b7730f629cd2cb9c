//! The page's state outside the DOM: the playground, the inputs run so far (with the simulated
//! moment each ran at, so the timeline can rebuild any earlier moment by replaying the seed and
//! the inputs), the console's entries, the play speed, and what the keyspace panel shows.
//!
//! Owns: the input log, play/pause/speed (the only place the page's wall time turns into
//! simulated time), reads of the keyspace through the world's client surface (Range and Watch
//! requests, as any client would send them), and the persistence bookkeeping: the members'
//! disk journals to drain, the [`PlaygroundState`] to store beside them, and which console
//! entries are durable yet.
//! Must not touch: the DOM or IndexedDB (the components do), etcd rules (the playground does).
//!
//! Reload, replay and the timeline (issue 7): a reload is a power cycle. The page restores
//! the world from the members' disks (IndexedDB) with [`Shell::restore`] instead of replaying
//! every input since the seed, so a reload costs what the disks hold, not what was typed. The
//! stored inputs stay as the console's history (↑/↓). The timeline starts at the reload:
//! rewinding rebuilds from the restored disks (the [`Base`]) and replays only the inputs run
//! since, and after a rewind the members' stores are rewritten whole (their journals restart
//! with a baseline). `reset` drops the base: a fresh world from the seed.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::console::Entry;
use super::history::History;
use std::cell::RefCell;

use super::model::ClusterModel;
use crate::persist::{DiskState, Flush};
use crate::playground::input::complete_input;
use crate::playground::{Output, Playground};
use crate::registry::tree::{KeyTree, NodeId};
use crate::server::api::{
    CallError, EventType, KeyValue, RangeRequest, Request, Response, WatchCreateRequest,
};
use crate::sim::{Settings, World, DEFAULT_MEMBERS};
use crate::v2store::{KeysRequest, Method, NodeExtern, V2Op, V2Request, V2Response};

/// One console input as it was run, and the simulated moment it ran at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    pub line: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
    /// Milliseconds of simulated time when it ran (older records lack it: run at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<u64>,
}

/// The playground's own state kept beside the members' disks: what a reload needs besides
/// them (the `meta` record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaygroundState {
    /// The storage schema that wrote it.
    pub schema: u32,
    pub seed: u64,
    /// Simulated time, µs.
    pub clock_us: u64,
    /// The console environment (`export`ed variables).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub hints: bool,
    #[serde(default)]
    pub settings: Settings,
}

fn yes() -> bool {
    true
}

/// The storage schema: 1 kept only the input log; 2 adds the members' disks and `meta`.
pub const SCHEMA_VERSION: u32 = 2;

/// Where the timeline starts after a reload: the state and the disks the world was restored
/// from.
#[derive(Clone, Debug)]
pub struct Base {
    pub state: PlaygroundState,
    pub disks: BTreeMap<String, DiskState>,
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

const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// What one console line wrote: the Raft entries appended while it ran (on the member with
/// the longest log) and the store revisions it made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteTrace {
    pub first_index: u64,
    pub last_index: u64,
    /// The term of the last entry.
    pub term: u64,
    /// First and last revision created, when the store moved on.
    pub revisions: Option<(i64, i64)>,
}

/// One change of a key, newest first in a history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub revision: i64,
    pub deleted: bool,
    pub version: i64,
    pub create_revision: i64,
    pub value: Vec<u8>,
    pub lease: i64,
}

/// What the detail pane shows for a selected key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyDetailModel {
    pub key: Vec<u8>,
    /// The revision looked at (`None`: the newest).
    pub at_revision: Option<i64>,
    pub kv: Option<KeyValue>,
    pub history: Vec<HistoryRow>,
    /// Set when the history reaches back to a compacted revision: nothing before
    /// `compacted` can be shown.
    pub history_truncated: bool,
    pub compacted: i64,
    pub error: Option<String>,
    /// A v2 node: its TTL in seconds (0: permanent). `kv` then holds the value and the
    /// created/modified indexes.
    pub v2_ttl: Option<i64>,
}

/// The keys the tree shows, read at one revision.
#[derive(Clone, Debug, Default)]
pub struct KeyspaceData {
    /// Bumped whenever the tree changes (keys, open folders, filter), so props compare cheaply.
    pub generation: u64,
    pub tree: Rc<RefCell<KeyTree>>,
    pub filter: String,
    /// The store's newest revision (the slider's end).
    pub revision: i64,
    /// The revision shown (`None`: the newest).
    pub at: Option<i64>,
    /// Revisions up to this one are compacted (0: none known).
    pub compacted: i64,
    /// The v2 tree instead of the v3 keys.
    pub v2: bool,
    pub error: Option<String>,
}

impl PartialEq for KeyspaceData {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

pub struct Shell {
    seed: u64,
    playground: Playground,
    /// The restored moment the timeline starts at (`None`: the seed).
    base: Option<Base>,
    /// Whether the members' disks journal their writes (the page stores them).
    persisting: bool,
    /// Console entries with an ID below this are durable; later ones wait for their flush.
    pub durable_upto: usize,
    /// How many of `inputs` are in the stored history; whether that history must be emptied
    /// first (after `reset`).
    inputs_stored: usize,
    inputs_clear: bool,
    /// Inputs that made the current moment, oldest first.
    pub inputs: Vec<InputRecord>,
    /// After a rewind: the inputs past the current moment (the timeline can go forward again
    /// until something new runs).
    pub future: Vec<InputRecord>,
    pub entries: Rc<Vec<Entry>>,
    pub next_id: usize,
    pub history: History,
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// The furthest simulated moment reached, in ms (the timeline's end).
    pub horizon_ms: u64,
    /// Wall time not yet turned into simulated time (µs), so slow speeds still advance.
    carry_us: f64,
    /// The console entry of the long-running command (watch, lock, elect, keep-alive) that
    /// is the playground's current job.
    pub job: Option<usize>,
    /// The console entries of background jobs, by job number.
    background: BTreeMap<u32, usize>,
    pub keyspace: KeyspaceData,
    /// Open folders of the keyspace not shown (v2 while v3 shows, and back), and those to
    /// open in the next tree read.
    other_open: Vec<Vec<u8>>,
    pending_open: Vec<Vec<u8>>,
    pub selected_key: Option<Vec<u8>>,
    pub detail: Option<KeyDetailModel>,
    /// What the keyspace was last read for (applied indexes, running members).
    read_epoch: Vec<(u64, bool)>,
}

impl Shell {
    pub fn new(seed: u64) -> Shell {
        let playground = Playground::new(seed);
        let horizon_ms = ms(playground.world().now());
        Shell {
            seed,
            playground,
            base: None,
            persisting: false,
            durable_upto: usize::MAX,
            inputs_stored: 0,
            inputs_clear: false,
            inputs: Vec::new(),
            future: Vec::new(),
            entries: Rc::new(Vec::new()),
            next_id: 0,
            history: History::default(),
            playing: false,
            speed: default_speed(),
            horizon_ms,
            carry_us: 0.0,
            job: None,
            background: BTreeMap::new(),
            keyspace: KeyspaceData::default(),
            other_open: Vec::new(),
            pending_open: Vec::new(),
            selected_key: None,
            detail: None,
            read_epoch: Vec::new(),
        }
    }

    pub fn world(&self) -> &World {
        self.playground.world()
    }

    /// A shell whose world is restored from the members' disks (a reload): members missing
    /// from `disks` lost theirs and are restored from their peers. Journals run from the
    /// start (a lost disk's begins with a clear).
    pub fn restore(base: Base) -> Shell {
        let mut s = Shell::new_unbooted(base.state.seed);
        s.playground = Base::playground(&base, true);
        s.base = Some(base);
        s.persisting = true;
        s.durable_upto = 0;
        s.horizon_ms = s.now_ms();
        s
    }

    fn new_unbooted(seed: u64) -> Shell {
        // The seed's world is cheap next to a restore; it is replaced at once.
        Shell::new(seed)
    }

    /// Starts journaling every member's disk with a full baseline (a fresh store, a
    /// migration, or after a rewind); entries shown from now on wait for their flush.
    pub fn start_persisting(&mut self) {
        self.persisting = true;
        self.playground.world_mut().start_journals(true);
        self.durable_upto = self.next_id;
    }

    pub fn is_persisting(&self) -> bool {
        self.persisting
    }

    /// Takes what the members' disks wrote since the last drain.
    pub fn drain_disks(&mut self) -> Vec<(String, Flush)> {
        if !self.persisting {
            return Vec::new();
        }
        self.playground.world_mut().drain_journals()
    }

    /// The inputs not yet in the stored history, and whether that history must be emptied
    /// first (after `reset`).
    pub fn take_new_inputs(&mut self) -> (bool, Vec<InputRecord>) {
        let clear = std::mem::take(&mut self.inputs_clear);
        let from = self.inputs_stored.min(self.inputs.len());
        let new = self.inputs.get(from..).unwrap_or(&[]).to_vec();
        self.inputs_stored = self.inputs.len();
        (clear, new)
    }

    /// The flush carrying the entries below `upto` failed: the ones still pending show
    /// `stderr` instead of their output (they were never acknowledged).
    pub fn fail_pending(&mut self, upto: usize, stderr: &str) {
        if self.durable_upto == usize::MAX {
            return;
        }
        let from = self.durable_upto;
        for e in Rc::make_mut(&mut self.entries).iter_mut() {
            if e.id >= from && e.id < upto {
                e.output = Output {
                    stdout: String::new(),
                    stderr: stderr.to_string(),
                    exit: 1,
                };
                e.trace = None;
            }
        }
        self.durable_upto = self.durable_upto.max(upto);
    }

    /// Writes `n` keys `bench/key-NNNNNNN` straight through the world, 128 puts a txn (the
    /// reload benchmark's fill; no console entries).
    pub fn bench_fill(&mut self, n: usize) {
        use crate::server::api::{PutRequest, RequestOp, TxnRequest};
        let world = self.playground.world_mut();
        let mut i = 0;
        while i < n {
            let ops: Vec<RequestOp> = (i..n.min(i + 128))
                .map(|k| {
                    RequestOp::Put(PutRequest {
                        key: format!("bench/key-{k:07}").into_bytes(),
                        value: format!("value-{k}").into_bytes(),
                        ..Default::default()
                    })
                })
                .collect();
            i += ops.len();
            let req = Request::Txn(TxnRequest {
                success: ops,
                ..Default::default()
            });
            let ep = world
                .leader()
                .and_then(|id| world.member_name(id).map(str::to_string))
                .and_then(|n| DEFAULT_MEMBERS.iter().find(|m| m.0 == n).map(|m| m.1))
                .unwrap_or("127.0.0.1:2379");
            let _ = world.call(ep, None, req, READ_TIMEOUT);
        }
        self.read_epoch.clear();
    }

    /// Entries up to (not including) `id` are durable: their output may show.
    pub fn mark_durable(&mut self, id: usize) {
        if self.durable_upto == usize::MAX {
            return;
        }
        self.durable_upto = self.durable_upto.max(id);
    }

    /// Stops persisting (IndexedDB failed or another tab drives): everything shows at once.
    pub fn stop_persisting(&mut self) {
        self.persisting = false;
        self.durable_upto = usize::MAX;
    }

    /// The state stored beside the disks.
    pub fn state(&self) -> PlaygroundState {
        let w = self.world();
        PlaygroundState {
            schema: SCHEMA_VERSION,
            seed: self.seed,
            clock_us: w.now().as_micros().min(u64::MAX as u128) as u64,
            env: self.playground.env().clone(),
            hints: self.playground.hints_enabled,
            settings: w.settings(),
        }
    }

    /// The playground, to replace its world's settings (tests, benchmarks).
    pub fn playground_mut(&mut self) -> &mut Playground {
        &mut self.playground
    }

    pub fn now_ms(&self) -> u64 {
        ms(self.world().now())
    }

    /// Tab in the console: the line with its last word completed, and the candidates left.
    pub fn complete(&self, line: &str) -> crate::completion::Completion {
        let world = self.world();
        let members: Vec<String> = world
            .member_ids()
            .into_iter()
            .filter_map(|id| world.member_name(id).map(|n| n.to_string()))
            .collect();
        crate::completion::complete(line, self.playground.env(), &members)
    }

    pub fn cluster(&self) -> ClusterModel {
        ClusterModel::from_world(self.world())
    }

    fn push_entry(&mut self, line: String, output: Output) {
        Rc::make_mut(&mut self.entries).push(Entry {
            id: self.next_id,
            line,
            output,
            ..Default::default()
        });
        self.next_id += 1;
    }

    /// Pushes the entry of a line the playground just ran: its hints, and whether it keeps
    /// running as the current job.
    fn push_ran(&mut self, line: String, output: Output) {
        let running = self.playground.is_running();
        let hints = self.playground.hints().to_vec();
        let background = self.playground.last_background();
        let requests = self.playground.requests().to_vec();
        let files = self.playground.last_written().to_vec();
        Rc::make_mut(&mut self.entries).push(Entry {
            id: self.next_id,
            line,
            output,
            running,
            background,
            hints,
            requests,
            files,
            ..Default::default()
        });
        if running {
            self.job = Some(self.next_id);
        }
        if let Some(n) = background {
            self.background.insert(n, self.next_id);
        }
        self.next_id += 1;
        self.drain_background();
    }

    /// Appends what the background jobs printed to their entries; an ended job's entry
    /// shows how it ended.
    fn drain_background(&mut self) {
        let got = self.playground.take_background();
        if got.is_empty() {
            return;
        }
        let entries = Rc::make_mut(&mut self.entries);
        for b in got {
            let Some(&id) = self.background.get(&b.number) else {
                continue;
            };
            if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
                e.output.stdout.push_str(&b.out.stdout);
                e.output.stderr.push_str(&b.out.stderr);
                if let Some((code, killed)) = b.ended {
                    e.background = None;
                    e.interrupted = killed;
                    e.output.exit = code;
                }
            }
            if b.ended.is_some() {
                self.background.remove(&b.number);
            }
        }
    }

    /// A file of the playground's working directory (a download).
    pub fn file(&self, name: &str) -> Option<Vec<u8>> {
        self.playground.files().get(name).cloned()
    }

    /// A file dropped on the page: taken into the working directory if it is a snapshot
    /// file, shown as a console entry either way. (Dropped files are not part of the stored
    /// inputs: a reload forgets them.)
    pub fn add_file(&mut self, name: &str, bytes: Vec<u8>) {
        let output = match self.playground.add_file(name, bytes) {
            Ok(msg) => text_out(&msg),
            Err(msg) => Output {
                stderr: format!("{msg}\n"),
                exit: 1,
                ..Default::default()
            },
        };
        Rc::make_mut(&mut self.entries).push(Entry {
            id: self.next_id,
            line: format!("# dropped {name}"),
            output,
            ..Default::default()
        });
        self.next_id += 1;
    }

    pub fn clear_screen(&mut self) {
        self.entries = Rc::new(Vec::new());
    }

    /// Whether kubectl's etcd requests are shown (`requests on|off`).
    pub fn show_requests(&self) -> bool {
        self.playground.show_requests
    }

    /// Runs what the console sends: one line, or a paste of several (cut as a terminal does:
    /// `\` continues a line, `<<EOF` takes a here-document), each in order with its own
    /// entry. Says how the stored log changes (one change for the whole input).
    pub fn run_input(&mut self, text: &str) -> LogChange {
        let commands = match complete_input(text) {
            Some(c)
                if c.len() != 1 || c.iter().any(|c| c.stdin.is_some() || c.line.contains('\n')) =>
            {
                c
            }
            // one plain line (or an unfinished one, run as it is): as before
            _ => return self.run_line(text),
        };
        let changes: Vec<LogChange> = commands
            .iter()
            .map(|c| self.run_line_with(&c.line, c.stdin.as_deref()))
            .collect();
        match changes.as_slice() {
            [] => LogChange::None,
            [_] => changes.into_iter().next().unwrap_or(LogChange::None),
            _ if changes.iter().all(|c| *c == LogChange::None) => LogChange::None,
            _ => LogChange::Rewrite(self.inputs.clone()),
        }
    }

    /// Runs one console line (typed, or sent by a click) and says how the stored log changes.
    pub fn run_line(&mut self, line: &str) -> LogChange {
        self.run_line_with(line, None)
    }

    /// [`Shell::run_line`] with a here-document as the command's stdin.
    pub fn run_line_with(&mut self, line: &str, stdin: Option<&str>) -> LogChange {
        self.history.push(line);
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["speed", x] => {
                let out = self.set_speed_text(x);
                self.push_entry(line.to_string(), out);
                return LogChange::None;
            }
            ["reset"] => {
                self.base = None;
                self.inputs_clear = true;
                self.inputs_stored = 0;
                self.reset();
                self.push_entry(
                    line.to_string(),
                    text_out(
                        "a fresh cluster: infra1, infra2, infra3 (the stored inputs are forgotten)",
                    ),
                );
                return LogChange::Rewrite(Vec::new());
            }
            _ => {}
        }
        let rewrite = !self.future.is_empty();
        self.future.clear();
        let record = InputRecord {
            line: line.to_string(),
            stdin: stdin.map(str::to_string),
            at_ms: Some(self.now_ms()),
        };
        // A line typed while a job runs ends that job first (the playground does it).
        self.finish_job(false);
        let index_before = self.last_index();
        self.refresh_keyspace(false);
        let rev_before = self.keyspace.revision;
        let mut output = self.playground.run(line, stdin);
        if words.first() == Some(&"help") {
            output.stdout.push_str(PAGE_HELP);
        }
        self.note_output(&output);
        self.push_ran(line.to_string(), output);
        // Trace the write: the Raft entries appended while it ran, the revisions it made.
        let index_after = self.last_index();
        self.refresh_keyspace(false);
        let rev_after = self.keyspace.revision;
        if index_after > index_before && !self.keyspace.v2 {
            let term = self.entry_term(index_after);
            if let Some(e) = Rc::make_mut(&mut self.entries).last_mut() {
                e.trace = Some(WriteTrace {
                    first_index: index_before + 1,
                    last_index: index_after,
                    term,
                    revisions: (rev_after > rev_before && self.keyspace.at.is_none())
                        .then_some((rev_before + 1, rev_after)),
                });
            }
        }
        self.inputs.push(record.clone());
        if rewrite {
            // What came after the rewind is gone: the timeline ends here.
            self.horizon_ms = self.now_ms();
        }
        self.touch_horizon();
        if rewrite {
            LogChange::Rewrite(self.inputs.clone())
        } else {
            LogChange::Append(record)
        }
    }

    /// The newest log index among the running members.
    fn last_index(&self) -> u64 {
        self.world()
            .member_views()
            .iter()
            .filter(|m| m.running)
            .map(|m| m.last_index)
            .max()
            .unwrap_or(0)
    }

    fn entry_term(&self, index: u64) -> u64 {
        self.world()
            .member_views()
            .iter()
            .flat_map(|m| m.log.iter())
            .find(|e| e.index == index)
            .map_or(0, |e| e.term)
    }

    /// Replays stored inputs on the current playground (after a reload), showing each.
    pub fn replay(&mut self, records: Vec<InputRecord>) {
        for r in records {
            self.replay_one(r, true);
        }
        self.touch_horizon();
    }

    fn replay_one(&mut self, r: InputRecord, show: bool) {
        if let Some(at) = r.at_ms {
            let now = self.now_ms();
            if at > now {
                self.pass(Duration::from_millis(at - now));
            }
        }
        if r.line == INTERRUPT {
            self.interrupt_job();
            self.inputs.push(r);
            return;
        }
        self.finish_job(false);
        let output = self.playground.run(&r.line, r.stdin.as_deref());
        self.note_output(&output);
        if show {
            self.history.push(&r.line);
        }
        self.push_ran(r.line.clone(), output);
        self.inputs.push(r);
    }

    /// Lets `d` of simulated time pass; the current job (if any) prints into its entry.
    fn pass(&mut self, d: Duration) {
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

    fn append_to_job(&mut self, out: Output, interrupted: bool) {
        let Some(id) = self.job else { return };
        let still = self.playground.is_running();
        if out.stdout.is_empty() && out.stderr.is_empty() && still {
            return;
        }
        let entries = Rc::make_mut(&mut self.entries);
        if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
            e.output.stdout.push_str(&out.stdout);
            e.output.stderr.push_str(&out.stderr);
            if !still {
                e.running = false;
                e.interrupted = interrupted;
                e.output.exit = out.exit;
            }
        }
        if !still {
            self.job = None;
        }
    }

    /// Marks the job's entry as ended when the playground no longer runs it.
    fn finish_job(&mut self, _interrupted: bool) {
        if self.job.is_some() && !self.playground.is_running() {
            self.append_to_job(Output::default(), false);
        }
        if self.job.is_some() {
            // The next line interrupts it: its entry stops showing "running".
            let id = self.job.take();
            let entries = Rc::make_mut(&mut self.entries);
            if let Some(e) = entries.iter_mut().find(|e| Some(e.id) == id) {
                e.running = false;
                e.interrupted = true;
            }
        }
    }

    /// Ctrl+C: the current job ends (recorded, so a replay ends it at the same moment).
    pub fn interrupt(&mut self) -> LogChange {
        if self.job.is_none() && !self.playground.is_running() {
            return LogChange::None;
        }
        let record = InputRecord {
            line: INTERRUPT.to_string(),
            stdin: None,
            at_ms: Some(self.now_ms()),
        };
        self.interrupt_job();
        self.inputs.push(record.clone());
        LogChange::Append(record)
    }

    fn interrupt_job(&mut self) {
        let out = self.playground.interrupt();
        if self.job.is_some() {
            self.append_to_job(out, true);
        }
        self.job = None;
    }

    fn reset(&mut self) {
        self.playground = match &self.base {
            Some(b) => Base::playground(b, false),
            None => Playground::new(self.seed),
        };
        if self.persisting {
            self.playground.world_mut().start_journals(true);
        }
        self.inputs.clear();
        self.future.clear();
        self.job = None;
        self.background.clear();
        self.entries = Rc::new(Vec::new());
        self.horizon_ms = self.now_ms();
        self.keyspace = KeyspaceData {
            generation: self.keyspace.generation + 1,
            ..Default::default()
        };
        self.selected_key = None;
        self.detail = None;
        self.read_epoch.clear();
    }

    /// Rebuilds the moment `t_ms` from the seed and the inputs run before it (the timeline).
    /// An input that itself takes time (`advance 5s`, a put that waits for its timeout) is
    /// replayed whole, so the world may end up past `t_ms`.
    pub fn seek(&mut self, t_ms: u64) {
        let mut all = std::mem::take(&mut self.inputs);
        all.append(&mut self.future);
        let next_id = self.next_id;
        let history = self.history.clone();
        let v2 = self.keyspace.v2;
        let selected = self.selected_key.clone();
        let horizon = self.horizon_ms;
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
    }

    fn touch_horizon(&mut self) {
        self.horizon_ms = self.horizon_ms.max(self.now_ms());
    }

    fn note_output(&mut self, out: &Output) {
        // `etcdctl compaction N` confirms with "compacted revision N".
        if out.exit == 0 {
            if let Some(n) = out
                .stdout
                .lines()
                .find_map(|l| l.strip_prefix("compacted revision "))
                .and_then(|n| n.trim().parse::<i64>().ok())
            {
                self.keyspace.compacted = self.keyspace.compacted.max(n);
            }
        }
    }

    // ---- time -----------------------------------------------------------------------------

    pub fn speed_factor(&self) -> f64 {
        SPEEDS.get(self.speed).map_or(1.0, |s| s.0)
    }

    fn set_speed_text(&mut self, x: &str) -> Output {
        let t = x.trim_end_matches(['x', '×']);
        let v = if let Some((a, b)) = t.split_once('/') {
            match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(a), Ok(b)) if b > 0.0 => Some(a / b),
                _ => None,
            }
        } else {
            t.parse::<f64>().ok()
        };
        match v.filter(|v| v.is_finite() && *v > 0.0) {
            Some(v) => {
                let (i, _) = SPEEDS
                    .iter()
                    .enumerate()
                    .min_by(|a, b| {
                        let da = (a.1 .0.ln() - v.ln()).abs();
                        let db = (b.1 .0.ln() - v.ln()).abs();
                        da.total_cmp(&db)
                    })
                    .unwrap_or((default_speed(), &SPEEDS[4]));
                self.speed = i;
                text_out(&format!("speed set to {}", SPEEDS.get(i).map_or("1×", |s| s.1)))
            }
            None => Output {
                stderr: format!("speed: expected a factor between 1/100 and 100 (e.g. 2, 0.5, 1/10), got \"{x}\"\n"),
                exit: 1,
                ..Default::default()
            },
        }
    }

    /// Turns `wall_ms` of page time into simulated time at the current speed (while playing).
    pub fn play_for(&mut self, wall_ms: f64) {
        if !self.playing || !wall_ms.is_finite() || wall_ms <= 0.0 {
            return;
        }
        self.carry_us += wall_ms.min(1000.0) * 1000.0 * self.speed_factor();
        let whole = self.carry_us.floor();
        if whole >= 1.0 {
            self.carry_us -= whole;
            self.pass(Duration::from_micros(whole as u64));
            self.after_time_moved();
        }
    }

    fn after_time_moved(&mut self) {
        // Time moving on makes the inputs past a rewind moot.
        if !self.future.is_empty()
            && self.now_ms() > self.future.first().and_then(|r| r.at_ms).unwrap_or(0)
        {
            self.future.clear();
        }
        self.touch_horizon();
    }

    /// A "step" click: runs the step command, or, while a job runs (a typed line would end
    /// it), lets the same time pass directly.
    pub fn step(&mut self) -> LogChange {
        let line = self.step_command();
        if self.job.is_some() {
            let ms = line
                .trim_start_matches("advance ")
                .trim_end_matches("ms")
                .parse()
                .unwrap_or(100);
            self.pass(Duration::from_millis(ms));
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
            self.pass(TICK);
        }
        self.after_time_moved();
        self.world().now() - start
    }

    // ---- the keyspace ----------------------------------------------------------------------

    /// The client URL of the member to read from: the leader when it runs, else any running one.
    fn read_endpoint(&self) -> Option<&'static str> {
        let views = self.world().member_views();
        let pick = views
            .iter()
            .find(|m| m.running && m.role == crate::sim::Role::Leader)
            .or_else(|| views.iter().find(|m| m.running))?;
        DEFAULT_MEMBERS
            .iter()
            .find(|(n, _, _)| *n == pick.name)
            .map(|(_, c, _)| *c)
    }

    fn range(&mut self, req: RangeRequest) -> Result<(Vec<KeyValue>, i64), String> {
        let ep = self.read_endpoint().ok_or("no member is running")?;
        match self
            .playground
            .world_mut()
            .call(ep, None, Request::Range(req), READ_TIMEOUT)
        {
            Ok(Response::Range(r)) => Ok((r.kvs, r.header.revision)),
            Ok(_) => Err("unexpected answer".into()),
            Err(e) => Err(call_error_text(&e)),
        }
    }

    /// Whether the keyspace changed since it was last read (a member applied or restarted).
    fn epoch(&self) -> Vec<(u64, bool)> {
        self.world()
            .member_views()
            .iter()
            .map(|m| (m.applied, m.running))
            .collect()
    }

    /// Re-reads the keys when the world changed (or `force`), at the chosen revision.
    pub fn refresh_keyspace(&mut self, force: bool) {
        let epoch = self.epoch();
        if !force && epoch == self.read_epoch {
            return;
        }
        self.read_epoch = epoch;
        let at = self.keyspace.at;
        if self.keyspace.v2 {
            self.read_v2();
        } else {
            let req = RangeRequest {
                key: vec![0],
                range_end: vec![0],
                keys_only: true,
                serializable: true,
                revision: at.unwrap_or(0),
                ..Default::default()
            };
            match self.range(req) {
                Ok((kvs, rev)) => {
                    self.replace_tree(KeyTree::from_keys(
                        kvs.iter().map(|kv| (kv.key.as_slice(), 0)),
                    ));
                    if at.is_none() {
                        self.keyspace.revision = rev;
                    }
                    self.keyspace.error = None;
                }
                Err(e) => {
                    if e.contains("compacted") {
                        if let Some(a) = at {
                            self.keyspace.compacted = self.keyspace.compacted.max(a);
                        }
                    }
                    self.clear_tree();
                    self.keyspace.error = Some(e);
                }
            }
            if at.is_some() {
                // Still learn the newest revision, for the slider's end.
                if let Ok((_, rev)) = self.range(RangeRequest {
                    key: vec![0],
                    range_end: vec![0],
                    count_only: true,
                    serializable: true,
                    ..Default::default()
                }) {
                    self.keyspace.revision = rev;
                }
            }
        }
        self.keyspace.generation += 1;
        if let Some(k) = self.selected_key.clone() {
            self.select_key(k);
        }
    }

    /// A v2 keys request (a serializable get), answered by the read member's own store.
    fn v2_get(&mut self, path: &str, recursive: bool) -> Result<NodeExtern, String> {
        let ep = self.read_endpoint().ok_or("no member is running")?;
        let world = self.playground.world_mut();
        let req = V2Request {
            op: V2Op::Keys(KeysRequest {
                method: Method::Get,
                path: path.to_string(),
                recursive,
                sorted: true,
                ..Default::default()
            }),
            credentials: None,
            now: world.unix_nanos(),
        };
        match world.call(ep, None, Request::V2(req), READ_TIMEOUT) {
            Ok(Response::V2(V2Response::Event(e))) => Ok(e.node),
            Ok(Response::V2(V2Response::Error(e))) => Err(e.to_string()),
            Ok(_) => Err("unexpected answer".into()),
            Err(e) => Err(call_error_text(&e)),
        }
    }

    fn read_v2(&mut self) {
        match self.v2_get("/", true) {
            Ok(root) => {
                let mut keys: Vec<Vec<u8>> = Vec::new();
                let mut todo = vec![root];
                while let Some(n) = todo.pop() {
                    match n.nodes {
                        Some(children) if !children.is_empty() => todo.extend(children),
                        _ if n.key != "/" && !n.key.is_empty() => keys.push(n.key.into_bytes()),
                        _ => {}
                    }
                }
                keys.sort();
                self.replace_tree(KeyTree::from_keys(keys.iter().map(|k| (k.as_slice(), 0))));
                self.keyspace.error = None;
            }
            Err(e) => {
                self.clear_tree();
                self.keyspace.error = Some(e);
            }
        }
    }

    /// Puts a freshly read tree in place, keeping the open folders and the filter.
    fn replace_tree(&mut self, mut tree: KeyTree) {
        let mut open = self.keyspace.tree.borrow().expanded_paths();
        open.append(&mut self.pending_open);
        tree.set_expanded_paths(&open);
        if !self.keyspace.filter.is_empty() {
            tree.set_filter(&self.keyspace.filter);
        }
        self.keyspace.tree = Rc::new(RefCell::new(tree));
    }

    /// Empties the tree (a read failed), remembering its open folders for the next read.
    fn clear_tree(&mut self) {
        let mut open = self.keyspace.tree.borrow().expanded_paths();
        self.pending_open.append(&mut open);
        self.keyspace.tree = Rc::new(RefCell::new(KeyTree::new()));
    }

    /// Opens or closes a folder of the tree.
    /// Opens one folder of the tree alone (the layout picture's drill-down): everything
    /// else closes, the folder and its parents open.
    pub fn drill(&mut self, id: NodeId) {
        {
            let mut tree = self.keyspace.tree.borrow_mut();
            let path = tree.path(id);
            tree.collapse_all();
            tree.reveal(&path);
            tree.set_expanded(id, true);
        }
        self.keyspace.generation += 1;
    }

    pub fn toggle_folder(&mut self, id: NodeId) {
        self.keyspace.tree.borrow_mut().toggle(id);
        self.keyspace.generation += 1;
    }

    /// Shows only the keys containing `text`.
    pub fn set_filter(&mut self, text: String) {
        self.keyspace.tree.borrow_mut().set_filter(&text);
        self.keyspace.filter = text;
        self.keyspace.generation += 1;
    }

    pub fn set_v2(&mut self, v2: bool) {
        if self.keyspace.v2 == v2 {
            return;
        }
        self.keyspace.v2 = v2;
        // Each keyspace keeps its open folders.
        let open = self.keyspace.tree.borrow().expanded_paths();
        self.pending_open = std::mem::replace(&mut self.other_open, open);
        self.keyspace.tree = Rc::new(RefCell::new(KeyTree::new()));
        self.selected_key = None;
        self.detail = None;
        self.refresh_keyspace(true);
    }

    /// Shows the store as it stood at `rev` (`None` or the newest revision: live).
    pub fn set_revision(&mut self, rev: Option<i64>) {
        self.keyspace.at = rev.filter(|r| *r < self.keyspace.revision);
        self.refresh_keyspace(true);
    }

    /// Selects a key and reads its value and history.
    pub fn select_key(&mut self, key: Vec<u8>) {
        self.selected_key = Some(key.clone());
        if self.keyspace.v2 {
            let path = String::from_utf8_lossy(&key).to_string();
            let got = self.v2_get(&path, false);
            self.detail = Some(KeyDetailModel {
                key,
                kv: got.as_ref().ok().map(|n| KeyValue {
                    value: n.value.clone().unwrap_or_default().into_bytes(),
                    create_revision: n.created_index as i64,
                    mod_revision: n.modified_index as i64,
                    ..Default::default()
                }),
                v2_ttl: got.as_ref().ok().map(|n| n.ttl),
                error: got.err(),
                ..Default::default()
            });
            return;
        }
        let at = self.keyspace.at;
        let mut detail = KeyDetailModel {
            key: key.clone(),
            at_revision: at,
            ..Default::default()
        };
        match self.range(RangeRequest {
            key: key.clone(),
            serializable: true,
            revision: at.unwrap_or(0),
            ..Default::default()
        }) {
            Ok((kvs, rev)) => {
                detail.kv = kvs.into_iter().next();
                let top = at.unwrap_or(rev);
                let (history, truncated) = self.key_history(&key, top);
                detail.history = history;
                detail.history_truncated = truncated;
                detail.compacted = self.keyspace.compacted;
            }
            Err(e) => detail.error = Some(e),
        }
        self.detail = Some(detail);
    }

    /// A key's changes up to revision `top`, newest first: from a watch that starts at the
    /// oldest revision kept (as `etcdctl watch --rev` would), or, when the watch answers nothing,
    /// by reading the key at earlier revisions.
    fn key_history(&mut self, key: &[u8], top: i64) -> (Vec<HistoryRow>, bool) {
        let Some(ep) = self.read_endpoint() else {
            return (Vec::new(), false);
        };
        let start = self.keyspace.compacted.saturating_add(1).max(1);
        let world = self.playground.world_mut();
        if let Ok(w) = world.watch(
            ep,
            None,
            WatchCreateRequest {
                key: key.to_vec(),
                start_revision: start,
                ..Default::default()
            },
        ) {
            let answers = world.watch_poll(w);
            world.watch_cancel(w);
            let mut rows: Vec<HistoryRow> = answers
                .iter()
                .flat_map(|a| a.events.iter())
                .filter(|e| e.kv.mod_revision <= top)
                .map(|e| HistoryRow {
                    revision: e.kv.mod_revision,
                    deleted: e.kind == EventType::Delete,
                    version: e.kv.version,
                    create_revision: e.kv.create_revision,
                    value: e.kv.value.clone(),
                    lease: e.kv.lease,
                })
                .collect();
            let compacted = answers.iter().any(|a| a.compact_revision > 0);
            if !rows.is_empty() || compacted {
                rows.reverse();
                return (rows, compacted || start > 1);
            }
        }
        self.history_by_reads(key, top)
    }

    /// Reads the key at earlier and earlier revisions (a bounded number of reads).
    fn history_by_reads(&mut self, key: &[u8], top: i64) -> (Vec<HistoryRow>, bool) {
        let floor = self.keyspace.compacted.saturating_add(1).max(1);
        let mut rows = Vec::new();
        let mut budget = 200;
        let mut r = top;
        // The newest revision at which the key was seen absent, above what was read so far.
        let mut absent_at: Option<i64> = None;
        let mut truncated = false;
        let get = |s: &mut Shell, rev: i64| -> Result<Option<KeyValue>, String> {
            s.range(RangeRequest {
                key: key.to_vec(),
                serializable: true,
                revision: rev,
                ..Default::default()
            })
            .map(|(kvs, _)| kvs.into_iter().next())
        };
        while r >= floor && budget > 0 {
            budget -= 1;
            match get(self, r) {
                Err(e) => {
                    truncated = e.contains("compacted");
                    break;
                }
                Ok(Some(kv)) => {
                    if let Some(hi) = absent_at.take() {
                        // Deleted at the first revision in (mod, hi] where it is absent.
                        let (mut lo, mut hi) = (kv.mod_revision + 1, hi);
                        while lo < hi && budget > 0 {
                            budget -= 1;
                            let mid = lo + (hi - lo) / 2;
                            match get(self, mid) {
                                Ok(None) => hi = mid,
                                _ => lo = mid + 1,
                            }
                        }
                        rows.push(HistoryRow {
                            revision: hi,
                            deleted: true,
                            version: 0,
                            create_revision: 0,
                            value: Vec::new(),
                            lease: 0,
                        });
                    }
                    rows.push(HistoryRow {
                        revision: kv.mod_revision,
                        deleted: false,
                        version: kv.version,
                        create_revision: kv.create_revision,
                        value: kv.value.clone(),
                        lease: kv.lease,
                    });
                    r = kv.mod_revision - 1;
                }
                Ok(None) => {
                    if absent_at.is_none() {
                        absent_at = Some(r);
                    }
                    r -= 1;
                }
            }
        }
        if budget == 0 || r >= floor {
            truncated = true;
        }
        if r < floor && floor > 1 {
            truncated = true;
        }
        (rows, truncated)
    }
}

impl Shell {
    /// Fills the keyspace panel with `n` synthetic keys (the tree benchmark; the world is not
    /// touched).
    pub fn load_synthetic_keys(&mut self, n: usize) {
        let mut keys: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("/registry/ns-{:02}/pods/pod-{i:07}", i % 20).into_bytes())
            .collect();
        keys.sort();
        self.replace_tree(KeyTree::from_keys(keys.iter().map(|k| (k.as_slice(), 0))));
        self.keyspace.error = None;
        self.keyspace.generation += 1;
        // Keep it: the world's applied indexes are remembered, so plain refreshes skip.
        self.read_epoch = self.epoch();
    }
}

impl Base {
    /// The playground restored from this base.
    fn playground(b: &Base, journal: bool) -> Playground {
        let st = &b.state;
        let world = World::restore(
            st.seed,
            Duration::from_micros(st.clock_us),
            &b.disks,
            &st.settings,
            journal,
        );
        Playground::from_world(world, st.env.clone(), st.hints)
    }
}

fn default_speed() -> usize {
    4
}

fn ms(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

fn text_out(s: &str) -> Output {
    Output {
        stdout: format!("{s}\n"),
        ..Default::default()
    }
}

/// How a failed call reads on screen: etcd's own error text where there is one.
pub fn call_error_text(e: &CallError) -> String {
    match e {
        CallError::Server(e) => e.message.clone(),
        CallError::DeadlineExceeded => "context deadline exceeded".into(),
        CallError::Unreachable => "the member is not reachable".into(),
    }
}

/// How a Ctrl+C is kept in the input log (a shell comment: harmless anywhere else).
pub const INTERRUPT: &str = "# ^C";

/// Added to `help`: what the page adds to the playground's commands.
pub const PAGE_HELP: &str = "\nIn this page also:\n  speed X      play simulated time X times as fast as the wall clock (1/100 to 100)\n  reset        a fresh cluster; the stored inputs are forgotten\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_picks_the_nearest_offered_factor() {
        let mut s = Shell::new(1);
        s.run_line("speed 1/100");
        assert_eq!(s.speed_factor(), 0.01);
        s.run_line("speed 100x");
        assert_eq!(s.speed_factor(), 100.0);
        s.run_line("speed 3");
        assert_eq!(s.speed_factor(), 2.0);
        s.run_line("speed fast");
        assert_eq!(s.entries.last().unwrap().output.exit, 1);
        assert!(s.inputs.is_empty(), "speed is the page's own: not replayed");
    }

    #[test]
    fn play_turns_wall_time_into_simulated_time() {
        let mut s = Shell::new(1);
        let t0 = s.world().now();
        s.play_for(100.0);
        assert_eq!(s.world().now(), t0, "paused");
        s.playing = true;
        s.play_for(100.0);
        assert_eq!(s.world().now() - t0, Duration::from_millis(100));
        s.run_line("speed 1/100");
        for _ in 0..10 {
            s.play_for(10.0);
        }
        assert_eq!(s.world().now() - t0, Duration::from_millis(101));
    }

    #[test]
    fn seek_rebuilds_an_earlier_moment_and_can_go_forward_again() {
        let mut s = Shell::new(1);
        s.run_line("stop infra3");
        let t1 = s.now_ms();
        s.playing = true;
        s.play_for(1000.0);
        s.play_for(1000.0);
        s.playing = false;
        s.run_line("start infra3");
        let t_end = s.now_ms();
        assert!(s.cluster().member("infra3").unwrap().running);
        s.seek(t1 + 1000);
        assert!(!s.cluster().member("infra3").unwrap().running);
        assert_eq!(s.now_ms(), t1 + 1000);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.future.len(), 1);
        s.seek(t_end);
        assert!(s.cluster().member("infra3").unwrap().running);
        assert!(s.future.is_empty());
        // Rewind and carry on: the log is rewritten without what came after.
        s.seek(t1 + 500);
        let change = s.run_line("stop infra2");
        let LogChange::Rewrite(all) = change else {
            panic!("{change:?}")
        };
        assert_eq!(
            s.horizon_ms,
            s.now_ms(),
            "the discarded future leaves the timeline"
        );
        assert_eq!(
            all.iter().map(|r| r.line.as_str()).collect::<Vec<_>>(),
            ["stop infra3", "stop infra2"]
        );
    }

    #[test]
    fn replay_reaches_the_same_moment() {
        let mut a = Shell::new(1);
        a.run_line("stop infra1");
        a.playing = true;
        a.play_for(500.0);
        a.run_line("start infra1");
        let mut b = Shell::new(1);
        b.replay(a.inputs.clone());
        assert_eq!(a.cluster(), b.cluster());
        assert_eq!(b.entries.len(), 2);
    }

    #[test]
    fn a_paste_runs_each_command_with_its_entry() {
        let mut s = Shell::new(1);
        let paste = "docker run -d \\\n  --name etcd-gcr-v3.4.33 \\\n  gcr.io/etcd-development/etcd:v3.4.33\ndocker exec etcd-gcr-v3.4.33 /usr/local/bin/etcdctl put foo bar\netcdctl txn <<EOF\n\nput t 1\n\n\nEOF\n";
        let change = s.run_input(paste);
        assert_eq!(s.entries.len(), 3);
        assert!(s.entries[0].line.contains("\n  --name"));
        assert!(s.entries[0].output.stdout.starts_with("docker run: "));
        assert_eq!(s.entries[1].output.stdout, "OK\n");
        assert_eq!(s.entries[2].output.stdout, "SUCCESS\n\nOK\n");
        assert_eq!(s.inputs[2].stdin.as_deref(), Some("\nput t 1\n\n\n"));
        assert_eq!(change, LogChange::Rewrite(s.inputs.clone()));
        // one line is one command, as before
        assert!(matches!(
            s.run_input("etcdctl get foo"),
            LogChange::Append(_)
        ));
        // the stored inputs replay to the same outputs
        let mut again = Shell::new(1);
        again.replay(s.inputs.clone());
        assert_eq!(again.entries[2].output, s.entries[2].output);
        // kubectl's etcd requests go with their entry
        s.run_input("load k8s\nrequests on\nkubectl get nodes");
        assert!(s.show_requests());
        let last = s.entries.last().unwrap();
        assert!(
            last.requests[0].starts_with("etcd: Range"),
            "{:?}",
            last.requests
        );
    }

    #[test]
    fn a_restored_shell_rewinds_to_its_base_and_keeps_the_keys() {
        let mut a = Shell::new(1);
        a.start_persisting();
        a.run_line("export ETCDCTL_API=3");
        a.run_line("etcdctl put k1 v1");
        a.run_line("latency 5");
        let base = Base {
            state: a.state(),
            disks: a.world().disk_states(),
        };
        let mut b = Shell::restore(base);
        assert_eq!(
            b.playground.env().get("ETCDCTL_API").map(String::as_str),
            Some("3")
        );
        assert_eq!(b.world().settings().latency_us, 5_000);
        assert!(b.now_ms() > a.now_ms());
        let start = b.now_ms();
        b.run_line("etcdctl put k2 v2");
        let change = b.run_line("etcdctl get k --prefix");
        assert!(matches!(change, LogChange::Append(_)));
        assert_eq!(b.entries.last().unwrap().output.stdout, "k1\nv1\nk2\nv2\n");
        assert_eq!(b.durable_upto, 0, "nothing flushed yet");
        assert!(!b.drain_disks().is_empty());
        // Rewind to the reload: k2 is gone, k1 (from the disks) is not.
        b.seek(start);
        b.run_line("etcdctl get k --prefix");
        assert_eq!(b.entries.last().unwrap().output.stdout, "k1\nv1\n");
        let flushes = b.drain_disks();
        assert!(
            flushes.iter().all(|(_, f)| f.clear),
            "a rewind rewrites the stores"
        );
    }

    #[test]
    fn reset_forgets_everything() {
        let mut s = Shell::new(1);
        s.run_line("stop infra2");
        assert_eq!(s.run_line("reset"), LogChange::Rewrite(Vec::new()));
        assert!(s.inputs.is_empty());
        assert!(s.cluster().member("infra2").unwrap().running);
    }

    #[test]
    fn the_keyspace_is_read_through_the_world() {
        let mut s = Shell::new(1);
        for line in [
            "etcdctl put /a/b 1",
            "etcdctl put /a/c 2",
            "etcdctl put /a/b 3",
        ] {
            s.run_line(line);
            let e = s.entries.last().unwrap();
            assert_eq!(e.output.exit, 0, "{line}: {:?}", e.output);
        }
        s.refresh_keyspace(true);
        assert_eq!(s.keyspace.error, None);
        assert_eq!(s.keyspace.tree.borrow().key_count(), 2);
        let rev = s.keyspace.revision;
        s.select_key(b"/a/b".to_vec());
        let d = s.detail.clone().unwrap();
        assert_eq!(d.kv.as_ref().unwrap().value, b"3");
        assert_eq!(d.kv.as_ref().unwrap().version, 2);
        assert_eq!(
            d.history.iter().map(|h| h.revision).collect::<Vec<_>>(),
            [rev, rev - 2],
            "{d:?}"
        );
        // The store at an older revision.
        s.set_revision(Some(rev - 2));
        assert_eq!(s.keyspace.tree.borrow().key_count(), 1);
        assert_eq!(s.keyspace.revision, rev);
    }

    #[test]
    fn the_v2_tree_is_a_separate_keyspace() {
        let mut s = Shell::new(1);
        let w = |s: &mut Shell, path: &str, val: &str| {
            let world = s.playground.world_mut();
            let req = V2Request {
                op: V2Op::Keys(KeysRequest {
                    method: Method::Put,
                    path: path.into(),
                    val: val.into(),
                    ..Default::default()
                }),
                credentials: None,
                now: world.unix_nanos(),
            };
            world
                .call("127.0.0.1:2379", None, Request::V2(req), READ_TIMEOUT)
                .unwrap();
        };
        w(&mut s, "/dir/a", "1");
        w(&mut s, "/dir/sub/b", "2");
        s.run_line("etcdctl put /v3/key x");
        s.set_v2(true);
        assert_eq!(s.keyspace.error, None);
        assert_eq!(s.keyspace.tree.borrow().key_count(), 2);
        s.select_key(b"/dir/sub/b".to_vec());
        let d = s.detail.clone().unwrap();
        assert_eq!(d.kv.unwrap().value, b"2");
        assert_eq!(d.v2_ttl, Some(0));
        s.set_v2(false);
        assert_eq!(s.keyspace.tree.borrow().key_count(), 1);
        // Each keyspace keeps its open folders.
        let root = s.keyspace.tree.borrow().find(b"").unwrap();
        s.toggle_folder(root);
        s.set_v2(true);
        s.set_v2(false);
        assert_eq!(
            s.keyspace.tree.borrow().expanded_paths(),
            vec![Vec::<u8>::new()]
        );
    }

    #[test]
    fn until_idle_waits_for_a_new_leader() {
        let mut s = Shell::new(1);
        s.run_line("stop infra1");
        let spent = s.run_until_idle();
        assert!(spent > Duration::ZERO && spent < IDLE_LIMIT, "{spent:?}");
        let c = s.cluster();
        let leader = c.leader().expect("a new leader");
        assert_ne!(leader.name, "infra1");
        // Without a quorum it gives up at the limit.
        let name = leader.name.clone();
        s.run_line(&format!("stop {name}"));
        assert_eq!(s.run_until_idle(), IDLE_LIMIT);
    }

    #[test]
    fn a_write_is_traced_to_its_raft_entries_and_revision() {
        let mut s = Shell::new(1);
        s.run_line("etcdctl put a 1");
        s.run_line("etcdctl put b 2");
        let t = s.entries.last().unwrap().trace.clone().expect("traced");
        assert_eq!(t.first_index, t.last_index);
        assert_eq!(t.revisions, Some((3, 3)));
        assert!(t.term >= 2);
        s.run_line("etcdctl get a");
        assert_eq!(
            s.entries.last().unwrap().trace,
            None,
            "a read writes nothing"
        );
    }

    #[test]
    fn step_advances_to_the_next_event_or_a_tick() {
        let s = Shell::new(1);
        let cmd = s.step_command();
        assert!(cmd.starts_with("advance ") && cmd.ends_with("ms"), "{cmd}");
    }
}
