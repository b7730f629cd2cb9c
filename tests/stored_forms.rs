//! The stored form of the MVCC store does not change under the code: bytes written by an
//! earlier version (tests/stored/, written by the store as of commit a1df853, before the bucket
//! became an append log with per-key chains) read back into the same store, and today's store
//! writes the very same bytes, in postcard (IndexedDB snapshots, snapshot files) and JSON.

use etcd_playground::mvcc::{KvStore, RangeEnd, RangeOptions, TxnWrite};

/// The operations the stored files were written from.
fn build() -> KvStore {
    let mut s = KvStore::new();
    for i in 0..40u32 {
        let mut t = TxnWrite::new(&mut s);
        let k = format!("k{}", i % 7);
        t.put(
            k.as_bytes(),
            format!("value-{i}-{}", "x".repeat((i as usize * 3) % 25)).as_bytes(),
            i64::from(i % 3),
        );
        if i % 5 == 0 {
            t.put(b"txn/a", b"1", 0);
            t.put(b"txn/b", b"2", 0);
        }
        t.end();
        if i % 9 == 4 {
            let mut t = TxnWrite::new(&mut s);
            t.delete_range(format!("k{}", i % 4).as_bytes(), RangeEnd::Single);
            t.end();
        }
        if i == 25 {
            let mut t = TxnWrite::new(&mut s);
            t.delete_range(b"txn/", RangeEnd::Until(b"txn0"));
            t.end();
        }
        if i == 30 {
            s.compact(20).unwrap();
        }
    }
    s
}

#[test]
fn earlier_stored_stores_read_back_and_are_written_the_same() {
    let s = build();
    assert_eq!((s.rev(), s.revision_count()), (46, 44));
    let postcard_bytes = include_bytes!("stored/kvstore-before-chain.postcard");
    let json = include_str!("stored/kvstore-before-chain.json");
    let from_postcard: KvStore = postcard::from_bytes(postcard_bytes).unwrap();
    let from_json: KvStore = serde_json::from_str(json).unwrap();
    assert_eq!(from_postcard, s);
    assert_eq!(from_json, s);
    assert_eq!(postcard::to_allocvec(&s).unwrap(), postcard_bytes.to_vec());
    assert_eq!(serde_json::to_string(&s).unwrap(), json);
    // Reads in the past walk the restored chains the same way.
    for rev in 20..=46 {
        let ro = RangeOptions {
            rev,
            ..RangeOptions::default()
        };
        assert_eq!(
            from_postcard.range(b"\0", RangeEnd::Open, ro),
            s.range(b"\0", RangeEnd::Open, ro),
            "at {rev}"
        );
    }
    assert_eq!(from_postcard.hash_by_rev(0), s.hash_by_rev(0));
}
