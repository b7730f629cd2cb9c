//! What kubelet makes of a static pod manifest, and from it what etcd would start with.
//!
//! `parse_pod` reads a manifest file (YAML, through yaml-rust2) into the parts of a Pod that
//! matter here — name, namespace, containers with their command, image and volumeMounts,
//! hostPath volumes — or gives the error kubelet logs (`couldn't parse as pod(yaml: line 4:
//! could not find expected ':')`). `etcd_start` then follows the etcd container's flags
//! through its volumeMounts to the node's directories, as the container would see them:
//! the data directory on the host (or none: data that lives only in the container), the
//! certificate files, the hostPath type checks kubelet makes, and the errors etcd 3.4 exits
//! with (a missing certificate, an unknown flag, a name not in `--initial-cluster`).
//!
//! Owns: manifest decoding and the manifest-to-etcd decision. Must not touch: the clock,
//! the filesystem (read only), the running member.

use crate::node::fs::{Components, Fs};
use std::collections::BTreeMap;
use yaml_rust2::{Yaml, YamlLoader};

/// A volume mount of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
}

/// A container of a static pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub image: String,
    /// `command` then `args`.
    pub argv: Vec<String>,
    pub mounts: Vec<Mount>,
}

/// A hostPath volume (other volume kinds have `host_path: None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    pub host_path: Option<String>,
    /// `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, or empty.
    pub kind: String,
}

/// The parts of a static pod kubelet acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticPod {
    pub name: String,
    pub namespace: String,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
}

impl StaticPod {
    /// The mirror pod's name on a node: `etcd-controlplane`.
    pub fn full_name(&self, node: &str) -> String {
        format!("{}-{}", self.name, node)
    }
}

/// Reads a manifest as kubelet's file source does; the error is the text kubelet logs
/// after `err=` (`PATH: couldn't parse as pod(...), please check config file`).
pub fn parse_pod(path: &str, data: &[u8]) -> Result<StaticPod, String> {
    decode(data).map_err(|e| {
        format!(
            "{}: couldn't parse as pod({}), please check config file",
            path, e
        )
    })
}

fn decode(data: &[u8]) -> Result<StaticPod, String> {
    let text =
        std::str::from_utf8(data).map_err(|_| "yaml: invalid leading UTF-8 octet".to_string())?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| yaml_error(&e))?;
    let doc = docs.into_iter().next().unwrap_or(Yaml::Null);
    if matches!(doc, Yaml::Null) {
        return Err("Object 'Kind' is missing in 'null'".into());
    }
    let Yaml::Hash(_) = doc else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&doc)
        ));
    };
    let kind = str_at(&doc["kind"]);
    let api = str_at(&doc["apiVersion"]);
    if kind.is_empty() {
        return Err(format!(
            "Object 'Kind' is missing in '{}'",
            short_json(&doc)
        ));
    }
    if api != "v1" || kind != "Pod" {
        return Err(format!(
            "no kind \"{}\" is registered for version \"{}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
            kind, api
        ));
    }
    let meta = &doc["metadata"];
    let spec = &doc["spec"];
    let mut containers = Vec::new();
    if let Yaml::Array(items) = &spec["containers"] {
        for c in items {
            let mut argv = Vec::new();
            for field in ["command", "args"] {
                match &c[field] {
                    Yaml::Array(words) => argv.extend(words.iter().map(scalar)),
                    Yaml::BadValue | Yaml::Null => {}
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go struct field Container.spec.containers.{} of type []string",
                            json_kind(other),
                            field
                        ))
                    }
                }
            }
            let mut mounts = Vec::new();
            if let Yaml::Array(ms) = &c["volumeMounts"] {
                for m in ms {
                    mounts.push(Mount {
                        name: str_at(&m["name"]),
                        mount_path: str_at(&m["mountPath"]),
                        read_only: m["readOnly"].as_bool().unwrap_or(false),
                    });
                }
            }
            containers.push(Container {
                name: str_at(&c["name"]),
                image: str_at(&c["image"]),
                argv,
                mounts,
            });
        }
    }
    let mut volumes = Vec::new();
    if let Yaml::Array(vs) = &spec["volumes"] {
        for v in vs {
            let hp = &v["hostPath"];
            volumes.push(Volume {
                name: str_at(&v["name"]),
                host_path: match hp {
                    Yaml::Hash(_) => Some(str_at(&hp["path"])),
                    _ => None,
                },
                kind: str_at(&hp["type"]),
            });
        }
    }
    let pod = StaticPod {
        name: str_at(&meta["name"]),
        namespace: match str_at(&meta["namespace"]) {
            n if n.is_empty() => "default".into(),
            n => n,
        },
        containers,
        volumes,
    };
    validate(&pod)?;
    Ok(pod)
}

/// The checks the API server's validation would make of the fields used here.
fn validate(pod: &StaticPod) -> Result<(), String> {
    let mut errs = Vec::new();
    if pod.name.is_empty() {
        errs.push("metadata.name: Required value: name or generateName is required".to_string());
    }
    if pod.containers.is_empty() {
        errs.push("spec.containers: Required value".to_string());
    }
    for (i, c) in pod.containers.iter().enumerate() {
        for (j, m) in c.mounts.iter().enumerate() {
            if !pod.volumes.iter().any(|v| v.name == m.name) {
                errs.push(format!(
                    "spec.containers[{}].volumeMounts[{}].name: Not found: \"{}\"",
                    i, j, m.name
                ));
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid pod: [{}]", errs.join(", ")))
    }
}

fn scalar(y: &Yaml) -> String {
    match y {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

fn str_at(y: &Yaml) -> String {
    scalar(y)
}

fn json_kind(y: &Yaml) -> &'static str {
    match y {
        Yaml::String(_) => "string",
        Yaml::Integer(_) | Yaml::Real(_) => "number",
        Yaml::Boolean(_) => "bool",
        Yaml::Array(_) => "array",
        Yaml::Hash(_) => "object",
        _ => "null",
    }
}

fn short_json(y: &Yaml) -> String {
    match y {
        Yaml::Hash(h) => {
            let keys: Vec<String> = h.keys().map(|k| format!("\"{}\":…", scalar(k))).collect();
            format!("{{{}}}", keys.join(","))
        }
        other => scalar(other),
    }
}

/// yaml-rust2's scanner errors in go-yaml's words (`yaml: line N: PROBLEM`): libyaml's
/// problem without its context, scanner errors on their 1-based line, parser errors on
/// the line before (go-yaml's own quirk).
fn yaml_error(e: &yaml_rust2::ScanError) -> String {
    let info = e.info();
    let problem = info.rsplit_once(", ").map(|(_, p)| p).unwrap_or(info);
    let (problem, parser) = match problem {
        "simple key expect ':'" => ("could not find expected ':'", false),
        p if p.contains("tab") => ("found character that cannot start any token", false),
        "did not find expected key"
        | "did not find expected node content"
        | "did not find expected '-' indicator" => (problem, true),
        "did not find expected <document start>" | "did not find expected <document-start>" => {
            ("did not find expected <document start>", true)
        }
        other => (other, false),
    };
    let line = e.marker().line();
    let line = if parser { line.saturating_sub(1) } else { line };
    if line == 0 {
        format!("yaml: {}", problem)
    } else {
        format!("yaml: line {}: {}", line, problem)
    }
}

/// How kubelet and etcd would start etcd from a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EtcdStart {
    /// `--name` (default `default`).
    pub name: String,
    /// `--data-dir` as the container sees it.
    pub data_dir: String,
    /// The node directory behind it; None if no volume covers it (the data then lives
    /// and dies with the container).
    pub host_data_dir: Option<String>,
    /// Every `--flag=value` of the command (a bare `--flag` has value `true`).
    pub flags: BTreeMap<String, String>,
    /// The command line as written: the program, then its arguments (etcd 3.5 logs it).
    pub argv: Vec<String>,
    pub image: String,
    /// hostPath directories and files kubelet creates first (`DirectoryOrCreate`,
    /// `FileOrCreate`), as (path, is_dir).
    pub creates: Vec<(String, bool)>,
}

impl EtcdStart {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }
    fn list(&self, name: &str, default: &str) -> Vec<String> {
        self.flag(name)
            .unwrap_or(default)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
    pub fn listen_client_urls(&self) -> Vec<String> {
        self.list("listen-client-urls", "http://localhost:2379")
    }
    pub fn advertise_client_urls(&self) -> Vec<String> {
        self.list("advertise-client-urls", "http://localhost:2379")
    }
    pub fn initial_advertise_peer_urls(&self) -> Vec<String> {
        self.list("initial-advertise-peer-urls", "http://localhost:2380")
    }
    /// `--initial-cluster` as (name, peer URL) pairs.
    pub fn initial_cluster(&self) -> Vec<(String, String)> {
        let default = format!("{}=http://localhost:2380", self.name);
        self.list("initial-cluster", &default)
            .iter()
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    }
    pub fn initial_cluster_token(&self) -> String {
        self.flag("initial-cluster-token")
            .unwrap_or("etcd-cluster")
            .to_string()
    }
    pub fn client_cert_auth(&self) -> bool {
        self.flag("client-cert-auth") == Some("true")
    }
}

/// Why etcd does not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EtcdFailure {
    /// No container named etcd in the pod.
    NoEtcdContainer,
    /// kubelet cannot set up a volume: `MountVolume.SetUp failed for volume "etcd-data" :
    /// hostPath type check failed: /var/lib/x is not a directory`.
    Volume { volume: String, message: String },
    /// The container starts and etcd exits with this message.
    Exit(String),
}

impl std::fmt::Display for EtcdFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EtcdFailure::NoEtcdContainer => f.write_str("no etcd container in the pod"),
            EtcdFailure::Volume { volume, message } => {
                write!(
                    f,
                    "MountVolume.SetUp failed for volume \"{}\" : {}",
                    volume, message
                )
            }
            EtcdFailure::Exit(m) => f.write_str(m),
        }
    }
}

/// The flags etcd 3.4 knows (those a manifest is likely to carry).
const ETCD_FLAGS: [&str; 48] = [
    "name",
    "data-dir",
    "wal-dir",
    "snapshot-count",
    "heartbeat-interval",
    "election-timeout",
    "listen-peer-urls",
    "listen-client-urls",
    "listen-metrics-urls",
    "max-snapshots",
    "max-wals",
    "quota-backend-bytes",
    "initial-advertise-peer-urls",
    "initial-cluster",
    "initial-cluster-state",
    "initial-cluster-token",
    "advertise-client-urls",
    "discovery",
    "cert-file",
    "key-file",
    "client-cert-auth",
    "trusted-ca-file",
    "auto-tls",
    "peer-cert-file",
    "peer-key-file",
    "peer-client-cert-auth",
    "peer-trusted-ca-file",
    "peer-auto-tls",
    "cipher-suites",
    "logger",
    "log-outputs",
    "log-level",
    "debug",
    "enable-v2",
    "auto-compaction-retention",
    "auto-compaction-mode",
    "experimental-initial-corrupt-check",
    "experimental-watch-progress-notify-interval",
    "experimental-corrupt-check-time",
    "metrics",
    "enable-pprof",
    "max-request-bytes",
    "grpc-keepalive-min-time",
    "strict-reconfig-check",
    "force-new-cluster",
    "unsafe-no-fsync",
    "version",
    "auth-token",
];

/// Splits a path into components (lexically; no filesystem walk).
fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect()
}

/// The node path behind a path inside the container: through the mount with the longest
/// matching mountPath. None if no mount covers it.
pub fn host_path(pod: &StaticPod, c: &Container, path: &str) -> Option<String> {
    let p = comps(path);
    let mut best: Option<(usize, String)> = None;
    for m in &c.mounts {
        let mp = comps(&m.mount_path);
        if p.len() >= mp.len()
            && p[..mp.len()] == mp[..]
            && best.as_ref().is_none_or(|(l, _)| mp.len() > *l)
        {
            let vol = pod.volumes.iter().find(|v| v.name == m.name)?;
            let host = vol.host_path.clone()?;
            let mut hp = comps(&host);
            hp.extend(p[mp.len()..].iter().cloned());
            best = Some((mp.len(), crate::node::fs::join(&hp)));
        }
    }
    best.map(|(_, h)| h)
}

/// Decides how etcd starts from a parsed pod on this node's filesystem.
pub fn etcd_start(pod: &StaticPod, fs: &Fs) -> Result<EtcdStart, EtcdFailure> {
    let c = pod
        .containers
        .iter()
        .find(|c| c.name == "etcd")
        .ok_or(EtcdFailure::NoEtcdContainer)?;
    // kubelet first: the hostPath volumes the container mounts
    let mut creates = Vec::new();
    for m in &c.mounts {
        let Some(v) = pod.volumes.iter().find(|v| v.name == m.name) else {
            continue;
        };
        let Some(hp) = &v.host_path else { continue };
        let node = fs.node(&comps(hp));
        let fail = |what: &str| EtcdFailure::Volume {
            volume: v.name.clone(),
            message: format!("hostPath type check failed: {} is not {}", hp, what),
        };
        match (v.kind.as_str(), node) {
            ("Directory", Some(n)) if !n.is_dir() => return Err(fail("a directory")),
            ("Directory", None) => return Err(fail("a directory")),
            ("File", Some(n)) if n.is_dir() => return Err(fail("a file")),
            ("File", None) => return Err(fail("a file")),
            ("DirectoryOrCreate", Some(n)) if !n.is_dir() => return Err(fail("a directory")),
            ("FileOrCreate", Some(n)) if n.is_dir() => return Err(fail("a file")),
            ("DirectoryOrCreate", None) | ("", None) => creates.push((hp.clone(), true)),
            ("FileOrCreate", None) => creates.push((hp.clone(), false)),
            _ => {}
        }
    }
    // then etcd: its command line
    let mut flags = BTreeMap::new();
    let args = c
        .argv
        .iter()
        .skip(if c.argv.first().is_some_and(|a| a.ends_with("etcd")) {
            1
        } else {
            0
        });
    for a in args {
        let Some(body) = a.strip_prefix("--").or_else(|| a.strip_prefix('-')) else {
            return Err(EtcdFailure::Exit(format!("'{}' is not a valid flag", a)));
        };
        let (k, v) = body.split_once('=').unwrap_or((body, "true"));
        if !ETCD_FLAGS.contains(&k) {
            return Err(EtcdFailure::Exit(format!(
                "flag provided but not defined: -{}",
                k
            )));
        }
        flags.insert(k.to_string(), v.to_string());
    }
    let name = flags
        .get("name")
        .cloned()
        .unwrap_or_else(|| "default".into());
    let data_dir = flags
        .get("data-dir")
        .cloned()
        .unwrap_or_else(|| format!("{}.etcd", name));
    // TLS files are read when the listeners start: peer first, then client
    for key in [
        "peer-cert-file",
        "peer-key-file",
        "peer-trusted-ca-file",
        "cert-file",
        "key-file",
        "trusted-ca-file",
    ] {
        let Some(path) = flags.get(key) else { continue };
        let exists = host_path(pod, c, path)
            .is_some_and(|h| fs.node(&comps(&h)).is_some_and(|n| !n.is_dir()))
            || creates
                .iter()
                .any(|(p, dir)| !dir && host_path(pod, c, path).as_deref() == Some(p));
        if !exists {
            return Err(EtcdFailure::Exit(format!(
                "open {}: no such file or directory",
                path
            )));
        }
    }
    let host_data_dir = host_path(pod, c, &data_dir);
    if let Some(h) = &host_data_dir {
        if fs.node(&comps(h)).is_some_and(|n| !n.is_dir()) {
            return Err(EtcdFailure::Exit(format!(
                "cannot access data directory: mkdir {}: not a directory",
                data_dir
            )));
        }
    }
    let start = EtcdStart {
        name,
        data_dir,
        host_data_dir,
        flags,
        argv: c.argv.clone(),
        image: c.image.clone(),
        creates,
    };
    // a new member (no member directory yet) must find itself in --initial-cluster
    let has_member = start
        .host_data_dir
        .as_ref()
        .is_some_and(|h| fs.is_dir(&comps(&format!("{}/member", h))));
    if !has_member
        && !start
            .initial_cluster()
            .iter()
            .any(|(n, _)| *n == start.name)
    {
        return Err(EtcdFailure::Exit(format!(
            "couldn't find local name \"{}\" in the initial cluster configuration",
            start.name
        )));
    }
    Ok(start)
}

#[cfg(test)]
#[path = "manifest_test.rs"]
mod tests;
