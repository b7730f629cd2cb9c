//! The conformance ratchet shared by `tests/conformance.rs` (etcd 3.4.23) and
//! `tests/conformance35.rs` (etcd 3.5.1): runs a corpus's `check.py` over scenario files
//! with `etcdplay` as the simulator, reads its `PASS|FAIL NAME (k/n)` lines, and compares
//! them with a ratchet file (`NAME.txt K/N` per line): a scenario that passed must still
//! pass, and no count may drop.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `NAME.txt` -> (matched, total) from check.py's `PASS|FAIL NAME (k/n)` lines.
pub fn parse_counts(out: &str) -> BTreeMap<String, (u32, u32)> {
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

/// A ratchet file's text: `NAME.txt K/N` per line (`#` comments).
pub fn ratchet(text: &str) -> BTreeMap<String, (u32, u32)> {
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
        if let (Ok(k), Ok(n)) = (k.parse(), n.parse()) {
            m.insert(name.to_string(), (k, n));
        }
    }
    m
}

/// The `*.txt` files of `dirs` (missing folders skipped), sorted.
pub fn scenario_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        if let Ok(more) = std::fs::read_dir(dir) {
            files.extend(more.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    files.retain(|p| p.extension().map(|x| x == "txt").unwrap_or(false));
    files.sort();
    files
}

/// Runs `check.py --bin BIN FILES` and returns its stdout (None: python3 is missing).
pub fn run_check(check_py: &Path, bin: &str, files: &[PathBuf]) -> Option<String> {
    let out = Command::new("python3")
        .arg(check_py)
        .arg("--bin")
        .arg(bin)
        .args(files)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What broke the ratchet `expected` in the counts `got` (empty: nothing).
pub fn broken(
    expected: &BTreeMap<String, (u32, u32)>,
    got: &BTreeMap<String, (u32, u32)>,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, &(k, n)) in expected {
        match got.get(name) {
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
    errors
}
