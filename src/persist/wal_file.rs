//! A member's disk as one file, for a node lab's data directory
//! (`member/wal/0000000000000000-0000000000000000.wal`): the member and cluster IDs etcd's
//! WAL metadata holds, the hard state, the latest snapshot and the entries after it, as one
//! checksummed record (the format of [`record`](super::record)) after a magic line.
//!
//! Owns: that byte format. Must not touch: where the file lives, what the snapshot holds.

use serde::{Deserialize, Serialize};

use super::record::{decode, encode};
use super::DiskState;
use crate::raft::{Entry, HardState, Snapshot};

const MAGIC: &[u8] = b"etcd-playground wal v1\n";

/// The WAL file's name in `member/wal/` (etcd names its first segment this way).
pub const WAL_NAME: &str = "0000000000000000-0000000000000000.wal";

/// What the file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalFile {
    pub member_id: u64,
    pub cluster_id: u64,
    pub state: DiskState,
}

#[derive(Serialize, Deserialize)]
struct Body {
    member_id: u64,
    cluster_id: u64,
    hard_state: HardState,
    snapshot: Snapshot,
    entries: Vec<Entry>,
}

/// The file's bytes.
pub fn encode_wal(w: &WalFile) -> Vec<u8> {
    let body = Body {
        member_id: w.member_id,
        cluster_id: w.cluster_id,
        hard_state: w.state.hard_state,
        snapshot: w.state.snapshot.clone(),
        entries: w.state.entries.clone(),
    };
    let size = w.state.snapshot.data.len()
        + w.state
            .entries
            .iter()
            .map(|e| e.data.len() + 32)
            .sum::<usize>();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&encode(&body, size));
    out
}

/// The name etcd gives the `.snap` file of a snapshot in `member/snap/`.
pub fn snap_file_name(term: u64, index: u64) -> String {
    format!("{term:016x}-{index:016x}.snap")
}

/// The `.snap` file beside the WAL: the latest Raft snapshot as one checksummed record. A
/// member starts from the WAL file alone (it holds the same snapshot); this file is there
/// because etcd's is (`ls`, and `etcdutl backup` looks for it).
pub fn encode_snap_file(s: &Snapshot) -> Vec<u8> {
    crate::persist::record::encode_snapshot(s)
}

/// Reads the file back; Err says why it cannot start a member (as etcd's WAL errors do).
pub fn decode_wal(data: &[u8]) -> Result<WalFile, String> {
    let rest = data
        .strip_prefix(MAGIC)
        .ok_or_else(|| "wal: file does not start with a WAL record".to_string())?;
    let b: Body = decode(rest).map_err(|e| format!("wal: {e}"))?;
    let state = DiskState {
        hard_state: b.hard_state,
        snapshot: b.snapshot,
        entries: b.entries,
    };
    state.validate().map_err(|e| format!("wal: {e}"))?;
    Ok(WalFile {
        member_id: b.member_id,
        cluster_id: b.cluster_id,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let w = WalFile {
            member_id: 7,
            cluster_id: 9,
            state: DiskState {
                hard_state: HardState {
                    term: 2,
                    vote: 7,
                    commit: 1,
                },
                snapshot: Snapshot::default(),
                entries: vec![Entry {
                    term: 1,
                    index: 1,
                    ..Default::default()
                }],
            },
        };
        let bytes = encode_wal(&w);
        assert_eq!(decode_wal(&bytes).unwrap(), w);
        let mut bad = bytes.clone();
        let n = bad.len() - 1;
        bad[n] ^= 1;
        assert!(decode_wal(&bad).is_err());
        assert!(decode_wal(b"hello").is_err());
        assert!(decode_wal(&bytes[..bytes.len() / 2]).is_err());
    }
}
