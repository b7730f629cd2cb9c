//! The v2 API as clients see it: keys requests, the v2 auth API, what travels through Raft
//! ([`V2Request`]), the answers ([`V2Response`]), events and nodes ([`event`]), the numbered
//! v2 errors ([`error`], etcd's `v2error`) and Go's `path.Clean` every key goes through
//! ([`path`]).
//!
//! Owns: no behaviour beyond these shapes. Must not touch: the v2 store itself (`v2store`),
//! any other module but `api`.

pub mod error;
pub mod event;
pub mod path;

pub use error::V2Error;
pub use event::{Event, NodeExtern};

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
    UserGet {
        name: String,
    },
    /// `PUT /v2/auth/users/<name>` with a password: create, or change the password.
    UserPut {
        name: String,
        password: String,
    },
    UserRemove {
        name: String,
    },
    UserGrant {
        name: String,
        roles: Vec<String>,
    },
    UserRevoke {
        name: String,
        roles: Vec<String>,
    },
    RoleList,
    RoleGet {
        name: String,
    },
    RoleAdd {
        name: String,
    },
    RoleRemove {
        name: String,
    },
    RoleGrant {
        name: String,
        read: Vec<String>,
        write: Vec<String>,
    },
    RoleRevoke {
        name: String,
        read: Vec<String>,
        write: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum V2Op {
    Keys(KeysRequest),
    /// Expire every TTL node whose time has come (etcd's `SYNC`, proposed by the leader).
    Sync {
        time: i64,
    },
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
        V2Request {
            op: V2Op::Sync { time: unix_nanos },
            credentials: None,
            now: unix_nanos,
        }
    }

    /// Whether this request only reads (a non-quorum get, a watch, an auth read), so a
    /// member may answer it from its own store without the log.
    pub fn is_read(&self) -> bool {
        match &self.op {
            V2Op::Keys(k) => k.method == Method::Get && !k.quorum,
            V2Op::Sync { .. } => false,
            V2Op::Auth(a) => matches!(
                a,
                AuthOp::Enabled
                    | AuthOp::UserList
                    | AuthOp::UserGet { .. }
                    | AuthOp::RoleList
                    | AuthOp::RoleGet { .. }
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
    Watch {
        event: Option<Event>,
        since: u64,
        start_index: u64,
    },
    /// A keys-API error (`Error:  100: Key not found (/k) [7]`).
    Error(V2Error),
    /// An auth-API error: HTTP status and message.
    AuthError {
        status: u16,
        message: String,
    },
    AuthEnabled(bool),
    Users(Vec<String>),
    User(UserInfo),
    Roles(Vec<String>),
    Role(RoleInfo),
    /// The auth API answered 201 Created (user created by a password change).
    Created,
    Done,
}
