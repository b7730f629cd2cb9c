//! The session's persistence bookkeeping (not the storage itself): the state kept beside the
//! members' disks, the restored [`Base`] a reload starts from, the members' disk journals to
//! drain, the inputs not yet stored, and which console entries are durable (a command's
//! output shows only once the flush carrying its writes committed).
//!
//! Reload, replay and the timeline (issue 7): a reload is a power cycle. The page restores
//! the world from the members' disks (IndexedDB) with [`Session::restore`] instead of
//! replaying every input since the seed, so a reload costs what the disks hold, not what was
//! typed. The stored inputs stay as the console's history (↑/↓). The timeline starts at the
//! reload: rewinding rebuilds from the restored disks (the [`Base`]) and replays only the
//! inputs run since, and after a rewind the members' stores are rewritten whole (their
//! journals restart with a baseline). `reset` drops the base: a fresh world from the seed.
//!
//! Owns: [`PlaygroundState`], [`Base`], [`Found`], the durable mark. Must not touch:
//! IndexedDB (the page's storage writes what this hands out), the record format (`persist`).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::keyspace::READ_TIMEOUT;
use super::opening::RestoringPlayground;
use super::timeline::{InputRecord, DISK_FULL};
use super::Session;
use crate::api::Request;
use crate::persist::record::{Checksumming, SnapshotRecord};
use crate::playground::lab::node::NodeLab;
use crate::playground::lab::LabKind;
use crate::playground::Playground;
use crate::process::Output;
pub use crate::sim::SnapshotPiece;
use crate::sim::{Settings, World, DEFAULT_MEMBERS};

/// A member's disk as stored, and what one flush writes of it (the page's storage keeps them).
pub use crate::persist::{DiskState, Flush};

/// The bookkeeping of the snapshot records the members share (the page's storage keeps it).
pub use crate::persist::SharedSnapshots;

/// The members' own IndexedDB stores (the page's storage opens, loads and writes them).
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub use crate::persist::idb as member_stores;

/// The page's snapshot interval (applied entries between snapshots): small, so each
/// member's stored log stays short (etcd's default is 100 000).
pub const SNAPSHOT_COUNT: u64 = 500;

/// The seed of the page's world. Fixed, so that replaying the stored inputs rebuilds the
/// same history after a reload.
pub const DEFAULT_SEED: u64 = 1;

/// How much of a held-back snapshot one piece writes (about a millisecond of wasm: the page
/// runs pieces until its slice of a frame is used).
pub const SNAPSHOT_PIECE_BYTES: usize = 1 << 20;

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
    /// Which lab this is (each lab has its own database).
    #[serde(default)]
    pub lab: LabKind,
    /// A node lab's node: its files (the member's data directory among them), shell and
    /// kubelet. The member's disk is its data directory's WAL file.
    #[serde(default)]
    pub node: Option<NodeLab>,
    /// The lesson in progress and the lessons finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<crate::playground::lesson::LessonRun>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lessons_finished: Vec<String>,
    /// The commands running when this was stored (the current job, then the background
    /// jobs as `[N] LINE &`): a reload ends them, and the console then says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<String>,
    /// The etcd release the lab runs (records stored before 3.5 existed read as 3.4.23).
    #[serde(default)]
    pub etcd_version: crate::api::EtcdVersion,
    /// How many secret pseudonyms were handed out (the numbering goes on after a reload).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub secrets_named: u64,
    /// The variables that held a secret and are not stored (a reload asks to set them again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset_secrets: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn yes() -> bool {
    true
}

/// The storage schema: 1 kept only the input log; 2 adds the members' disks and `meta`; 3
/// stores a snapshot the members share once (the page's `snapshots` store).
pub const SCHEMA_VERSION: u32 = 3;

/// Where the timeline starts after a reload: the state and the disks the world was restored
/// from.
#[derive(Clone, Debug)]
pub struct Base {
    pub state: PlaygroundState,
    pub disks: BTreeMap<String, DiskState>,
}

impl Base {
    /// The playground restored from this base.
    pub(super) fn playground(&self, journal: bool) -> Playground {
        let mut r = self.restoring(journal);
        while r.step() {}
        r.finish()
    }

    /// [`Base::playground`] a member at a time (see `opening`).
    pub(super) fn restoring(&self, journal: bool) -> RestoringPlayground {
        let st = &self.state;
        if let (LabKind::Kubeadm | LabKind::ExternalEtcd, Some(node)) = (st.lab, &st.node) {
            let mut p = Playground::restore_node(
                st.lab,
                st.seed,
                Duration::from_micros(st.clock_us),
                node.clone(),
                st.env.clone(),
                st.hints,
            );
            p.set_etcd_version(st.etcd_version);
            return RestoringPlayground::Ready(Box::new(p));
        }
        RestoringPlayground::World {
            world: World::restoring(
                st.seed,
                Duration::from_micros(st.clock_us),
                &self.disks,
                &st.settings,
                journal,
            ),
            env: st.env.clone(),
            hints: st.hints,
            version: st.etcd_version,
        }
    }
}

/// What the page's storage found on a load.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// The playground's state, if stored and readable.
    pub state: Option<PlaygroundState>,
    /// A state record was stored but could not be read.
    pub state_unreadable: bool,
    /// The disks that can start a member (damaged and missing ones left out: those members
    /// start empty and are restored from their peers).
    pub disks: BTreeMap<String, DiskState>,
    /// The stored inputs, oldest first.
    pub inputs: Vec<InputRecord>,
}

/// What the console says after a reload that ended running commands (a reload is a power
/// cycle: a watch or a keep-alive does not survive it, and restarting one would not be the
/// same job), or `None` when none ran.
pub fn ended_with_the_reload(jobs: &[String]) -> Option<String> {
    if jobs.is_empty() {
        return None;
    }
    let lines: Vec<String> = jobs
        .iter()
        .map(|j| match j.strip_prefix('[') {
            Some(_) => format!("background job {j} ended with the reload"),
            None => format!("`{j}` ended with the reload"),
        })
        .collect();
    Some(format!(
        "{}: a reload is a power cycle; run it again to restart it.",
        lines.join("; ")
    ))
}

/// What the console says after a reload when variables that held a secret were not stored.
pub(super) fn unset_note(names: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let (was, it) = if names.len() == 1 {
        ("was", "it")
    } else {
        ("were", "them")
    };
    Some(format!(
        "{} {was} not kept across the reload (the page stores no password): export {it} again to use {it}.",
        names.join(", "),
    ))
}

/// The members whose disks the page keeps: the default three (members a `member add`
/// brought in are not kept across a reload; the restored world is the default three).
pub fn stored_members() -> impl Iterator<Item = &'static str> {
    DEFAULT_MEMBERS.iter().map(|m| m.0)
}

/// A snapshot record's checksum, computed a piece at a time before the flush that stores the
/// record (after `load k8s large` it is 140 MB: in one go, most of a 170 ms frame), then
/// remembered with its key, which the member write then finds known.
pub struct RecordChecksum {
    snapshot: crate::raft::Snapshot,
    record: SnapshotRecord,
    job: Checksumming,
}

impl RecordChecksum {
    /// Checksums about [`SNAPSHOT_PIECE_BYTES`] more; once every byte is, remembers the
    /// record's key in `shared` and returns true.
    pub fn advance(&mut self, shared: &SharedSnapshots) -> bool {
        match self.job.advance(&self.record, SNAPSHOT_PIECE_BYTES) {
            Some(sum) => {
                let key = crate::persist::shared::key_of(&self.snapshot, sum, self.record.len());
                shared.remember_key(&self.snapshot, &key);
                true
            }
            None => false,
        }
    }
}

impl Session {
    /// A fresh session for the page: the page's seed and snapshot interval.
    pub fn fresh_page() -> Session {
        let mut s = Session::new(DEFAULT_SEED);
        s.playground.world_mut().set_snapshot_count(SNAPSHOT_COUNT);
        s
    }

    /// A fresh session for the page in a lab (`local` is [`Session::fresh_page`]).
    pub fn fresh_lab(kind: LabKind) -> Session {
        Session::fresh_lab_version(kind, crate::api::EtcdVersion::default())
    }

    /// A fresh session for the page in a lab whose etcd is the release `version`.
    pub fn fresh_lab_version(kind: LabKind, version: crate::api::EtcdVersion) -> Session {
        let mut s = Session::fresh_page();
        if kind != LabKind::Local || version != crate::api::EtcdVersion::default() {
            s.playground = Playground::for_lab_version(kind, DEFAULT_SEED, version);
            if kind == LabKind::Local {
                s.playground.world_mut().set_snapshot_count(SNAPSHOT_COUNT);
            }
            s.horizon_ms = s.now_ms();
        }
        s
    }

    /// The session a page load starts with, from what its storage found, and a note for the
    /// console when the stored playground was migrated. With a state, the world is restored
    /// from the disks (an unreadable state restarts them with the seed, clock and settings
    /// reset); without one (a fresh database, or schema 1, inputs only) the inputs are
    /// replayed once from the seed and the members' disks are then written whole.
    pub fn open(found: Found) -> (Session, Option<String>) {
        let mut opening = Session::opening(found);
        while opening.step() {}
        opening.finish()
    }

    /// A session whose world is restored from the members' disks (a reload): members missing
    /// from `disks` lost theirs and are restored from their peers. Journals run from the
    /// start (a lost disk's begins with a clear).
    pub fn restore(base: Base) -> Session {
        let shell = Session::restore_shell(&base);
        let playground = base.playground(true);
        shell.restored_with(base, playground)
    }

    /// The session a restore from `base` fills in (see [`Session::restored_with`]).
    pub(super) fn restore_shell(base: &Base) -> Session {
        // The seed's world is cheap next to a restore; it is replaced at once.
        let mut s = Session::new(base.state.seed);
        s.secrets = super::secrets::Secrets::continuing_from(base.state.secrets_named);
        s
    }

    /// This shell with the `playground` restored from `base`.
    pub(super) fn restored_with(mut self, base: Base, playground: Playground) -> Session {
        self.playground = playground;
        self.base = Some(base);
        self.persisting = true;
        self.durable_upto = 0;
        self.horizon_ms = self.now_ms();
        self
    }

    /// Starts journaling every member's disk with a full baseline (a fresh store, a
    /// migration, or after a rewind); entries shown from now on wait for their flush.
    pub fn start_persisting(&mut self) {
        self.persisting = true;
        self.playground.world_mut().start_journals(true);
        self.durable_upto = self.next_id;
    }

    /// A write failed: the next drain carries every member's store whole.
    pub fn restart_journals(&mut self) {
        self.playground.world_mut().start_journals(true);
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

    /// The checksum of the first snapshot record the next drain carries whose key `shared`
    /// does not know yet, to compute a piece at a time (None: every key is known).
    pub fn record_checksum(&self, shared: &SharedSnapshots) -> Option<RecordChecksum> {
        if !self.persisting {
            return None;
        }
        let snapshot = self
            .world()
            .journaled_snapshots()
            .into_iter()
            .find(|s| shared.key_known(s).is_none())?;
        let record = SnapshotRecord::new(&snapshot);
        let job = Checksumming::new(&record);
        Some(RecordChecksum {
            snapshot,
            record,
            job,
        })
    }

    /// The inputs not yet in the stored history, and whether that history must be emptied
    /// first (after `reset`).
    /// They hold pseudonyms instead of secrets (see [`super::secrets`]).
    pub fn take_new_inputs(&mut self) -> (bool, Vec<InputRecord>) {
        let mut clear = std::mem::take(&mut self.inputs_clear);
        let from = self.inputs_stored.min(self.inputs.len());
        let mut new: Vec<InputRecord> = self
            .inputs
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .map(|r| self.secrets.redact_record(r))
            .collect();
        if !self.retry_inputs.is_empty() {
            let mut retry = std::mem::take(&mut self.retry_inputs);
            retry.append(&mut new);
            new = retry;
        }
        if let Some(mut stored) = self.restore_stored.take() {
            // the stored log again, redacted, unless a `reset` emptied it meanwhile
            if !clear {
                stored.append(&mut new);
                new = stored;
                clear = true;
            }
        }
        self.inputs_stored = self.inputs.len();
        self.bound_rewind();
        (clear, new)
    }

    /// The flush that carried `inputs` (and emptied the stored log first: `clear`) failed:
    /// the next [`Session::take_new_inputs`] hands them out again, so none is lost.
    pub fn inputs_not_stored(&mut self, clear: bool, mut inputs: Vec<InputRecord>) {
        self.inputs_clear |= clear;
        inputs.append(&mut self.retry_inputs);
        self.retry_inputs = inputs;
    }

    /// The ID the next console entry gets: a flush issued now covers the entries below it.
    pub fn next_entry_id(&self) -> usize {
        self.next_id
    }

    /// Console entries with an ID below this are durable; later ones wait for their flush.
    pub fn durable_upto(&self) -> usize {
        self.durable_upto
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
                    edit: None,
                    order: Vec::new(),
                };
                e.trace = None;
            }
        }
        self.durable_upto = self.durable_upto.max(upto);
    }

    /// The browser's storage refused the flush carrying the entries below `upto` for its
    /// quota. What those commands did stays in this tab (the next flushes write it whole
    /// once space is back), so they show what they printed; and as etcd's backend at its
    /// quota, every member raises NOSPACE: from now on the cluster refuses writes until
    /// `alarm disarm`. The alarm is kept as an input, so a replay raises it at the same
    /// moment.
    pub fn disk_full(&mut self, upto: usize) {
        if self.durable_upto == usize::MAX {
            return;
        }
        self.mark_durable(upto);
        if self.world().nospace() {
            return;
        }
        self.playground.world_mut().disk_full();
        self.inputs.push(InputRecord {
            line: DISK_FULL.to_string(),
            at_ms: Some(self.now_ms()),
            ..Default::default()
        });
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

    /// Another tab took over: nothing is written and time stands still here.
    pub fn yield_to_another_tab(&mut self) {
        self.stop_persisting();
        self.playing = false;
    }

    /// The state as the page stores it: [`Session::state`] without secrets (the variables
    /// that hold one are left out and named; lesson attempts and jobs show pseudonyms).
    pub fn stored_state(&self) -> PlaygroundState {
        use super::secrets::drop_secret_vars;
        let mut st = self.state();
        let mut unset = drop_secret_vars(&mut st.env);
        #[cfg(not(feature = "lite"))]
        if let Some(node) = &mut st.node {
            unset.extend(drop_secret_vars(&mut node.shell.vars));
            if let Some(host) = &mut node.etcd_server {
                unset.extend(drop_secret_vars(&mut host.shell.vars));
            }
        }
        crate::sort::sort(&mut unset);
        unset.dedup();
        st.unset_secrets = unset;
        if let Some(run) = &mut st.lesson {
            for a in &mut run.attempts {
                a.line = self.secrets.redact_line(&a.line);
            }
        }
        for j in &mut st.jobs {
            *j = self.secrets.redact_line(j);
        }
        st.secrets_named = self.secrets.count();
        st
    }

    /// The state stored beside the disks (in memory: [`Session::stored_state`] is what the
    /// page writes).
    pub fn state(&self) -> PlaygroundState {
        let w = self.world();
        PlaygroundState {
            schema: SCHEMA_VERSION,
            seed: self.seed,
            clock_us: w.now().as_micros().min(u64::MAX as u128) as u64,
            env: self.playground.env().clone(),
            hints: self.playground.hints_enabled,
            settings: {
                // (a long command in progress holds the snapshots back: not what is stored)
                let mut s = w.settings();
                if let Some(n) = self.playground.snapshot_count_after_work() {
                    s.snapshot_count = n;
                }
                s
            },
            lab: self.playground.lab(),
            node: self.playground.node().cloned(),
            lesson: self.lesson.clone(),
            lessons_finished: self.lessons_finished.iter().cloned().collect(),
            jobs: self.running_jobs(),
            etcd_version: self.playground.etcd_version(),
            secrets_named: self.secrets.count(),
            unset_secrets: Vec::new(),
        }
    }

    /// The commands running now: the current job's line, then each background job as
    /// `[N] LINE &`.
    pub fn running_jobs(&self) -> Vec<String> {
        let current = self.job.and_then(|id| {
            let e = self.entries.iter().rev().find(|e| e.id == id)?;
            e.running.then(|| e.line.clone())
        });
        current
            .into_iter()
            .chain(
                self.background.iter().map(|(n, (_, line))| {
                    format!("[{n}] {} &", line.trim_end_matches('&').trim_end())
                }),
            )
            .collect()
    }

    /// Whether a member's snapshot was held back (by a bulk load) and is due.
    pub fn snapshot_due(&self) -> bool {
        self.world().snapshot_due()
    }

    /// Takes one held-back snapshot, if one is due.
    pub fn snapshot_one_if_due(&mut self) -> bool {
        self.playground.world_mut().snapshot_one_if_due()
    }

    /// A piece of a held-back snapshot, if one is due: a few ms of work (the page calls it
    /// when idle, between frames, until the snapshot is taken).
    pub fn snapshot_piece(&mut self) -> SnapshotPiece {
        self.playground
            .world_mut()
            .snapshot_piece(SNAPSHOT_PIECE_BYTES)
    }

    /// Writes `n` keys `bench/key-NNNNNNN` straight through the world, 128 puts a txn (the
    /// reload benchmark's fill; no console entries).
    pub fn bench_fill(&mut self, n: usize) {
        use crate::api::{PutRequest, RequestOp, TxnRequest};
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
}
