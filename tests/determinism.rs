//! Determinism natively: the fixed script of `common/determinism.rs` gives the recorded history.
//! After a deliberate change of behaviour, re-record with `DETERMINISM_BLESS=1 cargo test --test determinism`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/determinism.rs"]
mod determinism;

const EXPECTED: &str = "tests/determinism/expected.txt";

#[test]
fn the_same_seed_and_inputs_give_the_same_history() {
    let first = determinism::run();
    assert_eq!(first, determinism::run(), "two runs in one process differ");
    if std::env::var_os("DETERMINISM_BLESS").is_some() {
        std::fs::write(EXPECTED, &first).unwrap();
    }
    let expected = std::fs::read_to_string(EXPECTED).unwrap();
    assert_eq!(
        first, expected,
        "history differs from {EXPECTED}; re-record only if the change is intended"
    );
}
