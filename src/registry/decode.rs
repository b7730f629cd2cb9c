//! What a `/registry` key and its value are: resource type, namespace, name, kind, owners and
//! related objects (resolved to the keys they point to), and how Kubernetes stores the bytes.
//!
//! Owns: [`decode`] (the key detail view's model), [`StorageFormat`] detection (`k8s\0`
//! protobuf envelope, JSON, `k8s:enc:` encryption at rest) with a sentence explaining each,
//! [`protobuf_view`] (the protobuf bytes a default kube-apiserver would write for an object,
//! annotated) and [`encrypted_view`] (what the same value looks like encrypted at rest).
//! Must not touch: the store, the world, the UI.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::protobuf::{encode_object, read_envelope, Encoded, Envelope, MAGIC};
use super::resources::{by_kind, object_key, parse_key, ResourceType};

/// The prefix kube-apiserver writes before a value encrypted at rest, up to the key name.
pub const ENCRYPTED_PREFIX: &str = "k8s:enc:";

/// How a value's bytes are encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageFormat {
    /// `k8s\0` + protobuf `runtime.Unknown`.
    Protobuf(Envelope),
    /// A JSON object.
    Json,
    /// `k8s:enc:<provider>:v1:<key name>:` + ciphertext.
    Encrypted { provider: String, key_name: String },
    /// Anything else (a value a user put by hand).
    Other,
}

impl StorageFormat {
    /// One sentence for the key detail view.
    pub fn explain(&self) -> String {
        match self {
            StorageFormat::Protobuf(e) => format!(
                "Protobuf, as kube-apiserver stores built-in types by default: the 4-byte magic \"k8s\\0\", then a \
                 runtime.Unknown message whose typeMeta names {} {} and whose raw field holds the object's own protobuf \
                 encoding ({} bytes).",
                if e.api_version.is_empty() { "?" } else { &e.api_version },
                if e.kind.is_empty() { "?" } else { &e.kind },
                e.raw_len
            ),
            StorageFormat::Json => "JSON, as kube-apiserver stores custom resources (and every type when run with \
                 --storage-media-type=application/json, as this sample is, so that etcdctl shows readable values)."
                .to_string(),
            StorageFormat::Encrypted { provider, key_name } => format!(
                "Encrypted at rest: kube-apiserver wrote \"k8s:enc:{provider}:v1:{key_name}:\" and then the ciphertext of \
                 the object, so etcd (and anyone reading its disk or backups) sees only these bytes; only an apiserver \
                 holding key \"{key_name}\" of its EncryptionConfiguration can read them."
            ),
            StorageFormat::Other => "Not a Kubernetes encoding: neither the k8s\\0 protobuf envelope, nor JSON, nor an \
                 encrypted k8s:enc: value."
                .to_string(),
        }
    }
}

/// Detects the encoding of a value.
pub fn storage_format(value: &[u8]) -> StorageFormat {
    if value.starts_with(MAGIC) {
        if let Some(env) = read_envelope(value) {
            return StorageFormat::Protobuf(env);
        }
        return StorageFormat::Other;
    }
    if let Some(rest) = value.strip_prefix(ENCRYPTED_PREFIX.as_bytes()) {
        // <provider>:v1:<key name>:<ciphertext>
        let mut parts = rest.splitn(4, |b| *b == b':');
        let provider = parts.next().map(|p| String::from_utf8_lossy(p).into_owned()).unwrap_or_default();
        let _version = parts.next();
        let key_name = parts.next().map(|p| String::from_utf8_lossy(p).into_owned()).unwrap_or_default();
        return StorageFormat::Encrypted { provider, key_name };
    }
    if value.first() == Some(&b'{') && serde_json::from_slice::<Value>(value).is_ok_and(|v| v.is_object()) {
        return StorageFormat::Json;
    }
    StorageFormat::Other
}

/// A link from one object to another key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `owner`, `node`, `serviceAccount`, `involvedObject`, `service`, `endpoint`...
    pub relation: String,
    pub kind: String,
    pub name: String,
    /// The key the link points to.
    pub key: String,
}

/// The key detail view's model.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub key: String,
    /// The resource type from the key layout, if it is a known one.
    pub resource: Option<&'static ResourceType>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// From the value (`kind`), else from the key layout.
    pub kind: Option<String>,
    pub api_version: Option<String>,
    pub uid: Option<String>,
    pub resource_version: Option<String>,
    pub format: StorageFormat,
    /// Owner references, resolved to keys.
    pub owners: Vec<Link>,
    /// Other objects this one names (its node, service account, the pod an event is about, the
    /// service of an endpoint slice, the pods behind an Endpoints).
    pub related: Vec<Link>,
    /// The value as JSON, when it is JSON.
    pub object: Option<Value>,
}

/// Decodes a key and its value. Never fails: what cannot be read is left empty.
pub fn decode(key: &[u8], value: &[u8]) -> Decoded {
    let key_text = String::from_utf8_lossy(key).into_owned();
    let parts = parse_key(&key_text);
    let format = storage_format(value);
    let object = match format {
        StorageFormat::Json => serde_json::from_slice::<Value>(value).ok(),
        _ => None,
    };
    let meta = object.as_ref().map(|o| &o["metadata"]);
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let mut kind = s(object.as_ref().map(|o| &o["kind"]));
    if let StorageFormat::Protobuf(env) = &format {
        kind = Some(env.kind.clone());
    }
    let mut d = Decoded {
        key: key_text.clone(),
        resource: parts.as_ref().map(|p| p.resource),
        namespace: s(meta.map(|m| &m["namespace"])).or_else(|| parts.as_ref().and_then(|p| p.namespace.map(str::to_string))),
        name: s(meta.map(|m| &m["name"])).or_else(|| parts.as_ref().map(|p| p.name.to_string())),
        kind: kind.or_else(|| parts.as_ref().map(|p| p.resource.kind.to_string())),
        api_version: s(object.as_ref().map(|o| &o["apiVersion"])),
        uid: s(meta.map(|m| &m["uid"])),
        resource_version: s(meta.map(|m| &m["resourceVersion"])),
        format,
        owners: Vec::new(),
        related: Vec::new(),
        object: None,
    };
    if let Some(obj) = &object {
        d.owners = owners(obj, d.namespace.as_deref());
        d.related = related(obj, d.namespace.as_deref());
    }
    d.object = object;
    d
}

fn link(relation: &str, kind: &str, name: &str, namespace: Option<&str>) -> Option<Link> {
    let r = by_kind(kind)?;
    if name.is_empty() || (r.namespaced && namespace.is_none()) {
        return None;
    }
    Some(Link { relation: relation.into(), kind: kind.into(), name: name.into(), key: object_key(r, namespace, name) })
}

/// `metadata.ownerReferences`, each resolved to its key (an owner lives in the object's
/// namespace, or is cluster-scoped).
fn owners(obj: &Value, namespace: Option<&str>) -> Vec<Link> {
    let Some(refs) = obj["metadata"]["ownerReferences"].as_array() else { return Vec::new() };
    refs.iter()
        .filter_map(|r| link("owner", r["kind"].as_str()?, r["name"].as_str()?, namespace))
        .collect()
}

fn related(obj: &Value, namespace: Option<&str>) -> Vec<Link> {
    let mut out = Vec::new();
    let kind = obj["kind"].as_str().unwrap_or("");
    let str_at = |v: &Value| v.as_str().map(str::to_string);
    let mut push = |l: Option<Link>| {
        if let Some(l) = l {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    };
    match kind {
        "Pod" => {
            if let Some(n) = str_at(&obj["spec"]["nodeName"]) {
                push(link("node", "Node", &n, None));
            }
            if let Some(sa) = str_at(&obj["spec"]["serviceAccountName"]) {
                push(link("serviceAccount", "ServiceAccount", &sa, namespace));
            }
            push(namespace.and_then(|ns| link("namespace", "Namespace", ns, None)));
        }
        "Event" => {
            let io = &obj["involvedObject"];
            if let (Some(k), Some(n)) = (str_at(&io["kind"]), str_at(&io["name"])) {
                let ns = str_at(&io["namespace"]).or_else(|| namespace.map(str::to_string));
                push(link("involvedObject", &k, &n, ns.as_deref()));
            }
        }
        "EndpointSlice" => {
            if let Some(svc) = str_at(&obj["metadata"]["labels"]["kubernetes.io/service-name"]) {
                push(link("service", "Service", &svc, namespace));
            }
            for e in obj["endpoints"].as_array().into_iter().flatten() {
                if let Some(p) = str_at(&e["targetRef"]["name"]) {
                    push(link("endpoint", "Pod", &p, namespace));
                }
            }
        }
        "Endpoints" => {
            if let Some(n) = str_at(&obj["metadata"]["name"]) {
                push(link("service", "Service", &n, namespace));
            }
            for sub in obj["subsets"].as_array().into_iter().flatten() {
                for list in ["addresses", "notReadyAddresses"] {
                    for a in sub[list].as_array().into_iter().flatten() {
                        if let Some(p) = str_at(&a["targetRef"]["name"]) {
                            push(link("endpoint", "Pod", &p, namespace));
                        }
                    }
                }
            }
        }
        "Service" => {
            if let Some(n) = str_at(&obj["metadata"]["name"]) {
                push(link("endpoints", "Endpoints", &n, namespace));
            }
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            if let (Some(k), Some(n)) = (str_at(&obj["roleRef"]["kind"]), str_at(&obj["roleRef"]["name"])) {
                push(link("roleRef", &k, &n, namespace));
            }
            for s in obj["subjects"].as_array().into_iter().flatten() {
                if s["kind"] == "ServiceAccount" {
                    if let Some(n) = str_at(&s["name"]) {
                        let ns = str_at(&s["namespace"]).or_else(|| namespace.map(str::to_string));
                        push(link("subject", "ServiceAccount", &n, ns.as_deref()));
                    }
                }
            }
        }
        "Lease" => {
            if namespace == Some("kube-node-lease") {
                if let Some(n) = str_at(&obj["spec"]["holderIdentity"]) {
                    push(link("node", "Node", &n, None));
                }
            }
        }
        _ => {}
    }
    if let Some(ns) = namespace {
        if kind != "Pod" && kind != "Namespace" {
            push(link("namespace", "Namespace", ns, None));
        }
    }
    out
}

/// The bytes a default kube-apiserver writes for this (JSON) object: the `k8s\0` protobuf
/// envelope, annotated. `None` for custom resources (always JSON) and non-objects.
pub fn protobuf_view(object: &Value) -> Option<Encoded> {
    encode_object(object)
}

/// What the value looks like with encryption at rest (`aescbc` provider, key `key1`): the
/// prefix, a 16-byte IV and ciphertext as long as AES-CBC would make the protobuf encoding.
/// The IV and ciphertext bytes are illustrative (derived from the key, not real AES output).
pub fn encrypted_view(key: &[u8], object: &Value) -> Vec<u8> {
    let plain_len = encode_object(object).map(|e| e.bytes().len()).unwrap_or_else(|| object.to_string().len());
    let padded = (plain_len / 16 + 1) * 16;
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key {
        seed = (seed ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = format!("{ENCRYPTED_PREFIX}aescbc:v1:key1:").into_bytes();
    out.extend((0..16 + padded).map(|_| rng.gen::<u8>()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::sample::{generate, SampleOptions, SampleSize};
    use std::collections::BTreeSet;

    fn sample() -> crate::registry::sample::Sample {
        generate(&SampleOptions::new(11, SampleSize::Small, 2, 1_795_586_400))
    }

    #[test]
    fn decodes_a_pod_with_owners_and_links() {
        let s = sample();
        let keys: BTreeSet<&str> = s.objects.iter().map(|o| o.key.as_str()).collect();
        let pod = s.objects.iter().find(|o| o.key.starts_with("/registry/pods/default/nginx-")).unwrap();
        let d = decode(pod.key.as_bytes(), &pod.value);
        assert_eq!(d.kind.as_deref(), Some("Pod"));
        assert_eq!(d.namespace.as_deref(), Some("default"));
        assert_eq!(d.resource.map(|r| r.prefix), Some("pods"));
        assert_eq!(d.format, StorageFormat::Json);
        assert_eq!(d.resource_version, Some(pod.mod_revision.to_string()));
        assert_eq!(d.owners.len(), 1);
        assert!(d.owners[0].key.starts_with("/registry/replicasets/default/nginx-"));
        assert!(keys.contains(d.owners[0].key.as_str()));
        let rels: Vec<&str> = d.related.iter().map(|l| l.relation.as_str()).collect();
        assert_eq!(rels, vec!["node", "serviceAccount", "namespace"]);
        for l in &d.related {
            assert!(keys.contains(l.key.as_str()), "{l:?}");
        }
    }

    #[test]
    fn every_link_of_the_sample_resolves_to_a_key() {
        let s = sample();
        let keys: BTreeSet<&str> = s.objects.iter().map(|o| o.key.as_str()).collect();
        let mut n = 0;
        for o in &s.objects {
            let d = decode(o.key.as_bytes(), &o.value);
            assert!(d.kind.is_some() && d.resource.is_some(), "{}", o.key);
            for l in d.owners.iter().chain(&d.related) {
                assert!(keys.contains(l.key.as_str()), "{} -> {l:?}", o.key);
                n += 1;
            }
        }
        assert!(n > 200);
    }

    #[test]
    fn formats_are_detected_and_explained() {
        let pod = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "d"}});
        let pb = protobuf_view(&pod).unwrap().bytes();
        let f = storage_format(&pb);
        assert!(matches!(&f, StorageFormat::Protobuf(e) if e.kind == "Pod" && e.api_version == "v1"));
        assert!(f.explain().contains("k8s\\0"));
        let d = decode(b"/registry/pods/d/p", &pb);
        assert_eq!((d.kind.as_deref(), d.name.as_deref(), d.namespace.as_deref()), (Some("Pod"), Some("p"), Some("d")));
        let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "YQ=="}});
        let enc = encrypted_view(b"/registry/secrets/d/s", &secret);
        assert!(enc.starts_with(b"k8s:enc:aescbc:v1:key1:"));
        assert_eq!((enc.len() - 23 - 16) % 16, 0);
        let f = storage_format(&enc);
        assert_eq!(f, StorageFormat::Encrypted { provider: "aescbc".into(), key_name: "key1".into() });
        assert!(f.explain().contains("key1"));
        assert_eq!(storage_format(b"hello"), StorageFormat::Other);
        assert_eq!(storage_format(b"k8s\0garbage\xff"), StorageFormat::Other);
        assert_eq!(storage_format(b"{\"kind\":\"Widget\"}"), StorageFormat::Json);
        assert_eq!(storage_format(b""), StorageFormat::Other);
        // Keys and values outside the layout decode to what can be read.
        let d = decode(b"foo", b"bar");
        assert_eq!((d.resource, d.kind, d.name), (None, None, None));
        let d = decode(b"/registry/pods/x", b"\xff");
        assert_eq!(d.format, StorageFormat::Other);
    }
}
