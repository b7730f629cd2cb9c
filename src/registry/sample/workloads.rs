//! Workloads of the sample: the control plane's static pods, DaemonSets (kube-proxy, flannel),
//! Deployments with their ReplicaSets (CoreDNS, the applications), and a StatefulSet (redis),
//! each with the pods and controller revisions it owns.

use rand::Rng;
use serde_json::{json, Value};

use super::generator::*;
use crate::registry::k8stime::rfc3339;

impl Gen {
    pub(super) fn control_plane_pods(&mut self) {
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
    pub(super) fn daemonset(
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

    pub(super) fn kube_proxy(&mut self) {
        self.daemonset(
            "kube-system",
            "kube-proxy",
            "k8s-app",
            "registry.k8s.io/kube-proxy:v1.29.0",
            "kube-proxy",
            true,
        );
    }

    pub(super) fn flannel(&mut self) {
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

    pub(super) fn coredns(&mut self) {
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
    pub(super) fn deployment_with_service(
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
    pub(super) fn replicated(
        &mut self,
        ns: &str,
        name: &str,
        replicas: usize,
        image: &str,
        port: u16,
        label_key: &str,
        events: bool,
    ) -> Vec<PodRef> {
        let c = Container::new(name, image, Some(port), None);
        self.replicated_with(ns, name, replicas, &c, label_key, events)
    }

    /// [`replicated`](Self::replicated) with the pods' container given.
    pub(super) fn replicated_with(
        &mut self,
        ns: &str,
        name: &str,
        replicas: usize,
        c: &Container,
        label_key: &str,
        events: bool,
    ) -> Vec<PodRef> {
        let sel = json!({label_key: name});
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
                c,
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
    pub(super) fn patch_status(&mut self, index: usize, status: Value) {
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

    pub(super) fn redis_statefulset(&mut self, ns: &str) {
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
}
