//! The fuzz interpreters (`server::apply::fuzz::run`, `v2store::fuzz::run`) on random byte strings, with stable Rust
//! (cargo-fuzz needs nightly). `FUZZ_CASES=N` sets how many strings (default 2000).

use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..600)) {
        etcd_playground::server::apply::fuzz::run(&data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 10, failure_persistence: None, ..ProptestConfig::default() })]

    /// v2 keys requests with deep and long keys (issue 23): bounded, never a panic.
    #[test]
    fn arbitrary_v2_paths_never_panic(data in prop::collection::vec(any::<u8>(), 0..200)) {
        etcd_playground::v2store::fuzz::run(&data);
    }
}
