//! Tests that need a real browser: run by `make test-wasm` in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test web`).
#![cfg(target_arch = "wasm32")]

use etcd_playground::playground::Playground;
use etcd_playground::ui::storage::{self, InputRecord};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn record(line: &str, stdin: Option<&str>) -> InputRecord {
    InputRecord {
        line: line.to_string(),
        stdin: stdin.map(str::to_string),
        at_ms: Some(5500),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_the_inputs_in_order_across_a_reopen() {
    let name = "etcd-playground-test-inputs";
    let db = storage::open(name).await.expect("open");
    storage::clear(&db).await.expect("clear");
    let written = vec![
        record("etcdctl put foo bar", None),
        record("etcdctl put fromstdin", Some("first\nsecond\n")),
        record("etcdctl get foo", None),
    ];
    for r in &written {
        storage::append(&db, r).await.expect("append");
    }
    db.close();

    let db = storage::open(name).await.expect("reopen");
    let loaded = storage::load(&db).await.expect("load");
    assert_eq!(loaded.records, written);
    assert!(loaded.unreadable.is_empty());

    storage::clear(&db).await.expect("clear");
    assert!(storage::load(&db).await.expect("load").records.is_empty());
    db.close();
}

#[wasm_bindgen_test]
fn the_core_answers_in_wasm() {
    let mut p = Playground::new(1);
    assert_eq!(p.run("etcdctl put foo bar", None).stdout, "OK\n");
    assert_eq!(p.run("etcdctl get foo", None).stdout, "foo\nbar\n");
    assert_eq!(
        p.run("etcdctl version", None).stdout,
        "etcdctl version: 3.4.23\nAPI version: 3.4\n"
    );
}

#[path = "common/determinism.rs"]
mod determinism;

#[wasm_bindgen_test]
fn wasm_replays_the_same_history_as_native() {
    assert_eq!(determinism::run(), include_str!("determinism/expected.txt"));
}
