//! Seeded chaos test of the whole cluster: random crashes, restarts, partitions, message loss
//! and reordering while a client issues puts, deletes, txns and linearizable and serializable
//! reads. After every step: election safety, log matching, leader completeness and state
//! machine safety; and etcd's proposal semantics: a request enters at most one log entry
//! (etcd's server never proposes a request again, so a proposal that was lost or overwritten
//! is simply gone). At the end: the history of linearizable operations is checked with a
//! Wing–Gong/Porcupine-style checker (where a timed-out write is indeterminate); no
//! acknowledged write was overwritten by a write whose client had seen it time out before
//! the acknowledged one was issued (same key); and liveness (once faults heal, a put commits
//! within 5 simulated seconds; one whose proposal the healing lost times out, as in etcd,
//! and a later one must commit).
//!
//! `CHAOS_SEEDS=N` runs seeds 0..N (default 300) plus the regression seeds below;
//! `CHAOS_SEED=S` replays one seed, and `CHAOS_TRACE=1` prints the world's trace from the
//! liveness put on when that put fails.

#[path = "support/linearizability.rs"]
mod linearizability;

use std::collections::BTreeMap;
use std::time::Duration;

use etcd_playground::api::{
    CallError, Compare, CompareResult, CompareTarget, DeleteRangeRequest, EventType, PutRequest,
    RangeRequest, Request, RequestOp, Response, TxnRequest, WatchCreateRequest,
};
use etcd_playground::raft::EntryType;
use etcd_playground::server::payload::Payload;
use etcd_playground::sim::{Role, World};
use linearizability::{Input, Op, Output};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const NAMES: [&str; 3] = ["infra1", "infra2", "infra3"];
const ENDPOINTS: [&str; 3] = ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"];
const STEPS: usize = 60;
const TIMEOUT: Duration = Duration::from_secs(2);

fn key(k: u64) -> Vec<u8> {
    format!("k{k}").into_bytes()
}

fn val(v: u64) -> Vec<u8> {
    v.to_string().into_bytes()
}

fn parse_val(b: &[u8]) -> u64 {
    std::str::from_utf8(b).unwrap().parse().unwrap()
}

/// A write a client issued, with a value no other write has: a put, or a txn that puts when
/// its compare holds.
struct Write {
    key: u64,
    value: u64,
    /// When the client issued it, and when it got its answer or gave up (ns).
    call: u128,
    end: u128,
    /// Acknowledged as done (a txn: as succeeded); false: the client saw it time out.
    acked: bool,
}

/// Invariants over the whole run.
#[derive(Default)]
struct Checker {
    /// term -> the leader seen in it.
    leaders: BTreeMap<u64, u64>,
    /// index -> term of entries seen committed.
    committed: BTreeMap<u64, u64>,
    /// request ID -> the log entry (index, term) its proposal entered.
    proposals: BTreeMap<u64, (u64, u64)>,
}

impl Checker {
    fn check(&mut self, w: &World) -> Result<(), String> {
        if let Some(v) = w.safety_violations().first() {
            return Err(v.clone());
        }
        let views = w.member_views();
        let running: Vec<_> = views.iter().filter(|v| v.running).collect();
        // Election safety: at most one leader per term.
        for v in &running {
            if v.role == Role::Leader {
                if let Some(other) = self.leaders.insert(v.term, v.id) {
                    if other != v.id {
                        return Err(format!(
                            "election safety: two leaders in term {}: {:x} and {:x}",
                            v.term, other, v.id
                        ));
                    }
                }
            }
        }
        // Committed entries (as each member knows them).
        for v in &running {
            for e in v.log.iter().filter(|e| e.index <= v.commit) {
                if let Some(t) = self.committed.insert(e.index, e.term) {
                    if t != e.term {
                        return Err(format!(
                            "committed entry {} changed term {} -> {}",
                            e.index, t, e.term
                        ));
                    }
                }
            }
        }
        // Log matching: where two logs agree on an entry's term, they agree on all before.
        for (i, a) in running.iter().enumerate() {
            let am: BTreeMap<u64, u64> = a.log.iter().map(|e| (e.index, e.term)).collect();
            for b in running.iter().skip(i + 1) {
                let mut agreed = false;
                for e in b.log.iter().rev() {
                    match am.get(&e.index) {
                        Some(t) if *t == e.term => agreed = true,
                        Some(t) if agreed => {
                            return Err(format!(
                            "log matching: {:x} and {:x} agree later but differ at {} ({} vs {})",
                            a.id, b.id, e.index, t, e.term
                        ))
                        }
                        _ => {}
                    }
                }
            }
        }
        // etcd's proposals: a request enters one log entry, never a second one (its proposal
        // is not sent again after a loss, a leader change or an overwrite).
        for id in w.member_ids() {
            let Some(m) = w.member(id) else {
                continue;
            };
            let log = &m.node.raft.raft_log;
            let entries = log
                .slice(log.first_index(), log.last_index() + 1, usize::MAX)
                .unwrap_or_default();
            for e in entries.iter().filter(|e| e.entry_type == EntryType::Normal) {
                let Some(Payload::Request { id: rid, .. }) = Payload::decode(&e.data) else {
                    continue;
                };
                let at = (e.index, e.term);
                if let Some(first) = self.proposals.insert(rid, at) {
                    if first != at {
                        return Err(format!(
                            "proposal of request {rid:x} entered two log entries: index {} term {} and index {} term {} (etcd never proposes a request again)",
                            first.0, first.1, at.0, at.1
                        ));
                    }
                }
            }
        }
        // Leader completeness: a leader holds every committed entry (within its log window).
        for v in running.iter().filter(|v| v.role == Role::Leader) {
            let lm: BTreeMap<u64, u64> = v.log.iter().map(|e| (e.index, e.term)).collect();
            let lo = v.log.first().map_or(u64::MAX, |e| e.index);
            for (i, t) in self.committed.range(lo..) {
                if *t <= v.term && lm.get(i) != Some(t) {
                    return Err(format!(
                        "leader completeness: leader {:x} (term {}) lacks committed {} term {}",
                        v.id, v.term, i, t
                    ));
                }
            }
        }
        Ok(())
    }
}

fn run_seed(seed: u64) -> Result<(), String> {
    let mut w = World::new(seed);
    w.set_trace(false);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
    w.set_snapshot_count(rng.gen_range(20..200));
    let mut checker = Checker::default();
    let mut history: Vec<Op> = Vec::new();
    let mut writes: Vec<Write> = Vec::new();
    let mut written: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut next_val = 1u64;
    checker.check(&w)?;
    for step in 0..STEPS {
        let roll = rng.gen_range(0..100);
        if roll < 20 {
            // A fault, or its repair.
            let name = NAMES[rng.gen_range(0..3)];
            let _ = match rng.gen_range(0..8) {
                0 => w.stop(name),
                1 => w.start(name),
                2 => {
                    let other = NAMES[rng.gen_range(0..3)];
                    w.partition(&[vec![name.to_string()], vec![other.to_string()]])
                        .or_else(|_| w.partition(&[vec![name.to_string()]]))
                }
                3 => w.heal(),
                4 => w.set_loss(rng.gen_range(0..30)),
                5 => w.set_jitter(rng.gen_range(0..30)),
                6 => w.set_link_latency(name, NAMES[rng.gen_range(0..3)], rng.gen_range(1..200)),
                _ => w.set_latency(rng.gen_range(1..20)),
            };
        } else if roll < 85 {
            let k = rng.gen_range(0..3u64);
            let ep = ENDPOINTS[rng.gen_range(0..3)];
            let call = w.now().as_nanos();
            let (input, req) = match rng.gen_range(0..10) {
                0..=2 => {
                    let v = next_val;
                    next_val += 1;
                    written.entry(k).or_default().push(v);
                    (
                        Input::Put(v),
                        Request::Put(PutRequest {
                            key: key(k),
                            value: val(v),
                            ..Default::default()
                        }),
                    )
                }
                3 => (
                    Input::Delete,
                    Request::DeleteRange(DeleteRangeRequest {
                        key: key(k),
                        ..Default::default()
                    }),
                ),
                4 | 5 => {
                    let new = next_val;
                    next_val += 1;
                    written.entry(k).or_default().push(new);
                    let expect = if rng.gen_bool(0.3) {
                        None
                    } else {
                        written
                            .get(&k)
                            .and_then(|v| v.get(rng.gen_range(0..v.len())).copied())
                    };
                    let target = match expect {
                        Some(v) => CompareTarget::Value(val(v)),
                        None => CompareTarget::Version(0),
                    };
                    let txn = TxnRequest {
                        compare: vec![Compare {
                            result: CompareResult::Equal,
                            target,
                            key: key(k),
                            range_end: vec![],
                        }],
                        success: vec![RequestOp::Put(PutRequest {
                            key: key(k),
                            value: val(new),
                            ..Default::default()
                        })],
                        failure: vec![],
                    };
                    (Input::Cas { expect, new }, Request::Txn(txn))
                }
                6..=8 => (
                    Input::Get,
                    Request::Range(RangeRequest {
                        key: key(k),
                        ..Default::default()
                    }),
                ),
                _ => {
                    // Serializable read: may be stale, but only ever shows a written value.
                    let r = w.call(
                        ep,
                        None,
                        Request::Range(RangeRequest {
                            key: key(k),
                            serializable: true,
                            ..Default::default()
                        }),
                        TIMEOUT,
                    );
                    if let Ok(Response::Range(r)) = r {
                        if let Some(kv) = r.kvs.first() {
                            let v = parse_val(&kv.value);
                            if !written.get(&k).is_some_and(|ws| ws.contains(&v)) {
                                return Err(format!(
                                    "step {step}: serializable read of k{k} saw unwritten {v}"
                                ));
                            }
                        }
                    }
                    checker.check(&w).map_err(|e| format!("step {step}: {e}"))?;
                    continue;
                }
            };
            let res = w.call(ep, None, req, TIMEOUT);
            let ret = w.now().as_nanos();
            let (ret, output) = match res {
                Err(CallError::Unreachable) => {
                    checker.check(&w).map_err(|e| format!("step {step}: {e}"))?;
                    continue;
                }
                Err(CallError::DeadlineExceeded) => (None, Output::Unknown),
                Err(CallError::Server(e)) => {
                    return Err(format!("step {step}: unexpected server error {e}"))
                }
                Ok(resp) => {
                    let out = match (&input, resp) {
                        (Input::Get, Response::Range(r)) => {
                            Output::Value(r.kvs.first().map(|kv| parse_val(&kv.value)))
                        }
                        (Input::Cas { .. }, Response::Txn(t)) => Output::Cas(t.succeeded),
                        (Input::Put(_) | Input::Delete, _) => Output::Ok,
                        (_, other) => {
                            return Err(format!("step {step}: unexpected response {other:?}"))
                        }
                    };
                    (Some(ret), out)
                }
            };
            let end = w.now().as_nanos();
            let acked = match &output {
                Output::Ok | Output::Cas(true) => Some(true),
                Output::Unknown => Some(false),
                _ => None,
            };
            if let (Some(acked), Input::Put(v) | Input::Cas { new: v, .. }) = (acked, &input) {
                writes.push(Write {
                    key: k,
                    value: *v,
                    call,
                    end,
                    acked,
                });
            }
            // A read that timed out has no effect: leave it out.
            if !(input == Input::Get && output == Output::Unknown) {
                history.push(Op {
                    key: k,
                    call,
                    ret,
                    input,
                    output,
                });
            }
        } else {
            w.advance(Duration::from_millis(rng.gen_range(0..1500)));
        }
        checker.check(&w).map_err(|e| format!("step {step}: {e}"))?;
    }
    // Heal everything; a put must then commit within 5 simulated seconds.
    if std::env::var_os("CHAOS_TRACE").is_some() {
        w.set_trace(true);
    }
    for n in NAMES {
        let _ = w.start(n);
    }
    let _ = w.heal();
    let _ = w.set_loss(0);
    let _ = w.set_jitter(0);
    let _ = w.set_latency(1);
    // As etcd: a put whose proposal the healing lost (forwarded to a leader that had just
    // restarted, say) times out; the next one must commit.
    let ep = ENDPOINTS[rng.gen_range(0..3)];
    let mut attempt = 0;
    loop {
        attempt += 1;
        let v = next_val;
        next_val += 1;
        let call = w.now().as_nanos();
        let res = w.call(
            ep,
            None,
            Request::Put(PutRequest {
                key: key(0),
                value: val(v),
                ..Default::default()
            }),
            Duration::from_secs(5),
        );
        let end = w.now().as_nanos();
        let e = match res {
            Ok(_) => {
                history.push(Op {
                    key: 0,
                    call,
                    ret: Some(end),
                    input: Input::Put(v),
                    output: Output::Ok,
                });
                writes.push(Write {
                    key: 0,
                    value: v,
                    call,
                    end,
                    acked: true,
                });
                break;
            }
            Err(CallError::DeadlineExceeded) if attempt < 2 => {
                history.push(Op {
                    key: 0,
                    call,
                    ret: None,
                    input: Input::Put(v),
                    output: Output::Unknown,
                });
                writes.push(Write {
                    key: 0,
                    value: v,
                    call,
                    end,
                    acked: false,
                });
                continue;
            }
            Err(e) => e,
        };
        {
            if std::env::var_os("CHAOS_TRACE").is_some() {
                eprintln!("call at {:?}", Duration::from_nanos(call as u64));
                let t = w.trace();
                for ev in t
                    .iter()
                    .filter(|e| {
                        !matches!(
                            e.kind,
                            etcd_playground::sim::TraceKind::Sent {
                                kind: "MsgHeartbeat",
                                ..
                            } | etcd_playground::sim::TraceKind::Delivered {
                                kind: "MsgHeartbeat",
                                ..
                            } | etcd_playground::sim::TraceKind::Sent {
                                kind: "MsgHeartbeatResp",
                                ..
                            } | etcd_playground::sim::TraceKind::Delivered {
                                kind: "MsgHeartbeatResp",
                                ..
                            }
                        )
                    })
                    .filter(|e| e.at.as_nanos() + 50_000_000 >= call)
                {
                    eprintln!("{:?} {:?}", ev.at, ev.kind);
                }
            }
            let views: Vec<String> = w.member_views().iter().map(|v| format!("{} running={} role={:?} term={} lead={:x} commit={} applied={} last={} first={} progress={:?}", v.name, v.running, v.role, v.term, v.leader, v.commit, v.applied, v.last_index, v.first_index, v.progress)).collect();
            return Err(format!(
                "liveness: put after healing via {ep} failed: {e:?}\n  {}",
                views.join("\n  ")
            ));
        }
    }
    let call = w.now().as_nanos();
    match w.call(
        ENDPOINTS[0],
        None,
        Request::Range(RangeRequest {
            key: key(0),
            ..Default::default()
        }),
        Duration::from_secs(5),
    ) {
        Ok(Response::Range(r)) => history.push(Op {
            key: 0,
            call,
            ret: Some(w.now().as_nanos()),
            input: Input::Get,
            output: Output::Value(r.kvs.first().map(|kv| parse_val(&kv.value))),
        }),
        other => return Err(format!("liveness: read after healing failed: {other:?}")),
    }
    w.advance(Duration::from_secs(2));
    checker.check(&w)?;
    let views = w.member_views();
    if views.iter().any(|m| m.applied != views[0].applied) {
        return Err(format!(
            "members did not converge: {:?}",
            views.iter().map(|m| m.applied).collect::<Vec<_>>()
        ));
    }
    linearizability::check(&history).map_err(|k| format!("history of k{k} is not linearizable"))?;
    no_timed_out_write_after_a_later_ack(&mut w, &writes)
}

/// etcd's answer to a write that timed out: it may still commit, but only from the log entry
/// its proposal entered before the client gave up. So a write whose client saw it time out
/// is never applied after a write acknowledged on the same key and issued after that
/// timeout. Reads the order in which each key's values were written from a watch over the
/// whole history.
fn no_timed_out_write_after_a_later_ack(w: &mut World, writes: &[Write]) -> Result<(), String> {
    let watch = w
        .watch(
            ENDPOINTS[0],
            None,
            WatchCreateRequest {
                key: b"k".to_vec(),
                range_end: b"l".to_vec(),
                start_revision: 1,
                ..Default::default()
            },
        )
        .map_err(|e| format!("history watch: {e:?}"))?;
    // key -> value -> position in the key's sequence of writes
    let mut order: BTreeMap<u64, BTreeMap<u64, usize>> = BTreeMap::new();
    for r in w.watch_poll(watch) {
        for e in r.events.iter().filter(|e| e.kind == EventType::Put) {
            let k: u64 = std::str::from_utf8(&e.kv.key[1..])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("unexpected key {:?}", e.kv.key))?;
            let seq = order.entry(k).or_default();
            let n = seq.len();
            seq.insert(parse_val(&e.kv.value), n);
        }
    }
    w.watch_cancel(watch);
    for a in writes.iter().filter(|x| !x.acked) {
        let Some(seq) = order.get(&a.key) else {
            continue;
        };
        let Some(pa) = seq.get(&a.value) else {
            continue;
        };
        for b in writes
            .iter()
            .filter(|b| b.acked && b.key == a.key && b.call > a.end)
        {
            if seq.get(&b.value).is_some_and(|pb| pb < pa) {
                return Err(format!(
                    "k{}: write of {} timed out at {:?}, yet was applied after write of {}, issued at {:?} and acknowledged",
                    a.key,
                    a.value,
                    Duration::from_nanos(a.end as u64),
                    b.value,
                    Duration::from_nanos(b.call as u64)
                ));
            }
        }
    }
    Ok(())
}

/// Seeds that once failed, always run. 5824: the put after healing went through a follower
/// to a leader that had just restarted (and dropped the forwarded proposal); as in etcd that
/// put times out and the next one commits. 305, 307, 320: before the playground stopped
/// re-proposing (issue 22), a write that had timed out on the minority side was applied after
/// a later acknowledged write of the same key (about one seed in five failed so; nearly every
/// seed had a request in two log entries).
const REGRESSION_SEEDS: &[u64] = &[305, 307, 320, 5824];

#[test]
fn chaos() {
    let seeds: Vec<u64> = match std::env::var("CHAOS_SEED") {
        Ok(s) => vec![s.parse().expect("CHAOS_SEED")],
        Err(_) => {
            let n = std::env::var("CHAOS_SEEDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(300);
            let mut v: Vec<u64> = (0..n).collect();
            v.extend(REGRESSION_SEEDS.iter().filter(|s| **s >= n));
            v
        }
    };
    let mut failed = Vec::new();
    for &seed in &seeds {
        if let Err(e) = run_seed(seed) {
            eprintln!("chaos seed {seed} FAILED: {e}");
            eprintln!("  replay: CHAOS_SEED={seed} cargo test --release --no-default-features --test chaos -- --nocapture");
            failed.push(seed);
        }
    }
    println!(
        "chaos: {} seeds, {} clean",
        seeds.len(),
        seeds.len() - failed.len()
    );
    assert!(failed.is_empty(), "failing seeds: {failed:?}");
}
