//! Times a reload of the stored large `/registry` sample natively, step by step: `load k8s
//! large` in a persisting page session, then the session a reload opens from what its storage
//! holds (state and the members' disks), the key tree's first refresh and a first command:
//! `cargo run --profile ci --no-default-features --example reload_large [--snapshots]`.
//! Without `--snapshots` the reload comes at once after the load (the members' logs are
//! replayed, their snapshots still held back); with it, after the held-back snapshots were
//! taken (the members start from them). The page's own figures (IndexedDB included) are
//! `make bench-web`'s.

use std::time::Instant;

use etcd_playground::playground::session::persistence::Found;
use etcd_playground::playground::session::Session;

fn main() {
    let mut s = Session::fresh_page();
    s.start_persisting();
    let t = Instant::now();
    s.run_line("load k8s large");
    println!("load k8s large: {:?}", t.elapsed());
    if std::env::args().any(|a| a == "--snapshots") {
        // (what the page does a moment after the load: the held-back snapshots)
        let t = Instant::now();
        while s.snapshot_one_if_due() {}
        println!("held-back snapshots: {:?}", t.elapsed());
    }
    let t = Instant::now();
    let _ = s.drain_disks();
    println!("drain journals: {:?}", t.elapsed());
    let t = Instant::now();
    let found = Found {
        state: Some(s.state()),
        disks: s.world().disk_states(),
        inputs: s.take_new_inputs().1,
        ..Default::default()
    };
    println!("disk states: {:?}", t.elapsed());
    for (name, d) in &found.disks {
        println!(
            "  {name}: snapshot at {} ({} B), {} entries after it ({} B)",
            d.snapshot.metadata.index,
            d.snapshot.data.len(),
            d.entries.len(),
            d.entries.iter().map(|e| e.data.len()).sum::<usize>()
        );
    }
    let t = Instant::now();
    let (mut again, _) = Session::open(found);
    println!("Session::open: {:?}", t.elapsed());
    let t = Instant::now();
    again.refresh_keyspace(true);
    println!("refresh_keyspace: {:?}", t.elapsed());
    let t = Instant::now();
    again.run_line("etcdctl get /registry --prefix --keys-only --limit 1");
    println!("first get: {:?}", t.elapsed());
}
