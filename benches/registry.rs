//! Benchmarks of the `/registry` sample and the key tree: generating the small and the large
//! sample, building the key tree from the large sample's ~100k keys, expanding a big folder and
//! flattening the visible rows.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use etcd_playground::registry::sample::{generate, SampleOptions, SampleSize};
use etcd_playground::registry::tree::KeyTree;

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
        eprintln!(
            "{size:?} sample: {} keys, {} bytes (keys + values), {} value bytes",
            s.objects.len(),
            s.total_bytes(),
            values
        );
    }
}

fn tree(c: &mut Criterion) {
    let s = generate(&SampleOptions::new(1, SampleSize::Large, 2, NOW));
    // As a range returns them: sorted by key.
    let mut keys: Vec<(&[u8], usize)> = s
        .objects
        .iter()
        .map(|o| (o.key.as_bytes(), o.value.len()))
        .collect();
    keys.sort();
    let mut g = c.benchmark_group("tree");
    g.sample_size(20);
    g.bench_function("build_100k", |b| {
        b.iter(|| KeyTree::from_keys(keys.iter().copied()))
    });
    let base = KeyTree::from_keys(keys.iter().copied());
    // The biggest folder: one namespace's events (~1k keys) and all of /registry/events (~100 folders).
    let events_ns = keys
        .iter()
        .find(|(k, _)| k.starts_with(b"/registry/events/payments-prod/"))
        .map(|_| "/registry/events/payments-prod")
        .unwrap_or("/registry/events");
    g.bench_function("expand_events_namespace_and_flatten", |b| {
        b.iter_batched(
            || base.clone(),
            |mut t| {
                t.reveal(events_ns.as_bytes());
                let n = t.visible_len();
                (t, n)
            },
            BatchSize::LargeInput,
        )
    });
    let mut open = base.clone();
    open.reveal(events_ns.as_bytes());
    eprintln!(
        "visible rows with {events_ns} expanded: {}",
        open.visible_len()
    );
    g.bench_function("toggle_collapsed_folder_and_flatten", |b| {
        let mut t = base.clone();
        t.reveal(b"/registry/pods");
        let id = t.find(b"/registry/pods/kube-system").unwrap();
        b.iter(|| {
            t.toggle(id);
            t.visible_len()
        })
    });
    g.bench_function("window_of_50_rows", |b| {
        b.iter(|| open.window(500, 50).len())
    });
    g.bench_function("filter_100k", |b| {
        let mut t = base.clone();
        b.iter(|| {
            t.set_filter("coredns");
            t.visible_len()
        })
    });
    g.bench_function("resource_summary", |b| {
        b.iter(|| base.resource_summary().len())
    });
    g.finish();
}

fn load(c: &mut Criterion) {
    use etcd_playground::playground::load::load_k8s as load_sample;
    use etcd_playground::sim::World;
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("load_small_through_world", |b| {
        b.iter_batched(
            || World::new(1),
            |mut w| {
                load_sample(&mut w, false).unwrap();
                w
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
    // One timed run of the large load (too slow for criterion's repetitions).
    let mut w = World::new(1);
    let t = std::time::Instant::now();
    let msg = load_sample(&mut w, true);
    eprintln!("load_large_through_world: {:?} in {:.2?}", msg, t.elapsed());
    let t = std::time::Instant::now();
    let argv: Vec<String> = "get pods -A".split(' ').map(String::from).collect();
    let (out, _, _, reqs) = etcd_playground::kubectl::run(&mut w, &argv);
    eprintln!(
        "kubectl get pods -A on the large sample: {} lines, {} etcd requests, {:.2?}",
        out.lines().count(),
        reqs.len(),
        t.elapsed()
    );
}

criterion_group!(benches, generation, tree, load);
criterion_main!(benches);
