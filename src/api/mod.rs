//! The protocol: what clients and members say to each other, at the bottom of the crate map.
//! The layout mirrors etcd's own `api` module:
//!
//! - [`mvccpb`]: `KeyValue`, `Event`, `EventType` (etcd's `api/mvccpb`).
//! - [`etcdserverpb`]: the v3 requests and responses and the envelope one call travels in,
//!   [`Request`] / [`Response`] (etcd's `api/etcdserverpb`).
//! - [`authpb`]: key permissions (etcd's `api/authpb`).
//! - [`rpctypes`]: the errors a member answers with, their gRPC codes and wire texts
//!   (etcd's `api/v3rpc/rpctypes`), and why a call got no answer.
//! - [`v2`]: the v2 API: keys and auth requests, events and nodes, the numbered v2 errors.
//! - [`proto_wire`]: the protobuf wire format of the records etcd's backend keeps.
//! - [`version`]: which etcd release a lab runs (3.4.23 or 3.5.1) and its version strings.
//! - [`size`]: a byte count written for people (the page's one unit convention).
//! - [`bytes`], [`serde_pairs`]: the serde helpers these types (and the stores' own
//!   persisted forms) are encoded with.
//!
//! Owns: the shapes and the texts, no behaviour. Must not touch: any other module of the crate
//! (everything else may import `api`; `api` imports nothing of the crate).

pub mod authpb;
pub mod bytes;
pub mod etcdserverpb;
pub mod go_json;
pub mod mvccpb;
pub mod proto_wire;
pub mod rpctypes;
pub mod serde_pairs;
pub mod size;
pub mod v2;
pub mod version;
pub mod wire_size;

pub use authpb::*;
pub use etcdserverpb::*;
pub use mvccpb::*;
pub use rpctypes::*;
pub use version::EtcdVersion;
