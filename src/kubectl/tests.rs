use std::collections::BTreeMap;

use super::*;
use crate::api::{
    CallError, CompareTarget, DeleteRangeResponse, KeyValue, PutResponse, RangeRequest,
    RangeResponse, Request, RequestOp, Response, ResponseHeader, ResponseOp, TxnResponse,
};
use crate::registry::sample::{generate, load_requests, SampleOptions, SampleSize};
use std::time::Duration;

const NOW: i64 = 1_795_586_400;

/// An etcd of one member in memory: enough of Range (prefix, limit), Put, DeleteRange and
/// Txn (compare on mod revision) for kubectl.
#[derive(Default)]
struct MemCluster {
    kvs: BTreeMap<Vec<u8>, KeyValue>,
    rev: i64,
    down: bool,
}

impl MemCluster {
    fn new() -> Self {
        MemCluster {
            rev: 1,
            ..Default::default()
        }
    }

    fn header(&self) -> ResponseHeader {
        ResponseHeader {
            revision: self.rev,
            ..Default::default()
        }
    }

    fn range(&self, r: &RangeRequest) -> RangeResponse {
        let in_range = |k: &Vec<u8>| {
            if r.range_end.is_empty() {
                *k == r.key
            } else {
                *k >= r.key && (r.range_end == [0] || *k < r.range_end)
            }
        };
        let all: Vec<KeyValue> = self
            .kvs
            .values()
            .filter(|kv| in_range(&kv.key))
            .cloned()
            .collect();
        let count = all.len() as i64;
        let limit = if r.limit > 0 {
            r.limit as usize
        } else {
            usize::MAX
        };
        let more = all.len() > limit;
        RangeResponse {
            header: self.header(),
            kvs: all.into_iter().take(limit).collect(),
            more,
            count,
        }
    }

    fn apply(&mut self, op: &RequestOp, rev: i64) -> ResponseOp {
        match op {
            RequestOp::Put(p) => {
                let (create, version) = self
                    .kvs
                    .get(&p.key)
                    .map(|kv| (kv.create_revision, kv.version + 1))
                    .unwrap_or((rev, 1));
                self.kvs.insert(
                    p.key.clone(),
                    KeyValue {
                        key: p.key.clone(),
                        create_revision: create,
                        mod_revision: rev,
                        version,
                        value: p.value.clone(),
                        lease: 0,
                    },
                );
                ResponseOp::Put(PutResponse::default())
            }
            RequestOp::DeleteRange(d) => {
                let deleted = self.kvs.remove(&d.key).is_some() as i64;
                ResponseOp::DeleteRange(DeleteRangeResponse {
                    deleted,
                    ..Default::default()
                })
            }
            RequestOp::Range(r) => ResponseOp::Range(self.range(r)),
            RequestOp::Txn(_) => ResponseOp::Txn(TxnResponse::default()),
        }
    }
}

impl MemCluster {
    fn answer(&mut self, req: Request) -> Result<Response, CallError> {
        if self.down {
            return Err(CallError::Unreachable);
        }
        Ok(match req {
            Request::Range(r) => Response::Range(self.range(&r)),
            Request::Put(p) => {
                self.rev += 1;
                let rev = self.rev;
                self.apply(&RequestOp::Put(p), rev);
                Response::Put(PutResponse {
                    header: self.header(),
                    prev_kv: None,
                })
            }
            Request::Txn(t) => {
                let ok = t.compare.iter().all(|c| {
                    let m = self.kvs.get(&c.key).map(|kv| kv.mod_revision).unwrap_or(0);
                    matches!(c.target, CompareTarget::Mod(want) if want == m)
                });
                let ops = if ok { &t.success } else { &t.failure };
                let writes = ops.iter().any(|o| !matches!(o, RequestOp::Range(_)));
                if writes {
                    self.rev += 1;
                }
                let rev = self.rev;
                let responses = ops.iter().map(|o| self.apply(o, rev)).collect();
                Response::Txn(TxnResponse {
                    header: self.header(),
                    succeeded: ok,
                    responses,
                })
            }
            other => panic!("unexpected {other:?}"),
        })
    }
}

/// The fake as a whole cluster: one member at kube-apiserver's endpoint, a clock standing at
/// `NOW`, no streams.
impl Cluster for MemCluster {
    fn now(&self) -> Duration {
        Duration::ZERO
    }
    fn unix_nanos(&self) -> i64 {
        NOW * 1_000_000_000
    }
    fn advance(&mut self, _: Duration) {}
    fn run_until_idle(&mut self, _: Duration) {}
    fn member_at(&self, endpoint: &str) -> Option<u64> {
        (endpoint == client::ETCD_ENDPOINT && !self.down).then_some(1)
    }
    fn call(
        &mut self,
        endpoint: &str,
        _: Option<&str>,
        req: Request,
        _: Duration,
    ) -> Result<Response, CallError> {
        self.member_at(endpoint).ok_or(CallError::Unreachable)?;
        self.answer(req)
    }
    fn submit(&mut self, _: &str, _: Option<&str>, _: Request) -> Result<u64, CallError> {
        Err(CallError::Unreachable)
    }
    fn take_answer(&mut self, _: u64) -> Option<Result<Response, CallError>> {
        None
    }
    fn watch(
        &mut self,
        _: &str,
        _: Option<&str>,
        _: crate::api::WatchCreateRequest,
    ) -> Result<u64, CallError> {
        Err(CallError::Unreachable)
    }
    fn watch_poll(&mut self, _: u64) -> Vec<crate::api::WatchResponse> {
        Vec::new()
    }
    fn watch_cancel(&mut self, _: u64) {}
}

fn loaded() -> MemCluster {
    let mut c = MemCluster::new();
    let s = generate(&SampleOptions::new(1, SampleSize::Small, 2, NOW));
    for r in load_requests(&s) {
        c.answer(r).unwrap();
    }
    c
}

fn k(c: &mut MemCluster, line: &str) -> KubectlOutput {
    let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
    run_on(c, &argv)
}

#[test]
fn no_registry_is_connection_refused() {
    let mut c = MemCluster::new();
    let o = k(&mut c, "kubectl get pods");
    assert_eq!(o.stderr, format!("{CONNECTION_REFUSED}\n"));
    assert_eq!((o.stdout.as_str(), o.exit), ("", 1));
    c.down = true;
    assert_eq!(
        k(&mut c, "get nodes").stderr,
        format!("{CONNECTION_REFUSED}\n")
    );
}

#[test]
fn get_pods_in_kube_system() {
    let mut c = loaded();
    let o = k(&mut c, "get pods -n kube-system");
    assert_eq!(o.exit, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME "), "{}", o.stdout);
    assert!(
        lines[0].contains("   READY   STATUS    RESTARTS   AGE"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + 9);
    assert!(
        lines.iter().any(|l| l.starts_with("etcd-controlplane ")
            && l.contains(" 1/1 ")
            && l.contains(" Running ")
            && l.ends_with("10d")),
        "{}",
        o.stdout
    );
    assert!(lines.iter().any(|l| l.starts_with("coredns-")));
    // The etcd request behind it: one chunked range over the namespace's pods.
    assert_eq!(o.requests.len(), 1);
    let r = &o.requests[0];
    assert_eq!(
        (r.op, r.key.as_str(), r.range_end.as_str(), r.limit),
        (
            "Range",
            "/registry/pods/kube-system/",
            "/registry/pods/kube-system0",
            500
        )
    );
    assert!(r.line().contains("-> 9 keys at revision"), "{}", r.line());
}

#[test]
fn get_pods_all_namespaces_and_wide() {
    let mut c = loaded();
    let o = k(&mut c, "get pods -A");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert!(lines[0].starts_with("NAMESPACE      NAME "), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + 19);
    assert!(lines[1].starts_with("default "));
    assert_eq!(o.requests[0].key, "/registry/pods/");
    let o = k(&mut c, "get pods -o wide");
    assert!(
        o.stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("IP           NODE     NOMINATED NODE   READINESS GATES"),
        "{}",
        o.stdout
    );
    let o = k(&mut c, "get po --namespace=demo");
    assert_eq!(o.stdout.lines().count(), 1 + 5);
}

#[test]
fn tables_of_other_kinds() {
    let mut c = loaded();
    let o = k(&mut c, "get nodes");
    assert_eq!(
        o.stdout.lines().next().unwrap(),
        "NAME           STATUS   ROLES           AGE   VERSION"
    );
    assert_eq!(
        o.stdout.lines().nth(1).unwrap(),
        "controlplane   Ready    control-plane   10d   v1.29.0"
    );
    assert_eq!(
        o.stdout.lines().nth(2).unwrap(),
        "node01         Ready    <none>          10d   v1.29.0"
    );
    let o = k(&mut c, "get namespaces");
    assert!(
        o.stdout
            .starts_with("NAME              STATUS   AGE\ndefault           Active   10d\n"),
        "{}",
        o.stdout
    );
    assert_eq!(o.requests[0].key, "/registry/namespaces/");
    let o = k(&mut c, "get deployments -n kube-system");
    assert_eq!(o.stdout, "NAME      READY   UP-TO-DATE   AVAILABLE   AGE\ncoredns   2/2     2            2           10d\n");
    let o = k(&mut c, "get services");
    assert!(o.stdout.starts_with("NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10d\n"), "{}", o.stdout);
    assert_eq!(o.requests[0].key, "/registry/services/specs/default/");
    let o = k(&mut c, "get svc -n demo");
    assert!(
        o.stdout.contains("NodePort")
            && o.stdout.contains("80:30080/TCP")
            && o.stdout.contains(" None "),
        "{}",
        o.stdout
    );
    let o = k(&mut c, "get secrets -n kube-system");
    assert!(
        o.stdout.starts_with(
            "NAME                     TYPE                            DATA   AGE\nbootstrap-token-"
        ),
        "{}",
        o.stdout
    );
    let o = k(&mut c, "get secrets");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.exit),
        ("", "No resources found in default namespace.\n", 0)
    );
    let o = k(&mut c, "get statefulsets -n demo");
    assert!(o.stdout.contains("redis   2/2"), "{}", o.stdout);
    let o = k(&mut c, "get clusterroles");
    assert!(o.stdout.contains("cluster-admin"));
}

#[test]
fn get_one_object_as_yaml_and_json() {
    let mut c = loaded();
    let o = k(&mut c, "get namespace kube-system -o yaml");
    assert!(
        o.stdout
            .starts_with("apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: "),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("  name: kube-system\n"));
    assert_eq!(o.requests[0].key, "/registry/namespaces/kube-system");
    assert_eq!(o.requests[0].range_end, "");
    let rv = c.kvs[&b"/registry/namespaces/kube-system".to_vec()].mod_revision;
    assert!(
        o.stdout.contains(&format!("  resourceVersion: \"{rv}\"\n")),
        "{}",
        o.stdout
    );
    let o = k(&mut c, "get node/node01 -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["metadata"]["name"], "node01");
    assert!(o.stdout.starts_with("{\n    \"apiVersion\": \"v1\",\n"));
    let o = k(&mut c, "get pods -n kube-system -o name");
    assert!(o.stdout.starts_with("pod/"));
    let o = k(&mut c, "get deploy -n kube-system -o name");
    assert_eq!(o.stdout, "deployment.apps/coredns\n");
    let o = k(&mut c, "get ns -o json");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["kind"], "List");
    assert_eq!(v["items"].as_array().unwrap().len(), 6);
}

#[test]
fn errors_as_kubectl_prints_them() {
    let mut c = loaded();
    let o = k(&mut c, "get pod x");
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        ("Error from server (NotFound): pods \"x\" not found\n", 1)
    );
    let o = k(&mut c, "get deployment nope -n demo");
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): deployments.apps \"nope\" not found\n"
    );
    let o = k(&mut c, "get foos");
    assert_eq!(
        o.stderr,
        "error: the server doesn't have a resource type \"foos\"\n"
    );
    let o = k(&mut c, "frobnicate");
    assert_eq!(
        o.stderr,
        "error: unknown command \"frobnicate\" for \"kubectl\"\n"
    );
    let o = k(&mut c, "get pods --bogus");
    assert_eq!(
        o.stderr,
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    );
    let o = k(&mut c, "get pods -o xml");
    assert!(o
        .stderr
        .starts_with("error: unable to match a printer suitable for the output format \"xml\""));
    let o = k(&mut c, "describe pod nope");
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    let o = k(&mut c, "delete pod nope -n demo");
    assert_eq!(
        o.stderr,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(o.exit, 1);
    let o = k(&mut c, "create namespace Bad_Name");
    assert!(o.stderr.starts_with("The Namespace \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label"));
    assert_eq!(
        k(&mut c, "get pods -n").stderr,
        "error: flag needs an argument: -n\nSee 'kubectl get --help' for usage.\n"
    );
}

#[test]
fn describe_pod_with_events() {
    let mut c = loaded();
    let o = k(&mut c, "describe pod redis-0 -n demo");
    assert_eq!(o.exit, 0, "{}", o.stderr);
    let d = &o.stdout;
    assert!(d.starts_with("Name:             redis-0\nNamespace:        demo\nPriority:         0\nService Account:  default\nNode:             node"), "{d}");
    assert!(d.contains("\nControlled By:  StatefulSet/redis\n"), "{d}");
    assert!(
        d.contains("\nContainers:\n  redis:\n    Container ID:   containerd://"),
        "{d}"
    );
    assert!(d.contains("\n    Port:           6379/TCP\n    Host Port:      0/TCP\n    State:          Running\n      Started:      "), "{d}");
    assert!(d.contains("\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n"), "{d}");
    assert!(
        d.contains(
            "\nVolumes:                      <none>\nQoS Class:                    BestEffort\n"
        ),
        "{d}"
    );
    assert!(d.contains("\nTolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"), "{d}");
    assert!(d.contains("\nEvents:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n  Normal  Scheduled  "), "{d}");
    assert_eq!(d.matches("\n  Normal  ").count(), 4);
    // The pod, then the namespace's events.
    assert_eq!(
        o.requests
            .iter()
            .map(|r| r.key.as_str())
            .collect::<Vec<_>>(),
        vec!["/registry/pods/demo/redis-0", "/registry/events/demo/"]
    );
}

#[test]
fn delete_and_create_write_txns() {
    let mut c = loaded();
    let pod = c
        .kvs
        .keys()
        .find(|k| k.starts_with(b"/registry/pods/default/nginx-"))
        .cloned()
        .unwrap();
    let name = String::from_utf8(pod[23..].to_vec()).unwrap();
    let mod_rev = c.kvs[&pod].mod_revision;
    let before = c.rev;
    let o = k(&mut c, &format!("delete pod {name}"));
    assert_eq!(
        (o.stdout.as_str(), o.exit),
        (format!("pod \"{name}\" deleted\n").as_str(), 0)
    );
    assert!(!c.kvs.contains_key(&pod));
    assert_eq!(c.rev, before + 1);
    let t = &o.requests[1];
    assert_eq!(t.op, "Txn");
    assert_eq!(
        t.detail,
        format!("if mod_revision(key) == {mod_rev} then DeleteRange else Range")
    );
    assert_eq!(t.result, "succeeded");
    assert_eq!(k(&mut c, "get pods").stdout.lines().count(), 2);

    let o = k(&mut c, "create namespace team-a");
    assert_eq!(o.stdout, "namespace/team-a created\n");
    let kv = &c.kvs[&b"/registry/namespaces/team-a".to_vec()];
    let v: Value = serde_json::from_slice(&kv.value).unwrap();
    assert_eq!(
        v["metadata"]["resourceVersion"],
        kv.mod_revision.to_string()
    );
    assert_eq!(v["metadata"]["creationTimestamp"], "2026-11-25T06:00:00Z");
    assert_eq!(
        o.requests[0].detail,
        "if mod_revision(key) == 0 then Put else Range"
    );
    let o = k(&mut c, "create ns team-a");
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        (
            "Error from server (AlreadyExists): namespaces \"team-a\" already exists\n",
            1
        )
    );
    assert!(k(&mut c, "get ns").stdout.contains("\nteam-a "));
}

mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// No command line makes kubectl panic.
        #[test]
        fn any_argv(words in proptest::collection::vec(prop_oneof![
            Just("get".to_string()), Just("describe".to_string()), Just("delete".to_string()), Just("create".to_string()),
            Just("pods".to_string()), Just("ns".to_string()), Just("-n".to_string()), Just("-A".to_string()), Just("-o".to_string()),
            Just("yaml".to_string()), Just("namespace".to_string()), Just("pod/x".to_string()), "[a-z-=/]{0,8}".prop_map(String::from),
            "\\PC{0,4}".prop_map(String::from)], 0..6)) {
            let mut c = loaded();
            let o = run_on(&mut c, &words);
            prop_assert!(o.exit == 0 || !o.stderr.is_empty());
        }
    }
}
