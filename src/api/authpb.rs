//! Key permissions of etcd's `authpb` (`auth.proto`), as role get/grant carry them.
//!
//! Owns: no behaviour. Must not touch: any other module but `api`.

/// `authpb.Permission.Type`: READ = 0, WRITE = 1, READWRITE = 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PermissionType {
    Read,
    Write,
    ReadWrite,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Permission {
    pub perm_type: PermissionType,
    pub key: Vec<u8>,
    pub range_end: Vec<u8>,
}
