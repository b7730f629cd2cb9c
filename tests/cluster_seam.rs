//! The seam between etcdctl and the cluster: etcdctl driven through a second, tiny
//! implementation of the Cluster interface — a recording fake with one key, a clock it moves
//! only when told, and one watch stream — and nothing else. What etcdctl prints comes from
//! the fake's answers, each request it sent is in the fake's log, and time passes only
//! through the interface.

use std::collections::BTreeMap;
use std::time::Duration;

use etcd_playground::api::{
    CallError, Event, EventType, KeyValue, RangeResponse, Request, Response, ResponseHeader,
    SnapshotResponse, WatchCreateRequest, WatchResponse,
};
use etcd_playground::cluster::{CallId, Cluster, WatchId};
use etcd_playground::etcdctl::{self, Console, Io, Status};

/// 2024-01-01T00:00:00Z.
const EPOCH: i64 = 1_704_067_200_000_000_000;
const ENDPOINT: &str = "127.0.0.1:2379";

/// One key (`foo` = `bar` at revision 7), one member at [`ENDPOINT`], a log of every request.
#[derive(Default)]
struct Recording {
    clock: Duration,
    down: bool,
    log: Vec<String>,
    /// Responses the open watch will hand out at its next poll.
    pending: Vec<WatchResponse>,
}

impl Recording {
    /// A backend file as a member streams it: four pairs, the last revision 7.
    fn backend() -> Vec<u8> {
        let mut key = etcd_playground::bbolt::Bucket::new("key");
        for rev in [5i64, 7] {
            let mut k = rev.to_be_bytes().to_vec();
            k.push(b'_');
            k.extend_from_slice(&0i64.to_be_bytes());
            key.put(&k, b"\x0a\x03foo");
        }
        let mut meta = etcd_playground::bbolt::Bucket::new("meta");
        meta.put(b"consistent_index", &9u64.to_be_bytes());
        meta.put(b"x", b"");
        etcd_playground::bbolt::write(&[key, meta], 20480, 0)
    }

    fn header() -> ResponseHeader {
        ResponseHeader {
            cluster_id: 0x1111,
            member_id: 0x2222,
            revision: 7,
            raft_term: 3,
        }
    }

    fn foo() -> KeyValue {
        KeyValue {
            key: b"foo".to_vec(),
            value: b"bar".to_vec(),
            create_revision: 7,
            mod_revision: 7,
            version: 1,
            lease: 0,
        }
    }
}

impl Cluster for Recording {
    fn now(&self) -> Duration {
        self.clock
    }
    fn unix_nanos(&self) -> i64 {
        EPOCH + self.clock.as_nanos() as i64
    }
    fn advance(&mut self, d: Duration) {
        self.log.push(format!("advance {d:?}"));
        self.clock += d;
    }
    fn run_until_idle(&mut self, limit: Duration) {
        self.log.push(format!("run_until_idle {limit:?}"));
    }
    fn member_at(&self, endpoint: &str) -> Option<u64> {
        (endpoint == ENDPOINT && !self.down).then_some(0x2222)
    }
    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        if let Request::Snapshot = req {
            self.log.push(format!("call {endpoint} Snapshot"));
            return Ok(Response::Snapshot(SnapshotResponse {
                header: Self::header(),
                blob: Self::backend(),
            }));
        }
        let Request::Range(r) = &req else {
            self.log.push(format!("call {endpoint} refused {req:?}"));
            return Err(CallError::Unreachable);
        };
        self.log.push(format!(
            "call {endpoint} token={auth_token:?} Range key={} range_end={} timeout={timeout:?}",
            String::from_utf8_lossy(&r.key),
            String::from_utf8_lossy(&r.range_end)
        ));
        if self.member_at(endpoint).is_none() {
            return Err(CallError::Unreachable);
        }
        let kvs = if r.key == b"foo" && r.range_end.is_empty() {
            vec![Self::foo()]
        } else {
            Vec::new()
        };
        Ok(Response::Range(RangeResponse {
            header: Self::header(),
            count: kvs.len() as i64,
            kvs,
            more: false,
        }))
    }
    fn submit(&mut self, endpoint: &str, _: Option<&str>, _: Request) -> Result<CallId, CallError> {
        self.log.push(format!("submit {endpoint}"));
        Err(CallError::Unreachable)
    }
    fn take_answer(&mut self, _: CallId) -> Option<Result<Response, CallError>> {
        None
    }
    fn watch(
        &mut self,
        endpoint: &str,
        _: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError> {
        self.log.push(format!(
            "watch {endpoint} key={}",
            String::from_utf8_lossy(&req.key)
        ));
        self.pending.push(WatchResponse {
            header: Self::header(),
            created: true,
            ..Default::default()
        });
        Ok(41)
    }
    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse> {
        assert_eq!(watch, 41);
        std::mem::take(&mut self.pending)
    }
    fn watch_cancel(&mut self, watch: WatchId) {
        self.log.push(format!("watch_cancel {watch}"));
    }
}

fn etcdctl(c: &mut Recording, line: &str) -> (Status, Io) {
    etcdctl_in(c, &mut Console::new(1), line)
}

fn etcdctl_in(c: &mut Recording, console: &mut Console, line: &str) -> (Status, Io) {
    let args: Vec<String> = line.split_whitespace().map(String::from).collect();
    let mut io = Io::new("");
    let status = etcdctl::run(c, console, &BTreeMap::new(), &args, &mut io);
    (status, io)
}

fn exit(s: Status) -> i32 {
    match s {
        Status::Done(code) => code,
        Status::Running(_) => panic!("still running"),
    }
}

#[test]
fn get_prints_what_the_cluster_answered() {
    let mut c = Recording::default();
    let (s, io) = etcdctl(&mut c, "get foo");
    assert_eq!(
        (exit(s), io.stdout.as_str(), io.stderr.as_str()),
        (0, "foo\nbar\n", "")
    );
    assert_eq!(
        c.log,
        ["call 127.0.0.1:2379 token=None Range key=foo range_end= timeout=5s"]
    );
    let (s, io) = etcdctl(&mut c, "get foo -w fields");
    assert_eq!(exit(s), 0);
    assert!(
        io.stdout.starts_with(
            "\"ClusterID\" : 4369\n\"MemberID\" : 8738\n\"Revision\" : 7\n\"RaftTerm\" : 3\n"
        ),
        "{}",
        io.stdout
    );
    assert_eq!(
        c.clock,
        Duration::ZERO,
        "no time passes unless the cluster lets it"
    );
}

#[test]
fn an_unreachable_cluster_costs_the_command_timeout_on_its_clock() {
    let mut c = Recording {
        down: true,
        ..Default::default()
    };
    let (s, io) = etcdctl(&mut c, "get foo --command-timeout=2s");
    assert_eq!(exit(s), 1);
    assert_eq!(io.stdout, "");
    assert!(
        io.stderr
            .starts_with("{\"level\":\"warn\",\"ts\":\"2024-01-01T00:00:02.000Z\""),
        "{}",
        io.stderr
    );
    assert!(
        io.stderr.ends_with("Error: context deadline exceeded\n"),
        "{}",
        io.stderr
    );
    assert_eq!(
        c.log,
        [
            "call 127.0.0.1:2379 token=None Range key=foo range_end= timeout=2s",
            "advance 2s"
        ]
    );
}

#[test]
fn watch_is_a_job_over_the_clusters_stream() {
    let mut c = Recording::default();
    let (s, io) = etcdctl(&mut c, "watch foo");
    assert_eq!((io.stdout.as_str(), io.stderr.as_str()), ("", ""));
    let Status::Running(mut job) = s else {
        panic!("watch ended at once")
    };
    c.pending.push(WatchResponse {
        header: Recording::header(),
        events: vec![Event {
            kind: EventType::Put,
            kv: Recording::foo(),
            prev_kv: None,
        }],
        ..Default::default()
    });
    let mut io = Io::new("");
    assert_eq!(job.poll(&mut c, &mut io), None);
    assert_eq!(io.stdout, "PUT\nfoo\nbar\n");
    assert_eq!(job.interrupt(&mut c, &mut io), 0);
    assert_eq!(c.log, ["watch 127.0.0.1:2379 key=foo", "watch_cancel 41"]);
}

#[test]
fn snapshot_save_asks_the_cluster_what_its_backend_holds() {
    let mut c = Recording::default();
    let mut console = Console::new(1);
    let (s, io) = etcdctl_in(&mut c, &mut console, "snapshot save a.db");
    assert_eq!(
        (exit(s), io.stdout.as_str()),
        (0, "Snapshot saved at a.db\n")
    );
    assert_eq!(c.log, ["call 127.0.0.1:2379 Snapshot"]);
    // the file: the member's database as it streamed it, then its SHA-256
    let file = &console.files["a.db"];
    assert_eq!(file.len(), 20480 + 32);
    assert_eq!(&file[..20480], &Recording::backend()[..]);
    let (s, io) = etcdctl_in(&mut c, &mut console, "snapshot status a.db -w json");
    assert_eq!(exit(s), 0);
    assert!(
        io.stdout
            .contains("\"revision\":7,\"totalKey\":4,\"totalSize\":20480"),
        "{}",
        io.stdout
    );
}
