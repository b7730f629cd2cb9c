//! Errors a member answers with: etcd 3.4's `api/v3rpc/rpctypes` table, each with its gRPC
//! code and its wire text (`etcdserver: ...`), and [`CallError`], why a call got no answer.
//!
//! Lower layers (`mvcc`, `lease`, `auth`) return errors of their own; `server` maps them to
//! these at its edge, as etcd's `togRPCError` does. Owns: the texts. Must not touch: any other
//! module but `api`.

use std::fmt;

/// gRPC status codes, printed by their Go names in etcdctl's retry warnings
/// (`rpc error: code = OutOfRange desc = ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Code {
    Canceled,
    Unknown,
    InvalidArgument,
    DeadlineExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// An error answered by a member, with etcd's own wording (`etcdserver: ...`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EtcdError {
    pub code: Code,
    pub message: String,
}

impl EtcdError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        EtcdError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for EtcdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The errors of etcd 3.4's `rpctypes` that this playground can answer, with their gRPC codes.
pub mod errors {
    use super::{Code, EtcdError};

    macro_rules! etcd_errors {
        ($($name:ident = $code:ident, $text:expr;)*) => {
            $(pub fn $name() -> EtcdError { EtcdError::new(Code::$code, $text) })*
        };
    }

    etcd_errors! {
        empty_key = InvalidArgument, "etcdserver: key is not provided";
        key_not_found = InvalidArgument, "etcdserver: key not found";
        value_provided = InvalidArgument, "etcdserver: value is provided";
        lease_provided = InvalidArgument, "etcdserver: lease is provided";
        too_many_ops = InvalidArgument, "etcdserver: too many operations in txn request";
        duplicate_key = InvalidArgument, "etcdserver: duplicate key given in txn request";
        compacted = OutOfRange, "etcdserver: mvcc: required revision has been compacted";
        future_rev = OutOfRange, "etcdserver: mvcc: required revision is a future revision";
        no_space = ResourceExhausted, "etcdserver: mvcc: database space exceeded";
        lease_not_found = NotFound, "etcdserver: requested lease not found";
        lease_exist = FailedPrecondition, "etcdserver: lease already exists";
        lease_ttl_too_large = OutOfRange, "etcdserver: too large lease TTL";
        member_exist = FailedPrecondition, "etcdserver: member ID already exist";
        peer_url_exist = FailedPrecondition, "etcdserver: Peer URLs already exists";
        member_not_enough_started = FailedPrecondition, "etcdserver: re-configuration failed due to not enough started members";
        member_bad_urls = InvalidArgument, "etcdserver: given member URLs are invalid";
        member_not_found = NotFound, "etcdserver: member not found";
        member_not_learner = FailedPrecondition, "etcdserver: can only promote a learner member";
        learner_not_ready = FailedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader";
        too_many_learners = FailedPrecondition, "etcdserver: too many learner members in cluster";
        not_supported_for_learner = Unavailable, "etcdserver: rpc not supported for learner";
        request_too_large = InvalidArgument, "etcdserver: request is too large";
        root_user_not_exist = FailedPrecondition, "etcdserver: root user does not exist";
        root_role_not_exist = FailedPrecondition, "etcdserver: root user does not have root role";
        user_already_exist = FailedPrecondition, "etcdserver: user name already exists";
        user_empty = InvalidArgument, "etcdserver: user name is empty";
        user_not_found = FailedPrecondition, "etcdserver: user name not found";
        role_already_exist = FailedPrecondition, "etcdserver: role name already exists";
        role_not_found = FailedPrecondition, "etcdserver: role name not found";
        role_empty = InvalidArgument, "etcdserver: role name is empty";
        auth_failed = InvalidArgument, "etcdserver: authentication failed, invalid user ID or password";
        permission_denied = PermissionDenied, "etcdserver: permission denied";
        role_not_granted = FailedPrecondition, "etcdserver: role is not granted to the user";
        permission_not_granted = FailedPrecondition, "etcdserver: permission is not granted to the role";
        auth_not_enabled = FailedPrecondition, "etcdserver: authentication is not enabled";
        invalid_auth_token = Unauthenticated, "etcdserver: invalid auth token";
        invalid_auth_mgmt = InvalidArgument, "etcdserver: invalid auth management";
        no_leader = Unavailable, "etcdserver: no leader";
        not_leader = FailedPrecondition, "etcdserver: not leader";
        leader_changed = Unavailable, "etcdserver: leader changed";
        not_capable = Unavailable, "etcdserver: not capable";
        stopped = Unavailable, "etcdserver: server stopped";
        timeout = Unavailable, "etcdserver: request timed out";
        timeout_due_to_leader_fail = Unavailable, "etcdserver: request timed out, possibly due to previous leader failure";
        timeout_due_to_connection_lost = Unavailable, "etcdserver: request timed out, possibly due to connection lost";
        unhealthy = Unavailable, "etcdserver: unhealthy cluster";
        corrupt = DataLoss, "etcdserver: corrupt cluster";
        bad_leader_transferee = FailedPrecondition, "etcdserver: bad leader transferee";
    }
}

/// Why a call from a client did not get an answer from a member.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CallError {
    /// Nothing listens at the endpoint (unknown address, or the member is stopped).
    Unreachable,
    /// The command timeout ran out in simulated time (e.g. no quorum).
    DeadlineExceeded,
    /// The member answered with an error.
    Server(EtcdError),
}

impl From<EtcdError> for CallError {
    fn from(e: EtcdError) -> Self {
        CallError::Server(e)
    }
}
