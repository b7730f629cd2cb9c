//! The node lab's etcd member and its data directory on the node.
//!
//! The data directory holds what the member's disk holds, in two files:
//! `member/wal/0000000000000000-0000000000000000.wal` is the disk itself (member and cluster
//! IDs, hard state, latest Raft snapshot and the entries after it: `persist::wal_file`), and
//! `member/snap/db` is the backend: the applied state as the bbolt file etcd keeps
//! (`etcdctl snapshot status` reads it, as it reads a copy of a real member's `db`). They
//! are rewritten after every console line while the member runs, and once more when it
//! stops, so a manifest pointing back at the directory finds the data again.
//!
//! When kubelet starts etcd: a directory without a WAL file bootstraps a new cluster from the
//! flags (`--initial-cluster`, `--initial-advertise-peer-urls`, `--initial-cluster-token`,
//! IDs as etcd derives them); a WAL file starts the member it names (a restored directory:
//! the restored IDs and membership); a WAL file that does not read makes etcd exit.
//!
//! Owns: [`RunningEtcd`], starting and stopping the member for kubelet's events. Must not
//! touch: kubelet's decisions, the files' byte formats (persist, server).

use serde::{Deserialize, Serialize};

use super::super::Playground;
use super::node::node_now;
use crate::node::fs::{Components, Fs};
use crate::node::kubelet::Event;
use crate::node::manifest::EtcdStart;
use crate::persist::wal_file::{decode_wal, encode_wal, WalFile, WAL_NAME};
use crate::persist::DiskState;
use crate::server::ids;
use crate::server::member::MemberConfig;
use crate::sim::{bootstrap_state, World};

/// The etcd member kubelet runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningEtcd {
    pub id: u64,
    pub cluster_id: u64,
    /// The node directory behind `--data-dir` (None: the data lives in the container).
    pub host_data_dir: Option<String>,
    pub name: String,
    /// `--initial-advertise-peer-urls`.
    pub peer_urls: Vec<String>,
    /// `--listen-client-urls`.
    pub listen_client_urls: Vec<String>,
    /// `--advertise-client-urls`.
    pub client_urls: Vec<String>,
    /// `--cert-file`, `--key-file`, `--trusted-ca-file` as node paths (through the pod's
    /// volumes), `--client-cert-auth`.
    pub cert_file: Option<String>,
    pub trusted_ca_file: Option<String>,
    pub client_cert_auth: bool,
    /// Whether it started on a data directory that already held a member (etcd's
    /// "restarting member" start rather than a new one).
    #[serde(default)]
    pub restarted: bool,
    /// The user and group its files belong to (etcd run by systemd as `User=etcd`); None:
    /// root.
    #[serde(default)]
    pub owner: Option<(u32, u32)>,
    /// The disk of a member whose data lives only in its container (lost when it stops).
    #[serde(skip)]
    pub synced: Option<(u64, u64)>,
    /// The commit index of its disk and its store's revision when it started (etcd 3.5 logs
    /// them when it restarts on a data directory).
    #[serde(default)]
    pub start_commit: u64,
    #[serde(default)]
    pub start_rev: i64,
}

fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The WAL file's path under a data directory.
fn wal_path(dir: &str) -> String {
    format!("{}/member/wal/{WAL_NAME}", dir.trim_end_matches('/'))
}

/// Reads the member a data directory holds: None if it holds none yet (no WAL file).
pub fn read_data_dir(fs: &Fs, dir: &str) -> Option<Result<WalFile, String>> {
    let data = fs.read(&comps(&wal_path(dir))).ok()?;
    Some(decode_wal(data))
}

/// Writes a member's disk (and its backend, if given) into a data directory, as `owner`
/// (None: root) would: etcd creates `member/` and its directories with mode 700.
fn write_data_dir(
    fs: &mut Fs,
    dir: &str,
    wal: &WalFile,
    db: Option<&[u8]>,
    owner: Option<(u32, u32)>,
    now: u64,
) {
    let d = dir.trim_end_matches('/');
    let member = comps(&format!("{d}/member"));
    if !fs.exists(&member) {
        let _ = fs.mkdir_all(&member, now);
        let _ = fs.chmod(&member, 0o700);
    }
    for sub in ["member/snap", "member/wal"] {
        let c = comps(&format!("{d}/{sub}"));
        let _ = fs.mkdir_all(&c, now);
        let _ = fs.chmod(&c, 0o700);
    }
    // etcd creates its files with mode 600
    let _ = fs.write(&comps(&wal_path(d)), &encode_wal(wal), false, now);
    let _ = fs.chmod(&comps(&wal_path(d)), 0o600);
    if let Some(db) = db {
        let path = comps(&format!("{d}/member/snap/db"));
        let _ = fs.write(&path, db, false, now);
        let _ = fs.chmod(&path, 0o600);
    }
    if let Some((uid, gid)) = owner {
        for p in [
            format!("{d}/member"),
            format!("{d}/member/snap"),
            format!("{d}/member/wal"),
            wal_path(d),
            format!("{d}/member/snap/db"),
        ] {
            let _ = fs.chown(&comps(&p), Some(uid), Some(gid));
        }
    }
}

/// The node path behind a container path of the etcd pod: through the data volume for the
/// data directory; the certificate volume is mounted at the same path.
fn flag_path(spec: &EtcdStart, flag: &str) -> Option<String> {
    spec.flag(flag).map(str::to_string)
}

/// Starts a member in `world` as `spec` says, from its data directory in `fs`: the member
/// kubelet or systemd runs, or why etcd exits.
pub fn start_member(world: &mut World, fs: &Fs, spec: &EtcdStart) -> Result<RunningEtcd, String> {
    let found = spec
        .host_data_dir
        .as_deref()
        .and_then(|d| read_data_dir(fs, d));
    let restarted = matches!(found, Some(Ok(_)));
    let (member_id, cluster_id, disk): (u64, u64, DiskState) = match found {
        Some(Ok(w)) => (w.member_id, w.cluster_id, w.state),
        Some(Err(e)) => return Err(format!("failed to open WAL: {e}")),
        None => bootstrap(spec),
    };
    let config = MemberConfig {
        id: member_id,
        name: spec.name.clone(),
        peer_urls: spec.initial_advertise_peer_urls(),
        client_urls: spec.advertise_client_urls(),
        cluster_id,
    };
    let running = RunningEtcd {
        id: member_id,
        cluster_id,
        host_data_dir: spec.host_data_dir.clone(),
        name: spec.name.clone(),
        peer_urls: spec.initial_advertise_peer_urls(),
        listen_client_urls: spec.listen_client_urls(),
        client_urls: spec.advertise_client_urls(),
        cert_file: flag_path(spec, "cert-file"),
        trusted_ca_file: flag_path(spec, "trusted-ca-file"),
        client_cert_auth: spec.client_cert_auth(),
        restarted,
        owner: None,
        synced: None,
        start_commit: disk.hard_state.commit,
        start_rev: 0,
    };
    world.add_member_listening(config, disk, running.listen_client_urls.clone())?;
    let start_rev = world.member(member_id).map_or(1, |m| m.sm.revision());
    Ok(RunningEtcd {
        start_rev,
        ..running
    })
}

/// A new member's IDs and disk from `--initial-cluster`, `--initial-cluster-token`.
fn bootstrap(spec: &EtcdStart) -> (u64, u64, DiskState) {
    let token = spec.initial_cluster_token();
    let initial = spec.initial_cluster();
    let mut configs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (n, _) in &initial {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let member_ids: Vec<u64> = names
        .iter()
        .map(|n| {
            let urls: Vec<&str> = initial
                .iter()
                .filter(|(m, _)| m == n)
                .map(|(_, u)| u.as_str())
                .collect();
            ids::member_id(&urls, &token)
        })
        .collect();
    let cluster_id = ids::cluster_id(&member_ids);
    for (n, id) in names.iter().zip(&member_ids) {
        configs.push(MemberConfig {
            id: *id,
            name: n.to_string(),
            peer_urls: initial
                .iter()
                .filter(|(m, _)| m == n)
                .map(|(_, u)| u.clone())
                .collect(),
            client_urls: Vec::new(),
            cluster_id,
        });
    }
    let me = names
        .iter()
        .position(|n| *n == spec.name)
        .and_then(|i| member_ids.get(i).copied())
        .unwrap_or(0);
    (me, cluster_id, bootstrap_state(&configs))
}

/// Stops a member: its disk goes to its data directory in `fs`.
pub fn stop_member(world: &mut World, fs: &mut Fs, run: &RunningEtcd, now: u64) {
    let Some(disk) = world.remove_member(run.id) else {
        return;
    };
    if let Some(dir) = &run.host_data_dir {
        let wal = WalFile {
            member_id: run.id,
            cluster_id: run.cluster_id,
            state: disk,
        };
        write_data_dir(fs, dir, &wal, None, run.owner, now);
    }
}

impl Playground {
    /// Acts on kubelet's decisions.
    pub(crate) fn kubelet_events(&mut self, events: Vec<Event>) {
        for e in events {
            match e {
                Event::StopEtcd => self.stop_etcd(),
                Event::StartEtcd(spec) => self.start_etcd(spec),
            }
        }
    }

    /// Starts the member as `spec` says, from its data directory (kubelet's container).
    fn start_etcd(&mut self, spec: EtcdStart) {
        self.stop_etcd();
        let now = node_now(&self.world);
        let Some(node) = self.node.as_mut() else {
            return;
        };
        match start_member(&mut self.world, node.etcd_fs(), &spec) {
            Ok(running) => {
                node.etcd = Some(running);
                node.mirror_pending = true;
            }
            Err(e) => node.kubelet.etcd_exited(1, &e, now),
        }
    }

    /// Puts the member kubelet runs back into a world rebuilt after a reload, from its data
    /// directory (a member whose data lived only in its container starts a new cluster).
    pub(crate) fn resume_etcd(&mut self) {
        let now = node_now(&self.world);
        let Some(node) = self.node.as_mut() else {
            return;
        };
        let Some(run) = node.etcd.clone() else {
            return;
        };
        let config = MemberConfig {
            id: run.id,
            name: run.name.clone(),
            peer_urls: run.peer_urls.clone(),
            client_urls: run.client_urls.clone(),
            cluster_id: run.cluster_id,
        };
        let disk = match run
            .host_data_dir
            .as_deref()
            .and_then(|d| read_data_dir(node.etcd_fs(), d))
        {
            Some(Ok(w)) => w.state,
            Some(Err(e)) => {
                node.etcd = None;
                node.etcd_exited(&format!("failed to open WAL: {e}"), now);
                return;
            }
            None => bootstrap_state(std::slice::from_ref(&config)),
        };
        if let Err(e) =
            self.world
                .add_member_listening(config, disk, run.listen_client_urls.clone())
        {
            node.etcd = None;
            node.etcd_exited(&e, now);
        }
    }

    /// Stops the member (kubelet killed its container): its disk goes to its data directory.
    fn stop_etcd(&mut self) {
        self.sync_etcd_files();
        let now = node_now(&self.world);
        let Some(node) = self.node.as_mut() else {
            return;
        };
        let Some(run) = node.etcd.take() else {
            return;
        };
        stop_member(&mut self.world, node.etcd_fs_mut(), &run, now);
    }

    /// Writes the running member's disk and backend to its data directory if they changed
    /// since the last time.
    pub(crate) fn sync_etcd_files(&mut self) {
        let now = node_now(&self.world);
        let Some(node) = self.node.as_mut() else {
            return;
        };
        let Some(run) = node.etcd.clone() else {
            return;
        };
        let Some(dir) = run.host_data_dir.clone() else {
            return;
        };
        let Some(m) = self.world.member(run.id) else {
            return;
        };
        let mark = (m.applied, m.node.raft.raft_log.last_index());
        if run.synced == Some(mark) && node.etcd_fs().exists(&comps(&wal_path(&dir))) {
            return;
        }
        let db = m.backend_file();
        let Some(disk) = self.world.member_disk(run.id) else {
            return;
        };
        let wal = WalFile {
            member_id: run.id,
            cluster_id: run.cluster_id,
            state: disk,
        };
        write_data_dir(node.etcd_fs_mut(), &dir, &wal, Some(&db), run.owner, now);
        if let Some(r) = node.etcd.as_mut() {
            r.synced = Some(mark);
        }
    }
}
