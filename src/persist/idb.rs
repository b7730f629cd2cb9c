//! IndexedDB as the members' disks (wasm, `ui` feature): three object stores per member —
//! `NAME.entries` (one record per log entry, keyed by index), `NAME.hardstate` and
//! `NAME.snapshot` (one record each) — holding the [`record`](super::record) byte format, and
//! one store the members share, `snapshots`: a member's snapshot record is kept there once,
//! under its [`shared::key`], and `NAME.snapshot` holds that key as a string (see
//! [`shared`](super::shared); a byte record there is a snapshot stored whole, as schema 2 did,
//! and still reads). A long record is stored in parts (see `idb_shared`, which reads the
//! shared store back).
//!
//! Writes come from the journal: [`write_members`] issues each member's [`Flush`] as one
//! readwrite transaction, created at once (so transactions run in the order they were issued)
//! and fed its records in slices between which the page paints, and hands back a future that
//! resolves when it committed. [`load`] reads a member back; a record that
//! cannot be read is reported, never a panic.
//! Owns: the member stores. Must not touch: the page's own stores (`ui::storage`).

use std::cell::{Cell, RefCell};
use std::future::IntoFuture;
use std::rc::Rc;

use idb::{Database, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

pub use super::idb_shared::{
    delete_shared, part_key, parts_of, read_shared, SharedRead, SharedReading, PART_BYTES,
};
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

pub(super) fn err(member: &str, what: &str, e: impl std::fmt::Display) -> String {
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

pub(super) fn classify(member: &str, e: impl std::fmt::Display) -> WriteError {
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
    Ok(settle(Ending::watch(raw), place, None))
}

/// How a transaction ended: committed, or why not (`chain`: a member write whose request
/// failed to issue says so). One future for every write, see [`commit_watched`].
async fn settle(ending: Ending, place: String, chain: Option<Rc<Chain>>) -> Result<(), WriteError> {
    if ending.ended().await {
        return Ok(());
    }
    // (the chain is held until its transaction ended: the later slices' handlers only hold
    // it weakly)
    match chain.and_then(|c| c.failed.borrow_mut().take()) {
        Some(e) => Err(e),
        None => Err(ending.why(&place)),
    }
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

    /// Why the transaction aborted, after `place` (where it happened).
    fn why(&self, place: &str) -> WriteError {
        match self.raw.error() {
            Some(e) => {
                let quota = e.name() == "QuotaExceededError";
                let why = format!("the transaction was aborted: {}: {}", e.name(), e.message());
                write_error(quota, place, why)
            }
            None => write_error(false, place, "the transaction was aborted".into()),
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

/// How many bytes of records one task hands to IndexedDB at most (a record larger than this
/// goes in a slice of its own). Encoding a record, copying it out of wasm and the browser's
/// structured clone of it all run on the page's main thread: after `load k8s large` a
/// member's flush is 124 MB, which issued at once kept the page from painting for 0.6–0.7 s.
/// 4 MB is a few milliseconds of that work.
pub const SLICE_BYTES: usize = 4 << 20;

/// Issues one member's writes as one transaction; the returned future resolves once the
/// transaction committed (or says why it did not). See [`write_members`].
pub fn write(
    db: &Database,
    member: &str,
    flush: &Flush,
    shared: &SharedSnapshots,
) -> Result<Issued<impl std::future::Future<Output = Result<(), WriteError>>>, WriteError> {
    let members = Rc::new(Members {
        disks: vec![(member.to_string(), flush.clone())],
        encoded: RefCell::default(),
    });
    write_member(db, &members, 0, shared)
}

/// Issues each member's writes of one flush, each as one transaction (created now, in the
/// order given, so transactions run in the order flushes were made), and hands back what
/// [`write`] does for each. The records go to the browser in slices of [`SLICE_BYTES`]: the
/// first slice now, each later one from the `success` of the slice before (its transaction
/// stays active then), so the page paints between slices and a transaction still commits
/// all of a member's writes or none.
pub fn write_members(
    db: &Database,
    disks: Vec<(String, Flush)>,
    shared: &SharedSnapshots,
) -> Vec<Result<Issued<impl std::future::Future<Output = Result<(), WriteError>>>, WriteError>> {
    let n = disks.len();
    let members = Rc::new(Members {
        disks,
        encoded: RefCell::default(),
    });
    (0..n)
        .map(|i| write_member(db, &members, i, shared))
        .collect()
}

/// The flushes being written. They are kept until every member's slices are issued: the
/// entry records in `encoded` are keyed by their data's address, which is sound only while
/// that data is alive.
struct Members {
    disks: Vec<(String, Flush)>,
    encoded: RefCell<EncodedEntries>,
}

/// Entry records encoded while one flush is issued, by entry: the members' logs hold the same
/// entries (their data one allocation in memory), so each record is encoded, checksummed and
/// copied out of wasm once per flush instead of once per member (after `load k8s large`:
/// 124 MB each). Keyed by the data's address and length with the index and term (see
/// [`Members`]).
#[derive(Default)]
struct EncodedEntries(Vec<EncodedEntry>);

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

/// One request of a member's write, in the order they are issued.
#[derive(Clone, Copy)]
enum Step {
    /// Every store emptied.
    Clear,
    /// `flush.entries[op]`'s `i`th entry written.
    Put(usize, usize),
    /// `flush.entries[op]`, a range of entries, deleted.
    Delete(usize),
    HardState,
    /// Part `i` of the shared snapshot record (the whole record when it has one part).
    Record(usize),
    /// The member's snapshot store naming the shared record.
    Names,
}

/// The snapshot a member's write saves: its shared record's key, and the record with its
/// checksum when this write stores it too.
struct Stored {
    record: Option<(record::SnapshotRecord, u32)>,
    key: String,
}

impl Stored {
    /// How many parts the record is stored in (0: this write does not store it; 1: whole,
    /// as `parts_of` reads it back).
    fn parts(&self) -> usize {
        self.record
            .as_ref()
            .map_or(0, |(rec, _)| rec.len().div_ceil(PART_BYTES).max(1))
    }

    /// Where part `i` lies in the record.
    fn part(&self, i: usize) -> std::ops::Range<usize> {
        let len = self.record.as_ref().map_or(0, |(rec, _)| rec.len());
        let start = i.saturating_mul(PART_BYTES).min(len);
        start..start.saturating_add(PART_BYTES).min(len)
    }

    /// Part `i`'s key and its bytes, copied out of the snapshot into the browser's memory.
    fn part_value(&self, i: usize) -> (String, JsValue) {
        let key = match self.parts() {
            1 => self.key.clone(),
            _ => part_key(&self.key, i),
        };
        let Some((rec, sum)) = &self.record else {
            return (key, JsValue::UNDEFINED);
        };
        let range = self.part(i);
        let value = Uint8Array::new_with_length(range.len() as u32);
        let mut at = 0u32;
        rec.read(*sum, range, |b| {
            let end = at + b.len() as u32;
            value.subarray(at, end).copy_from(b);
            at = end;
        });
        (key, value.into())
    }
}

/// A member's write while its slices are issued.
struct Chain {
    members: Rc<Members>,
    at: usize,
    tx: web_sys::IdbTransaction,
    /// The member's entries, hard state and snapshot stores.
    stores: [idb::ObjectStore; 3],
    /// The shared snapshot store, when this write stores a record there.
    shared_store: Option<idb::ObjectStore>,
    steps: Vec<Step>,
    next: Cell<usize>,
    /// The member's snapshot, if the flush saves one.
    snapshot: Option<Stored>,
    /// A request that could not be issued (the transaction was aborted for it).
    failed: RefCell<Option<WriteError>>,
    /// What issues the next slice, from the success of the slice before.
    next_slice: RefCell<Option<wasm_bindgen::closure::Closure<dyn FnMut()>>>,
}

fn write_member(
    db: &Database,
    members: &Rc<Members>,
    at: usize,
    shared: &SharedSnapshots,
) -> Result<Issued<impl std::future::Future<Output = Result<(), WriteError>>>, WriteError> {
    let (member, flush) = &members.disks[at];
    let c = |e| classify(member, e);
    // the snapshot's record (when this write stores it) and its key: the record is read
    // out of the snapshot part by part as its slices are issued, never encoded whole (a
    // record of hundreds of MB is neither copied in the wasm heap, which never shrinks, nor
    // handed to the browser at once), and its checksum is computed only when the page did
    // not compute it beforehand, between frames (see `shared.remember_key`)
    // (A Blob instead of byte arrays was tried: IndexedDB stores it without a structured
    // clone on the page, but Chromium 156 then fails the commit with "DataError: Failed to
    // write blobs (InvalidBlob)" once the page holds a few GB, which is when records are this
    // large: a second `load k8s large` here, and outside the page the fourth 140 MB Blob
    // beside a 3.5 GB wasm memory.)
    let snapshot = flush.snapshot.as_ref().map(|s| {
        let rec = record::SnapshotRecord::new(s);
        let (key, sum) = match shared.key_known(s) {
            Some(key) => {
                let sum = shared::record_sum(&key).unwrap_or_else(|| rec.checksum());
                (key, sum)
            }
            None => {
                let sum = rec.checksum();
                let key = shared::key_of(s, sum, rec.len());
                shared.remember_key(s, &key);
                (key, sum)
            }
        };
        let carries = shared.must_store(&key);
        Stored {
            record: carries.then_some((rec, sum)),
            key,
        }
    });
    let [es, hs, sn] = store_names(member);
    let mut scope = vec![es.as_str(), hs.as_str(), sn.as_str()];
    if matches!(&snapshot, Some(s) if s.record.is_some()) {
        scope.push(SHARED_STORE);
    }
    let tx = db
        .transaction(&scope, TransactionMode::ReadWrite)
        .map_err(c)?;
    let stores = [
        tx.object_store(&es).map_err(c)?,
        tx.object_store(&hs).map_err(c)?,
        tx.object_store(&sn).map_err(c)?,
    ];
    let shared_store = match scope.len() {
        4 => Some(tx.object_store(SHARED_STORE).map_err(c)?),
        _ => None,
    };
    let tx: web_sys::IdbTransaction = tx.into();
    let ending = Ending::watch(tx.clone());
    let mut steps = Vec::new();
    if flush.clear {
        steps.push(Step::Clear);
    }
    for (op, change) in flush.entries.iter().enumerate() {
        match change {
            EntryOp::Put(list) => steps.extend((0..list.len()).map(|i| Step::Put(op, i))),
            EntryOp::Delete { .. } => steps.push(Step::Delete(op)),
        }
    }
    if flush.hard_state.is_some() {
        steps.push(Step::HardState);
    }
    let written = match &snapshot {
        Some(stored) => {
            steps.extend((0..stored.parts()).map(Step::Record));
            steps.push(Step::Names);
            Some(SnapshotWrite {
                member: member.to_string(),
                names: Some(stored.key.clone()),
                carries: stored.record.is_some(),
            })
        }
        None if flush.clear => Some(SnapshotWrite {
            member: member.to_string(),
            names: None,
            carries: false,
        }),
        None => None,
    };
    let chain = Rc::new(Chain {
        members: members.clone(),
        at,
        tx,
        stores,
        shared_store,
        steps,
        next: Cell::new(0),
        snapshot,
        failed: RefCell::new(None),
        next_slice: RefCell::new(None),
    });
    chain.issue_slice();
    if let Some(e) = chain.failed.borrow_mut().take() {
        return Err(e);
    }
    let place = format!("{member}'s disk: write");
    Ok(Issued {
        commit: settle(ending, place, Some(chain)),
        snapshot: written,
    })
}

impl Chain {
    /// Issues the next slice of requests, then the commit once all are issued.
    fn issue_slice(self: &Rc<Self>) {
        SLICES.with(|n| n.set(n.get() + 1));
        let mut size = 0;
        let mut last: Option<web_sys::IdbRequest> = None;
        while let Some(&step) = self.steps.get(self.next.get()) {
            let bytes = self.bytes(step);
            if last.is_some() && size + bytes > SLICE_BYTES {
                break;
            }
            match self.issue(step) {
                Ok(request) => last = Some(request),
                Err(e) => return self.fail(e),
            }
            self.next.set(self.next.get() + 1);
            size += bytes;
        }
        match last {
            Some(request) if self.next.get() < self.steps.len() => {
                // (one handler for every slice of this write; it holds the chain weakly, and
                // the chain holds it until the transaction ended, after its last success)
                let mut next = self.next_slice.borrow_mut();
                let handler = next.get_or_insert_with(|| {
                    let chain = Rc::downgrade(self);
                    wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                        if let Some(chain) = chain.upgrade() {
                            chain.issue_slice();
                        }
                    })
                });
                request.set_onsuccess(Some(handler.as_ref().unchecked_ref()));
            }
            _ => {
                // (`commit` is in IndexedDB 3.0 and every browser; web-sys marks it
                // deprecated, as idb's own `commit` notes)
                #[allow(deprecated)]
                if let Err(e) = self.tx.commit() {
                    let why = e.as_string().unwrap_or_else(|| "commit refused".into());
                    self.fail(classify(self.member(), why));
                }
            }
        }
    }

    fn member(&self) -> &str {
        &self.members.disks[self.at].0
    }

    fn flush(&self) -> &Flush {
        &self.members.disks[self.at].1
    }

    /// What a step hands the browser, in bytes (0: a few bytes).
    fn bytes(&self, step: Step) -> usize {
        match step {
            Step::Put(op, i) => match &self.flush().entries[op] {
                EntryOp::Put(list) => list.get(i).map_or(0, |e| e.data.len()),
                EntryOp::Delete { .. } => 0,
            },
            Step::Record(i) => self.snapshot.as_ref().map_or(0, |s| s.part(i).len()),
            _ => 0,
        }
    }

    fn issue(&self, step: Step) -> Result<web_sys::IdbRequest, WriteError> {
        let member = self.member();
        let c = |e| classify(member, e);
        let [entries, hard, snap] = &self.stores;
        let flush = self.flush();
        Ok(match step {
            Step::Clear => {
                entries.clear().map_err(c)?;
                hard.clear().map_err(c)?;
                snap.clear().map_err(c)?.into()
            }
            Step::Put(op, i) => {
                let Some(EntryOp::Put(list)) = flush.entries.get(op) else {
                    return Err(classify(member, "no such entry"));
                };
                let Some(e) = list.get(i) else {
                    return Err(classify(member, "no such entry"));
                };
                let value = self.members.encoded.borrow_mut().record(e);
                entries.put(&value, Some(&key(e.index))).map_err(c)?.into()
            }
            Step::Delete(op) => {
                let Some(EntryOp::Delete { from, to }) = flush.entries.get(op) else {
                    return Err(classify(member, "no such deletion"));
                };
                let range = match to {
                    Some(to) => KeyRange::bound(&key(*from), &key(*to), None, None),
                    None => KeyRange::lower_bound(&key(*from), None),
                }
                .map_err(c)?;
                entries.delete(Query::from(range)).map_err(c)?.into()
            }
            Step::HardState => {
                let h = flush.hard_state.as_ref().cloned().unwrap_or_default();
                hard.put(
                    &bytes(&record::encode_hard_state(&h)),
                    Some(&JsValue::from_str(HARD_STATE_KEY)),
                )
                .map_err(c)?
                .into()
            }
            Step::Record(i) => {
                let Some(stored) = &self.snapshot else {
                    return Err(classify(member, "no snapshot to store"));
                };
                let (key, value) = stored.part_value(i);
                let Some(store) = &self.shared_store else {
                    return Err(classify(
                        member,
                        "the shared snapshot store is not in the scope",
                    ));
                };
                store
                    .put(&value, Some(&JsValue::from_str(&key)))
                    .map_err(c)?
                    .into()
            }
            Step::Names => {
                let key = self
                    .snapshot
                    .as_ref()
                    .map(|s| s.key.clone())
                    .unwrap_or_default();
                snap.put(
                    &JsValue::from_str(&key),
                    Some(&JsValue::from_str(SNAPSHOT_KEY)),
                )
                .map_err(c)?
                .into()
            }
        })
    }

    /// A request could not be issued: nothing of this write may commit.
    fn fail(&self, e: WriteError) {
        let _ = self.tx.abort();
        self.failed.borrow_mut().get_or_insert(e);
    }
}

thread_local! {
    static SLICES: Cell<usize> = const { Cell::new(0) };
}

/// How many slices of member writes this page has issued (for tests).
pub fn slices_issued() -> usize {
    SLICES.with(Cell::get)
}

/// What a member's stores held.
#[derive(Clone, Debug, Default, PartialEq)]
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
pub(super) type Answer<R> = <R as IntoFuture>::IntoFuture;

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
