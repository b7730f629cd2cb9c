//! kubelet on the node, as a pure state machine over simulated time: every file check
//! period (20 s) it reads the static pod manifests in `/etc/kubernetes/manifests`, stops
//! the containers of pods whose manifest went away, changed or no longer parses, and
//! starts containers for new or changed ones; a container that exits is restarted with
//! CrashLoopBackOff (10 s doubling to 5 min). For the etcd pod it decides with
//! `manifest::etcd_start` and tells the lab to start or stop the etcd member; the
//! kube-apiserver container runs only while etcd does. It keeps the journal lines kubelet
//! and systemd write, and the containers `crictl ps -a` lists (printers in
//! kubelet_print.rs).
//!
//! Owns: kubelet's and the container runtime's state. Must not touch: the etcd member
//! (the lab starts it from the `Event`s), the clock (time is passed in).

use crate::node::fs::{Components, Fs, Millis};
use crate::node::manifest::{etcd_start, parse_pod, EtcdFailure, EtcdStart, StaticPod};
use crate::node::time::klog_date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// kubelet's `fileCheckFrequency` default.
pub const FILE_CHECK_PERIOD: Millis = 20_000;
const BACKOFF_START: Millis = 10_000;
const BACKOFF_MAX: Millis = 300_000;
/// Journal lines kept (older ones are dropped, as journald rotates).
const JOURNAL_MAX: usize = 2_000;

/// A container's state as the runtime reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Running,
    Exited(i32),
}

/// A container of a static pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    /// The pod sandbox's id (64 hex digits).
    pub pod_id: String,
    /// The mirror pod's name: `etcd-controlplane`.
    pub pod: String,
    pub namespace: String,
    pub name: String,
    pub image: String,
    pub created: Millis,
    pub state: State,
    pub attempt: u32,
    /// Why it exited, as its last log line.
    pub exit_message: Option<String>,
}

/// A static pod kubelet runs from a manifest file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Pod {
    file: String,
    /// Hash of the manifest's bytes: a changed manifest is a new pod.
    hash: String,
    uid: String,
    sandbox: String,
    name: String,
    namespace: String,
    container: String,
    image: String,
    is_etcd: bool,
    /// When the next (re)start may happen; None while running or waiting for nothing.
    next_start: Option<Millis>,
    backoff: Millis,
    attempt: u32,
    /// Set while a volume cannot be set up (the pod stays without a container).
    volume_error: Option<String>,
}

/// What the lab must do for kubelet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Start the etcd member as this spec says (its data directory is on the node's fs).
    StartEtcd(EtcdStart),
    /// The etcd container was stopped.
    StopEtcd,
}

/// kubelet, the service and its containers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kubelet {
    pub node: String,
    pub manifest_dir: String,
    pub active: bool,
    /// When the service last started (or stopped).
    pub since: Millis,
    pub pid: u32,
    last_scan: Option<Millis>,
    pods: BTreeMap<String, Pod>,
    pub containers: Vec<Container>,
    journal: Vec<(Millis, String)>,
    seq: u64,
    /// With an external etcd (no etcd pod): whether it answers (kube-apiserver follows it).
    #[serde(default)]
    pub external_etcd: Option<bool>,
}

fn hex(data: &str) -> String {
    let d = Sha256::digest(data.as_bytes());
    d.iter().map(|b| format!("{:02x}", b)).collect()
}

fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Kubelet {
    /// kubelet as it is right after `kubeadm init` (started at `now`, nothing read yet).
    pub fn new(node: &str, now: Millis) -> Kubelet {
        let mut k = Kubelet {
            node: node.to_string(),
            manifest_dir: "/etc/kubernetes/manifests".to_string(),
            active: true,
            since: now,
            pid: 1201,
            last_scan: None,
            pods: BTreeMap::new(),
            containers: Vec::new(),
            journal: Vec::new(),
            seq: 0,
            external_etcd: None,
        };
        k.systemd(now, "Started kubelet: The Kubernetes Node Agent.");
        k
    }

    fn next_id(&mut self, what: &str) -> String {
        self.seq += 1;
        hex(&format!("{}/{}/{}", self.node, what, self.seq))
    }

    fn log(&mut self, now: Millis, level: char, src: &str, msg: &str) {
        let line = format!(
            "{} kubelet[{}]: {}{} {:>7} {}] {}",
            self.node,
            self.pid,
            level,
            klog_date(now),
            self.pid,
            src,
            msg
        );
        self.push(now, line);
    }

    fn systemd(&mut self, now: Millis, msg: &str) {
        let line = format!("{} systemd[1]: {}", self.node, msg);
        self.push(now, line);
    }

    fn push(&mut self, now: Millis, line: String) {
        self.journal.push((now, line));
        if self.journal.len() > JOURNAL_MAX {
            let drop = self.journal.len() - JOURNAL_MAX;
            self.journal.drain(..drop);
        }
    }

    /// The journal: (time, line after the date).
    pub fn journal(&self) -> &[(Millis, String)] {
        &self.journal
    }

    /// Advances kubelet to `now`: a manifest scan when the check period has passed, the
    /// restarts whose back-off is over, kube-apiserver following etcd.
    pub fn tick(&mut self, fs: &mut Fs, now: Millis) -> Vec<Event> {
        let mut events = Vec::new();
        if !self.active {
            return events;
        }
        if self.last_scan.is_none_or(|t| now >= t + FILE_CHECK_PERIOD) {
            self.scan(fs, now, &mut events);
        }
        let due: Vec<String> = self
            .pods
            .iter()
            .filter(|(_, p)| p.next_start.is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in due {
            self.start(&key, fs, now, &mut events);
        }
        self.follow_etcd(now);
        events
    }

    /// `systemctl restart kubelet`: a new process that reads the manifests at once.
    pub fn restart(&mut self, fs: &mut Fs, now: Millis) -> Vec<Event> {
        if self.active {
            self.stop(now);
        }
        self.active = true;
        self.since = now;
        self.pid += 97;
        self.systemd(now, "Started kubelet: The Kubernetes Node Agent.");
        self.last_scan = None;
        self.tick(fs, now)
    }

    /// `systemctl stop kubelet`: the containers keep running; nothing is watched.
    pub fn stop(&mut self, now: Millis) {
        if !self.active {
            return;
        }
        self.systemd(now, "Stopping kubelet: The Kubernetes Node Agent...");
        self.systemd(now, "kubelet.service: Deactivated successfully.");
        self.systemd(now, "Stopped kubelet: The Kubernetes Node Agent.");
        self.active = false;
        self.since = now;
    }

    /// The lab says the etcd process exited (e.g. it could not read its data).
    pub fn etcd_exited(&mut self, code: i32, message: &str, now: Millis) {
        let Some(key) = self
            .pods
            .iter()
            .find(|(_, p)| p.is_etcd)
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        if let Some(c) = self
            .containers
            .iter_mut()
            .rev()
            .find(|c| c.name == "etcd" && c.state == State::Running)
        {
            c.state = State::Exited(code);
            c.exit_message = Some(message.to_string());
        }
        self.back_off(&key, now);
    }

    fn pod_key(pod: &StaticPod) -> String {
        format!("{}/{}", pod.namespace, pod.name)
    }

    fn scan(&mut self, fs: &mut Fs, now: Millis, events: &mut Vec<Event>) {
        self.last_scan = Some(now);
        let dir = comps(&self.manifest_dir);
        let mut desired: BTreeMap<String, (String, String, StaticPod)> = BTreeMap::new();
        for (name, st) in fs.list(&dir).unwrap_or_default() {
            if name.starts_with('.') || st.is_dir {
                continue;
            }
            let path = format!("{}/{}", self.manifest_dir, name);
            let data = fs
                .read(&comps(&path))
                .map(|d| d.to_vec())
                .unwrap_or_default();
            match parse_pod(&path, &data) {
                Ok(pod) => {
                    let hash = hex(&String::from_utf8_lossy(&data));
                    desired.insert(Self::pod_key(&pod), (path, hash, pod));
                }
                Err(e) => {
                    let msg = format!(
                        "\"Could not process manifest file\" err=\"{}\" path=\"{}\"",
                        esc(&e),
                        path
                    );
                    self.log(now, 'E', "file.go:187", &msg);
                }
            }
        }
        // pods gone or changed
        let current: Vec<String> = self.pods.keys().cloned().collect();
        for key in current {
            let changed = match desired.get(&key) {
                None => true,
                Some((_, hash, _)) => self.pods.get(&key).is_some_and(|p| p.hash != *hash),
            };
            if changed {
                self.remove(&key, now, events);
            }
        }
        for (key, (file, hash, pod)) in desired {
            if self.pods.contains_key(&key) {
                continue;
            }
            let full = pod.full_name(&self.node);
            self.log(
                now,
                'I',
                "kubelet.go:2337",
                &format!(
                    "\"SyncLoop ADD\" source=\"file\" pods=[\"{}/{}\"]",
                    pod.namespace, full
                ),
            );
            let first = pod.containers.first();
            let p = Pod {
                file,
                uid: hex(&hash)[..32].to_string(),
                sandbox: self.next_id("sandbox"),
                hash,
                name: full,
                namespace: pod.namespace.clone(),
                container: first.map(|c| c.name.clone()).unwrap_or_default(),
                image: first.map(|c| c.image.clone()).unwrap_or_default(),
                is_etcd: pod.containers.iter().any(|c| c.name == "etcd"),
                next_start: Some(now),
                backoff: BACKOFF_START,
                attempt: 0,
                volume_error: None,
            };
            self.pods.insert(key.clone(), p);
            self.start(&key, fs, now, events);
        }
        // the previous generation's dead containers of removed pods are cleaned up
        let live: Vec<String> = self.pods.values().map(|p| p.sandbox.clone()).collect();
        self.containers.retain(|c| {
            live.contains(&c.pod_id)
                || c.state == State::Running
                || c.created + FILE_CHECK_PERIOD > now
        });
    }

    fn remove(&mut self, key: &str, now: Millis, events: &mut Vec<Event>) {
        let Some(p) = self.pods.remove(key) else {
            return;
        };
        self.log(
            now,
            'I',
            "kubelet.go:2353",
            &format!(
                "\"SyncLoop REMOVE\" source=\"file\" pods=[\"{}/{}\"]",
                p.namespace, p.name
            ),
        );
        let running: Vec<(String, String)> = self
            .containers
            .iter()
            .filter(|c| c.pod_id == p.sandbox && c.state == State::Running)
            .map(|c| (c.name.clone(), c.id.clone()))
            .collect();
        for (name, id) in running {
            self.log(
                now,
                'I',
                "kuberuntime_container.go:779",
                &format!(
                    "\"Killing container with a grace period\" pod=\"{}/{}\" podUID=\"{}\" containerName=\"{}\" containerID=\"containerd://{}\" gracePeriod=30",
                    p.namespace, p.name, p.uid, name, id
                ),
            );
            if let Some(c) = self.containers.iter_mut().find(|c| c.id == id) {
                c.state = State::Exited(0);
            }
            if p.is_etcd {
                events.push(Event::StopEtcd);
            }
        }
    }

    /// Starts (or restarts) the pod's container.
    fn start(&mut self, key: &str, fs: &mut Fs, now: Millis, events: &mut Vec<Event>) {
        let Some(p) = self.pods.get(key).cloned() else {
            return;
        };
        let data = fs
            .read(&comps(&p.file))
            .map(|d| d.to_vec())
            .unwrap_or_default();
        let Ok(pod) = parse_pod(&p.file, &data) else {
            return;
        };
        let decision = if p.is_etcd {
            Some(etcd_start(&pod, fs))
        } else {
            None
        };
        if let Some(Err(EtcdFailure::Volume { volume, message })) = &decision {
            let msg = format!(
                "\"Error syncing pod, skipping\" err=\"unmounted volumes=[{}], unattached volumes=[], failed to process volumes=[]: MountVolume.SetUp failed for volume \\\"{}\\\" : {}\" pod=\"{}/{}\" podUID=\"{}\"",
                volume, volume, message, p.namespace, p.name, p.uid
            );
            self.log(now, 'E', "pod_workers.go:1298", &msg);
            if let Some(pm) = self.pods.get_mut(key) {
                pm.volume_error = Some(message.clone());
                pm.next_start = Some(now + FILE_CHECK_PERIOD);
            }
            return;
        }
        let id = self.next_id("container");
        let attempt = p.attempt;
        let mut c = Container {
            id,
            pod_id: p.sandbox.clone(),
            pod: p.name.clone(),
            namespace: p.namespace.clone(),
            name: p.container.clone(),
            image: p.image.clone(),
            created: now,
            state: State::Running,
            attempt,
            exit_message: None,
        };
        // kube-apiserver cannot run without etcd
        let etcd_up = self.etcd_running();
        let mut failed = false;
        match decision {
            Some(Ok(spec)) => {
                for (path, dir) in &spec.creates {
                    let c = comps(path);
                    let _ = if *dir {
                        fs.mkdir_all(&c, now)
                    } else {
                        fs.write(&c, b"", false, now)
                    };
                }
                events.push(Event::StartEtcd(spec));
            }
            Some(Err(e)) => {
                c.state = State::Exited(1);
                c.exit_message = Some(e.to_string());
                failed = true;
            }
            None if c.name == "kube-apiserver" && !etcd_up => {
                c.state = State::Exited(1);
                c.exit_message = Some("Error: context deadline exceeded".into());
                failed = true;
            }
            None => {}
        }
        self.containers.push(c);
        if let Some(pm) = self.pods.get_mut(key) {
            pm.volume_error = None;
            pm.next_start = None;
            pm.attempt += 1;
        }
        if failed {
            self.back_off(key, now);
        }
    }

    fn back_off(&mut self, key: &str, now: Millis) {
        let Some(p) = self.pods.get_mut(key) else {
            return;
        };
        let wait = p.backoff;
        p.next_start = Some(now + wait);
        p.backoff = (p.backoff * 2).min(BACKOFF_MAX);
        let (ns, name, uid, container) = (
            p.namespace.clone(),
            p.name.clone(),
            p.uid.clone(),
            p.container.clone(),
        );
        let msg = format!(
            "\"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"{}\\\" with CrashLoopBackOff: \\\"back-off {}s restarting failed container={} pod={}_{}({})\\\"\" pod=\"{}/{}\" podUID=\"{}\"",
            container, wait / 1000, container, name, ns, uid, ns, name, uid
        );
        self.log(now, 'E', "pod_workers.go:1298", &msg);
    }

    /// kube-apiserver exits when etcd is not running and comes back after it.
    fn follow_etcd(&mut self, now: Millis) {
        let etcd_up = self.etcd_running();
        if etcd_up {
            return;
        }
        let key = self
            .pods
            .iter()
            .find(|(_, p)| p.container == "kube-apiserver")
            .map(|(k, _)| k.clone());
        let Some(key) = key else { return };
        let sandbox = self
            .pods
            .get(&key)
            .map(|p| p.sandbox.clone())
            .unwrap_or_default();
        let mut exited = false;
        for c in self
            .containers
            .iter_mut()
            .filter(|c| c.pod_id == sandbox && c.state == State::Running)
        {
            c.state = State::Exited(1);
            c.exit_message = Some("Error: context deadline exceeded".into());
            exited = true;
        }
        if exited {
            self.back_off(&key, now);
        }
    }

    /// Why the etcd pod is not running, if it is not: a volume error, or the last etcd
    /// container's exit message.
    pub fn etcd_problem(&self) -> Option<String> {
        let p = self.pods.values().find(|p| p.is_etcd)?;
        if let Some(v) = &p.volume_error {
            return Some(v.clone());
        }
        let last = self
            .containers
            .iter()
            .rev()
            .find(|c| c.pod_id == p.sandbox)?;
        match last.state {
            State::Running => None,
            State::Exited(_) => last.exit_message.clone(),
        }
    }

    /// True while an etcd container runs (or, with an external etcd, while it answers).
    pub fn etcd_running(&self) -> bool {
        self.external_etcd.unwrap_or_else(|| {
            self.containers
                .iter()
                .any(|c| c.name == "etcd" && c.state == State::Running)
        })
    }
}

/// Escapes a message for a klog `key="value"` field.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
#[path = "kubelet_test.rs"]
mod tests;
