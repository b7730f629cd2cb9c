//! How a member's records are stored as bytes: a CRC-32C of the body (as etcd's WAL checks
//! each record), then the body in postcard. Decoding never panics: a record that is too
//! short, fails its checksum, or does not decode is a [`RecordError`] value.
//!
//! Owns: the byte format of entry, hard-state and snapshot records. Must not touch: where
//! they are kept.

use crc::{Crc, Table, CRC_32_ISCSI};
use serde::{de::DeserializeOwned, Serialize};

use crate::raft::{Entry, HardState, Snapshot};

// Slice-by-16 tables: the same checksums, several times faster on the ~120 kB entries and
// ~120 MB snapshots of the large /registry sample.
const CASTAGNOLI: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC_32_ISCSI);

/// Why a stored record cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// Not bytes at all (something else was stored under the key).
    NotBytes,
    TooShort(usize),
    Checksum {
        stored: u32,
        computed: u32,
    },
    Decode(String),
    /// An entry stored under one index says it has another.
    WrongIndex {
        key: u64,
        index: u64,
    },
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::NotBytes => write!(f, "the record is not a byte array"),
            RecordError::TooShort(n) => write!(f, "the record is {n} bytes, too short"),
            RecordError::Checksum { stored, computed } => write!(
                f,
                "checksum mismatch (stored {stored:08x}, computed {computed:08x})"
            ),
            RecordError::Decode(e) => write!(f, "cannot decode: {e}"),
            RecordError::WrongIndex { key, index } => {
                write!(f, "stored at index {key} but holds entry {index}")
            }
        }
    }
}

/// The record: four bytes for the checksum, then the body serialised right behind them (into
/// a buffer of about the right size, so a 140 MB snapshot is not copied again or regrown).
pub(super) fn encode<T: Serialize>(v: &T, size_hint: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint.saturating_add(4 + 64));
    out.extend_from_slice(&[0; 4]);
    let mut out = match crate::api::bytes::postcard_append(v, out) {
        Ok(out) => out,
        Err(_) => vec![0; 4],
    };
    let sum = CASTAGNOLI.checksum(&out[4..]).to_le_bytes();
    out[..4].copy_from_slice(&sum);
    out
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, RecordError> {
    let (Some(sum), Some(body)) = (bytes.get(..4), bytes.get(4..)) else {
        return Err(RecordError::TooShort(bytes.len()));
    };
    let stored = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
    let computed = CASTAGNOLI.checksum(body);
    if stored != computed {
        return Err(RecordError::Checksum { stored, computed });
    }
    postcard::from_bytes(body).map_err(|e| RecordError::Decode(e.to_string()))
}

pub fn encode_entry(e: &Entry) -> Vec<u8> {
    encode(e, e.data.len())
}

/// Decodes the entry stored under index `key`.
pub fn decode_entry(key: u64, bytes: &[u8]) -> Result<Entry, RecordError> {
    let e: Entry = decode(bytes)?;
    if e.index != key {
        return Err(RecordError::WrongIndex {
            key,
            index: e.index,
        });
    }
    Ok(e)
}

pub fn encode_hard_state(hs: &HardState) -> Vec<u8> {
    encode(hs, 0)
}

pub fn decode_hard_state(bytes: &[u8]) -> Result<HardState, RecordError> {
    decode(bytes)
}

pub fn encode_snapshot(s: &Snapshot) -> Vec<u8> {
    encode(s, s.data.len())
}

pub fn decode_snapshot(bytes: &[u8]) -> Result<Snapshot, RecordError> {
    decode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout stored records have always had: CRC-32C (little endian) of the postcard body,
    /// then the body.
    #[test]
    fn layout_is_checksum_then_postcard_body() {
        let e = Entry {
            index: 9,
            term: 3,
            data: vec![7u8; 300].into(),
            ..Default::default()
        };
        let body = postcard::to_allocvec(&e).unwrap();
        let mut want = CASTAGNOLI.checksum(&body).to_le_bytes().to_vec();
        want.extend_from_slice(&body);
        assert_eq!(encode_entry(&e), want);
        let hs = HardState::default();
        let body = postcard::to_allocvec(&hs).unwrap();
        assert_eq!(encode_hard_state(&hs)[4..], body[..]);
    }

    #[test]
    fn round_trips_and_detects_damage() {
        let e = Entry {
            index: 7,
            term: 2,
            data: vec![1, 2, 3].into(),
            ..Default::default()
        };
        let mut b = encode_entry(&e);
        assert_eq!(decode_entry(7, &b), Ok(e.clone()));
        assert!(matches!(
            decode_entry(8, &b),
            Err(RecordError::WrongIndex { .. })
        ));
        let last = b.len() - 1;
        b[last] ^= 0xff;
        assert!(matches!(
            decode_entry(7, &b),
            Err(RecordError::Checksum { .. })
        ));
        assert_eq!(decode_hard_state(&[1, 2]), Err(RecordError::TooShort(2)));
        // Every prefix of a record is refused without a panic.
        let b = encode_snapshot(&Snapshot::default());
        for n in 0..b.len() {
            assert!(decode_snapshot(&b[..n]).is_err());
        }
    }
}
