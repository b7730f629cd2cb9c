//! The deterministic world: a virtual clock, one seeded RNG, a network between the members
//! (latency, jitter, loss, reordering, partitions) and members that crash and restart from
//! their disk.
//!
//! Owns: time, randomness, message delivery, the event trace the UI animates, and the members'
//! places in the world ([`World`], built here). Its sections: the client surface that etcdctl
//! uses (`client`: call, submit, watch), the event loop (`event_loop`: time moves only through
//! the event queue, a tick every 100 ms for every running member and message deliveries),
//! faults (`faults`), a power cycle (`restore`), members put in and taken out whole
//! (`members`: a node lab's etcd) and views (`view`).
//! Must not touch: etcd's rules (the members' own, in `server`), the DOM, wall-clock time,
//! threads or I/O.

mod client;
mod cluster;
pub mod endpoint;
mod event_loop;
mod faults;
pub mod members;
pub mod network;
pub mod restore;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::api::{CallError, Response};
use crate::persist::{Disk, MemoryDisk};
use crate::server::ids;
use crate::server::member::{Member, MemberConfig, Outbox};
use crate::server::membership::bootstrap_log;
pub use crate::server::snapshot::SnapshotPiece;

pub use client::FiredView;
pub use faults::FaultError;
pub use members::bootstrap_state;
pub use network::NetConfig;
pub use restore::{Restoring, Settings};
pub use view::{LogEntryView, MemberView, MessageView, ProgressView, Role, TraceEvent, TraceKind};

use client::WatchState;
use event_loop::{AppliedLog, Event, EventQueue};

/// The simulated wall clock at `now() == 0`: 2024-01-01T00:00:00Z.
pub const EPOCH_UNIX_NANOS: i64 = 1_704_067_200_000_000_000;

/// The cluster token of the recorded cluster.
pub const CLUSTER_TOKEN: &str = "etcd-cluster-1";

/// One Raft tick (etcd's default heartbeat interval).
pub const TICK: Duration = Duration::from_millis(100);

/// How long a fresh world runs before it is handed out (etcd refuses `member add` during a
/// member's first 5 s).
pub const WARM_UP: Duration = Duration::from_millis(5_500);

/// The longest `advance` runs in one call (a day: 864 000 ticks).
pub const MAX_ADVANCE: Duration = Duration::from_secs(24 * 3600);

/// At most this many trace events are kept (older ones are dropped).
pub const TRACE_CAP: usize = 20_000;

/// The safety check remembers what was applied at this many of the latest indexes.
pub const APPLIED_LOG_CAP: usize = 100_000;

/// The default members: name, client URL, peer URL.
pub const DEFAULT_MEMBERS: [(&str, &str, &str); 3] = [
    ("infra1", "http://127.0.0.1:2379", "http://127.0.0.1:12380"),
    ("infra2", "http://127.0.0.1:22379", "http://127.0.0.1:22380"),
    ("infra3", "http://127.0.0.1:32379", "http://127.0.0.1:32380"),
];

/// One member's place in the world.
struct Slot {
    config: MemberConfig,
    /// Running member, or `None` while stopped (then `disk` holds what survived).
    member: Option<Member>,
    disk: Option<Box<dyn Disk>>,
    /// When the member last (re)started.
    up_since: Duration,
    /// It applied its own removal; it cannot start again.
    removed: bool,
}

/// The deterministic world.
pub struct World {
    seed: u64,
    rng: ChaCha8Rng,
    now: Duration,
    seq: u64,
    /// Messages in the queue.
    in_flight: usize,
    queue: EventQueue,
    slots: Vec<Slot>,
    cluster_id: u64,
    net: NetConfig,
    /// For each pair of members (low ID first), since when their link is up.
    link_up_since: BTreeMap<(u64, u64), Duration>,
    answers: BTreeMap<u64, Result<Response, CallError>>,
    /// Members holding batched proposals.
    batched: BTreeSet<u64>,
    next_call: u64,
    trace: Vec<TraceEvent>,
    trace_enabled: bool,
    /// What was applied at each index (term, digest), to check state machine safety.
    applied_log: AppliedLog,
    safety_violations: Vec<String>,
    watches: BTreeMap<u64, WatchState>,
    next_watch: u64,
    snapshot_count: u64,
    /// The etcd release every member runs.
    version: crate::api::EtcdVersion,
    /// Every member's `--quota-backend-bytes` (0: etcd's default).
    quota_backend_bytes: i64,
    /// Summaries of log entries for the views, by (index, term): an entry is decoded once,
    /// not at every view (a txn of the large /registry sample is 120 kB; the views show 200
    /// entries of three members, several times per command).
    summaries: std::cell::RefCell<BTreeMap<(u64, u64), String>>,
    /// Client URLs a member listens on besides its advertised ones (`--listen-client-urls`
    /// of a member added with [`World::add_member`]).
    listen: BTreeMap<u64, Vec<String>>,
}

/// At most this many entry summaries are kept (the lowest indexes are dropped first).
const SUMMARY_CACHE_CAP: usize = 4096;

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.seed)
            .field("now", &self.now)
            .finish()
    }
}

/// A member's disk before its first start: the bootstrap log (see [`bootstrap_log`]).
fn bootstrap_disk(configs: &[MemberConfig]) -> MemoryDisk {
    let mut disk = MemoryDisk::new();
    let (entries, hard_state) = bootstrap_log(configs);
    let _ = disk.append(&entries);
    let _ = disk.set_hard_state(hard_state);
    disk
}

impl World {
    /// The default cluster, ready: infra1 leader at term 2, v3 revision 1, up more than 5 s.
    pub fn new(seed: u64) -> World {
        World::new_with(seed, crate::api::EtcdVersion::default())
    }

    /// [`World::new`] with members of the etcd release `version`.
    pub fn new_with(seed: u64, version: crate::api::EtcdVersion) -> World {
        let mut w = World::cold_with(seed, version);
        w.run_until(WARM_UP, |_| false);
        w
    }

    /// The world of `seed` at its first moment (`now() == 0`): the members just booted and
    /// infra1's first campaign on the wire, before [`WARM_UP`] (the timeline replays the
    /// first election from here; [`World::new`] is this after the warm-up).
    pub fn cold(seed: u64) -> World {
        World::cold_with(seed, crate::api::EtcdVersion::default())
    }

    /// [`World::cold`] with members of the etcd release `version`.
    pub fn cold_with(seed: u64, version: crate::api::EtcdVersion) -> World {
        let (mut w, configs) = World::blank(seed);
        w.version = version;
        let member_ids: Vec<u64> = configs.iter().map(|c| c.id).collect();
        for c in &configs {
            w.slots.push(Slot {
                config: c.clone(),
                member: None,
                disk: Some(Box::new(bootstrap_disk(&configs))),
                up_since: Duration::ZERO,
                removed: false,
            });
        }
        for i in 0..w.slots.len() {
            w.boot(i);
        }
        w.schedule(TICK, Event::Tick);
        // The recorded cluster's first election is won by infra1 (the others had a longer
        // election timeout); here infra1 simply campaigns first.
        if let Some(first) = member_ids.first().copied() {
            let env = w.env(first);
            let mut out = Outbox::default();
            if let Some(m) = w.member_mut(first) {
                m.campaign(&env, &mut out);
            }
            w.handle_outbox(first, out);
        }
        w
    }

    /// A world with no members yet, and the default members' configurations.
    pub(super) fn blank(seed: u64) -> (World, Vec<MemberConfig>) {
        let member_ids: Vec<u64> = DEFAULT_MEMBERS
            .iter()
            .map(|(_, _, p)| ids::member_id(&[p], CLUSTER_TOKEN))
            .collect();
        let cluster_id = ids::cluster_id(&member_ids);
        let configs: Vec<MemberConfig> = DEFAULT_MEMBERS
            .iter()
            .zip(&member_ids)
            .map(|((name, client, peer), id)| MemberConfig {
                id: *id,
                name: name.to_string(),
                peer_urls: vec![peer.to_string()],
                client_urls: vec![client.to_string()],
                cluster_id,
            })
            .collect();
        let w = World {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            now: Duration::ZERO,
            seq: 0,
            in_flight: 0,
            queue: EventQueue::default(),
            slots: Vec::new(),
            cluster_id,
            net: NetConfig::default(),
            link_up_since: BTreeMap::new(),
            answers: BTreeMap::new(),
            batched: BTreeSet::new(),
            next_call: 1,
            trace: Vec::new(),
            trace_enabled: true,
            applied_log: AppliedLog::default(),
            safety_violations: Vec::new(),
            watches: BTreeMap::new(),
            next_watch: 1,
            snapshot_count: crate::server::snapshot::DEFAULT_SNAPSHOT_COUNT,
            version: crate::api::EtcdVersion::default(),
            quota_backend_bytes: 0,
            summaries: std::cell::RefCell::new(BTreeMap::new()),
            listen: BTreeMap::new(),
        };
        (w, configs)
    }

    pub(super) fn boot(&mut self, i: usize) {
        self.boot_with(i, None);
    }

    /// [`World::boot`] with the member's snapshot already read.
    pub(super) fn boot_with(
        &mut self,
        i: usize,
        decoded: Option<crate::server::snapshot_pieces::DecodedSnapshot>,
    ) {
        let unix = self.unix_nanos();
        let seed: u64 = self.rng.gen();
        let now = self.now;
        let Some(slot) = self.slots.get_mut(i) else {
            return;
        };
        let Some(disk) = slot.disk.take() else { return };
        let id = slot.config.id;
        match Member::start_with(slot.config.clone(), disk, seed, unix, decoded) {
            Ok(mut m) => {
                m.set_snapshot_count(self.snapshot_count);
                m.set_version(self.version);
                m.set_quota_backend_bytes(self.quota_backend_bytes);
                slot.member = Some(m);
                slot.up_since = now;
            }
            Err(_) => return,
        }
        let env = self.env(id);
        let mut out = Outbox::default();
        if let Some(m) = self.member_mut(id) {
            m.process_ready(&env, &mut out);
        }
        self.handle_outbox(id, out);
    }

    /// Simulated time since the world began.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Simulated wall clock: a fixed epoch plus `now`.
    pub fn unix_nanos(&self) -> i64 {
        EPOCH_UNIX_NANOS.saturating_add(self.now.as_nanos().min(i64::MAX as u128) as i64)
    }

    /// The seed this world was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn cluster_id(&self) -> u64 {
        self.cluster_id
    }

    /// The member serving a client endpoint (`127.0.0.1:2379`, `http://...`, `localhost:...`).
    pub fn resolve_endpoint(&self, endpoint: &str) -> Option<u64> {
        let port = endpoint::loopback_port(endpoint)?;
        self.slots
            .iter()
            .find(|s| {
                let extra = self.listen.get(&s.config.id).map(Vec::as_slice);
                s.config
                    .client_urls
                    .iter()
                    .chain(extra.unwrap_or(&[]))
                    .any(|u| endpoint::loopback_port(u) == Some(port))
            })
            .map(|s| s.config.id)
    }

    /// A client URL member `id` answers on in this world (a loopback one: what
    /// [`World::call`] resolves), for a reader of the world such as the keyspace panel.
    pub fn client_url(&self, id: u64) -> Option<String> {
        let slot = self.slots.iter().find(|s| s.config.id == id)?;
        let extra = self.listen.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        slot.config
            .client_urls
            .iter()
            .chain(extra)
            .find(|u| endpoint::loopback_port(u).is_some())
            .cloned()
    }

    /// All member IDs of the world, in ID order.
    pub fn member_ids(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.slots.iter().map(|s| s.config.id).collect();
        crate::sort::sort(&mut v);
        v
    }

    /// A member's name.
    pub fn member_name(&self, id: u64) -> Option<&str> {
        self.slots
            .iter()
            .find(|s| s.config.id == id)
            .map(|s| s.config.name.as_str())
    }

    /// The leader of the highest term among running members, if any believes it leads.
    pub fn leader(&self) -> Option<u64> {
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .filter(|m| m.is_leader())
            .max_by_key(|m| m.term())
            .map(|m| m.id())
    }

    /// Whether a member is running.
    pub fn is_running(&self, id: u64) -> bool {
        self.member(id).is_some()
    }

    /// A running member (for tests and views).
    pub fn member(&self, id: u64) -> Option<&Member> {
        self.slots
            .iter()
            .find(|s| s.config.id == id)
            .and_then(|s| s.member.as_ref())
    }

    /// Whether a NOSPACE alarm is on (as a running member knows it).
    pub fn nospace(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .any(|m| m.nospace())
    }

    /// The disks are full (the page's browser storage refused a write): every running member
    /// raises the NOSPACE alarm for itself, as etcd does when its backend reaches its quota.
    pub fn disk_full(&mut self) {
        for slot in &mut self.slots {
            if let Some(m) = slot.member.as_mut() {
                m.raise_nospace();
            }
        }
    }

    pub(super) fn member_mut(&mut self, id: u64) -> Option<&mut Member> {
        self.slots
            .iter_mut()
            .find(|s| s.config.id == id)
            .and_then(|s| s.member.as_mut())
    }

    /// Sets the etcd release every member runs (members started later too).
    pub fn set_etcd_version(&mut self, v: crate::api::EtcdVersion) {
        self.version = v;
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.set_version(v);
            }
        }
    }

    /// The etcd release the members run.
    pub fn etcd_version(&self) -> crate::api::EtcdVersion {
        self.version
    }

    /// Sets every member's snapshot interval (applied entries between snapshots).
    pub fn set_snapshot_count(&mut self, n: u64) {
        self.snapshot_count = n;
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.set_snapshot_count(n);
            }
        }
    }

    /// Sets every member's `--quota-backend-bytes` (0: etcd's default of 2 GiB; negative: no
    /// quota), as if the cluster had been started with it.
    pub fn set_quota_backend_bytes(&mut self, bytes: i64) {
        self.quota_backend_bytes = bytes;
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.set_quota_backend_bytes(bytes);
            }
        }
    }

    /// Every member's `--quota-backend-bytes`.
    pub fn quota_backend_bytes(&self) -> i64 {
        self.quota_backend_bytes
    }

    /// Every member's snapshot interval.
    pub fn snapshot_count(&self) -> u64 {
        self.snapshot_count
    }

    /// Whether a running member has applied a snapshot interval's worth of entries since its
    /// last snapshot (a bulk load holds snapshots back; see [`World::snapshot_if_due`]).
    pub fn snapshot_due(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .any(|m| m.snapshot_due())
    }

    /// Lets every running member whose snapshot is due take it now (as etcd snapshots in the
    /// background, instead of leaving it to whichever write comes next). Returns whether any did.
    pub fn snapshot_if_due(&mut self) -> bool {
        let mut any = false;
        while self.snapshot_one_if_due() {
            any = true;
        }
        any
    }

    /// Lets the first running member whose snapshot is due take it; returns whether one did
    /// (see [`World::snapshot_piece`], here with no limit).
    pub fn snapshot_one_if_due(&mut self) -> bool {
        loop {
            match self.snapshot_piece(usize::MAX) {
                SnapshotPiece::Working => continue,
                SnapshotPiece::Took => return true,
                SnapshotPiece::NotDue => return false,
            }
        }
    }

    /// A piece of the first due snapshot of a running member, about `budget` bytes of its
    /// writing. The page calls this when idle after a bulk load, a piece at a time between
    /// frames, so that it never stops answering for longer than a piece (a member's snapshot
    /// after the large sample is about 140 MB).
    ///
    /// A member whose applied index is that of another member's snapshot takes the same
    /// bytes at once instead of writing its state again.
    pub fn snapshot_piece(&mut self, budget: usize) -> SnapshotPiece {
        let taken: Vec<(u64, crate::raft::EntryData)> = self
            .slots
            .iter()
            .filter_map(|s| s.member.as_ref()?.snapshot_data())
            .collect();
        for m in self.slots.iter_mut().filter_map(|s| s.member.as_mut()) {
            if !m.snapshot_due() {
                continue;
            }
            let applied = m.applied();
            let piece = match taken.iter().find(|(i, _)| *i == applied) {
                Some((_, same)) => match m.snapshot_if_due_as(Some(same.clone())) {
                    true => SnapshotPiece::Took,
                    false => SnapshotPiece::NotDue,
                },
                None => m.snapshot_piece(budget),
            };
            if piece != SnapshotPiece::NotDue {
                return piece;
            }
        }
        SnapshotPiece::NotDue
    }

    /// Turns the event trace on or off (benchmarks turn it off).
    pub fn set_trace(&mut self, on: bool) {
        self.trace_enabled = on;
    }

    /// The network's current settings.
    pub fn net(&self) -> &NetConfig {
        &self.net
    }
}

#[cfg(test)]
mod tests;
