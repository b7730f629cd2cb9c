//! "Export what can be read" (the disk banner's button, wasm only): every readable record of
//! a lab's database as one JSON file — the playground's state, each member's hard state,
//! snapshot and entries with what could not be read, and the console's inputs.
//!
//! Built for any store the page can hold: the file goes into a Blob part by part, never one
//! string, and bytes (snapshot and entry data) are written as base64 text (`data_base64`), a
//! few MB at a time. The large /registry sample's snapshot is hundreds of MB: written as a
//! JSON array of numbers through a `serde_json::Value` it would need gigabytes, more than a
//! wasm page has.
//!
//! What it exports is what the page read when it opened, if that read found damage (the page
//! then rewrites the damaged disks: a member restored from its peers, or a cluster that cannot
//! come back), and the database as it is now otherwise.
//!
//! Owns: the export's file layout, the damaged read kept for it. Must not touch: the stores
//! (it reads through `storage`).

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::labs::db_name;
use super::storage::{self, Stored};
use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;
use crate::playground::session::SCHEMA_VERSION;

/// How much text is gathered before it becomes a Blob part.
const PART: usize = 4 << 20;
/// Bytes base64-encoded at a time (a multiple of 3: the pieces join into one base64 text).
const BASE64_RUN: usize = 3 << 20;

type LabAt = (LabKind, EtcdVersion);

thread_local! {
    /// The read of a lab's database that found damage, as the page opened it.
    static KEPT: RefCell<Option<(LabAt, Rc<Stored>)>> = const { RefCell::new(None) };
}

/// Keeps `stored`, lab `lab`'s read at open, for the export (`None`: nothing to keep).
pub fn keep(lab: LabAt, stored: Option<Stored>) {
    KEPT.with(|k| *k.borrow_mut() = stored.map(|s| (lab, Rc::new(s))));
}

/// Downloads lab `lab.0` at etcd `lab.1`'s readable records as `NAME-export.json`.
pub fn export(lab: LabAt) {
    let kept = KEPT.with(|k| {
        k.borrow()
            .as_ref()
            .filter(|(at, _)| *at == lab)
            .map(|(_, s)| s.clone())
    });
    wasm_bindgen_futures::spawn_local(async move {
        let name = format!("{}-export.json", db_name(lab.0, lab.1));
        let read = match kept {
            Some(stored) => Ok(stored),
            None => read(lab).await.map(Rc::new),
        };
        let parts = match read {
            Ok(stored) => file(&stored),
            Err(e) => {
                let mut f = Parts::default();
                f.text("{\"error\":");
                f.json(&e);
                f.text("}");
                f.finish()
            }
        };
        super::persistence::download_parts(&name, "application/json", &parts);
    });
}

async fn read(lab: LabAt) -> Result<Stored, String> {
    let db = storage::open(&db_name(lab.0, lab.1)).await?;
    let stored = storage::load_all(&db).await;
    db.close();
    stored
}

/// The export of `stored`, as Blob parts.
fn file(stored: &Stored) -> js_sys::Array {
    let mut f = Parts::default();
    f.text("{\"schema\":");
    f.json(&SCHEMA_VERSION);
    f.text(",\"state\":");
    f.json(&stored.state);
    f.text(",\"state_problem\":");
    f.json(&stored.state_problem);
    f.text(",\"members\":{");
    for (i, (name, d)) in stored.disks.iter().enumerate() {
        if i > 0 {
            f.text(",");
        }
        f.json(name);
        f.text(":{\"hard_state\":");
        f.json(&d.state.hard_state);
        f.text(",\"problems\":");
        f.json(&d.problems);
        f.text(",\"snapshot\":{\"metadata\":");
        f.json(&d.state.snapshot.metadata);
        f.text(",\"data_base64\":");
        f.base64(&d.state.snapshot.data);
        f.text("},\"entries\":[");
        for (j, e) in d.state.entries.iter().enumerate() {
            if j > 0 {
                f.text(",");
            }
            f.text(&format!(
                "{{\"term\":{},\"index\":{},\"entry_type\":",
                e.term, e.index
            ));
            f.json(&e.entry_type);
            f.text(",\"data_base64\":");
            f.base64(&e.data);
            f.text("}");
        }
        f.text("]}");
    }
    f.text("},\"inputs\":");
    f.json(&stored.inputs.records);
    f.text(",\"unreadable_inputs\":");
    f.json(&stored.inputs.unreadable);
    f.text("}");
    f.finish()
}

/// The file being written: Blob parts, and the text not yet made one.
#[derive(Default)]
struct Parts {
    done: Vec<JsValue>,
    buf: Vec<u8>,
}

impl Parts {
    fn text(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
        if self.buf.len() >= PART {
            self.cut();
        }
    }

    /// `v` as JSON (what cannot be written as JSON is written as `null`).
    fn json<T: Serialize + ?Sized>(&mut self, v: &T) {
        let at = self.buf.len();
        if serde_json::to_writer(&mut self.buf, v).is_err() {
            self.buf.truncate(at);
            self.buf.extend_from_slice(b"null");
        }
        if self.buf.len() >= PART {
            self.cut();
        }
    }

    /// `bytes` as a JSON string of their base64.
    fn base64(&mut self, bytes: &[u8]) {
        self.text("\"");
        for run in bytes.chunks(BASE64_RUN) {
            let mut s = String::new();
            base64::engine::general_purpose::STANDARD.encode_string(run, &mut s);
            self.text(&s);
        }
        self.text("\"");
    }

    fn cut(&mut self) {
        if !self.buf.is_empty() {
            self.done
                .push(js_sys::Uint8Array::from(&self.buf[..]).into());
            self.buf.clear();
        }
    }

    fn finish(mut self) -> js_sys::Array {
        self.cut();
        self.done.into_iter().collect()
    }
}
