//! cargo-fuzz target: arbitrary bytes as v2 keys requests, deep and long keys among them
//! (`cargo +nightly fuzz run v2_paths`). The interpreter is
//! `etcd_playground::v2store::fuzz::run`; `tests/fuzz_ops.rs` runs it on random bytes with
//! stable Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcd_playground::v2store::fuzz::run(data);
});
