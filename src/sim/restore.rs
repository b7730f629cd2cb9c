//! A power cycle: building a world from the members' disks (what a reload of the page reads
//! back from IndexedDB), and the settings of the world that a reload keeps (network, faults,
//! snapshot interval, which members are stopped). Also the journal hooks: start every disk's
//! write-behind journal and drain what the members wrote.
//!
//! Owns: [`Settings`], [`World::restore`], the journal plumbing. Must not touch: how disks are
//! stored (persist) or the page.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{Event, Slot, World, TICK};
use crate::api::Member as ApiMember;
use crate::persist::{Disk, DiskState, Flush, MemoryDisk};
use crate::server::snapshot_pieces::{Read, SnapshotReader};
use crate::sort::Inserted;

/// How long a restored world runs at most to elect a leader and apply its committed log.
pub const RESTART_LIMIT: Duration = Duration::from_secs(10);

/// What a reload keeps of the world besides the disks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub latency_us: u64,
    pub jitter_us: u64,
    pub loss_pct: u32,
    /// Groups of member names that only reach each other.
    pub partition: Option<Vec<Vec<String>>>,
    /// Per-link latency: (member, member, µs).
    pub link_latency: Vec<(String, String, u64)>,
    pub snapshot_count: u64,
    /// Members that were stopped (they stay stopped).
    pub stopped: Vec<String>,
    /// Members that applied their own removal (they never start again).
    pub removed: Vec<String>,
    /// Links cut on their own: (member, member).
    pub cut: Vec<(String, String)>,
    /// Per-link loss: (member, member, %).
    pub link_loss: Vec<(String, String, u32)>,
    /// `--quota-backend-bytes` (0: etcd's default).
    pub quota_backend_bytes: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            latency_us: 1_000,
            jitter_us: 0,
            loss_pct: 0,
            partition: None,
            link_latency: Vec::new(),
            snapshot_count: crate::server::snapshot::DEFAULT_SNAPSHOT_COUNT,
            stopped: Vec::new(),
            removed: Vec::new(),
            cut: Vec::new(),
            link_loss: Vec::new(),
            quota_backend_bytes: 0,
        }
    }
}

fn us(d: Duration) -> u64 {
    d.as_micros().min(u64::MAX as u128) as u64
}

impl World {
    fn name_of(&self, id: u64) -> Option<String> {
        self.member_name(id).map(str::to_string)
    }

    fn id_of(&self, name: &str) -> Option<u64> {
        self.slots
            .iter()
            .find(|s| s.config.name == name)
            .map(|s| s.config.id)
    }

    /// The settings a reload keeps.
    pub fn settings(&self) -> Settings {
        Settings {
            latency_us: us(self.net.latency),
            jitter_us: us(self.net.jitter),
            loss_pct: self.net.loss_pct,
            partition: self.net.partition.as_ref().map(|groups| {
                groups
                    .iter()
                    .map(|g| g.iter().filter_map(|id| self.name_of(*id)).collect())
                    .collect()
            }),
            link_latency: self
                .net
                .link_latency
                .iter()
                .filter_map(|((a, b), d)| Some((self.name_of(*a)?, self.name_of(*b)?, us(*d))))
                .collect(),
            snapshot_count: self.snapshot_count,
            quota_backend_bytes: self.quota_backend_bytes,
            stopped: self
                .slots
                .iter()
                .filter(|s| s.member.is_none() && !s.removed)
                .map(|s| s.config.name.clone())
                .collect(),
            removed: self
                .slots
                .iter()
                .filter(|s| s.removed)
                .map(|s| s.config.name.clone())
                .collect(),
            cut: self
                .net
                .cut
                .iter()
                .filter_map(|(a, b)| Some((self.name_of(*a)?, self.name_of(*b)?)))
                .collect(),
            link_loss: self
                .net
                .link_loss
                .iter()
                .filter_map(|((a, b), p)| Some((self.name_of(*a)?, self.name_of(*b)?, *p)))
                .collect(),
        }
    }

    fn apply_settings(&mut self, s: &Settings) {
        self.net.latency = Duration::from_micros(s.latency_us.min(60_000_000));
        self.net.jitter = Duration::from_micros(s.jitter_us.min(60_000_000));
        self.net.loss_pct = s.loss_pct.min(100);
        self.net.partition = s.partition.as_ref().map(|groups| {
            groups
                .iter()
                .map(|g| g.iter().filter_map(|n| self.id_of(n)).btree_set())
                .collect()
        });
        self.net.link_latency = s
            .link_latency
            .iter()
            .filter_map(|(a, b, d)| {
                let (a, b) = (self.id_of(a)?, self.id_of(b)?);
                Some((
                    (a.min(b), a.max(b)),
                    Duration::from_micros((*d).min(60_000_000)),
                ))
            })
            .btree_map();
        self.net.cut = s
            .cut
            .iter()
            .filter_map(|(a, b)| Some(super::network::link(self.id_of(a)?, self.id_of(b)?)))
            .btree_set();
        self.net.link_loss = s
            .link_loss
            .iter()
            .filter_map(|(a, b, p)| {
                Some((
                    super::network::link(self.id_of(a)?, self.id_of(b)?),
                    (*p).min(100),
                ))
            })
            .btree_map();
        self.snapshot_count = s.snapshot_count.max(1);
        self.quota_backend_bytes = s.quota_backend_bytes;
        self.confirm_settings(s);
    }

    /// Records the restored network in the trace in the words the controls use, so views
    /// built from the trace (the page's picture of links) show it as it was.
    fn confirm_settings(&mut self, s: &Settings) {
        let mut lines = Vec::new();
        if let Some(groups) = &s.partition {
            let text: Vec<String> = groups.iter().map(|g| g.join(" ")).collect();
            lines.push(format!("partitioned: {}", text.join(" | ")));
        }
        if s.loss_pct != 0 {
            lines.push(format!("message loss set to {}%", s.loss_pct.min(100)));
        }
        if s.latency_us != 1_000 {
            lines.push(format!("latency set to {} ms", s.latency_us / 1_000));
        }
        for (a, b, d) in &s.link_latency {
            lines.push(format!(
                "latency between {a} and {b} set to {} ms",
                d / 1_000
            ));
        }
        for (a, b, p) in &s.link_loss {
            lines.push(format!("message loss between {a} and {b} set to {p}%"));
        }
        for (a, b) in &s.cut {
            lines.push(format!("link {a} – {b} cut"));
        }
        for text in lines {
            let _ = self.control(text);
        }
    }

    /// Builds the world a power cycle leaves: the default members restart from `disks`
    /// (a member missing there lost its disk: it starts empty and is restored from its peers,
    /// by snapshot once their logs are compacted), at simulated time `now`, with `settings`.
    /// Runs until a leader is elected and the running members applied what was committed
    /// (at most [`RESTART_LIMIT`]). With `journal`, every disk journals its writes from the
    /// start, a lost disk's journal beginning with a clear.
    pub fn restore(
        seed: u64,
        now: Duration,
        disks: &BTreeMap<String, DiskState>,
        settings: &Settings,
        journal: bool,
    ) -> World {
        let mut r = World::restoring(seed, now, disks, settings, journal);
        while r.boot_next() {}
        r.finish()
    }

    /// [`World::restore`] a member at a time: [`Restoring::boot_next`] until it says none is
    /// left, then [`Restoring::finish`]. The same world results, however the steps are spread
    /// (nothing else runs on it in between).
    pub fn restoring(
        seed: u64,
        now: Duration,
        disks: &BTreeMap<String, DiskState>,
        settings: &Settings,
        journal: bool,
    ) -> Restoring {
        let (mut w, configs) = World::blank(seed);
        w.now = now.min(Duration::from_secs(100 * 365 * 24 * 3600));
        let salt = us(w.now).rotate_left(29);
        w.rng = ChaCha8Rng::seed_from_u64(seed ^ salt);
        for c in &configs {
            let stored = disks.get(&c.name);
            let mut disk = MemoryDisk::from_state(stored.cloned().unwrap_or_default());
            if journal {
                disk.start_journal(stored.is_none());
            }
            w.slots.push(Slot {
                config: c.clone(),
                member: None,
                disk: Some(Box::new(disk)),
                up_since: w.now,
                removed: settings.removed.contains(&c.name),
            });
        }
        w.apply_settings(settings);
        // Snapshots that fall due while the members catch up on their logs (a reload right
        // after a bulk load) are held back, as the load held them back: taking three of them
        // here would keep the page from its console for seconds. They are due once the
        // members are up (the page takes them when idle, one member at a time).
        let snapshot_count = w.snapshot_count;
        w.set_snapshot_count(u64::MAX);
        Restoring {
            world: w,
            settings: settings.clone(),
            snapshot_count,
            next: 0,
            boot: Boot::Start,
        }
    }

    /// Boots the members `settings` does not keep stopped or removed from their disks and runs
    /// until they settled; then members that joined later (`member add` + `start`, with no
    /// stored disk) rejoin empty and are restored from their peers, as etcd restores a member
    /// that lost its disk.
    fn settle_restored(&mut self, settings: &Settings) {
        let first_tick = self.now + TICK;
        self.schedule(first_tick, Event::Tick);
        let deadline = self.now + RESTART_LIMIT;
        self.run_until(deadline, |w| w.settled());
        let joined: Vec<ApiMember> = self
            .leader()
            .and_then(|id| self.member(id))
            .map(|m| m.cluster_members())
            .unwrap_or_default()
            .into_iter()
            .filter(|m| {
                !m.name.is_empty()
                    && !settings.stopped.contains(&m.name)
                    && !self.slots.iter().any(|s| s.config.id == m.id)
            })
            .collect();
        if !joined.is_empty() {
            for m in &joined {
                let _ = self.boot_joining(m, &m.name);
            }
            let deadline = self.now + RESTART_LIMIT;
            self.run_until(deadline, |w| w.settled());
        }
    }

    /// A leader leads, has committed an entry of its term (so it knows everything committed
    /// before), and every running member applied that far.
    pub(super) fn settled(&self) -> bool {
        let Some(lead) = self.leader().and_then(|id| self.member(id)) else {
            return false;
        };
        let log = &lead.node.raft.raft_log;
        let commit = log.committed;
        if log.term(commit).ok() != Some(lead.term()) {
            return false;
        }
        self.slots
            .iter()
            .filter_map(|s| s.member.as_ref())
            .all(|m| m.applied >= commit)
    }

    /// Starts every member's write-behind journal (with `baseline`: beginning with a clear
    /// and the whole disk, so a durable store can be rewritten from it).
    pub fn start_journals(&mut self, baseline: bool) {
        for s in &mut self.slots {
            if let Some(m) = s.member.as_mut() {
                m.disk_mut().start_journal(baseline);
            } else if let Some(d) = s.disk.as_mut() {
                d.start_journal(baseline);
            }
        }
    }

    /// Takes what each member's disk wrote since the last drain, by member name (members
    /// with nothing to write are left out).
    pub fn drain_journals(&mut self) -> Vec<(String, Flush)> {
        let mut out = Vec::new();
        for s in &mut self.slots {
            let flush = if let Some(m) = s.member.as_mut() {
                m.disk_mut().drain_journal()
            } else if let Some(d) = s.disk.as_mut() {
                d.drain_journal()
            } else {
                Flush::default()
            };
            if !flush.is_empty() {
                out.push((s.config.name.clone(), flush));
            }
        }
        out
    }

    /// The snapshots the members' journals save at their next drain (each once: members that
    /// took the same bytes share them).
    pub fn journaled_snapshots(&self) -> Vec<crate::raft::Snapshot> {
        let mut out: Vec<crate::raft::Snapshot> = Vec::new();
        for s in &self.slots {
            let disk = match (&s.member, &s.disk) {
                (Some(m), _) => Some(m.disk()),
                (None, Some(d)) => Some(&**d),
                (None, None) => None,
            };
            if let Some(snap) = disk.and_then(|d| d.journaled_snapshot()) {
                if !out
                    .iter()
                    .any(|o| std::sync::Arc::ptr_eq(&o.data, &snap.data))
                {
                    out.push(snap.clone());
                }
            }
        }
        out
    }

    /// What each member's disk holds now, by member name.
    pub fn disk_states(&self) -> BTreeMap<String, DiskState> {
        self.slots
            .iter()
            .filter_map(|s| {
                let d: &dyn Disk = match (&s.member, &s.disk) {
                    (Some(m), _) => m.disk(),
                    (None, Some(d)) => d.as_ref(),
                    _ => return None,
                };
                Some((s.config.name.clone(), d.load()))
            })
            .btree_map()
    }
}

/// A world being restored (see [`World::restoring`]). Booting a member decodes its snapshot
/// (after the large `/registry` sample, 141 MB into a keyspace of 100k keys): the page boots
/// one member a task, so that a reload paints between them.
pub struct Restoring {
    world: World,
    settings: Settings,
    /// The snapshot interval, held back until the members are up.
    snapshot_count: u64,
    /// The next slot to boot.
    next: usize,
    /// How far its boot got.
    boot: Boot,
}

/// A member's boot: its snapshot is read a piece at a time first (after the large sample it
/// is 140 MB: read in one go, 170 ms of the page's main thread), then the member starts.
enum Boot {
    Start,
    Reading(Box<SnapshotReader>),
}

/// How much of a member's snapshot one step reads (a few ms of wasm).
const READ_PIECE_BYTES: usize = 1 << 20;

impl Restoring {
    /// Takes the next step of booting the members the settings do not keep stopped or
    /// removed (a piece of a member's snapshot read, or its start); false once none is left.
    pub fn boot_next(&mut self) -> bool {
        while let Some(slot) = self.world.slots.get(self.next) {
            let i = self.next;
            if slot.removed || self.settings.stopped.contains(&slot.config.name) {
                self.next += 1;
                continue;
            }
            let read = match std::mem::replace(&mut self.boot, Boot::Start) {
                Boot::Start => {
                    let data = slot.disk.as_ref().map(|d| d.load().snapshot.data);
                    match data.filter(|d| !d.is_empty()).and_then(SnapshotReader::new) {
                        Some(r) => Read::More(r),
                        None => Read::Failed,
                    }
                }
                Boot::Reading(r) => r.advance(READ_PIECE_BYTES),
            };
            match read {
                Read::More(r) => self.boot = Boot::Reading(Box::new(r)),
                Read::Done(d) => {
                    self.world.boot_with(i, Some(d));
                    self.next += 1;
                }
                Read::Failed => {
                    self.world.boot_with(i, None);
                    self.next += 1;
                }
            }
            return true;
        }
        false
    }

    /// Boots what is left, runs until the members settled, and hands the world over.
    pub fn finish(mut self) -> World {
        while self.boot_next() {}
        let mut w = self.world;
        w.settle_restored(&self.settings);
        w.set_snapshot_count(self.snapshot_count);
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PutRequest, RangeRequest, Request, Response};
    use crate::persist::journal::apply;
    use crate::sim::SnapshotPiece;

    const EP: &str = "127.0.0.1:2379";
    const T: Duration = Duration::from_secs(5);

    fn put(w: &mut World, k: &str) -> bool {
        let req = Request::Put(PutRequest {
            key: k.as_bytes().to_vec(),
            value: b"v".to_vec(),
            ..Default::default()
        });
        // Any member will do: ask one that runs.
        let ep = ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"]
            .into_iter()
            .find(|e| w.resolve_endpoint(e).is_some_and(|id| w.is_running(id)))
            .unwrap_or(EP);
        matches!(w.call(ep, None, req, T), Ok(Response::Put(_)))
    }

    fn count(w: &mut World, ep: &str) -> i64 {
        let req = Request::Range(RangeRequest {
            key: vec![0],
            range_end: vec![0],
            count_only: true,
            serializable: true,
            ..Default::default()
        });
        match w.call(ep, None, req, T) {
            Ok(Response::Range(r)) => r.count,
            other => panic!("{other:?}"),
        }
    }

    /// Writes keys while draining the journals into "stored" disks after each write, then
    /// crashes everything and restores from what was stored.
    #[test]
    fn every_acknowledged_write_survives_a_power_cycle() {
        let mut w = World::new(3);
        w.set_snapshot_count(20);
        w.start_journals(true);
        let mut stored: BTreeMap<String, DiskState> = BTreeMap::new();
        let mut acked = 0;
        for i in 0..75 {
            if put(&mut w, &format!("k{i:03}")) {
                acked += 1;
            }
            for (name, f) in w.drain_journals() {
                apply(stored.entry(name).or_default(), &f);
            }
        }
        assert_eq!(acked, 75);
        assert_eq!(stored, w.disk_states());
        for s in stored.values() {
            s.validate().unwrap();
            assert!(
                s.entries.len() < 40,
                "snapshots keep the log short: {}",
                s.entries.len()
            );
        }
        let settings = w.settings();
        let now = w.now();
        drop(w);
        let mut r = World::restore(3, now, &stored, &settings, true);
        assert!(r.leader().is_some());
        assert!(r.now() > now);
        for ep in ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"] {
            assert_eq!(count(&mut r, ep), 75, "{ep}");
        }
        assert!(put(&mut r, "after"));
        assert!(r.safety_violations().is_empty());
    }

    /// A reload right after a bulk load (whose snapshots were held back) replays the members'
    /// logs without taking three snapshots on the way: they are still due once it is up.
    #[test]
    fn a_restore_holds_back_the_snapshots_its_replay_makes_due() {
        let mut w = World::new(5);
        w.set_snapshot_count(u64::MAX);
        for i in 0..30 {
            assert!(put(&mut w, &format!("k{i:02}")));
        }
        let mut settings = w.settings();
        settings.snapshot_count = 10;
        let disks = w.disk_states();
        assert!(disks.values().all(|d| d.snapshot.metadata.index == 0));
        let mut r = World::restore(5, w.now(), &disks, &settings, true);
        assert!(r.snapshot_due(), "due, not taken");
        assert!(r
            .disk_states()
            .values()
            .all(|d| d.snapshot.metadata.index == 0));
        assert_eq!(r.snapshot_count(), 10);
        assert!(r.snapshot_if_due());
        assert!(r
            .disk_states()
            .values()
            .all(|d| d.snapshot.metadata.index > 30));
        for ep in ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"] {
            assert_eq!(count(&mut r, ep), 30, "{ep}");
        }
        assert!(put(&mut r, "after"));
        assert!(r.safety_violations().is_empty());
    }

    /// What lets the page store a snapshot the members share once: at one index, every
    /// member's snapshot is the same bytes, the leader's too (its leases' expiries and its
    /// primary lessor are leader-local and not stored).
    #[test]
    fn the_members_snapshots_at_one_index_are_the_same_bytes() {
        let mut w = World::new(5);
        w.set_snapshot_count(u64::MAX);
        for i in 0..30 {
            assert!(put(&mut w, &format!("k{i:02}")));
        }
        let grant = Request::LeaseGrant(crate::api::LeaseGrantRequest { ttl: 600, id: 7 });
        assert!(matches!(
            w.call(EP, None, grant, T),
            Ok(Response::LeaseGrant(_))
        ));
        w.advance(Duration::from_secs(1));
        w.set_snapshot_count(10);
        assert!(w.snapshot_if_due());
        let disks = w.disk_states();
        let snaps: Vec<_> = disks.values().map(|d| &d.snapshot).collect();
        assert_eq!(snaps.len(), 3);
        assert!(snaps[0].metadata.index > 30);
        assert!(snaps.iter().all(|s| *s == snaps[0]), "differ");
        // taken one member at a time, the later ones take the first one's bytes (debug
        // builds encode theirs too and compare)
        assert!(
            snaps
                .iter()
                .all(|s| std::sync::Arc::ptr_eq(&s.data, &snaps[0].data)),
            "encoded again"
        );
    }

    /// A world whose members' snapshots are held back and due, with a lease and 40 keys.
    fn held_back(seed: u64) -> World {
        let mut w = World::new(seed);
        w.set_snapshot_count(u64::MAX);
        for i in 0..40 {
            assert!(put(&mut w, &format!("k{i:02}")));
        }
        let grant = Request::LeaseGrant(crate::api::LeaseGrantRequest { ttl: 600, id: 7 });
        assert!(matches!(
            w.call(EP, None, grant, T),
            Ok(Response::LeaseGrant(_))
        ));
        w.set_snapshot_count(10);
        w
    }

    /// The page takes a held-back snapshot a piece at a time between frames: the members end
    /// with the disks a snapshot taken at once gives; the first member's snapshot is written
    /// in many pieces, the others take its bytes at once.
    #[test]
    fn a_snapshot_in_pieces_is_the_snapshot_at_once() {
        let mut at_once = held_back(6);
        assert!(at_once.snapshot_if_due());
        let mut pieces = held_back(6);
        let (mut working, mut took) = (0, 0);
        loop {
            match pieces.snapshot_piece(64) {
                SnapshotPiece::Working => working += 1,
                SnapshotPiece::Took => took += 1,
                SnapshotPiece::NotDue => break,
            }
        }
        assert_eq!(took, 3);
        assert!(working > 20, "{working} pieces");
        assert!(!pieces.snapshot_due());
        assert_eq!(pieces.disk_states(), at_once.disk_states());
        assert!(put(&mut pieces, "after"));
        assert_eq!(count(&mut pieces, EP), 41);
        assert!(pieces.safety_violations().is_empty());
    }

    /// A snapshot whose member applied more between two pieces is started over at the new
    /// index (the pieces before are of another state); one held back again is dropped.
    #[test]
    fn a_snapshot_in_pieces_starts_over_when_its_member_applied_more() {
        let mut w = held_back(6);
        for _ in 0..3 {
            assert_eq!(w.snapshot_piece(64), SnapshotPiece::Working);
        }
        // (a bulk load holds snapshots back: a write meanwhile takes none)
        w.set_snapshot_count(u64::MAX);
        assert_eq!(w.snapshot_piece(64), SnapshotPiece::NotDue);
        assert!(put(&mut w, "between"));
        w.set_snapshot_count(10);
        let applied: Vec<u64> = w.member_views().iter().map(|v| v.applied).collect();
        assert!(w.snapshot_if_due());
        let mut at_once = held_back(6);
        at_once.set_snapshot_count(u64::MAX);
        assert!(put(&mut at_once, "between"));
        at_once.set_snapshot_count(10);
        assert!(at_once.snapshot_if_due());
        assert_eq!(w.disk_states(), at_once.disk_states());
        let indexes: Vec<u64> = w
            .disk_states()
            .values()
            .map(|d| d.snapshot.metadata.index)
            .collect();
        assert_eq!(indexes, applied, "of the state after the write");
    }

    #[test]
    fn a_member_that_lost_its_disk_is_restored_from_its_peers() {
        let mut w = World::new(4);
        w.set_snapshot_count(10);
        for i in 0..40 {
            assert!(put(&mut w, &format!("k{i}")));
        }
        let mut disks = w.disk_states();
        disks.remove("infra2");
        let mut r = World::restore(4, w.now(), &disks, &w.settings(), true);
        r.advance(Duration::from_secs(3));
        assert_eq!(count(&mut r, "127.0.0.1:22379"), 40);
        // Its journal starts with a clear, then holds what it received.
        let flushes = r.drain_journals();
        let f = &flushes.iter().find(|(n, _)| n == "infra2").unwrap().1;
        assert!(f.clear);
        assert!(f.snapshot.is_some(), "restored by snapshot");
        assert!(r.safety_violations().is_empty());
    }

    #[test]
    fn settings_survive_and_stopped_members_stay_stopped() {
        let mut w = World::new(5);
        w.set_latency(7).unwrap();
        w.set_loss(3).unwrap();
        w.stop("infra3").unwrap();
        let s = w.settings();
        assert_eq!(s.stopped, vec!["infra3".to_string()]);
        let r = World::restore(5, w.now(), &w.disk_states(), &s, false);
        assert_eq!(r.settings(), s);
        assert!(!r.is_running(r.id_of("infra3").unwrap()));
    }

    /// The page boots the members of a reload one task at a time: booting them step by step,
    /// then finishing, is the world a restore in one go builds (same clock, leader, keys and
    /// disks), snapshots held back until the end as a restore holds them, and a stopped
    /// member takes no step. A member with a snapshot takes three: its reader, the store,
    /// then the rest and its start (a large snapshot takes a step a MB).
    #[test]
    fn a_restore_a_member_at_a_time_is_the_restore() {
        let mut w = World::new(8);
        w.set_snapshot_count(5);
        for i in 0..12 {
            assert!(put(&mut w, &format!("k{i}")));
        }
        w.stop("infra2").unwrap();
        assert!(put(&mut w, "after-stop"));
        let (disks, s) = (w.disk_states(), w.settings());
        let at_once = World::restore(8, w.now(), &disks, &s, true);
        let mut stepping = World::restoring(8, w.now(), &disks, &s, true);
        let mut steps = 0;
        while stepping.boot_next() {
            steps += 1;
        }
        assert_eq!(steps, 2 * 3, "infra2 stays stopped");
        let mut stepped = stepping.finish();
        assert_eq!(stepped.now(), at_once.now());
        assert_eq!(stepped.leader(), at_once.leader());
        assert_eq!(stepped.snapshot_count(), 5);
        assert_eq!(stepped.disk_states(), at_once.disk_states());
        let mut at_once = at_once;
        assert_eq!(count(&mut stepped, EP), 13);
        assert_eq!(count(&mut at_once, EP), 13);
        assert_eq!(stepped.disk_states(), at_once.disk_states());
    }
}
