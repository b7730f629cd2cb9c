//! The simulated world as a [`Cluster`]: what etcdctl and kubectl see of it. Each method
//! hands over to the world's client surface; letting time pass runs the world's event loop.
//!
//! Owns: the mapping of the trait onto [`World`] (a member answers at an endpoint only while
//! it runs; a snapshot's key count as a bolt file would hold it; the data directory a restore
//! writes). Must not touch: the world's state beyond its public client surface.

use std::time::Duration;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::World;
use crate::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};
use crate::cluster::{CallId, Cluster, RestoreSpec, RestoredDir, WatchId};
use crate::persist::wal_file::{encode_wal, WalFile, WAL_NAME};
use crate::server::restore::{restored_disk, restored_members};

impl Cluster for World {
    fn now(&self) -> Duration {
        World::now(self)
    }

    fn unix_nanos(&self) -> i64 {
        World::unix_nanos(self)
    }

    fn advance(&mut self, d: Duration) {
        World::advance(self, d)
    }

    fn run_until_idle(&mut self, limit: Duration) {
        World::run_until_idle(self, limit)
    }

    fn member_at(&self, endpoint: &str) -> Option<u64> {
        self.resolve_endpoint(endpoint)
            .filter(|id| self.is_running(*id))
    }

    fn snapshot_key_count(&self, blob: &[u8]) -> i64 {
        backend_keys(blob, self.member_ids().len() as i64)
    }

    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        World::call(self, endpoint, auth_token, req, timeout)
    }

    fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<CallId, CallError> {
        World::submit(self, endpoint, auth_token, req)
    }

    fn take_answer(&mut self, call: CallId) -> Option<Result<Response, CallError>> {
        World::take_answer(self, call)
    }

    fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError> {
        World::watch(self, endpoint, auth_token, req)
    }

    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse> {
        World::watch_poll(self, watch)
    }

    fn watch_cancel(&mut self, watch: WatchId) {
        World::watch_cancel(self, watch)
    }

    fn restore_data_dir(&self, blob: &[u8], spec: &RestoreSpec) -> Result<RestoredDir, String> {
        let (members, cluster_id) = restored_members(&spec.initial_cluster, &spec.token);
        let me = members
            .iter()
            .find(|m| m.name == spec.name)
            .map(|m| m.id)
            .ok_or_else(|| {
                format!(
                    "couldn't find local name \"{}\" in the initial cluster configuration",
                    spec.name
                )
            })?;
        let state = restored_disk(blob, &members)?;
        let wal = encode_wal(&WalFile {
            member_id: me,
            cluster_id,
            state,
        });
        Ok(RestoredDir {
            cluster_id,
            members: members
                .iter()
                .map(|m| (m.id, m.peer_urls.clone()))
                .collect(),
            files: vec![
                ("member/snap/db".to_string(), blob.to_vec()),
                (format!("member/wal/{WAL_NAME}"), wal),
            ],
        })
    }
}

/// The keys etcd's bolt backend would hold: one per MVCC revision entry, the meta keys
/// (consistent index, compaction marks), one per member, the cluster version, the auth
/// revision (and enabled flag), one per user, role and lease.
fn backend_keys(blob: &[u8], members: i64) -> i64 {
    let mut n = members + 1 + 1 + 1;
    // Counted in one pass over the JSON, without building the store (a snapshot of the
    // large /registry sample is hundreds of MB: parsing it whole cost GBs).
    if let Ok(c) = serde_json::from_slice::<Counted>(blob) {
        n += c.kv.bucket.0 as i64;
        if c.kv.compact_main_rev > 0 {
            n += 2;
        }
        n += c.lessor.leases.0 as i64;
        if c.auth.enabled {
            n += 1;
        }
        n += (c.auth.users.0 + c.auth.roles.0) as i64;
    }
    n
}

/// What [`backend_keys`] reads of a state machine's snapshot (its other fields are skipped).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Counted {
    kv: CountedKv,
    lessor: CountedLessor,
    auth: CountedAuth,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CountedKv {
    bucket: Count,
    compact_main_rev: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CountedLessor {
    leases: Count,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CountedAuth {
    enabled: bool,
    users: Count,
    roles: Count,
}

/// The number of elements of a JSON array or entries of an object, each skipped unread.
#[derive(Default)]
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array or a map")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Count(n))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
        let mut n = 0;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Count(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::apply::StateMachine;

    #[test]
    fn backend_keys_counts_what_the_store_holds() {
        let mut w = World::new(1);
        let ep = "127.0.0.1:2379";
        let t = Duration::from_secs(5);
        for k in ["a", "b", "a"] {
            let req = Request::Put(crate::api::PutRequest {
                key: k.into(),
                value: b"v".to_vec(),
                ..Default::default()
            });
            assert!(w.call(ep, None, req, t).is_ok());
        }
        let Ok(Response::Snapshot(s)) = w.call(ep, None, Request::Snapshot, t) else {
            panic!("no snapshot");
        };
        let sm = StateMachine::from_snapshot(&s.blob).unwrap();
        // 3 members + 3 meta keys + one per revision (3 puts)
        assert_eq!(sm.kv.revision_count(), 3);
        assert_eq!(backend_keys(&s.blob, 3), 3 + 3 + 3);
        assert_eq!(backend_keys(b"not json", 3), 6);
    }
}
