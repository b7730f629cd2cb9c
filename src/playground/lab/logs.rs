//! `kubectl logs POD -n kube-system` on the kubeadm node: what etcd 3.4.23 prints when
//! kubelet starts it from the manifest (capnslog lines on stderr, as recorded from a real
//! etcd 3.4.23 started with kubeadm's flags; etcd's Raft lines are left out), and a few lines
//! for the other static pods; kubectl's errors for a missing pod or bad arguments.
//!
//! Under etcd 3.5.1 etcd's lines are its zap JSON lines instead (`logs_zap`).
//!
//! Owns: [`logs`]. Must not touch: kubelet's containers (read only), the member.

use super::etcd::RunningEtcd;
use super::logs_zap::etcd_startup_zap;
use crate::api::EtcdVersion;
use crate::node::fs::{Fs, Millis};
use crate::node::kubelet::{Kubelet, State};
use crate::node::manifest::{etcd_start, parse_pod, EtcdStart};
use crate::node::time::civil;

const USAGE_ERR: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";

/// capnslog's time: `2024-01-01 00:00:00.123456`.
fn capnslog_date(ms: Millis, micros: u64) -> String {
    let c = civil(ms);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        u64::from(c.micros) + micros
    )
}

/// klog's time with pid 1: `I0101 00:00:00.123456       1 `.
fn klog(ms: Millis, file: &str, msg: &str) -> String {
    format!(
        "I{}       1 {file}] {msg}\n",
        crate::node::time::klog_date(ms)
    )
}

const DEPRECATED: &str =
    "[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead\n";

fn url_hosts(urls: &str) -> Vec<String> {
    urls.split(',')
        .filter(|u| !u.is_empty())
        .map(|u| u.split_once("://").map_or(u, |(_, h)| h).to_string())
        .collect()
}

/// etcd's startup lines, as the lab's release prints them.
pub fn etcd_startup(
    version: EtcdVersion,
    spec: &EtcdStart,
    e: &RunningEtcd,
    at: Millis,
    fresh: bool,
) -> String {
    if version.is_3_5() {
        etcd_startup_zap(spec, e, at, fresh)
    } else {
        etcd_startup_capnslog(spec, e, at, fresh)
    }
}

/// etcd 3.4.23's startup lines for the member started at `at` from `spec`: a new member
/// (`fresh`) or one restarting on a data directory it already has.
fn etcd_startup_capnslog(spec: &EtcdStart, e: &RunningEtcd, at: Millis, fresh: bool) -> String {
    let f = |n: &str| spec.flag(n).unwrap_or("").to_string();
    let mut us = 0u64;
    let mut out = String::from(DEPRECATED);
    let mut line = |out: &mut String, at: Millis, lvl: char, pkg: &str, msg: &str| {
        us += 37;
        out.push_str(&format!(
            "{} {lvl} | {pkg}: {msg}\n",
            capnslog_date(at, us % 900_000)
        ));
    };
    line(&mut out, at, 'I', "etcdmain", "etcd Version: 3.4.23");
    line(
        &mut out,
        at,
        'I',
        "etcdmain",
        "Git SHA: Not provided (use ./build instead of go build)",
    );
    line(&mut out, at, 'I', "etcdmain", "Go Version: go1.19.8");
    line(&mut out, at, 'I', "etcdmain", "Go OS/Arch: linux/amd64");
    line(
        &mut out,
        at,
        'I',
        "etcdmain",
        "setting maximum number of CPUs to 4, total number of available CPUs is 4",
    );
    if !fresh {
        line(
            &mut out,
            at,
            'N',
            "etcdmain",
            "the server is already initialized as member before, starting as etcd member...",
        );
    }
    out.push_str(DEPRECATED);
    let tls = |cert: &str, key: &str, ca: &str, auth: &str| {
        format!(
            "cert = {}, key = {}, trusted-ca = {}, client-cert-auth = {}, crl-file = ",
            f(cert),
            f(key),
            f(ca),
            spec.flag(auth) == Some("true")
        )
    };
    if spec.flag("peer-cert-file").is_some() {
        let t = tls(
            "peer-cert-file",
            "peer-key-file",
            "peer-trusted-ca-file",
            "peer-client-cert-auth",
        );
        line(&mut out, at, 'I', "embed", &format!("peerTLS: {t}"));
    }
    let dir = spec.data_dir.trim_end_matches('/');
    line(&mut out, at, 'I', "embed", &format!("name = {}", spec.name));
    line(
        &mut out,
        at,
        'I',
        "embed",
        &format!("data dir = {}", spec.data_dir),
    );
    line(
        &mut out,
        at,
        'I',
        "embed",
        &format!("member dir = {dir}/member"),
    );
    line(&mut out, at, 'I', "embed", "heartbeat = 100ms");
    line(&mut out, at, 'I', "embed", "election = 1000ms");
    let count = spec.flag("snapshot-count").unwrap_or("100000");
    line(
        &mut out,
        at,
        'I',
        "embed",
        &format!("snapshot count = {count}"),
    );
    line(
        &mut out,
        at,
        'I',
        "embed",
        &format!(
            "advertise client URLs = {}",
            spec.advertise_client_urls().join(",")
        ),
    );
    if !fresh {
        line(
            &mut out,
            at,
            'I',
            "embed",
            &format!(
                "initial advertise peer URLs = {}",
                spec.initial_advertise_peer_urls().join(",")
            ),
        );
        line(&mut out, at, 'I', "embed", "initial cluster = ");
    }
    let (id, cid) = (e.id, e.cluster_id);
    if fresh {
        line(
            &mut out,
            at,
            'I',
            "etcdserver",
            &format!("starting member {id:x} in cluster {cid:x}"),
        );
    }
    line(
        &mut out,
        at,
        'W',
        "auth",
        "simple token is not cryptographically signed",
    );
    if !fresh && spec.flag("experimental-initial-corrupt-check") == Some("true") {
        line(
            &mut out,
            at,
            'I',
            "etcdserver",
            &format!("{id:x} starting initial corruption check with timeout 7s..."),
        );
        line(
            &mut out,
            at,
            'I',
            "etcdserver",
            &format!("{id:x} succeeded on initial corruption checking: no corruption"),
        );
    }
    line(
        &mut out,
        at,
        'I',
        "etcdserver",
        "starting server... [version: 3.4.23, cluster version: to_be_decided]",
    );
    if fresh {
        line(
            &mut out,
            at,
            'I',
            "etcdserver",
            &format!("{id:x} as single-node; fast-forwarding 9 ticks (election ticks 10)"),
        );
    }
    let client_tls = spec.flag("cert-file").is_some().then(|| {
        format!(
            "ClientTLS: {}",
            tls(
                "cert-file",
                "key-file",
                "trusted-ca-file",
                "client-cert-auth"
            )
        )
    });
    let added = format!(
        "added member {id:x} [{}] to cluster {cid:x}",
        e.peer_urls.join(",")
    );
    if !fresh {
        line(&mut out, at, 'I', "etcdserver/membership", &added);
        line(
            &mut out,
            at,
            'N',
            "etcdserver/membership",
            "set the initial cluster version to 3.4",
        );
        line(
            &mut out,
            at,
            'I',
            "etcdserver/api",
            "enabled capabilities for version 3.4",
        );
    }
    if let Some(t) = &client_tls {
        line(&mut out, at, 'I', "embed", t);
    }
    if let Some(m) = spec.flag("listen-metrics-urls") {
        if fresh {
            line(
                &mut out,
                at,
                'I',
                "embed",
                &format!("listening for metrics on {m}"),
            );
        }
    }
    for h in url_hosts(&f("listen-peer-urls")) {
        line(
            &mut out,
            at,
            'I',
            "embed",
            &format!("listening for peers on {h}"),
        );
    }
    if let (false, Some(m)) = (fresh, spec.flag("listen-metrics-urls")) {
        line(
            &mut out,
            at,
            'I',
            "embed",
            &format!("listening for metrics on {m}"),
        );
    }
    if fresh {
        line(&mut out, at, 'I', "etcdserver/membership", &added);
    }
    let later = at + 1000;
    if fresh {
        line(
            &mut out,
            later,
            'I',
            "etcdserver",
            "setting up the initial cluster version to 3.4",
        );
    }
    line(
        &mut out,
        later,
        'I',
        "etcdserver",
        &format!(
            "published {{Name:{} ClientURLs:[{}]}} to cluster {cid:x}",
            spec.name,
            spec.advertise_client_urls().join(" ")
        ),
    );
    for h in url_hosts(&f("listen-client-urls")) {
        line(
            &mut out,
            later,
            'I',
            "embed",
            "ready to serve client requests",
        );
        line(
            &mut out,
            later,
            'I',
            "embed",
            &format!("serving client requests on {h}"),
        );
    }
    if fresh {
        line(
            &mut out,
            later,
            'N',
            "etcdserver/membership",
            "set the initial cluster version to 3.4",
        );
        line(
            &mut out,
            later,
            'I',
            "etcdserver/api",
            "enabled capabilities for version 3.4",
        );
    }
    out
}

/// A few lines of the other control-plane pods, at their container's start.
fn other_startup(name: &str, ip: &str, at: Millis) -> String {
    match name {
        "kube-apiserver" => [
            klog(
                at,
                "options.go:220",
                &format!("external host was not specified, using {ip}"),
            ),
            klog(at, "server.go:148", "Version: v1.29.0"),
            klog(
                at,
                "server.go:150",
                "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"",
            ),
        ]
        .concat(),
        "kube-controller-manager" => [
            klog(at, "serving.go:380", "Generated self-signed cert in-memory"),
            klog(
                at,
                "controllermanager.go:187",
                "\"Starting\" version=\"v1.29.0\"",
            ),
            klog(
                at,
                "leaderelection.go:250",
                "attempting to acquire leader lease kube-system/kube-controller-manager...",
            ),
        ]
        .concat(),
        "kube-scheduler" => [
            klog(at, "serving.go:380", "Generated self-signed cert in-memory"),
            klog(
                at,
                "server.go:154",
                "\"Starting Kubernetes Scheduler\" version=\"v1.29.0\"",
            ),
            klog(
                at,
                "leaderelection.go:250",
                "attempting to acquire leader lease kube-system/kube-scheduler...",
            ),
        ]
        .concat(),
        _ => String::new(),
    }
}

/// What `kubectl logs ARGS` prints on the node (args after `logs`, a leading `-n` already
/// moved behind the verb): (stdout, stderr, status). `registry_has(ns, name)` says whether
/// the API has the pod.
pub fn logs(
    args: &[String],
    kubelet: &Kubelet,
    etcd: Option<&RunningEtcd>,
    fs: &Fs,
    ip: &str,
    version: EtcdVersion,
    registry_has: &mut dyn FnMut(&str, &str) -> bool,
) -> (String, String, i32) {
    let mut ns = "default".to_string();
    let mut tail: Option<i64> = None;
    let mut names = Vec::new();
    let mut i = 0;
    let flag_err = |e: String| {
        (
            String::new(),
            format!("{e}\nSee 'kubectl logs --help' for usage.\n"),
            1,
        )
    };
    while i < args.len() {
        let a = args[i].as_str();
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v.to_string())),
            _ => (a, None),
        };
        match key {
            "-n" | "--namespace" | "--tail" | "-c" | "--container" | "--since" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                let short = key.trim_start_matches('-');
                                return flag_err(if key.starts_with("--") {
                                    format!("Error: flag needs an argument: --{short}")
                                } else {
                                    format!("Error: flag needs an argument: '{short}' in {key}")
                                });
                            }
                        }
                    }
                };
                match key {
                    "-n" | "--namespace" => ns = v,
                    "--tail" => match v.parse::<i64>() {
                        Ok(n) => tail = Some(n),
                        Err(_) => {
                            return flag_err(format!("Error: invalid argument \"{v}\" for \"--tail\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"))
                        }
                    },
                    _ => {}
                }
            }
            k if k.starts_with('-') => {}
            _ => names.push(a.to_string()),
        }
        i += 1;
    }
    let name = match names.as_slice() {
        [n] => n
            .strip_prefix("pod/")
            .or(n.strip_prefix("pods/"))
            .unwrap_or(n)
            .to_string(),
        [n, _] => n.clone(),
        _ => return (String::new(), USAGE_ERR.to_string(), 1),
    };
    let container = kubelet
        .containers
        .iter()
        .rev()
        .find(|c| c.pod == name && c.namespace == ns && c.state == State::Running);
    let text = match container {
        Some(c) if c.name == "etcd" => {
            let spec = fs
                .read(&["etc", "kubernetes", "manifests", "etcd.yaml"].map(String::from))
                .ok()
                .and_then(|d| parse_pod("/etc/kubernetes/manifests/etcd.yaml", d).ok())
                .and_then(|p| etcd_start(&p, fs).ok());
            match (spec, etcd) {
                (Some(s), Some(e)) => etcd_startup(version, &s, e, c.created, !e.restarted),
                _ => String::new(),
            }
        }
        Some(c) => other_startup(&c.name, ip, c.created),
        None if registry_has(&ns, &name) => String::new(),
        None => {
            return (
                String::new(),
                format!("Error from server (NotFound): pods \"{name}\" not found\n"),
                1,
            )
        }
    };
    let text = match tail {
        Some(n) if n >= 0 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let skip = lines
                .len()
                .saturating_sub(usize::try_from(n).unwrap_or(usize::MAX));
            lines[skip..].concat()
        }
        _ => text,
    };
    (text, String::new(), 0)
}
