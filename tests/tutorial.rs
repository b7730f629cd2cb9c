//! The tutorial's command forms, replayed: `tests/scenarios/tutorial/tutorial.txt` runs on a
//! fresh playground (seed 1) and must print exactly `tutorial.transcript` beside it, hints
//! and kubectl's etcd requests included (`~ ` lines). etcdctl's and etcd's answers there
//! come from real etcdctl/etcd 3.4.23 (`tests/scenarios/recorded/etcdctl-tutorial.*`), the
//! kubectl tables from the seed's Kubernetes sample.
//!
//! After a deliberate change, rewrite the expected file with
//! `BLESS=1 cargo test --no-default-features --test tutorial` and read the diff.

use std::path::PathBuf;

use etcd_playground::transcript::{parse_scenario, run_scenario_with};

#[test]
fn tutorial_transcript() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tutorial");
    let scenario = std::fs::read_to_string(dir.join("tutorial.txt")).unwrap();
    let steps = parse_scenario(&scenario).unwrap();
    let got = run_scenario_with(&steps, 1, true);
    let path = dir.join("tutorial.transcript");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    if got != want {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
        let at = g
            .iter()
            .zip(&w)
            .position(|(a, b)| a != b)
            .unwrap_or(g.len().min(w.len()));
        let cmd = w[..at.min(w.len())]
            .iter()
            .rev()
            .find(|l| l.starts_with("$ "))
            .unwrap_or(&"");
        panic!(
            "tutorial transcript differs at line {} (under `{}`):\n want: {:?}\n have: {:?}",
            at + 1,
            cmd,
            w.get(at),
            g.get(at)
        );
    }
}
