//! RBAC of the sample: kubeadm's and the controllers' cluster roles and bindings, the roles of
//! `kube-system`, and its service accounts.

use serde_json::json;

use super::generator::*;

impl Gen {
    pub(super) fn cluster_rbac(&mut self) {
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

    pub(super) fn kube_system_rbac(&mut self) {
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

    pub(super) fn service_accounts_kube_system(&mut self) {
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
}

pub(super) const CLUSTER_ROLES: &[&str] = &[
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

pub(super) const CLUSTER_ROLE_BINDINGS: &[&str] = &[
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
pub(super) const KUBE_SYSTEM_ROLES: &[(&str, &str)] = &[
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

pub(super) const KUBE_SYSTEM_SERVICE_ACCOUNTS: &[&str] = &[
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
