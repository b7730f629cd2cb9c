//! The kubeadm lab: a control-plane node (`node::kubeadm`'s files, the node shell, kubelet)
//! wired to a world whose only member is the etcd kubelet runs from the static pod manifest.
//!
//! A console line goes to the node's shell; the programs the shell does not have (etcdctl,
//! kubectl, crictl, systemctl, journalctl, vi) are the lab's ([`programs`](super::programs)).
//! Simulated time moves kubelet: after each line and while time passes, kubelet looks at the
//! manifests and its events start or stop the member ([`etcd`](super::etcd) reads and writes
//! the member's data directory on the node).
//!
//! Owns: [`NodeLab`] (the node's state a reload keeps) and the node lab's side of a
//! [`Playground`]. Must not touch: the node's commands and kubelet's rules (`node`), etcd's
//! (`sim`, `server`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::{Output, Playground};
use super::programs::Programs;
use crate::node::fs::{Fs, Millis};
use crate::node::kubeadm::{self, Params};
use crate::node::kubelet::Kubelet;
use crate::node::shell::Shell;
use crate::node::watch::Watch;
use crate::process::Edit;
use crate::sim::World;

/// The node's state: its files, its shell, kubelet, and the etcd member kubelet runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeLab {
    pub fs: Fs,
    pub shell: Shell,
    pub kubelet: Kubelet,
    /// The running etcd member, if kubelet runs one.
    pub etcd: Option<super::etcd::RunningEtcd>,
    /// etcd (re)started: the mirror pods are brought in step once it has a leader.
    #[serde(default)]
    pub mirror_pending: bool,
    /// The external-etcd lab's second node, `etcd-server` (None in the kubeadm lab).
    #[serde(default)]
    pub etcd_server: Option<Box<super::external::Host>>,
    /// The `ssh` sessions open, innermost last: (on etcd-server, the host as typed).
    #[serde(default)]
    pub ssh: Vec<(bool, String)>,
    /// Whether the page has an editor for `vi FILE` (not persisted: the page says so).
    #[serde(skip)]
    pub editor: bool,
}

/// The node's name, address and versions.
pub fn params() -> Params {
    Params::default()
}

/// [`params`] with etcd the release `v` (the manifest's image tag follows it).
pub fn params_of(v: crate::api::EtcdVersion) -> Params {
    Params {
        etcd_version: v.full().to_string(),
        ..Params::default()
    }
}

/// The node's clock: the world's, in milliseconds since the Unix epoch.
pub fn node_now(world: &World) -> Millis {
    (world.unix_nanos().max(0) / 1_000_000) as Millis
}

/// Words that are the playground's own commands in a node lab (everything else is a shell
/// line).
const PLAYGROUND_WORDS: [&str; 5] = ["advance", "help", "hints", "jobs", "kill"];

/// How far time moves between two looks of kubelet while it passes (`advance`).
const KUBELET_STEP: Duration = Duration::from_millis(500);

impl NodeLab {
    /// The node right after `kubeadm init` at `now`.
    pub fn new(now: Millis) -> NodeLab {
        NodeLab::new_with(now, crate::api::EtcdVersion::default())
    }

    /// The node of a kubeadm cluster whose etcd is the release `v`.
    pub fn new_with(now: Millis, v: crate::api::EtcdVersion) -> NodeLab {
        let p = params_of(v);
        NodeLab {
            fs: kubeadm::control_plane(&p, now),
            shell: Shell::new("/root"),
            kubelet: Kubelet::new(&p.node, now),
            etcd: None,
            mirror_pending: false,
            etcd_server: None,
            ssh: Vec::new(),
            editor: false,
        }
    }

    /// etcd exited with `message`: its container (kubelet) or its unit (systemd) says so.
    pub fn etcd_exited(&mut self, message: &str, now: Millis) {
        match self.etcd_server.as_deref_mut() {
            Some(h) => h.systemd.exited("etcd", 1, &[message.to_string()], now),
            None => self.kubelet.etcd_exited(1, message, now),
        }
    }

    /// The name of the node the console is on.
    pub fn host_name(&self) -> String {
        match (&self.etcd_server, self.on_etcd_server()) {
            (Some(h), true) => h.name.clone(),
            _ => self.kubelet.node.clone(),
        }
    }

    /// Whether the console is on etcd-server.
    pub fn on_etcd_server(&self) -> bool {
        self.etcd_server.is_some() && self.ssh.last().is_some_and(|s| s.0)
    }

    /// The filesystem etcd's data directory is on.
    pub fn etcd_fs(&self) -> &Fs {
        match &self.etcd_server {
            Some(h) => &h.fs,
            None => &self.fs,
        }
    }

    /// The filesystem etcd's data directory is on.
    pub fn etcd_fs_mut(&mut self) -> &mut Fs {
        match &mut self.etcd_server {
            Some(h) => &mut h.fs,
            None => &mut self.fs,
        }
    }

    /// The shell prompt: `root@controlplane:~#` (`root@etcd-server:~#` after `ssh`).
    pub fn prompt(&self) -> String {
        let (shell, host) = match (&self.etcd_server, self.on_etcd_server()) {
            (Some(h), true) => (&h.shell, h.name.as_str()),
            _ => (&self.shell, self.kubelet.node.as_str()),
        };
        let pwd = shell.pwd();
        let home = shell.vars.get("HOME").cloned().unwrap_or_default();
        let shown = if !home.is_empty() && pwd == home {
            "~".to_string()
        } else if !home.is_empty() && pwd.starts_with(&format!("{home}/")) {
            format!("~{}", &pwd[home.len()..])
        } else {
            pwd
        };
        format!("root@{host}:{shown}#")
    }
}

impl Playground {
    /// The kubeadm lab: the node after `kubeadm init`, kubelet running etcd from its manifest,
    /// a leader elected, and a small Kubernetes cluster's objects in `/registry`.
    pub(crate) fn kubeadm_lab(seed: u64, v: crate::api::EtcdVersion) -> Playground {
        let world = World::empty(seed);
        let node = NodeLab::new_with(node_now(&world), v);
        let mut p = Playground::from_world(world, Default::default(), true);
        p.set_etcd_version(v);
        p.lab = super::LabKind::Kubeadm;
        p.node = Some(Box::new(node));
        p.node_tick();
        p.world.run_until_settled(Duration::from_secs(10));
        let warm = crate::sim::WARM_UP.saturating_sub(p.world.now());
        p.node_advance(warm);
        let _ = super::super::load::load_k8s(&mut p.world, false);
        p.sync_mirror_pods();
        if let Some(n) = p.node.as_mut() {
            n.mirror_pending = false;
        }
        p.node_tick();
        p
    }

    /// Lets kubelet look at the node now, and acts on what it decided; then writes the
    /// running member's disk to its data directory.
    pub(crate) fn node_tick(&mut self) {
        self.etcd_server_tick();
        let Some(node) = self.node.as_mut() else {
            return;
        };
        let now = node_now(&self.world);
        let events = node.kubelet.tick(&mut node.fs, now);
        self.kubelet_events(events);
        let pending = self.node.as_ref().is_some_and(|n| n.mirror_pending);
        if pending && self.world.leader().is_some() {
            if let Some(n) = self.node.as_mut() {
                n.mirror_pending = false;
            }
            self.sync_mirror_pods();
        }
        self.sync_etcd_files();
    }

    /// Lets `d` of simulated time pass with kubelet looking every [`KUBELET_STEP`].
    pub(crate) fn node_advance(&mut self, d: Duration) {
        let end = self.world.now().saturating_add(d);
        while self.world.now() < end {
            let step = KUBELET_STEP.min(end.saturating_sub(self.world.now()));
            self.world.advance(step);
            self.node_tick();
        }
    }

    /// Runs one console line on the node.
    pub(crate) fn node_line(&mut self, line: &str, stdin: Option<&str>) -> (Output, Vec<String>) {
        let first = line.split_whitespace().next().unwrap_or("");
        if PLAYGROUND_WORDS.contains(&first) {
            let words: Vec<String> = match crate::etcdctl::shell::split(line) {
                Ok(l) => l.words,
                Err(e) => {
                    return (
                        Output {
                            stderr: format!("bash: {e}\n"),
                            exit: 2,
                            ..Default::default()
                        },
                        Vec::new(),
                    )
                }
            };
            return (self.playground_command(&words), Vec::new());
        }
        if let Some(done) = self.ssh_command(line, stdin) {
            return done;
        }
        let (mut o, hints, watch) = self.node_shell_line(line, stdin);
        if let Some(spec) = watch {
            let screen = self.start_watch(spec);
            o.stdout.push_str(&screen);
        }
        (o, hints)
    }

    /// Runs a line in the node's shell (not the playground's words): its output, hints, and
    /// the `watch` it asks for.
    pub(crate) fn node_shell_line(
        &mut self,
        line: &str,
        stdin: Option<&str>,
    ) -> (Output, Vec<String>, Option<Watch>) {
        let Some(mut node) = self.node.take() else {
            return (Output::default(), Vec::new(), None);
        };
        let now = node_now(&self.world);
        let on_server = node.on_etcd_server();
        let ssh_host = node.ssh.last().map(|s| s.1.clone());
        let node_ref = &mut *node;
        let (shell, fs, systemd, etcd_fs) = match (on_server, node_ref.etcd_server.as_deref_mut()) {
            (true, Some(h)) => (&mut h.shell, &mut h.fs, Some(&mut h.systemd), None),
            (_, h) => (
                &mut node_ref.shell,
                &mut node_ref.fs,
                None,
                h.map(|h| &h.fs),
            ),
        };
        let mut programs = Programs {
            world: &mut self.world,
            console: &mut self.console,
            kubelet: &mut node_ref.kubelet,
            etcd: &mut node_ref.etcd,
            etcd_fs,
            systemd,
            on_etcd_server: on_server,
            ssh_host,
            ssh_change: None,
            etcd_started: false,
            editor: node_ref.editor,
            edit: None,
            job: None,
            hints: Vec::new(),
            events: Vec::new(),
            watch: None,
        };
        let o = shell.run(fs, line, stdin, now, &mut programs);
        let ssh_change = programs.ssh_change.take();
        let etcd_started = programs.etcd_started;
        let edit = programs.edit.take();
        let job = programs.job.take();
        let hints = std::mem::take(&mut programs.hints);
        let events = std::mem::take(&mut programs.events);
        let watch = programs.watch.take();
        drop(programs);
        if etcd_started {
            node.mirror_pending = true;
        }
        self.node = Some(node);
        self.apply_ssh(ssh_change);
        if let Some(job) = job {
            self.job = Some(super::super::RunningJob { job });
        }
        self.kubelet_events(events);
        self.node_tick();
        (
            Output {
                stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
                exit: o.status,
                edit,
                order: o.order.clone(),
            },
            hints,
            watch,
        )
    }

    /// The editor saved `text` to `path` (what `vi FILE` opened): written as the shell would
    /// write it, with the error bash would print.
    pub fn save_edit(&mut self, path: &str, text: &str) -> Output {
        let now = node_now(&self.world);
        let Some(node) = self.node.as_mut() else {
            return Output {
                stderr: "there is no node in this lab: nothing to save\n".to_string(),
                exit: 1,
                ..Default::default()
            };
        };
        let on_server = node.on_etcd_server();
        let (fs, shell) = match (on_server, node.etcd_server.as_deref_mut()) {
            (true, Some(h)) => (&mut h.fs, &h.shell),
            _ => (&mut node.fs, &node.shell),
        };
        let res = fs
            .resolve(&shell.cwd, path)
            .and_then(|(c, _)| fs.write(&c, text.as_bytes(), false, now));
        match res {
            Ok(()) => Output {
                stdout: format!(
                    "\"{}\" {}L, {}B written\n",
                    path,
                    text.lines().count(),
                    text.len()
                ),
                ..Default::default()
            },
            Err(e) => Output {
                stderr: format!("bash: {path}: {e}\n"),
                exit: 1,
                ..Default::default()
            },
        }
    }

    /// Whether `vi FILE` opens the page's editor (otherwise it says to use `sed -i` or a
    /// here-document).
    pub fn set_editor_available(&mut self, yes: bool) {
        self.editor = yes;
        if let Some(n) = self.node.as_mut() {
            n.editor = yes;
        }
    }

    /// The shell prompt the console shows: `$` in the local lab, `root@controlplane:~#` on a
    /// node.
    pub fn prompt(&self) -> String {
        match &self.node {
            Some(n) => n.prompt(),
            None => "$".to_string(),
        }
    }

    /// The node's state (a node lab), for persistence and views.
    pub fn node(&self) -> Option<&NodeLab> {
        self.node.as_deref()
    }

    /// A node lab's playground after a reload: the node as saved, its member started again
    /// from its data directory at simulated time `now`.
    pub(crate) fn restore_node(
        kind: super::LabKind,
        seed: u64,
        now: Duration,
        node: NodeLab,
        env: std::collections::BTreeMap<String, String>,
        hints: bool,
    ) -> Playground {
        let world = World::empty_at(seed, now);
        let mut p = Playground::from_world(world, env, hints);
        p.lab = kind;
        p.node = Some(Box::new(node));
        p.resume_etcd();
        p.world.run_until_settled(Duration::from_secs(10));
        p.node_tick();
        p
    }
}

/// What `vi FILE` does natively (no editor in the page).
pub const NO_EDITOR: &str =
    "this console has no full-screen editor: change files with sed -i 's/OLD/NEW/' FILE, or write them whole with cat > FILE <<EOF";

/// The editor's request for `vi FILE` (the text of an existing file, or empty).
pub fn edit_of(path: String, text: &[u8]) -> Edit {
    Edit {
        path,
        text: String::from_utf8_lossy(text).into_owned(),
    }
}
