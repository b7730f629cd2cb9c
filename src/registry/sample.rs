//! A deterministic sample Kubernetes cluster, as kube-apiserver would have written it to etcd.
//!
//! Owns: the generator of a kubeadm-style cluster (one control plane `controlplane`, worker
//! nodes `node01`, `node02`, ...; flannel as CNI; CoreDNS; an application or a hundred) with the
//! real key layout of Kubernetes 1.29 under `/registry/`, and [`load_requests`], which turns it
//! into the client requests that write it through the cluster.
//! Must not touch: the world, the store, the clock. Everything comes from [`SampleOptions`]
//! (seed, size, the revision the first write will get, the simulated time): the same options
//! give the same bytes.
//!
//! Values are Kubernetes JSON objects (`apiVersion`, `kind`, `metadata` with `name`,
//! `namespace`, `uid`, `creationTimestamp`, `labels`, `ownerReferences`), the encoding
//! kube-apiserver uses with `--storage-media-type=application/json`. Owner references link
//! Deployment → ReplicaSet → Pod, DaemonSet → Pod and ControllerRevision, StatefulSet → Pod and
//! ControllerRevision, Node → mirror Pod and CSINode, Service → EndpointSlice.
//!
//! `metadata.resourceVersion` of every object equals the etcd `mod_revision` it is stored at.
//! (A real kube-apiserver blanks it before writing and fills it from `mod_revision` on every
//! read; the sample stores it so the correspondence can be seen in `etcdctl get` output.)
//! This holds when the objects are written in order, starting at `first_revision`, each write
//! (one put, or one txn of `objects_per_txn` puts) taking the next revision.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::k8stime::rfc3339;
use super::resources::{by_kind, object_key, ResourceType};
use crate::api::{PutRequest, Request, RequestOp, TxnRequest};

/// How big a cluster to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleSize {
    /// A few hundred keys: three nodes, the kube-system add-ons, nginx in `default` and a small
    /// `demo` application (a Deployment, a StatefulSet, their Services).
    Small,
    /// About 100,000 keys: forty workers, a hundred application namespaces, sixteen thousand
    /// pods with their events and endpoint slices.
    Large,
}

/// Everything the generator depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    pub seed: u64,
    pub size: SampleSize,
    /// The etcd revision the first write will get (the store's current revision + 1).
    pub first_revision: i64,
    /// How many objects [`load_requests`] puts in one txn (1: one `Put` per object; etcd
    /// accepts at most 128 operations in a txn). All objects of one txn share its revision.
    pub objects_per_txn: usize,
    /// The simulated time of loading, in Unix seconds: creation timestamps lie before it.
    pub now_unix: i64,
}

impl SampleOptions {
    /// One put per object.
    pub fn new(seed: u64, size: SampleSize, first_revision: i64, now_unix: i64) -> Self {
        SampleOptions {
            seed,
            size,
            first_revision,
            objects_per_txn: 1,
            now_unix,
        }
    }
}

/// One object and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleObject {
    pub key: String,
    /// JSON bytes.
    pub value: Vec<u8>,
    /// The revision its write will get, equal to `metadata.resourceVersion`.
    pub mod_revision: i64,
}

/// A generated cluster, in write order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub options: SampleOptions,
    pub objects: Vec<SampleObject>,
}

impl Sample {
    /// Keys plus values, in bytes.
    pub fn total_bytes(&self) -> usize {
        self.objects
            .iter()
            .map(|o| o.key.len() + o.value.len())
            .sum()
    }

    /// The store's revision once everything is written.
    pub fn last_revision(&self) -> i64 {
        self.objects
            .last()
            .map(|o| o.mod_revision)
            .unwrap_or(self.options.first_revision - 1)
    }
}

/// The requests that write the sample: one `Put` per object, or txns of
/// `objects_per_txn` puts. Send them in order through `World::call`.
pub fn load_requests(sample: &Sample) -> Vec<Request> {
    let per = sample.options.objects_per_txn.clamp(1, 128);
    let put = |o: &SampleObject| PutRequest {
        key: o.key.clone().into_bytes(),
        value: o.value.clone(),
        ..Default::default()
    };
    if per == 1 {
        return sample
            .objects
            .iter()
            .map(|o| Request::Put(put(o)))
            .collect();
    }
    sample
        .objects
        .chunks(per)
        .map(|chunk| {
            Request::Txn(TxnRequest {
                compare: Vec::new(),
                success: chunk.iter().map(|o| RequestOp::Put(put(o))).collect(),
                failure: Vec::new(),
            })
        })
        .collect()
}

/// [`load_requests`] that takes the sample: the values move into the requests instead of
/// being copied (the large sample holds about 120 MB of them).
pub fn into_load_requests(sample: Sample) -> Vec<Request> {
    let per = sample.options.objects_per_txn.clamp(1, 128);
    let put = |o: SampleObject| PutRequest {
        key: o.key.into_bytes(),
        value: o.value,
        ..Default::default()
    };
    if per == 1 {
        return sample
            .objects
            .into_iter()
            .map(|o| Request::Put(put(o)))
            .collect();
    }
    let mut out = Vec::with_capacity(sample.objects.len().div_ceil(per));
    let mut ops = Vec::with_capacity(per);
    for o in sample.objects {
        ops.push(RequestOp::Put(put(o)));
        if ops.len() == per {
            out.push(std::mem::replace(&mut ops, Vec::with_capacity(per)));
        }
    }
    if !ops.is_empty() {
        out.push(ops);
    }
    out.into_iter()
        .map(|success| {
            Request::Txn(TxnRequest {
                compare: Vec::new(),
                success,
                failure: Vec::new(),
            })
        })
        .collect()
}

/// Generates the cluster.
pub fn generate(options: &SampleOptions) -> Sample {
    let mut g = Gen::new(options);
    g.cluster();
    Sample {
        options: options.clone(),
        objects: g.out,
    }
}

// ---- the generator ----------------------------------------------------------------------

const K8S_VERSION: &str = "v1.29.0";
const CONTROL_PLANE: &str = "controlplane";
/// kube-apiserver's `rand.SafeEncodeString` alphabet (no vowels, no look-alikes).
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const HEX: &[u8; 16] = b"0123456789abcdef";

struct Node {
    name: String,
    ip: String,
    pod_cidr_octet: u32,
    uid: String,
}

/// A pod as its Service's endpoints need it.
struct PodRef {
    name: String,
    uid: String,
    ip: String,
    node: Option<String>,
    ready: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PodHealth {
    Running,
    CrashLoop,
    Pending,
}

/// `(deployment, replicas, image, port)`.
type AppDeployment = (String, usize, String, u16);

struct Scale {
    workers: usize,
    /// Namespaces and their deployments.
    apps: Vec<(String, Vec<AppDeployment>)>,
}

struct Gen {
    rng: ChaCha8Rng,
    out: Vec<SampleObject>,
    first_revision: i64,
    per_txn: usize,
    now: i64,
    clock: i64,
    ca_pem: String,
    nodes: Vec<Node>,
    next_pod_ip: Vec<u32>,
    service_ip_offsets: Vec<u32>,
    node_ports: Vec<u32>,
    namespace_uids: Vec<(String, String)>,
    large: bool,
}

/// A JSON string literal.
fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A container of a pod template, with its JSON text ready for the pods.
#[derive(Clone)]
struct Container {
    name: String,
    image: String,
    value: Value,
    json: String,
}

impl Container {
    fn new(name: &str, image: &str, port: Option<u16>, command: Option<Vec<String>>) -> Container {
        let mut c = json!({"name": name, "image": image, "imagePullPolicy": "IfNotPresent", "resources": {},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"});
        if let Some(p) = port {
            c["ports"] = json!([{"containerPort": p, "protocol": "TCP"}]);
        }
        if let Some(cmd) = command {
            c["command"] = json!(cmd);
        }
        let json = c.to_string();
        Container {
            name: name.to_string(),
            image: image.to_string(),
            value: c,
            json,
        }
    }
}

fn owner(api_version: &str, kind: &str, name: &str, uid: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "name": name, "uid": uid,
           "controller": true, "blockOwnerDeletion": true})
}

fn resource(kind: &str) -> &'static ResourceType {
    // Every kind the generator writes is in the table (a test checks it).
    by_kind(kind).unwrap_or(&super::resources::RESOURCE_TYPES[0])
}

impl Gen {
    fn new(o: &SampleOptions) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
        let mut ca = Vec::with_capacity(800);
        for _ in 0..800 {
            ca.push(rng.gen::<u8>());
        }
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &ca);
        let mut ca_pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            ca_pem.push_str(std::str::from_utf8(chunk).unwrap_or(""));
            ca_pem.push('\n');
        }
        ca_pem.push_str("-----END CERTIFICATE-----\n");
        // The cluster was created ten days and an hour before "now", at a whole minute.
        let t0 = (o.now_unix - 10 * 86_400 - 3600) / 60 * 60;
        Gen {
            rng,
            out: Vec::new(),
            first_revision: o.first_revision,
            per_txn: o.objects_per_txn.clamp(1, 128),
            now: o.now_unix,
            clock: t0,
            ca_pem,
            nodes: Vec::new(),
            next_pod_ip: Vec::new(),
            service_ip_offsets: Vec::new(),
            node_ports: Vec::new(),
            namespace_uids: Vec::new(),
            large: o.size == SampleSize::Large,
        }
    }

    // ---- primitives

    fn next_revision(&self) -> i64 {
        let index = i64::try_from(self.out.len() / self.per_txn).unwrap_or(i64::MAX / 2);
        self.first_revision.saturating_add(index)
    }

    fn uid(&mut self) -> String {
        let mut b: [u8; 16] = self.rng.gen();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut out = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(HEX[usize::from(x >> 4)] as char);
            out.push(HEX[usize::from(x & 15)] as char);
        }
        out
    }

    fn safe(&mut self, n: usize) -> String {
        (0..n)
            // Drawn as u64 (not usize) so that wasm32 draws what a 64-bit host draws.
            .map(|_| {
                SAFE_ALPHABET[self.rng.gen_range(0..SAFE_ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    fn hex(&mut self, n: usize) -> String {
        let mut out = String::with_capacity(n);
        while out.len() < n {
            let mut word: u64 = self.rng.gen();
            for _ in 0..16 {
                if out.len() == n {
                    break;
                }
                out.push(HEX[(word & 15) as usize] as char);
                word >>= 4;
            }
        }
        out
    }

    fn ts(&self) -> String {
        rfc3339(self.clock)
    }

    fn tick(&mut self, secs: i64) {
        self.clock = (self.clock + secs).min(self.now);
    }

    /// `metadata` for a new object at the current clock.
    fn meta(&mut self, ns: Option<&str>, name: &str, labels: Value) -> (Value, String) {
        let uid = self.uid();
        let mut m = json!({"name": name, "uid": uid, "creationTimestamp": self.ts()});
        if let Some(ns) = ns {
            m["namespace"] = json!(ns);
        }
        if labels.as_object().is_some_and(|l| !l.is_empty()) {
            m["labels"] = labels;
        }
        (m, uid)
    }

    /// Writes one object: fills `apiVersion`, `kind`, `metadata.resourceVersion`; derives the key.
    fn put(&mut self, kind: &str, mut v: Value) {
        let r = resource(kind);
        let rev = self.next_revision();
        v["apiVersion"] = json!(r.api_version);
        v["kind"] = json!(r.kind);
        v["metadata"]["resourceVersion"] = json!(rev.to_string());
        let name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
        let ns = v["metadata"]["namespace"].as_str().map(str::to_string);
        let key = object_key(r, ns.as_deref(), &name);
        let value = serde_json::to_vec(&v).unwrap_or_default();
        self.out.push(SampleObject {
            key,
            value,
            mod_revision: rev,
        });
    }

    /// A simple object: metadata plus the given top-level fields.
    fn simple(
        &mut self,
        kind: &str,
        ns: Option<&str>,
        name: &str,
        labels: Value,
        body: Value,
    ) -> String {
        let (m, uid) = self.meta(ns, name, labels);
        let mut v = body;
        if !v.is_object() {
            v = json!({});
        }
        v["metadata"] = m;
        self.put(kind, v);
        uid
    }

    fn pod_ip(&mut self, node: usize) -> String {
        let octet = self.nodes.get(node).map(|n| n.pod_cidr_octet).unwrap_or(0);
        let next = self.next_pod_ip.get_mut(node).map(|n| {
            *n += 1;
            *n
        });
        let host = next.unwrap_or(2);
        format!("10.244.{}.{}", octet + host / 254, host % 254 + 1)
    }

    fn service_ip(&mut self, fixed: Option<u32>) -> String {
        let off = match fixed {
            Some(o) => o,
            None => loop {
                let o = self.rng.gen_range(16..2040u32);
                if !self.service_ip_offsets.contains(&o) {
                    break o;
                }
            },
        };
        self.service_ip_offsets.push(off);
        // Offset 0 is 10.96.0.1, the first address after the network's.
        let a = off + 1;
        format!("10.96.{}.{}", a / 256, a % 256)
    }

    // ---- the cluster, in the order a kubeadm bootstrap writes it

    fn cluster(&mut self) {
        let scale = self.scale();
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            self.namespace(ns);
        }
        self.priority_classes();
        self.flow_control();
        self.api_services();
        self.cluster_rbac();
        self.tick(5);
        self.kubernetes_service();
        self.nodes(scale.workers);
        self.kube_system_config();
        self.kube_system_rbac();
        self.service_accounts_kube_system();
        self.storage();
        self.control_plane_pods();
        self.kube_proxy();
        self.coredns();
        self.flannel();
        self.snapshot_crd();
        self.tick(86_400);
        for (ns, _) in &scale.apps {
            if ns != "default" {
                self.namespace(ns);
                self.simple("ServiceAccount", Some(ns), "default", json!({}), json!({}));
                let ca = self.ca_pem.clone();
                self.simple(
                    "ConfigMap",
                    Some(ns),
                    "kube-root-ca.crt",
                    json!({}),
                    json!({"data": {"ca.crt": ca}}),
                );
            }
        }
        // Applications were rolled out during the last hour (events live for one hour).
        let total: usize = scale
            .apps
            .iter()
            .map(|(_, d)| d.len())
            .sum::<usize>()
            .max(1);
        let window = 3000i64;
        let start = self.now - window - 120;
        let mut done = 0i64;
        for (ns, deployments) in &scale.apps {
            for (name, replicas, image, port) in deployments {
                self.clock = start + done * window / i64::try_from(total).unwrap_or(1);
                done += 1;
                self.deployment_with_service(ns, name, *replicas, image, *port, true);
            }
            if ns == "demo" {
                self.secret_opaque("demo", "redis-auth", &[("password", 16)]);
                self.redis_statefulset("demo");
            } else if ns != "default" {
                self.secret_opaque(ns, "db-credentials", &[("username", 8), ("password", 24)]);
            }
        }
        self.clock = self.now - 60;
        self.ranges();
    }

    fn scale(&mut self) -> Scale {
        let dep = |n: &str, r: usize, i: &str, p: u16| (n.to_string(), r, i.to_string(), p);
        if !self.large {
            return Scale {
                workers: 2,
                apps: vec![
                    ("default".into(), vec![dep("nginx", 2, "nginx:1.25.3", 80)]),
                    (
                        "demo".into(),
                        vec![dep(
                            "frontend",
                            3,
                            "gcr.io/google-samples/gb-frontend:v5",
                            80,
                        )],
                    ),
                ],
            };
        }
        const TEAMS: [&str; 25] = [
            "payments",
            "checkout",
            "catalog",
            "search",
            "identity",
            "billing",
            "orders",
            "shipping",
            "inventory",
            "reviews",
            "recommend",
            "ads",
            "analytics",
            "notify",
            "media",
            "profile",
            "cart",
            "pricing",
            "fraud",
            "support",
            "gateway",
            "ledger",
            "reports",
            "loyalty",
            "maps",
        ];
        const ENVS: [&str; 4] = ["prod", "staging", "dev", "qa"];
        const APPS: [(&str, &str, u16); 5] = [
            ("api", "registry.example.com/{}/api:1.8.2", 8080),
            ("web", "registry.example.com/{}/web:2.3.0", 3000),
            ("worker", "registry.example.com/{}/worker:1.8.2", 9090),
            ("cache", "redis:7.2.3", 6379),
            ("proxy", "envoyproxy/envoy:v1.28.0", 10000),
        ];
        let mut apps = vec![(
            "default".to_string(),
            vec![dep("nginx", 2, "nginx:1.25.3", 80)],
        )];
        apps.push((
            "demo".into(),
            vec![dep(
                "frontend",
                3,
                "gcr.io/google-samples/gb-frontend:v5",
                80,
            )],
        ));
        for env in ENVS {
            for team in TEAMS {
                let ns = format!("{team}-{env}");
                let ds = APPS
                    .iter()
                    .map(|(a, img, port)| {
                        dep(&format!("{team}-{a}"), 39, &img.replace("{}", team), *port)
                    })
                    .collect();
                apps.push((ns, ds));
            }
        }
        Scale { workers: 40, apps }
    }

    fn namespace(&mut self, ns: &str) {
        let (m, uid) = self.meta(None, ns, json!({"kubernetes.io/metadata.name": ns}));
        self.namespace_uids.push((ns.to_string(), uid));
        self.put(
            "Namespace",
            json!({"metadata": m, "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}}),
        );
    }

    fn priority_classes(&mut self) {
        for (name, value, what) in [
            ("system-cluster-critical", 2_000_000_000i64, "cluster"),
            ("system-node-critical", 2_000_001_000, "node"),
        ] {
            self.simple("PriorityClass", None, name, json!({}), json!({
                "value": value, "globalDefault": false, "preemptionPolicy": "PreemptLowerPriority",
                "description": format!("Used for system critical pods that must run in the {what}, but can be moved to another node if necessary."),
            }));
        }
    }

    fn flow_control(&mut self) {
        let auto = json!({"apf.kubernetes.io/autoupdate-spec": "true"});
        for (name, shares, lendable) in [
            ("catch-all", 5, 0),
            ("exempt", 0, 0),
            ("global-default", 20, 50),
            ("leader-election", 10, 0),
            ("node-high", 40, 25),
            ("system", 30, 33),
            ("workload-high", 40, 50),
            ("workload-low", 100, 90),
        ] {
            let spec = if name == "exempt" {
                json!({"type": "Exempt", "exempt": {"nominalConcurrencyShares": 0, "lendablePercent": 0}})
            } else {
                let limit = if name == "catch-all" {
                    json!({"type": "Reject"})
                } else {
                    json!({"type": "Queue", "queuing": {"queues": 64, "handSize": 6, "queueLengthLimit": 50}})
                };
                json!({"type": "Limited", "limited": {"nominalConcurrencyShares": shares,
                    "lendablePercent": lendable, "limitResponse": limit}})
            };
            let (mut m, _) = self.meta(None, name, json!({}));
            m["annotations"] = auto.clone();
            self.put(
                "PriorityLevelConfiguration",
                json!({"metadata": m, "spec": spec,
                "status": {"conditions": null}}),
            );
        }
        for (name, precedence, level, subject) in [
            ("catch-all", 10000, "catch-all", "system:unauthenticated"),
            (
                "endpoint-controller",
                150,
                "workload-high",
                "system:serviceaccount:kube-system:endpoint-controller",
            ),
            ("exempt", 1, "exempt", "system:masters"),
            (
                "global-default",
                9900,
                "global-default",
                "system:authenticated",
            ),
            (
                "kube-controller-manager",
                800,
                "workload-high",
                "system:kube-controller-manager",
            ),
            (
                "kube-scheduler",
                800,
                "workload-high",
                "system:kube-scheduler",
            ),
            (
                "kube-system-service-accounts",
                900,
                "workload-high",
                "system:serviceaccounts:kube-system",
            ),
            ("probes", 2, "exempt", "system:unauthenticated"),
            (
                "service-accounts",
                9000,
                "workload-low",
                "system:serviceaccounts",
            ),
            (
                "system-leader-election",
                100,
                "leader-election",
                "system:kube-controller-manager",
            ),
            ("system-node-high", 400, "node-high", "system:nodes"),
            ("system-nodes", 500, "system", "system:nodes"),
            (
                "workload-leader-election",
                200,
                "leader-election",
                "system:serviceaccounts:kube-system",
            ),
        ] {
            let (mut m, _) = self.meta(None, name, json!({}));
            m["annotations"] = auto.clone();
            let subj = if subject.contains(":serviceaccount:") {
                let parts: Vec<&str> = subject.rsplitn(2, ':').collect();
                json!({"kind": "ServiceAccount", "serviceAccount": {"namespace": "kube-system", "name": parts.first().copied().unwrap_or("")}})
            } else if subject.starts_with("system:kube-") {
                json!({"kind": "User", "user": {"name": subject}})
            } else {
                json!({"kind": "Group", "group": {"name": subject}})
            };
            self.put("FlowSchema", json!({"metadata": m, "spec": {
                "matchingPrecedence": precedence,
                "priorityLevelConfiguration": {"name": level},
                "distinguisherMethod": {"type": "ByUser"},
                "rules": [{"subjects": [subj], "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"],
                    "resources": ["*"], "clusterScope": true, "namespaces": ["*"]}]}]},
                "status": {"conditions": [{"type": "Dangling", "status": "False", "reason": "Found",
                    "lastTransitionTime": self.ts(),
                    "message": format!("This FlowSchema references the PriorityLevelConfiguration object named \"{level}\" and it exists")}]}}));
        }
    }

    /// The APIServices the aggregator registers for every built-in group version.
    fn api_services(&mut self) {
        for (group, version, gpm, vp) in API_SERVICES {
            self.api_service(group, version, *gpm, *vp, false);
        }
    }

    fn api_service(&mut self, group: &str, version: &str, gpm: i64, vp: i64, crd: bool) {
        let name = format!("{version}.{group}");
        let labels = if crd {
            json!({"kube-aggregator.kubernetes.io/automanaged": "true"})
        } else {
            json!({"kube-aggregator.kubernetes.io/automanaged": "onstart"})
        };
        let mut spec =
            json!({"version": version, "groupPriorityMinimum": gpm, "versionPriority": vp});
        if !group.is_empty() {
            spec["group"] = json!(group);
        }
        self.simple("APIService", None, &name, labels, json!({"spec": spec,
            "status": {"conditions": [{"type": "Available", "status": "True", "reason": "Local",
                "message": "Local APIServices are always available", "lastTransitionTime": self.ts()}]}}));
    }

    fn cluster_rbac(&mut self) {
        let bootstrap = json!({"kubernetes.io/bootstrapping": "rbac-defaults"});
        for name in CLUSTER_ROLES {
            let rules = match *name {
                "cluster-admin" => json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                    {"nonResourceURLs": ["*"], "verbs": ["*"]}]),
                "view" | "system:aggregate-to-view" => json!([{"apiGroups": [""], "resources":
                    ["configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "services"],
                    "verbs": ["get", "list", "watch"]}]),
                "system:discovery" | "system:public-info-viewer" | "system:basic-user" => {
                    json!([{"nonResourceURLs":
                    ["/healthz", "/livez", "/readyz", "/version", "/version/"], "verbs": ["get"]}])
                }
                n if n.starts_with("system:controller:") => {
                    json!([{"apiGroups": [""], "resources": ["events"],
                    "verbs": ["create", "patch", "update"]}])
                }
                _ => {
                    json!([{"apiGroups": [""], "resources": ["nodes", "pods"], "verbs": ["get", "list", "watch"]}])
                }
            };
            let labels = if name.starts_with("kubeadm:") || *name == "flannel" {
                json!({})
            } else {
                bootstrap.clone()
            };
            self.simple("ClusterRole", None, name, labels, json!({"rules": rules}));
        }
        for name in CLUSTER_ROLE_BINDINGS {
            let subject = if let Some(ctrl) = name.strip_prefix("system:controller:") {
                json!({"kind": "ServiceAccount", "name": ctrl, "namespace": "kube-system"})
            } else if *name == "cluster-admin" {
                json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"})
            } else if *name == "flannel" {
                json!({"kind": "ServiceAccount", "name": "flannel", "namespace": "kube-flannel"})
            } else if *name == "system:coredns" {
                json!({"kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"})
            } else if name.starts_with("kubeadm:") {
                json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:bootstrappers:kubeadm:default-node-token"})
            } else {
                json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name})
            };
            let role = match *name {
                "kubeadm:cluster-admins" => "cluster-admin",
                "kubeadm:kubelet-bootstrap" => "system:node-bootstrapper",
                "kubeadm:node-autoapprove-bootstrap" => {
                    "system:certificates.k8s.io:certificatesigningrequests:nodeclient"
                }
                "kubeadm:node-autoapprove-certificate-rotation" => {
                    "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient"
                }
                "kubeadm:node-proxier" => "system:node-proxier",
                n => n,
            };
            let labels = if name.starts_with("kubeadm:") || *name == "flannel" {
                json!({})
            } else {
                bootstrap.clone()
            };
            self.simple("ClusterRoleBinding", None, name, labels, json!({
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": [subject]}));
        }
    }

    fn kubernetes_service(&mut self) {
        let ip = self.service_ip(Some(0));
        let cp_ip = "192.168.1.10";
        let ports = json!([{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]);
        let labels = json!({"component": "apiserver", "provider": "kubernetes"});
        let svc_uid = self.simple(
            "Service",
            Some("default"),
            "kubernetes",
            labels.clone(),
            json!({
            "spec": {"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports,
                "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}),
        );
        let _ = svc_uid;
        self.simple("Endpoints", Some("default"), "kubernetes", json!({"endpointslice.kubernetes.io/skip-mirror": "true"}), json!({
            "subsets": [{"addresses": [{"ip": cp_ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}));
        self.simple(
            "EndpointSlice",
            Some("default"),
            "kubernetes",
            json!({"kubernetes.io/service-name": "kubernetes"}),
            json!({
            "addressType": "IPv4",
            "endpoints": [{"addresses": [cp_ip], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}),
        );
    }

    fn nodes(&mut self, workers: usize) {
        let mut names = vec![CONTROL_PLANE.to_string()];
        for i in 1..=workers {
            names.push(format!("node{i:02}"));
        }
        for (i, name) in names.iter().enumerate() {
            let ip = format!("192.168.1.{}", 10 + i);
            let octet = u32::try_from(i).unwrap_or(0) * 2;
            let cp = i == 0;
            let mut labels = json!({"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"});
            if cp {
                labels["node-role.kubernetes.io/control-plane"] = json!("");
                labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
            }
            let (mut m, uid) = self.meta(None, name, labels);
            m["annotations"] = json!({
                "flannel.alpha.coreos.com/backend-type": "vxlan",
                "flannel.alpha.coreos.com/public-ip": ip,
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"});
            let cidr = format!("10.244.{octet}.0/23");
            let mut spec = json!({"podCIDR": cidr, "podCIDRs": [cidr]});
            if cp {
                spec["taints"] = json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
            }
            let heartbeat = rfc3339(self.now - 30);
            let cond = |t: &str, s: &str, reason: &str, msg: &str, since: &str| {
                json!({"type": t, "status": s,
                "lastHeartbeatTime": heartbeat, "lastTransitionTime": since, "reason": reason, "message": msg})
            };
            let since = self.ts();
            let mid = self.hex(32);
            let sys = self.uid();
            let boot = self.uid();
            self.put("Node", json!({"metadata": m, "spec": spec, "status": {
                "capacity": {"cpu": "4", "ephemeral-storage": "101203028Ki", "hugepages-2Mi": "0", "memory": "16365452Ki", "pods": "110"},
                "allocatable": {"cpu": "4", "ephemeral-storage": "93268940718", "hugepages-2Mi": "0", "memory": "16263052Ki", "pods": "110"},
                "conditions": [
                    cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", &since),
                    cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", &since),
                    cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", &since),
                    cond("Ready", "True", "KubeletReady", "kubelet is posting ready status. AppArmor enabled", &since)],
                "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {"machineID": mid, "systemUUID": sys, "bootID": boot,
                    "kernelVersion": "5.15.0-91-generic", "osImage": "Ubuntu 22.04.3 LTS",
                    "containerRuntimeVersion": "containerd://1.7.11", "kubeletVersion": K8S_VERSION,
                    "kubeProxyVersion": K8S_VERSION, "operatingSystem": "linux", "architecture": "amd64"}}}));
            self.nodes.push(Node {
                name: name.clone(),
                ip,
                pod_cidr_octet: octet,
                uid,
            });
            self.next_pod_ip.push(1);
            self.tick(if cp { 40 } else { 3 });
        }
        for i in 0..self.nodes.len() {
            let (name, uid) = (self.nodes[i].name.clone(), self.nodes[i].uid.clone());
            let (mut m, _) = self.meta(Some("kube-node-lease"), &name, json!({}));
            m["ownerReferences"] =
                json!([{"apiVersion": "v1", "kind": "Node", "name": name, "uid": uid}]);
            let renew = format!(
                "{}.{:06}Z",
                rfc3339(self.now - 7).trim_end_matches('Z'),
                self.rng.gen_range(0..1_000_000)
            );
            self.put("Lease", json!({"metadata": m, "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": renew}}));
            let (mut m, _) = self.meta(None, &name, json!({}));
            m["ownerReferences"] =
                json!([{"apiVersion": "v1", "kind": "Node", "name": name, "uid": uid}]);
            self.put("CSINode", json!({"metadata": m, "spec": {"drivers": null}}));
        }
    }

    fn kube_system_config(&mut self) {
        let ca = self.ca_pem.clone();
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            self.simple(
                "ConfigMap",
                Some(ns),
                "kube-root-ca.crt",
                json!({}),
                json!({"data": {"ca.crt": ca}}),
            );
        }
        self.simple("ConfigMap", Some("kube-public"), "cluster-info", json!({}), json!({"data": {
            "kubeconfig": format!("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {}\n    server: https://192.168.1.10:6443\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==")}}));
        self.simple("ConfigMap", Some("kube-system"), "extension-apiserver-authentication", json!({}), json!({"data": {
            "client-ca-file": ca, "requestheader-allowed-names": "[\"front-proxy-client\"]",
            "requestheader-client-ca-file": ca, "requestheader-extra-headers-prefix": "[\"X-Remote-Extra-\"]",
            "requestheader-group-headers": "[\"X-Remote-Group\"]", "requestheader-username-headers": "[\"X-Remote-User\"]"}}));
        self.simple(
            "ConfigMap",
            Some("kube-system"),
            "kube-apiserver-legacy-service-account-token-tracking",
            json!({}),
            json!({"data": {"since": self.ts().replace('T', " ").replace('Z', "")}}),
        );
        self.simple("ConfigMap", Some("kube-system"), "kubeadm-config", json!({}), json!({"data": {"ClusterConfiguration":
            format!("apiServer:\n  extraArgs:\n    authorization-mode: Node,RBAC\n  timeoutForControlPlane: 4m0s\napiVersion: kubeadm.k8s.io/v1beta3\ncertificatesDir: /etc/kubernetes/pki\nclusterName: kubernetes\ncontrollerManager: {{}}\ndns: {{}}\netcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: registry.k8s.io\nkind: ClusterConfiguration\nkubernetesVersion: {K8S_VERSION}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\nscheduler: {{}}\n")}}));
        self.simple("ConfigMap", Some("kube-system"), "kubelet-config", json!({}), json!({"data": {"kubelet":
            "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\nauthorization:\n  mode: Webhook\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nkind: KubeletConfiguration\nrotateCertificates: true\nstaticPodPath: /etc/kubernetes/manifests\n"}}));
        self.simple("ConfigMap", Some("kube-system"), "kube-proxy", json!({"app": "kube-proxy"}), json!({"data": {
            "config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclusterCIDR: 10.244.0.0/16\nkind: KubeProxyConfiguration\nmode: \"\"\n",
            "kubeconfig.conf": "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://192.168.1.10:6443\n  name: default\n"}}));
        self.simple("ConfigMap", Some("kube-system"), "coredns", json!({}), json!({"data": {"Corefile":
            ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"}}));
        let token_id = self.hex(6).to_lowercase();
        let token_secret = self.hex(16).to_lowercase();
        let b = |s: &str| {
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, s.as_bytes())
        };
        let expires = rfc3339(self.clock + 86_400);
        self.simple("Secret", Some("kube-system"), &format!("bootstrap-token-{token_id}"), json!({}), json!({
            "type": "bootstrap.kubernetes.io/token",
            "data": {"auth-extra-groups": b("system:bootstrappers:kubeadm:default-node-token"),
                "description": b("The default bootstrap token generated by 'kubeadm init'."),
                "expiration": b(&expires), "token-id": b(&token_id), "token-secret": b(&token_secret),
                "usage-bootstrap-authentication": b("true"), "usage-bootstrap-signing": b("true")}}));
        // The API server's identity lease and the controllers' leader-election leases.
        let id = format!("apiserver-{}", self.safe(26));
        let holder = format!("{id}_{}", self.uid());
        let renew = format!(
            "{}.{:06}Z",
            rfc3339(self.now - 5).trim_end_matches('Z'),
            self.rng.gen_range(0..1_000_000)
        );
        self.simple(
            "Lease",
            Some("kube-system"),
            &id,
            json!({"apiserver.kubernetes.io/identity": "kube-apiserver",
            "kubernetes.io/hostname": CONTROL_PLANE}),
            json!({"spec": {"holderIdentity": holder,
            "leaseDurationSeconds": 3600, "renewTime": renew}}),
        );
        for comp in ["kube-controller-manager", "kube-scheduler"] {
            let holder = format!("{CONTROL_PLANE}_{}", self.uid());
            let acquire = format!(
                "{}.{:06}Z",
                self.ts().trim_end_matches('Z'),
                self.rng.gen_range(0..1_000_000)
            );
            let renew = format!(
                "{}.{:06}Z",
                rfc3339(self.now - 1).trim_end_matches('Z'),
                self.rng.gen_range(0..1_000_000)
            );
            self.simple("Lease", Some("kube-system"), comp, json!({}), json!({"spec": {"holderIdentity": holder,
                "leaseDurationSeconds": 15, "acquireTime": acquire, "renewTime": renew, "leaseTransitions": 0}}));
        }
    }

    fn kube_system_rbac(&mut self) {
        let role_of = |name: &'static str| {
            if name == "system::extension-apiserver-authentication-reader" {
                "extension-apiserver-authentication-reader"
            } else {
                name
            }
        };
        for (ns, name) in KUBE_SYSTEM_ROLES {
            self.simple(
                "Role",
                Some(ns),
                role_of(name),
                json!({}),
                json!({"rules": [{"apiGroups": [""],
                "resources": ["configmaps"], "verbs": ["get"]}]}),
            );
        }
        for (ns, name) in KUBE_SYSTEM_ROLES {
            self.simple("RoleBinding", Some(ns), name, json!({}), json!({
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role_of(name)},
                "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:nodes"}]}));
        }
    }

    fn service_accounts_kube_system(&mut self) {
        for ns in ["default", "kube-public", "kube-node-lease"] {
            self.simple("ServiceAccount", Some(ns), "default", json!({}), json!({}));
        }
        for name in KUBE_SYSTEM_SERVICE_ACCOUNTS {
            self.simple(
                "ServiceAccount",
                Some("kube-system"),
                name,
                json!({}),
                json!({}),
            );
        }
    }

    fn storage(&mut self) {
        let (mut m, _) = self.meta(None, "standard", json!({}));
        m["annotations"] = json!({"storageclass.kubernetes.io/is-default-class": "true"});
        self.put(
            "StorageClass",
            json!({"metadata": m, "provisioner": "kubernetes.io/no-provisioner",
            "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}),
        );
    }

    /// Writes one pod (and, for a fresh rollout, its events). `node` is an index into
    /// `self.nodes`; `host_network` pods take the node's address.
    ///
    /// Pods and events are nine tenths of the large sample, so they are written straight to
    /// text (in the field order kube-apiserver's JSON serializer uses) rather than through
    /// `serde_json::Value`.
    #[allow(clippy::too_many_arguments)]
    fn pod(
        &mut self,
        ns: &str,
        name: &str,
        node: usize,
        labels: &str,
        owner_ref: &str,
        container: &Container,
        sa: &str,
        host_network: bool,
        priority: Option<(&str, i64)>,
        events: bool,
    ) -> PodRef {
        let health = if events && self.large {
            match self.rng.gen_range(0..200) {
                0 | 1 => PodHealth::CrashLoop,
                2 => PodHealth::Pending,
                _ => PodHealth::Running,
            }
        } else {
            PodHealth::Running
        };
        let node_name = self
            .nodes
            .get(node)
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let node_ip = self
            .nodes
            .get(node)
            .map(|n| n.ip.clone())
            .unwrap_or_default();
        let ip = if host_network {
            node_ip.clone()
        } else {
            self.pod_ip(node)
        };
        let uid = self.uid();
        let rev = self.next_revision();
        let ts = self.ts();
        let created = self.clock;
        let cname = &container.name;
        let image = &container.image;
        let mut out = String::with_capacity(2600);
        out.push_str(&format!(
            r#"{{"kind":"Pod","apiVersion":"v1","metadata":{{"name":{},"namespace":{},"uid":"{uid}","resourceVersion":"{rev}","creationTimestamp":"{ts}""#,
            js(name), js(ns)));
        if !labels.is_empty() {
            out.push_str(&format!(r#","labels":{labels}"#));
        }
        if !owner_ref.is_empty() {
            out.push_str(&format!(r#","ownerReferences":[{owner_ref}]"#));
        }
        out.push_str(&format!(r#"}},"spec":{{"containers":[{}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst""#, container.json));
        if !sa.is_empty() {
            out.push_str(&format!(
                r#","serviceAccountName":{0},"serviceAccount":{0}"#,
                js(sa)
            ));
        }
        if health != PodHealth::Pending {
            out.push_str(&format!(r#","nodeName":{}"#, js(&node_name)));
        }
        if host_network {
            out.push_str(r#","hostNetwork":true"#);
        }
        out.push_str(r#","securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]"#);
        match priority {
            Some((class, value)) => out.push_str(&format!(
                r#","priorityClassName":{},"priority":{value}"#,
                js(class)
            )),
            None => out.push_str(r#","priority":0"#),
        }
        out.push_str(
            r#","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":"#,
        );
        if health == PodHealth::Pending {
            out.push_str(&format!(r#"{{"phase":"Pending","conditions":[{{"type":"PodScheduled","status":"False","lastProbeTime":null,"lastTransitionTime":"{ts}","reason":"Unschedulable","message":"0/41 nodes are available: 41 Insufficient cpu. preemption: 0/41 nodes are available: 41 No preemption victims found for incoming pod.."}}],"qosClass":"BestEffort"}}}}"#));
        } else {
            let ready = health == PodHealth::Running;
            let rs = if ready { "True" } else { "False" };
            let started = rfc3339((created + 2 + self.rng.gen_range(0..6)).min(self.now));
            let image_id = format!(
                "{}@sha256:{}",
                image.split(':').next().unwrap_or(""),
                self.hex(64)
            );
            let container_id = format!("containerd://{}", self.hex(64));
            out.push_str(r#"{"phase":"Running","conditions":["#);
            for (i, (t, s)) in [
                ("PodReadyToStartContainers", "True"),
                ("Initialized", "True"),
                ("Ready", rs),
                ("ContainersReady", rs),
                ("PodScheduled", "True"),
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!(r#"{{"type":"{t}","status":"{s}","lastProbeTime":null,"lastTransitionTime":"{ts}"}}"#));
            }
            out.push_str(&format!(r#"],"hostIP":"{node_ip}","hostIPs":[{{"ip":"{node_ip}"}}],"podIP":"{ip}","podIPs":[{{"ip":"{ip}"}}],"startTime":"{ts}","containerStatuses":[{{"name":{},"#, js(cname)));
            if ready {
                out.push_str(&format!(r#""state":{{"running":{{"startedAt":"{started}"}}}},"lastState":{{}},"ready":true,"restartCount":0,"#));
            } else {
                let restarts = self.rng.gen_range(3..9);
                let finished = rfc3339(self.now - self.rng.gen_range(20..280));
                let msg = format!(
                    "back-off 5m0s restarting failed container={cname} pod={name}_{ns}({uid})"
                );
                out.push_str(&format!(r#""state":{{"waiting":{{"reason":"CrashLoopBackOff","message":{}}}}},"lastState":{{"terminated":{{"exitCode":1,"reason":"Error","startedAt":"{started}","finishedAt":"{finished}","containerID":"{container_id}"}}}},"ready":false,"restartCount":{restarts},"#, js(&msg)));
            }
            out.push_str(&format!(r#""image":{},"imageID":{},"containerID":"{container_id}","started":{ready}}}],"qosClass":"BestEffort"}}}}"#, js(image), js(&image_id)));
        }
        let r = resource("Pod");
        self.out.push(SampleObject {
            key: object_key(r, Some(ns), name),
            value: out.into_bytes(),
            mod_revision: rev,
        });
        if events {
            self.pod_events(ns, name, &uid, &node_name, cname, image, health);
        }
        PodRef {
            name: name.to_string(),
            uid,
            ip,
            node: if health == PodHealth::Pending {
                None
            } else {
                Some(node_name)
            },
            ready: health == PodHealth::Running,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn pod_events(
        &mut self,
        ns: &str,
        pod: &str,
        uid: &str,
        node: &str,
        cname: &str,
        image: &str,
        health: PodHealth,
    ) {
        let path = format!("spec.containers{{{cname}}}");
        let mut evs: Vec<(&str, String, &str, &str, Option<&str>)> = Vec::new();
        if health == PodHealth::Pending {
            evs.push((
                "FailedScheduling",
                "0/41 nodes are available: 41 Insufficient cpu.".into(),
                "Warning",
                "default-scheduler",
                None,
            ));
        } else {
            evs.push((
                "Scheduled",
                format!("Successfully assigned {ns}/{pod} to {node}"),
                "Normal",
                "default-scheduler",
                None,
            ));
            evs.push((
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            evs.push((
                "Created",
                format!("Created container {cname}"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            evs.push((
                "Started",
                format!("Started container {cname}"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            if health == PodHealth::CrashLoop {
                evs.push((
                    "BackOff",
                    "Back-off restarting failed container".into(),
                    "Warning",
                    "kubelet",
                    Some(&path),
                ));
            }
        }
        let base = self.clock;
        let mut nanos: u64 = u64::try_from(base)
            .unwrap_or(0)
            .saturating_mul(1_000_000_000);
        let r = resource("Event");
        for (i, (reason, message, typ, component, field)) in evs.into_iter().enumerate() {
            nanos = nanos.saturating_add(self.rng.gen_range(100_000_000..900_000_000));
            let name = format!("{pod}.{nanos:x}");
            let at = rfc3339((base + i64::try_from(i).unwrap_or(0)).min(self.now));
            let ev_uid = self.uid();
            let rev = self.next_revision();
            let field = field
                .map(|f| format!(r#","fieldPath":{}"#, js(f)))
                .unwrap_or_default();
            let (host, instance) = if component == "kubelet" {
                (format!(r#","host":{}"#, js(node)), js(node))
            } else {
                (String::new(), "\"\"".to_string())
            };
            let v = format!(
                r#"{{"kind":"Event","apiVersion":"v1","metadata":{{"name":{},"namespace":{},"uid":"{ev_uid}","resourceVersion":"{rev}","creationTimestamp":"{at}"}},"involvedObject":{{"kind":"Pod","namespace":{},"name":{},"uid":"{uid}","apiVersion":"v1"{field}}},"reason":"{reason}","message":{},"source":{{"component":"{component}"{host}}},"firstTimestamp":"{at}","lastTimestamp":"{at}","count":1,"type":"{typ}","eventTime":null,"reportingComponent":"{component}","reportingInstance":{instance}}}"#,
                js(&name),
                js(ns),
                js(ns),
                js(pod),
                js(&message)
            );
            self.out.push(SampleObject {
                key: object_key(r, Some(ns), &name),
                value: v.into_bytes(),
                mod_revision: rev,
            });
        }
    }

    fn control_plane_pods(&mut self) {
        let cp_uid = self
            .nodes
            .first()
            .map(|n| n.uid.clone())
            .unwrap_or_default();
        let node_ref = json!({"apiVersion": "v1", "kind": "Node", "name": CONTROL_PLANE, "uid": cp_uid, "controller": true});
        for (comp, image, cmd) in [
            ("etcd", "registry.k8s.io/etcd:3.5.10-0", "etcd"),
            (
                "kube-apiserver",
                "registry.k8s.io/kube-apiserver:v1.29.0",
                "kube-apiserver",
            ),
            (
                "kube-controller-manager",
                "registry.k8s.io/kube-controller-manager:v1.29.0",
                "kube-controller-manager",
            ),
            (
                "kube-scheduler",
                "registry.k8s.io/kube-scheduler:v1.29.0",
                "kube-scheduler",
            ),
        ] {
            let name = format!("{comp}-{CONTROL_PLANE}");
            let labels = json!({"component": comp, "tier": "control-plane"});
            let c = Container::new(comp, image, None, Some(vec![cmd.to_string()]));
            self.pod(
                "kube-system",
                &name,
                0,
                &labels.to_string(),
                &node_ref.to_string(),
                &c,
                "",
                true,
                Some(("system-node-critical", 2_000_001_000)),
                false,
            );
            self.tick(2);
        }
    }

    /// A DaemonSet with one pod per schedulable node and its ControllerRevision.
    fn daemonset(
        &mut self,
        ns: &str,
        name: &str,
        label_key: &str,
        image: &str,
        sa: &str,
        tolerate_cp: bool,
    ) {
        let sel = json!({label_key: name});
        let c = Container::new(name, image, None, None);
        let template = json!({"metadata": {"labels": sel}, "spec": {"containers": [c.value.clone()], "hostNetwork": true,
            "priorityClassName": "system-node-critical", "serviceAccountName": sa}});
        let n = self.nodes.len();
        let (mut m, uid) = self.meta(Some(ns), name, sel.clone());
        m["annotations"] = json!({"deprecated.daemonset.template.generation": "1"});
        m["generation"] = json!(1);
        self.put("DaemonSet", json!({"metadata": m, "spec": {"selector": {"matchLabels": sel}, "template": template,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
            "revisionHistoryLimit": 10},
            "status": {"currentNumberScheduled": n, "desiredNumberScheduled": n, "numberAvailable": n,
                "numberMisscheduled": 0, "numberReady": n, "observedGeneration": 1, "updatedNumberScheduled": n}}));
        let hash = self.safe(10);
        let ds_ref = owner("apps/v1", "DaemonSet", name, &uid);
        let (mut m, _) = self.meta(
            Some(ns),
            &format!("{name}-{hash}"),
            json!({label_key: name, "controller-revision-hash": hash}),
        );
        m["ownerReferences"] = json!([ds_ref.clone()]);
        self.put(
            "ControllerRevision",
            json!({"metadata": m, "revision": 1, "data": {"spec": {"template": template}}}),
        );
        self.tick(1);
        for node in 0..n {
            if node == 0 && !tolerate_cp {
                continue;
            }
            let pname = format!("{name}-{}", self.safe(5));
            let labels = json!({label_key: name, "controller-revision-hash": hash, "pod-template-generation": "1"});
            self.pod(
                ns,
                &pname,
                node,
                &labels.to_string(),
                &ds_ref.to_string(),
                &c,
                sa,
                true,
                Some(("system-node-critical", 2_000_001_000)),
                false,
            );
        }
    }

    fn kube_proxy(&mut self) {
        self.daemonset(
            "kube-system",
            "kube-proxy",
            "k8s-app",
            "registry.k8s.io/kube-proxy:v1.29.0",
            "kube-proxy",
            true,
        );
    }

    fn flannel(&mut self) {
        self.namespace("kube-flannel");
        self.simple(
            "ServiceAccount",
            Some("kube-flannel"),
            "default",
            json!({}),
            json!({}),
        );
        self.simple(
            "ServiceAccount",
            Some("kube-flannel"),
            "flannel",
            json!({}),
            json!({}),
        );
        let ca = self.ca_pem.clone();
        self.simple(
            "ConfigMap",
            Some("kube-flannel"),
            "kube-root-ca.crt",
            json!({}),
            json!({"data": {"ca.crt": ca}}),
        );
        self.simple("ConfigMap", Some("kube-flannel"), "kube-flannel-cfg", json!({"app": "flannel", "tier": "node"}), json!({"data": {
            "cni-conf.json": "{\n  \"name\": \"cbr0\",\n  \"cniVersion\": \"0.3.1\",\n  \"plugins\": [\n    {\n      \"type\": \"flannel\",\n      \"delegate\": {\n        \"hairpinMode\": true,\n        \"isDefaultGateway\": true\n      }\n    },\n    {\n      \"type\": \"portmap\",\n      \"capabilities\": {\n        \"portMappings\": true\n      }\n    }\n  ]\n}\n",
            "net-conf.json": "{\n  \"Network\": \"10.244.0.0/16\",\n  \"Backend\": {\n    \"Type\": \"vxlan\"\n  }\n}\n"}}));
        self.daemonset(
            "kube-flannel",
            "kube-flannel-ds",
            "app",
            "docker.io/flannel/flannel:v0.24.0",
            "flannel",
            true,
        );
    }

    fn coredns(&mut self) {
        self.tick(20);
        let pods = self.replicated(
            "kube-system",
            "coredns",
            2,
            "registry.k8s.io/coredns/coredns:v1.11.1",
            53,
            "k8s-app",
            false,
        );
        self.service_for(
            "kube-system",
            "kube-dns",
            "k8s-app",
            "coredns",
            Some(9),
            &[
                ("dns", 53, "UDP"),
                ("dns-tcp", 53, "TCP"),
                ("metrics", 9153, "TCP"),
            ],
            &pods,
            None,
        );
    }

    /// A Deployment, its ReplicaSet and pods (spread over the workers), plus a Service.
    fn deployment_with_service(
        &mut self,
        ns: &str,
        name: &str,
        replicas: usize,
        image: &str,
        port: u16,
        events: bool,
    ) {
        let pods = self.replicated(ns, name, replicas, image, port, "app", events);
        let node_port = if name == "frontend" {
            Some(30080)
        } else {
            None
        };
        self.service_for(
            ns,
            name,
            "app",
            name,
            None,
            &[("http", i64::from(port), "TCP")],
            &pods,
            node_port,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn replicated(
        &mut self,
        ns: &str,
        name: &str,
        replicas: usize,
        image: &str,
        port: u16,
        label_key: &str,
        events: bool,
    ) -> Vec<PodRef> {
        let sel = json!({label_key: name});
        let c = Container::new(name, image, Some(port), None);
        let (mut m, dep_uid) = self.meta(Some(ns), name, sel.clone());
        m["annotations"] = json!({"deployment.kubernetes.io/revision": "1"});
        m["generation"] = json!(1);
        let dep_rev_index = self.out.len();
        let hash = self.safe(10);
        let template =
            json!({"metadata": {"labels": sel}, "spec": {"containers": [c.value.clone()]}});
        self.put("Deployment", json!({"metadata": m, "spec": {"replicas": replicas, "selector": {"matchLabels": sel},
            "template": template, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
            "status": {}}));
        let rs_name = format!("{name}-{hash}");
        let mut rs_labels = sel.clone();
        rs_labels["pod-template-hash"] = json!(hash);
        let (mut m, rs_uid) = self.meta(Some(ns), &rs_name, rs_labels.clone());
        m["annotations"] = json!({"deployment.kubernetes.io/desired-replicas": replicas.to_string(),
            "deployment.kubernetes.io/max-replicas": (replicas + replicas.div_ceil(4)).to_string(),
            "deployment.kubernetes.io/revision": "1"});
        m["ownerReferences"] = json!([owner("apps/v1", "Deployment", name, &dep_uid)]);
        m["generation"] = json!(1);
        let rs_index = self.out.len();
        self.put("ReplicaSet", json!({"metadata": m, "spec": {"replicas": replicas,
            "selector": {"matchLabels": rs_labels}, "template": {"metadata": {"labels": rs_labels}, "spec": {"containers": [c.value.clone()]}}},
            "status": {}}));
        let rs_ref = owner("apps/v1", "ReplicaSet", &rs_name, &rs_uid).to_string();
        let rs_labels_text = rs_labels.to_string();
        let mut pods = Vec::with_capacity(replicas);
        let workers = self.nodes.len().saturating_sub(1).max(1);
        for _ in 0..replicas {
            let pname = format!("{rs_name}-{}", self.safe(5));
            let node = 1 + self.rng.gen_range(0..workers as u64) as usize;
            let sa = "default";
            let prio = if ns == "kube-system" {
                Some(("system-cluster-critical", 2_000_000_000))
            } else {
                None
            };
            pods.push(self.pod(
                ns,
                &pname,
                node.min(self.nodes.len().saturating_sub(1)),
                &rs_labels_text,
                &rs_ref,
                &c,
                sa,
                false,
                prio,
                events,
            ));
        }
        // The controllers' status as it stands once the pods run (written with the object: the
        // sample writes each object once).
        let ready = pods.iter().filter(|p| p.ready).count();
        let ts = rfc3339(self.clock);
        self.patch_status(dep_rev_index, json!({"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas,
            "readyReplicas": ready, "availableReplicas": ready, "unavailableReplicas": replicas - ready,
            "conditions": [
                {"type": "Available", "status": if ready == replicas { "True" } else { "False" },
                    "reason": if ready == replicas { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
                    "message": if ready == replicas { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." },
                    "lastUpdateTime": ts, "lastTransitionTime": ts},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                    "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "lastUpdateTime": ts, "lastTransitionTime": ts}]}));
        self.patch_status(
            rs_index,
            json!({"replicas": replicas, "fullyLabeledReplicas": replicas, "readyReplicas": ready,
            "availableReplicas": ready, "observedGeneration": 1}),
        );
        pods
    }

    /// Sets `status` of an object already generated (its revision stays the same).
    fn patch_status(&mut self, index: usize, status: Value) {
        let Some(o) = self.out.get_mut(index) else {
            return;
        };
        let Ok(mut v) = serde_json::from_slice::<Value>(&o.value) else {
            return;
        };
        v["status"] = status;
        if let Some(map) = v["status"].as_object_mut() {
            map.retain(|k, val| !(k == "unavailableReplicas" && val == &json!(0)));
        }
        o.value = serde_json::to_vec(&v).unwrap_or_default();
    }

    #[allow(clippy::too_many_arguments)]
    fn service_for(
        &mut self,
        ns: &str,
        name: &str,
        label_key: &str,
        app: &str,
        fixed_ip: Option<u32>,
        ports: &[(&str, i64, &str)],
        pods: &[PodRef],
        node_port: Option<u32>,
    ) {
        let headless = fixed_ip.is_none() && name == "redis";
        let ip = if headless {
            "None".to_string()
        } else {
            self.service_ip(fixed_ip)
        };
        let mut sports: Vec<Value> = ports
            .iter()
            .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto, "targetPort": p}))
            .collect();
        if let (Some(np), Some(first)) = (node_port, sports.first_mut()) {
            first["nodePort"] = json!(np);
            self.node_ports.push(np);
        }
        let mut spec = json!({"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": sports,
            "selector": {label_key: app}, "sessionAffinity": "None",
            "type": if node_port.is_some() { "NodePort" } else { "ClusterIP" }});
        if node_port.is_some() {
            spec["externalTrafficPolicy"] = json!("Cluster");
        }
        let mut labels = json!({label_key: app});
        if ns == "kube-system" {
            labels["kubernetes.io/cluster-service"] = json!("true");
            labels["kubernetes.io/name"] = json!("CoreDNS");
        }
        let svc_uid = self.simple(
            "Service",
            Some(ns),
            name,
            labels.clone(),
            json!({"spec": spec, "status": {"loadBalancer": {}}}),
        );
        let addr = |p: &PodRef| {
            let mut a = json!({"ip": p.ip, "targetRef": {"kind": "Pod", "name": p.name, "namespace": ns, "uid": p.uid}});
            if let Some(n) = &p.node {
                a["nodeName"] = json!(n);
            }
            a
        };
        let ready: Vec<Value> = pods.iter().filter(|p| p.ready).map(addr).collect();
        let not_ready: Vec<Value> = pods
            .iter()
            .filter(|p| !p.ready && p.node.is_some())
            .map(addr)
            .collect();
        let eports: Vec<Value> = ports
            .iter()
            .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto}))
            .collect();
        let mut subset = json!({"addresses": ready, "ports": eports});
        if !not_ready.is_empty() {
            subset["notReadyAddresses"] = json!(not_ready);
        }
        let mut ep_labels = labels.clone();
        if headless {
            ep_labels["service.kubernetes.io/headless"] = json!("");
        }
        let ts = self.ts();
        let (mut m, _) = self.meta(Some(ns), name, ep_labels.clone());
        m["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": ts});
        self.put("Endpoints", json!({"metadata": m, "subsets": [subset]}));
        let slice_name = format!("{name}-{}", self.safe(5));
        let mut sl_labels = ep_labels;
        sl_labels["endpointslice.kubernetes.io/managed-by"] =
            json!("endpointslice-controller.k8s.io");
        sl_labels["kubernetes.io/service-name"] = json!(name);
        let (mut m, _) = self.meta(Some(ns), &slice_name, sl_labels);
        m["generateName"] = json!(format!("{name}-"));
        m["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": ts});
        m["ownerReferences"] = json!([owner("v1", "Service", name, &svc_uid)]);
        let endpoints: Vec<Value> = pods.iter().filter(|p| p.node.is_some()).map(|p| {
            json!({"addresses": [p.ip], "conditions": {"ready": p.ready, "serving": p.ready, "terminating": false},
                "nodeName": p.node, "targetRef": {"kind": "Pod", "name": p.name, "namespace": ns, "uid": p.uid}})
        }).collect();
        self.put(
            "EndpointSlice",
            json!({"metadata": m, "addressType": "IPv4", "endpoints": endpoints, "ports": eports}),
        );
    }

    fn secret_opaque(&mut self, ns: &str, name: &str, fields: &[(&str, usize)]) {
        let mut data = serde_json::Map::new();
        for (k, len) in fields {
            let raw = self.safe(*len);
            data.insert(
                (*k).to_string(),
                json!(base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    raw.as_bytes()
                )),
            );
        }
        self.simple(
            "Secret",
            Some(ns),
            name,
            json!({}),
            json!({"type": "Opaque", "data": data}),
        );
    }

    fn redis_statefulset(&mut self, ns: &str) {
        let name = "redis";
        let replicas = 2usize;
        let sel = json!({"app": name});
        let c = Container::new(name, "redis:7.2.3", Some(6379), None);
        let template =
            json!({"metadata": {"labels": sel}, "spec": {"containers": [c.value.clone()]}});
        let (mut m, uid) = self.meta(Some(ns), name, sel.clone());
        m["generation"] = json!(1);
        let hash = self.safe(10);
        let rev_name = format!("{name}-{hash}");
        self.put("StatefulSet", json!({"metadata": m, "spec": {"replicas": replicas, "selector": {"matchLabels": sel},
            "serviceName": name, "template": template, "podManagementPolicy": "OrderedReady",
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "revisionHistoryLimit": 10,
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"}},
            "status": {"observedGeneration": 1, "replicas": replicas, "readyReplicas": replicas, "currentReplicas": replicas,
                "updatedReplicas": replicas, "availableReplicas": replicas, "currentRevision": rev_name,
                "updateRevision": rev_name, "collisionCount": 0}}));
        let sts_ref = owner("apps/v1", "StatefulSet", name, &uid);
        let (mut m, _) = self.meta(
            Some(ns),
            &rev_name,
            json!({"app": name, "controller.kubernetes.io/hash": hash}),
        );
        m["ownerReferences"] = json!([sts_ref.clone()]);
        self.put(
            "ControllerRevision",
            json!({"metadata": m, "revision": 1, "data": {"spec": {"template": template}}}),
        );
        let workers = self.nodes.len().saturating_sub(1).max(1);
        let mut pods = Vec::new();
        for i in 0..replicas {
            self.tick(8);
            let pname = format!("{name}-{i}");
            let labels = json!({"app": name, "apps.kubernetes.io/pod-index": i.to_string(),
                "controller-revision-hash": rev_name, "statefulset.kubernetes.io/pod-name": pname});
            let node = (1 + i % workers).min(self.nodes.len().saturating_sub(1));
            pods.push(self.pod(
                ns,
                &pname,
                node,
                &labels.to_string(),
                &sts_ref.to_string(),
                &c,
                "default",
                false,
                None,
                true,
            ));
        }
        self.service_for(
            ns,
            name,
            "app",
            name,
            None,
            &[("redis", 6379, "TCP")],
            &pods,
            None,
        );
    }

    /// A CustomResourceDefinition, its aggregated APIService and one custom resource (stored
    /// as JSON, as every custom resource is).
    fn snapshot_crd(&mut self) {
        let (mut m, _) = self.meta(
            None,
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            json!({}),
        );
        m["annotations"] = json!({"api-approved.kubernetes.io": "https://github.com/kubernetes-csi/external-snapshotter/pull/814"});
        self.put("CustomResourceDefinition", json!({"metadata": m, "spec": {"group": "snapshot.storage.k8s.io",
            "names": {"kind": "VolumeSnapshotClass", "listKind": "VolumeSnapshotClassList", "plural": "volumesnapshotclasses",
                "shortNames": ["vsclass", "vsclasses"], "singular": "volumesnapshotclass"},
            "scope": "Cluster", "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {"driver": {"type": "string"},
                    "deletionPolicy": {"type": "string", "enum": ["Delete", "Retain"]}}, "required": ["deletionPolicy", "driver"]}}}]},
            "status": {"acceptedNames": {"kind": "VolumeSnapshotClass", "plural": "volumesnapshotclasses"}, "storedVersions": ["v1"]}}));
        self.api_service("snapshot.storage.k8s.io", "v1", 1000, 100, true);
        self.simple(
            "VolumeSnapshotClass",
            None,
            "csi-hostpath-snapclass",
            json!({}),
            json!({
            "driver": "hostpath.csi.k8s.io", "deletionPolicy": "Delete"}),
        );
    }

    /// The allocator bitmaps: one bit per service IP (from 10.96.0.1) and per node port (from
    /// 30000), stored as a big-endian big integer, as kube-apiserver's allocator does.
    fn ranges(&mut self) {
        let bitmap = |offsets: &[u32]| -> String {
            let Some(max) = offsets.iter().max() else {
                return String::new();
            };
            let len = (*max as usize) / 8 + 1;
            let mut bytes = vec![0u8; len];
            for o in offsets {
                let bit = *o as usize;
                if let Some(b) = bytes.get_mut(len - 1 - bit / 8) {
                    *b |= 1 << (bit % 8);
                }
            }
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes)
        };
        let ips = bitmap(&self.service_ip_offsets);
        let ports: Vec<u32> = self
            .node_ports
            .iter()
            .map(|p| p.saturating_sub(30000))
            .collect();
        let nps = bitmap(&ports);
        let ts = self.ts();
        let rev = self.next_revision();
        self.push_raw("/registry/ranges/serviceips", json!({"apiVersion": "v1", "kind": "RangeAllocation",
            "metadata": {"creationTimestamp": ts, "resourceVersion": rev.to_string()}, "range": "10.96.0.0/12", "data": ips}));
        let rev = self.next_revision();
        self.push_raw("/registry/ranges/servicenodeports", json!({"apiVersion": "v1", "kind": "RangeAllocation",
            "metadata": {"creationTimestamp": ts, "resourceVersion": rev.to_string()}, "range": "30000-32767", "data": nps}));
    }

    fn push_raw(&mut self, key: &str, v: Value) {
        let rev = self.next_revision();
        self.out.push(SampleObject {
            key: key.to_string(),
            value: serde_json::to_vec(&v).unwrap_or_default(),
            mod_revision: rev,
        });
    }
}

/// `(group, version, groupPriorityMinimum, versionPriority)` of the built-in APIServices of
/// Kubernetes 1.29 (kube-aggregator's `apiVersionPriorities`).
const API_SERVICES: &[(&str, &str, i64, i64)] = &[
    ("", "v1", 18000, 1),
    ("admissionregistration.k8s.io", "v1", 16700, 15),
    ("apiextensions.k8s.io", "v1", 16700, 15),
    ("apps", "v1", 17800, 15),
    ("authentication.k8s.io", "v1", 17700, 15),
    ("authorization.k8s.io", "v1", 17600, 15),
    ("autoscaling", "v1", 17500, 15),
    ("autoscaling", "v2", 17500, 30),
    ("batch", "v1", 17400, 15),
    ("certificates.k8s.io", "v1", 17300, 15),
    ("coordination.k8s.io", "v1", 16500, 15),
    ("discovery.k8s.io", "v1", 16200, 15),
    ("events.k8s.io", "v1", 17750, 15),
    ("flowcontrol.apiserver.k8s.io", "v1", 16100, 21),
    ("flowcontrol.apiserver.k8s.io", "v1beta3", 16100, 18),
    ("networking.k8s.io", "v1", 17200, 15),
    ("node.k8s.io", "v1", 16300, 15),
    ("policy", "v1", 17100, 15),
    ("rbac.authorization.k8s.io", "v1", 17000, 15),
    ("scheduling.k8s.io", "v1", 16600, 15),
    ("storage.k8s.io", "v1", 16800, 15),
];

const CLUSTER_ROLES: &[&str] = &[
    "admin",
    "cluster-admin",
    "edit",
    "flannel",
    "kubeadm:get-nodes",
    "system:aggregate-to-admin",
    "system:aggregate-to-edit",
    "system:aggregate-to-view",
    "system:auth-delegator",
    "system:basic-user",
    "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
    "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
    "system:certificates.k8s.io:kube-apiserver-client-approver",
    "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
    "system:certificates.k8s.io:kubelet-serving-approver",
    "system:certificates.k8s.io:legacy-unknown-approver",
    "system:controller:attachdetach-controller",
    "system:controller:certificate-controller",
    "system:controller:clusterrole-aggregation-controller",
    "system:controller:cronjob-controller",
    "system:controller:daemon-set-controller",
    "system:controller:deployment-controller",
    "system:controller:disruption-controller",
    "system:controller:endpoint-controller",
    "system:controller:endpointslice-controller",
    "system:controller:endpointslicemirroring-controller",
    "system:controller:ephemeral-volume-controller",
    "system:controller:expand-controller",
    "system:controller:generic-garbage-collector",
    "system:controller:horizontal-pod-autoscaler",
    "system:controller:job-controller",
    "system:controller:legacy-service-account-token-cleaner",
    "system:controller:namespace-controller",
    "system:controller:node-controller",
    "system:controller:persistent-volume-binder",
    "system:controller:pod-garbage-collector",
    "system:controller:pv-protection-controller",
    "system:controller:pvc-protection-controller",
    "system:controller:replicaset-controller",
    "system:controller:replication-controller",
    "system:controller:resourcequota-controller",
    "system:controller:root-ca-cert-publisher",
    "system:controller:route-controller",
    "system:controller:service-account-controller",
    "system:controller:service-controller",
    "system:controller:statefulset-controller",
    "system:controller:ttl-after-finished-controller",
    "system:controller:ttl-controller",
    "system:coredns",
    "system:discovery",
    "system:heapster",
    "system:kube-aggregator",
    "system:kube-controller-manager",
    "system:kube-dns",
    "system:kube-scheduler",
    "system:kubelet-api-admin",
    "system:monitoring",
    "system:node",
    "system:node-bootstrapper",
    "system:node-problem-detector",
    "system:node-proxier",
    "system:persistent-volume-provisioner",
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
    "system:volume-scheduler",
    "view",
];

const CLUSTER_ROLE_BINDINGS: &[&str] = &[
    "cluster-admin",
    "flannel",
    "kubeadm:cluster-admins",
    "kubeadm:get-nodes",
    "kubeadm:kubelet-bootstrap",
    "kubeadm:node-autoapprove-bootstrap",
    "kubeadm:node-autoapprove-certificate-rotation",
    "kubeadm:node-proxier",
    "system:basic-user",
    "system:controller:attachdetach-controller",
    "system:controller:certificate-controller",
    "system:controller:clusterrole-aggregation-controller",
    "system:controller:cronjob-controller",
    "system:controller:daemon-set-controller",
    "system:controller:deployment-controller",
    "system:controller:disruption-controller",
    "system:controller:endpoint-controller",
    "system:controller:endpointslice-controller",
    "system:controller:endpointslicemirroring-controller",
    "system:controller:ephemeral-volume-controller",
    "system:controller:expand-controller",
    "system:controller:generic-garbage-collector",
    "system:controller:horizontal-pod-autoscaler",
    "system:controller:job-controller",
    "system:controller:legacy-service-account-token-cleaner",
    "system:controller:namespace-controller",
    "system:controller:node-controller",
    "system:controller:persistent-volume-binder",
    "system:controller:pod-garbage-collector",
    "system:controller:pv-protection-controller",
    "system:controller:pvc-protection-controller",
    "system:controller:replicaset-controller",
    "system:controller:replication-controller",
    "system:controller:resourcequota-controller",
    "system:controller:root-ca-cert-publisher",
    "system:controller:route-controller",
    "system:controller:service-account-controller",
    "system:controller:service-controller",
    "system:controller:statefulset-controller",
    "system:controller:ttl-after-finished-controller",
    "system:controller:ttl-controller",
    "system:coredns",
    "system:discovery",
    "system:kube-controller-manager",
    "system:kube-dns",
    "system:kube-scheduler",
    "system:monitoring",
    "system:node",
    "system:node-proxier",
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
    "system:volume-scheduler",
];

/// `(namespace, binding name)`: the namespaced RBAC of a kubeadm cluster (each binding has
/// a Role of the same name, except the authentication reader's).
const KUBE_SYSTEM_ROLES: &[(&str, &str)] = &[
    ("kube-public", "kubeadm:bootstrap-signer-clusterinfo"),
    ("kube-public", "system:controller:bootstrap-signer"),
    ("kube-system", "kube-proxy"),
    ("kube-system", "kubeadm:kubelet-config"),
    ("kube-system", "kubeadm:nodes-kubeadm-config"),
    (
        "kube-system",
        "system::extension-apiserver-authentication-reader",
    ),
    (
        "kube-system",
        "system::leader-locking-kube-controller-manager",
    ),
    ("kube-system", "system::leader-locking-kube-scheduler"),
    ("kube-system", "system:controller:bootstrap-signer"),
    ("kube-system", "system:controller:cloud-provider"),
    ("kube-system", "system:controller:token-cleaner"),
];

const KUBE_SYSTEM_SERVICE_ACCOUNTS: &[&str] = &[
    "attachdetach-controller",
    "bootstrap-signer",
    "certificate-controller",
    "clusterrole-aggregation-controller",
    "coredns",
    "cronjob-controller",
    "daemon-set-controller",
    "default",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "ephemeral-volume-controller",
    "expand-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "kube-proxy",
    "legacy-service-account-token-cleaner",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "replication-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "route-controller",
    "service-account-controller",
    "service-controller",
    "statefulset-controller",
    "token-cleaner",
    "ttl-after-finished-controller",
    "ttl-controller",
];

#[cfg(test)]
mod tests;
