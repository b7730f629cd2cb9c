//! IndexedDB as the members' disks (wasm, `ui` feature): three object stores per member —
//! `NAME.entries` (one record per log entry, keyed by index), `NAME.hardstate` and
//! `NAME.snapshot` (one record each) — holding the [`record`](super::record) byte format.
//!
//! Writes come from the journal: [`write`] issues one member's [`Flush`] as one readwrite
//! transaction, synchronously (so transactions run in the order they were issued), and hands
//! back a future that resolves when it committed. [`load`] reads a member back; a record that
//! cannot be read is reported, never a panic.
//! Owns: the member stores. Must not touch: the page's own stores (`ui::storage`).

use std::future::IntoFuture;

use idb::{Database, KeyRange, ObjectStoreParams, Query, TransactionMode, TransactionResult};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use super::record::{self, RecordError};
use super::{DiskState, EntryOp, Flush};

const HARD_STATE_KEY: &str = "hardstate";
const SNAPSHOT_KEY: &str = "snapshot";

/// The three store names of a member: entries, hard state, snapshot.
pub fn store_names(member: &str) -> [String; 3] {
    [
        format!("{member}.entries"),
        format!("{member}.hardstate"),
        format!("{member}.snapshot"),
    ]
}

/// Creates a member's stores that are missing (in an upgrade).
pub fn create_stores(db: &Database, member: &str) -> Result<(), String> {
    let have = db.store_names();
    for name in store_names(member) {
        if !have.iter().any(|n| *n == name) {
            db.create_object_store(&name, ObjectStoreParams::new())
                .map_err(|e| format!("create {name}: {e}"))?;
        }
    }
    Ok(())
}

fn err(member: &str, what: &str, e: impl std::fmt::Display) -> String {
    format!("{member}'s disk: {what}: {e}")
}

fn bytes(v: &[u8]) -> JsValue {
    Uint8Array::from(v).into()
}

fn key(index: u64) -> JsValue {
    JsValue::from_f64(index as f64)
}

/// Why a write failed: the browser's quota, or anything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    QuotaExceeded(String),
    Other(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::QuotaExceeded(e) | WriteError::Other(e) => f.write_str(e),
        }
    }
}

fn classify(member: &str, e: impl std::fmt::Display) -> WriteError {
    write_error(e.to_string(), quota_text, |why| err(member, "write", why))
}

/// Whether an error's text is the browser's quota.
fn quota_text(text: &str) -> bool {
    text.contains("Quota") || text.contains("quota")
}

/// `why` as a [`WriteError`] (`describe` adds where it happened), the quota's when `quota`
/// says so.
fn write_error(
    why: String,
    quota: impl Fn(&str) -> bool,
    describe: impl Fn(String) -> String,
) -> WriteError {
    if quota(&why) {
        WriteError::QuotaExceeded(describe(why))
    } else {
        WriteError::Other(describe(why))
    }
}

/// Commits `tx`; the future says how it ended, `describe` adding where to the reason. A
/// transaction the browser refused for its storage quota is [`WriteError::QuotaExceeded`]:
/// Chromium aborts it, its `error` a `QuotaExceededError`, rather than failing the commit.
pub fn commit_watched(
    tx: idb::Transaction,
    describe: impl Fn(String) -> String + 'static,
) -> Result<impl std::future::Future<Output = Result<(), WriteError>>, idb::Error> {
    let raw: web_sys::IdbTransaction = tx.commit()?.into();
    let watched = raw.clone();
    let done = idb::Transaction::from(raw).into_future();
    Ok(async move {
        match done.await {
            Ok(TransactionResult::Committed) => Ok(()),
            Ok(TransactionResult::Aborted) => Err(match watched.error() {
                Some(e) => {
                    let quota = e.name() == "QuotaExceededError";
                    let why = format!("the transaction was aborted: {}: {}", e.name(), e.message());
                    write_error(why, |_| quota, describe)
                }
                None => write_error("the transaction was aborted".into(), |_| false, describe),
            }),
            Err(e) => Err(write_error(e.to_string(), quota_text, describe)),
        }
    })
}

/// Issues one member's writes as one transaction now; the returned future resolves once the
/// transaction committed (or says why it did not).
pub fn write(
    db: &Database,
    member: &str,
    flush: &Flush,
) -> Result<impl std::future::Future<Output = Result<(), WriteError>>, WriteError> {
    let [es, hs, sn] = store_names(member);
    let tx = db
        .transaction(
            &[es.as_str(), hs.as_str(), sn.as_str()],
            TransactionMode::ReadWrite,
        )
        .map_err(|e| classify(member, e))?;
    let c = |e| classify(member, e);
    let entries = tx.object_store(&es).map_err(c)?;
    let hard = tx.object_store(&hs).map_err(c)?;
    let snap = tx.object_store(&sn).map_err(c)?;
    if flush.clear {
        entries.clear().map_err(c)?;
        hard.clear().map_err(c)?;
        snap.clear().map_err(c)?;
    }
    for op in &flush.entries {
        match op {
            EntryOp::Put(list) => {
                for e in list {
                    entries
                        .put(&bytes(&record::encode_entry(e)), Some(&key(e.index)))
                        .map_err(c)?;
                }
            }
            EntryOp::Delete { from, to } => {
                let range = match to {
                    Some(to) => KeyRange::bound(&key(*from), &key(*to), None, None),
                    None => KeyRange::lower_bound(&key(*from), None),
                }
                .map_err(c)?;
                entries.delete(Query::from(range)).map_err(c)?;
            }
        }
    }
    if let Some(h) = &flush.hard_state {
        hard.put(
            &bytes(&record::encode_hard_state(h)),
            Some(&JsValue::from_str(HARD_STATE_KEY)),
        )
        .map_err(c)?;
    }
    if let Some(s) = &flush.snapshot {
        snap.put(
            &bytes(&record::encode_snapshot(s)),
            Some(&JsValue::from_str(SNAPSHOT_KEY)),
        )
        .map_err(c)?;
    }
    let member = member.to_string();
    commit_watched(tx, move |why| err(&member, "write", why)).map_err(c)
}

/// What a member's stores held.
#[derive(Clone, Debug, Default)]
pub struct LoadedDisk {
    /// Everything that could be read (entries in index order).
    pub state: DiskState,
    /// Whether any record existed (an empty set of stores is a fresh disk).
    pub found: bool,
    /// What could not be read, one line each.
    pub problems: Vec<String>,
}

fn decode_value<T>(
    v: &JsValue,
    f: impl FnOnce(&[u8]) -> Result<T, RecordError>,
) -> Result<T, RecordError> {
    let a = v.dyn_ref::<Uint8Array>().ok_or(RecordError::NotBytes)?;
    f(&a.to_vec())
}

/// A member's stores being read: the requests are out (issued together, so the browser
/// reads several members' stores at once); [`Reading::finish`] decodes what they bring.
pub struct Reading {
    member: String,
    keys: Answer<idb::request::GetAllKeysStoreRequest>,
    values: Answer<idb::request::GetAllStoreRequest>,
    hard: Answer<idb::request::GetStoreRequest>,
    snap: Answer<idb::request::GetStoreRequest>,
}

/// A request's answer to come (idb names the future only through `IntoFuture`).
type Answer<R> = <R as IntoFuture>::IntoFuture;

/// Issues the reads of a member's stores (one readonly transaction).
pub fn read(db: &Database, member: &str) -> Result<Reading, String> {
    let [es, hs, sn] = store_names(member);
    let tx = db
        .transaction(
            &[es.as_str(), hs.as_str(), sn.as_str()],
            TransactionMode::ReadOnly,
        )
        .map_err(|e| err(member, "read", e))?;
    let e = |e| err(member, "read", e);
    let entries = tx.object_store(&es).map_err(e)?;
    // (each request's handlers are attached as it is issued: its answer cannot be missed)
    let keys = entries.get_all_keys(None, None).map_err(e)?.into_future();
    let values = entries.get_all(None, None).map_err(e)?.into_future();
    let hard = tx
        .object_store(&hs)
        .map_err(e)?
        .get(JsValue::from_str(HARD_STATE_KEY))
        .map_err(e)?
        .into_future();
    let snap = tx
        .object_store(&sn)
        .map_err(e)?
        .get(JsValue::from_str(SNAPSHOT_KEY))
        .map_err(e)?
        .into_future();
    Ok(Reading {
        member: member.to_string(),
        keys,
        values,
        hard,
        snap,
    })
}

/// Reads a member's stores back.
pub async fn load(db: &Database, member: &str) -> Result<LoadedDisk, String> {
    read(db, member)?.finish().await
}

impl Reading {
    /// What the member's stores held, once read.
    pub async fn finish(self) -> Result<LoadedDisk, String> {
        let member = self.member.as_str();
        let e = |e| err(member, "read", e);
        let keys = self.keys.await.map_err(e)?;
        let values = self.values.await.map_err(e)?;
        let hard = self.hard.await.map_err(e)?;
        let snap = self.snap.await.map_err(e)?;
        Ok(decode_disk(keys, values, hard, snap))
    }
}

/// A member's disk from its stores' records; what cannot be read is listed, never a panic.
fn decode_disk(
    keys: Vec<JsValue>,
    values: Vec<JsValue>,
    hard: Option<JsValue>,
    snap: Option<JsValue>,
) -> LoadedDisk {
    let mut out = LoadedDisk::default();
    if let Some(v) = hard {
        out.found = true;
        match decode_value(&v, record::decode_hard_state) {
            Ok(h) => out.state.hard_state = h,
            Err(x) => out.problems.push(format!("the hard state: {x}")),
        }
    }
    if let Some(v) = snap {
        out.found = true;
        match decode_value(&v, record::decode_snapshot) {
            Ok(s) => out.state.snapshot = s,
            Err(x) => out.problems.push(format!("the snapshot: {x}")),
        }
    }
    for (k, v) in keys.iter().zip(values.iter()) {
        out.found = true;
        let Some(index) = k.as_f64().filter(|f| *f >= 1.0 && f.fract() == 0.0) else {
            out.problems
                .push(format!("an entry under a key that is not an index: {k:?}"));
            continue;
        };
        let index = index as u64;
        match decode_value(v, |b| record::decode_entry(index, b)) {
            Ok(entry) => out.state.entries.push(entry),
            Err(x) => out.problems.push(format!("entry {index}: {x}")),
        }
    }
    if keys.len() != values.len() {
        out.problems
            .push("the entry keys and values do not match up".to_string());
    }
    if out.problems.is_empty() && out.found {
        if let Err(x) = out.state.validate() {
            out.problems.push(x);
        }
    }
    out
}
