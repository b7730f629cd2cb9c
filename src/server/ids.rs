//! Member and cluster IDs, derived exactly as etcd 3.4 derives them
//! (`etcdserver/api/membership`: `NewMember` and `RaftCluster.genID`).
//!
//! A member ID is the first 8 bytes (big-endian) of SHA-1 over the member's sorted peer URLs
//! concatenated, followed by the cluster token. The cluster ID is the first 8 bytes of SHA-1
//! over the sorted member IDs, each written as 8 big-endian bytes.
//! Owns only these pure functions; no state, no randomness.

use sha1::{Digest, Sha1};

fn first_u64(digest: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    for (dst, src) in b.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    u64::from_be_bytes(b)
}

/// The ID etcd gives a member of the initial cluster (`membership.NewMember` with no time).
pub fn member_id(peer_urls: &[&str], cluster_token: &str) -> u64 {
    let mut urls: Vec<&str> = peer_urls.to_vec();
    crate::sort::sort(&mut urls);
    let mut h = Sha1::new();
    for u in urls {
        h.update(u.as_bytes());
    }
    h.update(cluster_token.as_bytes());
    first_u64(&h.finalize())
}

/// The cluster ID etcd derives from its members' IDs (`RaftCluster.genID`).
pub fn cluster_id(member_ids: &[u64]) -> u64 {
    let mut ids = member_ids.to_vec();
    crate::sort::sort(&mut ids);
    let mut h = Sha1::new();
    for id in ids {
        h.update(id.to_be_bytes());
    }
    first_u64(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cluster_ids_match_a_real_etcd() {
        let t = "etcd-cluster-1";
        let a = member_id(&["http://127.0.0.1:12380"], t);
        let b = member_id(&["http://127.0.0.1:22380"], t);
        let c = member_id(&["http://127.0.0.1:32380"], t);
        assert_eq!(format!("{a:x}"), "8211f1d0f64f3269");
        assert_eq!(format!("{b:x}"), "91bc3c398fb3c146");
        assert_eq!(format!("{c:x}"), "fd422379fda50e48");
        assert_eq!(format!("{:x}", cluster_id(&[c, a, b])), "ef37ad9dc622a7c4");
        assert_eq!(cluster_id(&[a, b, c]), 17237436991929493444);
    }
}
