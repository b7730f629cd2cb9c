//! `etcdctl migrate` (etcd 3.4; gone in 3.5): the v2 keys of a stopped member's data
//! directory written into its v3 backend, as etcd's default transformer makes them (key
//! without the v2 store's `/1`, value, create and mod revision from the v2 indexes, version
//! 1, no lease), and the backend's consistent index moved up to the WAL's last index. The
//! store and the membership's log come from the cluster ([`Cluster::migrate_wal`]: the WAL
//! is the member's format); this file does the files, the backend and the messages.
//!
//! Owns: migrate's steps, order and texts. Must not touch: the WAL's format, bbolt's layout.

use super::Ctx;
use crate::bbolt::{self, Bucket, Db};
use crate::etcdctl::printer_protobuf::key_value;
use crate::etcdctl::{Fail, EXIT_ERROR};

/// etcd's revision key: main revision, `_`, sub revision, big-endian.
fn revision_key(main: u64) -> Vec<u8> {
    let mut k = main.to_be_bytes().to_vec();
    k.push(b'_');
    k.extend_from_slice(&0u64.to_be_bytes());
    k
}

/// A value of a bucket.
fn lookup(d: &Db, bucket: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    let pairs = d.bucket(bucket).ok()??;
    pairs
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.to_vec())
}

/// The backend `db` (or a new one) with the migrated keys and consistent index.
fn migrated_db(
    db: Option<&[u8]>,
    keys: &[crate::api::v2::NodeExtern],
    index: u64,
) -> Result<Vec<u8>, Fail> {
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut old_index = 0;
    let invalid = |_| Fail::new(EXIT_ERROR, "file is not a valid bolt database");
    if let Some(data) = db {
        let d = Db::open(data).map_err(invalid)?;
        buckets = bbolt::buckets_of(&d).map_err(invalid)?;
        old_index = lookup(&d, b"meta", b"consistent_index")
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map_or(0, u64::from_be_bytes);
    }
    for name in ["key", "meta"] {
        if !buckets.iter().any(|b| b.name == name.as_bytes()) {
            buckets.push(Bucket::new(name));
        }
    }
    for b in buckets.iter_mut() {
        if b.name == b"key" {
            for n in keys {
                let kv = crate::api::KeyValue {
                    key: n.key.as_bytes().to_vec(),
                    create_revision: n.created_index as i64,
                    mod_revision: n.modified_index as i64,
                    version: 1,
                    value: n.value.clone().unwrap_or_default().into_bytes(),
                    lease: 0,
                };
                b.put(&revision_key(n.modified_index), &key_value(&kv));
            }
        }
    }
    // mvcc.UpdateConsistentIndex: only ever up
    if let Some(meta) = buckets.iter_mut().find(|b| b.name == b"meta") {
        if index > old_index {
            meta.put(b"consistent_index", &index.to_be_bytes());
        }
    }
    Ok(bbolt::write(&buckets, db.map_or(0, <[u8]>::len), 0))
}

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let transformer = ctx.flags.str("transformer");
    if !transformer.is_empty() {
        // etcdctl starts the program first; the playground runs no programs of its own
        let msg = if ctx.files.exists(&transformer) {
            format!("fork/exec {transformer}: the playground does not run transformer programs")
        } else {
            format!("fork/exec {transformer}: no such file or directory")
        };
        return Err(Fail::new(EXIT_ERROR, msg));
    }
    ctx.io.outln("using default transformer");
    let data_dir = ctx.flags.str("data-dir");
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{}/{b}", a.trim_end_matches('/'))
        }
    };
    let snap_dir = join(&data_dir, "member/snap");
    let wal_dir = match ctx.flags.str("wal-dir") {
        w if w.is_empty() => join(&data_dir, "member/wal"),
        w => w.trim_end_matches('/').to_string(),
    };
    let err = |m: String| Fail::new(EXIT_ERROR, m);
    let snaps = ctx
        .files
        .list(&snap_dir)
        .map_err(|e| err(format!("open {snap_dir}: {e}")))?;
    let snap_found = snaps.iter().any(|n| n.ends_with(".snap"));
    let wals = ctx
        .files
        .list(&wal_dir)
        .map_err(|e| err(format!("open {wal_dir}: {e}")))?;
    // wal's readWALNames, through the example logger
    for n in wals.iter().filter(|n| !n.ends_with(".wal")) {
        ctx.io.outln(&format!(
            "{{\"level\":\"warn\",\"msg\":\"ignored file in WAL directory\",\"path\":{}}}",
            crate::etcdctl::client::json_str(n)
        ));
    }
    let Some(wal_name) = wals.iter().find(|n| n.ends_with(".wal")) else {
        return Err(err("wal: file not found".to_string()));
    };
    let wal = ctx
        .files
        .read(&format!("{wal_dir}/{wal_name}"))
        .map_err(|e| err(format!("open {wal_dir}/{wal_name}: {e}")))?;
    let m = ctx.cluster.migrate_wal(&wal, snap_found).map_err(err)?;
    for l in &m.log {
        ctx.io.outln(l);
    }
    let db_path = format!("{snap_dir}/db");
    if ctx.files.locked(&db_path) {
        ctx.io.errln(&format!(
            "waiting for etcd to close and release its lock on {}",
            crate::etcdctl::client::json_str(&db_path)
        ));
        return Err(err(
            "(the playground stops waiting here: etcd still runs on this data directory; stop it first)"
                .to_string(),
        ));
    }
    let db = ctx.files.read(&db_path).ok();
    let no_ttl = ctx.flags.bool("no-ttl");
    let keys: Vec<_> = m
        .keys
        .iter()
        .flatten()
        .filter(|k| !(no_ttl && k.expiration.is_some()))
        .cloned()
        .collect();
    let new = migrated_db(
        db.as_deref(),
        &keys,
        if m.keys.is_some() { m.index } else { 0 },
    )?;
    ctx.files
        .write(&db_path, &new)
        .map_err(|e| err(format!("open {db_path}: {e}")))?;
    if m.keys.is_none() {
        ctx.io.outln("no v2 keys to migrate");
        return Ok(());
    }
    ctx.io.outln("finished transforming keys");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_land_at_their_v2_index_and_the_index_only_goes_up() {
        let node = |k: &str, v: &str, c: u64, m: u64| crate::api::v2::NodeExtern {
            key: k.to_string(),
            value: Some(v.to_string()),
            created_index: c,
            modified_index: m,
            ..Default::default()
        };
        let db = migrated_db(
            None,
            &[node("/a", "1", 8, 12), node("/d/x", "2", 10, 10)],
            14,
        )
        .unwrap();
        let d = Db::open(&db).unwrap();
        let v = lookup(&d, b"key", &revision_key(12)).unwrap();
        let f = crate::api::proto_wire::fields(&v).unwrap();
        assert_eq!(f.len(), 5, "key, create, mod, version, value; no lease");
        assert_eq!(
            lookup(&d, b"meta", b"consistent_index").unwrap(),
            14u64.to_be_bytes().to_vec()
        );
        let again = migrated_db(Some(&db), &[], 3).unwrap();
        let d = Db::open(&again).unwrap();
        assert_eq!(
            lookup(&d, b"meta", b"consistent_index").unwrap(),
            14u64.to_be_bytes().to_vec()
        );
        assert!(lookup(&d, b"key", &revision_key(10)).is_some());
    }
}
