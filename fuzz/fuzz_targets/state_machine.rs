//! cargo-fuzz target: arbitrary bytes as a sequence of requests against the state machine
//! (`cargo +nightly fuzz run state_machine`). The interpreter is
//! `etcd_playground::server::apply::fuzz::run`; `tests/fuzz_ops.rs` runs the same interpreter
//! on random bytes with stable Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcd_playground::server::apply::fuzz::run(data);
});
