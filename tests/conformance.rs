//! Replays every conformance transcript in `../shared/conformance/public/` (and the
//! scenarios recorded for this crate in `tests/scenarios/` and `tests/scenarios/recorded/`,
//! from real etcd 3.4.23) through
//! `etcdplay transcript` with the corpus's own comparer (`check.py`), prints the per-file
//! pass counts, and enforces the ratchet in `tests/conformance_passing.txt`: every scenario
//! listed as passing must still pass, and no file's count of matching commands may drop.

#[path = "support/ratchet.rs"]
mod ratchet;

use std::path::PathBuf;

#[test]
fn conformance_transcripts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    let public = dir.join("public");
    if !public.is_dir() {
        eprintln!("skipped: {} not found", public.display());
        return;
    }
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let files = ratchet::scenario_files(&[public, own.clone(), own.join("recorded")]);
    let Some(text) = ratchet::run_check(
        &dir.join("check.py"),
        env!("CARGO_BIN_EXE_etcdplay"),
        &files,
    ) else {
        eprintln!("skipped: python3 not available");
        return;
    };
    println!("{}", text);
    let got = ratchet::parse_counts(&text);
    let errors = ratchet::broken(
        &ratchet::ratchet(include_str!("conformance_passing.txt")),
        &got,
    );
    assert!(
        errors.is_empty(),
        "conformance ratchet broken:\n{}",
        errors.join("\n")
    );
}
