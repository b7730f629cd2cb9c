//! Replays the etcd 3.5.1 corpus (`../shared/conformance-3.5/public/` and `public-new/`, and
//! this crate's scenarios recorded from etcd 3.5.1 in `tests/scenarios35/`) through `etcdplay --etcd 3.5 transcript` with that corpus's own `check.py`, prints the
//! per-file pass counts, and enforces the ratchet in `tests/conformance35_passing.txt` (as
//! `tests/conformance.rs` does for 3.4.23).

#[path = "support/ratchet.rs"]
mod ratchet;

use std::path::PathBuf;

#[test]
fn conformance_transcripts_3_5() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance-3.5");
    if !dir.join("public").is_dir() {
        eprintln!("skipped: {} not found", dir.display());
        return;
    }
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios35");
    let files = ratchet::scenario_files(&[dir.join("public"), dir.join("public-new"), own]);
    // check.py splits --bin like a shell: the flag goes with the program
    let bin = format!("{} --etcd 3.5", env!("CARGO_BIN_EXE_etcdplay"));
    let Some(text) = ratchet::run_check(&dir.join("check.py"), &bin, &files) else {
        eprintln!("skipped: python3 not available");
        return;
    };
    println!("{}", text);
    let got = ratchet::parse_counts(&text);
    let errors = ratchet::broken(
        &ratchet::ratchet(include_str!("conformance35_passing.txt")),
        &got,
    );
    assert!(
        errors.is_empty(),
        "3.5 conformance ratchet broken:\n{}",
        errors.join("\n")
    );
}
