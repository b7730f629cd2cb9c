//! `etcdctl snapshot restore` on the member's side: the disk a restored data directory
//! starts a member from, as etcd 3.4's `snapshot.Restore` builds it — the snapshot's key-value
//! data with a new membership (the members of `--initial-cluster`, IDs derived from their peer
//! URLs and `--initial-cluster-token`), committed at term 1 as a Raft snapshot at the index of
//! the last initial member, so that the member starts as a one-term-old cluster of its own.
//!
//! Owns: [`restored_disk`], [`RestoredMember`]. Must not touch: files (the caller writes them),
//! the snapshot file's format (etcdctl's).

use std::collections::{BTreeMap, BTreeSet};

use super::ids;
use super::snapshot_pieces::{Membership, SnapshotWriter};
use crate::api::Member as ApiMember;
use crate::persist::DiskState;
use crate::raft::{ConfState, HardState, Snapshot, SnapshotMetadata};
use crate::sort::Inserted;

/// A member of the restored cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoredMember {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
}

/// The members of `--initial-cluster` (name, peer URL pairs; a name may come several times,
/// one URL each) with their IDs, and the cluster ID.
pub fn restored_members(initial: &[(String, String)], token: &str) -> (Vec<RestoredMember>, u64) {
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (n, u) in initial {
        if !by_name.contains_key(n.as_str()) {
            order.push(n);
        }
        by_name.entry(n).or_default().push(u);
    }
    let members: Vec<RestoredMember> = order
        .iter()
        .map(|n| {
            let urls = by_name.get(n).cloned().unwrap_or_default();
            RestoredMember {
                id: ids::member_id(&urls, token),
                name: n.to_string(),
                peer_urls: urls.iter().map(|u| u.to_string()).collect(),
            }
        })
        .collect();
    let ids: Vec<u64> = members.iter().map(|m| m.id).collect();
    (members, ids::cluster_id(&ids))
}

/// The disk of a member restored from `sm_blob` (a snapshot file's bbolt database, or the
/// member state earlier versions' files held) into a cluster of `members`.
pub fn restored_disk(sm_blob: &[u8], members: &[RestoredMember]) -> Result<DiskState, String> {
    let sm = super::backend_file::state_of(sm_blob)?;
    let index = members.len() as u64;
    let cluster: BTreeMap<u64, ApiMember> = members
        .iter()
        .map(|m| {
            (
                m.id,
                ApiMember {
                    id: m.id,
                    name: m.name.clone(),
                    peer_urls: m.peer_urls.clone(),
                    client_urls: Vec::new(),
                    is_learner: false,
                },
            )
        })
        .btree_map();
    // (the bytes a `MemberSnapshot` of these members and `sm` encodes to, written in place)
    let membership = Membership {
        members: &cluster,
        removed: &BTreeSet::new(),
        cluster_version: &None,
    };
    let data = SnapshotWriter::write_whole(index, membership, &sm);
    if data.is_empty() {
        return Err("the restored state could not be encoded".into());
    }
    let mut voters: Vec<u64> = members.iter().map(|m| m.id).collect();
    crate::sort::sort(&mut voters);
    Ok(DiskState {
        hard_state: HardState {
            term: 1,
            vote: 0,
            commit: index,
        },
        snapshot: Snapshot {
            data,
            metadata: SnapshotMetadata {
                conf_state: ConfState {
                    voters,
                    learners: Vec::new(),
                },
                index,
                term: 1,
            },
        },
        entries: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::apply::StateMachine;

    #[test]
    fn a_restore_without_flags_gets_etcds_ids() {
        let (m, cluster) = restored_members(
            &[("default".to_string(), "http://localhost:2380".to_string())],
            "etcd-cluster",
        );
        assert_eq!(format!("{:x}", m[0].id), "8e9e05c52164694d");
        assert_eq!(format!("{cluster:x}"), "cdf818194e3a8c32");
        let sm = StateMachine::new().to_snapshot();
        let d = restored_disk(&sm, &m).unwrap();
        assert!(d.validate().is_ok());
        assert_eq!(d.snapshot.metadata.index, 1);
        assert!(restored_disk(b"junk", &m).is_err());
    }
}
