//! The v3 API's requests and responses, shaped like etcd 3.4's `etcdserverpb` (`rpc.proto`):
//! KV (range, put, delete-range, txn, compaction), watch, lease, cluster, maintenance and auth,
//! plus the envelope [`Request`] / [`Response`] one client call travels in.
//!
//! `etcdctl` builds [`Request`]s and prints [`Response`]s; `server` routes them through Raft and
//! applies them. Field names follow the protobuf definitions so the JSON printer can use them
//! as they are. Owns: no behaviour. Must not touch: any other module but `api`.

use super::authpb::Permission;
use super::mvccpb::{Event, KeyValue};
use super::v2::{V2Request, V2Response};

/// `etcdserverpb.ResponseHeader`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResponseHeader {
    pub cluster_id: u64,
    pub member_id: u64,
    pub revision: i64,
    pub raft_term: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortOrder {
    #[default]
    None,
    Ascend,
    Descend,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortTarget {
    #[default]
    Key,
    Version,
    Create,
    Mod,
    Value,
}

/// `etcdserverpb.RangeRequest`. An empty `range_end` means the single key `key`;
/// `range_end == [0]` means every key `>= key`; `key == [0]` with `range_end == [0]` means all keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RangeRequest {
    #[serde(with = "super::bytes")]
    pub key: Vec<u8>,
    #[serde(with = "super::bytes")]
    pub range_end: Vec<u8>,
    pub limit: i64,
    pub revision: i64,
    pub sort_order: SortOrder,
    pub sort_target: SortTarget,
    pub serializable: bool,
    pub keys_only: bool,
    pub count_only: bool,
    pub min_mod_revision: i64,
    pub max_mod_revision: i64,
    pub min_create_revision: i64,
    pub max_create_revision: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RangeResponse {
    pub header: ResponseHeader,
    pub kvs: Vec<KeyValue>,
    pub more: bool,
    pub count: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PutRequest {
    #[serde(with = "super::bytes")]
    pub key: Vec<u8>,
    #[serde(with = "super::bytes")]
    pub value: Vec<u8>,
    pub lease: i64,
    pub prev_kv: bool,
    pub ignore_value: bool,
    pub ignore_lease: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PutResponse {
    pub header: ResponseHeader,
    pub prev_kv: Option<KeyValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeleteRangeRequest {
    #[serde(with = "super::bytes")]
    pub key: Vec<u8>,
    #[serde(with = "super::bytes")]
    pub range_end: Vec<u8>,
    pub prev_kv: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeleteRangeResponse {
    pub header: ResponseHeader,
    pub deleted: i64,
    pub prev_kvs: Vec<KeyValue>,
}

/// `etcdserverpb.Compare.CompareResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CompareResult {
    Equal,
    Greater,
    Less,
    NotEqual,
}

/// `etcdserverpb.Compare.CompareTarget` with its operand.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CompareTarget {
    Version(i64),
    Create(i64),
    Mod(i64),
    Value(Vec<u8>),
    Lease(i64),
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Compare {
    pub result: CompareResult,
    pub target: CompareTarget,
    #[serde(with = "super::bytes")]
    pub key: Vec<u8>,
    #[serde(with = "super::bytes")]
    pub range_end: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RequestOp {
    Range(RangeRequest),
    Put(PutRequest),
    DeleteRange(DeleteRangeRequest),
    Txn(TxnRequest),
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ResponseOp {
    Range(RangeResponse),
    Put(PutResponse),
    DeleteRange(DeleteRangeResponse),
    Txn(TxnResponse),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TxnRequest {
    pub compare: Vec<Compare>,
    pub success: Vec<RequestOp>,
    pub failure: Vec<RequestOp>,
}

/// In nested responses etcd fills only `header.revision` (the JSON printer shows
/// `{"header":{"revision":3}}` for them).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TxnResponse {
    pub header: ResponseHeader,
    pub succeeded: bool,
    pub responses: Vec<ResponseOp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompactionRequest {
    pub revision: i64,
    pub physical: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompactionResponse {
    pub header: ResponseHeader,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HashKvResponse {
    pub header: ResponseHeader,
    pub hash: u32,
    pub compact_revision: i64,
}

// ---- watch -------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WatchCreateRequest {
    pub key: Vec<u8>,
    pub range_end: Vec<u8>,
    pub start_revision: i64,
    pub progress_notify: bool,
    pub no_put: bool,
    pub no_delete: bool,
    pub prev_kv: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WatchResponse {
    pub header: ResponseHeader,
    pub watch_id: i64,
    pub created: bool,
    pub canceled: bool,
    pub compact_revision: i64,
    pub cancel_reason: String,
    pub events: Vec<Event>,
}

// ---- lease -------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseGrantRequest {
    /// Seconds.
    pub ttl: i64,
    /// 0 asks the server to choose the ID.
    pub id: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseGrantResponse {
    pub header: ResponseHeader,
    pub id: i64,
    pub ttl: i64,
    pub error: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseRevokeResponse {
    pub header: ResponseHeader,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseKeepAliveResponse {
    pub header: ResponseHeader,
    pub id: i64,
    pub ttl: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseTimeToLiveResponse {
    pub header: ResponseHeader,
    pub id: i64,
    /// Remaining seconds; -1 when the lease has expired or does not exist.
    pub ttl: i64,
    pub granted_ttl: i64,
    pub keys: Vec<Vec<u8>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaseLeasesResponse {
    pub header: ResponseHeader,
    pub leases: Vec<i64>,
}

// ---- cluster -----------------------------------------------------------------------------

/// `etcdserverpb.Member`. An unstarted member has an empty name and no client URLs.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub is_learner: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberListResponse {
    pub header: ResponseHeader,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberAddResponse {
    pub header: ResponseHeader,
    pub member: Member,
    pub members: Vec<Member>,
}

/// Shared by member remove, update and promote: the header and the member list after it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberChangeResponse {
    pub header: ResponseHeader,
    pub members: Vec<Member>,
}

// ---- maintenance -------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AlarmType {
    None,
    NoSpace,
    Corrupt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AlarmAction {
    Get,
    Activate,
    Deactivate,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AlarmMember {
    pub member_id: u64,
    pub alarm: AlarmType,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AlarmResponse {
    pub header: ResponseHeader,
    pub alarms: Vec<AlarmMember>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatusResponse {
    pub header: ResponseHeader,
    pub version: String,
    pub db_size: i64,
    pub leader: u64,
    pub raft_index: u64,
    pub raft_term: u64,
    pub raft_applied_index: u64,
    pub errors: Vec<String>,
    pub db_size_in_use: i64,
    pub is_learner: bool,
}

/// A consistent copy of one member's v3 backend (what `snapshot save` downloads).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SnapshotResponse {
    pub header: ResponseHeader,
    /// The member's backend file (bbolt), as large as the DB SIZE it reports: `snapshot
    /// status` reads its key count and size from it.
    pub blob: Vec<u8>,
}

// ---- auth --------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthRequest {
    Enable,
    Disable,
    Authenticate {
        name: String,
        password: String,
    },
    UserAdd {
        name: String,
        password: String,
        no_password: bool,
    },
    UserGet {
        name: String,
    },
    UserList,
    UserDelete {
        name: String,
    },
    UserChangePassword {
        name: String,
        password: String,
    },
    UserGrantRole {
        user: String,
        role: String,
    },
    UserRevokeRole {
        name: String,
        role: String,
    },
    RoleAdd {
        name: String,
    },
    RoleGet {
        role: String,
    },
    RoleList,
    RoleDelete {
        role: String,
    },
    RoleGrantPermission {
        name: String,
        perm: Permission,
    },
    RoleRevokePermission {
        role: String,
        key: Vec<u8>,
        range_end: Vec<u8>,
    },
    /// `auth status` (etcd 3.5).
    Status,
    // What a member proposes in place of the requests that carry a password (never sent by a
    // client; last, so that older stored log entries still decode): the log and the disks
    // never hold a password, only its bcrypt hash, as etcd 3.5 proposes `hashedPassword`.
    /// `UserAdd` with a password, hashed by the proposing member.
    UserAddHashed {
        name: String,
        hashed_password: String,
    },
    /// `UserChangePassword`, hashed by the proposing member.
    UserChangePasswordHashed {
        name: String,
        hashed_password: String,
    },
    /// `Authenticate` once the proposing member checked the password.
    AuthenticateChecked {
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthResponse {
    /// For every request whose answer is only a header.
    Done(ResponseHeader),
    Authenticate {
        header: ResponseHeader,
        token: String,
    },
    UserGet {
        header: ResponseHeader,
        roles: Vec<String>,
    },
    UserList {
        header: ResponseHeader,
        users: Vec<String>,
    },
    RoleGet {
        header: ResponseHeader,
        perm: Vec<Permission>,
    },
    RoleList {
        header: ResponseHeader,
        roles: Vec<String>,
    },
    Status {
        header: ResponseHeader,
        enabled: bool,
        auth_revision: u64,
    },
}

// ---- the envelope ------------------------------------------------------------------------

/// One client request to one member, as etcdctl sends it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Request {
    Range(RangeRequest),
    Put(PutRequest),
    DeleteRange(DeleteRangeRequest),
    Txn(TxnRequest),
    Compaction(CompactionRequest),
    LeaseGrant(LeaseGrantRequest),
    LeaseRevoke {
        id: i64,
    },
    LeaseKeepAlive {
        id: i64,
    },
    LeaseTimeToLive {
        id: i64,
        keys: bool,
    },
    LeaseLeases,
    MemberList,
    MemberAdd {
        peer_urls: Vec<String>,
        is_learner: bool,
    },
    MemberRemove {
        id: u64,
    },
    MemberUpdate {
        id: u64,
        peer_urls: Vec<String>,
    },
    MemberPromote {
        id: u64,
    },
    Alarm {
        action: AlarmAction,
        member_id: u64,
        alarm: AlarmType,
    },
    Status,
    HashKv {
        revision: i64,
    },
    Defragment,
    Snapshot,
    MoveLeader {
        target_id: u64,
    },
    Auth(AuthRequest),
    /// A request of the v2 API (keys, auth, the leader's SYNC); see [`super::v2`].
    V2(V2Request),
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Response {
    Range(RangeResponse),
    Put(PutResponse),
    DeleteRange(DeleteRangeResponse),
    Txn(TxnResponse),
    Compaction(CompactionResponse),
    LeaseGrant(LeaseGrantResponse),
    LeaseRevoke(LeaseRevokeResponse),
    LeaseKeepAlive(LeaseKeepAliveResponse),
    LeaseTimeToLive(LeaseTimeToLiveResponse),
    LeaseLeases(LeaseLeasesResponse),
    MemberList(MemberListResponse),
    MemberAdd(MemberAddResponse),
    MemberChange(MemberChangeResponse),
    Alarm(AlarmResponse),
    Status(StatusResponse),
    HashKv(HashKvResponse),
    /// Defragment and MoveLeader answer with a header only.
    Header(ResponseHeader),
    Snapshot(SnapshotResponse),
    Auth(AuthResponse),
    /// The answer to a v2 request (v2 errors included: they are answers with an index).
    V2(V2Response),
}
