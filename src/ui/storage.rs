//! The page's IndexedDB slice: the console's input log, kept so that a reload resumes the
//! same world. The world is deterministic, so replaying the seed and the inputs in order
//! rebuilds exactly the state the user left (the per-member disks come with issue 7).
//!
//! Owns: the `etcd-playground` database and its `inputs` object store.
//! Must not touch: the playground's state (it only hands back what was stored).

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

/// The database the page uses.
pub const DB_NAME: &str = "etcd-playground";
const DB_VERSION: u32 = 1;
const INPUTS: &str = "inputs";

pub use super::shell::InputRecord;

/// What a load found: the readable records in order, and a note for each one that was not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<InputRecord>,
    pub unreadable: Vec<String>,
}

fn err(context: &str, e: impl std::fmt::Display) -> String {
    format!("IndexedDB: {context}: {e}")
}

/// Opens (creating or upgrading as needed) the database called `name`.
pub async fn open(name: &str) -> Result<Database, String> {
    let factory = Factory::new().map_err(|e| err("not available", e))?;
    let mut request = factory
        .open(name, Some(DB_VERSION))
        .map_err(|e| err("open", e))?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            if !db.store_names().iter().any(|n| n == INPUTS) {
                let mut params = ObjectStoreParams::new();
                params.auto_increment(true);
                // An upgrade that cannot create its store fails the open request itself.
                let _ = db.create_object_store(INPUTS, params);
            }
        }
    });
    request.await.map_err(|e| err("open", e))
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
