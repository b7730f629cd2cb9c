//! The auth store's own errors, worded as etcd's `auth` package words them
//! (`auth: user not found`, ...). `server` maps them to the errors a client sees
//! (`etcdserver: user name not found`, ...), as etcd's `togRPCError` does.
//!
//! Owns: the errors. Must not touch: the wire texts of `api::rpctypes`.

use std::fmt;

/// Why the auth store refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    RootUserNotExist,
    RootRoleNotExist,
    UserAlreadyExist,
    UserEmpty,
    UserNotFound,
    RoleAlreadyExist,
    RoleNotFound,
    RoleEmpty,
    AuthFailed,
    PermissionDenied,
    RoleNotGranted,
    PermissionNotGranted,
    AuthNotEnabled,
    InvalidAuthToken,
    InvalidAuthMgmt,
    /// [`AuthStore::read`](super::AuthStore::read) was given a request that changes the store
    /// (the member answers etcd's "not capable").
    NotARead,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::RootUserNotExist => "auth: root user does not exist",
            Error::RootRoleNotExist => "auth: root user does not have root role",
            Error::UserAlreadyExist => "auth: user already exists",
            Error::UserEmpty => "auth: user name is empty",
            Error::UserNotFound => "auth: user not found",
            Error::RoleAlreadyExist => "auth: role already exists",
            Error::RoleNotFound => "auth: role not found",
            Error::RoleEmpty => "auth: role name is empty",
            Error::AuthFailed => "auth: authentication failed, invalid user ID or password",
            Error::PermissionDenied => "auth: permission denied",
            Error::RoleNotGranted => "auth: role is not granted to the user",
            Error::PermissionNotGranted => "auth: permission is not granted to the role",
            Error::AuthNotEnabled => "auth: authentication is not enabled",
            Error::InvalidAuthToken => "auth: invalid auth token",
            Error::InvalidAuthMgmt => "auth: invalid auth management",
            Error::NotARead => "auth: not a read request",
        })
    }
}

impl std::error::Error for Error {}
