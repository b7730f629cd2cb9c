//! How a member's records are stored as bytes: a CRC-32C of the body (as etcd's WAL checks
//! each record), then the body in postcard. Decoding never panics: a record that is too
//! short, fails its checksum, or does not decode is a [`RecordError`] value.
//!
//! Owns: the byte format of entry, hard-state and snapshot records. Must not touch: where
//! they are kept.

use crc::{Crc, Digest, Table, CRC_32_ISCSI};
use serde::{de::DeserializeOwned, Serialize};

use crate::raft::{Entry, HardState, Snapshot};

// Slice-by-16 tables: the same checksums, several times faster on the ~120 kB entries and
// ~120 MB snapshots of the large /registry sample.
static CASTAGNOLI: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC_32_ISCSI);

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

/// Where a snapshot record's parts lie, read from its first [`SNAPSHOT_HEAD`] bytes: a
/// snapshot's body is its data (a length, then the bytes) and then its metadata, so the data
/// can be copied out of a record straight into its own allocation (see
/// [`snapshot_from_parts`]) instead of into a copy of the whole record first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotLayout {
    /// The checksum the record holds.
    pub stored: u32,
    /// The data's length in the body's encoding.
    pub length: Vec<u8>,
    /// The data's place in the record.
    pub data: std::ops::Range<usize>,
}

/// The checksum a record holds (its first four bytes; 0 if it is shorter).
pub fn stored_checksum(record: &[u8]) -> u32 {
    match record.get(..4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// How many bytes of a snapshot record [`snapshot_layout`] needs (fewer if the record is
/// shorter): the checksum and the longest length encoding.
pub const SNAPSHOT_HEAD: usize = 4 + 10;

/// The layout of a snapshot record `len` bytes long whose first bytes are `head`; `None` when
/// it does not parse (then decode the whole record with [`decode_snapshot`], which says why).
pub fn snapshot_layout(head: &[u8], len: usize) -> Option<SnapshotLayout> {
    let stored = u32::from_le_bytes(head.get(..4)?.try_into().ok()?);
    let mut n: u64 = 0;
    for (i, b) in head.get(4..)?.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let start = 4 + i + 1;
            let end = start.checked_add(usize::try_from(n).ok()?)?;
            return (end <= len).then(|| SnapshotLayout {
                stored,
                length: head[4..start].to_vec(),
                data: start..end,
            });
        }
    }
    None
}

/// The snapshot of a record laid out as `layout`, from its `data` (copied out already) and
/// the bytes after it, `tail`: the checksum is checked over the parts as [`decode_snapshot`]
/// checks it over the whole body.
pub fn snapshot_from_parts(
    layout: &SnapshotLayout,
    data: crate::raft::EntryData,
    tail: &[u8],
) -> Result<Snapshot, RecordError> {
    let mut digest = CASTAGNOLI.digest();
    digest.update(&layout.length);
    digest.update(&data);
    digest.update(tail);
    let computed = digest.finalize();
    if computed != layout.stored {
        return Err(RecordError::Checksum {
            stored: layout.stored,
            computed,
        });
    }
    let metadata = postcard::from_bytes(tail).map_err(|e| RecordError::Decode(e.to_string()))?;
    Ok(Snapshot { data, metadata })
}

/// A snapshot record put together from its bytes as they arrive, in order (the page reads a
/// 140 MB record's parts one per task): the data is copied into the snapshot's own
/// allocation and checksummed as it comes, so no task copies or checksums the whole record.
pub struct Assembly {
    /// The record's length (its key names it), and how many of its bytes came.
    len: usize,
    got: usize,
    /// Its first bytes, until its layout is known.
    head: Vec<u8>,
    layout: Option<SnapshotLayout>,
    data: Option<std::sync::Arc<[std::mem::MaybeUninit<u8>]>>,
    /// The data's bytes written (in order).
    filled: usize,
    digest: Digest<'static, u32, Table<16>>,
    tail: Vec<u8>,
    /// The bytes do not make a record (the whole record, decoded, says why).
    failed: bool,
}

impl Assembly {
    pub fn new(len: usize) -> Self {
        Assembly {
            len,
            got: 0,
            head: Vec::new(),
            layout: None,
            data: None,
            filled: 0,
            digest: CASTAGNOLI.digest(),
            tail: Vec::new(),
            failed: false,
        }
    }

    /// Takes the record's next bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed || self.got.saturating_add(bytes.len()) > self.len {
            self.failed = true;
            return;
        }
        let at = self.got;
        self.got += bytes.len();
        if self.layout.is_some() {
            return self.place(at, bytes);
        }
        let want = SNAPSHOT_HEAD.min(self.len);
        let take = (want - self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..take]);
        if self.head.len() < want {
            return;
        }
        let Some(layout) = snapshot_layout(&self.head, self.len) else {
            self.failed = true;
            return;
        };
        self.digest.update(&layout.length);
        self.data = Some(std::sync::Arc::new_uninit_slice(layout.data.len()));
        self.layout = Some(layout);
        let head = std::mem::take(&mut self.head);
        self.place(0, &head);
        self.place(at + take, &bytes[take..]);
    }

    /// Writes the record's bytes from `at` on where they belong: the data into its
    /// allocation, the metadata after it into `tail`.
    fn place(&mut self, at: usize, bytes: &[u8]) {
        let (Some(layout), Some(data)) = (&self.layout, self.data.as_mut()) else {
            return;
        };
        let end = at + bytes.len();
        let (from, to) = (at.max(layout.data.start), end.min(layout.data.end));
        if from < to {
            let Some(into) = std::sync::Arc::get_mut(data) else {
                self.failed = true;
                return;
            };
            let src = &bytes[from - at..to - at];
            let dst = &mut into[from - layout.data.start..to - layout.data.start];
            for (d, s) in dst.iter_mut().zip(src) {
                d.write(*s);
            }
            self.digest.update(src);
            self.filled += src.len();
        }
        let from = at.max(layout.data.end);
        if from < end {
            self.tail.extend_from_slice(&bytes[from - at..]);
        }
    }

    /// The snapshot and its record's checksum, once every byte came and the checksum and
    /// the metadata check (None otherwise: decode the whole record to learn why).
    pub fn finish(self) -> Option<(Snapshot, u32)> {
        let (Some(layout), Some(data)) = (self.layout, self.data) else {
            return None;
        };
        if self.failed || self.got != self.len || self.filled != data.len() {
            return None;
        }
        // SAFETY: `place` wrote the data's bytes in order, each once (the record's bytes come
        // in order and each is placed once), and `filled` counts them: all are initialised.
        let data: crate::raft::EntryData = unsafe { data.assume_init() };
        let mut digest = self.digest;
        digest.update(&self.tail);
        if digest.finalize() != layout.stored {
            return None;
        }
        let metadata = postcard::from_bytes(&self.tail).ok()?;
        Some((Snapshot { data, metadata }, layout.stored))
    }
}

/// A snapshot's record as [`encode_snapshot`] lays it out (the checksum, the data's length,
/// the data, the metadata) without writing it: after `load k8s large` the data is 140 MB, and
/// the record is read out of the snapshot a part at a time instead of copied whole first.
pub struct SnapshotRecord {
    data: crate::raft::EntryData,
    /// The data's length as the body begins with it.
    length: Vec<u8>,
    /// The metadata, after the data.
    tail: Vec<u8>,
}

impl SnapshotRecord {
    pub fn new(s: &Snapshot) -> Self {
        SnapshotRecord {
            data: s.data.clone(),
            length: postcard::to_allocvec(&(s.data.len() as u64)).unwrap_or_default(),
            tail: postcard::to_allocvec(&s.metadata).unwrap_or_default(),
        }
    }

    /// The record's length in bytes.
    pub fn len(&self) -> usize {
        4 + self.length.len() + self.data.len() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The checksum the record begins with, computed in one go.
    pub fn checksum(&self) -> u32 {
        let mut c = Checksumming::new(self);
        loop {
            if let Some(sum) = c.advance(self, usize::MAX) {
                return sum;
            }
        }
    }

    /// Hands `to` the record's bytes in `range` (clamped to the record), in order, in a few
    /// slices; `sum` is its checksum.
    pub fn read(&self, sum: u32, range: std::ops::Range<usize>, mut to: impl FnMut(&[u8])) {
        let sum = sum.to_le_bytes();
        let mut start = 0;
        for seg in [&sum[..], &self.length, &self.data, &self.tail] {
            let end = start + seg.len();
            let (from, until) = (range.start.max(start), range.end.min(end));
            if from < until {
                to(&seg[from - start..until - start]);
            }
            start = end;
        }
    }
}

/// A snapshot record's checksum computed a piece at a time (the page computes the 140 MB one
/// between frames).
pub struct Checksumming {
    digest: Digest<'static, u32, Table<16>>,
    /// The data's bytes checksummed so far.
    at: usize,
}

impl Checksumming {
    pub fn new(record: &SnapshotRecord) -> Self {
        let mut digest = CASTAGNOLI.digest();
        digest.update(&record.length);
        Checksumming { digest, at: 0 }
    }

    /// Checksums up to `n` more bytes of `record`'s data; the checksum once every byte is.
    pub fn advance(&mut self, record: &SnapshotRecord, n: usize) -> Option<u32> {
        let end = self.at.saturating_add(n).min(record.data.len());
        self.digest.update(&record.data[self.at.min(end)..end]);
        self.at = end;
        (end == record.data.len()).then(|| {
            let mut d = self.digest.clone();
            d.update(&record.tail);
            d.finalize()
        })
    }
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

    /// A snapshot read in parts (its data copied out on its own) is the snapshot the whole
    /// record decodes to, and a record damaged anywhere fails its checksum as the whole
    /// record does; a layout that does not parse is left to `decode_snapshot`.
    #[test]
    fn a_snapshot_read_in_parts_is_the_whole_records() {
        let mut s = Snapshot {
            data: (0..300u32).map(|i| i as u8).collect::<Vec<u8>>().into(),
            ..Default::default()
        };
        s.metadata.index = 70;
        s.metadata.term = 3;
        s.metadata.conf_state.voters = vec![1, 2, 3];
        let rec = encode_snapshot(&s);
        let parts = |rec: &[u8]| {
            let head = &rec[..rec.len().min(SNAPSHOT_HEAD)];
            snapshot_layout(head, rec.len()).map(|l| {
                let data = rec[l.data.clone()].to_vec().into();
                snapshot_from_parts(&l, data, &rec[l.data.end..])
            })
        };
        assert_eq!(parts(&rec), Some(Ok(s.clone())));
        assert_eq!(
            parts(&rec).unwrap().unwrap(),
            decode_snapshot(&rec).unwrap()
        );
        for at in [0, 4, 5, 6, 100, rec.len() - 1] {
            let mut bad = rec.clone();
            bad[at] ^= 0x10;
            match parts(&bad) {
                // (a damaged length may no longer parse: the whole record says why)
                None => assert!(decode_snapshot(&bad).is_err(), "{at}"),
                Some(r) => {
                    assert!(
                        matches!(r, Err(RecordError::Checksum { .. })),
                        "{at}: {r:?}"
                    );
                    assert_eq!(r, decode_snapshot(&bad), "{at}");
                }
            }
        }
        assert_eq!(snapshot_layout(&rec[..3], rec.len()), None);
        assert_eq!(
            snapshot_layout(&rec[..SNAPSHOT_HEAD], 40),
            None,
            "data past the end"
        );
        assert_eq!(snapshot_layout(&[0, 0, 0, 0, 0xff, 0xff], 100), None);
    }

    /// A snapshot record assembled from its bytes in pieces of any size is the snapshot the
    /// whole record decodes to; cut, lengthened or damaged, it does not assemble.
    #[test]
    fn a_snapshot_record_assembled_in_pieces_is_the_whole_records() {
        for n in [0usize, 1, 9, 127, 128, 5000] {
            let mut s = Snapshot {
                data: (0..n).map(|i| (i * 13) as u8).collect::<Vec<u8>>().into(),
                ..Default::default()
            };
            s.metadata.index = 77;
            s.metadata.term = 5;
            s.metadata.conf_state.voters = vec![1, 2, 3];
            let rec = encode_snapshot(&s);
            for step in [1, 3, 14, 15, 700, rec.len()] {
                let mut a = Assembly::new(rec.len());
                for piece in rec.chunks(step) {
                    a.push(piece);
                }
                let (got, sum) = a.finish().expect("it assembles");
                assert_eq!(got, decode_snapshot(&rec).unwrap(), "{n} in {step}");
                assert_eq!(sum, stored_checksum(&rec));
            }
            let mut short = Assembly::new(rec.len());
            short.push(&rec[..rec.len() - 1]);
            assert!(short.finish().is_none(), "cut");
            let mut long = Assembly::new(rec.len());
            long.push(&rec);
            long.push(&[0]);
            assert!(long.finish().is_none(), "too long");
            for at in [0, 4, rec.len() / 2, rec.len() - 1] {
                let mut bad = rec.clone();
                bad[at] ^= 0x40;
                let mut a = Assembly::new(bad.len());
                for piece in bad.chunks(7) {
                    a.push(piece);
                }
                assert!(a.finish().is_none(), "{n}: damaged at {at}");
            }
        }
        assert!(Assembly::new(0).finish().is_none());
    }

    /// A snapshot's record seen in place is the encoded record: its length, its checksum
    /// (in one go or a piece at a time) and its bytes read in any ranges.
    #[test]
    fn a_snapshot_record_seen_in_place_is_the_encoded_one() {
        for n in [0usize, 1, 127, 128, 5000] {
            let mut s = Snapshot {
                data: (0..n).map(|i| (i * 7) as u8).collect::<Vec<u8>>().into(),
                ..Default::default()
            };
            s.metadata.index = 9000;
            s.metadata.term = 4;
            s.metadata.conf_state.voters = vec![1, 2, 3];
            let rec = encode_snapshot(&s);
            let seen = SnapshotRecord::new(&s);
            assert_eq!(seen.len(), rec.len());
            let sum = seen.checksum();
            assert_eq!(sum, stored_checksum(&rec));
            let mut c = Checksumming::new(&seen);
            let mut pieces = 1;
            let piecewise = loop {
                match c.advance(&seen, 333) {
                    Some(sum) => break sum,
                    None => pieces += 1,
                }
            };
            assert_eq!(piecewise, sum);
            assert_eq!(pieces, n.div_ceil(333).max(1));
            for range in [
                0..rec.len(),
                0..3,
                2..9,
                5..rec.len() - 1,
                4..4,
                10..rec.len() + 50,
            ] {
                let mut got = Vec::new();
                seen.read(sum, range.clone(), |b| got.extend_from_slice(b));
                let want = &rec[range.start.min(rec.len())..range.end.min(rec.len())];
                assert_eq!(&got[..], want, "{n}: {range:?}");
            }
        }
    }
}
