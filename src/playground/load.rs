//! `load k8s [large]` in the simulated world: kubectl's loader of the `/registry` sample,
//! run with the world's seed so the same seed writes the same objects; and `load FILE`, the
//! keys of a snapshot file written into the cluster. Both are a [`Load`]: a fixed piece of
//! work per step, so the page runs them a step at a time (see `work`) and anything else runs
//! them to their end; the same steps always leave the same world.
//!
//! During the large load the members take no snapshot (each would serialise the whole
//! growing store on every member, twice over ~1000 txns); a snapshot is due right after it,
//! taken by the next write or by [`World::snapshot_if_due`] (the page runs it when idle).
//! That is the world's business, not the client's: it is why this lives here and not in
//! `kubectl`. Owns: [`Load`]. Must not touch: the sample itself, kubectl's requests.

use crate::api::{KeyValue, PutRequest, Request, RequestOp, Response, TxnRequest};
use crate::kubectl::LoadProgress;
#[cfg(not(feature = "lite"))]
use crate::kubectl::SampleLoad;
use crate::sim::World;

/// Writes the small (or large) Kubernetes sample into `world` through its etcd; answers the
/// line the console prints. (The page's first-visit module, feature `lite`, has no sample.)
#[cfg(not(feature = "lite"))]
pub fn load_k8s(world: &mut World, large: bool) -> Result<String, String> {
    Load::k8s(world, large)?.run_to_end(world)
}

/// A load in progress.
pub struct Load {
    what: What,
    /// The snapshot interval to give back once it ends (the large sample holds them back).
    held: Option<u64>,
    steps: u64,
}

enum What {
    #[cfg(not(feature = "lite"))]
    Sample(SampleLoad),
    File(FileLoad),
}

impl Load {
    /// `load k8s [large]`, checked and set up: nothing is written yet.
    #[cfg(not(feature = "lite"))]
    pub fn k8s(world: &mut World, large: bool) -> Result<Load, String> {
        let seed = world.seed();
        let load = SampleLoad::start(world, seed, large)?;
        let held = large.then(|| {
            let count = world.snapshot_count();
            world.set_snapshot_count(u64::MAX);
            count
        });
        Ok(Load {
            what: What::Sample(load),
            held,
            steps: 0,
        })
    }

    /// `load FILE`: the keys a snapshot file holds at its last revision (one this playground
    /// saved, a real etcd's, or a data directory's `db`), written into the cluster through
    /// etcd so they can be browsed. Only the latest values are copied: not their history,
    /// leases or users (a restore keeps those; this is a way to look at the data). Its first
    /// step reads the file, the next ones write its keys.
    pub fn file(data: Vec<u8>, name: &str) -> Load {
        Load {
            what: What::File(FileLoad {
                name: name.to_string(),
                unread: Some(data),
                revision: 0,
                n: 0,
                bytes: 0,
                kvs: Vec::new().into_iter().peekable(),
                written: 0,
            }),
            held: None,
            steps: 0,
        }
    }

    /// One step; `Some` once the load ended (its line, or why it failed).
    pub fn step(&mut self, world: &mut World) -> Option<Result<String, String>> {
        self.steps += 1;
        let r = match &mut self.what {
            #[cfg(not(feature = "lite"))]
            What::Sample(l) => l.step(world).transpose()?,
            What::File(f) => f.step(world)?,
        };
        self.give_back(world);
        Some(r)
    }

    /// Ctrl+C: the load ends where it is (what was written stays); the line to print.
    pub fn stop(mut self, world: &mut World) -> String {
        self.give_back(world);
        match &self.what {
            #[cfg(not(feature = "lite"))]
            What::Sample(l) => l.stopped(),
            What::File(f) => f.stopped(),
        }
    }

    fn give_back(&mut self, world: &mut World) {
        if let Some(count) = self.held.take() {
            world.set_snapshot_count(count);
        }
    }

    /// Runs every step: the line the load prints, or why it failed.
    pub fn run_to_end(mut self, world: &mut World) -> Result<String, String> {
        loop {
            if let Some(done) = self.step(world) {
                return done;
            }
        }
    }

    /// Steps run so far (running as many again from the start stops at the same place).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn progress(&self) -> LoadProgress {
        match &self.what {
            #[cfg(not(feature = "lite"))]
            What::Sample(l) => l.progress(),
            What::File(f) => LoadProgress {
                written: f.written,
                expected: f.n,
            },
        }
    }

    /// The snapshot interval in force once the load ends, if it holds the world's back.
    pub fn snapshot_count(&self) -> Option<u64> {
        self.held
    }
}

/// Puts per transaction when a snapshot's keys are loaded (etcd's `--max-txn-ops` is 128).
const OPS_PER_TXN: usize = 128;
/// Bytes of keys and values per transaction (under etcd's 1.5 MiB request limit).
const BYTES_PER_TXN: usize = 1 << 20;

/// `load FILE` in progress: the file read, then one txn of its keys per step.
struct FileLoad {
    name: String,
    /// The file, until the first step reads it.
    unread: Option<Vec<u8>>,
    revision: i64,
    n: usize,
    bytes: usize,
    kvs: std::iter::Peekable<std::vec::IntoIter<KeyValue>>,
    written: usize,
}

impl FileLoad {
    /// Reads the file: its keys at its last revision, to write.
    fn read(&mut self, data: &[u8]) -> Result<(), String> {
        use crate::etcdctl::snapshot_file::SnapshotFile;
        use crate::mvcc::{RangeEnd, RangeOptions};

        let name = &self.name;
        let file = SnapshotFile::read(data);
        let st = file
            .status()
            .map_err(|e| format!("load: {name}: {}", e.lines().next().unwrap_or("")))?;
        let db = file
            .restore_db(true)
            .map_err(|e| format!("load: {name}: {e}"))?;
        let sm =
            crate::server::backend_file::state_of(db).map_err(|e| format!("load: {name}: {e}"))?;
        let kvs = sm
            .kv
            .range(
                b"\0",
                RangeEnd::from_request(b"\0"),
                RangeOptions::default(),
            )
            .map(|r| r.kvs)
            .unwrap_or_default();
        self.revision = st.revision;
        self.n = kvs.len();
        self.bytes = kvs.iter().map(|k| k.key.len() + k.value.len()).sum();
        self.kvs = kvs.into_iter().peekable();
        Ok(())
    }

    /// Writes the next txn; `Some` once every key was written (or a write failed).
    fn step(&mut self, world: &mut World) -> Option<Result<String, String>> {
        if let Some(data) = self.unread.take() {
            return self.read(&data).err().map(Err);
        }
        let (name, n, written) = (&self.name, self.n, self.written);
        if self.kvs.peek().is_none() {
            return Some(Ok(format!(
                "loaded the {n} keys ({} bytes) {name} holds at revision {}: browse them in the keyspace panel or with etcdctl get \"\" --prefix --keys-only (values only: their history, leases and users are not copied; etcdctl snapshot restore keeps those)",
                self.bytes, self.revision
            )));
        }
        let (mut ops, mut size) = (Vec::new(), 0);
        while let Some(kv) = self.kvs.next_if(|kv| {
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
        let timeout = std::time::Duration::from_secs(10);
        // the first member that answers (infra1 may be stopped)
        let mut answer = Err(crate::api::CallError::Unreachable);
        for ep in ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"] {
            answer = world.call(ep, None, req.clone(), timeout);
            if !matches!(answer, Err(crate::api::CallError::Unreachable)) {
                break;
            }
        }
        match answer {
            Ok(Response::Txn(_)) => {
                self.written += count;
                None
            }
            Ok(_) => Some(Err(format!(
                "load: {name}: unexpected response from etcd after {written} of {n} keys"
            ))),
            Err(e) => Some(Err(format!(
                "load: {name}: etcd refused the write after {written} of {n} keys: {e:?}"
            ))),
        }
    }

    fn stopped(&self) -> String {
        format!(
            "load: {}: stopped by Ctrl+C after {} of its {} keys were written; the rest was not loaded",
            self.name, self.written, self.n
        )
    }
}
