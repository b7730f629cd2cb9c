//! The server's error edge: what `mvcc`, `lease` and `auth` refuse becomes the error a client
//! sees, with etcd's wire text and gRPC code (etcd's `togRPCError` in `v3rpc/util.go`:
//! `mvcc.ErrCompacted` becomes `rpctypes.ErrGRPCCompacted`, `auth.ErrUserNotFound` becomes
//! `ErrGRPCUserNotFound`, ...). The conversions are `From` impls, so `?` maps at the call.
//!
//! Owns: the mapping. Must not touch: the texts themselves (`api::rpctypes` and each layer's
//! own `Error`).

use crate::api::{errors, EtcdError};
use crate::{auth, lease, mvcc};

impl From<mvcc::Error> for EtcdError {
    fn from(e: mvcc::Error) -> Self {
        match e {
            mvcc::Error::Compacted => errors::compacted(),
            mvcc::Error::FutureRev => errors::future_rev(),
        }
    }
}

impl From<lease::Error> for EtcdError {
    fn from(e: lease::Error) -> Self {
        match e {
            lease::Error::NotFound => errors::lease_not_found(),
            lease::Error::Exists => errors::lease_exist(),
            lease::Error::TtlTooLarge => errors::lease_ttl_too_large(),
        }
    }
}

impl From<auth::Error> for EtcdError {
    fn from(e: auth::Error) -> Self {
        use auth::Error as A;
        match e {
            A::RootUserNotExist => errors::root_user_not_exist(),
            A::RootRoleNotExist => errors::root_role_not_exist(),
            A::UserAlreadyExist => errors::user_already_exist(),
            A::UserEmpty => errors::user_empty(),
            A::UserNotFound => errors::user_not_found(),
            A::RoleAlreadyExist => errors::role_already_exist(),
            A::RoleNotFound => errors::role_not_found(),
            A::RoleEmpty => errors::role_empty(),
            A::AuthFailed => errors::auth_failed(),
            A::PermissionDenied => errors::permission_denied(),
            A::RoleNotGranted => errors::role_not_granted(),
            A::PermissionNotGranted => errors::permission_not_granted(),
            A::AuthNotEnabled => errors::auth_not_enabled(),
            A::InvalidAuthToken => errors::invalid_auth_token(),
            A::InvalidAuthMgmt => errors::invalid_auth_mgmt(),
            A::NotARead => errors::not_capable(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Code;

    #[test]
    fn mvcc_errors_keep_their_text_behind_the_server_prefix() {
        for e in [mvcc::Error::Compacted, mvcc::Error::FutureRev] {
            let wire = EtcdError::from(e);
            assert_eq!(wire.code, Code::OutOfRange);
            assert_eq!(wire.message, format!("etcdserver: {e}"));
        }
    }

    #[test]
    fn lease_and_auth_errors_map_as_etcd_maps_them() {
        let wire: [EtcdError; 7] = [
            lease::Error::NotFound.into(),
            lease::Error::Exists.into(),
            lease::Error::TtlTooLarge.into(),
            auth::Error::UserNotFound.into(),
            auth::Error::UserAlreadyExist.into(),
            auth::Error::RoleNotFound.into(),
            auth::Error::NotARead.into(),
        ];
        let texts = [
            "etcdserver: requested lease not found",
            "etcdserver: lease already exists",
            "etcdserver: too large lease TTL",
            "etcdserver: user name not found",
            "etcdserver: user name already exists",
            "etcdserver: role name not found",
            "etcdserver: not capable",
        ];
        for (e, text) in wire.iter().zip(texts) {
            assert_eq!(e.message, text);
        }
        let denied = EtcdError::from(auth::Error::PermissionDenied);
        assert_eq!(denied.code, Code::PermissionDenied);
        let bad_token = EtcdError::from(auth::Error::InvalidAuthToken);
        assert_eq!(bad_token.code, Code::Unauthenticated);
    }
}
