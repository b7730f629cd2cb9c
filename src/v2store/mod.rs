//! The etcd v2 store: a tree of files and directories with TTLs, compare-and-swap,
//! in-order keys and watches by index, answering with v2 error codes; plus the v2 auth
//! (users and roles kept inside the store) and the requests the v2 API sends through Raft.
//!
//! Owns: the v2 keyspace (`/0` cluster data, `/1` user keys, `/2` auth data), its index,
//! v2 TTL expiry, v2 auth. Must not touch: the MVCC store, Raft, the clock (time comes in
//! with each request), the DOM.
//!
//! What the member must do for v2 (see [`apply::ApplierV2`]):
//! - start every member's v2 store from [`apply::ApplierV2::bootstrap`] with the initial
//!   members, which reproduces etcd's index 7 on a fresh three-member cluster;
//! - route every [`V2Request`] through the Raft log like a v3 write (reads may be served
//!   locally: [`V2Request::is_read`]);
//! - while it is leader and [`apply::ApplierV2::has_ttl_keys`] is true, propose
//!   [`V2Request::sync`]`(unix_nanos)` every 500 ms of simulated time: expiry happens when that
//!   SYNC entry is applied (etcd's `SyncTicker`).

pub mod apply;
pub mod auth;
pub mod error;
pub mod event;
pub mod event_history;
pub mod node;
pub mod path;
pub mod store;
pub mod ttl_key_heap;

pub use apply::ApplierV2;
pub use error::V2Error;
pub use event::{Event, NodeExtern};
pub use store::Store;

/// Where user keys live inside the v2 store (`StoreKeysPrefix`).
pub const STORE_KEYS_PREFIX: &str = "/1";
/// Where cluster data lives (`StoreClusterPrefix`).
pub const STORE_CLUSTER_PREFIX: &str = "/0";

/// Basic-auth credentials sent with a request (`--username user:password`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The HTTP method of a keys request (`etcdserverpb.Request.Method`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    #[default]
    Get,
    Put,
    Post,
    Delete,
}

/// One request of the v2 keys API, as etcd's HTTP handler parses it (`parseKeyRequest`).
/// `path` is the user key (without `/1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeysRequest {
    pub method: Method,
    pub path: String,
    pub val: String,
    pub dir: bool,
    pub prev_value: String,
    pub prev_index: u64,
    pub prev_exist: Option<bool>,
    pub recursive: bool,
    pub sorted: bool,
    pub quorum: bool,
    /// A watch: answer the first event at or after `since` (0: the next index).
    pub wait: bool,
    pub since: u64,
    /// For a watch polled over time: the store index when the watch was made (0: now).
    /// Events after it are filtered as etcd's live watchers filter them.
    pub watch_start_index: u64,
    /// Unix nanoseconds at which the node expires; 0: no TTL.
    pub expiration: i64,
    pub refresh: bool,
}

/// The v2 auth API (`/v2/auth/...`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthOp {
    Enabled,
    Enable,
    Disable,
    UserList,
    UserGet { name: String },
    /// `PUT /v2/auth/users/<name>` with a password: create, or change the password.
    UserPut { name: String, password: String },
    UserRemove { name: String },
    UserGrant { name: String, roles: Vec<String> },
    UserRevoke { name: String, roles: Vec<String> },
    RoleList,
    RoleGet { name: String },
    RoleAdd { name: String },
    RoleRemove { name: String },
    RoleGrant { name: String, read: Vec<String>, write: Vec<String> },
    RoleRevoke { name: String, read: Vec<String>, write: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum V2Op {
    Keys(KeysRequest),
    /// Expire every TTL node whose time has come (etcd's `SYNC`, proposed by the leader).
    Sync { time: i64 },
    Auth(AuthOp),
}

/// One v2 request as it travels through Raft: the operation, the caller's credentials and
/// the time the serving member received it (unix nanoseconds of the simulated clock).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct V2Request {
    pub op: V2Op,
    pub credentials: Option<Credentials>,
    pub now: i64,
}

impl V2Request {
    /// The SYNC request the leader proposes every 500 ms while TTL keys exist.
    pub fn sync(unix_nanos: i64) -> V2Request {
        V2Request { op: V2Op::Sync { time: unix_nanos }, credentials: None, now: unix_nanos }
    }

    /// Whether this request only reads (a non-quorum get, a watch, an auth read), so a
    /// member may answer it from its own store without the log.
    pub fn is_read(&self) -> bool {
        match &self.op {
            V2Op::Keys(k) => k.method == Method::Get && !k.quorum,
            V2Op::Sync { .. } => false,
            V2Op::Auth(a) => matches!(
                a,
                AuthOp::Enabled | AuthOp::UserList | AuthOp::UserGet { .. } | AuthOp::RoleList | AuthOp::RoleGet { .. }
            ),
        }
    }
}

/// A user as the auth API answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserInfo {
    pub user: String,
    pub roles: Vec<String>,
}

/// A role as the auth API answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoleInfo {
    pub role: String,
    pub read: Vec<String>,
    pub write: Vec<String>,
}

/// The answer to a [`V2Request`]. v2 errors are answers too (they carry the store index).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum V2Response {
    /// A keys request that succeeded; the event's keys are user keys.
    Event(Event),
    /// A watch: the event if one is there, the resolved `since` and the watch's start index.
    Watch { event: Option<Event>, since: u64, start_index: u64 },
    /// A keys-API error (`Error:  100: Key not found (/k) [7]`).
    Error(V2Error),
    /// An auth-API error: HTTP status and message.
    AuthError { status: u16, message: String },
    AuthEnabled(bool),
    Users(Vec<String>),
    User(UserInfo),
    Roles(Vec<String>),
    Role(RoleInfo),
    /// The auth API answered 201 Created (user created by a password change).
    Created,
    Done,
}

#[cfg(test)]
mod store_test;
