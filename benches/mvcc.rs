//! Benchmarks of the MVCC store (criterion): put into stores of 1k and 100k keys, the same
//! inserts into `std`'s BTreeMap as the baseline, a 100-key prefix range in 100k keys, a 3-op
//! txn, compaction of 100k keys, and (printed, not timed) the memory of 100k keys with
//! 500-byte values measured with a counting global allocator.
//!
//! Targets (issue 3): put ≥ 1M/s and ≥ 35% of the BTreeMap baseline; 100-key range ≤ 20 µs;
//! memory ≤ 3× the raw bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use etcd_playground::api::*;
use etcd_playground::mvcc::{KvStore, RangeEnd, RangeOptions, TxnWrite};
use etcd_playground::server::apply::{ApplyContext, StateMachine};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn key(i: usize) -> Vec<u8> {
    format!("key/{i:06}").into_bytes()
}

fn store_with(n: usize, value: &[u8]) -> KvStore {
    let mut s = KvStore::new();
    for i in 0..n {
        let mut t = TxnWrite::new(&mut s);
        t.put(&key(i), value, 0);
        t.end();
    }
    s
}

/// Put into a store of `n` keys: every sample starts from a fresh copy of the store (copy and
/// drop not timed), so the store holds `n` keys and at most one sample's worth of history.
/// (Letting one store grow through the whole run put 2–3 GB behind it, and past about 3 GB
/// this machine's page faults cost three times as much: that measured the VM, not the store.)
/// `n` keys, each written twice (2n revisions).
fn store_written_twice(n: usize, value: &[u8]) -> KvStore {
    let mut s = store_with(n, value);
    for i in 0..n {
        let mut t = TxnWrite::new(&mut s);
        t.put(&key(i), value, 0);
        t.end();
    }
    s
}

fn bench_put(c: &mut Criterion) {
    let mut g = c.benchmark_group("put");
    g.throughput(Throughput::Elements(1));
    for (n, vlen) in [(1_000usize, 16usize), (100_000, 16), (1_000, 256)] {
        let value = vec![b'v'; vlen];
        let suffix = if vlen == 16 {
            format!("{n}")
        } else {
            format!("{n}_value_{vlen}")
        };
        let keys: Vec<Vec<u8>> = (0..n).map(key).collect();
        let base = store_with(n, &value);
        g.bench_function(format!("mvcc_put_{suffix}"), |b| {
            b.iter_custom(|iters| {
                let mut s = base.clone();
                let start = Instant::now();
                for i in 0..iters as usize {
                    let mut t = TxnWrite::new(&mut s);
                    t.put(black_box(&keys[i % n]), black_box(&value), 0);
                    t.end_quiet();
                }
                let took = start.elapsed();
                drop(s);
                took
            })
        });
        let mut m: BTreeMap<Vec<u8>, Vec<u8>> =
            keys.iter().map(|k| (k.clone(), value.clone())).collect();
        let mut j = 0usize;
        g.bench_function(format!("btreemap_insert_{suffix}"), |b| {
            b.iter(|| {
                let k = &keys[j % n];
                j += 1;
                black_box(m.insert(black_box(k).clone(), black_box(&value).clone()));
            })
        });
        if vlen != 16 {
            continue;
        }
        let mut sm = StateMachine::new();
        for k in &keys {
            sm.apply(
                &Request::Put(PutRequest {
                    key: k.clone(),
                    value: value.clone(),
                    ..Default::default()
                }),
                &ApplyContext::default(),
            )
            .unwrap();
        }
        let reqs: Vec<Request> = keys
            .iter()
            .map(|k| {
                Request::Put(PutRequest {
                    key: k.clone(),
                    value: value.clone(),
                    ..Default::default()
                })
            })
            .collect();
        let ctx = ApplyContext::default();
        g.bench_function(format!("state_machine_put_{n}"), |b| {
            b.iter_custom(|iters| {
                let mut sm = sm.clone();
                let start = Instant::now();
                for i in 0..iters as usize {
                    black_box(sm.apply(black_box(&reqs[i % n]), &ctx).ok());
                }
                let took = start.elapsed();
                drop(sm);
                took
            })
        });
    }
    g.finish();
}

fn bench_range(c: &mut Criterion) {
    let value = vec![b'v'; 16];
    let n = 100_000;
    let s = store_with(n, &value);
    let mut sm = StateMachine::new();
    sm.kv = s.clone();
    let mut g = c.benchmark_group("range");
    // key/000100 .. key/000199: 100 keys
    g.bench_function("store_range_100_of_100k", |b| {
        b.iter(|| {
            let r = s
                .range(
                    black_box(b"key/0001"),
                    RangeEnd::Until(b"key/0002"),
                    RangeOptions::default(),
                )
                .unwrap();
            assert_eq!(r.kvs.len(), 100);
            black_box(r)
        })
    });
    let req = Request::Range(RangeRequest {
        key: b"key/0001".to_vec(),
        range_end: b"key/0002".to_vec(),
        ..Default::default()
    });
    let ctx = ApplyContext::default();
    g.bench_function("state_machine_prefix_range_100_of_100k", |b| {
        b.iter(|| black_box(sm.read(black_box(&req), &ctx).unwrap()))
    });
    g.finish();
}

fn bench_txn(c: &mut Criterion) {
    let value = vec![b'v'; 16];
    let mut sm = StateMachine::new();
    for i in 0..1000 {
        sm.apply(
            &Request::Put(PutRequest {
                key: key(i),
                value: value.clone(),
                ..Default::default()
            }),
            &ApplyContext::default(),
        )
        .unwrap();
    }
    let ctx = ApplyContext::default();
    let txns: Vec<Request> = (0..1000)
        .map(|i| {
            Request::Txn(TxnRequest {
                compare: vec![Compare {
                    result: CompareResult::Equal,
                    target: CompareTarget::Value(value.clone()),
                    key: key(i),
                    range_end: vec![],
                }],
                success: vec![
                    RequestOp::Put(PutRequest {
                        key: key(i),
                        value: value.clone(),
                        ..Default::default()
                    }),
                    RequestOp::Range(RangeRequest {
                        key: key((i + 1) % 1000),
                        ..Default::default()
                    }),
                    RequestOp::DeleteRange(DeleteRangeRequest {
                        key: b"absent".to_vec(),
                        range_end: vec![],
                        prev_kv: false,
                    }),
                ],
                failure: vec![],
            })
        })
        .collect();
    let mut i = 0usize;
    c.bench_function("txn_3_ops", |b| {
        b.iter(|| {
            let r = &txns[i % 1000];
            i += 1;
            black_box(sm.apply(black_box(r), &ctx).unwrap())
        })
    });
}

fn bench_compaction(c: &mut Criterion) {
    let value = vec![b'v'; 16];
    let n = 100_000;
    let s = store_written_twice(n, &value);
    let rev = s.rev();
    let mut g = c.benchmark_group("compaction");
    g.sample_size(10);
    g.bench_function("compact_100k_keys_200k_revisions", |b| {
        b.iter_batched(
            || s.clone(),
            |mut s| {
                s.compact(rev).unwrap();
                s
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// The store's stored form (what a member snapshot holds): encode and decode 100k keys with
/// 500-byte values, each key written twice (200k revisions).
fn bench_stored_form(c: &mut Criterion) {
    let value = vec![b'v'; 500];
    let n = 100_000;
    let s = store_written_twice(n, &value);
    let bytes = postcard::to_allocvec(&s).unwrap();
    let mut g = c.benchmark_group("stored_form");
    g.sample_size(10);
    g.bench_function("encode_100k_keys_200k_revisions", |b| {
        b.iter(|| black_box(postcard::to_allocvec(&s).unwrap()))
    });
    g.bench_function("decode_100k_keys_200k_revisions", |b| {
        b.iter(|| black_box(postcard::from_bytes::<KvStore>(&bytes).unwrap()))
    });
    g.finish();
}

fn memory_report(_c: &mut Criterion) {
    let value = vec![b'v'; 500];
    let n = 100_000;
    let before = LIVE.load(Ordering::Relaxed);
    let s = store_with(n, &value);
    let used = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let raw: usize = (0..n).map(|i| key(i).len() + value.len()).sum();
    println!(
        "memory: 100k keys with 500-byte values: {} bytes live for {} raw bytes = {:.2}x (target <= 3x)",
        used,
        raw,
        used as f64 / raw as f64
    );
    black_box(s);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = memory_report, bench_put, bench_range, bench_txn, bench_compaction, bench_stored_form
}
criterion_main!(benches);
