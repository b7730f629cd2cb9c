# etcd-playground — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
SEEDS ?= 10000

.PHONY: run test setup-build setup-test setup-bench build size-check test-native test-wasm test-e2e conformance bench bench-web soak clean

## Install what is missing, build, and serve the playground on http://127.0.0.1:8080
run: setup-build
	trunk serve --release --address 127.0.0.1 --port 8080

## Install what is missing, then every test: native, wasm in headless Chromium, release build and its size budget, end-to-end
test: setup-test
	$(MAKE) test-native
	$(MAKE) test-wasm
	$(MAKE) build
	$(MAKE) size-check
	$(MAKE) test-e2e

setup-build:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

setup-bench:
	@scripts/setup.sh bench

## Release build of the page into dist/
build:
	trunk build --release

## First-visit bytes (gzip) of dist/ against size-budget.json: fails when over the budget
size-check:
	node scripts/size.mjs --check

test-native:
	cargo test --profile ci
	# the first-visit module's own tests (feature lite: the hand-over to the full module)
	cargo test --profile ci --features lite --lib lite_
	cargo run --profile ci --bin etcdplay -- lessons --verify

test-wasm:
	cargo test --target wasm32-unknown-unknown --test web --test web_disk

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

## Conformance against the transcripts of real etcdctl (also part of test-native)
conformance:
	cargo build --release --no-default-features --bin etcdplay
	python3 ../shared/conformance/check.py --bin target/release/etcdplay -v ../shared/conformance/public/*.txt

## Criterion benchmarks (native)
bench:
	cargo bench --no-default-features

## Where the bytes go (first visit, the wasm by crate and function), then scripted runs in headless Chromium against the release build (page load, console, animation, key tree, /registry sample, throttled open and the longest main-thread frames), and the wasm/native throughput ratio
bench-web: setup-bench build
	node tests/bench/bytes.mjs
	cargo build --release --no-default-features --target wasm32-unknown-unknown --example load_large
	node tests/bench/web.mjs
	node tests/bench/ui.mjs
	node tests/bench/registry.mjs
	node tests/bench/memory.mjs
	node tests/bench/frames.mjs
	cargo build --release --no-default-features --example cluster_throughput
	cargo build --release --no-default-features --target wasm32-unknown-unknown --example cluster_throughput
	node tests/bench/ratio.mjs

## Many more chaos seeds than make test runs
soak:
	CHAOS_SEEDS=$(SEEDS) cargo test --profile ci --no-default-features --test chaos -- --nocapture

clean:
	cargo clean; rm -rf dist target/e2e
