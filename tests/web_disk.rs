//! The IndexedDB member disk in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown --test web_disk`): a member's journaled writes land in its stores
//! and read back as the same disk — append, a conflicting tail overwritten, a snapshot,
//! compaction, a reopen — and a damaged record is reported, never a panic. A snapshot the
//! members share is stored once and deleted once no member names it; a snapshot stored whole
//! by schema 2 still reads.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use etcd_playground::persist::idb as disk_idb;
use etcd_playground::persist::{record, Disk, MemoryDisk, SharedSnapshots};
use etcd_playground::raft::{Entry, HardState, Snapshot};
use etcd_playground::ui::storage;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn e(index: u64, term: u64) -> Entry {
    Entry {
        index,
        term,
        data: format!("payload {index}").into_bytes().into(),
        ..Default::default()
    }
}

async fn flush(db: &idb::Database, member: &str, disk: &mut MemoryDisk) {
    let f = disk.drain_journal();
    disk_idb::write(db, member, &f, &SharedSnapshots::default())
        .expect("issue")
        .commit
        .await
        .expect("commit");
}

/// The keys the shared snapshot store holds.
async fn shared_keys(db: &idb::Database) -> Vec<String> {
    let tx = db
        .transaction(&[disk_idb::SHARED_STORE], idb::TransactionMode::ReadOnly)
        .unwrap();
    let keys = tx
        .object_store(disk_idb::SHARED_STORE)
        .unwrap()
        .get_all_keys(None, None)
        .unwrap()
        .await
        .unwrap();
    keys.iter().filter_map(JsValue::as_string).collect()
}

/// Empties the shared snapshot store.
async fn clear_shared(db: &idb::Database) {
    let tx = db
        .transaction(&[disk_idb::SHARED_STORE], idb::TransactionMode::ReadWrite)
        .unwrap();
    tx.object_store(disk_idb::SHARED_STORE)
        .unwrap()
        .clear()
        .unwrap();
    tx.commit().unwrap().await.unwrap();
}

/// Writes raw records, `(store, key, value)`, in one transaction: what an older schema or a
/// damaged store left behind.
async fn put_raw(db: &idb::Database, records: &[(&str, &str, JsValue)]) {
    let stores: Vec<&str> = records.iter().map(|(store, _, _)| *store).collect();
    let tx = db
        .transaction(&stores, idb::TransactionMode::ReadWrite)
        .unwrap();
    for (store, key, value) in records {
        tx.object_store(store)
            .unwrap()
            .put(value, Some(&JsValue::from_str(key)))
            .unwrap();
    }
    tx.commit().unwrap().await.unwrap();
}

fn bytes_of(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

fn snapshot(index: u64, fill: u8) -> Snapshot {
    let mut s = Snapshot {
        data: vec![fill; 100_000].into(),
        ..Default::default()
    };
    s.metadata.index = index;
    s.metadata.term = 2;
    s.metadata.conf_state.voters = vec![1, 2, 3];
    s
}

async fn fresh(name: &str) -> idb::Database {
    let db = storage::open(name).await.expect("open");
    storage::clear_all(&db).await.expect("clear");
    db
}

#[wasm_bindgen_test]
async fn the_member_disk_round_trips_through_indexeddb() {
    let name = "etcd-playground-test-disk";
    let db = fresh(name).await;
    let mut d = MemoryDisk::new();
    d.start_journal(true);
    // Append.
    d.append(&[e(1, 1), e(2, 1), e(3, 1), e(4, 1)]).unwrap();
    d.set_hard_state(HardState {
        term: 1,
        vote: 7,
        commit: 2,
    })
    .unwrap();
    flush(&db, "infra1", &mut d).await;
    let got = disk_idb::load(&db, "infra1").await.unwrap();
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.state, d.load());
    // A conflicting, shorter tail replaces the old one (from the leader of term 2, whose term
    // the member has stored first, as Raft does).
    d.set_hard_state(HardState {
        term: 2,
        vote: 0,
        commit: 2,
    })
    .unwrap();
    d.append(&[e(3, 2)]).unwrap();
    flush(&db, "infra1", &mut d).await;
    assert_eq!(disk_idb::load(&db, "infra1").await.unwrap().state, d.load());
    assert_eq!(d.load().entries.len(), 3);
    // A snapshot drops what it covers; compaction drops more.
    d.append(&[e(4, 2), e(5, 2), e(6, 2), e(7, 2)]).unwrap();
    let mut snap = Snapshot {
        data: vec![9; 1000].into(),
        ..Default::default()
    };
    snap.metadata.index = 4;
    snap.metadata.term = 2;
    snap.metadata.conf_state.voters = vec![1];
    d.save_snapshot(&snap).unwrap();
    d.compact(5).unwrap();
    flush(&db, "infra1", &mut d).await;
    let got = disk_idb::load(&db, "infra1").await.unwrap();
    assert_eq!(got.state, d.load());
    assert_eq!(got.state.entries, vec![e(6, 2), e(7, 2)]);
    // The other members' stores are untouched.
    assert!(!disk_idb::load(&db, "infra2").await.unwrap().found);
    db.close();

    // Reopen: the same disk.
    let db = storage::open(name).await.expect("reopen");
    let got = disk_idb::load(&db, "infra1").await.unwrap();
    assert_eq!(got.state, d.load());
    assert!(got.state.validate().is_ok());
    db.close();
}

/// Three members at one snapshot: one shared record, each member's store names it, each
/// reads it back; when they all move on, the old record is deleted — only once the last
/// member no longer names it.
#[wasm_bindgen_test]
async fn a_snapshot_the_members_share_is_stored_once() {
    let db = fresh("etcd-playground-test-shared").await;
    let shared = Rc::new(RefCell::new(SharedSnapshots::default()));
    let members = ["infra1", "infra2", "infra3"];
    let mut disks: Vec<MemoryDisk> = members.iter().map(|_| MemoryDisk::new()).collect();
    for d in &mut disks {
        d.start_journal(true);
        d.append(&[e(1, 1), e(2, 1), e(3, 1), e(4, 2), e(5, 2)])
            .unwrap();
        d.set_hard_state(HardState {
            term: 2,
            vote: 1,
            commit: 5,
        })
        .unwrap();
    }
    // One member at a time, as the page takes held-back snapshots.
    let store_at = |index: u64, fill: u8, disks: &mut Vec<MemoryDisk>| {
        let mut flushes = Vec::new();
        for (m, d) in members.iter().zip(disks.iter_mut()) {
            d.save_snapshot(&snapshot(index, fill)).unwrap();
            flushes.push((m.to_string(), d.drain_journal()));
        }
        flushes
    };
    for (m, f) in store_at(4, 7, &mut disks) {
        storage::flush(&db, &shared, vec![(m, f)], None, false, &[])
            .await
            .expect("commit");
        assert!(storage::delete_unnamed(&db, &shared).is_none());
    }
    let first = shared_keys(&db).await;
    assert_eq!(first.len(), 1, "{first:?}");
    let stored = storage::load_all(&db).await.unwrap();
    for (m, d) in members.iter().zip(&disks) {
        let got = &stored.disks[*m];
        assert!(got.problems.is_empty(), "{m}: {:?}", got.problems);
        assert_eq!(got.names.as_deref(), Some(first[0].as_str()));
        assert_eq!(got.state, d.load(), "{m}");
    }
    assert_eq!(stored.shared_snapshots(), shared.borrow().clone());
    // The next snapshot: the old record stays until the last member names the new one.
    let next = store_at(5, 8, &mut disks);
    for (i, (m, f)) in next.into_iter().enumerate() {
        storage::flush(&db, &shared, vec![(m, f)], None, false, &[])
            .await
            .expect("commit");
        match storage::delete_unnamed(&db, &shared) {
            Some(deleting) => {
                assert_eq!(i, 2, "deleted while a member named it");
                deleting.await.expect("delete");
            }
            None => assert!(i < 2),
        }
        assert_eq!(shared_keys(&db).await.len(), if i < 2 { 2 } else { 1 });
    }
    let stored = storage::load_all(&db).await.unwrap();
    assert!(stored.damaged().is_empty(), "{:?}", stored.damaged());
    assert_eq!(stored.disks["infra3"].state.snapshot.metadata.index, 5);
    db.close();
}

/// A snapshot stored whole in the member's store (schema 2) still reads; a member store
/// naming a record that is not there is a damaged disk, never a panic.
#[wasm_bindgen_test]
async fn a_whole_snapshot_reads_and_a_missing_record_is_reported() {
    let db = fresh("etcd-playground-test-shared-old").await;
    let s = snapshot(4, 3);
    let hs = HardState {
        term: 2,
        vote: 1,
        commit: 4,
    };
    put_raw(
        &db,
        &[
            (
                "infra1.hardstate",
                "hardstate",
                bytes_of(&record::encode_hard_state(&hs)),
            ),
            (
                "infra1.snapshot",
                "snapshot",
                bytes_of(&record::encode_snapshot(&s)),
            ),
            (
                "infra2.snapshot",
                "snapshot",
                JsValue::from_str("4-2-deadbeef-100"),
            ),
        ],
    )
    .await;
    let stored = storage::load_all(&db).await.unwrap();
    assert_eq!(stored.disks["infra1"].state.snapshot, s);
    assert!(
        stored.disks["infra1"].problems.is_empty(),
        "{:?}",
        stored.disks["infra1"].problems
    );
    let damaged = stored.damaged();
    assert_eq!(damaged.len(), 1, "{damaged:?}");
    assert!(
        damaged[0]
            .1
            .contains("the snapshot: its record 4-2-deadbeef-100 is missing"),
        "{damaged:?}"
    );
    db.close();
}

/// A database of schema 2 (member snapshots stored whole, no shared store) opens as schema 3:
/// the upgrade adds the shared store, and the member's snapshot reads as before.
#[wasm_bindgen_test]
async fn a_schema_2_database_upgrades_in_place() {
    let name = "etcd-playground-test-schema2";
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
    let mut open = factory.open(name, Some(2)).unwrap();
    open.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().unwrap();
        for m in ["infra1", "infra2", "infra3"] {
            disk_idb::create_stores(&db, m).unwrap();
        }
    });
    let db = open.await.unwrap();
    let s = snapshot(4, 5);
    let hs = HardState {
        term: 2,
        vote: 1,
        commit: 4,
    };
    put_raw(
        &db,
        &[
            (
                "infra3.snapshot",
                "snapshot",
                bytes_of(&record::encode_snapshot(&s)),
            ),
            (
                "infra3.hardstate",
                "hardstate",
                bytes_of(&record::encode_hard_state(&hs)),
            ),
        ],
    )
    .await;
    assert!(!db.store_names().iter().any(|n| n == disk_idb::SHARED_STORE));
    db.close();

    let db = storage::open(name).await.expect("upgrade");
    assert!(db.store_names().iter().any(|n| n == disk_idb::SHARED_STORE));
    let stored = storage::load_all(&db).await.unwrap();
    assert!(stored.damaged().is_empty(), "{:?}", stored.damaged());
    assert_eq!(stored.disks["infra3"].state.snapshot, s);
    assert_eq!(stored.disks["infra3"].names, None);
    db.close();
}

/// The page does not read a database its open created (a first visit): what it takes instead,
/// `Stored::created`, is what the read would have found. An open of a database that exists,
/// even an empty one of an older schema, is not a creation.
#[wasm_bindgen_test]
async fn a_database_just_created_reads_as_stored_created() {
    let name = "etcd-playground-test-created";
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
    let opened = storage::open_lab(name).await.expect("create");
    assert!(opened.created);
    let stored = storage::load_all(&opened.db).await.unwrap();
    assert_eq!(stored, storage::Stored::created());
    opened.db.close();

    let opened = storage::open_lab(name).await.expect("reopen");
    assert!(!opened.created);
    opened.db.close();

    factory.delete(name).unwrap().await.unwrap();
    factory.open(name, Some(1)).unwrap().await.unwrap().close();
    let opened = storage::open_lab(name).await.expect("upgrade from 1");
    assert!(!opened.created);
    opened.db.close();
}

/// A transaction whose requests fail one after another (as every put does on a full disk)
/// ends as one aborted write, its reason given, and leaves no handler that throws on the
/// later failures.
#[wasm_bindgen_test]
async fn a_transaction_with_many_failed_requests_is_one_aborted_write() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let db = fresh("etcd-playground-test-failing").await;
    let window = web_sys::window().unwrap();
    let thrown = Rc::new(RefCell::new(Vec::<String>::new()));
    let seen = thrown.clone();
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let message = js_sys::Reflect::get(&e, &"message".into()).unwrap_or_default();
        seen.borrow_mut().push(format!("{message:?}"));
    });
    window
        .add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    let tx = db
        .transaction(&["infra1.snapshot"], idb::TransactionMode::ReadWrite)
        .unwrap();
    let store = tx.object_store("infra1.snapshot").unwrap();
    let key = JsValue::from_str("snapshot");
    for _ in 0..4 {
        // (the second and later adds of one key fail with ConstraintError)
        let _ = store.add(&JsValue::from_str("x"), Some(&key)).unwrap();
    }
    let ended = disk_idb::commit_watched(tx, "test".to_string())
        .unwrap()
        .await;
    match ended {
        Err(disk_idb::WriteError::Other(why)) => {
            assert!(
                why.starts_with("test: the transaction was aborted"),
                "{why}"
            );
            assert!(why.contains("ConstraintError"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    // (the later request errors are dispatched before the abort; give them a turn anyway)
    let later = js_sys::Promise::new(&mut |res, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&res, 50);
    });
    wasm_bindgen_futures::JsFuture::from(later).await.unwrap();
    window
        .remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    assert!(thrown.borrow().is_empty(), "{:?}", thrown.borrow());
    db.close();
}

#[wasm_bindgen_test]
async fn a_damaged_record_is_reported_not_a_panic() {
    let name = "etcd-playground-test-damage";
    let db = fresh(name).await;
    let mut d = MemoryDisk::new();
    d.start_journal(true);
    d.append(&[e(1, 1), e(2, 1), e(3, 1)]).unwrap();
    flush(&db, "infra2", &mut d).await;
    // Overwrite entry 2 with a string and the hard state with flipped bytes.
    let tx = db
        .transaction(
            &["infra2.entries", "infra2.hardstate"],
            idb::TransactionMode::ReadWrite,
        )
        .unwrap();
    tx.object_store("infra2.entries")
        .unwrap()
        .put(&JsValue::from_str("garbage"), Some(&JsValue::from_f64(2.0)))
        .unwrap();
    tx.object_store("infra2.hardstate")
        .unwrap()
        .put(
            &js_sys::Uint8Array::from(&[1u8, 2, 3, 4, 5][..]).into(),
            Some(&JsValue::from_str("hardstate")),
        )
        .unwrap();
    tx.commit().unwrap().await.unwrap();
    let got = disk_idb::load(&db, "infra2").await.unwrap();
    assert_eq!(got.problems.len(), 2, "{:?}", got.problems);
    assert!(got.problems.iter().any(|p| p.contains("entry 2")));
    assert!(got.problems.iter().any(|p| p.contains("checksum")));
    // What could be read is kept (for "export what can be read").
    assert_eq!(got.state.entries.len(), 2);
    // The world restarts that member empty: the others' disks are read fine.
    let stored = storage::load_all(&db).await.unwrap();
    assert_eq!(stored.damaged().len(), 1);
    assert!(!stored.usable_disks().contains_key("infra2"));
    db.close();
}

/// Issue 23's recovery guarantee in wasm: the forged-store property (`forged::run`: every
/// open of a damaged or forged store ends, never panics, and brings the cluster up or says
/// why) over inputs drawn from a fixed seed, with the slowest open printed (a measurement for
/// the closing notes and `make bench-web`, never an assertion on time).
#[wasm_bindgen_test]
fn forged_stores_open_or_say_why_in_wasm() {
    use etcd_playground::playground::session::forged::run;
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        // xorshift64: a fixed sequence, the same on every run
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut slowest, mut total) = (0.0f64, 0.0f64);
    let cases = 40;
    for _ in 0..cases {
        let len = (next() % 40) as usize;
        let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let t0 = js_sys::Date::now();
        run(&data);
        let ms = js_sys::Date::now() - t0;
        slowest = slowest.max(ms);
        total += ms;
    }
    console_log!(
        "forged stores: {cases} opens in wasm, slowest {slowest:.0} ms, mean {:.0} ms",
        total / f64::from(cases)
    );
}

/// One flush of three members whose logs hold the same entries (one allocation each, as the
/// members' logs share them) encodes each record once for all of them; a member whose entry
/// at an index differs (another term, other data) gets its own record. Each reads back as
/// its own disk.
#[wasm_bindgen_test]
async fn members_sharing_entries_in_one_flush_read_back_their_own_logs() {
    let db = fresh("etcd-playground-test-shared-entries").await;
    let shared = Rc::new(RefCell::new(SharedSnapshots::default()));
    let common = vec![e(1, 1), e(2, 1), e(3, 2), e(4, 2)];
    let members = ["infra1", "infra2", "infra3"];
    let mut disks: Vec<MemoryDisk> = members.iter().map(|_| MemoryDisk::new()).collect();
    for (i, d) in disks.iter_mut().enumerate() {
        d.start_journal(true);
        let mut log = common.clone();
        if i == 2 {
            // the same index with another term and data (a tail a new leader overwrites)
            log[3] = Entry {
                data: b"another leader's entry".to_vec().into(),
                ..e(4, 3)
            };
        }
        d.append(&log).unwrap();
        d.set_hard_state(HardState {
            term: 3,
            vote: 1,
            commit: 2,
        })
        .unwrap();
    }
    let flushes: Vec<_> = members
        .iter()
        .zip(disks.iter_mut())
        .map(|(m, d)| (m.to_string(), d.drain_journal()))
        .collect();
    storage::flush(&db, &shared, flushes, None, false, &[])
        .await
        .expect("commit");
    let stored = storage::load_all(&db).await.unwrap();
    for (m, d) in members.iter().zip(&disks) {
        let got = &stored.disks[*m];
        assert!(got.problems.is_empty(), "{m}: {:?}", got.problems);
        assert_eq!(got.state, d.load(), "{m}");
    }
    assert_eq!(stored.disks["infra3"].state.entries[3].term, 3);
    assert_eq!(stored.disks["infra1"].state.entries[3].term, 2);
}

/// A flush larger than a slice reaches IndexedDB over several tasks (the page paints between
/// them): the first slice of each member in the flush's own task, the rest from the success
/// of the slice before. Each member's write still lands whole, and a flush issued right
/// after it in the same task (a new leader's conflicting tail) lands after it.
#[wasm_bindgen_test]
async fn a_large_flush_is_issued_in_slices_and_lands_whole_and_in_order() {
    let db = fresh("etcd-playground-test-slices").await;
    let shared = Rc::new(RefCell::new(SharedSnapshots::default()));
    let members = ["infra1", "infra2", "infra3"];
    // 40 entries of 300 kB: 12 MB a member, three slices or more each
    let big = |index: u64, term: u64| Entry {
        index,
        term,
        data: vec![index as u8; 300_000].into(),
        ..Default::default()
    };
    let log: Vec<Entry> = (1..=40).map(|i| big(i, 1)).collect();
    let mut disks: Vec<MemoryDisk> = members.iter().map(|_| MemoryDisk::new()).collect();
    for d in disks.iter_mut() {
        d.start_journal(true);
        d.append(&log).unwrap();
        d.set_hard_state(HardState {
            term: 1,
            vote: 1,
            commit: 40,
        })
        .unwrap();
    }
    let drain = |disks: &mut Vec<MemoryDisk>| -> Vec<(String, etcd_playground::persist::Flush)> {
        members
            .iter()
            .zip(disks.iter_mut())
            .map(|(m, d)| (m.to_string(), d.drain_journal()))
            .collect()
    };
    let first = drain(&mut disks);
    // infra3 then takes a conflicting tail from a leader of term 2 (in a later flush)
    disks[2]
        .set_hard_state(HardState {
            term: 2,
            vote: 2,
            commit: 30,
        })
        .unwrap();
    disks[2]
        .append(&[Entry {
            data: b"term 2".to_vec().into(),
            ..big(31, 2)
        }])
        .unwrap();
    let second = drain(&mut disks);
    let before = disk_idb::slices_issued();
    let landing = storage::flush(&db, &shared, first, None, false, &[]);
    assert_eq!(
        disk_idb::slices_issued() - before,
        3,
        "one slice a member in the flush's own task"
    );
    let after = storage::flush(&db, &shared, second, None, false, &[]);
    landing.await.expect("commit");
    after.await.expect("commit");
    let slices = disk_idb::slices_issued() - before;
    let per_member = 12_000_000 / disk_idb::SLICE_BYTES;
    assert!(slices >= 3 * per_member + 3, "{slices} slices");
    let stored = storage::load_all(&db).await.unwrap();
    for (m, d) in members.iter().zip(&disks) {
        let got = &stored.disks[*m];
        assert!(got.problems.is_empty(), "{m}: {:?}", got.problems);
        assert_eq!(got.state, d.load(), "{m}");
    }
    assert_eq!(stored.disks["infra3"].state.entries.len(), 31);
    assert_eq!(stored.disks["infra1"].state.entries.len(), 40);
    db.close();
}

/// A shared snapshot record is read in parts (its data copied straight into the snapshot):
/// it reads back whole, and a damaged, truncated or foreign record is reported for the member
/// that names it, never a panic.
#[wasm_bindgen_test]
async fn a_shared_record_read_in_parts_reads_whole_and_reports_damage() {
    let db = fresh("etcd-playground-test-shared-parts").await;
    let s = snapshot(4, 7);
    let rec = record::encode_snapshot(&s);
    let key = etcd_playground::persist::shared::key(&s, &rec);
    let mut flipped = rec.clone();
    flipped[5000] ^= 1;
    let other = record::encode_snapshot(&snapshot(4, 8));
    put_raw(
        &db,
        &[
            (disk_idb::SHARED_STORE, key.as_str(), bytes_of(&rec)),
            (
                disk_idb::SHARED_STORE,
                "4-2-00000001-100",
                bytes_of(&flipped),
            ),
            (
                disk_idb::SHARED_STORE,
                "4-2-00000002-3",
                bytes_of(&rec[..3]),
            ),
            (disk_idb::SHARED_STORE, "4-2-00000003-9", bytes_of(&other)),
            ("infra1.snapshot", "snapshot", JsValue::from_str(&key)),
            (
                "infra2.snapshot",
                "snapshot",
                JsValue::from_str("4-2-00000001-100"),
            ),
            (
                "infra3.snapshot",
                "snapshot",
                JsValue::from_str("4-2-00000002-3"),
            ),
        ],
    )
    .await;
    let stored = storage::load_all(&db).await.unwrap();
    assert_eq!(stored.disks["infra1"].state.snapshot, s);
    let problems = |m: &str| stored.disks[m].problems.join("; ");
    assert!(
        problems("infra2").contains("checksum mismatch"),
        "{}",
        problems("infra2")
    );
    assert!(
        problems("infra3").contains("too short"),
        "{}",
        problems("infra3")
    );
    // a record under another snapshot's key
    put_raw(
        &db,
        &[(
            "infra3.snapshot",
            "snapshot",
            JsValue::from_str("4-2-00000003-9"),
        )],
    )
    .await;
    let stored = storage::load_all(&db).await.unwrap();
    let p = stored.disks["infra3"].problems.join("; ");
    assert!(p.contains("holds another snapshot"), "{p}");
    db.close();
}

/// A shared record longer than `PART_BYTES` is stored in parts and reads back as the
/// snapshot; a record stored whole under such a key (as before records had parts) still
/// reads; a missing part is a damaged disk, never a panic; deleting the record deletes its
/// parts.
#[wasm_bindgen_test]
async fn a_long_shared_record_is_stored_in_parts() {
    let db = fresh("etcd-playground-test-long-record").await;
    let shared = Rc::new(RefCell::new(SharedSnapshots::default()));
    let mut long = snapshot(4, 7);
    // (not one byte repeated: a part out of order would not read back)
    long.data = (0..2 * disk_idb::PART_BYTES + 123)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    let mut disk = MemoryDisk::new();
    disk.start_journal(true);
    disk.append(&[e(1, 1), e(2, 1), e(3, 1), e(4, 2), e(5, 2)])
        .unwrap();
    disk.set_hard_state(HardState {
        term: 2,
        vote: 1,
        commit: 5,
    })
    .unwrap();
    disk.save_snapshot(&long).unwrap();
    storage::flush(
        &db,
        &shared,
        vec![("infra1".into(), disk.drain_journal())],
        None,
        false,
        &[],
    )
    .await
    .expect("commit");
    let rec = record::encode_snapshot(&long);
    let key = etcd_playground::persist::shared::key(&long, &rec);
    assert_eq!(disk_idb::parts_of(&key), 3);
    let parts: Vec<String> = (0..3).map(|i| disk_idb::part_key(&key, i)).collect();
    assert_eq!(shared_keys(&db).await, parts);
    let stored = storage::load_all(&db).await.unwrap();
    assert!(stored.damaged().is_empty(), "{:?}", stored.damaged());
    assert_eq!(stored.disks["infra1"].state, disk.load());
    // the bookkeeping knows the record by its key, not its parts'
    assert_eq!(stored.shared_snapshots(), shared.borrow().clone());

    // stored whole under the same key, as earlier builds did: it reads the same
    clear_shared(&db).await;
    put_raw(
        &db,
        &[(disk_idb::SHARED_STORE, key.as_str(), bytes_of(&rec))],
    )
    .await;
    let stored = storage::load_all(&db).await.unwrap();
    assert!(stored.damaged().is_empty(), "{:?}", stored.damaged());
    assert_eq!(stored.disks["infra1"].state.snapshot, long);

    // in parts again, the middle one lost
    clear_shared(&db).await;
    let cut = disk_idb::PART_BYTES;
    put_raw(
        &db,
        &[
            (
                disk_idb::SHARED_STORE,
                parts[0].as_str(),
                bytes_of(&rec[..cut]),
            ),
            (
                disk_idb::SHARED_STORE,
                parts[2].as_str(),
                bytes_of(&rec[2 * cut..]),
            ),
        ],
    )
    .await;
    let stored = storage::load_all(&db).await.unwrap();
    let p = stored.disks["infra1"].problems.join("; ");
    assert!(p.contains("missing its part 1 (of 3)"), "{p}");

    // deleted as a record no member names: every part goes
    disk_idb::delete_shared(&db, std::slice::from_ref(&key))
        .expect("issue")
        .await
        .expect("delete");
    assert!(shared_keys(&db).await.is_empty());
    db.close();
}
