//! Runs a fixed workload (200 batches of 1000 puts to a three-member world in run-until-idle
//! mode) so that `perf stat -e task-clock` can give committed puts per CPU-second even on a
//! loaded machine: `perf stat -e task-clock cargo run --release --example cluster_throughput`.

use std::time::{Duration, Instant};

use etcd_playground::server::api::{PutRequest, Request};
use etcd_playground::sim::World;

fn main() {
    let batches: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut w = World::new(1);
    w.set_trace(false);
    let start = Instant::now();
    let mut done = 0u64;
    for round in 0..batches {
        let mut calls = Vec::with_capacity(1000);
        for i in 0..1000u64 {
            let req = Request::Put(PutRequest {
                key: format!("key-{}", i % 128).into_bytes(),
                value: format!("value-{round}-{i}").into_bytes(),
                ..Default::default()
            });
            calls.push(w.submit("127.0.0.1:2379", None, req).expect("submit"));
        }
        w.run_until_idle(Duration::from_secs(60));
        for c in calls {
            if matches!(w.take_answer(c), Some(Ok(_))) {
                done += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{done} committed puts in {secs:.3} s wall = {:.0} puts/s (wall clock)", done as f64 / secs);
}
