//! Puts into one MVCC store that keeps every revision and is never compacted, printing the
//! time per put for each 2 M puts: how the store behaves as its history grows (the criterion
//! benchmark `benches/mvcc.rs` instead starts each sample from a fresh copy of the store).
//!
//! `cargo run --release --no-default-features --example mvcc_put_growth -- KEYS [SEGMENTS]`

use std::time::Instant;

use etcd_playground::mvcc::{KvStore, TxnWrite};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000)
        .max(1);
    let segments: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let keys: Vec<Vec<u8>> = (0..n).map(|i| format!("key/{i:06}").into_bytes()).collect();
    let value = vec![b'v'; 16];
    let mut s = KvStore::new();
    for k in &keys {
        let mut t = TxnWrite::new(&mut s);
        t.put(k, &value, 0);
        t.end_quiet();
    }
    let mut i = 0;
    print!("{n} keys, ns per put for each 2M puts:");
    for _ in 0..segments {
        let start = Instant::now();
        for _ in 0..2_000_000 {
            let mut t = TxnWrite::new(&mut s);
            t.put(&keys[i % n], &value, 0);
            t.end_quiet();
            i += 1;
        }
        print!(" {:.0}", start.elapsed().as_nanos() as f64 / 2e6);
    }
    println!(" ({} revisions)", s.revision_count());
}
