//! The page's IndexedDB databases (one a lab, see `labs::db_name`; `etcd-playground` is the
//! local lab's): their schema and migrations, the `meta`
//! record (the [`PlaygroundState`]: seed, clock, environment, settings, hints) and the
//! `inputs` store (the console's history); the members' own stores are `persist::idb`'s.
//!
//! Schema versions (the database version): 1 had only `inputs` (a reload replayed them from
//! the seed); 2 adds `meta` and three stores per member; 3 adds `snapshots`, where a snapshot
//! the members share is stored once (a member's snapshot written whole by version 2 still
//! reads). Opening a version-1 database upgrades it in place; the page then finds inputs but
//! no `meta` and migrates by replaying the inputs once and writing the members' disks whole.
//!
//! Owns: the database, `meta`, `inputs`. Must not touch: the playground's state (it only
//! hands back what was stored).

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

use crate::playground::session::persistence::{
    member_stores as disk_idb, stored_members, DiskState, Flush, SharedSnapshots,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub use crate::playground::session::PlaygroundState;
pub use disk_idb::WriteError;

/// The local lab's database (the page's original one).
pub const DB_NAME: &str = super::labs::BASE_DB_NAME;
const DB_VERSION: u32 = crate::playground::session::SCHEMA_VERSION;
const INPUTS: &str = "inputs";
const META: &str = "meta";
const META_KEY: &str = "playground";

pub use crate::playground::session::InputRecord;

/// What a load found: the readable records in order, and a note for each one that was not.
#[derive(Debug, Default, PartialEq)]
pub struct Loaded {
    pub records: Vec<InputRecord>,
    pub unreadable: Vec<String>,
}

fn err(context: &str, e: impl std::fmt::Display) -> String {
    format!("IndexedDB: {context}: {e}")
}

/// A lab's database as opened, and whether that open created it.
pub struct OpenedDb {
    pub db: Database,
    /// The database did not exist before this open: nothing is stored in it, so the page
    /// need not read it (see [`Stored::created`]).
    pub created: bool,
}

/// Opens (creating or upgrading as needed) the database called `name`.
pub async fn open(name: &str) -> Result<Database, String> {
    open_lab(name).await.map(|o| o.db)
}

/// Opens (creating or upgrading as needed) the database called `name`, noting whether it was
/// created.
pub async fn open_lab(name: &str) -> Result<OpenedDb, String> {
    let factory = Factory::new().map_err(|e| err("not available", e))?;
    let mut request = factory
        .open(name, Some(DB_VERSION))
        .map_err(|e| err("open", e))?;
    let created = Rc::new(std::cell::Cell::new(false));
    let noted = created.clone();
    request.on_upgrade_needed(move |event| {
        // (an upgrade from version 0: the browser had no such database)
        noted.set(event.old_version().is_ok_and(|v| v == 0));
        // From nothing or from version 1: create what is missing (an upgrade that cannot
        // create its stores fails the open request itself).
        if let Ok(db) = event.database() {
            if !db.store_names().iter().any(|n| n == INPUTS) {
                let mut params = ObjectStoreParams::new();
                params.auto_increment(true);
                let _ = db.create_object_store(INPUTS, params);
            }
            if !db.store_names().iter().any(|n| n == META) {
                let _ = db.create_object_store(META, ObjectStoreParams::new());
            }
            for name in stored_members() {
                let _ = disk_idb::create_stores(&db, name);
            }
            let _ = disk_idb::create_shared_store(&db);
        }
    });
    let db = request.await.map_err(|e| err("open", e))?;
    Ok(OpenedDb {
        db,
        created: created.get(),
    })
}

/// Appends one input and waits until the transaction has committed.
pub async fn append(db: &Database, record: &InputRecord) -> Result<(), String> {
    let json = serde_json::to_string(record).map_err(|e| err("encode", e))?;
    let tx = db
        .transaction(&[INPUTS], TransactionMode::ReadWrite)
        .map_err(|e| err("transaction", e))?;
    let store = tx.object_store(INPUTS).map_err(|e| err("store", e))?;
    store
        .add(&JsValue::from_str(&json), None)
        .map_err(|e| err("add", e))?
        .await
        .map_err(|e| err("add", e))?;
    tx.commit()
        .map_err(|e| err("commit", e))?
        .await
        .map_err(|e| err("commit", e))?;
    Ok(())
}

/// Reads every stored input in the order it was run.
pub async fn load(db: &Database) -> Result<Loaded, String> {
    let tx = db
        .transaction(&[INPUTS], TransactionMode::ReadOnly)
        .map_err(|e| err("transaction", e))?;
    let store = tx.object_store(INPUTS).map_err(|e| err("store", e))?;
    let values = store
        .get_all(None, None)
        .map_err(|e| err("read", e))?
        .await
        .map_err(|e| err("read", e))?;
    let mut loaded = Loaded::default();
    for (i, value) in values.into_iter().enumerate() {
        match value
            .as_string()
            .map(|s| serde_json::from_str::<InputRecord>(&s))
        {
            Some(Ok(record)) => loaded.records.push(record),
            Some(Err(e)) => loaded.unreadable.push(format!("record {}: {e}", i + 1)),
            None => loaded
                .unreadable
                .push(format!("record {}: not a string", i + 1)),
        }
    }
    Ok(loaded)
}

/// Forgets every stored input (a fresh playground).
pub async fn clear(db: &Database) -> Result<(), String> {
    let tx = db
        .transaction(&[INPUTS], TransactionMode::ReadWrite)
        .map_err(|e| err("transaction", e))?;
    let store = tx.object_store(INPUTS).map_err(|e| err("store", e))?;
    store
        .clear()
        .map_err(|e| err("clear", e))?
        .await
        .map_err(|e| err("clear", e))?;
    tx.commit()
        .map_err(|e| err("commit", e))?
        .await
        .map_err(|e| err("commit", e))?;
    Ok(())
}

/// Replaces the stored inputs with `records` (after a rewind, or a reset).
pub async fn rewrite(db: &Database, records: &[InputRecord]) -> Result<(), String> {
    clear(db).await?;
    for r in records {
        append(db, r).await?;
    }
    Ok(())
}

/// Everything a load found.
#[derive(Debug, Default, PartialEq)]
pub struct Stored {
    /// The playground's state, if stored (none: a fresh or a version-1 database).
    pub state: Option<PlaygroundState>,
    /// Why the state record could not be read.
    pub state_problem: Option<String>,
    /// Each member's disk as read.
    pub disks: BTreeMap<String, disk_idb::LoadedDisk>,
    /// The key of every shared snapshot record stored.
    pub shared_stored: Vec<String>,
    pub inputs: Loaded,
}

impl Stored {
    /// What [`load_all`] finds in a database just created, without reading it: no state, and
    /// each stored member's disk not found.
    pub fn created() -> Stored {
        let mut out = Stored::default();
        // (inserted one at a time: a BTreeMap collected from an iterator sorts it first, and
        // that sort's copy for this type cost 3 KB of the first visit's wasm)
        for name in stored_members() {
            out.disks
                .insert(name.to_string(), disk_idb::LoadedDisk::default());
        }
        out
    }

    /// Members whose disk has unreadable records: name and what is wrong.
    pub fn damaged(&self) -> Vec<(String, String)> {
        self.disks
            .iter()
            .filter(|(_, d)| !d.problems.is_empty())
            .map(|(n, d)| (n.clone(), d.problems.join("; ")))
            .collect()
    }

    /// The shared snapshot records as stored: which each member names, which exist.
    pub fn shared_snapshots(&self) -> SharedSnapshots {
        SharedSnapshots::found(
            self.disks
                .iter()
                .filter_map(|(n, d)| Some((n.clone(), d.names.clone()?))),
            self.shared_stored.iter().cloned(),
        )
    }

    /// The disks that can start a member (damaged and missing ones left out: those members
    /// start empty and are restored from their peers).
    pub fn usable_disks(&self) -> BTreeMap<String, DiskState> {
        self.disks
            .iter()
            .filter(|(_, d)| d.problems.is_empty() && d.found)
            .map(|(n, d)| (n.clone(), d.state.clone()))
            .collect()
    }
}

/// Reads the state, every member's disk and the inputs.
pub async fn load_all(db: &Database) -> Result<Stored, String> {
    let mut out = Stored::default();
    let tx = db
        .transaction(&[META], TransactionMode::ReadOnly)
        .map_err(|e| err("transaction", e))?;
    let value = tx
        .object_store(META)
        .map_err(|e| err("store", e))?
        .get(JsValue::from_str(META_KEY))
        .map_err(|e| err("read", e))?
        .await
        .map_err(|e| err("read", e))?;
    if let Some(v) = value {
        match v
            .as_string()
            .map(|s| serde_json::from_str::<PlaygroundState>(&s))
        {
            Some(Ok(st)) => out.state = Some(st),
            Some(Err(e)) => out.state_problem = Some(format!("the playground record: {e}")),
            None => out.state_problem = Some("the playground record is not text".to_string()),
        }
    }
    // (every member's reads are issued before any is awaited: the browser reads them at once;
    // each member's snapshot store answers first, and the shared records they name are read
    // once each, alongside the members' entries)
    let mut reading = Vec::new();
    for name in stored_members() {
        reading.push((name, disk_idb::read(db, name)?));
    }
    let mut names = Vec::new();
    for (_, r) in &mut reading {
        names.extend(r.names().await?);
    }
    let shared = disk_idb::read_shared(db, &names)?.finish().await?;
    for (name, r) in reading {
        out.disks
            .insert(name.to_string(), r.finish(&shared.records).await?);
    }
    out.shared_stored = shared.stored;
    out.inputs = load(db).await?;
    Ok(out)
}

type Pending = Pin<Box<dyn Future<Output = Result<(), WriteError>>>>;

/// Issues one flush now — each member's writes in its own transaction, then the state and new
/// inputs in one more — and resolves once all of them committed. Transactions are issued in
/// order, so flushes land in the order they were made. `shared` is the bookkeeping of the
/// shared snapshot records: each member write settles in it (then call [`delete_unnamed`]).
pub fn flush(
    db: &Database,
    shared: &Rc<RefCell<SharedSnapshots>>,
    disks: Vec<(String, Flush)>,
    state: Option<&PlaygroundState>,
    clear_inputs: bool,
    inputs: &[InputRecord],
) -> impl Future<Output = Result<(), WriteError>> {
    let mut pending: Vec<Pending> = Vec::new();
    let mut first_error = None;
    // Only the default members have stores; members a `member add` brought in are not kept
    // across a reload (the restored world is the default three).
    let kept: Vec<(String, Flush)> = disks
        .into_iter()
        .filter(|(n, _)| stored_members().any(|m| m == n.as_str()))
        .collect();
    let issued_all = disk_idb::write_members(db, kept, &shared.borrow());
    for issued in issued_all {
        match issued {
            Ok(w) => {
                shared.borrow_mut().issued();
                let shared = shared.clone();
                pending.push(Box::pin(async move {
                    let r = w.commit.await;
                    shared.borrow_mut().settled(w.snapshot.as_ref(), r.is_ok());
                    r
                }));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if state.is_some() || clear_inputs || !inputs.is_empty() {
        match write_state(db, state, clear_inputs, inputs) {
            Ok(fut) => pending.push(Box::pin(fut)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    async move {
        for p in pending {
            if let Err(e) = p.await {
                first_error.get_or_insert(e);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Once no write is in flight, issues the deletion of the shared snapshot records no member
/// names any more. (A deletion that fails leaves records no one names: the next open finds
/// them, and the first flush after it deletes them.)
pub fn delete_unnamed(
    db: &Database,
    shared: &RefCell<SharedSnapshots>,
) -> Option<impl Future<Output = Result<(), WriteError>>> {
    let unnamed = shared.borrow_mut().take_unnamed();
    if unnamed.is_empty() {
        return None;
    }
    disk_idb::delete_shared(db, &unnamed).ok()
}

fn write_state(
    db: &Database,
    state: Option<&PlaygroundState>,
    clear_inputs: bool,
    inputs: &[InputRecord],
) -> Result<impl std::future::Future<Output = Result<(), WriteError>>, WriteError> {
    let e = |e: idb::Error| WriteError::Other(err("write", e));
    let tx = db
        .transaction(&[META, INPUTS], TransactionMode::ReadWrite)
        .map_err(e)?;
    if let Some(st) = state {
        let json = serde_json::to_string(st).map_err(|x| WriteError::Other(err("encode", x)))?;
        tx.object_store(META)
            .map_err(e)?
            .put(
                &JsValue::from_str(&json),
                Some(&JsValue::from_str(META_KEY)),
            )
            .map_err(e)?;
    }
    let store = tx.object_store(INPUTS).map_err(e)?;
    if clear_inputs {
        store.clear().map_err(e)?;
    }
    for r in inputs {
        let json = serde_json::to_string(r).map_err(|x| WriteError::Other(err("encode", x)))?;
        store.add(&JsValue::from_str(&json), None).map_err(e)?;
    }
    disk_idb::commit_watched(tx, "IndexedDB: write".to_string()).map_err(e)
}

/// Empties every store (reset the playground).
pub async fn clear_all(db: &Database) -> Result<(), String> {
    let names = db.store_names();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let tx = db
        .transaction(&refs, TransactionMode::ReadWrite)
        .map_err(|e| err("transaction", e))?;
    for n in &names {
        tx.object_store(n)
            .map_err(|e| err("store", e))?
            .clear()
            .map_err(|e| err("clear", e))?;
    }
    tx.commit()
        .map_err(|e| err("commit", e))?
        .await
        .map_err(|e| err("commit", e))?;
    Ok(())
}
