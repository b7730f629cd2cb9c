//! Committed puts per wall-clock second through the simulated three-member cluster, in
//! run-until-idle mode: a batch of puts is submitted to the leader at once (Raft batches
//! them into shared MsgApps), then the world runs until every put is applied and answered.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use etcd_playground::api::{PutRequest, Request};
use etcd_playground::sim::World;

const BATCH: u64 = 1_000;

fn put_batch(w: &mut World, round: u64) {
    let mut calls = Vec::with_capacity(BATCH as usize);
    for i in 0..BATCH {
        let key = format!("key-{}", i % 128).into_bytes();
        let value = format!("value-{round}-{i}").into_bytes();
        let req = Request::Put(PutRequest {
            key,
            value,
            ..Default::default()
        });
        calls.push(w.submit("127.0.0.1:2379", None, req).expect("submit"));
    }
    w.run_until_idle(Duration::from_secs(60));
    for c in calls {
        assert!(matches!(w.take_answer(c), Some(Ok(_))));
    }
}

fn committed_puts(c: &mut Criterion) {
    let mut g = c.benchmark_group("cluster");
    g.throughput(Throughput::Elements(BATCH));
    g.sample_size(20);
    let mut w = World::new(1);
    w.set_trace(false);
    let mut round = 0;
    g.bench_function("committed_puts_batch_1000_with_snapshots", |b| {
        b.iter(|| {
            round += 1;
            put_batch(&mut w, round);
        })
    });
    // Snapshots (every 100000 applied entries by default) serialize the whole store; without
    // them this measures the Raft pipeline and the apply path alone.
    let mut w = World::new(1);
    w.set_trace(false);
    w.set_snapshot_count(u64::MAX);
    g.bench_function("committed_puts_batch_1000", |b| {
        b.iter(|| {
            round += 1;
            put_batch(&mut w, round);
        })
    });
    let mut w = World::new(1);
    w.set_trace(false);
    g.throughput(Throughput::Elements(1));
    g.bench_function("committed_put_sequential", |b| {
        b.iter(|| {
            let req = Request::Put(PutRequest {
                key: b"k".to_vec(),
                value: b"v".to_vec(),
                ..Default::default()
            });
            w.call("127.0.0.1:2379", None, req, Duration::from_secs(5))
                .expect("put");
        })
    });
    g.finish();
}

criterion_group!(benches, committed_puts);
criterion_main!(benches);
