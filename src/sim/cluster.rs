//! The simulated world as a [`Cluster`]: what etcdctl and kubectl see of it. Each method
//! hands over to the world's client surface; letting time pass runs the world's event loop.
//!
//! Owns: the mapping of the trait onto [`World`] (a member answers at an endpoint only while
//! it runs; the data directory a restore writes). Must not touch: the world's state beyond
//! its public client surface.

use std::time::Duration;

use super::World;
use crate::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};
use crate::cluster::{
    BackedUpWal, CallId, Cluster, DroppedEntry, MigratedWal, RestoreSpec, RestoredDir, WatchId,
};
use crate::persist::wal_file::{
    decode_wal, encode_snap_file, encode_wal, snap_file_name, WalFile, WAL_NAME,
};
use crate::server::backup::{backup_disk, Dropped, BACKUP_MEMBER_NAME, BACKUP_MEMBER_PEER_URL};
use crate::server::migrate::migrate_disk;
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
        let snap = &state.snapshot;
        let snap_file = (
            format!(
                "member/snap/{}",
                snap_file_name(snap.metadata.term, snap.metadata.index)
            ),
            encode_snap_file(snap),
        );
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
                snap_file,
                ("member/snap/db".to_string(), blob.to_vec()),
                (format!("member/wal/{WAL_NAME}"), wal),
            ],
        })
    }

    fn backup_wal(
        &self,
        wal: &[u8],
        snap_file_found: bool,
        with_v3: bool,
    ) -> Result<BackedUpWal, String> {
        let src = decode_wal(wal)?;
        let b = backup_disk(&src, snap_file_found, with_v3, World::unix_nanos(self));
        let snap = &b.wal.state.snapshot;
        Ok(BackedUpWal {
            dropped: b
                .dropped
                .into_iter()
                .map(|d| match d {
                    Dropped::ConfChange => DroppedEntry::ConfChange,
                    Dropped::MemberAttributes { entry, path } => {
                        DroppedEntry::MemberAttributes { entry, path }
                    }
                    Dropped::V3 => DroppedEntry::V3,
                })
                .collect(),
            snap_file: b.has_snapshot.then(|| {
                (
                    snap_file_name(snap.metadata.term, snap.metadata.index),
                    encode_snap_file(snap),
                )
            }),
            commit: b.wal.state.hard_state.commit,
            term: b.wal.state.hard_state.term,
            wal_file: (WAL_NAME.to_string(), encode_wal(&b.wal)),
            member_id: b.node_id,
            cluster_id: b.cluster_id,
            member_name: BACKUP_MEMBER_NAME.to_string(),
            member_peer_url: BACKUP_MEMBER_PEER_URL.to_string(),
        })
    }

    fn migrate_wal(&self, wal: &[u8], snap_file_found: bool) -> Result<MigratedWal, String> {
        let m = migrate_disk(&decode_wal(wal)?, snap_file_found);
        Ok(MigratedWal {
            log: m.log,
            keys: m.keys,
            index: m.index,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::backend_file::read_backend;

    #[test]
    fn a_snapshot_counts_the_keys_its_backend_holds() {
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
        // the blob is the member's bbolt file: 3 members + 3 meta keys + one per revision
        let db = crate::bbolt::Db::open(&s.blob).unwrap();
        let pairs: usize = db
            .root()
            .unwrap()
            .iter()
            .map(|b| db.nested(b).unwrap().len())
            .sum();
        assert_eq!(pairs, 3 + 3 + 3);
        let sm = read_backend(&db).unwrap();
        assert_eq!(sm.kv.revision_count(), 3);
        // as large as the DB SIZE the member reports
        let member = w.member_views()[0].id;
        let db_size = w.member(member).map(|m| m.sm.kv.db_size());
        assert_eq!(Some(db.size() as i64), db_size);
    }

    #[test]
    fn a_defragmentation_snapshots_the_member_so_its_disk_shrinks() {
        // after NOSPACE from the browser's storage, deleting, compacting and defragmenting
        // must free what the page stores: the member's disk then holds the compacted store
        let mut w = World::new(1);
        w.set_snapshot_count(100);
        let ep = "127.0.0.1:2379";
        let t = Duration::from_secs(5);
        let value = vec![b'v'; 2000];
        for i in 0..250 {
            let req = Request::Put(crate::api::PutRequest {
                key: format!("k{i:03}").into_bytes(),
                value: value.clone(),
                ..Default::default()
            });
            assert!(w.call(ep, None, req, t).is_ok());
        }
        let id = w.member_at(ep).unwrap();
        let snap_len = |w: &World| w.member_disk(id).unwrap().snapshot.data.len();
        let full = snap_len(&w);
        assert!(full > 150 * 2000, "a snapshot holds the keys: {full}");
        let del = Request::DeleteRange(crate::api::DeleteRangeRequest {
            key: b"k".to_vec(),
            range_end: b"l".to_vec(),
            ..Default::default()
        });
        let Ok(Response::DeleteRange(d)) = w.call(ep, None, del, t) else {
            panic!("delete failed")
        };
        let rev = d.header.revision;
        let compact = Request::Compaction(crate::api::CompactionRequest {
            revision: rev,
            physical: true,
        });
        assert!(w.call(ep, None, compact, t).is_ok());
        assert_eq!(
            snap_len(&w),
            full,
            "deleting and compacting alone keep the old snapshot"
        );
        let before = w.member_disk(id).unwrap();
        assert!(w.call(ep, None, Request::Defragment, t).is_ok());
        let after = w.member_disk(id).unwrap();
        assert!(
            after.snapshot.data.len() < full / 20,
            "{} of {full}",
            after.snapshot.data.len()
        );
        assert!(after.snapshot.metadata.index > before.snapshot.metadata.index);
        assert!(after.validate().is_ok());
    }
}
