//! Which etcd release a lab runs: 3.4.23 (the default) or 3.5.1. Everything that prints a
//! version, or prints differently from one release to the other, asks the [`EtcdVersion`]
//! it was handed (a lab's state carries it down to the members and to etcdctl); there is no
//! global.
//!
//! Owns: the release names and version strings. Must not touch: behaviour.

use serde::{Deserialize, Serialize};

/// An etcd release (server, etcdctl and, from 3.5, etcdutl).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum EtcdVersion {
    /// etcd 3.4.23 (Debian bookworm's etcd-server and etcd-client).
    #[default]
    V3_4_23,
    /// etcd 3.5.1 (the official release binaries, with etcdutl).
    V3_5_1,
}

impl EtcdVersion {
    /// Both releases, oldest first.
    pub const ALL: [EtcdVersion; 2] = [EtcdVersion::V3_4_23, EtcdVersion::V3_5_1];

    /// The full version: `3.4.23`, `3.5.1`.
    pub fn full(self) -> &'static str {
        match self {
            EtcdVersion::V3_4_23 => "3.4.23",
            EtcdVersion::V3_5_1 => "3.5.1",
        }
    }

    /// The API version etcdctl prints: `3.4`, `3.5`.
    pub fn api(self) -> &'static str {
        match self {
            EtcdVersion::V3_4_23 => "3.4",
            EtcdVersion::V3_5_1 => "3.5",
        }
    }

    /// The cluster version a fresh cluster of this release agrees on: `3.4.0`, `3.5.0`.
    pub fn cluster(self) -> &'static str {
        match self {
            EtcdVersion::V3_4_23 => "3.4.0",
            EtcdVersion::V3_5_1 => "3.5.0",
        }
    }

    /// Whether this is etcd 3.5 (etcdutl, the 3.5 client's texts).
    pub fn is_3_5(self) -> bool {
        self == EtcdVersion::V3_5_1
    }

    /// Reads `3.4`, `3.4.23`, `3.5` or `3.5.1`.
    pub fn parse(s: &str) -> Option<EtcdVersion> {
        match s.trim_start_matches('v') {
            "3.4" | "3.4.23" => Some(EtcdVersion::V3_4_23),
            "3.5" | "3.5.1" => Some(EtcdVersion::V3_5_1),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(EtcdVersion::default().full(), "3.4.23");
        assert_eq!(EtcdVersion::parse("3.5"), Some(EtcdVersion::V3_5_1));
        assert_eq!(EtcdVersion::parse("v3.4.23"), Some(EtcdVersion::V3_4_23));
        assert_eq!(EtcdVersion::parse("3.6"), None);
        for v in EtcdVersion::ALL {
            assert_eq!(EtcdVersion::parse(v.full()), Some(v));
            assert!(v.cluster().starts_with(v.api()));
        }
    }
}
