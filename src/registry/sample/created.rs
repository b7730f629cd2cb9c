//! What `kubectl run NAME --image=IMG` and `kubectl create deployment NAME --image=IMG` leave
//! in etcd once the cluster has acted on them: the Pod (or the Deployment, the ReplicaSet its
//! controller makes and the pods of that), scheduled on a worker and running, written as the
//! sample writes its own workloads. The caller writes them one revision each, in order.
//!
//! Owns: [`workload`]. Must not touch: the store (kubectl writes), the nodes (read by kubectl).

use rand::Rng;
use serde_json::json;

use super::generator::{Container, Gen, Node};
use super::{SampleObject, SampleOptions, SampleSize};

/// What kubectl asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    /// `kubectl run`: one pod labelled `run=NAME`, its container named NAME.
    Pod,
    /// `kubectl create deployment`: labelled `app=NAME`, the container named after the image.
    Deployment { replicas: usize },
}

/// A workload to write and what it depends on.
#[derive(Clone, Debug)]
pub struct WorkloadSpec<'a> {
    pub kind: WorkloadKind,
    pub namespace: &'a str,
    pub name: &'a str,
    pub image: &'a str,
    /// `--port`.
    pub port: Option<u16>,
    /// `kubectl run NAME --image=IMG -- ARG...`: the container's `args`.
    pub args: Vec<String>,
    /// The cluster's nodes (name, internal IP, pod CIDR's third octet); the first is the
    /// control plane, whose taint keeps workloads off it when there are workers.
    pub nodes: Vec<(String, String, u32)>,
    /// Seeds the uids, names and addresses (the core has no RNG of its own).
    pub seed: u64,
    /// The revision the first write will get.
    pub first_revision: i64,
    pub now_unix: i64,
}

/// The container name `kubectl create deployment` gives an image: its last path part without
/// tag or digest.
fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last).to_string()
}

/// The container kubectl puts in the template: `Always` pulls for an untagged or `latest`
/// image, as the API server defaults it.
fn container(name: &str, image: &str, port: Option<u16>, args: &[String]) -> Container {
    let mut c = Container::new(name, image, port, None);
    if !args.is_empty() {
        c.value["args"] = json!(args);
    }
    let tag = image
        .rsplit('/')
        .next()
        .and_then(|l| l.split_once(':'))
        .map(|(_, t)| t);
    if !image.contains('@') && matches!(tag, None | Some("latest")) {
        c.value["imagePullPolicy"] = json!("Always");
    }
    c.json = c.value.to_string();
    c
}

/// The objects, in write order, each at its own revision.
pub fn workload(spec: &WorkloadSpec<'_>) -> Vec<SampleObject> {
    let opts = SampleOptions::new(
        spec.seed,
        SampleSize::Small,
        spec.first_revision,
        spec.now_unix,
    );
    let mut g = Gen::new(&opts);
    g.clock = spec.now_unix;
    g.nodes = spec
        .nodes
        .iter()
        .map(|(name, ip, octet)| Node {
            name: name.clone(),
            ip: ip.clone(),
            pod_cidr_octet: *octet,
            uid: String::new(),
        })
        .collect();
    // addresses well above the sample's own pods on each node
    g.next_pod_ip = (0..g.nodes.len())
        .map(|_| 100 + g.rng.gen_range(0..100u32))
        .collect();
    let node = usize::from(g.nodes.len() > 1);
    match spec.kind {
        WorkloadKind::Pod => {
            let c = container(spec.name, spec.image, spec.port, &spec.args);
            let labels = json!({"run": spec.name}).to_string();
            g.pod(
                spec.namespace,
                spec.name,
                node,
                &labels,
                "",
                &c,
                "default",
                false,
                None,
                false,
            );
        }
        WorkloadKind::Deployment { replicas } => {
            let c = container(&container_name(spec.image), spec.image, spec.port, &[]);
            g.replicated_with(spec.namespace, spec.name, replicas, &c, "app", false);
        }
    }
    g.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: WorkloadKind) -> WorkloadSpec<'static> {
        WorkloadSpec {
            kind,
            namespace: "default",
            name: "web",
            image: "nginx",
            port: None,
            args: Vec::new(),
            nodes: vec![
                ("controlplane".into(), "192.168.0.10".into(), 0),
                ("node01".into(), "192.168.0.11".into(), 1),
            ],
            seed: 9,
            first_revision: 500,
            now_unix: 1_704_067_200,
        }
    }

    #[test]
    fn a_pod_runs_on_a_worker_at_the_next_revision() {
        let objs = workload(&spec(WorkloadKind::Pod));
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].key, "/registry/pods/default/web");
        assert_eq!(objs[0].mod_revision, 500);
        let v: serde_json::Value = serde_json::from_slice(&objs[0].value).unwrap();
        assert_eq!(v["metadata"]["labels"]["run"], "web");
        assert_eq!(v["metadata"]["resourceVersion"], "500");
        assert_eq!(v["spec"]["nodeName"], "node01");
        assert_eq!(v["spec"]["containers"][0]["name"], "web");
        assert_eq!(v["spec"]["containers"][0]["imagePullPolicy"], "Always");
        assert_eq!(v["status"]["phase"], "Running");
    }

    #[test]
    fn a_deployment_brings_its_replicaset_and_pods() {
        let mut s = spec(WorkloadKind::Deployment { replicas: 2 });
        s.image = "registry.k8s.io/nginx:1.25";
        let objs = workload(&s);
        let keys: Vec<&str> = objs.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys[0], "/registry/deployments/default/web");
        assert!(keys[1].starts_with("/registry/replicasets/default/web-"));
        assert_eq!(keys.len(), 4);
        assert!(keys[2..]
            .iter()
            .all(|k| k.starts_with(&keys[1].replace("replicasets", "pods"))));
        let revs: Vec<i64> = objs.iter().map(|o| o.mod_revision).collect();
        assert_eq!(revs, [500, 501, 502, 503]);
        let pod: serde_json::Value = serde_json::from_slice(&objs[2].value).unwrap();
        assert_eq!(pod["spec"]["containers"][0]["name"], "nginx");
        assert_eq!(
            pod["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert_eq!(container_name("a/b/c:1@sha256:x"), "c");
    }
}
