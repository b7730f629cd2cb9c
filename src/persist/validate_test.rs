//! [`DiskState::validate`] on forged and damaged disks (issue 23): what a disk written by Raft
//! always satisfies, and each way a forged one breaks it.

use super::{DiskState, MAX_TERM};
use crate::raft::{ConfState, Entry, HardState, Snapshot, SnapshotMetadata};

fn entry(index: u64, term: u64) -> Entry {
    Entry {
        index,
        term,
        ..Default::default()
    }
}

fn disk(terms: &[u64], hs_term: u64, commit: u64) -> DiskState {
    DiskState {
        hard_state: HardState {
            term: hs_term,
            vote: 1,
            commit,
        },
        snapshot: Snapshot::default(),
        entries: terms
            .iter()
            .enumerate()
            .map(|(i, t)| entry(i as u64 + 1, *t))
            .collect(),
    }
}

fn snapshot(index: u64, term: u64, voters: &[u64]) -> Snapshot {
    Snapshot {
        metadata: SnapshotMetadata {
            conf_state: ConfState {
                voters: voters.to_vec(),
                learners: Vec::new(),
            },
            index,
            term,
        },
        ..Default::default()
    }
}

#[test]
fn disks_raft_writes_are_valid() {
    assert_eq!(DiskState::default().validate(), Ok(()));
    assert_eq!(disk(&[1, 1, 1, 2, 2, 5], 5, 4).validate(), Ok(()));
    assert_eq!(
        disk(&[1, 1], 7, 2).validate(),
        Ok(()),
        "a later term without entries"
    );
    let mut d = disk(&[], 3, 10);
    d.snapshot = snapshot(10, 3, &[1, 2, 3]);
    d.entries = vec![entry(11, 3), entry(12, 4)];
    d.hard_state.term = 4;
    assert_eq!(d.validate(), Ok(()));
}

#[test]
fn forged_disks_are_refused() {
    let cases: Vec<(DiskState, &str)> = vec![
        (disk(&[0, 0], 0, 0), "entry 1 has term 0"),
        (disk(&[1, 2, 1], 2, 0), "entry 3 has term 1 after term 2"),
        (
            disk(&[1, 1], 0, 0),
            "the log has term 1 but the hard state is at term 0",
        ),
        (disk(&[1, 1], 1, 3), "the hard state commits index 3"),
        (
            DiskState {
                entries: vec![entry(1, 1), entry(3, 1)],
                ..disk(&[], 1, 0)
            },
            "entry 3 follows entry 1",
        ),
        (
            DiskState {
                snapshot: snapshot(5, 0, &[1]),
                ..disk(&[], 1, 5)
            },
            "the snapshot at index 5 has term 0",
        ),
        (
            DiskState {
                snapshot: snapshot(5, 1, &[]),
                ..disk(&[], 1, 5)
            },
            "the snapshot at index 5 lists no voting member",
        ),
        (
            DiskState {
                snapshot: snapshot(5, 3, &[1]),
                entries: vec![entry(6, 2)],
                ..disk(&[], 3, 5)
            },
            "entry 6 has term 2 after term 3",
        ),
    ];
    for (d, want) in cases {
        let got = d.validate();
        assert!(
            got.as_ref().is_err_and(|e| e.starts_with(want)),
            "{d:?}: {got:?}, want {want}"
        );
    }
}

#[test]
fn a_term_past_any_real_one_is_refused() {
    // Raft adds one to the term when it campaigns: a forged u64::MAX would overflow
    let mut d = DiskState::default();
    d.hard_state.term = u64::MAX;
    assert!(d.validate().is_err());
    d.hard_state.term = MAX_TERM - 1;
    assert!(d.validate().is_ok());
}
