//! The gateway's JSON answers as [`Response`]s: `jsonpb` with proto field names, zero values
//! left out, 64-bit integers as strings, bytes in base64, enums by name. What the answer
//! means depends on the request (a `{"header":…}` alone is a compaction, a revoke, an auth
//! change, …), so decoding takes the request.
//!
//! Owns: the response field names of etcd 3.4's `rpc.proto`, `kv.proto`, `auth.proto`.
//! Must not touch: paths and bodies of requests (`request`), errors (`error`).

use base64::Engine;
use serde_json::Value;

use crate::api::{
    AlarmMember, AlarmResponse, AlarmType, AuthRequest, AuthResponse, CompactionResponse,
    DeleteRangeResponse, Event, EventType, HashKvResponse, KeyValue, LeaseGrantResponse,
    LeaseKeepAliveResponse, LeaseLeasesResponse, LeaseRevokeResponse, LeaseTimeToLiveResponse,
    Member, MemberAddResponse, MemberChangeResponse, MemberListResponse, Permission,
    PermissionType, PutResponse, RangeResponse, Request, Response, ResponseHeader, ResponseOp,
    SnapshotResponse, StatusResponse, TxnResponse, WatchResponse,
};

/// A field of an object (`Null` when absent).
fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
    v.get(name).unwrap_or(&Value::Null)
}

/// A 64-bit integer: jsonpb writes them as strings, small ones may come as numbers.
fn int(v: &Value, name: &str) -> i64 {
    match field(v, name) {
        Value::String(s) => s.parse().unwrap_or(0),
        Value::Number(n) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn uint(v: &Value, name: &str) -> u64 {
    match field(v, name) {
        Value::String(s) => s.parse().unwrap_or(0),
        Value::Number(n) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

fn flag(v: &Value, name: &str) -> bool {
    field(v, name).as_bool().unwrap_or(false)
}

fn text(v: &Value, name: &str) -> String {
    field(v, name).as_str().unwrap_or("").to_string()
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap_or_default()
}

fn bytes(v: &Value, name: &str) -> Vec<u8> {
    b64(field(v, name).as_str().unwrap_or(""))
}

fn list<'a>(v: &'a Value, name: &str) -> &'a [Value] {
    field(v, name).as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn strings(v: &Value, name: &str) -> Vec<String> {
    list(v, name)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// `etcdserverpb.ResponseHeader`.
pub fn header(v: &Value) -> ResponseHeader {
    let h = field(v, "header");
    ResponseHeader {
        cluster_id: uint(h, "cluster_id"),
        member_id: uint(h, "member_id"),
        revision: int(h, "revision"),
        raft_term: uint(h, "raft_term"),
    }
}

fn kv(v: &Value) -> KeyValue {
    KeyValue {
        key: bytes(v, "key"),
        create_revision: int(v, "create_revision"),
        mod_revision: int(v, "mod_revision"),
        version: int(v, "version"),
        value: bytes(v, "value"),
        lease: int(v, "lease"),
    }
}

fn kvs(v: &Value, name: &str) -> Vec<KeyValue> {
    list(v, name).iter().map(kv).collect()
}

fn prev_kv(v: &Value) -> Option<KeyValue> {
    v.get("prev_kv").filter(|p| p.is_object()).map(kv)
}

fn range(v: &Value) -> RangeResponse {
    RangeResponse {
        header: header(v),
        kvs: kvs(v, "kvs"),
        more: flag(v, "more"),
        count: int(v, "count"),
    }
}

fn put(v: &Value) -> PutResponse {
    PutResponse {
        header: header(v),
        prev_kv: prev_kv(v),
    }
}

fn delete_range(v: &Value) -> DeleteRangeResponse {
    DeleteRangeResponse {
        header: header(v),
        deleted: int(v, "deleted"),
        prev_kvs: kvs(v, "prev_kvs"),
    }
}

fn txn(v: &Value) -> TxnResponse {
    let op = |o: &Value| -> Option<ResponseOp> {
        if let Some(r) = o.get("response_range") {
            Some(ResponseOp::Range(range(r)))
        } else if let Some(r) = o.get("response_put") {
            Some(ResponseOp::Put(put(r)))
        } else if let Some(r) = o.get("response_delete_range") {
            Some(ResponseOp::DeleteRange(delete_range(r)))
        } else {
            o.get("response_txn").map(|r| ResponseOp::Txn(txn(r)))
        }
    };
    TxnResponse {
        header: header(v),
        succeeded: flag(v, "succeeded"),
        responses: list(v, "responses").iter().filter_map(op).collect(),
    }
}

fn member(v: &Value) -> Member {
    Member {
        id: uint(v, "ID"),
        name: text(v, "name"),
        peer_urls: strings(v, "peerURLs"),
        client_urls: strings(v, "clientURLs"),
        is_learner: flag(v, "isLearner"),
    }
}

fn members(v: &Value) -> Vec<Member> {
    list(v, "members").iter().map(member).collect()
}

fn alarm_type(s: &str) -> AlarmType {
    match s {
        "NOSPACE" => AlarmType::NoSpace,
        "CORRUPT" => AlarmType::Corrupt,
        _ => AlarmType::None,
    }
}

fn status(v: &Value) -> StatusResponse {
    StatusResponse {
        header: header(v),
        version: text(v, "version"),
        db_size: int(v, "dbSize"),
        leader: uint(v, "leader"),
        raft_index: uint(v, "raftIndex"),
        raft_term: uint(v, "raftTerm"),
        raft_applied_index: uint(v, "raftAppliedIndex"),
        errors: strings(v, "errors"),
        db_size_in_use: int(v, "dbSizeInUse"),
        is_learner: flag(v, "isLearner"),
    }
}

fn permission(v: &Value) -> Permission {
    Permission {
        perm_type: match field(v, "permType").as_str().unwrap_or("READ") {
            "WRITE" => PermissionType::Write,
            "READWRITE" => PermissionType::ReadWrite,
            _ => PermissionType::Read,
        },
        key: bytes(v, "key"),
        range_end: bytes(v, "range_end"),
    }
}

fn auth(a: &AuthRequest, v: &Value) -> AuthResponse {
    let h = header(v);
    match a {
        AuthRequest::Authenticate { .. } => AuthResponse::Authenticate {
            header: h,
            token: text(v, "token"),
        },
        AuthRequest::UserGet { .. } => AuthResponse::UserGet {
            header: h,
            roles: strings(v, "roles"),
        },
        AuthRequest::UserList => AuthResponse::UserList {
            header: h,
            users: strings(v, "users"),
        },
        AuthRequest::RoleGet { .. } => AuthResponse::RoleGet {
            header: h,
            perm: list(v, "perm").iter().map(permission).collect(),
        },
        AuthRequest::RoleList => AuthResponse::RoleList {
            header: h,
            roles: strings(v, "roles"),
        },
        AuthRequest::Status => AuthResponse::Status {
            header: h,
            enabled: flag(v, "enabled"),
            auth_revision: uint(v, "authRevision"),
        },
        _ => AuthResponse::Done(h),
    }
}

/// The answer to `req`, from the gateway's JSON object (for a streamed RPC: the object inside
/// its first `{"result":…}` line).
pub fn decode(req: &Request, v: &Value) -> Response {
    match req {
        Request::Range(_) => Response::Range(range(v)),
        Request::Put(_) => Response::Put(put(v)),
        Request::DeleteRange(_) => Response::DeleteRange(delete_range(v)),
        Request::Txn(_) => Response::Txn(txn(v)),
        Request::Compaction(_) => Response::Compaction(CompactionResponse { header: header(v) }),
        Request::LeaseGrant(_) => Response::LeaseGrant(LeaseGrantResponse {
            header: header(v),
            id: int(v, "ID"),
            ttl: int(v, "TTL"),
            error: text(v, "error"),
        }),
        Request::LeaseRevoke { .. } => {
            Response::LeaseRevoke(LeaseRevokeResponse { header: header(v) })
        }
        Request::LeaseKeepAlive { .. } => Response::LeaseKeepAlive(LeaseKeepAliveResponse {
            header: header(v),
            id: int(v, "ID"),
            ttl: int(v, "TTL"),
        }),
        Request::LeaseTimeToLive { .. } => Response::LeaseTimeToLive(LeaseTimeToLiveResponse {
            header: header(v),
            id: int(v, "ID"),
            ttl: int(v, "TTL"),
            granted_ttl: int(v, "grantedTTL"),
            keys: list(v, "keys")
                .iter()
                .map(|k| b64(k.as_str().unwrap_or("")))
                .collect(),
        }),
        Request::LeaseLeases => Response::LeaseLeases(LeaseLeasesResponse {
            header: header(v),
            leases: list(v, "leases").iter().map(|l| int(l, "ID")).collect(),
        }),
        Request::MemberList => Response::MemberList(MemberListResponse {
            header: header(v),
            members: members(v),
        }),
        Request::MemberAdd { .. } => Response::MemberAdd(MemberAddResponse {
            header: header(v),
            member: member(field(v, "member")),
            members: members(v),
        }),
        Request::MemberRemove { .. }
        | Request::MemberUpdate { .. }
        | Request::MemberPromote { .. } => Response::MemberChange(MemberChangeResponse {
            header: header(v),
            members: members(v),
        }),
        Request::Alarm { .. } => Response::Alarm(AlarmResponse {
            header: header(v),
            alarms: list(v, "alarms")
                .iter()
                .map(|a| AlarmMember {
                    member_id: uint(a, "memberID"),
                    alarm: alarm_type(field(a, "alarm").as_str().unwrap_or("")),
                })
                .collect(),
        }),
        Request::Status => Response::Status(status(v)),
        Request::HashKv { .. } => Response::HashKv(HashKvResponse {
            header: header(v),
            hash: uint(v, "hash") as u32,
            compact_revision: int(v, "compact_revision"),
        }),
        Request::Auth(a) => Response::Auth(auth(a, v)),
        // the rest answer with a header only (defragment, move-leader); those the gateway
        // cannot carry never get here
        _ => Response::Header(header(v)),
    }
}

/// The answer to `req` from the gateway's objects: a unary answer's one, or a streamed
/// answer's results in order (a snapshot is its chunks' blobs, less the SHA-256 of the
/// database etcd sends last: etcdctl appends its own when it writes the file). None when
/// the objects cannot be that answer.
pub fn decode_all(req: &Request, objects: &[Value]) -> Option<Response> {
    let first = objects.first()?;
    if *req != Request::Snapshot {
        return Some(decode(req, first));
    }
    let mut blob = Vec::new();
    for o in objects {
        blob.extend(bytes(o, "blob"));
    }
    let db = blob.len().checked_sub(32)?;
    blob.truncate(db);
    let header = objects.iter().map(header).find(|h| h.member_id != 0);
    Some(Response::Snapshot(SnapshotResponse {
        header: header.unwrap_or_default(),
        blob,
    }))
}

/// One `{"result":…}` line of a watch stream.
pub fn watch_response(v: &Value) -> WatchResponse {
    let event = |e: &Value| Event {
        kind: match field(e, "type").as_str() {
            Some("DELETE") => EventType::Delete,
            _ => EventType::Put,
        },
        kv: kv(field(e, "kv")),
        prev_kv: prev_kv(e),
    };
    WatchResponse {
        header: header(v),
        watch_id: int(v, "watch_id"),
        created: flag(v, "created"),
        canceled: flag(v, "canceled"),
        compact_revision: int(v, "compact_revision"),
        cancel_reason: text(v, "cancel_reason"),
        events: list(v, "events").iter().map(event).collect(),
    }
}
