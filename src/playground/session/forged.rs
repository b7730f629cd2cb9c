//! An interpreter that reads arbitrary bytes as damage done to a stored playground (forged
//! records that still pass their checksums, damaged disks, impossible settings and times), then
//! opens it as a page load would: for fuzzing (`fuzz/fuzz_targets/forged_store.rs`) and the
//! property test (`tests/forged_store.rs`). Opening must never panic, must end (every restore
//! runs a bounded simulated time), and must either bring the cluster up or say why it cannot
//! ([`super::recovery::unrecoverable`]).
//!
//! Owns: nothing. Must not touch: anything outside the session it builds.

use super::persistence::Found;
use super::recovery::{
    expects_a_leader, no_leader_after_restore, settings_may_hold_off_a_leader, unreadable_payloads,
    unrecoverable,
};
use super::Session;

/// The input, one byte at a time (zeros once it runs out).
struct Damage<'a>(std::slice::Iter<'a, u8>);

impl Damage<'_> {
    fn next(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn big(&mut self) -> u64 {
        match self.next() % 4 {
            0 => u64::MAX - u64::from(self.next()),
            1 => 0,
            _ => u64::from(self.next()) << (self.next() % 64),
        }
    }
}

/// What a healthy page stored after a few writes.
pub fn stored_after_writes() -> Found {
    let mut s = Session::new(7);
    s.start_persisting();
    for line in ["etcdctl put a 1", "etcdctl put b 2", "etcdctl del a"] {
        s.run_line(line);
    }
    Found {
        state: Some(s.state()),
        disks: s.world().disk_states(),
        ..Default::default()
    }
}

/// Damages `found` as `data` says; the disks that fail validation are left out, as the page's
/// storage leaves them out. Returns whether an entry's bytes were forged: validation cannot
/// see that (the bytes are the requests', not the log's), and a member that meets such an
/// entry cannot apply it, so the cluster may stay without a leader (not yet detected: the
/// open still must not panic).
pub fn damage(found: &mut Found, data: &[u8]) -> bool {
    let mut forged_entry = false;
    let mut d = Damage(data.iter());
    for _ in 0..d.next() % 8 {
        let name = ["infra1", "infra2", "infra3"][usize::from(d.next() % 3)];
        let Some(disk) = found.disks.get_mut(name) else {
            continue;
        };
        let n = disk.entries.len().max(1);
        let at = usize::from(d.next()) % n;
        match d.next() % 10 {
            0 => {
                found.disks.remove(name);
            }
            1 => *disk = Default::default(),
            2 => disk.hard_state.term = d.big(),
            3 => disk.hard_state.commit = d.big(),
            4 => {
                if let Some(e) = disk.entries.get_mut(at) {
                    e.term = d.big();
                }
            }
            5 => {
                if let Some(e) = disk.entries.get_mut(at) {
                    e.index = d.big();
                }
            }
            6 => disk.entries.truncate(at),
            7 => disk.snapshot.metadata.conf_state.voters.clear(),
            8 => {
                if let Some(e) = disk.entries.get_mut(at) {
                    let mut bytes = e.data.to_vec();
                    let at = usize::from(d.next()) % bytes.len().max(1);
                    if let Some(b) = bytes.get_mut(at) {
                        *b ^= d.next() | 1;
                        forged_entry = true;
                    }
                    e.data = bytes.into();
                }
            }
            _ => disk.hard_state.vote = d.big(),
        }
    }
    if let Some(st) = found.state.as_mut() {
        match d.next() % 6 {
            0 => st.clock_us = d.big(),
            1 => st.settings.removed = vec!["infra1".into(), "infra2".into(), "infra3".into()],
            2 => st.settings.latency_us = d.big(),
            3 => st.settings.snapshot_count = d.big(),
            4 => st.settings.quota_backend_bytes = d.big() as i64,
            _ => {}
        }
    }
    found.disks.retain(|_, disk| disk.validate().is_ok());
    forged_entry
}

/// Damages a healthy store as `data` says and opens it. Panics only if opening breaks its
/// promise: a store judged recoverable whose cluster has no leader after the restore and no
/// reason given, or one whose only damage is detectable (every forged entry that cannot be
/// decoded takes its disk out) that still restores no leader.
pub fn run(data: &[u8]) {
    let mut found = stored_after_writes();
    let forged_entry = damage(&mut found, data);
    // a forged entry that still decodes is not detectable before the restore
    let forged_entry = unreadable_payloads(&mut found).is_empty() && forged_entry;
    let verdict = unrecoverable(&found);
    let held_off = settings_may_hold_off_a_leader(&found);
    let expected = expects_a_leader(&found);
    let (s, _) = Session::open(found);
    let after = no_leader_after_restore(expected, &s);
    if verdict.is_none() && !held_off && !forged_entry {
        assert!(
            s.world().leader().is_some(),
            "a store judged recoverable restored no leader"
        );
    }
    assert!(
        verdict.is_some() || held_off || s.world().leader().is_some() || after.is_some(),
        "no leader and no reason given"
    );
}
