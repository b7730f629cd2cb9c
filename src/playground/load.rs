//! `load k8s [--large]` in the simulated world: kubectl's loader of the `/registry` sample,
//! run with the world's seed so the same seed writes the same objects; and `load FILE`, the
//! keys of a snapshot file written into the cluster.
//!
//! During the large load the members take no snapshot (each would serialise the whole
//! growing store on every member, twice over ~1000 txns); a snapshot is due right after it,
//! taken by the next write or by [`World::snapshot_if_due`] (the page runs it when idle).
//! The page runs the large load a step at a time ([`LargeLoad`]) so that it keeps answering.
//! That is the world's business, not the client's: it is why this lives here and not in
//! `kubectl`. Owns: [`LargeLoad`]. Must not touch: the sample itself, kubectl's requests.

use crate::kubectl::{self, LoadProgress, SampleLoad};
use crate::sim::World;

/// Writes the small (or large) Kubernetes sample into `world` through its etcd; answers the
/// line the console prints.
pub fn load_k8s(world: &mut World, large: bool) -> Result<String, String> {
    let seed = world.seed();
    if !large {
        return kubectl::load_sample(world, seed, false);
    }
    let mut work = LargeLoad::start(world)?;
    loop {
        if let Some(done) = work.step(world) {
            return done;
        }
    }
}

/// `load k8s large` in progress, with the members' snapshots held back until it ends (see
/// [`SampleLoad`] for what a step is).
pub struct LargeLoad {
    load: SampleLoad,
    /// The snapshot interval to give back.
    snapshot_count: u64,
    steps: u64,
}

impl LargeLoad {
    pub fn start(world: &mut World) -> Result<Self, String> {
        let seed = world.seed();
        let load = SampleLoad::start(world, seed, true)?;
        let snapshot_count = world.snapshot_count();
        world.set_snapshot_count(u64::MAX);
        Ok(LargeLoad {
            load,
            snapshot_count,
            steps: 0,
        })
    }

    /// One step; `Some` once the load ended (its line, or why it failed), snapshots given back.
    pub fn step(&mut self, world: &mut World) -> Option<Result<String, String>> {
        self.steps += 1;
        let r = match self.load.step(world) {
            Ok(None) => return None,
            Ok(Some(line)) => Ok(line),
            Err(e) => Err(e),
        };
        world.set_snapshot_count(self.snapshot_count);
        Some(r)
    }

    /// Ctrl+C: the load ends where it is (what was written stays); the line to print.
    pub fn stop(self, world: &mut World) -> String {
        world.set_snapshot_count(self.snapshot_count);
        self.load.stopped()
    }

    /// Steps run so far (running as many again from the start stops at the same place).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn progress(&self) -> LoadProgress {
        self.load.progress()
    }

    /// The snapshot interval in force once the load ends (the world's is held back meanwhile).
    pub fn snapshot_count(&self) -> u64 {
        self.snapshot_count
    }
}

/// Puts per transaction when a snapshot's keys are loaded (etcd's `--max-txn-ops` is 128).
const OPS_PER_TXN: usize = 128;
/// Bytes of keys and values per transaction (under etcd's 1.5 MiB request limit).
const BYTES_PER_TXN: usize = 1 << 20;

/// `load FILE`: the keys a snapshot file holds at its last revision (one this playground
/// saved, a real etcd's, or a data directory's `db`), written into the cluster through etcd
/// so they can be browsed. Only the latest values are copied: not their history, leases or
/// users (a restore keeps those; this is a way to look at the data).
pub fn load_snapshot(world: &mut World, data: &[u8], name: &str) -> Result<String, String> {
    use crate::api::{PutRequest, Request, RequestOp, Response, TxnRequest};
    use crate::etcdctl::snapshot_file::SnapshotFile;
    use crate::mvcc::{RangeEnd, RangeOptions};

    let file = SnapshotFile::read(data);
    let st = file
        .status()
        .map_err(|e| format!("load: {name}: {}", e.lines().next().unwrap_or("")))?;
    let db = file
        .restore_db(true)
        .map_err(|e| format!("load: {name}: {e}"))?;
    let sm = crate::server::backend_file::state_of(db).map_err(|e| format!("load: {name}: {e}"))?;
    let kvs = sm
        .kv
        .range(
            b"\0",
            RangeEnd::from_request(b"\0"),
            RangeOptions::default(),
        )
        .map(|r| r.kvs)
        .unwrap_or_default();
    let (n, bytes) = (
        kvs.len(),
        kvs.iter()
            .map(|k| k.key.len() + k.value.len())
            .sum::<usize>(),
    );
    let timeout = std::time::Duration::from_secs(10);
    let mut kvs = kvs.into_iter().peekable();
    let mut written = 0;
    while kvs.peek().is_some() {
        let (mut ops, mut size) = (Vec::new(), 0);
        while let Some(kv) = kvs.next_if(|kv| {
            ops.is_empty()
                || (ops.len() < OPS_PER_TXN
                    && size + kv.key.len() + kv.value.len() <= BYTES_PER_TXN)
        }) {
            size += kv.key.len() + kv.value.len();
            ops.push(RequestOp::Put(PutRequest {
                key: kv.key,
                value: kv.value,
                ..PutRequest::default()
            }));
        }
        let count = ops.len();
        let req = Request::Txn(TxnRequest {
            compare: Vec::new(),
            success: ops,
            failure: Vec::new(),
        });
        // the first member that answers (infra1 may be stopped)
        let mut answer = Err(crate::api::CallError::Unreachable);
        for ep in ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"] {
            answer = world.call(ep, None, req.clone(), timeout);
            if !matches!(answer, Err(crate::api::CallError::Unreachable)) {
                break;
            }
        }
        match answer {
            Ok(Response::Txn(_)) => written += count,
            Ok(_) => {
                return Err(format!(
                    "load: {name}: unexpected response from etcd after {written} of {n} keys"
                ))
            }
            Err(e) => {
                return Err(format!(
                    "load: {name}: etcd refused the write after {written} of {n} keys: {e:?}"
                ))
            }
        }
    }
    Ok(format!(
        "loaded the {n} keys ({bytes} bytes) {name} holds at revision {}: browse them in the keyspace panel or with etcdctl get \"\" --prefix --keys-only (values only: their history, leases and users are not copied; etcdctl snapshot restore keeps those)",
        st.revision
    ))
}
