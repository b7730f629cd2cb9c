use super::*;
use crate::api::{
    AuthRequest, CompactionRequest, DeleteRangeRequest, LeaseGrantRequest, Permission,
    PermissionType, PutRequest, Request,
};
use crate::mvcc::{RangeEnd, RangeOptions};
use crate::server::apply::ApplyContext;

const SMALL: &[u8] = include_bytes!("../bbolt/testdata/etcd-3.4.23-small.db");
const BIG: &[u8] = include_bytes!("../bbolt/testdata/etcd-3.4.23-big.db");

fn put(k: &str, v: &str, lease: i64) -> Request {
    Request::Put(PutRequest {
        key: k.into(),
        value: v.into(),
        lease,
        ..PutRequest::default()
    })
}

fn all(sm: &StateMachine, rev: i64) -> Vec<crate::api::KeyValue> {
    let opts = RangeOptions {
        rev,
        ..RangeOptions::default()
    };
    sm.kv
        .range(b"\0", RangeEnd::from_request(b"\0"), opts)
        .map(|r| r.kvs)
        .unwrap_or_default()
}

fn sample() -> StateMachine {
    let mut sm = StateMachine::new();
    sm.set_bcrypt_cost(4);
    let reqs = [
        put("a", "1", 0),
        put("b", "2", 0),
        put("a", "3", 0),
        Request::DeleteRange(DeleteRangeRequest {
            key: b"b".to_vec(),
            ..DeleteRangeRequest::default()
        }),
        Request::LeaseGrant(LeaseGrantRequest { ttl: 600, id: 77 }),
        put("leased", "x", 77),
        put("c", &"v".repeat(5000), 0),
        Request::Compaction(CompactionRequest {
            revision: 3,
            physical: false,
        }),
        put("a", "4", 0),
        Request::Auth(AuthRequest::UserAdd {
            name: "root".into(),
            password: "pw".into(),
            no_password: false,
        }),
        Request::Auth(AuthRequest::UserAdd {
            name: "bot".into(),
            password: String::new(),
            no_password: true,
        }),
        Request::Auth(AuthRequest::RoleAdd {
            name: "reader".into(),
        }),
        Request::Auth(AuthRequest::RoleGrantPermission {
            name: "reader".into(),
            perm: Permission {
                perm_type: PermissionType::ReadWrite,
                key: b"/a".to_vec(),
                range_end: b"/b".to_vec(),
            },
        }),
        Request::Auth(AuthRequest::UserGrantRole {
            user: "bot".into(),
            role: "reader".into(),
        }),
    ];
    for (i, r) in reqs.iter().enumerate() {
        let ctx = ApplyContext {
            member_id: 1,
            now: std::time::Duration::ZERO,
            index: i as u64 + 1,
        };
        sm.apply(r, &ctx).unwrap();
    }
    sm
}

/// The member real etcd's test snapshots were saved from.
fn infra1() -> ApiMember {
    ApiMember {
        id: 0x8e9e05c52164694d,
        name: "infra1".into(),
        peer_urls: vec!["http://localhost:2380".into()],
        client_urls: vec!["http://127.0.0.1:2379".into()],
        is_learner: false,
    }
}

fn membership<'a>(members: &'a [ApiMember], removed: &'a BTreeSet<u64>) -> Membership<'a> {
    Membership {
        members: members.iter().collect(),
        removed,
        cluster_version: Some("3.4.0"),
        alarms: &[],
        consistent_index: 42,
        raft_meta: None,
    }
}

#[test]
fn a_state_written_and_read_back_is_the_same() {
    let sm = sample();
    let members = [infra1()];
    let removed = BTreeSet::from([5u64]);
    let file = backend_file(&sm, &membership(&members, &removed), 20480);
    assert!(file.len() >= 20480 && file.len().is_multiple_of(4096));
    let db = Db::open(&file).unwrap();
    assert!(db.check().unwrap().is_empty());
    let back = read_backend(&db).unwrap();
    assert_eq!(back.kv.rev(), sm.kv.rev());
    assert_eq!(back.kv.compact_rev(), sm.kv.compact_rev());
    for rev in [0, 3, 4, 6, 7] {
        assert_eq!(all(&back, rev), all(&sm, rev), "at {rev}");
    }
    assert_eq!(back.kv.hash_by_rev(0), sm.kv.hash_by_rev(0));
    assert_eq!(back.lessor.lookup(77).map(|l| l.ttl), Some(600));
    assert_eq!(
        back.lessor.lookup(77).map(|l| l.keys.clone()),
        sm.lessor.lookup(77).map(|l| l.keys.clone())
    );
    assert_eq!(
        back.auth.users().collect::<Vec<_>>(),
        sm.auth.users().collect::<Vec<_>>()
    );
    assert_eq!(
        back.auth.roles().collect::<Vec<_>>(),
        sm.auth.roles().collect::<Vec<_>>()
    );
    assert_eq!(back.auth.revision(), sm.auth.revision());
    // the records etcd would find
    let m = db.bucket(b"members").unwrap().unwrap();
    assert_eq!(m[0].key, b"8e9e05c52164694d");
    assert_eq!(
        m[0].value,
        br#"{"id":10276657743932975437,"peerURLs":["http://localhost:2380"],"name":"infra1","clientURLs":["http://127.0.0.1:2379"]}"#
    );
    let meta = db.bucket(b"meta").unwrap().unwrap();
    assert_eq!(meta[0].key, b"consistent_index");
    assert_eq!(meta[0].value, 42u64.to_be_bytes());
}

#[test]
fn records_are_byte_for_byte_what_etcd_wrote() {
    // read the real file, write it again from what was read: the same pairs
    let real = Db::open(SMALL).unwrap();
    let sm = read_backend(&real).unwrap();
    let members = [infra1()];
    let removed = BTreeSet::new();
    let m = Membership {
        consistent_index: 16,
        raft_meta: None,
        ..membership(&members, &removed)
    };
    let file = backend_file(&sm, &m, 0);
    let db = Db::open(&file).unwrap();
    for name in [
        "key",
        "lease",
        "authUsers",
        "authRoles",
        "auth",
        "members",
        "meta",
        "cluster",
    ] {
        let pairs = |d: &Db<'_>| -> Vec<(Vec<u8>, Vec<u8>)> {
            d.bucket(name.as_bytes())
                .unwrap()
                .unwrap()
                .iter()
                .map(|e| (e.key.to_vec(), e.value.to_vec()))
                .collect()
        };
        assert_eq!(pairs(&db), pairs(&real), "bucket {name}");
    }
}

#[test]
fn a_real_etcd_backend_reads() {
    let sm = read_backend(&Db::open(SMALL).unwrap()).unwrap();
    let kvs = all(&sm, 0);
    let keys: Vec<&[u8]> = kvs.iter().map(|k| &k.key[..]).collect();
    assert_eq!(keys, [&b"/registry/pods/default/a"[..], b"foo", b"leased"]);
    assert_eq!(kvs[1].value, b"again");
    assert_eq!(kvs[1].create_revision, 6);
    assert_eq!(sm.kv.rev(), 7);
    assert_eq!(sm.auth.user("alice").unwrap().roles, ["reader"]);
    assert!(sm.auth.user("root").unwrap().password.is_some());
    assert_eq!(sm.lessor.len(), 1);
    let big = read_backend(&Db::open(BIG).unwrap()).unwrap();
    assert_eq!(big.kv.rev(), 308);
    assert_eq!(big.kv.compact_rev(), 3);
    assert_eq!(all(&big, 0).len(), 304);
}

#[test]
fn a_forged_record_is_refused_with_the_bucket_named() {
    let mut b = bbolt::Bucket::new("key");
    b.put(b"short", b"x");
    let file = bbolt::write(&[b], 0, 0);
    let e = read_backend(&Db::open(&file).unwrap()).unwrap_err();
    assert_eq!(
        e,
        "invalid database: entry 0 of bucket \"key\" does not read as etcd wrote it"
    );
}
