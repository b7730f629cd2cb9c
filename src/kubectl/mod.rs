//! A `kubectl` that reads and writes the Kubernetes objects under `/registry` in the
//! playground's etcd, doing what kube-apiserver would do for it: every table it prints comes
//! from an etcd range, every change is an etcd txn you can then see with `etcdctl get`, in the
//! keyspace tree and in `etcdctl watch /registry/pods --prefix`.
//!
//! Owns: the kubectl command line (`get`, `describe pod`, `delete`, `create namespace`), its
//! output (tables like kubectl's with AGE from simulated time, `-o yaml|json|name|wide`, errors
//! as kubectl prints them) and the log of etcd requests each command made; and loading the
//! `/registry` sample through the cluster.
//! Must not touch: the store or Raft directly (only the [`Cluster`] interface: `call`,
//! `submit`), the DOM, the etcdctl shell.
//!
//! # Entry points (for `playground` and the UI)
//!
//! - [`run`]`(cluster, argv) -> (stdout, stderr, exit, requests)`: one kubectl command. `argv` is
//!   the words after `kubectl` (a leading `"kubectl"` is skipped too). `requests` are the etcd
//!   requests it made, in order; print [`EtcdRequest::line`] of each under the command for
//!   "show the etcd request". With nothing under `/registry` it answers kubectl's
//!   connection-refused text ([`CONNECTION_REFUSED`]) with exit 1; the console may add
//!   [`NO_CLUSTER_HINT`].
//! - [`load_sample`]`(cluster, seed, large) -> Result<String, String>`: the `load k8s
//!   [--large]` playground command. Writes the sample of `registry::sample` (generated from
//!   `seed`) through the cluster (one put per object and `call` for the small sample; txns of
//!   100 puts handed in rounds with `submit` for the large one) so revisions and history are
//!   real; answers one line describing what was loaded.
//! - [`run_on`] is [`run`] returning a [`KubectlOutput`], for any cluster (tests use an
//!   in-memory one).
//!
//! Simplifications, stated: `delete` removes the key at once (what `--grace-period=0 --force`
//! does; a real apiserver first marks a pod Terminating) and no controller reacts (no
//! replacement pod, no namespace cleanup); `create namespace` writes the Namespace only.

pub mod client;
pub mod columns;
pub mod describe;
pub mod load;
pub mod printers;
mod workload;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

pub use client::EtcdRequest;
use client::{unix_seconds, Storage, StoreError};
pub use load::{load_sample, LoadProgress, SampleLoad};

use crate::cluster::Cluster;

use crate::registry::k8stime::rfc3339;
use crate::registry::resources::{by_kubectl_name, list_prefix, object_key, ResourceType};

/// What kubectl prints when no API server answers (here: nothing under `/registry`).
pub const CONNECTION_REFUSED: &str =
    "The connection to the server localhost:8080 was refused - did you specify the right host or port?";

/// A hint the console may print (dimmed) after [`CONNECTION_REFUSED`].
pub const NO_CLUSTER_HINT: &str = "hint: there is no Kubernetes data in this etcd yet; run `load k8s` (or `load k8s --large`) to write a sample cluster under /registry";

/// The result of one kubectl command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubectlOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
    pub requests: Vec<EtcdRequest>,
}

/// Runs one kubectl command against the cluster.
pub fn run(cluster: &mut dyn Cluster, argv: &[String]) -> (String, String, i32, Vec<EtcdRequest>) {
    let o = run_on(cluster, argv);
    (o.stdout, o.stderr, o.exit, o.requests)
}

/// Runs one kubectl command against any cluster.
pub fn run_on<C: Cluster + ?Sized>(cluster: &mut C, argv: &[String]) -> KubectlOutput {
    let argv: Vec<&str> = argv
        .iter()
        .map(String::as_str)
        .skip_while(|a| *a == "kubectl")
        .collect();
    let now = unix_seconds(cluster);
    let mut st = Storage::new(cluster);
    let mut out = KubectlOutput::default();
    let result = command(&mut st, &argv, now, &mut out);
    if let Err(e) = result {
        out.stderr.push_str(&e);
        if !e.ends_with('\n') {
            out.stderr.push('\n');
        }
        out.exit = 1;
    }
    out.requests = st.log;
    out
}

/// Parsed flags common to the commands.
#[derive(Default)]
struct Args<'a> {
    positional: Vec<&'a str>,
    namespace: Option<String>,
    all_namespaces: bool,
    output: Option<String>,
}

fn parse<'a>(verb: &str, words: &[&'a str]) -> Result<Args<'a>, String> {
    let mut a = Args::default();
    let mut i = 0;
    let usage =
        |flag: &str| format!("error: unknown flag: {flag}\nSee 'kubectl {verb} --help' for usage.");
    while i < words.len() {
        let w = words[i];
        let take = |i: &mut usize, name: &str| -> Result<String, String> {
            *i += 1;
            words.get(*i).map(|v| v.to_string()).ok_or_else(|| {
                format!(
                    "error: flag needs an argument: {name}\nSee 'kubectl {verb} --help' for usage."
                )
            })
        };
        if w == "-n" || w == "--namespace" {
            a.namespace = Some(take(&mut i, w)?);
        } else if let Some(v) = w
            .strip_prefix("--namespace=")
            .or_else(|| w.strip_prefix("-n="))
        {
            a.namespace = Some(v.to_string());
        } else if w.len() > 2 && w.starts_with("-n") && !w.starts_with("--") {
            a.namespace = Some(w[2..].to_string());
        } else if w == "-A" || w == "--all-namespaces" || w == "--all-namespaces=true" {
            a.all_namespaces = true;
        } else if w == "--all-namespaces=false" {
            a.all_namespaces = false;
        } else if w == "-o" || w == "--output" {
            a.output = Some(take(&mut i, w)?);
        } else if let Some(v) = w
            .strip_prefix("--output=")
            .or_else(|| w.strip_prefix("-o="))
        {
            a.output = Some(v.to_string());
        } else if w.len() > 2 && w.starts_with("-o") && !w.starts_with("--") {
            a.output = Some(w[2..].to_string());
        } else if verb == "delete"
            && (w == "--force"
                || w == "--now"
                || w.starts_with("--grace-period")
                || w.starts_with("--wait"))
        {
            // Accepted: the delete is immediate anyway.
        } else if w.starts_with("--") && w.len() > 2 {
            return Err(usage(w.split('=').next().unwrap_or(w)));
        } else if w.starts_with('-') && w.len() > 1 {
            let c = w.chars().nth(1).unwrap_or('-');
            return Err(format!("error: unknown shorthand flag: '{c}' in {w}\nSee 'kubectl {verb} --help' for usage."));
        } else {
            a.positional.push(w);
        }
        i += 1;
    }
    Ok(a)
}

fn command<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    argv: &[&str],
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let Some((&verb, rest)) = argv.split_first() else {
        out.stdout.push_str(HELP);
        return Ok(());
    };
    match verb {
        "run" => return workload::run(st, rest, now, out),
        "create" if matches!(rest.first(), Some(&"deployment") | Some(&"deploy")) => {
            return workload::create_deployment(st, &rest[1..], now, out)
        }
        "get" | "describe" | "delete" | "create" => {}
        "-h" | "--help" | "help" => {
            out.stdout.push_str(HELP);
            return Ok(());
        }
        "version" => {
            out.stdout.push_str("Client Version: v1.29.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n");
            probe(st)?;
            out.stdout.push_str("Server Version: v1.29.0\n");
            return Ok(());
        }
        other => {
            return Err(format!(
                "error: unknown command \"{other}\" for \"kubectl\""
            ))
        }
    }
    let args = parse(verb, rest)?;
    let revision = probe(st)?;
    match verb {
        "get" => get(st, &args, now, out),
        "describe" => describe(st, &args, now, out),
        "delete" => delete(st, &args, out),
        _ => create(st, &args, revision, now, out),
    }
}

/// Fails with the connection-refused text when there is no Kubernetes in this etcd.
fn probe<C: Cluster + ?Sized>(st: &mut Storage<'_, C>) -> Result<i64, String> {
    match st.has_registry() {
        Ok((rev, true)) => Ok(rev),
        Ok((_, false)) | Err(StoreError::Unreachable) => Err(CONNECTION_REFUSED.to_string()),
        Err(e) => Err(e.message()),
    }
}

/// `pods`, `deployments.apps`, `clusterroles.rbac.authorization.k8s.io`: how errors name a type.
fn qualified(r: &ResourceType) -> String {
    match r.api_version.rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", r.plural),
        None => r.plural.to_string(),
    }
}

/// `pod`, `deployment.apps`: how `-o name` and `delete` name an object's type.
fn singular(r: &ResourceType) -> String {
    let kind = r.kind.to_ascii_lowercase();
    match r.api_version.rsplit_once('/') {
        Some((group, _)) => format!("{kind}.{group}"),
        None => kind,
    }
}

fn not_found(r: &ResourceType, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        qualified(r)
    )
}

/// The resource type and the names of `TYPE NAME...` or `TYPE/NAME`.
fn target<'a>(args: &Args<'a>, verb: &str) -> Result<(&'static ResourceType, Vec<String>), String> {
    let Some(first) = args.positional.first() else {
        return Err(match verb {
            "get" => "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples".to_string(),
            _ => "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".to_string(),
        });
    };
    let (type_name, mut names) = match first.split_once('/') {
        Some((t, n)) => (t, vec![n.to_string()]),
        None => (*first, Vec::new()),
    };
    let r = by_kubectl_name(type_name)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{type_name}\""))?;
    names.extend(args.positional.iter().skip(1).map(|s| s.to_string()));
    Ok((r, names))
}

fn parse_value(v: &[u8]) -> Option<Value> {
    serde_json::from_slice::<Value>(v)
        .ok()
        .filter(Value::is_object)
}

fn get<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    args: &Args<'_>,
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let (r, names) = target(args, "get")?;
    let output = args.output.clone().unwrap_or_default();
    if !matches!(output.as_str(), "" | "wide" | "yaml" | "json" | "name") {
        return Err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"));
    }
    let ns = args
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let all = args.all_namespaces && r.namespaced;
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    if names.is_empty() {
        let prefix = if all {
            list_prefix(r, None)
        } else {
            list_prefix(r, Some(&ns))
        };
        let (kvs, _) = st.list(&prefix).map_err(|e| e.message())?;
        objects.extend(kvs.iter().filter_map(|kv| parse_value(&kv.value)));
    } else {
        if args.all_namespaces && r.namespaced {
            return Err(
                "error: a resource cannot be retrieved by name across all namespaces".into(),
            );
        }
        for n in &names {
            let key = object_key(r, Some(&ns), n);
            match st.get(&key).map_err(|e| e.message())? {
                (Some(kv), _) => match parse_value(&kv.value) {
                    Some(v) => objects.push(v),
                    None => errors.push(format!("Error from server: unable to decode \"{key}\": the stored value is not a Kubernetes object")),
                },
                (None, _) => errors.push(not_found(r, n)),
            }
        }
    }
    let single = names.len() == 1 && objects.len() == 1;
    match output.as_str() {
        "yaml" | "json" => {
            let v = if single {
                objects.pop().unwrap_or(Value::Null)
            } else if objects.is_empty() && !names.is_empty() {
                Value::Null
            } else {
                json!({"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}})
            };
            if !v.is_null() {
                out.stdout.push_str(&if output == "yaml" {
                    printers::yaml(&v)
                } else {
                    printers::json(&v)
                });
            }
        }
        "name" => {
            for o in &objects {
                out.stdout.push_str(&format!(
                    "{}/{}\n",
                    singular(r),
                    o["metadata"]["name"].as_str().unwrap_or("")
                ));
            }
        }
        _ => {
            if objects.is_empty() {
                if names.is_empty() {
                    out.stderr.push_str(&if r.namespaced && !all {
                        format!("No resources found in {ns} namespace.\n")
                    } else {
                        "No resources found\n".to_string()
                    });
                }
            } else {
                let (header, rows) = columns::rows(r.kind, &objects, now, all, output == "wide");
                out.stdout.push_str(&printers::table(&header, &rows));
            }
        }
    }
    if !errors.is_empty() {
        out.stderr.push_str(&errors.join("\n"));
        out.stderr.push('\n');
        out.exit = 1;
    }
    Ok(())
}

fn describe<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    args: &Args<'_>,
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let (r, names) = target(args, "describe")?;
    if r.kind != "Pod" {
        return Err(format!(
            "error: this playground's kubectl describes pods only (try `kubectl get {} -o yaml`)",
            r.plural
        ));
    }
    let ns = args
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let names = if names.is_empty() {
        let (kvs, _) = st
            .list(&list_prefix(r, Some(&ns)))
            .map_err(|e| e.message())?;
        kvs.iter()
            .filter_map(|kv| parse_value(&kv.value))
            .filter_map(|v| v["metadata"]["name"].as_str().map(str::to_string))
            .collect()
    } else {
        names
    };
    let mut first = true;
    for n in &names {
        let key = object_key(r, Some(&ns), n);
        let Some(pod) = st
            .get(&key)
            .map_err(|e| e.message())?
            .0
            .and_then(|kv| parse_value(&kv.value))
        else {
            out.stderr.push_str(&not_found(r, n));
            out.stderr.push('\n');
            out.exit = 1;
            continue;
        };
        // kube-apiserver answers the events field selector from a list of the namespace's events.
        let events_prefix = format!("/registry/events/{ns}/");
        let (kvs, _) = st.list(&events_prefix).map_err(|e| e.message())?;
        let uid = pod["metadata"]["uid"].clone();
        let events: Vec<Value> = kvs
            .iter()
            .filter_map(|kv| parse_value(&kv.value))
            .filter(|e| {
                e["involvedObject"]["kind"] == "Pod"
                    && e["involvedObject"]["name"] == pod["metadata"]["name"]
                    && (uid.is_null() || e["involvedObject"]["uid"] == uid)
            })
            .collect();
        if !first {
            out.stdout.push_str("\n\n");
        }
        first = false;
        out.stdout
            .push_str(&describe::describe_pod(&pod, &events, now));
    }
    Ok(())
}

fn delete<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    args: &Args<'_>,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let (r, names) = target(args, "delete")?;
    if names.is_empty() {
        return Err("error: resource(s) were provided, but no name was specified".into());
    }
    let ns = args
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    for n in &names {
        let key = object_key(r, Some(&ns), n);
        let (kv, _) = st.get(&key).map_err(|e| e.message())?;
        let Some(kv) = kv else {
            out.stderr.push_str(&not_found(r, n));
            out.stderr.push('\n');
            out.exit = 1;
            continue;
        };
        match st.delete(&key, kv.mod_revision).map_err(|e| e.message())? {
            (true, _) => out
                .stdout
                .push_str(&format!("{} \"{n}\" deleted\n", singular(r))),
            (false, _) => {
                out.stderr.push_str(&format!("Error from server (Conflict): Operation cannot be fulfilled on {} \"{n}\": the object has been modified; please apply your changes to the latest version and try again\n", qualified(r)));
                out.exit = 1;
            }
        }
    }
    Ok(())
}

fn valid_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

fn create<C: Cluster + ?Sized>(
    st: &mut Storage<'_, C>,
    args: &Args<'_>,
    revision: i64,
    now: i64,
    out: &mut KubectlOutput,
) -> Result<(), String> {
    let what = args.positional.first().copied().unwrap_or("");
    if what != "namespace" && what != "ns" {
        return Err(if what.is_empty() {
            "error: must specify one of -f and -k".to_string()
        } else {
            format!("error: this playground's kubectl creates namespaces and deployments only (`kubectl create namespace NAME`, `kubectl create deployment NAME --image=IMG`), not \"{what}\"")
        });
    }
    let Some(name) = args.positional.get(1) else {
        return Err("error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples".into());
    };
    if args.positional.len() > 2 {
        return Err(format!("error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples", args.positional.len() - 1));
    }
    if !valid_dns_label(name) {
        return Err(format!("The Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
    }
    let r = by_kubectl_name("namespaces")
        .ok_or("error: the server doesn't have a resource type \"namespaces\"")?;
    let key = object_key(r, None, name);
    // A uid as random as the apiserver's, but from the command's inputs (the core has no RNG).
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325 ^ (revision as u64) ^ ((now as u64) << 20);
    for b in name.bytes() {
        seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut u: [u8; 16] = rng.gen();
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
    let h: String = u.iter().map(|x| format!("{x:02x}")).collect();
    let uid = format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    );
    // The txn will be the next revision (nothing else writes between the probe and it).
    let v = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"creationTimestamp": rfc3339(now),
        "labels": {"kubernetes.io/metadata.name": name}, "name": name, "resourceVersion": (revision + 1).to_string(), "uid": uid},
        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
    let value = serde_json::to_vec(&v).unwrap_or_default();
    match st.create(&key, value).map_err(|e| e.message())? {
        (true, _) => out.stdout.push_str(&format!("namespace/{name} created\n")),
        (false, _) => {
            return Err(format!(
                "Error from server (AlreadyExists): namespaces \"{name}\" already exists"
            ))
        }
    }
    Ok(())
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager.\n\n This playground's kubectl reads and writes the objects kube-apiserver keeps under /registry in etcd.\n\nBasic Commands:\n  create        Create a resource (here: create namespace NAME)\n  get           Display one or many resources\n  delete        Delete resources by resource and names\n  describe      Show details of a specific resource (here: pods)\n\nUsage:\n  kubectl [flags] [options]\n";

#[cfg(test)]
mod tests;
