//! The snapshot file `etcdctl snapshot save` writes and `status`/`restore` read: the member's
//! bbolt database as the member streams it, followed by the SHA-256 of those bytes (etcd
//! appends it to the stream; etcdctl keeps it in the file). A file copied from a data
//! directory (`member/snap/db`) is the database alone.
//!
//! `status` reads the file as etcd's `snapshot.Status` does: bbolt's integrity check, then
//! a CRC-32 (Castagnoli) over every bucket's name, keys and values, the revision of the last
//! `key` entry, the pairs counted, and the database's size.
//!
//! Files written by earlier versions of the playground (a text header and the member's state)
//! still read.
//!
//! Owns: [`SnapshotFile`]. Must not touch: what the buckets mean (the member's side).

use crc::{Crc, CRC_32_ISCSI};
use sha2::{Digest, Sha256};

use super::printer::DbStatus;
use crate::bbolt::Db;

/// The header of the playground's earlier snapshot files.
const LEGACY_MAGIC: &[u8] = b"etcd-playground snapshot v1\n";

const SHA_LEN: usize = 32;

/// A snapshot file's contents, as read.
pub enum SnapshotFile<'a> {
    /// A bbolt database and the hash after it, if any.
    Bolt { db: &'a [u8], sha: Option<&'a [u8]> },
    /// An earlier playground file: revision, keys, size, and the member's state.
    Legacy {
        rev: i64,
        keys: i64,
        size: i64,
        blob: &'a [u8],
    },
}

/// The file `snapshot save` writes for the database `db`.
pub fn encode(mut db: Vec<u8>) -> Vec<u8> {
    let sha = Sha256::digest(&db);
    db.extend_from_slice(&sha);
    db
}

fn legacy(data: &[u8]) -> Option<SnapshotFile<'_>> {
    let rest = data.strip_prefix(LEGACY_MAGIC)?;
    let nl = rest.iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&rest[..nl]).ok()?;
    let mut it = line.split(' ');
    Some(SnapshotFile::Legacy {
        rev: it.next()?.parse().ok()?,
        keys: it.next()?.parse().ok()?,
        size: it.next()?.parse().ok()?,
        blob: &rest[nl + 1..],
    })
}

impl<'a> SnapshotFile<'a> {
    /// The file's parts: etcd takes the last 32 bytes for a hash when the size is 32 past a
    /// multiple of 512.
    pub fn read(data: &'a [u8]) -> SnapshotFile<'a> {
        if let Some(l) = legacy(data) {
            return l;
        }
        if data.len() % 512 == SHA_LEN {
            let (db, sha) = data.split_at(data.len() - SHA_LEN);
            SnapshotFile::Bolt { db, sha: Some(sha) }
        } else {
            SnapshotFile::Bolt {
                db: data,
                sha: None,
            }
        }
    }

    /// `snapshot status`: what the file holds, or etcd's error.
    pub fn status(&self) -> Result<DbStatus, String> {
        match self {
            SnapshotFile::Legacy {
                rev, keys, size, ..
            } => Ok(DbStatus {
                hash: 0,
                revision: *rev,
                total_key: *keys,
                total_size: *size,
            }),
            SnapshotFile::Bolt { db, .. } => bolt_status(db),
        }
    }

    /// The database `snapshot restore` copies into the data directory, after etcd's hash
    /// check; Err: etcd's refusal.
    pub fn restore_db(&self, skip_hash_check: bool) -> Result<&'a [u8], String> {
        match *self {
            SnapshotFile::Legacy { blob, .. } => Ok(blob),
            SnapshotFile::Bolt { db, sha } => match sha {
                None if !skip_hash_check => {
                    Err("snapshot missing hash but --skip-hash-check=false".into())
                }
                Some(sha) if !skip_hash_check => {
                    let got = Sha256::digest(db);
                    if got.as_slice() != sha {
                        return Err(format!(
                            "expected sha256 {}, got {}",
                            go_bytes(sha),
                            go_bytes(&got)
                        ));
                    }
                    Ok(db)
                }
                _ => Ok(db),
            },
        }
    }
}

/// A byte slice as Go's `%v` prints it: `[100 149 19]`.
fn go_bytes(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(" "))
}

/// etcd's `snapshot.Status` over a bbolt file.
fn bolt_status(data: &[u8]) -> Result<DbStatus, String> {
    let db = Db::open(data)?;
    let errors = db.check()?;
    if !errors.is_empty() {
        return Err(format!(
            "snapshot file integrity check failed. {} errors found.\n{}",
            errors.len(),
            errors.join("\n")
        ));
    }
    let crc = Crc::<u32>::new(&CRC_32_ISCSI);
    let mut h = crc.digest();
    let mut st = DbStatus {
        total_size: i64::try_from(db.size()).unwrap_or(i64::MAX),
        ..DbStatus::default()
    };
    for b in db.root()? {
        if !b.bucket {
            return Err(format!(
                "cannot get hash of bucket {}",
                String::from_utf8_lossy(b.key)
            ));
        }
        h.update(b.key);
        let is_key = b.key == b"key";
        for e in db.nested(&b)? {
            h.update(e.key);
            if !e.bucket {
                h.update(e.value);
            }
            if is_key && e.key.len() >= 8 {
                let mut main = [0u8; 8];
                main.copy_from_slice(&e.key[..8]);
                st.revision = i64::from_be_bytes(main);
            }
            st.total_key += 1;
        }
    }
    st.hash = h.finalize();
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &[u8] = include_bytes!("../bbolt/testdata/etcd-3.4.23-small.db");
    const BIG: &[u8] = include_bytes!("../bbolt/testdata/etcd-3.4.23-big.db");

    fn status(data: &[u8]) -> Result<DbStatus, String> {
        SnapshotFile::read(data).status()
    }

    #[test]
    fn the_status_real_etcdctl_printed_for_real_snapshots() {
        let s = status(SMALL).unwrap();
        assert_eq!(
            (s.hash, s.revision, s.total_key, s.total_size),
            (3293791613, 7, 14, 24576)
        );
        let s = status(BIG).unwrap();
        assert_eq!(
            (s.hash, s.revision, s.total_key, s.total_size),
            (1634331198, 308, 316, 126976)
        );
        // a copy of a data directory's db (no hash) reads the same
        let s = status(&SMALL[..SMALL.len() - 32]).unwrap();
        assert_eq!(s.hash, 3293791613);
    }

    #[test]
    fn restore_checks_the_hash_as_etcd_does() {
        let f = SnapshotFile::read(SMALL);
        assert_eq!(f.restore_db(false).unwrap().len(), SMALL.len() - 32);
        let mut bad = SMALL.to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        let e = SnapshotFile::read(&bad).restore_db(false).unwrap_err();
        assert!(e.starts_with("expected sha256 [100 149 19 3 "), "{e}");
        assert!(e.ends_with(" 41 189 215 57], got [100 149 19 3 149 179 43 172 235 31 144 251 137 35 15 77 220 144 119 215 237 154 96 2 42 157 208 77 41 189 215 56]"), "{e}");
        assert!(SnapshotFile::read(&bad).restore_db(true).is_ok());
        let nohash = &SMALL[..SMALL.len() - 32];
        assert_eq!(
            SnapshotFile::read(nohash).restore_db(false).unwrap_err(),
            "snapshot missing hash but --skip-hash-check=false"
        );
        assert!(SnapshotFile::read(nohash).restore_db(true).is_ok());
    }

    #[test]
    fn files_that_are_not_snapshots() {
        assert_eq!(status(b"hello\n").unwrap_err(), "invalid database");
        let mut v = SMALL.to_vec();
        v[0x5008] = 7;
        assert!(status(&v).is_err());
    }
}
