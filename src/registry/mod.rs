//! Kubernetes `/registry` sample layouts and the key-tree model behind the keyspace view.
//!
//! Owns: [`sample`] (a deterministic kubeadm-style cluster as kube-apiserver writes it to etcd,
//! and the requests that load it), [`decode`] (what a key and its value are: kind, namespace,
//! name, owners, and the bytes as Kubernetes really stores them), [`protobuf`] and
//! [`proto_schema`] (the `k8s\0` protobuf envelope, built from an object's JSON and annotated),
//! [`tree`] (the key tree with folder counts and sizes, expand/collapse, filter, and the
//! flattened visible rows), [`resources`] (the table of resource types and their key
//! prefixes) and [`k8stime`] (Kubernetes timestamps and kubectl's ages).
//! Must not touch: the store, Raft, the world, the DOM. Pure functions of their inputs; the
//! playground and the UI call them (`crate::kubectl` holds the commands that read these keys
//! through the cluster, and `kubectl::load_sample` writes the sample through it).
//!
//! # Entry points for the UI
//!
//! - Keyspace tree: [`tree::KeyTree::from_keys`] from `(key, value length)` pairs (a range's
//!   answer, sorted, is the fast case), then [`tree::KeyTree::insert`] / [`tree::KeyTree::remove`]
//!   for watch events; [`tree::KeyTree::toggle`], [`tree::KeyTree::reveal`],
//!   [`tree::KeyTree::set_filter`]; [`tree::KeyTree::window`]`(start, len)` hands the visible
//!   [`tree::Row`]s of a virtualised list ([`tree::KeyTree::label`], `node(id)` for counts and
//!   bytes, [`tree::KeyTree::folder_prefix`] for the range a folder stands for).
//! - Layout picture: [`tree::KeyTree::resource_summary`] gives `/registry` by resource type
//!   (keys, bytes, per-namespace parts, the node to drill into) for a treemap or sunburst.
//! - Key detail: [`decode::decode`]`(key, value)` (kind, namespace, name, owners and related
//!   keys as [`decode::Link`]s, [`decode::StorageFormat`] with [`decode::StorageFormat::explain`]);
//!   for a built-in object [`decode::protobuf_view`]`(&object)` →
//!   [`protobuf::Encoded::annotated_hex`] / `segments`; for a secret
//!   [`decode::encrypted_view`] shows the `k8s:enc:aescbc:v1:key1:` form (illustrative bytes).

pub mod decode;
pub mod k8stime;
pub mod proto_schema;
pub mod protobuf;
pub mod resources;
pub mod sample;
pub mod tree;
