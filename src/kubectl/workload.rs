//! `kubectl run NAME --image=IMG [-- ARG...]` and `kubectl create deployment NAME
//! --image=IMG [--replicas=N] [--port=N]`: the objects go into etcd as kube-apiserver writes
//! them, followed by what the controllers, the scheduler and kubelet write (a ReplicaSet,
//! pods bound to a worker and running), one revision each. The objects themselves come from
//! the sample generator (`registry::sample::created`), so they look like the sample's own.
//!
//! Owns: these two commands' flags, checks and messages. Must not touch: the objects' shape.

use serde_json::Value;

use super::client::{Storage, StoreError};
use super::{probe, KubectlOutput};
use crate::cluster::Cluster;
use crate::registry::resources::{by_kubectl_name, list_prefix, object_key};
use crate::registry::sample::created::{workload, WorkloadKind, WorkloadSpec};

/// The flags of `run` and `create deployment`, and the words left.
#[derive(Default)]
struct Flags<'a> {
    image: Option<String>,
    replicas: Option<String>,
    port: Option<String>,
    namespace: Option<String>,
    dry_run: bool,
    positional: Vec<&'a str>,
    /// After `--` (`run` only): the container's arguments.
    args: Vec<String>,
}

fn flags<'a>(cmd: &str, words: &[&'a str]) -> Result<Flags<'a>, String> {
    let mut f = Flags::default();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w == "--" {
            f.args = words[i + 1..].iter().map(|s| s.to_string()).collect();
            break;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, v)) if n.starts_with('-') => (n, Some(v.to_string())),
            _ => (w, None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            *i += 1;
            words.get(*i).map(|v| v.to_string()).ok_or_else(|| {
                format!("error: flag needs an argument: {name}\nSee 'kubectl {cmd} -h' for help and examples")
            })
        };
        match name {
            "--image" => f.image = Some(value(&mut i)?),
            "--replicas" | "-r" if cmd != "run" => f.replicas = Some(value(&mut i)?),
            "--port" => f.port = Some(value(&mut i)?),
            "-n" | "--namespace" => f.namespace = Some(value(&mut i)?),
            // what --dry-run would print in (refused below)
            "-o" | "--output" => {
                value(&mut i)?;
            }
            "--restart" | "--labels" | "-l" if cmd == "run" => {
                value(&mut i)?;
            }
            "--dry-run" => f.dry_run = inline.as_deref() != Some("none"),
            _ if w.starts_with('-') && w.len() > 1 => {
                return Err(format!(
                    "error: unknown flag: {name}\nSee 'kubectl {cmd} --help' for usage."
                ))
            }
            _ => f.positional.push(w),
        }
        i += 1;
    }
    Ok(f)
}

/// A lowercase RFC 1123 subdomain, as the API server checks object names.
fn valid_name(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(super::valid_dns_label)
}

/// The nodes as the workload needs them: name, internal IP, the pod CIDR's third octet.
fn nodes<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
) -> Result<Vec<(String, String, u32)>, String> {
    let r = by_kubectl_name("nodes").ok_or("error: no nodes resource")?;
    let (kvs, _) = st.list(&list_prefix(r, None)).map_err(|e| e.message())?;
    let mut out = Vec::new();
    for kv in kvs {
        let Ok(v) = serde_json::from_slice::<Value>(&kv.value) else {
            continue;
        };
        let name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
        let ip = v["status"]["addresses"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["type"] == "InternalIP"))
            .and_then(|x| x["address"].as_str())
            .unwrap_or("")
            .to_string();
        let octet = v["spec"]["podCIDR"]
            .as_str()
            .and_then(|c| c.split('.').nth(2))
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        if !name.is_empty() {
            out.push((name, ip, octet));
        }
    }
    Ok(out)
}

/// Writes `kind` named `name`: the objects in order, each at the revision it expects.
fn write<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    kind: WorkloadKind,
    f: &Flags<'_>,
    name: &str,
    now: i64,
) -> Result<(), String> {
    let (what, qualified) = match kind {
        WorkloadKind::Pod => ("Pod", "pods"),
        WorkloadKind::Deployment { .. } => ("Deployment", "deployments.apps"),
    };
    if !valid_name(name) {
        return Err(format!("The {what} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
    }
    let ns = f.namespace.as_deref().unwrap_or("default");
    let revision = probe(st)?;
    let nsr = by_kubectl_name("namespaces").ok_or("error: no namespaces resource")?;
    if st
        .get(&object_key(nsr, None, ns))
        .map_err(|e| e.message())?
        .0
        .is_none()
    {
        return Err(format!(
            "Error from server (NotFound): namespaces \"{ns}\" not found"
        ));
    }
    let port = match f.port.as_deref() {
        None => None,
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            format!("error: invalid argument \"{p}\" for \"--port\" flag: strconv.ParseInt: parsing \"{p}\": invalid syntax")
        })?),
    };
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325 ^ (revision as u64) ^ ((now as u64) << 20);
    for b in name.bytes().chain(ns.bytes()) {
        seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let spec = WorkloadSpec {
        kind,
        namespace: ns,
        name,
        image: f.image.as_deref().unwrap_or(""),
        port,
        args: f.args.clone(),
        nodes: nodes(st)?,
        seed,
        first_revision: revision + 1,
        now_unix: now,
    };
    for (i, o) in workload(&spec).into_iter().enumerate() {
        match st.create(&o.key, o.value) {
            Ok((true, rev)) if rev == o.mod_revision => {}
            Ok((true, _)) => return Err(format!("error: another client wrote to etcd meanwhile: {} was stored at another revision than its resourceVersion", o.key)),
            Ok((false, _)) if i == 0 => {
                return Err(format!(
                    "Error from server (AlreadyExists): {qualified} \"{name}\" already exists"
                ))
            }
            Ok((false, _)) => return Err(format!("Error from server (AlreadyExists): {} already exists", o.key)),
            Err(StoreError::Unreachable) => return Err(super::CONNECTION_REFUSED.to_string()),
            Err(e) => return Err(e.message()),
        }
    }
    Ok(())
}

/// `kubectl run NAME --image=IMG`.
pub(super) fn run<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    words: &[&str],
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let f = flags("run", words)?;
    let Some(name) = f.positional.first().copied() else {
        return Err(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples".into(),
        );
    };
    if f.image.as_deref().is_none_or(str::is_empty) {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    if f.dry_run {
        return Err(DRY_RUN.into());
    }
    write(st, WorkloadKind::Pod, &f, name, now)?;
    out.stdout.push_str(&format!("pod/{name} created\n"));
    Ok(())
}

const DRY_RUN: &str = "error: --dry-run is not available in this playground's kubectl: it prints no manifests (run the command without it to create the object)";

/// `kubectl create deployment NAME --image=IMG [--replicas=N]`.
pub(super) fn create_deployment<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    words: &[&str],
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let f = flags("create deployment", words)?;
    if f.positional.len() != 1 {
        return Err(format!("error: exactly one NAME is required, got {}\nSee 'kubectl create deployment -h' for help and examples", f.positional.len()));
    }
    let name = f.positional[0];
    if f.image.as_deref().is_none_or(str::is_empty) {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    let replicas = match f.replicas.as_deref() {
        None => 1,
        Some(r) => r.parse::<usize>().ok().filter(|n| *n <= 100).ok_or_else(|| {
            format!("error: invalid argument \"{r}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax")
        })?,
    };
    if f.dry_run {
        return Err(DRY_RUN.into());
    }
    write(st, WorkloadKind::Deployment { replicas }, &f, name, now)?;
    out.stdout
        .push_str(&format!("deployment.apps/{name} created\n"));
    Ok(())
}
