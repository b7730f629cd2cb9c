//! IndexedDB as the members' disks (wasm, `ui` feature): three object stores per member —
//! `NAME.entries` (one record per log entry, keyed by index), `NAME.hardstate` and
//! `NAME.snapshot` (one record each) — holding the [`record`](super::record) byte format, and
//! one store the members share, `snapshots`: a member's snapshot record is kept there once,
//! under its [`shared::key`], and `NAME.snapshot` holds that key as a string (see
//! [`shared`](super::shared); a byte record there is a snapshot stored whole, as schema 2 did,
//! and still reads).
//!
//! Writes come from the journal: [`write`] issues one member's [`Flush`] as one readwrite
//! transaction, synchronously (so transactions run in the order they were issued), and hands
//! back a future that resolves when it committed. [`load`] reads a member back; a record that
//! cannot be read is reported, never a panic.
//! Owns: the member stores. Must not touch: the page's own stores (`ui::storage`).

use std::future::IntoFuture;

use idb::{Database, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use super::record::{self, RecordError};
use super::shared::{self, SharedSnapshots, SnapshotWrite};
use super::{DiskState, EntryOp, Flush};
use crate::raft::{Entry, EntryType, Snapshot};

const HARD_STATE_KEY: &str = "hardstate";
const SNAPSHOT_KEY: &str = "snapshot";
/// The store of the snapshot records the members share.
pub const SHARED_STORE: &str = "snapshots";

/// The three store names of a member: entries, hard state, snapshot.
pub fn store_names(member: &str) -> [String; 3] {
    [
        format!("{member}.entries"),
        format!("{member}.hardstate"),
        format!("{member}.snapshot"),
    ]
}

/// Creates the shared snapshot store if it is missing (in an upgrade).
pub fn create_shared_store(db: &Database) -> Result<(), String> {
    if !db.store_names().iter().any(|n| n == SHARED_STORE) {
        db.create_object_store(SHARED_STORE, ObjectStoreParams::new())
            .map_err(|e| format!("create {SHARED_STORE}: {e}"))?;
    }
    Ok(())
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
    let why = e.to_string();
    write_error(quota_text(&why), &format!("{member}'s disk: write"), why)
}

/// Whether an error's text is the browser's quota.
fn quota_text(text: &str) -> bool {
    text.contains("Quota") || text.contains("quota")
}

/// `why` as a [`WriteError`] after `place` (where it happened), the quota's when `quota`.
fn write_error(quota: bool, place: &str, why: String) -> WriteError {
    let text = format!("{place}: {why}");
    if quota {
        WriteError::QuotaExceeded(text)
    } else {
        WriteError::Other(text)
    }
}

/// Commits `tx`; the future says how it ended, after `place` (where it happened). A
/// transaction the browser refused for its storage quota is [`WriteError::QuotaExceeded`]:
/// Chromium aborts it, its `error` a `QuotaExceededError`, rather than failing the commit.
///
/// It settles on the transaction's `complete` or `abort` only. A request that fails (a full
/// disk fails every put) sends an `error` event, and the transaction then aborts; so `error`
/// is not listened to. (idb's own transaction future settles on the first `error` and leaves a
/// dropped handler that throws on every later one.) One function for every store, not
/// generic: each instance of such a future is kilobytes of the page's wasm.
pub fn commit_watched(
    tx: idb::Transaction,
    place: String,
) -> Result<impl std::future::Future<Output = Result<(), WriteError>>, idb::Error> {
    let raw: web_sys::IdbTransaction = tx.commit()?.into();
    let ending = Ending::watch(raw);
    Ok(async move {
        let committed = ending.ended().await;
        let raw = &ending.raw;
        if committed {
            return Ok(());
        }
        Err(match raw.error() {
            Some(e) => {
                let quota = e.name() == "QuotaExceededError";
                let why = format!("the transaction was aborted: {}: {}", e.name(), e.message());
                write_error(quota, &place, why)
            }
            None => write_error(false, &place, "the transaction was aborted".into()),
        })
    })
}

/// A transaction's `complete` and `abort` handlers, and the promise they settle; dropping it
/// takes the handlers off the transaction first.
struct Ending {
    raw: web_sys::IdbTransaction,
    ended: js_sys::Promise,
    _handlers: Option<[wasm_bindgen::closure::Closure<dyn FnMut()>; 2]>,
}

impl Ending {
    fn watch(raw: web_sys::IdbTransaction) -> Ending {
        use wasm_bindgen::closure::Closure;
        let mut resolve = None;
        let ended = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
        let handlers = resolve.map(|resolve| {
            let on_abort = resolve.clone();
            let complete = Closure::<dyn FnMut()>::new(move || {
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
            });
            let abort = Closure::<dyn FnMut()>::new(move || {
                let _ = on_abort.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
            });
            raw.set_oncomplete(Some(complete.as_ref().unchecked_ref()));
            raw.set_onabort(Some(abort.as_ref().unchecked_ref()));
            [complete, abort]
        });
        Ending {
            raw,
            ended,
            _handlers: handlers,
        }
    }

    /// Whether the transaction committed (false: it aborted).
    async fn ended(&self) -> bool {
        wasm_bindgen_futures::JsFuture::from(self.ended.clone())
            .await
            .is_ok_and(|v| v.as_bool() == Some(true))
    }
}

impl Drop for Ending {
    fn drop(&mut self) {
        self.raw.set_oncomplete(None);
        self.raw.set_onabort(None);
    }
}

/// A member's write issued: its commit to come, and its part in the shared snapshots'
/// bookkeeping (`None`: it leaves the member's snapshot as it was).
pub struct Issued<F> {
    pub commit: F,
    pub snapshot: Option<SnapshotWrite>,
}

/// Issues one member's writes as one transaction now; the returned future resolves once the
/// transaction committed (or says why it did not). A snapshot is written as the key of its
/// shared record, and the record itself unless `shared` knows it is stored.
pub fn write(
    db: &Database,
    member: &str,
    flush: &Flush,
    shared: &SharedSnapshots,
) -> Result<Issued<impl std::future::Future<Output = Result<(), WriteError>>>, WriteError> {
    write_sharing(db, member, flush, shared, &mut EncodedEntries::default())
}

/// Entry records encoded while one flush is issued, by entry: the members' logs hold the same
/// entries (their data one allocation in memory), so each record is encoded, checksummed and
/// copied out of wasm once per flush instead of once per member (after `load k8s large`:
/// 124 MB each). Keyed by the data's address and length with the index and term, which is
/// sound only while the entries are alive: one flush's lifetime.
#[derive(Default)]
pub struct EncodedEntries(Vec<EncodedEntry>);

/// An entry's record: `(index, term, data address, data length)`, its type, the record.
type EncodedEntry = ((u64, u64, usize, usize), EntryType, JsValue);

impl EncodedEntries {
    fn record(&mut self, e: &Entry) -> JsValue {
        let key = (e.index, e.term, e.data.as_ptr() as usize, e.data.len());
        // (kept in key order: the members' entries arrive in index order, so inserting
        // appends)
        match self.0.binary_search_by(|(k, ..)| k.cmp(&key)) {
            Ok(i) if self.0[i].1 == e.entry_type => self.0[i].2.clone(),
            found => {
                let v = bytes(&record::encode_entry(e));
                match found {
                    Ok(i) => self.0[i] = (key, e.entry_type, v.clone()),
                    Err(i) => self.0.insert(i, (key, e.entry_type, v.clone())),
                }
                v
            }
        }
    }
}

/// [`write`], with the entry records `encoded` holds for the other members of the same flush.
pub fn write_sharing(
    db: &Database,
    member: &str,
    flush: &Flush,
    shared: &SharedSnapshots,
    encoded: &mut EncodedEntries,
) -> Result<Issued<impl std::future::Future<Output = Result<(), WriteError>>>, WriteError> {
    let c = |e| classify(member, e);
    // the snapshot's record, its key, and whether this write stores the record
    // (the record is encoded only to be stored, or to learn its key)
    let snapshot = flush.snapshot.as_ref().map(|s| match shared.key_known(s) {
        Some(key) if !shared.must_store(&key) => (None, key, false),
        _ => {
            let rec = record::encode_snapshot(s);
            let key = shared::key(s, &rec);
            shared.remember_key(s, &key);
            let carries = shared.must_store(&key);
            (Some(rec), key, carries)
        }
    });
    let [es, hs, sn] = store_names(member);
    let mut scope = vec![es.as_str(), hs.as_str(), sn.as_str()];
    if matches!(snapshot, Some((Some(_), _, true))) {
        scope.push(SHARED_STORE);
    }
    let tx = db
        .transaction(&scope, TransactionMode::ReadWrite)
        .map_err(c)?;
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
                        .put(&encoded.record(e), Some(&key(e.index)))
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
    let written = match snapshot {
        Some((rec, shared_key, carries)) => {
            if let (true, Some(rec)) = (carries, rec) {
                tx.object_store(SHARED_STORE)
                    .map_err(c)?
                    .put(&bytes(&rec), Some(&JsValue::from_str(&shared_key)))
                    .map_err(c)?;
            }
            snap.put(
                &JsValue::from_str(&shared_key),
                Some(&JsValue::from_str(SNAPSHOT_KEY)),
            )
            .map_err(c)?;
            Some(SnapshotWrite {
                member: member.to_string(),
                names: Some(shared_key),
                carries,
            })
        }
        None if flush.clear => Some(SnapshotWrite {
            member: member.to_string(),
            names: None,
            carries: false,
        }),
        None => None,
    };
    let commit = commit_watched(tx, format!("{member}'s disk: write")).map_err(c)?;
    Ok(Issued {
        commit,
        snapshot: written,
    })
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
    }
    commit_watched(tx, format!("{SHARED_STORE}: delete")).map_err(c)
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
    /// The shared snapshot record the member's snapshot store names.
    pub names: Option<String>,
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
    snap: Option<Answer<idb::request::GetStoreRequest>>,
    /// What the snapshot store held, once read.
    snap_value: Option<JsValue>,
    keys: Answer<idb::request::GetAllKeysStoreRequest>,
    values: Answer<idb::request::GetAllStoreRequest>,
    hard: Answer<idb::request::GetStoreRequest>,
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
    // (each request's handlers are attached as it is issued: its answer cannot be missed;
    // the snapshot store first, so the shared record it names can be asked for while the
    // entries are still being read)
    let snap = tx
        .object_store(&sn)
        .map_err(e)?
        .get(JsValue::from_str(SNAPSHOT_KEY))
        .map_err(e)?
        .into_future();
    let entries = tx.object_store(&es).map_err(e)?;
    let keys = entries.get_all_keys(None, None).map_err(e)?.into_future();
    let values = entries.get_all(None, None).map_err(e)?.into_future();
    let hard = tx
        .object_store(&hs)
        .map_err(e)?
        .get(JsValue::from_str(HARD_STATE_KEY))
        .map_err(e)?
        .into_future();
    Ok(Reading {
        member: member.to_string(),
        snap: Some(snap),
        snap_value: None,
        keys,
        values,
        hard,
    })
}

/// Reads a member's stores back.
pub async fn load(db: &Database, member: &str) -> Result<LoadedDisk, String> {
    let mut reading = read(db, member)?;
    let names: Vec<String> = reading.names().await?.into_iter().collect();
    let shared = read_shared(db, &names)?.finish().await?;
    reading.finish(&shared.records).await
}

impl Reading {
    /// The shared snapshot record the member's snapshot store names (read first).
    pub async fn names(&mut self) -> Result<Option<String>, String> {
        if let Some(snap) = self.snap.take() {
            let member = self.member.as_str();
            self.snap_value = snap.await.map_err(|e| err(member, "read", e))?;
        }
        Ok(self.snap_value.as_ref().and_then(JsValue::as_string))
    }

    /// What the member's stores held, once read; `shared` holds the shared snapshot records
    /// read (see [`read_shared`]).
    pub async fn finish(mut self, shared: &SharedRecords) -> Result<LoadedDisk, String> {
        self.names().await?;
        let member = self.member.as_str();
        let e = |e| err(member, "read", e);
        let keys = self.keys.await.map_err(e)?;
        let values = self.values.await.map_err(e)?;
        let hard = self.hard.await.map_err(e)?;
        Ok(decode_disk(keys, values, hard, self.snap_value, shared))
    }
}

/// The shared snapshot records read, by key (`Err`: why one cannot be read).
pub type SharedRecords = std::collections::BTreeMap<String, Result<Snapshot, String>>;

/// The shared snapshot records being read.
pub struct SharedReading {
    records: Vec<(String, Answer<idb::request::GetStoreRequest>)>,
    all_keys: Answer<idb::request::GetAllKeysStoreRequest>,
}

/// What the shared store held: the records asked for, decoded once each, and the key of
/// every record it holds.
pub struct SharedRead {
    pub records: SharedRecords,
    pub stored: Vec<String>,
}

/// Issues the reads of the shared records `keys` (one readonly transaction), and of the
/// keys of every record stored.
pub fn read_shared(db: &Database, keys: &[String]) -> Result<SharedReading, String> {
    let e = |e| err(SHARED_STORE, "read", e);
    let tx = db
        .transaction(&[SHARED_STORE], TransactionMode::ReadOnly)
        .map_err(e)?;
    let store = tx.object_store(SHARED_STORE).map_err(e)?;
    let mut records = Vec::new();
    for k in keys {
        if records.iter().any(|(have, _)| have == k) {
            continue;
        }
        let get = store.get(JsValue::from_str(k)).map_err(e)?.into_future();
        records.push((k.clone(), get));
    }
    let all_keys = store.get_all_keys(None, None).map_err(e)?.into_future();
    Ok(SharedReading { records, all_keys })
}

impl SharedReading {
    pub async fn finish(self) -> Result<SharedRead, String> {
        let e = |e| err(SHARED_STORE, "read", e);
        let mut out = SharedRecords::new();
        for (k, get) in self.records {
            let decoded = match get.await.map_err(e)? {
                None => Err(format!("its record {k} is missing")),
                Some(v) => decode_shared(&k, &v),
            };
            out.insert(k, decoded);
        }
        let stored = self
            .all_keys
            .await
            .map_err(e)?
            .iter()
            .filter_map(JsValue::as_string)
            .collect();
        Ok(SharedRead {
            records: out,
            stored,
        })
    }
}

/// A shared record, which must be the snapshot its key names.
fn decode_shared(key: &str, v: &JsValue) -> Result<Snapshot, String> {
    let a = v
        .dyn_ref::<Uint8Array>()
        .ok_or_else(|| format!("its record {key}: {}", RecordError::NotBytes))?;
    let rec = a.to_vec();
    let s = record::decode_snapshot(&rec).map_err(|x| format!("its record {key}: {x}"))?;
    if shared::key(&s, &rec) != key {
        return Err(format!(
            "its record {key} holds another snapshot ({})",
            shared::key(&s, &rec)
        ));
    }
    Ok(s)
}

/// A member's disk from its stores' records; what cannot be read is listed, never a panic.
fn decode_disk(
    keys: Vec<JsValue>,
    values: Vec<JsValue>,
    hard: Option<JsValue>,
    snap: Option<JsValue>,
    shared: &SharedRecords,
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
        let snapshot = match v.as_string() {
            Some(k) => {
                let found = shared
                    .get(&k)
                    .cloned()
                    .unwrap_or_else(|| Err(format!("its record {k} was not read")));
                out.names = Some(k);
                found
            }
            None => decode_value(&v, record::decode_snapshot).map_err(|x| x.to_string()),
        };
        match snapshot {
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
