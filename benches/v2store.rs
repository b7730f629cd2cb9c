//! Benchmarks of the v2 store: writes, a recursive listing, a watch scanning the whole
//! 1000-event history, and expiring many TTL keys in one SYNC.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use etcd_playground::api::v2::{KeysRequest, Method, V2Op, V2Request};
use etcd_playground::v2store::ApplierV2;

const T0: i64 = 1_700_000_000_000_000_000;

fn req(k: KeysRequest) -> V2Request {
    V2Request {
        op: V2Op::Keys(k),
        credentials: None,
        now: T0,
    }
}

fn filled(n: usize, ttl: bool) -> ApplierV2 {
    let mut a = ApplierV2::new();
    for i in 0..n {
        a.apply(&req(KeysRequest {
            method: Method::Put,
            path: format!("/dir{}/key{}", i % 10, i),
            val: "value".into(),
            expiration: if ttl { T0 + 1_000_000_000 } else { 0 },
            ..Default::default()
        }));
    }
    a
}

fn bench(c: &mut Criterion) {
    c.bench_function("v2 set 1000 keys", |b| {
        b.iter(|| black_box(filled(1000, false)))
    });
    let a = filled(1000, false);
    c.bench_function("v2 recursive sorted ls of 1000 keys", |b| {
        b.iter(|| {
            black_box(a.read(&req(KeysRequest {
                path: "/".into(),
                recursive: true,
                sorted: true,
                ..Default::default()
            })))
        })
    });
    c.bench_function("v2 watch scanning 1000 events", |b| {
        b.iter(|| {
            black_box(a.read(&req(KeysRequest {
                path: "/nothing".into(),
                wait: true,
                since: 1,
                ..Default::default()
            })))
        })
    });
    c.bench_function("v2 expire 1000 TTL keys in one SYNC", |b| {
        b.iter_batched(
            || filled(1000, true),
            |mut a| black_box(a.apply(&V2Request::sync(T0 + 2_000_000_000))),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
