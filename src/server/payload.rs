//! The payload codec: what a normal Raft entry carries ([`Payload`]: a client request, a
//! member publishing itself, the cluster version), what a conf change entry's context carries
//! ([`ConfChangeContext`]), their encodings, and one-line summaries for views and traces.
//!
//! Owns: the bytes of entries as this member writes and reads them. Must not touch: Raft
//! rules, the state machine, the network.

use serde::{Deserialize, Serialize};

use crate::api::{Member as ApiMember, Request};
use crate::raft::{ConfChange, Entry, EntryType};

/// What one normal Raft entry carries (encoded into `Entry::data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A client request, with the ID the proposing member gave it and the auth token it came
    /// with.
    Request {
        id: u64,
        req: Request,
        auth_token: Option<String>,
    },
    /// A member publishes its name and client URLs once it has joined (etcd's `publish`).
    Publish {
        member_id: u64,
        name: String,
        client_urls: Vec<String>,
    },
    /// The leader sets the cluster version once every member has published.
    ClusterVersion(String),
    /// A member publishes its name and client URLs, with the ID of etcd's v2 request that
    /// carries them (`etcdutl backup` prints it); replaces [`Payload::Publish`], which entries
    /// stored before it still hold.
    Attributes {
        request_id: u64,
        member_id: u64,
        name: String,
        client_urls: Vec<String>,
    },
}

impl Payload {
    pub fn encode(&self) -> Vec<u8> {
        // Sized for a put up front (the vector would otherwise grow several times).
        let hint = match self {
            Payload::Request {
                req: Request::Put(p),
                ..
            } => p.key.len() + p.value.len() + 48,
            _ => 64,
        };
        crate::api::bytes::postcard_append(self, Vec::with_capacity(hint)).unwrap_or_default()
    }

    pub fn decode(data: &[u8]) -> Option<Payload> {
        postcard::from_bytes(data).ok()
    }

    /// A short description for views and traces (`put foo`, `publish infra1`, ...).
    pub fn summary(&self) -> String {
        match self {
            Payload::Request { req, .. } => request_summary(req),
            Payload::Publish { name, .. } | Payload::Attributes { name, .. } => {
                format!("publish {name}")
            }
            Payload::ClusterVersion(v) => format!("cluster version {v}"),
        }
    }
}

/// What a conf change entry's context carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfChangeContext {
    pub member: ApiMember,
    /// The ID of the client request that proposed it (0 for bootstrap).
    pub request_id: u64,
}

pub fn encode_conf_change(cc: &ConfChange) -> Vec<u8> {
    postcard::to_allocvec(cc).unwrap_or_default()
}

pub fn decode_conf_change(data: &[u8]) -> Option<ConfChange> {
    postcard::from_bytes(data).ok()
}

/// A one-line description of a log entry, for views and traces.
pub fn entry_summary(e: &Entry) -> String {
    match e.entry_type {
        EntryType::ConfChange => match decode_conf_change(&e.data) {
            Some(cc) => format!("conf change {:?} {:x}", cc.change_type, cc.node_id),
            None => "conf change".to_string(),
        },
        EntryType::Normal if e.data.is_empty() => "(empty)".to_string(),
        EntryType::Normal => {
            Payload::decode(&e.data).map_or_else(|| "?".to_string(), |p| p.summary())
        }
    }
}

/// A one-line description of a request.
pub fn request_summary(req: &Request) -> String {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match req {
        Request::Range(r) => format!("range {}", s(&r.key)),
        Request::Put(r) => format!("put {}", s(&r.key)),
        Request::DeleteRange(r) => format!("delete {}", s(&r.key)),
        Request::Txn(_) => "txn".to_string(),
        Request::Compaction(c) => format!("compact {}", c.revision),
        Request::LeaseGrant(l) => format!("lease grant {:x}", l.id),
        Request::LeaseRevoke { id } => format!("lease revoke {id:x}"),
        Request::Alarm { .. } => "alarm".to_string(),
        Request::Auth(_) => "auth".to_string(),
        other => {
            let d = format!("{other:?}");
            d.split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase()
        }
    }
}

pub(super) fn digest(data: &[u8]) -> u64 {
    // FNV-1a over 8-byte words (then the tail byte by byte): cheap, deterministic; used by
    // safety checks to compare applied entries. Word steps keep it fast on 100 kB entries.
    let mut h = 0xcbf29ce484222325u64 ^ data.len() as u64;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(0x100000001b3);
        h ^= h >> 29;
    }
    words
        .remainder()
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}
