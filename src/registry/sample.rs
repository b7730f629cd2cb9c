//! A deterministic sample Kubernetes cluster, as kube-apiserver would have written it to etcd.
//!
//! Owns: the generator of a kubeadm-style cluster (one control plane `controlplane`, worker
//! nodes `node01`, `node02`, ...; flannel as CNI; CoreDNS; an application or a hundred) with the
//! real key layout of Kubernetes 1.29 under `/registry/`, and [`load_requests`], which turns it
//! into the client requests that write it through the cluster.
//! Must not touch: the world, the store, the clock. Everything comes from [`SampleOptions`]
//! (seed, size, the revision the first write will get, the simulated time): the same options
//! give the same bytes.
//!
//! Values are Kubernetes JSON objects (`apiVersion`, `kind`, `metadata` with `name`,
//! `namespace`, `uid`, `creationTimestamp`, `labels`, `ownerReferences`), the encoding
//! kube-apiserver uses with `--storage-media-type=application/json`. Owner references link
//! Deployment → ReplicaSet → Pod, DaemonSet → Pod and ControllerRevision, StatefulSet → Pod and
//! ControllerRevision, Node → mirror Pod and CSINode, Service → EndpointSlice.
//!
//! `metadata.resourceVersion` of every object equals the etcd `mod_revision` it is stored at.
//! (A real kube-apiserver blanks it before writing and fills it from `mod_revision` on every
//! read; the sample stores it so the correspondence can be seen in `etcdctl get` output.)
//! This holds when the objects are written in order, starting at `first_revision`, each write
//! (one put, or one txn of `objects_per_txn` puts) taking the next revision.
//!
//! The generator (`generator`) writes one resource family per file: core objects
//! (`core_objects`), what kube-apiserver writes for itself (`apiserver`), RBAC (`rbac`),
//! configuration and storage (`config`), services (`networking`), workloads (`workloads`) and
//! their pods (`pods`).

mod apiserver;
mod config;
mod core_objects;
pub mod created;
mod generator;
mod networking;
mod pods;
mod rbac;
mod workloads;

use crate::api::{PutRequest, Request, RequestOp, TxnRequest};
use generator::Gen;

/// How big a cluster to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleSize {
    /// A few hundred keys: three nodes, the kube-system add-ons, nginx in `default` and a small
    /// `demo` application (a Deployment, a StatefulSet, their Services).
    Small,
    /// About 100,000 keys: forty workers, a hundred application namespaces, sixteen thousand
    /// pods with their events and endpoint slices.
    Large,
}

/// Everything the generator depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    pub seed: u64,
    pub size: SampleSize,
    /// The etcd revision the first write will get (the store's current revision + 1).
    pub first_revision: i64,
    /// How many objects [`load_requests`] puts in one txn (1: one `Put` per object; etcd
    /// accepts at most 128 operations in a txn). All objects of one txn share its revision.
    pub objects_per_txn: usize,
    /// The simulated time of loading, in Unix seconds: creation timestamps lie before it.
    pub now_unix: i64,
}

impl SampleOptions {
    /// One put per object.
    pub fn new(seed: u64, size: SampleSize, first_revision: i64, now_unix: i64) -> Self {
        SampleOptions {
            seed,
            size,
            first_revision,
            objects_per_txn: 1,
            now_unix,
        }
    }
}

/// One object and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleObject {
    pub key: String,
    /// JSON bytes.
    pub value: Vec<u8>,
    /// The revision its write will get, equal to `metadata.resourceVersion`.
    pub mod_revision: i64,
}

/// A generated cluster, in write order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub options: SampleOptions,
    pub objects: Vec<SampleObject>,
}

impl Sample {
    /// Keys plus values, in bytes.
    pub fn total_bytes(&self) -> usize {
        self.objects
            .iter()
            .map(|o| o.key.len() + o.value.len())
            .sum()
    }

    /// The store's revision once everything is written.
    pub fn last_revision(&self) -> i64 {
        self.objects
            .last()
            .map(|o| o.mod_revision)
            .unwrap_or(self.options.first_revision - 1)
    }
}

/// The requests that write the sample: one `Put` per object, or txns of
/// `objects_per_txn` puts. Send them in order through `World::call`.
pub fn load_requests(sample: &Sample) -> Vec<Request> {
    let per = sample.options.objects_per_txn.clamp(1, 128);
    let put = |o: &SampleObject| PutRequest {
        key: o.key.clone().into_bytes(),
        value: o.value.clone(),
        ..Default::default()
    };
    if per == 1 {
        return sample
            .objects
            .iter()
            .map(|o| Request::Put(put(o)))
            .collect();
    }
    sample
        .objects
        .chunks(per)
        .map(|chunk| {
            Request::Txn(TxnRequest {
                compare: Vec::new(),
                success: chunk.iter().map(|o| RequestOp::Put(put(o))).collect(),
                failure: Vec::new(),
            })
        })
        .collect()
}

/// [`load_requests`] that takes the objects: the values move into the requests instead of
/// being copied (the large sample holds about 120 MB of them). One `Put` each, or txns of
/// `per` puts (the last one may hold fewer).
pub fn into_requests(objects: Vec<SampleObject>, per: usize) -> Vec<Request> {
    let per = per.clamp(1, 128);
    let put = |o: SampleObject| PutRequest {
        key: o.key.into_bytes(),
        value: o.value,
        ..Default::default()
    };
    if per == 1 {
        return objects.into_iter().map(|o| Request::Put(put(o))).collect();
    }
    let mut out = Vec::with_capacity(objects.len().div_ceil(per));
    let mut ops = Vec::with_capacity(per);
    for o in objects {
        ops.push(RequestOp::Put(put(o)));
        if ops.len() == per {
            out.push(std::mem::replace(&mut ops, Vec::with_capacity(per)));
        }
    }
    if !ops.is_empty() {
        out.push(ops);
    }
    out.into_iter()
        .map(|success| {
            Request::Txn(TxnRequest {
                compare: Vec::new(),
                success,
                failure: Vec::new(),
            })
        })
        .collect()
}

/// Generates the cluster.
pub fn generate(options: &SampleOptions) -> Sample {
    let mut g = Generation::new(options);
    let mut objects = Vec::new();
    while g.step() {
        objects.append(&mut g.take());
    }
    Sample {
        options: options.clone(),
        objects,
    }
}

/// The generator run a part at a time (a bootstrap, then one application deployment each), so
/// that a caller can write what is generated and let other work run in between: the objects
/// come out in the same order, with the same bytes, as [`generate`] gives them.
pub struct Generation {
    gen: Gen,
    scale: generator::Scale,
    parts: Vec<generator::Part>,
    next: usize,
}

impl Generation {
    pub fn new(options: &SampleOptions) -> Self {
        let mut gen = Gen::new(options);
        let scale = gen.scale();
        let parts = Gen::parts(&scale);
        Generation {
            gen,
            scale,
            parts,
            next: 0,
        }
    }

    /// Generates the next part; false when every part was generated.
    pub fn step(&mut self) -> bool {
        let Some(part) = self.parts.get(self.next) else {
            return false;
        };
        self.gen.write_part(&self.scale, part);
        self.next += 1;
        true
    }

    /// The objects generated since the last call, in order.
    pub fn take(&mut self) -> Vec<SampleObject> {
        self.gen.take()
    }

    /// Parts generated, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.parts.len())
    }
}

#[cfg(test)]
mod tests;
