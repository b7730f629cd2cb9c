//! `load k8s [large]`: the sample cluster written through the cluster's etcd as client
//! requests, so that it has real revisions and history — run a step at a time.
//!
//! A step is a fixed piece of work: one part of the sample generated (the bootstrap, or one
//! application deployment), or one round of writes. The same seed and the same number of
//! steps always leave the same store, so a load stopped by Ctrl+C after N steps is replayed
//! exactly by running N steps; how many steps a page runs between two frames is its own
//! business.
//!
//! Owns: [`SampleLoad`], the order and batching of the writes. Must not touch: the sample's
//! contents (`registry::sample`), the world's snapshots (the playground holds them back).

use std::time::Duration;

use super::client::{self, etcd_call, unix_seconds};
use crate::api::{CallError, RangeRequest, Request, Response};
use crate::cluster::Cluster;
use crate::registry::sample::{into_requests, Generation, SampleObject, SampleOptions, SampleSize};

/// How often a bulk load looks for the answers still missing (the simulation's tick).
const ANSWER_POLL: Duration = Duration::from_millis(100);

/// Objects per txn of the large sample (etcd accepts at most 128 operations in one).
const LARGE_OBJECTS_PER_TXN: usize = 100;

/// Txns the large sample submits at once (Raft batches them into shared appends), each round
/// run until the cluster is idle: small enough that one round is a short step for the page.
const LARGE_ROUND: usize = 16;

/// How far a load got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadProgress {
    /// Keys written so far.
    pub written: usize,
    /// An estimate of the keys the sample holds (exact once it is all generated).
    pub expected: usize,
}

/// `load k8s [large]` in progress: [`SampleLoad::start`], then [`SampleLoad::step`] until it
/// answers the line to print.
pub struct SampleLoad {
    large: bool,
    first_revision: i64,
    generation: Generation,
    generated: bool,
    /// Generated and not yet written, in order.
    ready: Vec<SampleObject>,
    per_txn: usize,
    round: usize,
    /// Writes (puts or txns) that succeeded, and the keys they held.
    writes: usize,
    written: usize,
    generated_keys: usize,
    generated_bytes: usize,
    written_bytes: usize,
    last_revision: i64,
}

impl SampleLoad {
    /// Checks that `/registry` is empty and sets the load up: nothing is written yet.
    pub fn start(cluster: &mut dyn Cluster, seed: u64, large: bool) -> Result<Self, String> {
        let probe = RangeRequest {
            key: b"/registry/".to_vec(),
            range_end: client::prefix_end(b"/registry/"),
            limit: 1,
            keys_only: true,
            ..Default::default()
        };
        let revision = match etcd_call(cluster, Request::Range(probe)) {
            Ok(Response::Range(r)) if r.kvs.is_empty() => r.header.revision,
            Ok(Response::Range(_)) => return Err(
                "/registry already holds keys: remove them first (etcdctl del /registry --prefix)"
                    .into(),
            ),
            Ok(_) => return Err("unexpected response from etcd".into()),
            Err(e) => return Err(format!("etcd did not answer: {e:?}")),
        };
        let size = if large {
            SampleSize::Large
        } else {
            SampleSize::Small
        };
        let mut opts = SampleOptions::new(seed, size, revision + 1, unix_seconds(cluster));
        // The small sample is written one put after another (its history, simulated times
        // included, is what the tutorial's transcript shows); the large one in txns, rounds
        // of them at once.
        let (per_txn, round) = if large {
            (LARGE_OBJECTS_PER_TXN, LARGE_ROUND)
        } else {
            (1, 1)
        };
        opts.objects_per_txn = per_txn;
        Ok(SampleLoad {
            large,
            first_revision: revision + 1,
            generation: Generation::new(&opts),
            generated: false,
            ready: Vec::new(),
            per_txn,
            round,
            writes: 0,
            written: 0,
            generated_keys: 0,
            generated_bytes: 0,
            written_bytes: 0,
            last_revision: revision,
        })
    }

    /// One step: generates the next part of the sample while less than a round of writes is
    /// ready, else writes a round. `Ok(Some(line))` once everything is written.
    pub fn step(&mut self, cluster: &mut dyn Cluster) -> Result<Option<String>, String> {
        let want = self.round * self.per_txn;
        if self.ready.len() < want && !self.generated {
            if self.generation.step() {
                let mut objects = self.generation.take();
                self.generated_keys += objects.len();
                self.generated_bytes += objects
                    .iter()
                    .map(|o| o.key.len() + o.value.len())
                    .sum::<usize>();
                self.ready.append(&mut objects);
            } else {
                self.generated = true;
            }
            return Ok(None);
        }
        if self.ready.is_empty() {
            return Ok(Some(self.summary()));
        }
        // Only whole txns before the end: every object of a txn shares its revision.
        let take = want.min(self.ready.len());
        let chunk: Vec<SampleObject> = self.ready.drain(..take).collect();
        let (keys, bytes) = (
            chunk.len(),
            chunk
                .iter()
                .map(|o| o.key.len() + o.value.len())
                .sum::<usize>(),
        );
        let last = chunk.last().map_or(self.last_revision, |o| o.mod_revision);
        self.write(cluster, into_requests(chunk, self.per_txn))?;
        self.written += keys;
        self.written_bytes += bytes;
        self.last_revision = last;
        Ok(None)
    }

    /// How far it got.
    pub fn progress(&self) -> LoadProgress {
        let (parts, of) = self.generation.progress();
        let expected = if self.generated || parts == 0 {
            self.generated_keys
        } else {
            self.generated_keys * of / parts
        };
        LoadProgress {
            written: self.written,
            expected: expected.max(self.written),
        }
    }

    /// What the console prints when Ctrl+C stopped the load.
    pub fn stopped(&self) -> String {
        if self.written == 0 {
            return "load: stopped by Ctrl+C before any key was written".to_string();
        }
        format!(
            "load: stopped by Ctrl+C after {} keys ({}) of the {} sample were written at revisions {}..{}; the rest was not loaded (etcdctl del /registry --prefix removes what was, before loading again)",
            self.written,
            crate::api::size::humanize(self.written_bytes as u64),
            self.size_name(),
            self.first_revision,
            self.last_revision
        )
    }

    fn size_name(&self) -> &'static str {
        if self.large {
            "large"
        } else {
            "small"
        }
    }

    fn summary(&self) -> String {
        // Bytes of keys and values, written as the keyspace's /registry picture writes them.
        let shown = crate::api::size::humanize(self.generated_bytes as u64);
        format!(
            "loaded the {} Kubernetes sample: {} keys ({shown} of keys and values) under /registry in {} {}, revisions {}..{}",
            self.size_name(),
            self.generated_keys,
            self.writes,
            if self.large { "txns" } else { "puts" },
            self.first_revision,
            self.last_revision
        )
    }

    /// Writes `reqs` in order; each answer must land at the next revision so that every
    /// resourceVersion equals its mod_revision.
    fn write(&mut self, cluster: &mut dyn Cluster, reqs: Vec<Request>) -> Result<(), String> {
        if !self.large {
            for req in reqs {
                let answer = etcd_call(cluster, req);
                self.check(answer.map(Some))?;
            }
            return Ok(());
        }
        let mut calls = Vec::with_capacity(reqs.len());
        for req in reqs {
            match cluster.submit(client::ETCD_ENDPOINT, None, req) {
                Ok(c) => calls.push(c),
                Err(e) => {
                    return Err(format!(
                        "write {} failed: {e:?}",
                        self.writes + calls.len() + 1
                    ))
                }
            }
        }
        cluster.run_until_idle(Duration::from_secs(5));
        // Answers still missing (no leader yet, a slow network): run on, up to 5 s more.
        let mut waited = Duration::ZERO;
        let mut answers: Vec<Option<Result<Response, CallError>>> =
            calls.iter().map(|c| cluster.take_answer(*c)).collect();
        while answers.iter().any(Option::is_none) && waited < Duration::from_secs(5) {
            cluster.advance(ANSWER_POLL);
            waited += ANSWER_POLL;
            for (a, c) in answers.iter_mut().zip(&calls) {
                if a.is_none() {
                    *a = cluster.take_answer(*c);
                }
            }
        }
        for a in answers {
            self.check(a.transpose())?;
        }
        Ok(())
    }

    /// Checks the answer of the next write (`None`: none came in time).
    fn check(&mut self, answer: Result<Option<Response>, CallError>) -> Result<(), String> {
        let i = self.writes + 1;
        let want = self.first_revision + self.writes as i64;
        match answer {
            Ok(Some(Response::Put(p))) if p.header.revision == want => {}
            Ok(Some(Response::Txn(t))) if t.header.revision == want => {}
            Ok(Some(_)) => return Err(format!("write {i} landed at an unexpected revision (another client wrote meanwhile?); resourceVersions may not match mod_revisions")),
            Err(e) => return Err(format!("write {i} failed: {e:?}")),
            Ok(None) => return Err(format!("write {i} failed: {:?}", CallError::DeadlineExceeded)),
        }
        self.writes += 1;
        Ok(())
    }
}

/// `load k8s [large]` run to its end: the line the console prints, or why it failed.
pub fn load_sample(cluster: &mut dyn Cluster, seed: u64, large: bool) -> Result<String, String> {
    let mut load = SampleLoad::start(cluster, seed, large)?;
    loop {
        if let Some(done) = load.step(cluster)? {
            return Ok(done);
        }
    }
}
