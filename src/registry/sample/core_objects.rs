//! Core cluster-scoped objects of the sample: namespaces, nodes (with their node leases and
//! CSINodes), and the service IP and node port range allocations.

use rand::Rng;
use serde_json::json;

use super::generator::*;
use crate::registry::k8stime::rfc3339;

impl Gen {
    pub(super) fn namespace(&mut self, ns: &str) {
        let (m, uid) = self.meta(None, ns, json!({"kubernetes.io/metadata.name": ns}));
        self.namespace_uids.push((ns.to_string(), uid));
        self.put(
            "Namespace",
            json!({"metadata": m, "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}}),
        );
    }

    pub(super) fn nodes(&mut self, workers: usize) {
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

    /// The allocator bitmaps: one bit per service IP (from 10.96.0.1) and per node port (from
    /// 30000), stored as a big-endian big integer, as kube-apiserver's allocator does.
    pub(super) fn ranges(&mut self) {
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
}
