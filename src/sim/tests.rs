use super::*;
use crate::api::{PutRequest, RangeRequest, Request, Response};

const T: Duration = Duration::from_secs(5);

fn put(k: &str) -> Request {
    Request::Put(PutRequest {
        key: k.as_bytes().to_vec(),
        value: b"v".to_vec(),
        ..Default::default()
    })
}

#[test]
fn fresh_world_matches_the_recorded_cluster() {
    let w = World::new(1);
    let ids = w.member_ids();
    assert_eq!(ids.len(), 3);
    assert_eq!(format!("{:x}", ids[0]), "8211f1d0f64f3269");
    assert_eq!(format!("{:x}", w.cluster_id()), "ef37ad9dc622a7c4");
    assert_eq!(w.resolve_endpoint("127.0.0.1:2379"), Some(ids[0]));
    assert_eq!(w.resolve_endpoint("http://127.0.0.1:22379"), Some(ids[1]));
    assert_eq!(w.resolve_endpoint("localhost:32379"), Some(ids[2]));
    assert_eq!(w.resolve_endpoint("127.0.0.1:1"), None);
    assert_eq!(w.leader(), Some(ids[0]));
    assert!(w.now() > Duration::from_secs(5));
    let views = w.member_views();
    for v in &views {
        assert_eq!(v.term, 2, "{v:?}");
        assert_eq!(v.leader, ids[0]);
        // 3 conf changes, the leader's empty entry, 3 publishes, the cluster version.
        assert_eq!(v.applied, 8, "{v:?}");
    }
    assert!(w.safety_violations().is_empty());
}

#[test]
fn same_seed_same_history() {
    let a = World::new(7);
    let b = World::new(7);
    assert_eq!(a.trace(), b.trace());
}

#[test]
fn unreachable_and_member_list() {
    let mut w = World::new(1);
    assert_eq!(
        w.call("127.0.0.1:1", None, Request::MemberList, T),
        Err(CallError::Unreachable)
    );
    let r = w
        .call("127.0.0.1:22379", None, Request::MemberList, T)
        .unwrap();
    let Response::MemberList(l) = r else { panic!() };
    assert_eq!(l.members.len(), 3);
    assert_eq!(l.header.raft_term, 2);
    assert_eq!(l.header.member_id, w.member_ids()[1]);
    assert_eq!(l.members[0].name, "infra1");
    assert_eq!(
        l.members[2].client_urls,
        vec!["http://127.0.0.1:32379".to_string()]
    );
    w.stop("infra2").unwrap();
    assert_eq!(
        w.call("127.0.0.1:22379", None, Request::MemberList, T),
        Err(CallError::Unreachable)
    );
    assert!(w.stop("nope").is_err());
    assert!(w.stop("infra2").is_err());
    w.start("infra2").unwrap();
    assert!(w
        .call("127.0.0.1:22379", None, Request::MemberList, T)
        .is_ok());
}

#[test]
fn no_quorum_waits_for_the_deadline() {
    let mut w = World::new(1);
    w.stop("infra2").unwrap();
    w.stop("infra3").unwrap();
    let before = w.now();
    assert_eq!(
        w.call("127.0.0.1:2379", None, put("a"), T),
        Err(CallError::DeadlineExceeded)
    );
    assert!(w.now() >= before + T);
    let get = Request::Range(RangeRequest {
        key: b"a".to_vec(),
        ..Default::default()
    });
    assert_eq!(
        w.call("127.0.0.1:2379", None, get.clone(), T),
        Err(CallError::DeadlineExceeded)
    );
    let ser = Request::Range(RangeRequest {
        key: b"a".to_vec(),
        serializable: true,
        ..Default::default()
    });
    assert_ne!(
        w.call("127.0.0.1:2379", None, ser, T),
        Err(CallError::DeadlineExceeded)
    );
}

#[test]
fn proposals_commit_on_every_member() {
    let mut w = World::new(3);
    // The state machine answers (whatever it says) once the entry is committed and applied.
    let _ = w.call("127.0.0.1:22379", None, put("a"), T);
    let _ = w.call("127.0.0.1:2379", None, put("b"), T);
    w.advance(Duration::from_millis(300));
    let v = w.member_views();
    assert!(v.iter().all(|m| m.applied == 10), "{v:?}");
    assert!(w.safety_violations().is_empty());
}

#[test]
fn move_leader_raises_the_term() {
    let mut w = World::new(1);
    let ids = w.member_ids();
    let r = w.call(
        "127.0.0.1:22379",
        None,
        Request::MoveLeader { target_id: ids[2] },
        T,
    );
    assert!(
        matches!(r, Err(CallError::Server(ref e)) if e.message == "etcdserver: not leader"),
        "{r:?}"
    );
    let r = w.call(
        "127.0.0.1:2379",
        None,
        Request::MoveLeader { target_id: 0x1234 },
        T,
    );
    assert!(
        matches!(r, Err(CallError::Server(ref e)) if e.message == "etcdserver: bad leader transferee")
    );
    w.call(
        "127.0.0.1:2379",
        None,
        Request::MoveLeader { target_id: ids[1] },
        T,
    )
    .unwrap();
    assert_eq!(w.leader(), Some(ids[1]));
    w.call(
        "127.0.0.1:22379",
        None,
        Request::MoveLeader { target_id: ids[2] },
        T,
    )
    .unwrap();
    w.call(
        "127.0.0.1:32379",
        None,
        Request::MoveLeader { target_id: ids[0] },
        T,
    )
    .unwrap();
    w.advance(Duration::from_millis(200));
    assert!(w.member_views().iter().all(|m| m.term == 5));
    let Response::Status(s) = w.call("127.0.0.1:2379", None, Request::Status, T).unwrap() else {
        panic!()
    };
    assert_eq!(s.leader, ids[0]);
    assert_eq!(s.raft_term, 5);
}

#[test]
fn leader_crash_elects_another() {
    let mut w = World::new(5);
    let ids = w.member_ids();
    w.stop("infra1").unwrap();
    w.advance(Duration::from_secs(3));
    let l = w.leader().unwrap();
    assert_ne!(l, ids[0]);
    w.start("infra1").unwrap();
    w.advance(Duration::from_secs(1));
    let v = w.member_views();
    assert!(
        v.iter().all(|m| m.leader == l && m.applied == v[0].applied),
        "{v:?}"
    );
}

#[test]
fn member_add_remove_like_etcd() {
    let mut w = World::new(1);
    let add = |u: &str, learner: bool| Request::MemberAdd {
        peer_urls: vec![u.to_string()],
        is_learner: learner,
    };
    let Response::MemberAdd(a) = w
        .call(
            "127.0.0.1:2379",
            None,
            add("http://127.0.0.1:42380", false),
            T,
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(a.members.len(), 4);
    assert_eq!(
        a.member.peer_urls,
        vec!["http://127.0.0.1:42380".to_string()]
    );
    let new1 = a.member.id;
    let r = w.call(
        "127.0.0.1:2379",
        None,
        Request::MemberUpdate {
            id: new1,
            peer_urls: vec!["http://127.0.0.1:42381".into()],
        },
        T,
    );
    assert!(r.is_ok(), "{r:?}");
    let r = w.call(
        "127.0.0.1:2379",
        None,
        add("http://127.0.0.1:52380", false),
        T,
    );
    assert!(
        matches!(r, Err(CallError::Server(ref e)) if e.message == "etcdserver: unhealthy cluster"),
        "{r:?}"
    );
    w.call(
        "127.0.0.1:2379",
        None,
        Request::MemberRemove { id: new1 },
        T,
    )
    .unwrap();
    let r = w.call(
        "127.0.0.1:2379",
        None,
        Request::MemberRemove { id: new1 },
        T,
    );
    assert!(
        matches!(r, Err(CallError::Server(ref e)) if e.message == "etcdserver: member not found"),
        "{r:?}"
    );
    let Response::MemberAdd(a) = w
        .call(
            "127.0.0.1:2379",
            None,
            add("http://127.0.0.1:62380", true),
            T,
        )
        .unwrap()
    else {
        panic!()
    };
    assert!(a.member.is_learner);
    let r = w.call(
        "127.0.0.1:2379",
        None,
        Request::MemberPromote { id: a.member.id },
        T,
    );
    assert!(
        matches!(r, Err(CallError::Server(ref e)) if e.message.contains("in sync with leader")),
        "{r:?}"
    );
    w.call(
        "127.0.0.1:2379",
        None,
        Request::MemberRemove { id: a.member.id },
        T,
    )
    .unwrap();
    let Response::MemberList(l) = w
        .call("127.0.0.1:2379", None, Request::MemberList, T)
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(l.members.len(), 3);
}

#[test]
fn controls_validate_their_input() {
    let mut w = World::new(1);
    assert!(w.set_loss(101).is_err());
    assert_eq!(w.set_loss(10).unwrap(), "message loss set to 10%");
    assert!(w
        .partition(&[vec!["infra1".into()], vec!["infra9".into()]])
        .is_err());
    assert_eq!(
        w.partition(&[vec!["infra1".into()]]).unwrap(),
        "partitioned: infra1 | infra2 infra3"
    );
    assert_eq!(w.heal().unwrap(), "network healed");
    assert_eq!(
        w.set_link_latency("infra1", "infra3", 50).unwrap(),
        "latency between infra1 and infra3 set to 50 ms"
    );
    assert!(w.set_link_latency("infra1", "infra1", 5).is_err());
    assert!(w.set_latency(60_001).is_err());
    assert!(w.start("infra1").is_err());
    w.set_loss(0).unwrap();
    // A put still commits over the slow link (infra2 is close).
    assert!(w.call("127.0.0.1:32379", None, put("slow"), T).is_ok());
}

fn get(k: &str) -> Request {
    Request::Range(RangeRequest {
        key: k.as_bytes().to_vec(),
        ..Default::default()
    })
}

#[test]
fn put_get_through_any_member() {
    let mut w = World::new(2);
    let Response::Put(p) = w.call("127.0.0.1:22379", None, put("a"), T).unwrap() else {
        panic!()
    };
    assert_eq!(p.header.revision, 2);
    assert_eq!(p.header.raft_term, 2);
    assert_eq!(p.header.member_id, w.member_ids()[1]);
    let Response::Range(r) = w.call("127.0.0.1:32379", None, get("a"), T).unwrap() else {
        panic!()
    };
    assert_eq!(r.kvs.len(), 1);
    assert_eq!(r.header.revision, 2);
}

#[test]
fn lease_expires_and_watch_sees_the_delete() {
    use crate::api::{LeaseGrantRequest, WatchCreateRequest};
    let mut w = World::new(2);
    let Response::LeaseGrant(g) = w
        .call(
            "127.0.0.1:2379",
            None,
            Request::LeaseGrant(LeaseGrantRequest { ttl: 2, id: 0 }),
            T,
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(g.ttl, 2);
    assert_eq!((g.id as u64) >> 48, 0x3269);
    let p = Request::Put(PutRequest {
        key: b"temp".to_vec(),
        value: b"x".to_vec(),
        lease: g.id,
        ..Default::default()
    });
    w.call("127.0.0.1:2379", None, p, T).unwrap();
    let wid = w
        .watch(
            "127.0.0.1:2379",
            None,
            WatchCreateRequest {
                key: b"temp".to_vec(),
                ..Default::default()
            },
        )
        .unwrap();
    let created = w.watch_poll(wid);
    assert!(created.first().is_some_and(|r| r.created));
    w.advance(Duration::from_secs(4));
    let evs = w.watch_poll(wid);
    assert_eq!(
        evs.iter().map(|r| r.events.len()).sum::<usize>(),
        1,
        "{evs:?}"
    );
    let Response::Range(r) = w.call("127.0.0.1:2379", None, get("temp"), T).unwrap() else {
        panic!()
    };
    assert_eq!(r.kvs.len(), 0);
    assert_eq!(r.header.revision, 3);
}

#[test]
fn snapshots_compact_and_catch_up_a_lagging_member() {
    let mut w = World::new(4);
    w.set_snapshot_count(20);
    w.stop("infra3").unwrap();
    for i in 0..100 {
        w.call("127.0.0.1:2379", None, put(&format!("k{i}")), T)
            .unwrap();
    }
    w.start("infra3").unwrap();
    w.advance(Duration::from_secs(2));
    let Response::Range(r) = w
        .call(
            "127.0.0.1:32379",
            None,
            Request::Range(RangeRequest {
                key: b"k99".to_vec(),
                serializable: true,
                ..Default::default()
            }),
            T,
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(r.kvs.len(), 1);
    let v = w.member_views();
    assert!(v[0].first_index > 1, "{:?}", v[0].first_index);
    // And a restart from the compacted disk.
    w.stop("infra1").unwrap();
    w.start("infra1").unwrap();
    w.advance(Duration::from_secs(3));
    let Response::Range(r) = w
        .call(
            "127.0.0.1:2379",
            None,
            Request::Range(RangeRequest {
                key: b"k5".to_vec(),
                serializable: true,
                ..Default::default()
            }),
            T,
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(r.kvs.len(), 1);
    assert!(w.safety_violations().is_empty());
}

#[test]
fn v2_store_starts_at_index_7_on_every_member() {
    let mut w = World::new(9);
    for id in w.member_ids() {
        assert_eq!(w.member(id).unwrap().sm.v2.index(), 7);
    }
    // A restarted member replays the log, then publishes again (one more v2 write, as etcd).
    w.stop("infra2").unwrap();
    w.start("infra2").unwrap();
    w.advance(Duration::from_secs(2));
    for id in w.member_ids() {
        assert_eq!(w.member(id).unwrap().sm.v2.index(), 8, "{id:x}");
    }
}
