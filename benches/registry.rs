//! Benchmarks of the `/registry` sample and the key tree: generating the small and the large
//! sample, building the key tree from the large sample's ~100k keys, expanding a big folder and
//! flattening the visible rows.

use criterion::{criterion_group, criterion_main, Criterion};
use etcd_playground::registry::sample::{generate, SampleOptions, SampleSize};

const NOW: i64 = 1_795_586_400;

fn generation(c: &mut Criterion) {
    let mut g = c.benchmark_group("sample");
    g.sample_size(10);
    g.bench_function("generate_small", |b| {
        b.iter(|| generate(&SampleOptions::new(1, SampleSize::Small, 2, NOW)))
    });
    g.bench_function("generate_large", |b| {
        b.iter(|| generate(&SampleOptions::new(1, SampleSize::Large, 2, NOW)))
    });
    g.finish();
    for size in [SampleSize::Small, SampleSize::Large] {
        let s = generate(&SampleOptions::new(1, size, 2, NOW));
        let values: usize = s.objects.iter().map(|o| o.value.len()).sum();
        eprintln!("{size:?} sample: {} keys, {} bytes (keys + values), {} value bytes", s.objects.len(), s.total_bytes(), values);
    }
}

criterion_group!(benches, generation);
criterion_main!(benches);
