//! Replays every conformance transcript in `../shared/conformance/public/` (and the
//! scenarios recorded for this crate in `tests/scenarios/` and `tests/scenarios/recorded/`,
//! from real etcd 3.4.23) through
//! `etcdplay transcript` with the corpus's own comparer (`check.py`), prints the per-file
//! pass counts, and enforces the ratchet in `tests/conformance_passing.txt`: every scenario
//! listed as passing must still pass, and no file's count of matching commands may drop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

/// `NAME.txt` -> (matched, total) from check.py's `PASS|FAIL NAME (k/n)` lines.
fn parse_counts(out: &str) -> BTreeMap<String, (u32, u32)> {
    let mut m = BTreeMap::new();
    for l in out.lines() {
        let Some(rest) = l.strip_prefix("PASS ").or_else(|| l.strip_prefix("FAIL ")) else {
            continue;
        };
        let Some((name, counts)) = rest.split_once(" (") else {
            continue;
        };
        let Some((k, n)) = counts.trim_end_matches(')').split_once('/') else {
            continue;
        };
        if let (Ok(k), Ok(n)) = (k.parse(), n.parse()) {
            m.insert(name.to_string(), (k, n));
        }
    }
    m
}

/// The ratchet: `NAME.txt K/N` per line (`#` comments).
fn ratchet() -> BTreeMap<String, (u32, u32)> {
    let text = include_str!("conformance_passing.txt");
    let mut m = BTreeMap::new();
    for l in text.lines() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut it = l.split_whitespace();
        let (Some(name), Some(counts)) = (it.next(), it.next()) else {
            continue;
        };
        let Some((k, n)) = counts.split_once('/') else {
            continue;
        };
        m.insert(name.to_string(), (k.parse().unwrap(), n.parse().unwrap()));
    }
    m
}

#[test]
fn conformance_transcripts() {
    let dir = shared();
    let public = dir.join("public");
    let Ok(entries) = std::fs::read_dir(&public) else {
        eprintln!("skipped: {} not found", public.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    for dir in [own.clone(), own.join("recorded")] {
        if let Ok(more) = std::fs::read_dir(dir) {
            files.extend(more.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    files.retain(|p| p.extension().map(|x| x == "txt").unwrap_or(false));
    files.sort();
    let out = Command::new("python3")
        .arg(dir.join("check.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_etcdplay"))
        .args(&files)
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: python3 not available");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{}", text);
    let got = parse_counts(&text);
    let mut errors = Vec::new();
    for (name, (k, n)) in ratchet() {
        match got.get(&name) {
            None => errors.push(format!("{}: not run", name)),
            Some(&(gk, gn)) => {
                if k == n && gk != gn {
                    errors.push(format!(
                        "{}: passed before ({}/{}), now {}/{}",
                        name, k, n, gk, gn
                    ));
                } else if gk < k {
                    errors.push(format!(
                        "{}: {} commands matched before, now {}",
                        name, k, gk
                    ));
                }
            }
        }
    }
    assert!(
        errors.is_empty(),
        "conformance ratchet broken:\n{}",
        errors.join("\n")
    );
}
