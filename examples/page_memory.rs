//! The memory cases of issue 23 run natively through the page's session (its snapshot
//! interval, its disk journals drained after every line as the page's flush does, its
//! console entries): after each line, the time it took, its entry's output size and the
//! process's peak memory (Linux `VmHWM`) and current memory (`VmRSS`).
//!
//! `cargo run --release --no-default-features --example page_memory -- CASE`, CASE one of
//! `snapshot` (`load k8s large`, `etcdctl snapshot save s.db`), `json` (`load k8s large`,
//! `etcdctl get /registry --prefix -w json`), `reload3` (`load k8s large` then
//! `etcdctl del /registry --prefix`, three times), `watches` (1,000 `etcdctl watch k &`, then
//! 20,000 puts of a 100-byte value to `k`), or any lines separated by `;`. `SHOW=1` prints
//! each entry's output.

use std::time::Instant;

use etcd_playground::playground::session::Session;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let l = s.lines().find(|l| l.starts_with(field))?;
            l.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn lines(case: &str) -> Vec<String> {
    let v: Vec<&str> = match case {
        "snapshot" => vec!["load k8s large", "etcdctl snapshot save s.db"],
        "json" => vec!["load k8s large", "etcdctl get /registry --prefix -w json"],
        "reload3" => ["load k8s large", "etcdctl del /registry --prefix"].repeat(3),
        other => other.split(';').map(str::trim).collect(),
    };
    v.into_iter().map(str::to_string).collect()
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_else(|| "snapshot".into());
    let mut s = Session::fresh_page();
    s.start_persisting();
    if case == "watches" {
        let start = Instant::now();
        for _ in 0..1000 {
            s.run_line("etcdctl watch k &");
        }
        let line = format!("etcdctl put k {}", "v".repeat(100));
        for _ in 0..20_000 {
            s.run_line(&line);
            let _ = s.take_new_inputs();
            let _ = s.drain_disks();
        }
        let kept: usize = s
            .entries()
            .iter()
            .map(|e| e.output.stdout.len() + e.output.stderr.len())
            .sum();
        println!(
            "1000 watches, 20000 puts: {:.1} s; {} entries kept with {} bytes of output; peak {:.0} MB",
            start.elapsed().as_secs_f64(),
            s.entries().len(),
            kept,
            status_kib("VmHWM:") as f64 / 1024.0
        );
        return;
    }
    for line in lines(&case) {
        let start = Instant::now();
        s.run_line(&line);
        let flushed: usize = s.drain_disks().len();
        let took = start.elapsed();
        if std::env::var("SHOW").is_ok() {
            if let Some(e) = s.entries().last() {
                eprint!("{}{}", e.output.stdout, e.output.stderr);
            }
        }
        let out = s
            .entries()
            .last()
            .map_or(0, |e| e.output.stdout.len() + e.output.stderr.len());
        println!(
            "{line}: {:.2} s, entry output {} bytes, {flushed} disks flushed; peak {:.0} MB, now {:.0} MB",
            took.as_secs_f64(),
            out,
            status_kib("VmHWM:") as f64 / 1024.0,
            status_kib("VmRSS:") as f64 / 1024.0,
        );
    }
}
