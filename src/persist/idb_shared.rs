//! The store the members share in IndexedDB, `snapshots` (wasm, `ui` feature): a snapshot
//! record is kept there once, under its [`shared::key`]. A record longer than [`PART_BYTES`]
//! is stored in parts, `KEY/0`, `KEY/1`, … ([`part_key`]): IndexedDB clones a record on the
//! page's main thread when it is written and again when it is read, and the parts spread that
//! over tasks (the member write issues them, one slice each: see `idb`). A record stored whole
//! under such a key, as earlier builds stored every record, still reads.
//!
//! Owns: the shared records' keys, their reading and their deletion. Must not touch: the
//! member stores (`idb`).

use std::collections::BTreeSet;
use std::future::IntoFuture;

use idb::{Database, KeyRange, Query, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use super::idb::{classify, commit_watched, err, Answer, SharedRecords, WriteError, SHARED_STORE};
use super::record::{self, RecordError};
use super::shared;
use crate::raft::Snapshot;
use crate::sort::Inserted;

/// The longest shared snapshot record stored whole; a longer one is stored in parts of this
/// many bytes (the last one shorter). After `load k8s large` the record is 140 MB: whole, its
/// `put` kept the page from painting for 0.3–0.6 s and its read for 0.3–0.45 s.
pub const PART_BYTES: usize = 4 << 20;

/// The key of part `i` of the shared record `key`.
pub fn part_key(key: &str, i: usize) -> String {
    format!("{key}/{i}")
}

/// How many parts the shared record `key` is stored in: 1 (whole, under `key`) unless the
/// length its key names is over [`PART_BYTES`].
pub fn parts_of(key: &str) -> usize {
    match shared::record_len(key) {
        Some(len) if len > PART_BYTES => len.div_ceil(PART_BYTES),
        _ => 1,
    }
}

/// The shared record a stored key belongs to (a part's key names its record's).
fn record_of(stored: &str) -> &str {
    match stored.rsplit_once('/') {
        Some((key, i)) if i.parse::<usize>().is_ok() => key,
        _ => stored,
    }
}

/// Deletes shared snapshot records no member names any more.
pub fn delete_shared(
    db: &Database,
    keys: &[String],
) -> Result<impl std::future::Future<Output = Result<(), WriteError>>, WriteError> {
    let c = |e| classify(SHARED_STORE, e);
    let tx = db
        .transaction(&[SHARED_STORE], TransactionMode::ReadWrite)
        .map_err(c)?;
    let store = tx.object_store(SHARED_STORE).map_err(c)?;
    for k in keys {
        store.delete(Query::from(JsValue::from_str(k))).map_err(c)?;
        if parts_of(k) > 1 {
            let parts = KeyRange::bound(
                &JsValue::from_str(&format!("{k}/")),
                &JsValue::from_str(&format!("{k}/\u{ffff}")),
                None,
                None,
            )
            .map_err(c)?;
            store.delete(Query::from(parts)).map_err(c)?;
        }
    }
    commit_watched(tx, format!("{SHARED_STORE}: delete")).map_err(c)
}

/// The shared snapshot records being read.
pub struct SharedReading {
    /// Per record: its key, the read of the whole record, and the reads of its parts (none
    /// when its key says it is stored whole; see [`PART_BYTES`]).
    records: Vec<SharedAnswer>,
    all_keys: Answer<idb::request::GetAllKeysStoreRequest>,
}

type SharedAnswer = (
    String,
    Answer<idb::request::GetStoreRequest>,
    Vec<Answer<idb::request::GetStoreRequest>>,
);

/// What the shared store held: the records asked for, decoded once each, and the key of
/// every record it holds.
pub struct SharedRead {
    pub records: SharedRecords,
    pub stored: Vec<String>,
}

/// Issues the reads of the shared records `keys` (one readonly transaction), and of the
/// keys of every record stored. A record whose key says it is long is read whole (as it was
/// stored before records had parts) and in parts at once: one of the two is there.
pub fn read_shared(db: &Database, keys: &[String]) -> Result<SharedReading, String> {
    let e = |e| err(SHARED_STORE, "read", e);
    let tx = db
        .transaction(&[SHARED_STORE], TransactionMode::ReadOnly)
        .map_err(e)?;
    let store = tx.object_store(SHARED_STORE).map_err(e)?;
    let mut records: Vec<SharedAnswer> = Vec::new();
    for k in keys {
        if records.iter().any(|(have, ..)| have == k) {
            continue;
        }
        let get = |key: &str| {
            store
                .get(JsValue::from_str(key))
                .map(IntoFuture::into_future)
                .map_err(e)
        };
        let whole = get(k)?;
        let parts = match parts_of(k) {
            1 => Vec::new(),
            n => (0..n)
                .map(|i| get(&part_key(k, i)))
                .collect::<Result<_, _>>()?,
        };
        records.push((k.clone(), whole, parts));
    }
    let all_keys = store.get_all_keys(None, None).map_err(e)?.into_future();
    Ok(SharedReading { records, all_keys })
}

impl SharedReading {
    pub async fn finish(self) -> Result<SharedRead, String> {
        let e = |e| err(SHARED_STORE, "read", e);
        let mut out = SharedRecords::new();
        // (a part's bytes on their way into its record's assembly)
        let mut buf = Vec::new();
        for (k, whole, parts) in self.records {
            let mut values = Vec::new();
            let mut assembly = shared::record_len(&k).map(record::Assembly::new);
            let wanted = match whole.await.map_err(e)? {
                Some(v) => {
                    values.push(v);
                    // (a read dropped unanswered aborts the transaction: each is awaited)
                    for part in parts {
                        part.await.map_err(e)?;
                    }
                    1
                }
                None => {
                    let wanted = parts.len();
                    // (each part's read ends in a task of its own: the page paints between;
                    // each part is copied into its snapshot and checksummed in its own)
                    for (i, part) in parts.into_iter().enumerate() {
                        match part.await.map_err(e)? {
                            Some(v) if values.len() == i => {
                                match (assembly.as_mut(), v.dyn_ref::<Uint8Array>()) {
                                    (Some(a), Some(bytes)) => {
                                        buf.resize(bytes.length() as usize, 0);
                                        bytes.copy_to(&mut buf);
                                        a.push(&buf);
                                    }
                                    _ => assembly = None,
                                }
                                values.push(v);
                            }
                            _ => {}
                        }
                    }
                    wanted
                }
            };
            let decoded = match values.len() {
                0 => Err(format!("its record {k} is missing")),
                n if n < wanted => Err(format!(
                    "its record {k} is missing its part {n} (of {wanted})"
                )),
                // (read in parts, it is assembled already; a record stored whole, or one that
                // does not assemble, is read whole, which says why it does not)
                _ => match assembly.and_then(record::Assembly::finish) {
                    Some((s, sum)) if shared::key_of(&s, sum, record_len_of(&k)) == k => Ok(s),
                    _ => decode_shared(&k, &values),
                },
            };
            out.insert(k, decoded);
        }
        // (a part's key stands for its record)
        let stored: BTreeSet<String> = self
            .all_keys
            .await
            .map_err(e)?
            .iter()
            .filter_map(|k| k.as_string())
            .map(|k| record_of(&k).to_string())
            .btree_set();
        Ok(SharedRead {
            records: out,
            stored: stored.into_iter().collect(),
        })
    }
}

/// The record length the key `k` names (0 if it names none).
fn record_len_of(k: &str) -> usize {
    shared::record_len(k).unwrap_or(0)
}

/// A shared record (whole, or its parts in order), which must be the snapshot its key names.
fn decode_shared(key: &str, values: &[JsValue]) -> Result<Snapshot, String> {
    let parts = values
        .iter()
        .map(|v| v.dyn_ref::<Uint8Array>().cloned())
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("its record {key}: {}", RecordError::NotBytes))?;
    let (s, sum, len) = read_snapshot(&parts).map_err(|x| format!("its record {key}: {x}"))?;
    let holds = shared::key_of(&s, sum, len);
    if holds != key {
        return Err(format!("its record {key} holds another snapshot ({holds})"));
    }
    Ok(s)
}

/// A snapshot record out of the browser's memory (whole, or its parts in order), with its
/// checksum and length: the data (hundreds of MB after the large sample) is copied once,
/// straight into the snapshot's own allocation, not into a copy of the whole record first
/// (see `record::snapshot_layout`).
fn read_snapshot(parts: &[Uint8Array]) -> Result<(Snapshot, u32, usize), RecordError> {
    let record = Parts::new(parts);
    let len = record.len;
    let head = record.to_vec(0, len.min(record::SNAPSHOT_HEAD));
    let Some(layout) = record::snapshot_layout(&head, len) else {
        // (it does not parse: the whole record says why)
        return Err(record::decode_snapshot(&record.to_vec(0, len))
            .err()
            .unwrap_or(RecordError::TooShort(len)));
    };
    let mut data = std::sync::Arc::<[u8]>::new_uninit_slice(layout.data.len());
    let Some(into) = std::sync::Arc::get_mut(&mut data) else {
        return Err(RecordError::Decode("the snapshot's data is shared".into()));
    };
    if !record.copy_into(layout.data.start, into) {
        return Err(RecordError::TooShort(len));
    }
    // SAFETY: `copy_into` returned true: it initialised every byte of `into`.
    let data: crate::raft::EntryData = unsafe { data.assume_init() };
    let tail = record.to_vec(layout.data.end, len);
    let s = record::snapshot_from_parts(&layout, data, &tail)?;
    Ok((s, layout.stored, len))
}

/// A record's bytes in the browser's memory, in one or more parts.
struct Parts<'a> {
    parts: &'a [Uint8Array],
    /// Where each part begins in the record.
    starts: Vec<usize>,
    len: usize,
}

impl<'a> Parts<'a> {
    fn new(parts: &'a [Uint8Array]) -> Parts<'a> {
        let mut starts = Vec::with_capacity(parts.len());
        let mut len = 0;
        for p in parts {
            starts.push(len);
            len += p.length() as usize;
        }
        Parts { parts, starts, len }
    }

    /// Each part's share of `[from, to)`: the part, and the range within it and within the
    /// wanted bytes.
    fn pieces(
        &self,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = (&Uint8Array, std::ops::Range<usize>, std::ops::Range<usize>)> {
        self.parts
            .iter()
            .zip(&self.starts)
            .filter_map(move |(p, &start)| {
                let end = start + p.length() as usize;
                let (a, b) = (from.max(start), to.min(end));
                (a < b).then(|| (p, a - start..b - start, a - from..b - from))
            })
    }

    /// Bytes `[from, to)` copied into wasm (`to` at most `len`).
    fn to_vec(&self, from: usize, to: usize) -> Vec<u8> {
        let mut out = vec![0; to.saturating_sub(from)];
        for (p, within, at) in self.pieces(from, to) {
            p.subarray(within.start as u32, within.end as u32)
                .copy_to(&mut out[at]);
        }
        out
    }

    /// Copies the bytes from `from` on into all of `into`; false (with `into` partly
    /// written) when the record ends before it is full.
    fn copy_into(&self, from: usize, into: &mut [std::mem::MaybeUninit<u8>]) -> bool {
        let to = from + into.len();
        if to > self.len {
            return false;
        }
        let mut filled = 0;
        for (p, within, at) in self.pieces(from, to) {
            filled += at.len();
            p.subarray(within.start as u32, within.end as u32)
                .copy_to_uninit(&mut into[at]);
        }
        filled == into.len()
    }
}
