use super::*;
use crate::server::api::{PutRequest, RangeRequest};

#[test]
fn fresh_world_matches_the_recorded_cluster() {
    let w = World::new(1);
    let ids = w.member_ids();
    assert_eq!(ids.len(), 3);
    assert_eq!(w.resolve_endpoint("127.0.0.1:2379"), Some(ids[0]));
    assert_eq!(w.resolve_endpoint("http://127.0.0.1:22379"), Some(ids[1]));
    assert_eq!(w.resolve_endpoint("localhost:32379"), Some(ids[2]));
    assert_eq!(w.resolve_endpoint("127.0.0.1:1"), None);
    assert_eq!(w.leader(), Some(ids[0]));
    assert!(w.now() > Duration::from_secs(5));
    let views = w.member_views();
    assert!(views.iter().all(|v| v.term == 2));
}

#[test]
fn unreachable_and_member_list() {
    let mut w = World::new(1);
    let t = Duration::from_secs(5);
    assert_eq!(w.call("127.0.0.1:1", None, Request::MemberList, t), Err(CallError::Unreachable));
    let r = w.call("127.0.0.1:2379", None, Request::MemberList, t).unwrap();
    let Response::MemberList(l) = r else { panic!() };
    assert_eq!(l.members.len(), 3);
    assert_eq!(l.header.raft_term, 2);
    assert_eq!(l.members[0].name, "infra1");
    w.stop("infra2").unwrap();
    assert_eq!(w.call("127.0.0.1:22379", None, Request::MemberList, t), Err(CallError::Unreachable));
    assert!(w.stop("nope").is_err());
}

#[test]
fn no_quorum_deadline() {
    let mut w = World::new(1);
    let t = Duration::from_secs(5);
    w.stop("infra2").unwrap();
    w.stop("infra3").unwrap();
    let before = w.now();
    let put = Request::Put(PutRequest { key: b"a".to_vec(), value: b"b".to_vec(), ..Default::default() });
    assert_eq!(w.call("127.0.0.1:2379", None, put, t), Err(CallError::DeadlineExceeded));
    assert!(w.now() >= before + t);
    let get = Request::Range(RangeRequest { key: b"a".to_vec(), ..Default::default() });
    assert_eq!(w.call("127.0.0.1:2379", None, get, t), Err(CallError::DeadlineExceeded));
}
