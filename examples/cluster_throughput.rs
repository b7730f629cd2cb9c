//! Runs a fixed workload (200 batches of 1000 puts to a three-member world in run-until-idle
//! mode) so that `perf stat -e task-clock` can give committed puts per CPU-second even on a
//! loaded machine: `perf stat -e task-clock cargo run --release --example cluster_throughput`.

//!
//! For wasm: `cargo build --profile bench --no-default-features --target wasm32-unknown-unknown
//! --example cluster_throughput`, then call the exported `run_batches(n)` from node (see
//! `benches/wasm_throughput.mjs`); it returns the number of committed puts.

use std::time::Duration;

use etcd_playground::api::{PutRequest, Request};
use etcd_playground::sim::World;

/// Runs `batches` batches of 1000 puts; returns how many committed.
#[no_mangle]
pub extern "C" fn run_batches(batches: u32) -> u32 {
    let mut w = World::new(1);
    w.set_trace(false);
    let mut done = 0u32;
    for round in 0..batches {
        let mut calls = Vec::with_capacity(1000);
        for i in 0..1000u32 {
            let req = Request::Put(PutRequest {
                key: format!("key-{}", i % 128).into_bytes(),
                value: format!("value-{round}-{i}").into_bytes(),
                ..Default::default()
            });
            if let Ok(c) = w.submit("127.0.0.1:2379", None, req) {
                calls.push(c);
            }
        }
        w.run_until_idle(Duration::from_secs(60));
        for c in calls {
            if matches!(w.take_answer(c), Some(Ok(_))) {
                done += 1;
            }
        }
    }
    done
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;
    let batches: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
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
    println!(
        "{done} committed puts in {secs:.3} s wall = {:.0} puts/s (wall clock)",
        done as f64 / secs
    );
}
