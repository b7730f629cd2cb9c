# Developer shortcuts. `make test` runs every test (the chaos test with 300 seeds);
# `make soak SEEDS=10000` runs more chaos seeds; `make bench` runs the criterion benches.
SEEDS ?= 10000

.PHONY: test soak bench

test:
	cargo test --no-default-features

soak:
	CHAOS_SEEDS=$(SEEDS) cargo test --release --no-default-features --test chaos -- --nocapture

bench:
	cargo bench --no-default-features
