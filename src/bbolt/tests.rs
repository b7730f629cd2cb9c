use super::*;

const SMALL: &[u8] = include_bytes!("testdata/etcd-3.4.23-small.db");
const BIG: &[u8] = include_bytes!("testdata/etcd-3.4.23-big.db");

fn names(db: &Db<'_>) -> Vec<String> {
    db.root()
        .unwrap()
        .iter()
        .map(|e| String::from_utf8_lossy(e.key).into_owned())
        .collect()
}

#[test]
fn reads_a_real_etcd_snapshot() {
    let db = Db::open(SMALL).unwrap();
    assert_eq!(db.size(), 24576);
    assert_eq!(
        names(&db),
        [
            "alarm",
            "auth",
            "authRoles",
            "authUsers",
            "cluster",
            "key",
            "lease",
            "members",
            "members_removed",
            "meta"
        ]
    );
    let keys = db.bucket(b"key").unwrap().unwrap();
    assert_eq!(keys.len(), 6);
    assert_eq!(keys[3].key.last(), Some(&b't'));
    let cluster = db.bucket(b"cluster").unwrap().unwrap();
    assert_eq!(cluster[0].value, b"3.4.0");
    assert_eq!(db.check().unwrap(), Vec::<String>::new());
    assert_eq!(db.bucket(b"nope").unwrap(), None);
}

#[test]
fn reads_branch_and_overflow_pages() {
    let db = Db::open(BIG).unwrap();
    assert_eq!(db.size(), 126976);
    let keys = db.bucket(b"key").unwrap().unwrap();
    assert!(keys.windows(2).all(|w| w[0].key < w[1].key));
    assert!(keys.iter().any(|e| e.value.len() > PAGE_SIZE));
    let total: usize = db
        .root()
        .unwrap()
        .iter()
        .map(|b| db.nested(b).unwrap().len())
        .sum();
    assert_eq!(total, 316);
    assert_eq!(db.check().unwrap(), Vec::<String>::new());
}

fn sample(n: usize, value_len: usize) -> Vec<Bucket> {
    let mut key = Bucket::new("key");
    for i in 0..n {
        key.put(
            format!("{i:08}").as_bytes(),
            &vec![b'a' + (i % 26) as u8; value_len + i % 7],
        );
    }
    let mut meta = Bucket::new("meta");
    meta.put(b"consistent_index", &7u64.to_be_bytes());
    vec![meta, key, Bucket::new("alarm")]
}

/// Every bucket's name and pairs.
type Contents = Vec<(Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>)>;

fn all(db: &Db<'_>) -> Contents {
    db.root()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b.key.to_vec(),
                db.nested(b)
                    .unwrap()
                    .iter()
                    .map(|e| (e.key.to_vec(), e.value.to_vec()))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn what_is_written_reads_back_and_passes_the_check() {
    for (n, len) in [(0, 0), (3, 10), (500, 100), (20_000, 30), (40, 9000)] {
        let buckets = sample(n, len);
        let file = write(&buckets, 0, 0);
        let db = Db::open(&file).unwrap();
        assert_eq!(db.check().unwrap(), Vec::<String>::new(), "{n} x {len}");
        assert_eq!(db.size() as usize, file.len());
        let read = all(&db);
        assert_eq!(read.len(), 3);
        assert_eq!(read[0].0, b"alarm");
        assert!(read[0].1.is_empty());
        let key = &read[1].1;
        assert_eq!(key.len(), n);
        for (i, (k, v)) in key.iter().enumerate() {
            assert_eq!(k, format!("{i:08}").as_bytes());
            assert_eq!(v.len(), len + i % 7);
        }
    }
}

#[test]
fn a_real_snapshot_written_again_reads_the_same() {
    let real = Db::open(BIG).unwrap();
    let mut buckets = Vec::new();
    for b in real.root().unwrap() {
        let mut nb = Bucket::new(std::str::from_utf8(b.key).unwrap());
        for e in real.nested(&b).unwrap() {
            nb.put(e.key, e.value);
        }
        buckets.push(nb);
    }
    let file = write(&buckets, real.size() as usize, 0);
    assert_eq!(file.len() as u64, real.size());
    let again = Db::open(&file).unwrap();
    assert_eq!(all(&again), all(&real));
    assert_eq!(again.check().unwrap(), Vec::<String>::new());
}

#[test]
fn small_buckets_are_inline_as_bbolt_keeps_them() {
    let file = write(&sample(3, 10), 0, 0);
    // meta, meta, the root leaf holding all three buckets inline
    assert_eq!(file.len(), 3 * PAGE_SIZE);
}

#[test]
fn pairs_are_sorted_and_the_last_put_wins() {
    let mut b = Bucket::new("b");
    b.put(b"z", b"1");
    b.put(b"a", b"2");
    b.put(b"z", b"3");
    let file = write(&[b], 0, 0);
    let db = Db::open(&file).unwrap();
    let got: Vec<_> = db
        .bucket(b"b")
        .unwrap()
        .unwrap()
        .iter()
        .map(|e| (e.key.to_vec(), e.value.to_vec()))
        .collect();
    assert_eq!(
        got,
        [
            (b"a".to_vec(), b"2".to_vec()),
            (b"z".to_vec(), b"3".to_vec())
        ]
    );
}

#[test]
fn free_pages_pad_the_file_to_the_size_asked() {
    let file = write(&sample(10, 10), 10 * PAGE_SIZE + 1, 0);
    assert_eq!(file.len(), 11 * PAGE_SIZE);
    let db = Db::open(&file).unwrap();
    assert_eq!(db.check().unwrap(), Vec::<String>::new());
}

#[test]
fn bbolts_errors_for_files_that_are_not_databases() {
    assert_eq!(Db::open(b"hello\n").unwrap_err(), "invalid database");
    assert_eq!(Db::open(&[7u8; 10000]).unwrap_err(), "invalid database");
    let mut v = SMALL.to_vec();
    v[0x14] = 3;
    v[0x1014] = 3;
    assert_eq!(Db::open(&v).unwrap_err(), "version mismatch");
    let mut v = SMALL.to_vec();
    v[0x20] = 7;
    v[0x1020] = 9;
    assert_eq!(Db::open(&v).unwrap_err(), "checksum error");
    // one meta page damaged: the other is used
    let mut v = SMALL.to_vec();
    v[0x20] = 7;
    assert!(Db::open(&v).is_ok());
    assert_eq!(Db::open(&SMALL[..5000]).unwrap_err(), "file size too small");
}

#[test]
fn a_page_left_out_is_found_by_the_check() {
    let mut file = write(&sample(2000, 50), 0, 0);
    // a freelist page that frees nothing, and a page after it that nothing reaches
    let pages = file.len() / PAGE_SIZE;
    let mut fl = vec![0u8; PAGE_SIZE];
    fl[0..8].copy_from_slice(&(pages as u64).to_le_bytes());
    fl[8..10].copy_from_slice(&FREELIST_PAGE.to_le_bytes());
    file.extend_from_slice(&fl);
    file.extend_from_slice(&[0u8; PAGE_SIZE]);
    for m in 0..2 {
        let at = m * PAGE_SIZE + PAGE_HEADER;
        file[at + 32..at + 40].copy_from_slice(&(pages as u64).to_le_bytes());
        file[at + 40..at + 48].copy_from_slice(&(pages as u64 + 2).to_le_bytes());
        let sum = fnv64a(&file[at..at + META_SUMMED]);
        file[at + META_SUMMED..at + META_SUMMED + 8].copy_from_slice(&sum.to_le_bytes());
    }
    let errs = Db::open(&file).unwrap().check().unwrap();
    assert_eq!(errs, [format!("page {}: unreachable unfreed", pages + 1)]);
}

#[test]
fn damaged_files_give_errors_never_a_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let base = write(&sample(300, 40), 0, 0);
    for round in 0..3000 {
        let mut v = if round % 2 == 0 {
            base.clone()
        } else {
            BIG.to_vec()
        };
        for _ in 0..rng.gen_range(1..8) {
            let at = rng.gen_range(0..v.len());
            v[at] = rng.gen();
        }
        if round % 5 == 0 {
            v.truncate(rng.gen_range(0..v.len()));
        }
        if let Ok(db) = Db::open(&v) {
            let _ = db.check();
            if let Ok(root) = db.root() {
                for b in root {
                    let _ = db.nested(&b);
                }
            }
        }
    }
}

#[test]
fn a_tree_that_loops_is_an_error() {
    let mut file = write(&sample(2000, 50), 0, 0);
    let db = Db::open(&file).unwrap();
    let key = db
        .root()
        .unwrap()
        .into_iter()
        .find(|e| e.key == b"key")
        .unwrap();
    let root = u64::from_le_bytes(key.value[..8].try_into().unwrap()) as usize;
    // the key bucket's root is a branch page: make its first child point back at it
    let at = root * PAGE_SIZE;
    assert_eq!(file[at + 8], BRANCH_PAGE as u8);
    file[at + PAGE_HEADER + 8..at + PAGE_HEADER + 16].copy_from_slice(&(root as u64).to_le_bytes());
    let db = Db::open(&file).unwrap();
    assert!(db.bucket(b"key").unwrap_err().contains("loops"));
    assert!(db.check().is_err());
}
