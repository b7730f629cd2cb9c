//! The external-etcd lab: the control-plane node of a kubeadm cluster whose etcd runs as a
//! systemd service on a second node, `etcd-server` (the other CKA variant of backup and
//! restore). The control-plane node is the kubeadm lab's node without the etcd pod; `ssh
//! etcd-server` moves the console to the second node, with its own files and shell and its
//! systemd, which runs etcd from `/etc/systemd/system/etcd.service` as user `etcd`.
//!
//! Owns: [`Host`] (the second node a reload keeps), `ssh`/`exit`/`hostname`, systemd's and
//! journalctl's answers on etcd-server, and [`EtcdSpawn`] (what starting the unit's process
//! does: etcd's data-directory checks, then the member in the world). Must not touch:
//! systemd's rules (`node::systemd`), etcd's (`sim`, `server`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::Playground;
use super::etcd::{start_member, stop_member, RunningEtcd};
use super::logs::etcd_startup;
use super::node::{node_now, params, NodeLab};
use super::programs::Programs;
use crate::api::{DeleteRangeRequest, EtcdVersion, Request};
use crate::node::cmd::Ctx;
use crate::node::etcd_service::{check_data_dir, etcd_spec, Stage};
use crate::node::fs::{Fs, Millis};
use crate::node::kubeadm::external::{self as layout, ETCD_HOST, ETCD_IP, UNIT_PATH};
use crate::node::kubelet::Kubelet;
use crate::node::shell::Shell;
use crate::node::systemd::{print, Spawn, Systemd, UnitFile};
use crate::sim::World;

/// A second node: its name, files, shell and systemd.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    pub name: String,
    pub fs: Fs,
    pub shell: Shell,
    pub systemd: Systemd,
}

/// What starting and stopping etcd.service does on etcd-server.
pub struct EtcdSpawn<'a> {
    pub world: &'a mut World,
    pub etcd: &'a mut Option<RunningEtcd>,
    /// Set when the member (re)started.
    pub started: bool,
    /// The lab's etcd release (what etcd logs).
    pub version: EtcdVersion,
}

/// capnslog's lines as systemd's journal keeps them: its journald formatter sends the bare
/// message (no date, level or package); `[WARNING]` lines are written to stderr as they are.
fn journal_lines(pretty: &str) -> Vec<String> {
    pretty
        .lines()
        .map(|l| match l.split_once(" | ") {
            Some((_, rest)) if !l.starts_with('[') => {
                rest.split_once(": ").map_or(rest, |(_, m)| m).to_string()
            }
            _ => l.to_string(),
        })
        .collect()
}

/// etcd's lines up to where `stage` stops it.
fn lines_until(all: Vec<String>, stage: Stage) -> Vec<String> {
    let marker = match stage {
        Stage::Listing => "setting maximum number of CPUs",
        Stage::Member => "advertise client URLs = ",
        Stage::Backend => "initial cluster = ",
    };
    let mut end = all
        .iter()
        .position(|l| l.starts_with(marker))
        .map_or(all.len(), |i| i + 1);
    // the data directory's permission warning comes before what stops etcd there
    if all
        .get(end)
        .is_some_and(|l| l.starts_with("check file permission"))
    {
        end += 1;
    }
    all.into_iter().take(end).collect()
}

/// Go's `FileMode.String()` of a directory: `drwxr-xr-x`.
fn dir_mode_text(mode: u32) -> String {
    let mut s = String::from("d");
    for shift in [6, 3, 0] {
        let b = (mode >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        s.push(if b & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// etcd's warning for an existing data directory that is not mode 700, after its
/// configuration lines (`pkg/fileutil`'s `check file permission`).
fn permission_warning(lines: &mut Vec<String>, dir: &str, mode: Option<u32>) {
    let Some(mode) = mode.filter(|m| m & 0o777 != 0o700) else {
        return;
    };
    let Some(at) = lines
        .iter()
        .position(|l| l.starts_with("advertise client URLs = "))
    else {
        return;
    };
    lines.insert(
        at + 1,
        format!(
            "check file permission: directory \"{}\" exist, but the permission is \"{}\". The recommended permission is \"-rwx------\" to prevent possible unprivileged access to the data.",
            dir.trim_end_matches('/'),
            dir_mode_text(mode & 0o777)
        ),
    );
}

impl EtcdSpawn<'_> {
    /// etcd 3.5.1's journal lines and exit status when it stops at `stage` (see
    /// [`journal_zap`](super::journal_zap)).
    #[allow(clippy::too_many_arguments)]
    fn failed_start_zap(
        &self,
        spec: &crate::node::manifest::EtcdStart,
        dummy: &RunningEtcd,
        now: Millis,
        fresh: bool,
        stage: Stage,
        message: &str,
        mode: Option<u32>,
    ) -> (i32, Vec<String>) {
        let startup: Vec<String> = etcd_startup(self.version, spec, dummy, now, fresh)
            .lines()
            .map(str::to_string)
            .collect();
        let dir = dummy.host_data_dir.clone().unwrap_or_default();
        let warnings = mode
            .filter(|m| m & 0o777 != 0o700)
            .map(|m| {
                super::journal_zap::permission_warning_zap(
                    now,
                    dir.trim_end_matches('/'),
                    &dir_mode_text(m & 0o777),
                )
            })
            .into_iter()
            .collect();
        super::journal_zap::failed_start_zap(&startup, dummy, stage, message, now, warnings)
    }
}

impl Spawn for EtcdSpawn<'_> {
    fn spawn(
        &mut self,
        _unit: &str,
        file: &UnitFile,
        fs: &mut Fs,
        now: Millis,
    ) -> Result<Vec<String>, (i32, Vec<String>)> {
        let args = file.exec_start.get(1..).unwrap_or(&[]);
        let mut spec = match etcd_spec(args) {
            Ok(s) => s,
            Err(e) => {
                return Err((
                    1,
                    vec![format!("error verifying flags, {e}. See 'etcd --help'.")],
                ))
            }
        };
        if let (Some(a0), Some(program)) = (spec.argv.first_mut(), file.exec_start.first()) {
            a0.clone_from(program);
        }
        let user = file.user.as_deref().unwrap_or("root");
        let Some(uid) = fs.uid_of(user) else {
            return Err((217, Vec::new()));
        };
        let gid = file
            .group
            .as_deref()
            .and_then(|g| fs.gid_of(g))
            .unwrap_or(uid);
        let dir = spec.host_data_dir.clone().unwrap_or_default();
        let fresh = super::etcd::read_data_dir(fs, &dir).is_none();
        let dummy = RunningEtcd {
            id: 0,
            cluster_id: 0,
            host_data_dir: Some(dir.clone()),
            name: spec.name.clone(),
            peer_urls: spec.initial_advertise_peer_urls(),
            listen_client_urls: spec.listen_client_urls(),
            client_urls: spec.advertise_client_urls(),
            cert_file: spec.flag("cert-file").map(str::to_string),
            trusted_ca_file: spec.flag("trusted-ca-file").map(str::to_string),
            client_cert_auth: spec.client_cert_auth(),
            restarted: !fresh,
            owner: Some((uid, gid)),
            synced: None,
            start_commit: 0,
            start_rev: 1,
        };
        let mode = fs
            .resolve(&[], &dir)
            .ok()
            .and_then(|(c, _)| fs.stat(&c).ok())
            .filter(|st| st.is_dir)
            .map(|st| st.mode);
        if let Err(e) = check_data_dir(fs, &dir, uid, gid, now) {
            if self.version.is_3_5() {
                return Err(
                    self.failed_start_zap(&spec, &dummy, now, fresh, e.stage, &e.message, mode)
                );
            }
            let mut all = journal_lines(&etcd_startup(self.version, &spec, &dummy, now, fresh));
            if e.stage != Stage::Listing {
                permission_warning(&mut all, &dir, mode);
            }
            let mut lines = lines_until(all, e.stage);
            lines.push(e.message.clone());
            if e.panic {
                lines.push(format!("panic: {}", e.message));
                return Err((2, lines));
            }
            return Err((1, lines));
        }
        if let Some(old) = self.etcd.take() {
            stop_member(self.world, fs, &old, now);
        }
        match start_member(self.world, fs, &spec) {
            Ok(mut run) => {
                run.owner = Some((uid, gid));
                let mut lines = journal_lines(&etcd_startup(self.version, &spec, &run, now, fresh));
                permission_warning(&mut lines, &dir, mode);
                *self.etcd = Some(run);
                self.started = true;
                // Type=notify: systemd waits for etcd's READY=1, which etcd sends once it is
                // ready to serve (elected, its name and client URLs published)
                self.world.run_until_settled(Duration::from_secs(5));
                Ok(lines)
            }
            Err(e) if self.version.is_3_5() => {
                Err(self.failed_start_zap(&spec, &dummy, now, fresh, Stage::Member, &e, mode))
            }
            Err(e) => {
                let mut lines = lines_until(
                    journal_lines(&etcd_startup(self.version, &spec, &dummy, now, fresh)),
                    Stage::Backend,
                );
                lines.push(e);
                Err((1, lines))
            }
        }
    }

    fn kill(&mut self, _unit: &str, fs: &mut Fs, now: Millis) -> Vec<String> {
        let run = self.etcd.take();
        if let Some(run) = &run {
            stop_member(self.world, fs, run, now);
        }
        if let (true, Some(run)) = (self.version.is_3_5(), &run) {
            return super::logs_zap::etcd_stop_zap(run, now);
        }
        vec![
            "received terminated signal, shutting down...".to_string(),
            "skipped leadership transfer for single voting member cluster".to_string(),
        ]
    }
}

/// The hosts `ssh` knows: name or address → whether it is etcd-server (None: not resolved;
/// Some(None): an address nobody answers at).
fn resolve(host: &str, on_etcd_server: bool) -> Option<Option<bool>> {
    let p = params();
    let h = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let h = h.to_ascii_lowercase();
    if h == ETCD_HOST || h == ETCD_IP {
        return Some(Some(true));
    }
    if h == p.node || h == p.ip {
        return Some(Some(false));
    }
    if h == "localhost" || h == "127.0.0.1" {
        return Some(Some(on_etcd_server));
    }
    if !h.is_empty() && h.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Some(None);
    }
    None
}

const SSH_USAGE: &str = "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]
           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]
           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]
           [-i identity_file] [-J [user@]host[:port]] [-L address]
           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]
           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]
           [-w local_tun[:remote_tun]] destination [command [argument ...]]";

/// What a line asked of the sessions: `ssh HOST` opened one, `exit` closed one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SshChange {
    Open(bool, String),
    Close,
}

fn out(ctx: &mut Ctx, s: &str) {
    ctx.out.extend_from_slice(s.as_bytes());
}

impl Programs<'_> {
    /// `ssh [user@]HOST`.
    pub(super) fn ssh(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some(host) = words.first() else {
            ctx.eprintln(SSH_USAGE);
            return 255;
        };
        let name = host.rsplit_once('@').map_or(host.as_str(), |(_, h)| h);
        // the kubeadm lab has no second node
        let two_nodes = self.etcd_fs.is_some() || self.on_etcd_server;
        let found = resolve(host, self.on_etcd_server).filter(|r| two_nodes || *r != Some(true));
        match found {
            None => {
                ctx.eprintln(&format!(
                    "ssh: Could not resolve hostname {}: Name or service not known",
                    name.to_ascii_lowercase()
                ));
                255
            }
            Some(None) => {
                ctx.eprintln(&format!(
                    "ssh: connect to host {name} port 22: No route to host"
                ));
                255
            }
            Some(Some(_)) if words.len() > 1 => {
                ctx.eprintln(&format!(
                    "ssh: this lab runs `ssh {host} COMMAND` only as a whole line (no ;, &&, | or redirections): run `ssh {host}`, then the command there"
                ));
                255
            }
            Some(Some(to_server)) => {
                self.ssh_change = Some(SshChange::Open(to_server, name.to_string()));
                0
            }
        }
    }

    /// `exit` / `logout`: closes the innermost `ssh` session.
    pub(super) fn exit(&mut self, name: &str, ctx: &mut Ctx) -> i32 {
        match &self.ssh_host {
            Some(h) => {
                out(ctx, "logout\n");
                ctx.eprintln(&format!("Connection to {h} closed."));
                self.ssh_change = Some(SshChange::Close);
                0
            }
            None => {
                ctx.eprintln(&format!(
                    "bash: {name}: this is the lab's own console, it stays open (`lab local` leaves the lab)"
                ));
                1
            }
        }
    }

    /// `systemctl` on etcd-server.
    pub(super) fn systemctl_etcd_server(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let Some(sd) = self.systemd.as_deref_mut() else {
            return 1;
        };
        let words: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let verb = words.first().copied().unwrap_or("");
        let units = words.get(1..).unwrap_or(&[]);
        let mut spawn = EtcdSpawn {
            world: self.world,
            etcd: self.etcd,
            started: false,
            version: self.console.version,
        };
        let code = match (verb, units) {
            ("daemon-reload", []) => {
                sd.daemon_reload(ctx.fs, ctx.now);
                0
            }
            ("status", [u]) => {
                let (o, e, code) = print::status(sd, ctx.fs, u, ctx.now);
                out(ctx, &o);
                ctx.err.extend_from_slice(e.as_bytes());
                code
            }
            ("cat", [u]) => {
                let (o, e, code) = print::cat(sd, ctx.fs, u);
                ctx.err.extend_from_slice(e.as_bytes());
                out(ctx, &o);
                code
            }
            ("is-active", [u]) => {
                let (o, code) = print::is_active(sd, u);
                out(ctx, &o);
                code
            }
            ("start" | "stop" | "restart", [u]) => {
                let changed = sd.need_reload(u, ctx.fs);
                if changed {
                    ctx.err.extend_from_slice(
                        print::changed_warning(&crate::node::systemd::unit_name(u)).as_bytes(),
                    );
                }
                let r = match verb {
                    "start" => sd.start(u, ctx.fs, ctx.now, &mut spawn),
                    "stop" => sd.stop(u, ctx.fs, ctx.now, &mut spawn),
                    _ => sd.restart(u, ctx.fs, ctx.now, &mut spawn),
                };
                match r {
                    Ok(()) => 0,
                    Err(e) => {
                        ctx.eprintln(&e.message);
                        e.status
                    }
                }
            }
            ("enable" | "disable", [u]) => {
                if sd.unit(u).is_none() {
                    ctx.eprintln(&format!(
                        "Failed to {verb} unit: Unit file {} does not exist.",
                        crate::node::systemd::unit_name(u)
                    ));
                    1
                } else {
                    let name = crate::node::systemd::unit_name(u);
                    if sd.set_enabled(u, verb == "enable") {
                        let link = format!("/etc/systemd/system/multi-user.target.wants/{name}");
                        if verb == "enable" {
                            ctx.eprintln(&format!(
                                "Created symlink {link} → /etc/systemd/system/{name}."
                            ));
                        } else {
                            ctx.eprintln(&format!("Removed {link}."));
                        }
                    }
                    0
                }
            }
            ("", _) => {
                ctx.eprintln("systemctl: this lab knows `systemctl status|cat|start|stop|restart|is-active|enable|disable UNIT` and `systemctl daemon-reload`");
                1
            }
            (_, []) => {
                ctx.eprintln("Too few arguments.");
                1
            }
            _ => {
                ctx.eprintln("systemctl: this lab knows `systemctl status|cat|start|stop|restart|is-active|enable|disable UNIT` and `systemctl daemon-reload`");
                1
            }
        };
        if spawn.started {
            self.etcd_started = true;
        }
        code
    }

    /// `journalctl [-u UNIT] [-n N]` on etcd-server.
    pub(super) fn journalctl_etcd_server(
        &mut self,
        unit: Option<&str>,
        lines: Option<usize>,
        ctx: &mut Ctx,
    ) -> i32 {
        let Some(sd) = self.systemd.as_deref() else {
            return 1;
        };
        out(ctx, &print::journalctl(sd, unit, lines));
        0
    }
}

impl Playground {
    /// `ssh HOST COMMAND...` as a whole line: the command runs in a login shell on HOST (ssh
    /// joins its words with spaces, the remote shell reads them again), and the console
    /// stays where it was. None if the line is not one (ssh's own errors come from the
    /// shell's `ssh`).
    pub(crate) fn ssh_command(
        &mut self,
        line: &str,
        stdin: Option<&str>,
    ) -> Option<(super::super::Output, Vec<String>)> {
        if line.contains([';', '&', '|', '>', '<', '`', '$']) {
            return None;
        }
        let words = crate::etcdctl::shell::split(line).ok()?.words;
        if words.first().map(String::as_str) != Some("ssh")
            || words.get(1).is_some_and(|w| w.starts_with('-'))
        {
            return None;
        }
        let [_, host, command @ ..] = words.as_slice() else {
            return None;
        };
        if command.is_empty() {
            return None;
        }
        let node = self.node.as_deref_mut()?;
        let server = resolve(host, node.on_etcd_server())??;
        if server && node.etcd_server.is_none() {
            return None;
        }
        let name = host.rsplit_once('@').map_or(host.as_str(), |(_, h)| h);
        let saved = server.then(|| {
            node.etcd_server
                .as_deref_mut()
                .map(|h| std::mem::replace(&mut h.shell, Shell::new("/root")))
        });
        node.ssh.push((server, name.to_string()));
        let (o, hints, _) = self.node_shell_line(&command.join(" "), stdin);
        if let Some(node) = self.node.as_deref_mut() {
            node.ssh.pop();
            if let (Some(Some(shell)), Some(h)) = (saved, node.etcd_server.as_deref_mut()) {
                h.shell = shell;
            }
        }
        Some((o, hints))
    }

    /// The external-etcd lab: the control-plane node after `kubeadm init` with an external
    /// etcd, etcd-server with etcd.service started, a leader elected, and a small Kubernetes
    /// cluster's objects in `/registry`.
    pub(crate) fn external_etcd_lab(seed: u64, version: EtcdVersion) -> Playground {
        let world = World::empty(seed);
        let now = node_now(&world);
        let p = params();
        let mut node = NodeLab::new(now);
        node.fs = layout::control_plane(&p, now);
        node.kubelet = Kubelet::new(&p.node, now);
        node.kubelet.external_etcd = Some(false);
        let fs = layout::etcd_server(&p, now);
        let mut systemd = Systemd::new(ETCD_HOST);
        systemd.add_unit(&fs, UNIT_PATH, true, now);
        node.etcd_server = Some(Box::new(Host {
            name: ETCD_HOST.to_string(),
            fs,
            shell: Shell::new("/root"),
            systemd,
        }));
        let mut pg = Playground::from_world(world, Default::default(), true);
        // the release first: the member etcd.service starts is of it
        pg.set_etcd_version(version);
        pg.lab = super::LabKind::ExternalEtcd;
        pg.node = Some(Box::new(node));
        pg.start_etcd_service();
        pg.node_tick();
        pg.world.run_until_settled(Duration::from_secs(10));
        let warm = crate::sim::WARM_UP.saturating_sub(pg.world.now());
        pg.node_advance(warm);
        let _ = super::super::load::load_k8s(&mut pg.world, false);
        // there is no etcd pod: etcd is not Kubernetes' to run here
        let _ = pg.world.call(
            "127.0.0.1:2379",
            None,
            Request::DeleteRange(DeleteRangeRequest {
                key: b"/registry/pods/kube-system/etcd-controlplane".to_vec(),
                ..Default::default()
            }),
            Duration::from_secs(2),
        );
        pg.sync_mirror_pods();
        if let Some(n) = pg.node.as_mut() {
            n.mirror_pending = false;
        }
        pg.node_tick();
        pg
    }

    /// Runs `f` on etcd-server's systemd, with etcd as the process it starts (None without
    /// etcd-server); also says whether the member (re)started.
    fn with_etcd_service<R>(
        &mut self,
        f: impl FnOnce(&mut Systemd, &mut Fs, Millis, &mut EtcdSpawn<'_>) -> R,
    ) -> Option<(R, bool)> {
        let now = node_now(&self.world);
        let version = self.etcd_version();
        let node = self.node.as_deref_mut()?;
        let host = node.etcd_server.as_deref_mut()?;
        let mut spawn = EtcdSpawn {
            world: &mut self.world,
            etcd: &mut node.etcd,
            started: false,
            version,
        };
        let r = f(&mut host.systemd, &mut host.fs, now, &mut spawn);
        Some((r, spawn.started))
    }

    /// `systemctl start etcd` at boot.
    fn start_etcd_service(&mut self) {
        let _ = self.with_etcd_service(|sd, fs, now, spawn| sd.start("etcd", fs, now, spawn));
    }

    /// etcd-server's systemd lets time pass (restarts that are due), and kube-apiserver on
    /// the control-plane node follows whether etcd answers.
    pub(crate) fn etcd_server_tick(&mut self) {
        let Some(((), started)) =
            self.with_etcd_service(|sd, fs, now, spawn| sd.tick(fs, now, spawn))
        else {
            return;
        };
        if let Some(node) = self.node.as_deref_mut() {
            node.mirror_pending |= started;
            node.kubelet.external_etcd = Some(node.etcd.is_some());
        }
    }

    /// Applies what a line asked of the `ssh` sessions.
    pub(crate) fn apply_ssh(&mut self, change: Option<SshChange>) {
        let Some(node) = self.node.as_deref_mut() else {
            return;
        };
        match change {
            Some(SshChange::Open(server, typed)) => {
                if server && node.etcd_server.is_none() {
                    return;
                }
                // a login shell on etcd-server starts afresh; the control-plane node's shell
                // is the one the console has had all along
                if let (true, Some(h)) = (server, node.etcd_server.as_deref_mut()) {
                    h.shell = Shell::new("/root");
                }
                node.ssh.push((server, typed));
            }
            Some(SshChange::Close) => {
                node.ssh.pop();
            }
            None => {}
        }
    }
}
