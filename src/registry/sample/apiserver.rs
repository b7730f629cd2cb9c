//! What kube-apiserver writes for itself at bootstrap: priority classes, API priority and
//! fairness (flow schemas and priority level configurations), and the APIServices of the
//! aggregation layer.

use serde_json::json;

use super::generator::*;

impl Gen {
    pub(super) fn priority_classes(&mut self) {
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

    pub(super) fn flow_control(&mut self) {
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
    pub(super) fn api_services(&mut self) {
        for (group, version, gpm, vp) in API_SERVICES {
            self.api_service(group, version, *gpm, *vp, false);
        }
    }

    pub(super) fn api_service(&mut self, group: &str, version: &str, gpm: i64, vp: i64, crd: bool) {
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
}

/// `(group, version, groupPriorityMinimum, versionPriority)` of the built-in APIServices of
/// Kubernetes 1.29 (kube-aggregator's `apiVersionPriorities`).
pub(super) const API_SERVICES: &[(&str, &str, i64, i64)] = &[
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
