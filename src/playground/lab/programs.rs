//! The programs of the kubeadm node that the node shell does not have: `etcdctl` (over the
//! member's TLS listeners, its files on the node), `kubectl` (refused while kube-apiserver is
//! down; `exec` into the etcd pod), `crictl`, `journalctl`, `systemctl` (kubelet), and
//! `vi`/`vim`/`nano` (the page's editor).
//!
//! Owns: [`Programs`] (the shell's `External`), [`NodeFiles`] (etcdctl's files on the node).
//! Must not touch: the commands' own logic (etcdctl, kubectl, node).

use std::collections::BTreeMap;

use super::cluster::{LabCluster, Listeners};
use super::etcd::RunningEtcd;
use super::mirror::{recreate_mirror_pod, registry_get};
use super::node::{edit_of, NO_EDITOR};
use super::tls::ServerTls;
use crate::cluster::ClientTls;
use crate::etcdctl::files::Files;
use crate::etcdctl::{self, Console, Io, Job, Status};
use crate::node::cmd::Ctx;
use crate::node::fs::{join, Fs, Millis};
use crate::node::kubelet::{Event, Kubelet};
use crate::node::kubelet_print::{crictl_ps, journalctl, systemctl_status};
use crate::node::shell::External;
use crate::playground::wrappers::{self, Plan};
use crate::process::Edit;
use crate::sim::World;

/// What kubectl prints on the node while kube-apiserver is down.
pub const APISERVER_REFUSED: &str =
    "The connection to the server controlplane:6443 was refused - did you specify the right host or port?";

/// The hint under `context deadline exceeded` while etcd runs with TLS.
pub const TLS_HINT: &str = "hint: this etcd answers only TLS clients with a certificate of its CA: use an https:// (or no) endpoint and --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key (the paths are in /etc/kubernetes/manifests/etcd.yaml)";

/// The hint under `context deadline exceeded` in the external-etcd lab while etcd runs.
pub const EXTERNAL_TLS_HINT: &str = "hint: this etcd answers only TLS clients with a certificate of its CA: on etcd-server use --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.pem --cert=/etc/etcd/pki/etcd.pem --key=/etc/etcd/pki/etcd-key.pem (the paths are in systemctl cat etcd); from controlplane, https://172.30.1.3:2379 and the files in /etc/kubernetes/pki/etcd/";

/// The hint under `context deadline exceeded` in the external-etcd lab while etcd is down.
pub const EXTERNAL_DOWN_HINT: &str =
    "hint: etcd is not running: on etcd-server see systemctl status etcd and journalctl -u etcd";

/// The hint under `context deadline exceeded` while etcd does not run.
pub const DOWN_HINT: &str = "hint: etcd is not running: see crictl ps -a and journalctl -u kubelet";

/// The node's filesystem as etcdctl's files (paths relative to the shell's directory).
pub struct NodeFiles<'a> {
    pub fs: &'a mut Fs,
    pub cwd: &'a [String],
    pub now: Millis,
    /// The backend file of the etcd running on this node (it holds bbolt's lock).
    pub locked: Option<String>,
}

/// Go's text for an errno (`no such file or directory`).
fn go_text(e: crate::node::fs::Errno) -> String {
    let t = e.text();
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl NodeFiles<'_> {
    /// A path's components as written (it need not exist yet).
    fn components(&self, path: &str) -> Vec<String> {
        let mut c: Vec<String> = if path.starts_with('/') {
            Vec::new()
        } else {
            self.cwd.to_vec()
        };
        for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
            if part == ".." {
                c.pop();
            } else {
                c.push(part.to_string());
            }
        }
        c
    }
}

impl Files for NodeFiles<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let (c, _) = self.fs.resolve(self.cwd, path).map_err(go_text)?;
        self.fs.read(&c).map(|d| d.to_vec()).map_err(go_text)
    }
    fn exists(&self, path: &str) -> bool {
        self.fs
            .resolve(self.cwd, path)
            .is_ok_and(|(c, _)| self.fs.exists(&c))
    }
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String> {
        // os.MkdirAll of the parent first
        let c = self.components(path);
        if let Some((_, parent)) = c.split_last() {
            self.fs.mkdir_all(parent, self.now).map_err(go_text)?;
        }
        self.fs.write(&c, data, false, self.now).map_err(go_text)
    }
    fn list(&self, dir: &str) -> Result<Vec<String>, String> {
        let (c, _) = self.fs.resolve(self.cwd, dir).map_err(go_text)?;
        let names = self.fs.list(&c).map_err(go_text)?;
        Ok(names.into_iter().map(|(n, _)| n).collect())
    }
    fn mkdir_all(&mut self, dir: &str) -> Result<(), String> {
        let c = self.components(dir);
        self.fs.mkdir_all(&c, self.now).map_err(go_text)
    }
    fn locked(&self, path: &str) -> bool {
        let Some(l) = &self.locked else {
            return false;
        };
        match (self.fs.resolve(self.cwd, path), self.fs.resolve(&[], l)) {
            (Ok((a, _)), Ok((b, _))) => a == b,
            _ => false,
        }
    }
    fn restored(&mut self, data_dir: &str) {
        let Ok((root, _)) = self.fs.resolve(self.cwd, data_dir) else {
            return;
        };
        for p in self.fs.walk(&root) {
            let mode = match (self.fs.is_dir(&p), p.last()) {
                (true, _) => 0o700,
                (false, Some(n)) if n.ends_with(".snap") => 0o644,
                (false, _) => 0o600,
            };
            let _ = self.fs.chmod(&p, mode);
        }
    }
}

/// The member's listeners as the node's files and the member's flags make them.
pub fn listeners(etcd: Option<&RunningEtcd>, fs: &Fs) -> Listeners {
    let Some(e) = etcd else {
        return Listeners::default();
    };
    let read = |p: &Option<String>| {
        p.as_ref()
            .and_then(|p| fs.resolve(&[], p).ok())
            .and_then(|(c, _)| fs.read(&c).ok().map(|d| d.to_vec()))
    };
    let secure = e
        .listen_client_urls
        .iter()
        .any(|u| u.starts_with("https://"));
    Listeners {
        urls: e.listen_client_urls.clone(),
        tls: secure.then(|| ServerTls {
            cert: read(&e.cert_file).unwrap_or_default(),
            trusted_ca: read(&e.trusted_ca_file),
            client_cert_auth: e.client_cert_auth,
        }),
    }
}

/// The lab's programs for one shell line.
pub struct Programs<'a> {
    pub world: &'a mut World,
    pub console: &'a mut Console,
    pub kubelet: &'a mut Kubelet,
    pub etcd: &'a mut Option<RunningEtcd>,
    /// The filesystem etcd's files are on when it is another node's (external etcd, seen
    /// from the control-plane node): its loopback listeners are not reachable from here.
    pub etcd_fs: Option<&'a Fs>,
    /// etcd-server's systemd, while the console is there.
    pub systemd: Option<&'a mut crate::node::systemd::Systemd>,
    pub on_etcd_server: bool,
    /// The innermost `ssh` session's host as typed (None: the lab's own console).
    pub ssh_host: Option<String>,
    /// What `ssh` / `exit` asked.
    pub ssh_change: Option<super::external::SshChange>,
    /// systemd (re)started etcd.
    pub etcd_started: bool,
    pub editor: bool,
    /// Set by `vi FILE`.
    pub edit: Option<Edit>,
    /// A command that keeps running (`etcdctl watch`).
    pub job: Option<Box<dyn Job>>,
    pub hints: Vec<String>,
    /// kubelet's decisions (`systemctl restart kubelet`).
    pub events: Vec<Event>,
    /// Set by `watch [-n SECS] CMD...` (the lab runs it as the foreground job).
    pub watch: Option<crate::node::watch::Watch>,
}

/// kubectl takes `-n NS` before the verb too (`kubectl -n kube-system delete pod ...`): the
/// words with a leading namespace flag moved behind the verb.
fn namespace_after_verb(args: &[String]) -> Vec<String> {
    let mut lead = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-n" | "--namespace" if i + 1 < args.len() => {
                lead.push(args[i].clone());
                lead.push(args[i + 1].clone());
                i += 2;
            }
            a if a.starts_with("--namespace=") => {
                lead.push(args[i].clone());
                i += 1;
            }
            _ => break,
        }
    }
    if lead.is_empty() || i >= args.len() {
        return args.to_vec();
    }
    let mut v = vec![args[i].clone()];
    v.extend(lead);
    v.extend(args[i + 1..].iter().cloned());
    v
}

fn out(ctx: &mut Ctx, s: &str) {
    ctx.out.extend_from_slice(s.as_bytes());
}

impl Programs<'_> {
    /// The backend file of the etcd running on this node: it holds bbolt's lock on it.
    fn locked_db(&self) -> Option<String> {
        match (&self.etcd_fs, self.etcd.as_ref()) {
            (None, Some(e)) => e
                .host_data_dir
                .as_ref()
                .map(|d| format!("{}/member/snap/db", d.trim_end_matches('/'))),
            _ => None,
        }
    }

    /// `etcdutl ARGS` over the node's files (etcd 3.5 labs).
    fn etcdutl(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        self.world.advance(super::super::ETCDCTL_STARTUP);
        let mut io = Io::without_tty();
        let locked = self.locked_db();
        let mut cluster = LabCluster {
            world: self.world,
            listeners: listeners(self.etcd.as_ref(), ctx.fs),
            client: ClientTls::default(),
        };
        let mut files = NodeFiles {
            fs: ctx.fs,
            cwd: ctx.cwd,
            now: ctx.now,
            locked,
        };
        let code = crate::etcdutl::run(&mut cluster, &mut files, args, &mut io);
        out(ctx, &io.stdout);
        ctx.err.extend_from_slice(io.stderr.as_bytes());
        code
    }

    fn etcdctl(&mut self, args: &[String], env: &BTreeMap<String, String>, ctx: &mut Ctx) -> i32 {
        self.world.advance(super::super::ETCDCTL_STARTUP);
        let mut io = if ctx.stdin.is_empty() {
            Io::without_tty()
        } else {
            Io::new(&String::from_utf8_lossy(ctx.stdin))
        };
        let locked = self.locked_db();
        let mut listeners = match self.etcd_fs {
            Some(fs) => listeners(self.etcd.as_ref(), fs),
            None => listeners(self.etcd.as_ref(), ctx.fs),
        };
        if self.etcd_fs.is_some() {
            // another node's loopback is not this node's
            listeners.urls.retain(|u| {
                let host = u.split("://").nth(1).unwrap_or(u);
                !(host.starts_with("127.") || host.starts_with("localhost"))
            });
        }
        let mut cluster = LabCluster {
            world: self.world,
            listeners,
            client: ClientTls::default(),
        };
        let mut files = NodeFiles {
            fs: ctx.fs,
            cwd: ctx.cwd,
            now: ctx.now,
            locked,
        };
        let status = etcdctl::run_in(&mut cluster, self.console, &mut files, env, args, &mut io);
        let code = match status {
            Status::Done(c) => c,
            Status::Running(job) => {
                self.job = Some(job);
                0
            }
        };
        let o = crate::process::Output {
            stdout: io.stdout,
            stderr: io.stderr,
            exit: code,
            edit: None,
            order: io.order,
        };
        let secure = self.etcd.as_ref().is_some_and(|e| {
            e.listen_client_urls
                .iter()
                .any(|u| u.starts_with("https://"))
        });
        let external = self.etcd_fs.is_some() || self.on_etcd_server;
        for h in super::super::hints(env, args, &o, self.console.version) {
            if h.contains("no answer in time") {
                self.hints
                    .push(match (external, secure && self.kubelet.etcd_running()) {
                        (false, true) => TLS_HINT.to_string(),
                        (false, false) => DOWN_HINT.to_string(),
                        (true, true) => EXTERNAL_TLS_HINT.to_string(),
                        (true, false) => EXTERNAL_DOWN_HINT.to_string(),
                    });
            } else {
                self.hints.push(h);
            }
        }
        out(ctx, &o.stdout);
        ctx.err.extend_from_slice(o.stderr.as_bytes());
        code
    }

    fn apiserver_up(&self) -> bool {
        self.kubelet.etcd_running() && self.etcd.is_some()
    }

    fn kubectl(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let args = &namespace_after_verb(args);
        if wrappers::is_kubectl_exec(args) {
            let exec = match wrappers::parse_kubectl_exec(args) {
                Ok(e) => e,
                Err(o) => {
                    out(ctx, &o.stdout);
                    ctx.err.extend_from_slice(o.stderr.as_bytes());
                    return o.exit;
                }
            };
            if !self.apiserver_up() {
                ctx.eprintln(APISERVER_REFUSED);
                return 1;
            }
            if exec.pod != format!("etcd-{}", self.kubelet.node) {
                ctx.eprintln(&format!(
                    "error: this lab runs commands only in the etcd pod (etcd-{}), not in {}",
                    self.kubelet.node, exec.pod
                ));
                return 1;
            }
            return match wrappers::kubectl_exec_plan(&exec) {
                Plan::Done(o, _) => {
                    out(ctx, &o.stdout);
                    ctx.err.extend_from_slice(o.stderr.as_bytes());
                    o.exit
                }
                Plan::Inner {
                    env, words, stderr, ..
                } => {
                    ctx.err.extend_from_slice(stderr.as_bytes());
                    let env: BTreeMap<String, String> = env.into_iter().collect();
                    match words.first().map(|w| wrappers::program(w)) {
                        Some("etcdctl") => self.etcdctl(&words[1..], &env, ctx),
                        _ => {
                            let v = self.console.version;
                            let o = wrappers::etcd(words.get(1..).unwrap_or(&[]), v);
                            out(ctx, &o.stdout);
                            ctx.err.extend_from_slice(o.stderr.as_bytes());
                            o.exit
                        }
                    }
                }
            };
        }
        if !self.apiserver_up() {
            ctx.eprintln(APISERVER_REFUSED);
            return 1;
        }
        if args.first().map(String::as_str) == Some("logs") {
            let world = &mut *self.world;
            let mut has = |ns: &str, name: &str| {
                registry_get(world, &format!("/registry/pods/{ns}/{name}")).is_some()
            };
            let ip = super::node::params().ip;
            let (o, e, code) = super::logs::logs(
                &args[1..],
                self.kubelet,
                self.etcd.as_ref(),
                ctx.fs,
                &ip,
                self.console.version,
                &mut has,
            );
            out(ctx, &o);
            ctx.err.extend_from_slice(e.as_bytes());
            return code;
        }
        // a mirror pod deleted through the API comes back: kubelet creates it again
        let mirror = self.deleted_mirror_pod(args);
        let (stdout, stderr, exit, _) = crate::kubectl::run(self.world, args);
        if let (Some((key, old)), 0) = (mirror, exit) {
            recreate_mirror_pod(self.world, &key, &old);
        }
        out(ctx, &stdout);
        ctx.err.extend_from_slice(stderr.as_bytes());
        exit
    }

    /// The key and object of the mirror pod a `kubectl delete pod NAME` names, if it names one.
    fn deleted_mirror_pod(&mut self, args: &[String]) -> Option<(String, Vec<u8>)> {
        let mut words: Vec<&str> = Vec::new();
        let mut it = args.iter().map(String::as_str);
        while let Some(w) = it.next() {
            match w {
                "-n" | "--namespace" => {
                    it.next();
                }
                w if w.starts_with('-') => {}
                w => words.push(w),
            }
        }
        let [verb, kind, name] = words.as_slice() else {
            return None;
        };
        if *verb != "delete" || !matches!(*kind, "pod" | "pods" | "po") {
            return None;
        }
        let suffix = format!("-{}", self.kubelet.node);
        let base = name.strip_suffix(&suffix)?;
        if ![
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ]
        .contains(&base)
        {
            return None;
        }
        let key = format!("/registry/pods/kube-system/{name}");
        let old = registry_get(self.world, &key)?;
        Some((key, old))
    }

    fn crictl(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        match args.first().map(String::as_str) {
            Some("ps") => {
                let all = args.iter().any(|a| a == "-a" || a == "--all");
                let name = args
                    .iter()
                    .position(|a| a == "--name")
                    .and_then(|i| args.get(i + 1))
                    .map(String::as_str);
                let text = crictl_ps(self.kubelet, all, name, ctx.now);
                out(ctx, &text);
                0
            }
            _ => {
                ctx.eprintln("crictl: this lab knows `crictl ps [-a] [--name NAME]`");
                1
            }
        }
    }

    fn systemctl(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let words: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let unit = words.get(1).map(|u| u.trim_end_matches(".service"));
        match (words.first().copied(), unit) {
            (Some("status"), Some("kubelet")) => {
                let (text, code) = systemctl_status(self.kubelet, ctx.now);
                out(ctx, &text);
                code
            }
            (Some("restart"), Some("kubelet")) | (Some("start"), Some("kubelet")) => {
                let ev = if words[0] == "start" && self.kubelet.active {
                    Vec::new()
                } else {
                    self.kubelet.restart(ctx.fs, ctx.now)
                };
                self.events.extend(ev);
                0
            }
            (Some("stop"), Some("kubelet")) => {
                self.kubelet.stop(ctx.now);
                0
            }
            (Some("daemon-reload"), None) => 0,
            (Some(_), Some(u)) => {
                ctx.eprintln(&format!("Unit {u}.service could not be found."));
                4
            }
            _ => {
                ctx.eprintln(
                    "systemctl: this lab knows `systemctl status|restart|stop|start kubelet`",
                );
                1
            }
        }
    }

    fn journalctl(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let unit = args
            .iter()
            .position(|a| a == "-u")
            .and_then(|i| args.get(i + 1))
            .cloned()
            .or_else(|| {
                args.iter()
                    .find_map(|a| a.strip_prefix("--unit=").map(str::to_string))
            });
        let lines = args
            .iter()
            .position(|a| a == "-n")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok());
        if self.on_etcd_server {
            return self.journalctl_etcd_server(unit.as_deref(), lines, ctx);
        }
        match unit.as_deref().map(|u| u.trim_end_matches(".service")) {
            Some("kubelet") => {
                let text = journalctl(self.kubelet, lines);
                out(ctx, &text);
                0
            }
            _ => {
                out(ctx, "-- No entries --\n");
                0
            }
        }
    }

    fn editor(&mut self, name: &str, args: &[String], ctx: &mut Ctx) -> i32 {
        let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if !self.editor {
            ctx.eprintln(&format!("{name}: {NO_EDITOR}"));
            return 1;
        }
        let [path] = files.as_slice() else {
            ctx.eprintln(&format!("{name}: open one file: {name} FILE"));
            return 1;
        };
        let (c, _) = match ctx.resolve(path) {
            Ok(c) => c,
            Err(e) => {
                ctx.eprintln(&format!("{name}: {path}: {e}"));
                return 1;
            }
        };
        if ctx.fs.is_dir(&c) {
            ctx.eprintln(&format!("{name}: {path}: Is a directory"));
            return 1;
        }
        let text = ctx.fs.read(&c).map(|d| d.to_vec()).unwrap_or_default();
        self.edit = Some(edit_of(join(&c), &text));
        0
    }
}

impl External for Programs<'_> {
    fn run(
        &mut self,
        argv: &[String],
        env: &BTreeMap<String, String>,
        ctx: &mut Ctx,
    ) -> Option<i32> {
        let name = argv.first()?.as_str();
        let args = argv.get(1..).unwrap_or(&[]);
        let remote = self.on_etcd_server;
        Some(match wrappers::program(name) {
            "ssh" => self.ssh(args, ctx),
            "exit" | "logout" => self.exit(name, ctx),
            "hostname" => {
                let host = if remote {
                    crate::node::kubeadm::external::ETCD_HOST
                } else {
                    self.kubelet.node.as_str()
                };
                out(ctx, &format!("{host}\n"));
                0
            }
            "kubectl" | "crictl" if remote => return None,
            "systemctl" if remote => self.systemctl_etcd_server(args, ctx),
            // the binary etcd.service runs (/usr/local/bin/etcd)
            "etcd" if remote => match args {
                [v] if v == "--version" || v == "-version" => {
                    out(ctx, wrappers::etcd_version_text(self.console.version));
                    0
                }
                _ => {
                    ctx.eprintln("etcd: on etcd-server, etcd runs as the systemd service etcd.service (see `systemctl cat etcd`); start and stop it with systemctl; this lab runs `etcd --version` by hand");
                    1
                }
            },
            "etcdctl" => self.etcdctl(args, env, ctx),
            // etcd 3.5's offline tool, installed beside etcdctl
            "etcdutl" if self.console.version.is_3_5() => self.etcdutl(args, ctx),
            "kubectl" => self.kubectl(args, ctx),
            "crictl" => self.crictl(args, ctx),
            "systemctl" => self.systemctl(args, ctx),
            "journalctl" => self.journalctl(args, ctx),
            "vi" | "vim" | "nano" => self.editor(name, args, ctx),
            "watch" => match crate::node::watch::parse(args) {
                Ok(w) => {
                    self.watch = Some(w);
                    0
                }
                Err(e) => {
                    out(ctx, &e.stdout);
                    ctx.err.extend_from_slice(e.stderr.as_bytes());
                    e.status
                }
            },
            _ => return None,
        })
    }
}
