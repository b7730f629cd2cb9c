//! The file format of the data-driven scenario tests, as etcd's raft library has it in its
//! `testdata/*.txt`: each case is a command line, its input lines (if any), a `----` line
//! and the expected output up to the next blank line. `#` lines and blank lines are kept.
//!
//! [`check_dir`] runs every `*.txt` file of a folder and compares; with `REWRITE=1` in the
//! environment it writes what the commands printed back into the files instead (review the
//! diff!). Owns only the format: what a command means is the caller's.

use std::path::{Path, PathBuf};

/// Runs one file's commands in order (`run(command, input)` returns the output, each line
/// ended by `\n`) and returns the file as it should read.
pub fn rewrite(text: &str, mut run: impl FnMut(&str, &[String]) -> String) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim().is_empty() || l.starts_with('#') {
            out.push_str(l);
            out.push('\n');
            i += 1;
            continue;
        }
        let mut input = Vec::new();
        i += 1;
        while i < lines.len() && lines[i] != "----" {
            input.push(lines[i].to_string());
            i += 1;
        }
        i += 1; // ----
        while i < lines.len() && !lines[i].is_empty() {
            i += 1;
        }
        let got = run(l, &input);
        out.push_str(l);
        out.push('\n');
        for l in &input {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str("----\n");
        out.push_str(&got);
    }
    out
}

/// The `*.txt` files of a folder, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// Runs every file of `dir` through `run_file(path, text) -> text as it should read`, and
/// fails with the first differing line of each file that differs (or rewrites the files
/// under `REWRITE=1`). Returns how many files ran.
pub fn check_dir(dir: &Path, mut run_file: impl FnMut(&Path, &str) -> String) -> usize {
    let files = files(dir);
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    let mut failures = Vec::new();
    for f in &files {
        let orig = std::fs::read_to_string(f).unwrap();
        let got = run_file(f, &orig);
        if std::env::var_os("REWRITE").is_some() {
            if got != orig {
                std::fs::write(f, &got).unwrap();
            }
        } else if orig != got {
            let first = orig
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| orig.lines().count().min(got.lines().count()));
            failures.push(format!(
                "{}: first difference at line {}\n--- expected\n{}\n--- got\n{}",
                f.display(),
                first + 1,
                orig.lines().nth(first).unwrap_or("(end of file)"),
                got.lines().nth(first).unwrap_or("(end of output)")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(REWRITE=1 rewrites the expected outputs)",
        failures.join("\n\n")
    );
    files.len()
}
