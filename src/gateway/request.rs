//! A v3 [`Request`] as etcd's HTTP/JSON gateway takes it: the path it is posted to and the
//! JSON body grpc-gateway unmarshals into the protobuf request (`jsonpb`: proto field names,
//! bytes in base64, 64-bit integers as strings, enums by name; a field left out is its zero
//! value, so only the fields that are set are written).
//!
//! Owns: the paths and the request field names of etcd 3.4's `rpc.proto` HTTP bindings.
//! Must not touch: sending (the transport), answers (`response`).

use base64::Engine;
use serde_json::{Map, Value};

use crate::api::{
    AlarmAction, AlarmType, AuthRequest, Compare, CompareResult, CompareTarget, PermissionType,
    RangeRequest, Request, RequestOp, SortOrder, SortTarget, TxnRequest, WatchCreateRequest,
};

/// How the gateway answers a path: one JSON object, or a stream of `{"result":…}` lines
/// (the server-streaming RPCs: lease keep-alive, snapshot, watch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Unary,
    Stream,
}

/// Where a request goes and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub path: &'static str,
    pub body: Value,
    pub answer: Answer,
}

/// A JSON object written field by field, zero values left out as jsonpb does.
#[derive(Default)]
struct Obj(Map<String, Value>);

impl Obj {
    fn bytes(mut self, name: &str, b: &[u8]) -> Self {
        if !b.is_empty() {
            let s = base64::engine::general_purpose::STANDARD.encode(b);
            self.0.insert(name.to_string(), Value::String(s));
        }
        self
    }
    fn int(mut self, name: &str, n: i64) -> Self {
        if n != 0 {
            self.0
                .insert(name.to_string(), Value::String(n.to_string()));
        }
        self
    }
    fn uint(mut self, name: &str, n: u64) -> Self {
        if n != 0 {
            self.0
                .insert(name.to_string(), Value::String(n.to_string()));
        }
        self
    }
    fn flag(mut self, name: &str, b: bool) -> Self {
        if b {
            self.0.insert(name.to_string(), Value::Bool(true));
        }
        self
    }
    fn text(mut self, name: &str, s: &str) -> Self {
        if !s.is_empty() {
            self.0
                .insert(name.to_string(), Value::String(s.to_string()));
        }
        self
    }
    fn strings(mut self, name: &str, v: &[String]) -> Self {
        if !v.is_empty() {
            let items = v.iter().map(|s| Value::String(s.clone())).collect();
            self.0.insert(name.to_string(), Value::Array(items));
        }
        self
    }
    /// A field written even when it is the zero value (a oneof member, an enum whose zero
    /// is meaningful).
    fn always(mut self, name: &str, v: Value) -> Self {
        self.0.insert(name.to_string(), v);
        self
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn unary(path: &'static str, body: Value) -> Result<Post, String> {
    Ok(Post {
        path,
        body,
        answer: Answer::Unary,
    })
}

fn range(r: &RangeRequest) -> Value {
    let order = match r.sort_order {
        SortOrder::None => "",
        SortOrder::Ascend => "ASCEND",
        SortOrder::Descend => "DESCEND",
    };
    let target = match r.sort_target {
        SortTarget::Key => "",
        SortTarget::Version => "VERSION",
        SortTarget::Create => "CREATE",
        SortTarget::Mod => "MOD",
        SortTarget::Value => "VALUE",
    };
    Obj::default()
        .bytes("key", &r.key)
        .bytes("range_end", &r.range_end)
        .int("limit", r.limit)
        .int("revision", r.revision)
        .text("sort_order", order)
        .text("sort_target", target)
        .flag("serializable", r.serializable)
        .flag("keys_only", r.keys_only)
        .flag("count_only", r.count_only)
        .int("min_mod_revision", r.min_mod_revision)
        .int("max_mod_revision", r.max_mod_revision)
        .int("min_create_revision", r.min_create_revision)
        .int("max_create_revision", r.max_create_revision)
        .done()
}

fn compare(c: &Compare) -> Value {
    let result = match c.result {
        CompareResult::Equal => "EQUAL",
        CompareResult::Greater => "GREATER",
        CompareResult::Less => "LESS",
        CompareResult::NotEqual => "NOT_EQUAL",
    };
    let int = |n: &i64| Value::String(n.to_string());
    let (target, field, operand) = match &c.target {
        CompareTarget::Version(n) => ("VERSION", "version", int(n)),
        CompareTarget::Create(n) => ("CREATE", "create_revision", int(n)),
        CompareTarget::Mod(n) => ("MOD", "mod_revision", int(n)),
        CompareTarget::Value(v) => (
            "VALUE",
            "value",
            Value::String(base64::engine::general_purpose::STANDARD.encode(v)),
        ),
        CompareTarget::Lease(n) => ("LEASE", "lease", int(n)),
    };
    Obj::default()
        .always("result", Value::String(result.to_string()))
        .always("target", Value::String(target.to_string()))
        .bytes("key", &c.key)
        .bytes("range_end", &c.range_end)
        .always(field, operand)
        .done()
}

fn op(o: &RequestOp) -> Value {
    let (name, body) = match o {
        RequestOp::Range(r) => ("request_range", range(r)),
        RequestOp::Put(p) => ("request_put", put(p)),
        RequestOp::DeleteRange(d) => (
            "request_delete_range",
            Obj::default()
                .bytes("key", &d.key)
                .bytes("range_end", &d.range_end)
                .flag("prev_kv", d.prev_kv)
                .done(),
        ),
        RequestOp::Txn(t) => ("request_txn", txn(t)),
    };
    Obj::default().always(name, body).done()
}

fn put(p: &crate::api::PutRequest) -> Value {
    Obj::default()
        .bytes("key", &p.key)
        .bytes("value", &p.value)
        .int("lease", p.lease)
        .flag("prev_kv", p.prev_kv)
        .flag("ignore_value", p.ignore_value)
        .flag("ignore_lease", p.ignore_lease)
        .done()
}

fn txn(t: &TxnRequest) -> Value {
    let list = |v: Vec<Value>| Value::Array(v);
    Obj::default()
        .always("compare", list(t.compare.iter().map(compare).collect()))
        .always("success", list(t.success.iter().map(op).collect()))
        .always("failure", list(t.failure.iter().map(op).collect()))
        .done()
}

/// The body of a watch stream's create request (`POST /v3/watch`).
pub fn watch(w: &WatchCreateRequest) -> Post {
    let mut filters = Vec::new();
    if w.no_put {
        filters.push("NOPUT".to_string());
    }
    if w.no_delete {
        filters.push("NODELETE".to_string());
    }
    let create = Obj::default()
        .bytes("key", &w.key)
        .bytes("range_end", &w.range_end)
        .int("start_revision", w.start_revision)
        .flag("progress_notify", w.progress_notify)
        .strings("filters", &filters)
        .flag("prev_kv", w.prev_kv)
        .done();
    Post {
        path: "/v3/watch",
        body: Obj::default().always("create_request", create).done(),
        answer: Answer::Stream,
    }
}

fn alarm(action: AlarmAction, member_id: u64, alarm: AlarmType) -> Value {
    let action = match action {
        AlarmAction::Get => "GET",
        AlarmAction::Activate => "ACTIVATE",
        AlarmAction::Deactivate => "DEACTIVATE",
    };
    let alarm = match alarm {
        AlarmType::None => "NONE",
        AlarmType::NoSpace => "NOSPACE",
        AlarmType::Corrupt => "CORRUPT",
    };
    Obj::default()
        .always("action", Value::String(action.to_string()))
        .uint("memberID", member_id)
        .always("alarm", Value::String(alarm.to_string()))
        .done()
}

fn auth(a: &AuthRequest) -> Result<Post, String> {
    let o = Obj::default();
    match a {
        AuthRequest::Enable => unary("/v3/auth/enable", o.done()),
        AuthRequest::Disable => unary("/v3/auth/disable", o.done()),
        AuthRequest::Status => unary("/v3/auth/status", o.done()),
        AuthRequest::Authenticate { name, password } => unary(
            "/v3/auth/authenticate",
            o.text("name", name).text("password", password).done(),
        ),
        AuthRequest::UserAdd {
            name,
            password,
            no_password,
        } => {
            let options = Obj::default().flag("no_password", *no_password).done();
            let o = o.text("name", name).text("password", password);
            unary("/v3/auth/user/add", o.always("options", options).done())
        }
        AuthRequest::UserGet { name } => unary("/v3/auth/user/get", o.text("name", name).done()),
        AuthRequest::UserList => unary("/v3/auth/user/list", o.done()),
        AuthRequest::UserDelete { name } => {
            unary("/v3/auth/user/delete", o.text("name", name).done())
        }
        AuthRequest::UserChangePassword { name, password } => unary(
            "/v3/auth/user/changepw",
            o.text("name", name).text("password", password).done(),
        ),
        AuthRequest::UserGrantRole { user, role } => unary(
            "/v3/auth/user/grant",
            o.text("user", user).text("role", role).done(),
        ),
        AuthRequest::UserRevokeRole { name, role } => unary(
            "/v3/auth/user/revoke",
            o.text("name", name).text("role", role).done(),
        ),
        AuthRequest::RoleAdd { name } => unary("/v3/auth/role/add", o.text("name", name).done()),
        AuthRequest::RoleGet { role } => unary("/v3/auth/role/get", o.text("role", role).done()),
        AuthRequest::RoleList => unary("/v3/auth/role/list", o.done()),
        AuthRequest::RoleDelete { role } => {
            unary("/v3/auth/role/delete", o.text("role", role).done())
        }
        AuthRequest::RoleGrantPermission { name, perm } => {
            let t = match perm.perm_type {
                PermissionType::Read => "READ",
                PermissionType::Write => "WRITE",
                PermissionType::ReadWrite => "READWRITE",
            };
            let perm = Obj::default()
                .always("permType", Value::String(t.to_string()))
                .bytes("key", &perm.key)
                .bytes("range_end", &perm.range_end)
                .done();
            unary(
                "/v3/auth/role/grant",
                o.text("name", name).always("perm", perm).done(),
            )
        }
        AuthRequest::RoleRevokePermission {
            role,
            key,
            range_end,
        } => unary(
            "/v3/auth/role/revoke",
            o.text("role", role)
                .bytes("key", key)
                .bytes("range_end", range_end)
                .done(),
        ),
        AuthRequest::UserAddHashed { .. }
        | AuthRequest::UserChangePasswordHashed { .. }
        | AuthRequest::AuthenticateChecked { .. } => {
            Err("a member's own proposal, never sent by a client".to_string())
        }
    }
}

/// The gateway form of `req`, or why the gateway cannot carry it (the text a console shows).
pub fn encode(req: &Request) -> Result<Post, String> {
    let o = Obj::default();
    match req {
        Request::Range(r) => unary("/v3/kv/range", range(r)),
        Request::Put(p) => unary("/v3/kv/put", put(p)),
        Request::DeleteRange(d) => unary(
            "/v3/kv/deleterange",
            o.bytes("key", &d.key)
                .bytes("range_end", &d.range_end)
                .flag("prev_kv", d.prev_kv)
                .done(),
        ),
        Request::Txn(t) => unary("/v3/kv/txn", txn(t)),
        Request::Compaction(c) => unary(
            "/v3/kv/compaction",
            o.int("revision", c.revision)
                .flag("physical", c.physical)
                .done(),
        ),
        Request::LeaseGrant(g) => unary(
            "/v3/lease/grant",
            o.int("TTL", g.ttl).int("ID", g.id).done(),
        ),
        Request::LeaseRevoke { id } => unary("/v3/lease/revoke", o.int("ID", *id).done()),
        Request::LeaseKeepAlive { id } => Ok(Post {
            path: "/v3/lease/keepalive",
            body: o.int("ID", *id).done(),
            answer: Answer::Stream,
        }),
        Request::LeaseTimeToLive { id, keys } => unary(
            "/v3/lease/timetolive",
            o.int("ID", *id).flag("keys", *keys).done(),
        ),
        Request::LeaseLeases => unary("/v3/lease/leases", o.done()),
        Request::MemberList => unary("/v3/cluster/member/list", o.done()),
        Request::MemberAdd {
            peer_urls,
            is_learner,
        } => unary(
            "/v3/cluster/member/add",
            o.strings("peerURLs", peer_urls)
                .flag("isLearner", *is_learner)
                .done(),
        ),
        Request::MemberRemove { id } => {
            unary("/v3/cluster/member/remove", o.uint("ID", *id).done())
        }
        Request::MemberUpdate { id, peer_urls } => unary(
            "/v3/cluster/member/update",
            o.uint("ID", *id).strings("peerURLs", peer_urls).done(),
        ),
        Request::MemberPromote { id } => {
            unary("/v3/cluster/member/promote", o.uint("ID", *id).done())
        }
        Request::Alarm {
            action,
            member_id,
            alarm: a,
        } => unary("/v3/maintenance/alarm", alarm(*action, *member_id, *a)),
        Request::Status => unary("/v3/maintenance/status", o.done()),
        Request::Defragment => unary("/v3/maintenance/defragment", o.done()),
        Request::MoveLeader { target_id } => unary(
            "/v3/maintenance/transfer-leadership",
            o.uint("targetID", *target_id).done(),
        ),
        // etcd 3.4's gateway has no such path (it binds /v3/maintenance/hash to the older
        // Hash RPC only): its 404 reads as the message of `error::not_the_gateway`
        Request::HashKv { revision } => unary(
            "/v3/maintenance/hashkv",
            o.int("revision", *revision).done(),
        ),
        Request::Snapshot => Ok(Post {
            path: "/v3/maintenance/snapshot",
            body: o.done(),
            answer: Answer::Stream,
        }),
        Request::Auth(a) => auth(a),
        Request::V2(_) => Err(
            "the v2 API (ETCDCTL_API=2) is not served through etcd's v3 JSON gateway: unset ETCDCTL_API to use v3"
                .to_string(),
        ),
    }
}
