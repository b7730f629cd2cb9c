//! The table of Kubernetes resource types as kube-apiserver lays them out under `/registry`.
//!
//! Owns: the mapping between an etcd key prefix (`/registry/pods/`, `/registry/services/specs/`,
//! `/registry/apiregistration.k8s.io/apiservices/`, ...) and the resource it holds: its kind,
//! apiVersion, whether it is namespaced and whether kube-apiserver stores it as protobuf.
//! Must not touch: the store, the world, the UI. Pure data and lookups.
//!
//! Layout rule (kube-apiserver's `registry.NamespaceKeyFunc` / `NoNamespaceKeyFunc`): a
//! namespaced object lives at `/registry/<resource>/<namespace>/<name>`, a cluster-scoped one at
//! `/registry/<resource>/<name>`. Built-in resources use their plural name alone (the group is
//! not part of the key: `deployments`, `clusterroles`, `leases`), with three historical
//! exceptions: Nodes are `minions`, Services are `services/specs` and Endpoints are
//! `services/endpoints`. Aggregated and custom resources put their API group first
//! (`apiregistration.k8s.io/apiservices`, `snapshot.storage.k8s.io/volumesnapshotclasses`).

/// One resource type and where it is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceType {
    /// The part of the key between `/registry/` and the namespace or name.
    pub prefix: &'static str,
    /// The plural name kubectl uses (`pods`, `services`, `nodes`).
    pub plural: &'static str,
    pub kind: &'static str,
    pub api_version: &'static str,
    pub namespaced: bool,
    /// Built-in types are stored as the `k8s\0` protobuf envelope by a default kube-apiserver;
    /// custom resources (CRDs) are always JSON.
    pub builtin: bool,
}

const fn rt(
    prefix: &'static str,
    plural: &'static str,
    kind: &'static str,
    api_version: &'static str,
    namespaced: bool,
    builtin: bool,
) -> ResourceType {
    ResourceType { prefix, plural, kind, api_version, namespaced, builtin }
}

/// Every resource type the sample writes, and the common ones a user may put by hand.
/// Longer prefixes first where one prefix extends another (`services/specs` before nothing).
pub const RESOURCE_TYPES: &[ResourceType] = &[
    rt("apiregistration.k8s.io/apiservices", "apiservices", "APIService", "apiregistration.k8s.io/v1", false, true),
    rt("apiextensions.k8s.io/customresourcedefinitions", "customresourcedefinitions", "CustomResourceDefinition", "apiextensions.k8s.io/v1", false, true),
    rt("snapshot.storage.k8s.io/volumesnapshotclasses", "volumesnapshotclasses", "VolumeSnapshotClass", "snapshot.storage.k8s.io/v1", false, false),
    rt("services/specs", "services", "Service", "v1", true, true),
    rt("services/endpoints", "endpoints", "Endpoints", "v1", true, true),
    rt("ranges/serviceips", "rangeallocations", "RangeAllocation", "v1", false, true),
    rt("ranges/servicenodeports", "rangeallocations", "RangeAllocation", "v1", false, true),
    rt("namespaces", "namespaces", "Namespace", "v1", false, true),
    rt("minions", "nodes", "Node", "v1", false, true),
    rt("pods", "pods", "Pod", "v1", true, true),
    rt("configmaps", "configmaps", "ConfigMap", "v1", true, true),
    rt("secrets", "secrets", "Secret", "v1", true, true),
    rt("serviceaccounts", "serviceaccounts", "ServiceAccount", "v1", true, true),
    rt("events", "events", "Event", "v1", true, true),
    rt("persistentvolumes", "persistentvolumes", "PersistentVolume", "v1", false, true),
    rt("persistentvolumeclaims", "persistentvolumeclaims", "PersistentVolumeClaim", "v1", true, true),
    rt("controllers", "replicationcontrollers", "ReplicationController", "v1", true, true),
    rt("deployments", "deployments", "Deployment", "apps/v1", true, true),
    rt("replicasets", "replicasets", "ReplicaSet", "apps/v1", true, true),
    rt("daemonsets", "daemonsets", "DaemonSet", "apps/v1", true, true),
    rt("statefulsets", "statefulsets", "StatefulSet", "apps/v1", true, true),
    rt("controllerrevisions", "controllerrevisions", "ControllerRevision", "apps/v1", true, true),
    rt("jobs", "jobs", "Job", "batch/v1", true, true),
    rt("cronjobs", "cronjobs", "CronJob", "batch/v1", true, true),
    rt("endpointslices", "endpointslices", "EndpointSlice", "discovery.k8s.io/v1", true, true),
    rt("roles", "roles", "Role", "rbac.authorization.k8s.io/v1", true, true),
    rt("rolebindings", "rolebindings", "RoleBinding", "rbac.authorization.k8s.io/v1", true, true),
    rt("clusterroles", "clusterroles", "ClusterRole", "rbac.authorization.k8s.io/v1", false, true),
    rt("clusterrolebindings", "clusterrolebindings", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", false, true),
    rt("leases", "leases", "Lease", "coordination.k8s.io/v1", true, true),
    rt("priorityclasses", "priorityclasses", "PriorityClass", "scheduling.k8s.io/v1", false, true),
    rt("storageclasses", "storageclasses", "StorageClass", "storage.k8s.io/v1", false, true),
    rt("csinodes", "csinodes", "CSINode", "storage.k8s.io/v1", false, true),
    rt("flowschemas", "flowschemas", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", false, true),
    rt("prioritylevelconfigurations", "prioritylevelconfigurations", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", false, true),
    rt("ingress", "ingresses", "Ingress", "networking.k8s.io/v1", true, true),
    rt("networkpolicies", "networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", true, true),
    rt("poddisruptionbudgets", "poddisruptionbudgets", "PodDisruptionBudget", "policy/v1", true, true),
    rt("horizontalpodautoscalers", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "autoscaling/v2", true, true),
    rt("validatingwebhookconfigurations", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", false, true),
    rt("mutatingwebhookconfigurations", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", false, true),
];

/// The root every Kubernetes key lives under.
pub const REGISTRY_ROOT: &str = "/registry/";

/// Where a key sits in the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyParts<'a> {
    pub resource: &'static ResourceType,
    pub namespace: Option<&'a str>,
    pub name: &'a str,
}

/// Splits a `/registry/...` key into its resource type, namespace and name.
/// `None` for keys outside `/registry/`, of an unknown resource, or of the wrong shape.
pub fn parse_key(key: &str) -> Option<KeyParts<'_>> {
    let rest = key.strip_prefix(REGISTRY_ROOT)?;
    for r in RESOURCE_TYPES {
        // Singleton objects (`ranges/serviceips`) are the whole prefix.
        if r.prefix.starts_with("ranges/") {
            if rest == r.prefix {
                let name = r.prefix.rsplit('/').next().unwrap_or(r.prefix);
                return Some(KeyParts { resource: r, namespace: None, name });
            }
            continue;
        }
        let Some(tail) = rest.strip_prefix(r.prefix).and_then(|t| t.strip_prefix('/')) else {
            continue;
        };
        if r.namespaced {
            let (ns, name) = tail.split_once('/')?;
            if ns.is_empty() || name.is_empty() || name.contains('/') {
                return None;
            }
            return Some(KeyParts { resource: r, namespace: Some(ns), name });
        }
        if tail.is_empty() || tail.contains('/') {
            return None;
        }
        return Some(KeyParts { resource: r, namespace: None, name: tail });
    }
    None
}

/// The resource type of a kind (`Pod`, `Deployment`), the first entry that has it.
pub fn by_kind(kind: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES.iter().find(|r| r.kind == kind)
}

/// The resource type kubectl means by a name on its command line: plural, singular, kind
/// or short name (`po`, `svc`, `deploy`, `ns`, `no`, `cm`, `sa`, `rs`, `ds`, `sts`, `ep`).
pub fn by_kubectl_name(name: &str) -> Option<&'static ResourceType> {
    let lower = name.to_ascii_lowercase();
    let short = match lower.as_str() {
        "po" => "pods",
        "svc" => "services",
        "deploy" => "deployments",
        "ns" => "namespaces",
        "no" => "nodes",
        "cm" => "configmaps",
        "sa" => "serviceaccounts",
        "rs" => "replicasets",
        "ds" => "daemonsets",
        "sts" => "statefulsets",
        "ep" => "endpoints",
        "ev" => "events",
        "pc" => "priorityclasses",
        "sc" => "storageclasses",
        "pv" => "persistentvolumes",
        "pvc" => "persistentvolumeclaims",
        "ing" => "ingresses",
        "netpol" => "networkpolicies",
        "pdb" => "poddisruptionbudgets",
        "hpa" => "horizontalpodautoscalers",
        "cj" => "cronjobs",
        "crd" | "crds" => "customresourcedefinitions",
        other => other,
    };
    RESOURCE_TYPES.iter().find(|r| {
        r.plural == short
            || r.kind.eq_ignore_ascii_case(short)
            || r.plural.strip_suffix('s') == Some(short)
            || r.plural.strip_suffix("es") == Some(short)
    })
    .filter(|r| r.plural != "rangeallocations")
}

/// The key of one object: `/registry/<prefix>/<namespace>/<name>` or `/registry/<prefix>/<name>`.
pub fn object_key(r: &ResourceType, namespace: Option<&str>, name: &str) -> String {
    match (r.namespaced, namespace) {
        (true, Some(ns)) => format!("{REGISTRY_ROOT}{}/{ns}/{name}", r.prefix),
        _ => format!("{REGISTRY_ROOT}{}/{name}", r.prefix),
    }
}

/// The prefix of all objects of a type (in one namespace if given), ending in `/`.
pub fn list_prefix(r: &ResourceType, namespace: Option<&str>) -> String {
    match (r.namespaced, namespace) {
        (true, Some(ns)) => format!("{REGISTRY_ROOT}{}/{ns}/", r.prefix),
        _ => format!("{REGISTRY_ROOT}{}/", r.prefix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_namespaced_cluster_scoped_and_grouped_keys() {
        let p = parse_key("/registry/pods/kube-system/etcd-controlplane").unwrap();
        assert_eq!((p.resource.kind, p.namespace, p.name), ("Pod", Some("kube-system"), "etcd-controlplane"));
        let p = parse_key("/registry/services/specs/default/kubernetes").unwrap();
        assert_eq!((p.resource.kind, p.namespace, p.name), ("Service", Some("default"), "kubernetes"));
        let p = parse_key("/registry/services/endpoints/default/kubernetes").unwrap();
        assert_eq!(p.resource.kind, "Endpoints");
        let p = parse_key("/registry/minions/node01").unwrap();
        assert_eq!((p.resource.kind, p.namespace, p.name), ("Node", None, "node01"));
        let p = parse_key("/registry/apiregistration.k8s.io/apiservices/v1.").unwrap();
        assert_eq!((p.resource.kind, p.name), ("APIService", "v1."));
        let p = parse_key("/registry/ranges/serviceips").unwrap();
        assert_eq!((p.resource.kind, p.name), ("RangeAllocation", "serviceips"));
        let p = parse_key("/registry/clusterroles/system:coredns").unwrap();
        assert_eq!(p.name, "system:coredns");
    }

    #[test]
    fn rejects_keys_of_the_wrong_shape() {
        assert_eq!(parse_key("/registry/pods/default"), None);
        assert_eq!(parse_key("/registry/pods/default/a/b"), None);
        assert_eq!(parse_key("/registry/minions/"), None);
        assert_eq!(parse_key("/other/pods/default/x"), None);
        assert_eq!(parse_key("/registry/unknownthings/x"), None);
        assert_eq!(parse_key(""), None);
    }

    #[test]
    fn kubectl_names() {
        for (n, k) in [("po", "Pod"), ("pods", "Pod"), ("pod", "Pod"), ("svc", "Service"), ("services", "Service"),
            ("service", "Service"), ("nodes", "Node"), ("node", "Node"), ("ns", "Namespace"), ("deploy", "Deployment"),
            ("deployment", "Deployment"), ("secrets", "Secret"), ("secret", "Secret"), ("endpoints", "Endpoints"),
            ("Pod", "Pod"), ("ingresses", "Ingress"), ("ingress", "Ingress")] {
            assert_eq!(by_kubectl_name(n).map(|r| r.kind), Some(k), "{n}");
        }
        assert_eq!(by_kubectl_name("bogus"), None);
    }

    #[test]
    fn keys_round_trip() {
        let pods = by_kind("Pod").unwrap();
        assert_eq!(object_key(pods, Some("default"), "x"), "/registry/pods/default/x");
        assert_eq!(list_prefix(pods, None), "/registry/pods/");
        let nodes = by_kind("Node").unwrap();
        assert_eq!(object_key(nodes, Some("ignored"), "n1"), "/registry/minions/n1");
    }
}
