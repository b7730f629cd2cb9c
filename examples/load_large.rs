//! Loads the large `/registry` sample through a fresh world (what `load k8s --large` does) and
//! times it, then times `etcdctl get /registry --prefix --keys-only --limit 100` on it:
//! `cargo run --profile bench --no-default-features --example load_large`.
//!
//! For wasm: `cargo build --profile bench --no-default-features --target wasm32-unknown-unknown
//! --example load_large`, then `node benches/wasm_load.mjs <the .wasm>` calls the exported
//! `load_large()` (keys loaded) and `get_prefix_limit_100(n)` (n ranges; keys returned).

use std::time::Duration;

use etcd_playground::api::{RangeRequest, Request, Response};
use etcd_playground::sim::World;

static mut WORLD: Option<World> = None;

fn world() -> &'static mut World {
    // Single-threaded example: the one world lives for the whole run.
    #[allow(static_mut_refs)]
    unsafe {
        WORLD.get_or_insert_with(|| {
            let mut w = World::new(1);
            if let Some(n) = snapshot_count() {
                w.set_snapshot_count(n);
            }
            w
        })
    }
}

/// The snapshot count to use: the page's (500) when `SNAPSHOT_COUNT` says so natively.
#[cfg(not(target_arch = "wasm32"))]
fn snapshot_count() -> Option<u64> {
    std::env::var("SNAPSHOT_COUNT").ok()?.parse().ok()
}

#[cfg(target_arch = "wasm32")]
fn snapshot_count() -> Option<u64> {
    None
}

/// Loads the large sample into the example's world; returns the number of keys under
/// /registry afterwards (0 on failure).
#[no_mangle]
pub extern "C" fn load_large() -> u32 {
    let w = world();
    if etcd_playground::playground::load::load_k8s(w, true).is_err() {
        return 0;
    }
    match w.call("127.0.0.1:2379", None, range(true), Duration::from_secs(5)) {
        Ok(Response::Range(r)) => r.count as u32,
        _ => 0,
    }
}

fn range(count_only: bool) -> Request {
    Request::Range(RangeRequest {
        key: b"/registry".to_vec(),
        range_end: b"/registrz".to_vec(),
        limit: 100,
        keys_only: true,
        count_only,
        ..Default::default()
    })
}

/// `get /registry --prefix --keys-only --limit 100`, `n` times; returns the keys returned.
#[no_mangle]
pub extern "C" fn get_prefix_limit_100(n: u32) -> u32 {
    let w = world();
    let mut keys = 0;
    for _ in 0..n {
        if let Ok(Response::Range(r)) =
            w.call("127.0.0.1:2379", None, range(false), Duration::from_secs(5))
        {
            keys += r.kvs.len() as u32;
        }
    }
    keys
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;
    let t = Instant::now();
    let keys = load_large();
    eprintln!("load_sample(large): {keys} keys in {:.2?}", t.elapsed());
    for _ in 0..5 {
        let t = Instant::now();
        let n = get_prefix_limit_100(1);
        eprintln!(
            "get /registry --prefix --keys-only --limit 100: {n} keys in {:.2?}",
            t.elapsed()
        );
    }
}
