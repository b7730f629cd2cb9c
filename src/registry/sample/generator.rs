//! The generator's state and primitives: the seeded RNG, the clock that creation timestamps
//! follow, UIDs and generated names, `metadata`, writing one object (its key, `apiVersion`,
//! `kind` and `resourceVersion` derived), pod and service IPs; and the order in which a
//! kubeadm bootstrap writes the cluster ([`Gen::cluster`]), at the scale the options ask.
//!
//! Owns: [`Gen`] and the helper types the resource families share. Must not touch: the
//! objects of one family (each has its file beside this one).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::{SampleObject, SampleOptions, SampleSize};
use crate::registry::k8stime::rfc3339;
use crate::registry::resources::{by_kind, object_key, ResourceType, RESOURCE_TYPES};

pub(super) const K8S_VERSION: &str = "v1.29.0";

pub(super) const CONTROL_PLANE: &str = "controlplane";

/// kube-apiserver's `rand.SafeEncodeString` alphabet (no vowels, no look-alikes).
pub(super) const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

pub(super) const HEX: &[u8; 16] = b"0123456789abcdef";

pub(super) struct Node {
    pub(super) name: String,
    pub(super) ip: String,
    pub(super) pod_cidr_octet: u32,
    pub(super) uid: String,
}

/// A pod as its Service's endpoints need it.
pub(super) struct PodRef {
    pub(super) name: String,
    pub(super) uid: String,
    pub(super) ip: String,
    pub(super) node: Option<String>,
    pub(super) ready: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PodHealth {
    Running,
    CrashLoop,
    Pending,
}

/// `(deployment, replicas, image, port)`.
pub(super) type AppDeployment = (String, usize, String, u16);

/// One piece of the generator's work (see [`Gen::parts`]).
pub(super) enum Part {
    /// Everything before the applications.
    Bootstrap,
    /// Deployment `dep` of namespace `ns` in the scale's apps (`done` deployments before it).
    Deployment { ns: usize, dep: usize, done: usize },
    /// What a namespace's applications hold besides their deployments.
    NamespaceEnd(usize),
    /// The service IP and node port allocations.
    Ranges,
}

pub(super) struct Scale {
    pub(super) workers: usize,
    /// Namespaces and their deployments.
    pub(super) apps: Vec<(String, Vec<AppDeployment>)>,
}

pub(super) struct Gen {
    pub(super) rng: ChaCha8Rng,
    pub(super) out: Vec<SampleObject>,
    /// Objects generated before `out` (handed out by [`Gen::take`]): revisions count them.
    pub(super) taken: usize,
    pub(super) first_revision: i64,
    pub(super) per_txn: usize,
    pub(super) now: i64,
    pub(super) clock: i64,
    pub(super) ca_pem: String,
    pub(super) nodes: Vec<Node>,
    pub(super) next_pod_ip: Vec<u32>,
    pub(super) service_ip_offsets: Vec<u32>,
    pub(super) node_ports: Vec<u32>,
    pub(super) namespace_uids: Vec<(String, String)>,
    pub(super) large: bool,
}

/// A JSON string literal.
pub(super) fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A container of a pod template, with its JSON text ready for the pods.
#[derive(Clone)]
pub(super) struct Container {
    pub(super) name: String,
    pub(super) image: String,
    pub(super) value: Value,
    pub(super) json: String,
}

impl Container {
    pub(super) fn new(
        name: &str,
        image: &str,
        port: Option<u16>,
        command: Option<Vec<String>>,
    ) -> Container {
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

pub(super) fn owner(api_version: &str, kind: &str, name: &str, uid: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "name": name, "uid": uid,
           "controller": true, "blockOwnerDeletion": true})
}

pub(super) fn resource(kind: &str) -> &'static ResourceType {
    // Every kind the generator writes is in the table (a test checks it).
    by_kind(kind).unwrap_or(&RESOURCE_TYPES[0])
}

impl Gen {
    pub(super) fn new(o: &SampleOptions) -> Gen {
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
            taken: 0,
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

    pub(super) fn next_revision(&self) -> i64 {
        let index =
            i64::try_from((self.taken + self.out.len()) / self.per_txn).unwrap_or(i64::MAX / 2);
        self.first_revision.saturating_add(index)
    }

    pub(super) fn uid(&mut self) -> String {
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

    pub(super) fn safe(&mut self, n: usize) -> String {
        (0..n)
            // Drawn as u64 (not usize) so that wasm32 draws what a 64-bit host draws.
            .map(|_| {
                SAFE_ALPHABET[self.rng.gen_range(0..SAFE_ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    pub(super) fn hex(&mut self, n: usize) -> String {
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

    pub(super) fn ts(&self) -> String {
        rfc3339(self.clock)
    }

    pub(super) fn tick(&mut self, secs: i64) {
        self.clock = (self.clock + secs).min(self.now);
    }

    /// `metadata` for a new object at the current clock.
    pub(super) fn meta(&mut self, ns: Option<&str>, name: &str, labels: Value) -> (Value, String) {
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
    pub(super) fn put(&mut self, kind: &str, mut v: Value) {
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
    pub(super) fn simple(
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

    /// The `kube-root-ca.crt` config map that kube-controller-manager publishes in every
    /// namespace.
    pub(super) fn root_ca_config_map(&mut self, ns: &str) {
        let ca = self.ca_pem.clone();
        self.simple(
            "ConfigMap",
            Some(ns),
            "kube-root-ca.crt",
            json!({}),
            json!({"data": {"ca.crt": ca}}),
        );
    }

    pub(super) fn pod_ip(&mut self, node: usize) -> String {
        let octet = self.nodes.get(node).map(|n| n.pod_cidr_octet).unwrap_or(0);
        let next = self.next_pod_ip.get_mut(node).map(|n| {
            *n += 1;
            *n
        });
        let host = next.unwrap_or(2);
        format!("10.244.{}.{}", octet + host / 254, host % 254 + 1)
    }

    pub(super) fn service_ip(&mut self, fixed: Option<u32>) -> String {
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

    pub(super) fn push_raw(&mut self, key: &str, v: Value) {
        let rev = self.next_revision();
        self.out.push(SampleObject {
            key: key.to_string(),
            value: serde_json::to_vec(&v).unwrap_or_default(),
            mod_revision: rev,
        });
    }

    /// The objects generated since the last call (earlier parts' objects are never patched
    /// again, so they can be written while the generator goes on).
    pub(super) fn take(&mut self) -> Vec<SampleObject> {
        self.taken += self.out.len();
        std::mem::take(&mut self.out)
    }

    /// The parts of a kubeadm bootstrap at `scale`, in the order it writes them.
    pub(super) fn parts(scale: &Scale) -> Vec<Part> {
        let mut parts = vec![Part::Bootstrap];
        let mut done = 0;
        for (ns, (_, deployments)) in scale.apps.iter().enumerate() {
            for dep in 0..deployments.len() {
                parts.push(Part::Deployment { ns, dep, done });
                done += 1;
            }
            parts.push(Part::NamespaceEnd(ns));
        }
        parts.push(Part::Ranges);
        parts
    }

    /// Generates one part of the cluster.
    pub(super) fn write_part(&mut self, scale: &Scale, part: &Part) {
        match *part {
            Part::Bootstrap => self.bootstrap(scale),
            Part::Deployment { ns, dep, done } => {
                // Applications were rolled out during the last hour (events live for one hour).
                let total: usize = scale
                    .apps
                    .iter()
                    .map(|(_, d)| d.len())
                    .sum::<usize>()
                    .max(1);
                let window = 3000i64;
                let start = self.now - window - 120;
                let done = i64::try_from(done).unwrap_or(0);
                self.clock = start + done * window / i64::try_from(total).unwrap_or(1);
                let (ns, deployments) = &scale.apps[ns];
                let (name, replicas, image, port) = &deployments[dep];
                self.deployment_with_service(ns, name, *replicas, image, *port, true);
            }
            Part::NamespaceEnd(ns) => {
                let ns = &scale.apps[ns].0;
                if ns == "demo" {
                    self.secret_opaque("demo", "redis-auth", &[("password", 16)]);
                    self.redis_statefulset("demo");
                } else if ns != "default" {
                    self.secret_opaque(ns, "db-credentials", &[("username", 8), ("password", 24)]);
                }
            }
            Part::Ranges => {
                self.clock = self.now - 60;
                self.ranges();
            }
        }
    }

    /// The cluster before its applications: the control plane, the nodes, the add-ons and
    /// the applications' namespaces.
    fn bootstrap(&mut self, scale: &Scale) {
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
                self.root_ca_config_map(ns);
            }
        }
    }

    pub(super) fn scale(&mut self) -> Scale {
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
}
