//! cargo-fuzz target: arbitrary bytes as damage to a stored playground, then a page load
//! (`cargo +nightly fuzz run forged_store`). The interpreter is
//! `etcd_playground::playground::session::forged::run`; `tests/forged_store.rs` runs it on
//! random bytes with stable Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcd_playground::playground::session::forged::run(data);
});
