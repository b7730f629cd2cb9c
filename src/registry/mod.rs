//! Kubernetes `/registry` sample layouts and the key-tree model behind the keyspace view.
//!
//! Owns: [`sample`] (a deterministic kubeadm-style cluster as kube-apiserver writes it to etcd,
//! and the requests that load it), [`decode`] (what a key and its value are: kind, namespace,
//! name, owners, and the bytes as Kubernetes really stores them), [`tree`] (the key tree with
//! folder counts and sizes, expand/collapse, filter, and the flattened visible rows), and
//! [`resources`] (the table of resource types and their key prefixes).
//! Must not touch: the store, Raft, the world, the DOM. Pure functions of their inputs; the
//! playground and the UI call them (see `kubectl` for the commands that read these keys).

pub mod decode;
pub mod k8stime;
pub mod proto_schema;
pub mod protobuf;
pub mod resources;
pub mod sample;
pub mod tree;
