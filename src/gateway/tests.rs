//! The gateway mapping against canned answers (recorded from etcd 3.4.23's gateway), no server.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;

use super::transport::{Reply, Stream, Transport, TransportError};
use super::{request, GatewayCluster};
use crate::api::*;
use crate::cluster::Cluster;

/// Answers from a list; remembers what was sent (path, body, token).
#[derive(Default)]
struct Canned {
    replies: RefCell<VecDeque<Result<Reply, TransportError>>>,
    streams: RefCell<VecDeque<Vec<String>>>,
    sent: RefCell<Vec<(String, String, Option<String>)>>,
}

impl Canned {
    fn answer(self, status: u16, body: &str) -> Self {
        self.replies.borrow_mut().push_back(Ok(Reply {
            status,
            body: body.to_string(),
        }));
        self
    }
}

impl Transport for Canned {
    fn post(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        _timeout: Duration,
    ) -> Result<Reply, TransportError> {
        self.sent.borrow_mut().push((
            format!("{url}{path}"),
            body.to_string(),
            token.map(str::to_string),
        ));
        self.replies
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Unreachable("refused".into())))
    }

    fn open_stream(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        _connect_timeout: Duration,
    ) -> Result<Stream, TransportError> {
        self.sent.borrow_mut().push((
            format!("{url}{path}"),
            body.to_string(),
            token.map(str::to_string),
        ));
        let (tx, rx) = mpsc::channel();
        for l in self.streams.borrow_mut().pop_front().unwrap_or_default() {
            let _ = tx.send(l);
        }
        Ok(Stream {
            status: 200,
            lines: rx,
            closer: None,
        })
    }
}

const HEADER: &str = r#""header":{"cluster_id":"6655344719236148727","member_id":"3080122813777889836","revision":"4","raft_term":"2"}"#;

fn header() -> ResponseHeader {
    ResponseHeader {
        cluster_id: 6655344719236148727,
        member_id: 3080122813777889836,
        revision: 4,
        raft_term: 2,
    }
}

const T: Duration = Duration::from_secs(5);

#[test]
fn a_range_is_posted_with_every_option_etcdctl_sets() {
    let req = Request::Range(RangeRequest {
        key: b"a".to_vec(),
        range_end: b"b".to_vec(),
        limit: 2,
        revision: 3,
        sort_order: SortOrder::Descend,
        sort_target: SortTarget::Mod,
        serializable: true,
        keys_only: true,
        ..Default::default()
    });
    let p = request::encode(&req).unwrap();
    assert_eq!(p.path, "/v3/kv/range");
    assert_eq!(
        p.body,
        json!({"key":"YQ==","range_end":"Yg==","limit":"2","revision":"3","sort_order":"DESCEND",
               "sort_target":"MOD","serializable":true,"keys_only":true})
    );
}

#[test]
fn a_txn_keeps_its_compares_and_nested_ops() {
    let req = Request::Txn(TxnRequest {
        compare: vec![Compare {
            result: CompareResult::Equal,
            target: CompareTarget::Version(0),
            key: b"a".to_vec(),
            range_end: Vec::new(),
        }],
        success: vec![RequestOp::Txn(TxnRequest {
            success: vec![RequestOp::DeleteRange(DeleteRangeRequest {
                key: b"b".to_vec(),
                prev_kv: true,
                ..Default::default()
            })],
            ..Default::default()
        })],
        failure: vec![RequestOp::Put(PutRequest {
            key: b"a".to_vec(),
            value: b"1".to_vec(),
            lease: 7,
            ..Default::default()
        })],
    });
    let p = request::encode(&req).unwrap();
    assert_eq!(
        p.body,
        json!({
            // a oneof operand of zero is still written: it says which target compares
            "compare":[{"result":"EQUAL","target":"VERSION","key":"YQ==","version":"0"}],
            "success":[{"request_txn":{"compare":[],"success":[
                {"request_delete_range":{"key":"Yg==","prev_kv":true}}],"failure":[]}}],
            "failure":[{"request_put":{"key":"YQ==","value":"MQ==","lease":"7"}}]
        })
    );
}

#[test]
fn answers_carry_the_real_clusters_headers_and_values() {
    let canned = Canned::default()
        .answer(200, &format!(r#"{{{HEADER},"kvs":[{{"key":"YQ==","create_revision":"3","mod_revision":"4","version":"2","value":"Mg==","lease":"9"}}],"more":true,"count":"2"}}"#))
        .answer(200, &format!(r#"{{{HEADER},"succeeded":true,"responses":[{{"response_put":{{"header":{{"revision":"4"}}}}}},{{"response_delete_range":{{"header":{{"revision":"4"}},"deleted":"1"}}}}]}}"#));
    let mut c = GatewayCluster::new(canned);
    let r = c
        .call(
            "127.0.0.1:2379",
            None,
            Request::Range(RangeRequest::default()),
            T,
        )
        .unwrap();
    assert_eq!(
        r,
        Response::Range(RangeResponse {
            header: header(),
            kvs: vec![KeyValue {
                key: b"a".to_vec(),
                create_revision: 3,
                mod_revision: 4,
                version: 2,
                value: b"2".to_vec(),
                lease: 9,
            }],
            more: true,
            count: 2,
        })
    );
    let Response::Txn(t) = c
        .call(
            "http://127.0.0.1:2379/",
            None,
            Request::Txn(TxnRequest::default()),
            T,
        )
        .unwrap()
    else {
        panic!("not a txn answer");
    };
    assert!(t.succeeded);
    let nested = ResponseHeader {
        revision: 4,
        ..Default::default()
    };
    assert_eq!(
        t.responses,
        vec![
            ResponseOp::Put(PutResponse {
                header: nested,
                prev_kv: None
            }),
            ResponseOp::DeleteRange(DeleteRangeResponse {
                header: nested,
                deleted: 1,
                prev_kvs: Vec::new()
            })
        ]
    );
    let sent = c.transport_sent();
    assert_eq!(sent[0].0, "http://127.0.0.1:2379/v3/kv/range");
    assert_eq!(sent[1].0, "http://127.0.0.1:2379/v3/kv/txn");
}

#[test]
fn members_status_and_leases_decode() {
    let canned = Canned::default()
        .answer(200, &format!(r#"{{{HEADER},"members":[{{"ID":"3080122813777889836","name":"infra1","peerURLs":["http://127.0.0.1:23801"],"clientURLs":["http://127.0.0.1:23791"]}},{{"ID":"5","peerURLs":["http://x:1"],"isLearner":true}}]}}"#))
        .answer(200, &format!(r#"{{{HEADER},"version":"3.4.23","dbSize":"20480","leader":"3080122813777889836","raftIndex":"6","raftTerm":"2","raftAppliedIndex":"6","dbSizeInUse":"16384"}}"#))
        .answer(200, &format!(r#"{{{HEADER},"ID":"5344825294592497419","TTL":"95","grantedTTL":"100","keys":["YQ=="]}}"#))
        // a keep-alive stream's one answer, as the gateway streams it
        .answer(200, &format!("{{\"result\":{{{HEADER},\"ID\":\"1\",\"TTL\":\"100\"}}}}\n"));
    let mut c = GatewayCluster::new(canned);
    let ep = "127.0.0.1:2379";
    let Ok(Response::MemberList(m)) = c.call(ep, None, Request::MemberList, T) else {
        panic!("no member list");
    };
    assert_eq!(m.members.len(), 2);
    assert_eq!(m.members[0].name, "infra1");
    assert_eq!(m.members[0].client_urls, vec!["http://127.0.0.1:23791"]);
    assert!(m.members[1].is_learner && m.members[1].name.is_empty());
    let Ok(Response::Status(s)) = c.call(ep, None, Request::Status, T) else {
        panic!("no status");
    };
    assert_eq!(
        (
            s.version.as_str(),
            s.db_size,
            s.db_size_in_use,
            s.raft_index
        ),
        ("3.4.23", 20480, 16384, 6)
    );
    assert_eq!(s.leader, 3080122813777889836);
    let req = Request::LeaseTimeToLive {
        id: 5344825294592497419,
        keys: true,
    };
    let Ok(Response::LeaseTimeToLive(l)) = c.call(ep, None, req, T) else {
        panic!("no time-to-live");
    };
    assert_eq!(
        (l.ttl, l.granted_ttl, l.keys),
        (95, 100, vec![b"a".to_vec()])
    );
    let Ok(Response::LeaseKeepAlive(k)) = c.call(ep, None, Request::LeaseKeepAlive { id: 1 }, T)
    else {
        panic!("no keep-alive");
    };
    assert_eq!((k.id, k.ttl), (1, 100));
}

#[test]
fn errors_read_as_the_simulated_cluster_gives_them() {
    let canned = Canned::default()
        .answer(404, r#"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#)
        .answer(404, "Not Found\n");
    let mut c = GatewayCluster::new(canned);
    let ep = "127.0.0.1:2379";
    assert_eq!(
        c.call(ep, None, Request::LeaseRevoke { id: 1 }, T),
        Err(CallError::Server(errors::lease_not_found()))
    );
    let Err(CallError::Server(e)) = c.call(ep, None, Request::Auth(AuthRequest::Status), T) else {
        panic!("a 404 page is an error");
    };
    assert!(
        e.message.contains("does not serve /v3/auth/status"),
        "{e:?}"
    );
    // nothing answers: what the simulation says of a stopped member
    assert_eq!(
        c.call(ep, None, Request::MemberList, T),
        Err(CallError::Unreachable)
    );
    assert_eq!(c.member_at(ep), None);
}

#[test]
fn what_the_gateway_cannot_carry_says_so() {
    // etcd 3.4's gateway has no HashKV path; 3.5's has
    let canned = Canned::default().answer(404, "Not Found\n").answer(
        200,
        &format!(r#"{{{HEADER},"hash":3305255506,"compact_revision":"2","hash_revision":"4"}}"#),
    );
    let mut c = GatewayCluster::new(canned);
    let req = Request::HashKv { revision: 0 };
    let Err(CallError::Server(e)) = c.call("127.0.0.1:2379", None, req.clone(), T) else {
        panic!("not refused");
    };
    assert!(e.message.contains("does not serve HashKV"), "{}", e.message);
    assert!(e.message.contains("real etcdctl"), "{}", e.message);
    let Ok(Response::HashKv(h)) = c.call("127.0.0.1:2379", None, req, T) else {
        panic!("no hash");
    };
    assert_eq!((h.hash, h.compact_revision), (3305255506, 2));
    let mut c = GatewayCluster::new(Canned::default());
    let Err(CallError::Server(e)) = c.call("https://h:2379", None, Request::MemberList, T) else {
        panic!("https is refused");
    };
    assert!(e.message.contains("TLS endpoints are not supported"));
    assert!(c.transport_sent().is_empty());
}

#[test]
fn the_token_goes_in_the_authorization_header() {
    let canned = Canned::default().answer(200, &format!("{{{HEADER}}}"));
    let mut c = GatewayCluster::new(canned);
    let req = Request::Put(PutRequest {
        key: b"k".to_vec(),
        ..Default::default()
    });
    assert!(c.call("127.0.0.1:2379", Some("tok.5"), req, T).is_ok());
    assert_eq!(c.transport_sent()[0].2.as_deref(), Some("tok.5"));
}

#[test]
fn a_watch_streams_its_responses() {
    let canned = Canned::default();
    canned.streams.borrow_mut().push_back(vec![
        format!(r#"{{"result":{{{HEADER},"created":true}}}}"#),
        format!(r#"{{"result":{{{HEADER},"events":[{{"kv":{{"key":"YQ==","create_revision":"4","mod_revision":"4","version":"1","value":"MQ=="}}}},{{"type":"DELETE","kv":{{"key":"YQ==","mod_revision":"5"}}}}]}}}}"#),
    ]);
    let mut c = GatewayCluster::new(canned);
    let req = WatchCreateRequest {
        key: b"a".to_vec(),
        no_put: true,
        ..Default::default()
    };
    let id = c.watch("127.0.0.1:2379", None, req).unwrap();
    assert_eq!(
        c.transport_sent()[0].1,
        r#"{"create_request":{"filters":["NOPUT"],"key":"YQ=="}}"#
    );
    let rs = c.watch_poll(id);
    assert_eq!(rs.len(), 2);
    assert!(rs[0].created && rs[0].events.is_empty());
    assert_eq!(rs[1].events[0].kind, EventType::Put);
    assert_eq!(rs[1].events[1].kind, EventType::Delete);
    assert_eq!(rs[1].events[1].kv.mod_revision, 5);
    // the stream ended: nothing more
    assert!(c.watch_poll(id).is_empty());
}

impl GatewayCluster<Canned> {
    fn transport_sent(&self) -> Vec<(String, String, Option<String>)> {
        self.transport().sent.borrow().clone()
    }
}

#[test]
fn a_snapshot_is_its_streamed_chunks_less_the_trailing_checksum() {
    use base64::Engine;
    let sha = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let body = format!(
        "{{\"result\":{{{HEADER},\"remaining_bytes\":\"35\",\"blob\":\"AAEC\"}}}}\n{{\"result\":{{\"blob\":\"{sha}\"}}}}\n"
    );
    let mut c = GatewayCluster::new(Canned::default().answer(200, &body));
    let Ok(Response::Snapshot(s)) = c.call("127.0.0.1:2379", None, Request::Snapshot, T) else {
        panic!("no snapshot");
    };
    assert_eq!(s.blob, vec![0, 1, 2]);
    assert_eq!(s.header, header());
    assert_eq!(
        c.transport_sent()[0].0,
        "http://127.0.0.1:2379/v3/maintenance/snapshot"
    );
    // a stream's error line is the member's error
    let line = r#"{"error":{"grpc_code":5,"http_code":404,"message":"etcdserver: requested lease not found","http_status":"Not Found"}}"#;
    let mut c = GatewayCluster::new(Canned::default().answer(200, line));
    assert_eq!(
        c.call("127.0.0.1:2379", None, Request::LeaseKeepAlive { id: 1 }, T),
        Err(CallError::Server(errors::lease_not_found()))
    );
}
