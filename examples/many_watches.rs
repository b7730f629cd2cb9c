//! The case of issue 22: `etcdctl watch k &` run W times in one console, then P puts of a
//! 100-byte value to `k`, natively; prints the time the puts took and the process's peak
//! memory (Linux `VmHWM`). Every put fires every watch: each background job keeps a bounded
//! tail of what it printed and says how much it dropped (`background::TAIL_BYTES`).
//! `--take` takes the jobs' output after every command, as the page and the REPL do.
//!
//! `cargo run --release --no-default-features --example many_watches -- [W] [P] [--take]`

use std::time::Instant;

use etcd_playground::playground::Playground;

fn peak_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    l.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let take = args.iter().any(|a| a == "--take");
    let mut nums = args.iter().filter_map(|a| a.parse::<usize>().ok());
    let watches = nums.next().unwrap_or(1000);
    let puts = nums.next().unwrap_or(20_000);
    let mut p = Playground::new(1);
    let start = Instant::now();
    for _ in 0..watches {
        p.run("etcdctl watch k &", None);
    }
    let watched = start.elapsed();
    let value = "v".repeat(100);
    let line = format!("etcdctl put k {value}");
    let start = Instant::now();
    let mut taken = 0usize;
    for _ in 0..puts {
        let out = p.run(&line, None);
        assert_eq!(out.stdout, "OK\n");
        if take {
            for b in p.take_background() {
                taken += b.out.stdout.len();
            }
        }
    }
    let put_time = start.elapsed();
    let kept: usize = p.take_background().iter().map(|b| b.out.stdout.len()).sum();
    println!(
        "{watches} background watches: started in {:.2} s; {puts} puts in {:.2} s ({:.0} µs each); \
         output taken during the puts {:.1} MB, kept at the end {:.1} MB; peak memory {:.0} MB",
        watched.as_secs_f64(),
        put_time.as_secs_f64(),
        put_time.as_secs_f64() * 1e6 / puts.max(1) as f64,
        taken as f64 / 1e6,
        kept as f64 / 1e6,
        peak_kib().unwrap_or(0) as f64 / 1024.0
    );
}
