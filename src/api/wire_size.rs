//! The size of a request as gRPC marshals it (protobuf), for the two limits etcd 3.4 puts on
//! it: etcdctl's client refuses to send a message over [`MAX_CALL_SEND_MSG_SIZE`] (2 MiB,
//! `ResourceExhausted`, naming this size), and a member refuses to propose an
//! `InternalRaftRequest` over [`MAX_REQUEST_BYTES`] (`--max-request-bytes`, 1.5 MiB:
//! `etcdserver: request is too large`).
//!
//! The KV requests (what can carry large keys and values) are measured field by field as
//! `rpc.proto` numbers them; the rest, whose sizes never come near the limits except through
//! their strings, are measured as their strings plus a small overhead.
//!
//! Owns: those sizes, the two limits and the field-size helpers (`mvcc::backend_size` uses
//! them for `KeyValue`). Must not touch: anything else (no encoding is built).

use super::etcdserverpb::{
    AuthRequest, Compare, CompareResult, CompareTarget, DeleteRangeRequest, PutRequest,
    RangeRequest, Request, RequestOp, SortOrder, SortTarget, TxnRequest,
};

/// clientv3's `defaultMaxCallSendMsgSize`: etcdctl sends no gRPC message larger.
pub const MAX_CALL_SEND_MSG_SIZE: usize = 2 * 1024 * 1024;

/// etcd's default `--max-request-bytes`: the largest `InternalRaftRequest` a member proposes.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024 + 512 * 1024;

/// The bytes a protobuf varint of `v` takes.
pub fn varint(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    bits.max(1).div_ceil(7)
}

/// A field's tag.
fn tag(field: u32) -> usize {
    varint(u64::from(field) << 3)
}

/// A length-delimited field of `len` bytes (omitted when empty unless `always`).
pub fn bytes_field(field: u32, len: usize, always: bool) -> usize {
    if len == 0 && !always {
        return 0;
    }
    tag(field) + varint(len as u64) + len
}

/// A varint field (omitted when zero unless `always`); negative numbers take ten bytes.
pub fn int_field(field: u32, v: i64, always: bool) -> usize {
    if v == 0 && !always {
        return 0;
    }
    tag(field) + varint(v as u64)
}

fn bool_field(field: u32, v: bool) -> usize {
    if v {
        tag(field) + 1
    } else {
        0
    }
}

/// `RangeRequest`'s marshalled size.
pub fn range_len(r: &RangeRequest) -> usize {
    let order = match r.sort_order {
        SortOrder::None => 0,
        SortOrder::Ascend => 1,
        SortOrder::Descend => 2,
    };
    let target = match r.sort_target {
        SortTarget::Key => 0,
        SortTarget::Version => 1,
        SortTarget::Create => 2,
        SortTarget::Mod => 3,
        SortTarget::Value => 4,
    };
    bytes_field(1, r.key.len(), false)
        + bytes_field(2, r.range_end.len(), false)
        + int_field(3, r.limit, false)
        + int_field(4, r.revision, false)
        + int_field(5, order, false)
        + int_field(6, target, false)
        + bool_field(7, r.serializable)
        + bool_field(8, r.keys_only)
        + bool_field(9, r.count_only)
        + int_field(10, r.min_mod_revision, false)
        + int_field(11, r.max_mod_revision, false)
        + int_field(12, r.min_create_revision, false)
        + int_field(13, r.max_create_revision, false)
}

/// `PutRequest`'s marshalled size.
pub fn put_len(p: &PutRequest) -> usize {
    bytes_field(1, p.key.len(), false)
        + bytes_field(2, p.value.len(), false)
        + int_field(3, p.lease, false)
        + bool_field(4, p.prev_kv)
        + bool_field(5, p.ignore_value)
        + bool_field(6, p.ignore_lease)
}

/// `DeleteRangeRequest`'s marshalled size.
pub fn delete_len(d: &DeleteRangeRequest) -> usize {
    bytes_field(1, d.key.len(), false)
        + bytes_field(2, d.range_end.len(), false)
        + bool_field(3, d.prev_kv)
}

fn compare_len(c: &Compare) -> usize {
    let result = match c.result {
        CompareResult::Equal => 0,
        CompareResult::Greater => 1,
        CompareResult::Less => 2,
        CompareResult::NotEqual => 3,
    };
    // The target's operand is a oneof: marshalled even when zero.
    let (target, operand) = match &c.target {
        CompareTarget::Version(v) => (0, int_field(4, *v, true)),
        CompareTarget::Create(v) => (1, int_field(5, *v, true)),
        CompareTarget::Mod(v) => (2, int_field(6, *v, true)),
        CompareTarget::Value(v) => (3, bytes_field(7, v.len(), true)),
        CompareTarget::Lease(v) => (4, int_field(8, *v, true)),
    };
    int_field(1, result, false)
        + int_field(2, target, false)
        + bytes_field(3, c.key.len(), false)
        + operand
        + bytes_field(64, c.range_end.len(), false)
}

fn op_len(op: &RequestOp) -> usize {
    // A oneof of messages: each is marshalled even when empty.
    match op {
        RequestOp::Range(r) => bytes_field(1, range_len(r), true),
        RequestOp::Put(p) => bytes_field(2, put_len(p), true),
        RequestOp::DeleteRange(d) => bytes_field(3, delete_len(d), true),
        RequestOp::Txn(t) => bytes_field(4, txn_len(t), true),
    }
}

/// `TxnRequest`'s marshalled size (nested transactions included).
pub fn txn_len(t: &TxnRequest) -> usize {
    let compare: usize = t
        .compare
        .iter()
        .map(|c| bytes_field(1, compare_len(c), true))
        .sum();
    let ops = |field: u32, ops: &[RequestOp]| -> usize {
        ops.iter()
            .map(|o| bytes_field(field, op_len(o), true))
            .sum()
    };
    compare + ops(2, &t.success) + ops(3, &t.failure)
}

/// The strings an auth request carries, each as a field, plus its enum and flags.
fn auth_len(a: &AuthRequest) -> usize {
    let s = |v: &[&[u8]]| -> usize { v.iter().map(|b| bytes_field(1, b.len(), false)).sum() };
    match a {
        AuthRequest::Enable | AuthRequest::Disable | AuthRequest::UserList => 0,
        AuthRequest::RoleList | AuthRequest::Status => 0,
        AuthRequest::Authenticate { name, password }
        | AuthRequest::UserAdd { name, password, .. }
        | AuthRequest::UserChangePassword { name, password } => {
            s(&[name.as_bytes(), password.as_bytes()]) + 2
        }
        AuthRequest::UserAddHashed {
            name,
            hashed_password,
        }
        | AuthRequest::UserChangePasswordHashed {
            name,
            hashed_password,
        } => s(&[name.as_bytes(), hashed_password.as_bytes()]) + 2,
        AuthRequest::AuthenticateChecked { name } => s(&[name.as_bytes()]),
        AuthRequest::UserGet { name } | AuthRequest::UserDelete { name } => s(&[name.as_bytes()]),
        AuthRequest::UserGrantRole { user, role } => s(&[user.as_bytes(), role.as_bytes()]),
        AuthRequest::UserRevokeRole { name, role } => s(&[name.as_bytes(), role.as_bytes()]),
        AuthRequest::RoleAdd { name } => s(&[name.as_bytes()]),
        AuthRequest::RoleGet { role } | AuthRequest::RoleDelete { role } => s(&[role.as_bytes()]),
        AuthRequest::RoleGrantPermission { name, perm } => {
            s(&[name.as_bytes(), &perm.key, &perm.range_end]) + 4
        }
        AuthRequest::RoleRevokePermission {
            role,
            key,
            range_end,
        } => s(&[role.as_bytes(), key, range_end]),
    }
}

/// The gRPC message a client sends for `req` (what etcdctl's 2 MiB limit measures). Requests
/// of the v2 API (HTTP, no such limit) measure 0.
pub fn request_len(req: &Request) -> usize {
    match req {
        Request::Range(r) => range_len(r),
        Request::Put(p) => put_len(p),
        Request::DeleteRange(d) => delete_len(d),
        Request::Txn(t) => txn_len(t),
        Request::MemberAdd { peer_urls, .. } | Request::MemberUpdate { peer_urls, .. } => {
            peer_urls
                .iter()
                .map(|u| bytes_field(2, u.len(), false))
                .sum::<usize>()
                + 12
        }
        Request::Auth(a) => auth_len(a),
        Request::V2(_) => 0,
        // Numbers and flags only: a few bytes each.
        _ => 24,
    }
}

/// The `InternalRaftRequest` a member marshals to propose `req` with request ID `id` (what
/// `--max-request-bytes` measures): the header (field 100) and the request in its field.
pub fn internal_raft_request_len(req: &Request, id: u64) -> usize {
    let header = bytes_field(100, int_field(1, id as i64, false), true);
    let field = match req {
        Request::Put(_) => 4,
        Request::DeleteRange(_) => 5,
        Request::Txn(_) => 6,
        Request::Compaction(_) => 7,
        Request::LeaseGrant(_) => 8,
        Request::Auth(_) => 1000,
        _ => 10,
    };
    header + bytes_field(field, request_len(req), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, n: usize) -> Request {
        Request::Put(PutRequest {
            key: key.as_bytes().to_vec(),
            value: vec![b'x'; n],
            ..Default::default()
        })
    }

    #[test]
    fn varints_and_tags() {
        assert_eq!(varint(0), 1);
        assert_eq!(varint(127), 1);
        assert_eq!(varint(128), 2);
        assert_eq!(varint(u64::MAX), 10);
        assert_eq!(tag(15), 1);
        assert_eq!(tag(16), 2);
        assert_eq!(tag(100), 2);
    }

    /// The sizes etcdctl 3.4.23 printed (tests/scenarios/recorded/request-size.transcript).
    #[test]
    fn put_sizes_as_etcdctl_reported_them() {
        assert_eq!(request_len(&put("toolarge", 2_100_000)), 2_100_015);
        assert_eq!(request_len(&put("huge", 10_000_000)), 10_000_011);
    }

    /// Real etcd accepted a 1,572,800-byte value under key `limit` and refused 1,572,900.
    #[test]
    fn the_member_limit_falls_where_etcds_did() {
        let id = 0x2b4f_8c1a_9d3e_0001;
        assert!(internal_raft_request_len(&put("limit", 1_572_800), id) <= MAX_REQUEST_BYTES);
        assert!(internal_raft_request_len(&put("limit", 1_572_900), id) > MAX_REQUEST_BYTES);
    }

    #[test]
    fn transactions_count_every_operation() {
        let t = TxnRequest {
            compare: vec![Compare {
                result: CompareResult::Equal,
                target: CompareTarget::Value(vec![b'v'; 10]),
                key: b"k".to_vec(),
                range_end: Vec::new(),
            }],
            success: vec![RequestOp::Put(PutRequest {
                key: b"a".to_vec(),
                value: vec![b'x'; 1000],
                ..Default::default()
            })],
            failure: vec![RequestOp::Range(RangeRequest::default())],
        };
        // compare 1+1+(2 + 3 + 12); success 1+2+(1+2+(3 + 1003)); failure 1+1+(1+1+0)
        assert_eq!(txn_len(&t), 19 + 1012 + 4);
    }
}
