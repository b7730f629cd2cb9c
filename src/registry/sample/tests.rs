use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::apiserver::API_SERVICES;
use super::rbac::{CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS};
use super::*;
use crate::registry::resources::parse_key;

const NOW: i64 = 1_795_586_400; // 2026-11-25T06:00:00Z

fn small() -> Sample {
    generate(&SampleOptions::new(7, SampleSize::Small, 2, NOW))
}

fn count(s: &Sample, prefix: &str) -> usize {
    s.objects
        .iter()
        .filter(|o| o.key.starts_with(prefix))
        .count()
}

fn json(o: &SampleObject) -> Value {
    serde_json::from_slice(&o.value).unwrap()
}

#[test]
fn deterministic_per_seed() {
    assert_eq!(small(), small());
    let other = generate(&SampleOptions::new(8, SampleSize::Small, 2, NOW));
    assert_ne!(small().objects, other.objects);
    // Same layout whatever the seed; only names with random suffixes and uids change.
    assert_eq!(small().objects.len(), other.objects.len());
}

#[test]
fn small_is_a_few_hundred_keys_with_unique_keys() {
    let s = small();
    assert!((200..700).contains(&s.objects.len()), "{}", s.objects.len());
    let keys: BTreeSet<&str> = s.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys.len(), s.objects.len(), "duplicate keys");
}

#[test]
fn counts_per_prefix() {
    let s = small();
    assert_eq!(count(&s, "/registry/namespaces/"), 6); // default, kube-system, kube-public, kube-node-lease, kube-flannel, demo
    assert_eq!(count(&s, "/registry/minions/"), 3);
    assert_eq!(count(&s, "/registry/csinodes/"), 3);
    assert_eq!(count(&s, "/registry/leases/kube-node-lease/"), 3);
    assert_eq!(count(&s, "/registry/leases/kube-system/"), 3);
    assert_eq!(
        count(&s, "/registry/apiregistration.k8s.io/apiservices/"),
        API_SERVICES.len() + 1
    );
    // 4 control-plane mirror pods, kube-proxy and flannel on 3 nodes, 2 coredns, 2 nginx,
    // 3 frontend, 2 redis.
    assert_eq!(count(&s, "/registry/pods/"), 4 + 3 + 3 + 2 + 2 + 3 + 2);
    assert_eq!(count(&s, "/registry/pods/kube-system/"), 4 + 3 + 2);
    assert_eq!(count(&s, "/registry/deployments/"), 3);
    assert_eq!(count(&s, "/registry/replicasets/"), 3);
    assert_eq!(count(&s, "/registry/daemonsets/"), 2);
    assert_eq!(count(&s, "/registry/statefulsets/"), 1);
    assert_eq!(count(&s, "/registry/controllerrevisions/"), 3);
    // kubernetes, kube-dns, nginx, frontend, redis: a spec, an Endpoints and a slice each.
    assert_eq!(count(&s, "/registry/services/specs/"), 5);
    assert_eq!(count(&s, "/registry/services/endpoints/"), 5);
    assert_eq!(count(&s, "/registry/endpointslices/"), 5);
    assert_eq!(count(&s, "/registry/priorityclasses/"), 2);
    assert_eq!(count(&s, "/registry/flowschemas/"), 13);
    assert_eq!(count(&s, "/registry/prioritylevelconfigurations/"), 8);
    assert_eq!(count(&s, "/registry/ranges/"), 2);
    assert_eq!(count(&s, "/registry/storageclasses/"), 1);
    assert_eq!(count(&s, "/registry/clusterroles/"), CLUSTER_ROLES.len());
    assert_eq!(
        count(&s, "/registry/clusterrolebindings/"),
        CLUSTER_ROLE_BINDINGS.len()
    );
    // One kube-root-ca.crt per namespace.
    assert_eq!(
        s.objects
            .iter()
            .filter(|o| o.key.ends_with("/kube-root-ca.crt"))
            .count(),
        6
    );
    // Events for the freshly rolled-out app pods (nginx, frontend, redis): 4 each.
    assert_eq!(count(&s, "/registry/events/"), 4 * (2 + 3 + 2));
    for prefix in [
        "/registry/secrets/",
        "/registry/serviceaccounts/",
        "/registry/configmaps/",
        "/registry/roles/",
        "/registry/rolebindings/",
        "/registry/apiextensions.k8s.io/",
    ] {
        assert!(count(&s, prefix) > 0, "{prefix}");
    }
}

#[test]
fn every_key_parses_and_every_value_is_a_kubernetes_object() {
    let s = small();
    for o in &s.objects {
        let v = json(o);
        let parts = parse_key(&o.key).unwrap_or_else(|| panic!("unparsed key {}", o.key));
        assert_eq!(v["kind"], parts.resource.kind, "{}", o.key);
        assert_eq!(v["apiVersion"], parts.resource.api_version, "{}", o.key);
        assert!(v["metadata"].is_object(), "{}", o.key);
        assert!(v["metadata"]["creationTimestamp"].is_string(), "{}", o.key);
        if parts.resource.kind != "RangeAllocation" {
            assert_eq!(v["metadata"]["name"], parts.name, "{}", o.key);
            assert_eq!(
                v["metadata"]["namespace"].as_str(),
                parts.namespace,
                "{}",
                o.key
            );
            assert_eq!(
                v["metadata"]["uid"].as_str().map(str::len),
                Some(36),
                "{}",
                o.key
            );
        }
        let created = crate::registry::k8stime::parse_rfc3339(
            v["metadata"]["creationTimestamp"].as_str().unwrap(),
        )
        .unwrap();
        assert!(created <= NOW, "{}", o.key);
    }
}

#[test]
fn resource_version_is_the_mod_revision_of_one_put_each() {
    let s = small();
    for (i, o) in s.objects.iter().enumerate() {
        assert_eq!(o.mod_revision, 2 + i as i64);
        assert_eq!(
            json(o)["metadata"]["resourceVersion"],
            o.mod_revision.to_string(),
            "{}",
            o.key
        );
    }
    assert_eq!(s.last_revision(), 1 + s.objects.len() as i64);
    // Replaying the requests against a counter of revisions gives the same numbers.
    let mut rev = 1i64;
    for (r, o) in load_requests(&s).iter().zip(&s.objects) {
        rev += 1;
        let Request::Put(p) = r else {
            panic!("not a put")
        };
        assert_eq!(p.key, o.key.as_bytes());
        let v: Value = serde_json::from_slice(&p.value).unwrap();
        assert_eq!(v["metadata"]["resourceVersion"], rev.to_string());
    }
}

#[test]
fn txn_batches_share_their_revision() {
    let mut opts = SampleOptions::new(7, SampleSize::Small, 10, NOW);
    opts.objects_per_txn = 50;
    let s = generate(&opts);
    let reqs = load_requests(&s);
    assert_eq!(reqs.len(), s.objects.len().div_ceil(50));
    let mut i = 0;
    for (n, r) in reqs.iter().enumerate() {
        let Request::Txn(t) = r else {
            panic!("not a txn")
        };
        assert!(t.success.len() <= 50 && t.compare.is_empty());
        for op in &t.success {
            let RequestOp::Put(p) = op else { panic!() };
            let v: Value = serde_json::from_slice(&p.value).unwrap();
            assert_eq!(
                v["metadata"]["resourceVersion"],
                (10 + n as i64).to_string()
            );
            assert_eq!(s.objects[i].mod_revision, 10 + n as i64);
            i += 1;
        }
    }
    assert_eq!(i, s.objects.len());
}

/// Every owner reference points at an object of that kind and name (in the same namespace for
/// namespaced owners) whose uid is the one referenced.
fn check_owners(s: &Sample, every: usize) -> usize {
    let mut by_kind_name: BTreeMap<(String, Option<String>, String), String> = BTreeMap::new();
    // Pods and events own nothing.
    let owners_only = |o: &&SampleObject| {
        !o.key.starts_with("/registry/pods/") && !o.key.starts_with("/registry/events/")
    };
    for o in s.objects.iter().filter(owners_only) {
        let v = json(o);
        let m = &v["metadata"];
        if let (Some(k), Some(n), Some(u)) =
            (v["kind"].as_str(), m["name"].as_str(), m["uid"].as_str())
        {
            by_kind_name.insert(
                (k.into(), m["namespace"].as_str().map(Into::into), n.into()),
                u.into(),
            );
        }
    }
    let mut refs = 0;
    for o in s.objects.iter().step_by(every) {
        let v = json(o);
        let Some(owners) = v["metadata"]["ownerReferences"].as_array() else {
            continue;
        };
        for r in owners {
            let kind = r["kind"].as_str().unwrap();
            let namespaced = crate::registry::resources::by_kind(kind)
                .unwrap()
                .namespaced;
            let ns = if namespaced {
                v["metadata"]["namespace"].as_str().map(String::from)
            } else {
                None
            };
            let key = (
                kind.to_string(),
                ns,
                r["name"].as_str().unwrap().to_string(),
            );
            assert_eq!(
                by_kind_name.get(&key).map(String::as_str),
                r["uid"].as_str(),
                "{} -> {:?}",
                o.key,
                key
            );
            refs += 1;
        }
    }
    refs
}

#[test]
fn owner_references_resolve() {
    let s = small();
    assert!(check_owners(&s, 1) > 20);
    // The Deployment → ReplicaSet → Pod chain of nginx.
    let pod = s
        .objects
        .iter()
        .find(|o| o.key.starts_with("/registry/pods/default/nginx-"))
        .unwrap();
    let pv = json(pod);
    assert_eq!(pv["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
    let rs_name = pv["metadata"]["ownerReferences"][0]["name"]
        .as_str()
        .unwrap();
    let rs = s
        .objects
        .iter()
        .find(|o| o.key == format!("/registry/replicasets/default/{rs_name}"))
        .unwrap();
    assert_eq!(
        json(rs)["metadata"]["ownerReferences"][0]["kind"],
        "Deployment"
    );
    assert_eq!(json(rs)["metadata"]["ownerReferences"][0]["name"], "nginx");
    // Mirror pods belong to their node; StatefulSet pods to the StatefulSet.
    let etcd = s
        .objects
        .iter()
        .find(|o| o.key == "/registry/pods/kube-system/etcd-controlplane")
        .unwrap();
    assert_eq!(json(etcd)["metadata"]["ownerReferences"][0]["kind"], "Node");
    let redis = s
        .objects
        .iter()
        .find(|o| o.key == "/registry/pods/demo/redis-0")
        .unwrap();
    assert_eq!(
        json(redis)["metadata"]["ownerReferences"][0]["kind"],
        "StatefulSet"
    );
}

/// `etcdctl get /registry --prefix --keys-only` on the sample has the shape of the seed listing
/// in the k8s-registry conformance transcript: every key of the seed that names a real object
/// of a kubeadm cluster is in the sample, and every resource folder of the seed is present.
#[test]
fn listing_has_the_shape_of_the_seed_listing() {
    let s = small();
    let keys: BTreeSet<&str> = s.objects.iter().map(|o| o.key.as_str()).collect();
    for k in [
        "/registry/apiregistration.k8s.io/apiservices/v1.",
        "/registry/apiregistration.k8s.io/apiservices/v1.apps",
        "/registry/apiregistration.k8s.io/apiservices/v1.batch",
        "/registry/clusterrolebindings/cluster-admin",
        "/registry/clusterroles/admin",
        "/registry/clusterroles/cluster-admin",
        "/registry/clusterroles/system:coredns",
        "/registry/configmaps/default/kube-root-ca.crt",
        "/registry/configmaps/kube-system/coredns",
        "/registry/configmaps/kube-system/kubeadm-config",
        "/registry/deployments/default/nginx",
        "/registry/deployments/kube-system/coredns",
        "/registry/leases/kube-system/kube-controller-manager",
        "/registry/namespaces/default",
        "/registry/namespaces/kube-node-lease",
        "/registry/namespaces/kube-public",
        "/registry/namespaces/kube-system",
        "/registry/pods/kube-system/etcd-controlplane",
        "/registry/pods/kube-system/kube-apiserver-controlplane",
        "/registry/priorityclasses/system-node-critical",
        "/registry/ranges/serviceips",
        "/registry/rolebindings/kube-system/kubeadm:nodes-kubeadm-config",
        "/registry/roles/kube-system/kubeadm:nodes-kubeadm-config",
        "/registry/serviceaccounts/default/default",
        "/registry/serviceaccounts/kube-system/coredns",
        "/registry/services/endpoints/default/kubernetes",
        "/registry/services/endpoints/kube-system/kube-dns",
        "/registry/services/specs/default/kubernetes",
        "/registry/services/specs/kube-system/kube-dns",
    ] {
        assert!(keys.contains(k), "missing {k}");
    }
    // Keys with random suffixes in the seed have the same form here.
    assert!(keys
        .iter()
        .any(|k| k.starts_with("/registry/pods/kube-system/coredns-")));
    assert!(keys
        .iter()
        .any(|k| k.starts_with("/registry/replicasets/default/nginx-")));
    assert!(keys
        .iter()
        .any(|k| k.starts_with("/registry/secrets/kube-system/bootstrap-token-")));
    assert!(keys
        .iter()
        .any(|k| k.starts_with("/registry/leases/kube-node-lease/node")));
    // The seed's first key in byte order is also the sample's first.
    assert_eq!(keys.iter().next().copied(), Some("/registry/apiextensions.k8s.io/customresourcedefinitions/volumesnapshotclasses.snapshot.storage.k8s.io"));
    assert_eq!(
        keys.iter()
            .find(|k| k.starts_with("/registry/apiregistration"))
            .copied(),
        Some("/registry/apiregistration.k8s.io/apiservices/v1.")
    );
}

#[test]
fn pod_status_is_coherent() {
    let s = small();
    for o in s
        .objects
        .iter()
        .filter(|o| o.key.starts_with("/registry/pods/"))
    {
        let v = json(o);
        assert_eq!(v["status"]["phase"], "Running", "{}", o.key);
        assert!(v["spec"]["nodeName"].is_string(), "{}", o.key);
        assert!(v["status"]["podIP"].is_string(), "{}", o.key);
        assert_eq!(v["status"]["containerStatuses"][0]["ready"], true);
    }
}

#[test]
fn large_is_about_a_hundred_thousand_keys() {
    let s = generate(&SampleOptions::new(1, SampleSize::Large, 2, NOW));
    let n = s.objects.len();
    assert!((95_000..=105_000).contains(&n), "{n}");
    let pods = count(&s, "/registry/pods/");
    let events = count(&s, "/registry/events/");
    let slices = count(&s, "/registry/endpointslices/");
    assert!(
        pods + events + slices > n * 9 / 10,
        "{pods} {events} {slices} of {n}"
    );
    assert_eq!(count(&s, "/registry/minions/"), 41);
    assert!(count(&s, "/registry/namespaces/") > 100);
    for (i, o) in s.objects.iter().enumerate().step_by(997) {
        assert_eq!(o.mod_revision, 2 + i as i64);
        assert_eq!(
            json(o)["metadata"]["resourceVersion"],
            o.mod_revision.to_string()
        );
    }
    let keys: BTreeSet<&str> = s.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys.len(), n, "duplicate keys");
    assert!(check_owners(&s, 7) > 2_000);
    // Some pods are not healthy, as in any large cluster.
    assert!(s
        .objects
        .iter()
        .any(|o| o.key.starts_with("/registry/pods/") && json(o)["status"]["phase"] == "Pending"));
}
