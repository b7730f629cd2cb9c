//! The key-value and event types of etcd's `mvccpb` (`kv.proto`): what a read returns and what
//! a watch delivers.
//!
//! Owns: no behaviour. Must not touch: any other module but `api`.

/// `mvccpb.KeyValue`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyValue {
    #[serde(with = "super::bytes")]
    pub key: Vec<u8>,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    #[serde(with = "super::bytes")]
    pub value: Vec<u8>,
    pub lease: i64,
}

/// `mvccpb.Event.EventType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EventType {
    Put,
    Delete,
}

/// `mvccpb.Event`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub kind: EventType,
    pub kv: KeyValue,
    pub prev_kv: Option<KeyValue>,
}
