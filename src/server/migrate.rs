//! `etcdctl migrate` (etcd 3.4) on the member's side: the v2 store a stopped member's data
//! directory holds (its snapshot's store, then the WAL's entries applied as etcd's
//! `rebuildStoreV2` applies them: conf changes to the membership, v2 requests to the store)
//! and the v2 keys that become v3 keys. What the membership logs on the way is etcd's
//! example logger's JSON (`{"level":"info","msg":…}`, cluster and local member ID "0").
//!
//! Owns: [`migrate_disk`]. Must not touch: the backend (the caller writes the keys), files.

use std::collections::{BTreeMap, BTreeSet};

use super::apply::StateMachine;
use super::payload::{decode_conf_change, ConfChangeContext, Payload};
use super::snapshot::read_member_snapshot;
use crate::api::v2::{NodeExtern, V2Op, V2Request, V2Response};
use crate::api::Request;
use crate::persist::wal_file::WalFile;
use crate::raft::{ConfChangeType, EntryType};
use crate::v2store::ApplierV2;

/// What migrate reads from a data directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migrated {
    /// The membership's log lines, in order.
    pub log: Vec<String>,
    /// The v2 keys (not directories), their keys without the store's `/1`, in key order;
    /// None when the store has no key space yet ("no v2 keys to migrate").
    pub keys: Option<Vec<NodeExtern>>,
    /// The index the backend's consistent index moves up to: the last entry's, or the
    /// snapshot's.
    pub index: u64,
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn urls(u: &[String]) -> String {
    let q: Vec<String> = u.iter().map(|x| json(x)).collect();
    format!("[{}]", q.join(","))
}

fn line(msg: &str, fields: &[(&str, String)]) -> String {
    let mut s = format!("{{\"level\":\"info\",\"msg\":{}", json(msg));
    for (k, v) in fields {
        s.push_str(&format!(",{}:{v}", json(k)));
    }
    s.push('}');
    s
}

/// A cluster version as etcd logs it (`version.Cluster`: major.minor).
fn cluster(v: &str) -> String {
    let mm: Vec<&str> = v.split('.').take(2).collect();
    json(&mm.join("."))
}

fn ids() -> [(&'static str, String); 2] {
    [("cluster-id", json("0")), ("local-member-id", json("0"))]
}

/// The v2 keys and log of the data directory whose WAL is `src` (`snap_file_found`: its
/// `member/snap` holds a `.snap` file, so the snapshot is where the store starts).
pub fn migrate_disk(src: &WalFile, snap_file_found: bool) -> Migrated {
    let mut log = Vec::new();
    let snap = &src.state.snapshot;
    let from_snapshot = snap_file_found && snap.metadata.index > 0;
    let mut index = 0;
    let mut members: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut removed: BTreeSet<u64> = BTreeSet::new();
    let mut version: Option<String> = None;
    let mut v2 = ApplierV2::new();
    // a store built from entries alone has no key space until a v2 key is written
    let mut key_space = false;
    if from_snapshot {
        index = snap.metadata.index;
        if let Some(ms) = read_member_snapshot(&snap.data) {
            if let Ok(sm) = StateMachine::from_raft_snapshot(ms.sm) {
                v2 = sm.v2;
            }
            key_space = true;
            // cluster.Recover: the version's capabilities, the members, the version
            if let Some(v) = &ms.cluster_version {
                log.push(line(
                    "enabled capabilities for version",
                    &[("cluster-version", cluster(v))],
                ));
            }
            for (id, m) in &ms.members {
                let mut f = ids().to_vec();
                f.push(("recovered-remote-peer-id", json(&format!("{id:x}"))));
                f.push(("recovered-remote-peer-urls", urls(&m.peer_urls)));
                log.push(line("recovered/added member from store", &f));
                members.insert(*id, m.peer_urls.clone());
            }
            removed = ms.removed.clone();
            if let Some(v) = &ms.cluster_version {
                log.push(line(
                    "set cluster version from store",
                    &[("cluster-version", cluster(v))],
                ));
            }
            version = ms.cluster_version;
        }
    }
    for e in &src.state.entries {
        match e.entry_type {
            EntryType::ConfChange => {
                let Some(cc) = decode_conf_change(&e.data) else {
                    continue;
                };
                let ctx = postcard::from_bytes::<ConfChangeContext>(&cc.context).ok();
                let id = cc.node_id;
                if removed.contains(&id) {
                    continue;
                }
                let peers = ctx.map(|c| c.member.peer_urls).unwrap_or_default();
                match cc.change_type {
                    ConfChangeType::AddNode if !members.contains_key(&id) => {
                        let mut f = ids().to_vec();
                        f.push(("added-peer-id", json(&format!("{id:x}"))));
                        f.push(("added-peer-peer-urls", urls(&peers)));
                        log.push(line("added member", &f));
                        members.insert(id, peers);
                    }
                    ConfChangeType::RemoveNode => {
                        if let Some(old) = members.remove(&id) {
                            let mut f = ids().to_vec();
                            f.push(("removed-remote-peer-id", json(&format!("{id:x}"))));
                            f.push(("removed-remote-peer-urls", urls(&old)));
                            log.push(line("removed member", &f));
                            removed.insert(id);
                        }
                    }
                    ConfChangeType::UpdateNode if members.contains_key(&id) => {
                        let mut f = ids().to_vec();
                        f.push(("updated-remote-peer-id", json(&format!("{id:x}"))));
                        f.push(("updated-remote-peer-urls", urls(&peers)));
                        log.push(line("updated member", &f));
                        members.insert(id, peers);
                    }
                    _ => {}
                }
            }
            EntryType::Normal => match Payload::decode(&e.data) {
                Some(Payload::ClusterVersion(v)) => {
                    let mut f = ids().to_vec();
                    match &version {
                        None => {
                            f.push(("cluster-version", cluster(&v)));
                            log.push(line("set initial cluster version", &f));
                        }
                        // etcd 3.4 names both fields "from"
                        Some(old) => {
                            f.push(("from", cluster(old)));
                            f.push(("from", cluster(&v)));
                            log.push(line("updated cluster version", &f));
                        }
                    }
                    log.push(line(
                        "enabled capabilities for version",
                        &[("cluster-version", cluster(&v))],
                    ));
                    version = Some(v);
                }
                Some(Payload::Request {
                    req: Request::V2(r),
                    ..
                }) => {
                    if apply_v2(&mut v2, &r) {
                        key_space = true;
                    }
                }
                _ => {}
            },
        }
        index = index.max(e.index);
    }
    let keys = key_space.then(|| {
        let mut out = Vec::new();
        if let Ok(ev) = v2.store.get("/1", true, true, 0) {
            collect(&ev.node, &mut out);
        }
        out
    });
    Migrated { log, keys, index }
}

/// Applies a v2 request as migrate's applier does; whether it wrote a key.
fn apply_v2(v2: &mut ApplierV2, r: &V2Request) -> bool {
    let writes_key = matches!(&r.op, V2Op::Keys(_)) && !r.is_read();
    let resp = v2.apply(r);
    writes_key && matches!(resp, V2Response::Event(_))
}

fn collect(n: &NodeExtern, out: &mut Vec<NodeExtern>) {
    if !n.dir {
        out.push(NodeExtern {
            key: n.key.strip_prefix("/1").unwrap_or(&n.key).to_string(),
            nodes: None,
            ..n.clone()
        });
    }
    for c in n.nodes.iter().flatten() {
        collect(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v2::{KeysRequest, Method};
    use crate::api::Member as ApiMember;
    use crate::persist::DiskState;
    use crate::raft::{ConfChange, Entry, HardState};

    fn put(path: &str, val: &str, expiration: i64) -> Payload {
        Payload::Request {
            id: 1,
            req: Request::V2(V2Request {
                op: V2Op::Keys(KeysRequest {
                    method: Method::Put,
                    path: path.to_string(),
                    val: val.to_string(),
                    expiration,
                    ..Default::default()
                }),
                credentials: None,
                now: 1,
            }),
            auth_token: None,
        }
    }

    fn disk(payloads: Vec<(EntryType, Vec<u8>)>) -> WalFile {
        let entries: Vec<Entry> = payloads
            .into_iter()
            .enumerate()
            .map(|(i, (t, data))| Entry {
                term: 2,
                index: i as u64 + 1,
                entry_type: t,
                data: data.into(),
            })
            .collect();
        WalFile {
            member_id: 1,
            cluster_id: 2,
            state: DiskState {
                hard_state: HardState {
                    term: 2,
                    vote: 1,
                    commit: entries.len() as u64,
                },
                entries,
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_member_disk_migrates_its_v2_keys_and_logs_its_membership() {
        let cc = ConfChange {
            change_type: ConfChangeType::AddNode,
            node_id: 0x8211f1d0f64f3269,
            context: postcard::to_allocvec(&ConfChangeContext {
                member: ApiMember {
                    id: 0x8211f1d0f64f3269,
                    peer_urls: vec!["http://127.0.0.1:12380".into()],
                    ..Default::default()
                },
                request_id: 0,
            })
            .unwrap(),
        };
        let w = disk(vec![
            (
                EntryType::ConfChange,
                super::super::payload::encode_conf_change(&cc),
            ),
            (EntryType::Normal, Vec::new()),
            (
                EntryType::Normal,
                Payload::ClusterVersion("3.4.0".into()).encode(),
            ),
            (EntryType::Normal, put("/a", "1", 0).encode()),
            (EntryType::Normal, put("/d/x", "2", i64::MAX).encode()),
            (EntryType::Normal, put("/a", "11", 0).encode()),
        ]);
        let m = migrate_disk(&w, false);
        // the lines real etcdctl 3.4.23 printed for such a member (one of three here)
        assert_eq!(
            m.log,
            vec![
                r#"{"level":"info","msg":"added member","cluster-id":"0","local-member-id":"0","added-peer-id":"8211f1d0f64f3269","added-peer-peer-urls":["http://127.0.0.1:12380"]}"#,
                r#"{"level":"info","msg":"set initial cluster version","cluster-id":"0","local-member-id":"0","cluster-version":"3.4"}"#,
                r#"{"level":"info","msg":"enabled capabilities for version","cluster-version":"3.4"}"#,
            ]
        );
        assert_eq!(m.index, 6);
        let keys = m.keys.unwrap();
        let got: Vec<(&str, Option<&str>, bool)> = keys
            .iter()
            .map(|k| (k.key.as_str(), k.value.as_deref(), k.expiration.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![("/a", Some("11"), false), ("/d/x", Some("2"), true)]
        );
        assert_eq!(
            keys[0].created_index, keys[0].modified_index,
            "set replaces"
        );
        // no v2 key ever written: no key space
        let w = disk(vec![(EntryType::Normal, Vec::new())]);
        assert_eq!(migrate_disk(&w, false).keys, None);
    }
}
