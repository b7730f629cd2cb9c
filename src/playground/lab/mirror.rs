//! Mirror pods: kubelet reports each static pod to the API server as a pod object named
//! `NAME-NODE` in its namespace. Here kubelet keeps the stored objects in `/registry` in step
//! with the manifests: after etcd starts, each static pod's containers get the command and
//! image their manifest now says (so `kubectl describe pod etcd-controlplane -n kube-system`
//! shows the flags kubelet started etcd with), and a mirror pod deleted with kubectl comes
//! back.
//!
//! Owns: writing mirror pod objects. Must not touch: the objects' format beyond `spec.containers`
//! and `metadata` (the registry sample writes them), kubelet's decisions.

use std::time::Duration;

use serde_json::Value;

use super::super::Playground;
use crate::api::{PutRequest, RangeRequest, Request, Response};
use crate::node::fs::Components;
use crate::node::manifest::parse_pod;
use crate::sim::World;

const EP: &str = "127.0.0.1:2379";
const TIMEOUT: Duration = Duration::from_secs(2);

fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A stored object's bytes.
pub fn registry_get(world: &mut World, key: &str) -> Option<Vec<u8>> {
    {
        let req = Request::Range(RangeRequest {
            key: key.as_bytes().to_vec(),
            ..Default::default()
        });
        match world.call(EP, None, req, TIMEOUT) {
            Ok(Response::Range(r)) => r.kvs.into_iter().next().map(|kv| kv.value),
            _ => None,
        }
    }
}

fn registry_put(world: &mut World, key: &str, value: Vec<u8>) {
    {
        let req = Request::Put(PutRequest {
            key: key.as_bytes().to_vec(),
            value,
            ..Default::default()
        });
        let _ = world.call(EP, None, req, TIMEOUT);
    }
}

impl Playground {
    /// Brings the stored mirror pods' containers in step with the manifests (only pods the
    /// registry already holds; a new cluster has none).
    pub(crate) fn sync_mirror_pods(&mut self) {
        let Some(node) = self.node.as_ref() else {
            return;
        };
        if node.etcd.is_none() {
            return;
        }
        let dir = node.kubelet.manifest_dir.clone();
        let host = node.kubelet.node.clone();
        let mut pods = Vec::new();
        for (name, st) in node.fs.list(&comps(&dir)).unwrap_or_default() {
            if st.is_dir || name.starts_with('.') {
                continue;
            }
            let path = format!("{dir}/{name}");
            let Ok(data) = node.fs.read(&comps(&path)) else {
                continue;
            };
            if let Ok(pod) = parse_pod(&path, data) {
                pods.push(pod);
            }
        }
        for pod in pods {
            let key = format!("/registry/pods/{}/{}", pod.namespace, pod.full_name(&host));
            let Some(old) = registry_get(&mut self.world, &key) else {
                continue;
            };
            let Ok(mut v) = serde_json::from_slice::<Value>(&old) else {
                continue;
            };
            let mut changed = false;
            if let Some(list) = v["spec"]["containers"].as_array_mut() {
                for c in list.iter_mut() {
                    let Some(m) = pod
                        .containers
                        .iter()
                        .find(|m| c["name"].as_str() == Some(m.name.as_str()))
                    else {
                        continue;
                    };
                    let cmd = Value::from(m.argv.clone());
                    let image = Value::from(m.image.clone());
                    if c["command"] != cmd || c["image"] != image {
                        c["command"] = cmd;
                        c["image"] = image;
                        changed = true;
                    }
                }
            }
            if changed {
                if let Ok(bytes) = serde_json::to_vec(&v) {
                    registry_put(&mut self.world, &key, bytes);
                }
            }
        }
    }
}

/// kubelet recreates a mirror pod that was deleted: the object as it was, with a new UID and
/// creation time.
pub fn recreate_mirror_pod(world: &mut World, key: &str, old: &[u8]) {
    {
        let Ok(mut v) = serde_json::from_slice::<Value>(old) else {
            return;
        };
        let secs = world.unix_nanos() / 1_000_000_000;
        let ts = crate::registry::k8stime::rfc3339(secs);
        let uid = format!("{:032x}", secs as u128 * 0x9e37_79b9_7f4a_7c15);
        let uid = format!(
            "{}-{}-{}-{}-{}",
            &uid[0..8],
            &uid[8..12],
            &uid[12..16],
            &uid[16..20],
            &uid[20..32]
        );
        v["metadata"]["creationTimestamp"] = Value::from(ts);
        v["metadata"]["uid"] = Value::from(uid);
        if let Ok(bytes) = serde_json::to_vec(&v) {
            registry_put(world, key, bytes);
        }
    }
}
