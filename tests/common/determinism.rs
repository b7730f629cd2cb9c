//! A fixed script of console lines with faults in between, and a digest of everything it
//! produced: every output, and each member's Raft state and the world's clock at the end.
//! `tests/determinism.rs` (native) and `tests/web.rs` (wasm, in Chromium) both compare it with
//! `tests/determinism/expected.txt`, so the same seed and inputs give the same history on both.

use etcd_playground::playground::Playground;

pub const SEED: u64 = 7;

pub const SCRIPT: &[&str] = &[
    "etcdctl put a 1",
    "etcdctl put b 2",
    "etcdctl lease grant 5",
    "stop infra1",
    "advance 3s",
    "etcdctl --endpoints=127.0.0.1:22379 put c 3",
    "start infra1",
    "advance 2s",
    "loss 30",
    "etcdctl --endpoints=127.0.0.1:32379 put d 4",
    "advance 2s",
    "heal",
    "loss 0",
    "advance 6s",
    "etcdctl --endpoints=127.0.0.1:22379 get '' --prefix -w json",
    "etcdctl endpoint status --cluster -w json",
    "etcdctl lease list",
];

/// Runs the script on a fresh playground and renders what happened as text.
pub fn run() -> String {
    let mut p = Playground::new(SEED);
    let mut out = String::new();
    for line in SCRIPT {
        let o = p.run(line, None);
        out.push_str(&format!("$ {line}\n{}", o.stdout));
        for l in o.stderr.lines() {
            out.push_str(&format!("! {l}\n"));
        }
        if o.exit != 0 {
            out.push_str(&format!("? {}\n", o.exit));
        }
    }
    let w = p.world();
    out.push_str(&format!("# now {:?}\n", w.now()));
    for m in w.member_views() {
        out.push_str(&format!(
            "# {} {} term={} vote={:x} commit={} applied={} last={}\n",
            m.name,
            m.role.name(),
            m.term,
            m.vote,
            m.commit,
            m.applied,
            m.last_index
        ));
    }
    out
}
