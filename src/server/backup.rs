//! `etcdutl backup` on the member's side (etcd 3.5.1's `translateWAL` and `saveSnap`): the
//! disk of a backup of a data directory. The backup keeps the entries' indexes and terms but
//! replaces what would rebuild the old membership — conf changes, members publishing their
//! attributes, and with `--with-v3=false` every v3 request — with empty entries, and gives the
//! snapshot one voter: a new member named `etcdctl-v2-backup` whose ID, like the new cluster's,
//! comes from etcd's ID generator started at the backup's time with member ID 0. The WAL's
//! metadata (the old member and cluster IDs) is kept, so the backup starts only with
//! `--force-new-cluster`, as in etcd.
//!
//! Owns: [`backup_disk`], the text etcdutl logs for a dropped attribute update (the entry as
//! gogo protobuf's compact text prints it, its data the v2 request as etcd marshals it).
//! Must not touch: files (the caller reads and writes them), the backend (`db`).

use std::collections::{BTreeMap, BTreeSet};

use super::idutil::Generator;
use super::payload::Payload;
use super::snapshot::{decode_member_snapshot, MemberSnapshot, RecentIds};
use crate::api::go_json::go_json_string;
use crate::api::proto_wire::put_varint;
use crate::api::{Member as ApiMember, Request};
use crate::persist::wal_file::WalFile;
use crate::raft::{ConfState, Entry, EntryType};

/// The name and peer URL etcd gives the backup's one member.
pub const BACKUP_MEMBER_NAME: &str = "etcdctl-v2-backup";
pub const BACKUP_MEMBER_PEER_URL: &str = "http://use-flag--force-new-cluster:2080";

/// An entry the backup replaced with an empty one, as etcdutl logs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// "ignoring EntryConfChange raft entry".
    ConfChange,
    /// "ignoring member attribute update on": the entry as text, the v2 request's path.
    MemberAttributes { entry: String, path: String },
    /// "ignoring v3 raft entry" (`--with-v3=false`).
    V3,
}

/// The backup of one member's disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub dropped: Vec<Dropped>,
    /// The new disk (the old member and cluster IDs, the translated snapshot and entries).
    pub wal: WalFile,
    /// Whether the source had a snapshot (the backup then writes a `.snap` file).
    pub has_snapshot: bool,
    /// The backup's member and cluster IDs.
    pub node_id: u64,
    pub cluster_id: u64,
}

/// The backup of `src` made at `unix_nanos`. `snap_file_found`: the source's `member/snap`
/// holds a `.snap` file; without one etcd reads the WAL from its start, and a restored data
/// directory's WAL starts with one conf change per initial member before its snapshot.
pub fn backup_disk(src: &WalFile, snap_file_found: bool, with_v3: bool, unix_nanos: i64) -> Backup {
    let mut ids = Generator::new(0, unix_nanos);
    let node_id = ids.next_id();
    let cluster_id = ids.next_id();
    let mut dropped = Vec::new();
    let mut state = src.state.clone();
    let snap = &state.snapshot.metadata;
    let has_snapshot = snap.index > 0 && snap_file_found;
    if snap.index > 0 && !snap_file_found && snap.term == 1 {
        // the conf changes `snapshot restore` wrote before its snapshot
        for _ in 0..snap.conf_state.voters.len() {
            dropped.push(Dropped::ConfChange);
        }
    }
    if has_snapshot {
        state.snapshot.metadata.conf_state = ConfState {
            voters: vec![node_id],
            learners: Vec::new(),
        };
        if let Some(s) = decode_member_snapshot(&state.snapshot.data) {
            state.snapshot.data = backup_member_snapshot(s, node_id).into();
        }
    }
    for e in state.entries.iter_mut() {
        let drop = match e.entry_type {
            EntryType::ConfChange => Some(Dropped::ConfChange),
            EntryType::Normal => match Payload::decode(&e.data) {
                Some(Payload::Attributes {
                    request_id,
                    member_id,
                    name,
                    client_urls,
                }) => Some(attributes_dropped(
                    e,
                    request_id,
                    member_id,
                    &name,
                    &client_urls,
                )),
                Some(Payload::Publish {
                    member_id,
                    name,
                    client_urls,
                }) => Some(attributes_dropped(e, 0, member_id, &name, &client_urls)),
                Some(Payload::Request { req, .. })
                    if !with_v3 && !matches!(req, Request::V2(_)) =>
                {
                    Some(Dropped::V3)
                }
                _ => None,
            },
        };
        if let Some(d) = drop {
            dropped.push(d);
            *e = Entry {
                term: e.term,
                index: e.index,
                entry_type: EntryType::Normal,
                data: Vec::new().into(),
            };
        }
    }
    Backup {
        dropped,
        wal: WalFile {
            member_id: src.member_id,
            cluster_id: src.cluster_id,
            state,
        },
        has_snapshot,
        node_id,
        cluster_id,
    }
}

/// The snapshot's membership replaced by the backup's one member (etcd's
/// `mustTranslateV2store`); the key-value data stays.
fn backup_member_snapshot(s: MemberSnapshot, node_id: u64) -> Vec<u8> {
    let mut members = BTreeMap::new();
    members.insert(
        node_id,
        ApiMember {
            id: node_id,
            name: BACKUP_MEMBER_NAME.to_string(),
            peer_urls: vec![BACKUP_MEMBER_PEER_URL.to_string()],
            client_urls: Vec::new(),
            is_learner: false,
        },
    );
    let snap = MemberSnapshot {
        members,
        removed: BTreeSet::new(),
        cluster_version: s.cluster_version,
        recent: RecentIds::default(),
        sm: s.sm,
    };
    crate::api::bytes::postcard_append(&snap, Vec::new()).unwrap_or_default()
}

fn attributes_dropped(
    e: &Entry,
    request_id: u64,
    member_id: u64,
    name: &str,
    client_urls: &[String],
) -> Dropped {
    let path = format!("/0/members/{member_id:x}/attributes");
    let urls: Vec<String> = client_urls.iter().map(|u| go_json_string(u)).collect();
    let val = format!(
        "{{\"name\":{},\"clientURLs\":[{}]}}",
        go_json_string(name),
        urls.join(",")
    );
    let data = v2_put_request(request_id, &path, &val);
    Dropped::MemberAttributes {
        entry: format!(
            "Term:{} Index:{} Data:{} ",
            e.term,
            e.index,
            proto_text_bytes(&data)
        ),
        path,
    }
}

/// The bytes of an `etcdserverpb.Request` PUT as gogo protobuf marshals it: every
/// non-nullable field, zero or not, in field order (`PrevExist` and `Refresh` are pointers,
/// left out when nil).
pub fn v2_put_request(id: u64, path: &str, val: &str) -> Vec<u8> {
    let mut b = Vec::new();
    let string = |b: &mut Vec<u8>, tag: u8, s: &str| {
        b.push(tag);
        put_varint(b, s.len() as u64);
        b.extend_from_slice(s.as_bytes());
    };
    b.push(0x08);
    put_varint(&mut b, id);
    string(&mut b, 0x12, "PUT");
    string(&mut b, 0x1a, path);
    string(&mut b, 0x22, val);
    // Dir, PrevValue, PrevIndex, then Expiration..Time (PrevExist nil), Stream
    b.extend_from_slice(&[0x28, 0, 0x32, 0, 0x38, 0]);
    for tag in [0x48u8, 0x50, 0x58, 0x60, 0x68, 0x70, 0x78] {
        b.extend_from_slice(&[tag, 0]);
    }
    b.extend_from_slice(&[0x80, 0x01, 0]);
    b
}

/// A bytes field in protobuf's text format: quoted, `\n` `\r` `\t` `\"` `\\` escaped, other
/// bytes outside printable ASCII as three octal digits.
pub fn proto_text_bytes(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len() + 2);
    s.push('"');
    for &c in data {
        match c {
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\{c:03o}")),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::DiskState;
    use crate::raft::{HardState, Snapshot, SnapshotMetadata};

    /// The request ID of infra1's attribute update in the recorded WAL (its varint bytes:
    /// \201\252\262\311\225\311\350\2642).
    fn recorded_id() -> u64 {
        let bytes = [0x81u8, 0xaa, 0xb2, 0xc9, 0x95, 0xc9, 0xe8, 0xb4, 0x32];
        let mut v = 0u64;
        for (i, b) in bytes.iter().enumerate() {
            v |= u64::from(b & 0x7f) << (7 * i);
        }
        v
    }

    #[test]
    fn an_attribute_update_prints_as_etcd_3_5_1_logged_it() {
        // recorded from a real 3.5.1 member's WAL (infra1 of the conformance cluster), as
        // the zap field holds it before JSON escaping
        let want = r#"Term:2 Index:5 Data:"\010\201\252\262\311\225\311\350\2642\022\003PUT\032&/0/members/8211f1d0f64f3269/attributes\"8{\"name\":\"infra1\",\"clientURLs\":[\"http://127.0.0.1:2379\"]}(\0002\0008\000H\000P\000X\000`\000h\000p\000x\000\200\001\000" "#;
        let e = Entry {
            term: 2,
            index: 5,
            ..Default::default()
        };
        assert_eq!(
            recorded_id() >> 48,
            0x3269,
            "the member ID's low 16 bits lead"
        );
        let d = attributes_dropped(
            &e,
            recorded_id(),
            0x8211f1d0f64f3269,
            "infra1",
            &["http://127.0.0.1:2379".to_string()],
        );
        assert_eq!(
            d,
            Dropped::MemberAttributes {
                entry: want.to_string(),
                path: "/0/members/8211f1d0f64f3269/attributes".to_string()
            }
        );
    }

    fn restored() -> WalFile {
        WalFile {
            member_id: 7,
            cluster_id: 9,
            state: DiskState {
                hard_state: HardState {
                    term: 1,
                    vote: 0,
                    commit: 2,
                },
                snapshot: Snapshot {
                    data: Vec::new().into(),
                    metadata: SnapshotMetadata {
                        conf_state: ConfState {
                            voters: vec![1, 2],
                            learners: Vec::new(),
                        },
                        index: 2,
                        term: 1,
                    },
                },
                entries: Vec::new(),
            },
        }
    }

    #[test]
    fn a_restored_directory_backs_up_with_one_voter_and_the_old_ids() {
        let b = backup_disk(&restored(), true, true, 1_700_000_000_123_000_000);
        assert!(b.dropped.is_empty());
        assert!(b.has_snapshot);
        assert_eq!(b.node_id + 1, b.cluster_id);
        assert_eq!(b.node_id >> 48, 0, "member ID 0: no prefix");
        assert_eq!(
            b.node_id >> 8,
            1_700_000_000_123 & ((1 << 40) - 1),
            "40 bits of milliseconds"
        );
        assert_eq!(b.node_id & 0xff, 1);
        assert_eq!(b.wal.member_id, 7);
        assert_eq!(b.wal.cluster_id, 9);
        assert_eq!(
            b.wal.state.snapshot.metadata.conf_state.voters,
            vec![b.node_id]
        );
        // without the .snap file, etcd reads the restore's conf changes from the WAL's start
        let b = backup_disk(&restored(), false, true, 0);
        assert_eq!(b.dropped, vec![Dropped::ConfChange, Dropped::ConfChange]);
        assert!(!b.has_snapshot);
    }

    #[test]
    fn entries_that_rebuild_membership_become_empty() {
        let mut src = restored();
        src.state.hard_state.term = 2;
        let put = Payload::Request {
            id: 1,
            req: Request::Put(Default::default()),
            auth_token: None,
        };
        let attrs = Payload::Attributes {
            request_id: 5,
            member_id: 0xabc,
            name: "n".into(),
            client_urls: vec![],
        };
        for (i, (t, data)) in [
            (EntryType::ConfChange, vec![1u8]),
            (EntryType::Normal, attrs.encode()),
            (EntryType::Normal, put.encode()),
        ]
        .into_iter()
        .enumerate()
        {
            src.state.entries.push(Entry {
                term: 2,
                index: 3 + i as u64,
                entry_type: t,
                data: data.into(),
            });
        }
        let b = backup_disk(&src, true, false, 0);
        assert_eq!(b.dropped.len(), 3);
        assert_eq!(b.dropped[0], Dropped::ConfChange);
        assert!(matches!(b.dropped[1], Dropped::MemberAttributes { .. }));
        assert_eq!(b.dropped[2], Dropped::V3);
        assert!(b
            .wal
            .state
            .entries
            .iter()
            .all(|e| e.data.is_empty() && e.entry_type == EntryType::Normal && e.term == 2));
        assert!(b.wal.state.validate().is_ok());
        // with v3 the put stays
        let b = backup_disk(&src, true, true, 0);
        assert_eq!(b.dropped.len(), 2);
        assert!(!b.wal.state.entries[2].data.is_empty());
    }
}
