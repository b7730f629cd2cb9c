//! `snapshot restore`, shared by etcdctl 3.4 (`etcdctl snapshot restore`, JSON log lines),
//! etcdctl 3.5 (the same command, deprecated: it runs etcdutl's code) and etcdutl 3.5
//! (`etcdutl snapshot restore`, zap's console log lines). The data directory is built by the
//! cluster ([`Cluster::restore_data_dir`]) and written through [`Files`].
//!
//! Owns: the restore options, the restore's log lines, 3.5's trimmed membership in the
//! restored `db`. Must not touch: how a data directory is laid out (`cluster`).

use crate::bbolt::{self, Bucket, Db};
use crate::cluster::{Cluster, RestoreSpec};

use super::super::client::{epoch_seconds, iso8601, json_str};
use super::super::files::Files;
use super::super::flags::Flags;
use super::super::snapshot_file::SnapshotFile;
use super::super::{Fail, Io, EXIT_ERROR};

/// What a restore was asked for (its flags, defaults applied by [`RestoreOpts::new`]).
#[derive(Clone, Debug, Default)]
pub struct RestoreOpts {
    pub path: String,
    pub name: String,
    pub data_dir: String,
    pub initial_cluster: String,
    pub token: String,
    pub skip_hash_check: bool,
}

impl RestoreOpts {
    /// The options of `path` with the flags' values (empty: etcd's default).
    pub fn new(path: &str, get: &dyn Fn(&str) -> String, skip_hash_check: bool) -> RestoreOpts {
        let or = |v: String, d: &str| if v.is_empty() { d.to_string() } else { v };
        let name = or(get("name"), "default");
        let data_dir = or(get("data-dir"), &format!("{name}.etcd"));
        let peer_urls = or(get("initial-advertise-peer-urls"), "http://localhost:2380");
        let default_cluster = peer_urls
            .split(',')
            .map(|u| format!("{name}={u}"))
            .collect::<Vec<_>>()
            .join(",");
        RestoreOpts {
            path: path.to_string(),
            initial_cluster: or(get("initial-cluster"), &default_cluster),
            token: or(get("initial-cluster-token"), "etcd-cluster"),
            data_dir: data_dir.trim_end_matches('/').to_string(),
            name,
            skip_hash_check,
        }
    }

    /// etcdctl's options from its flags.
    pub fn from_flags(path: &str, f: &Flags) -> RestoreOpts {
        RestoreOpts::new(path, &|n| f.str(n), f.bool("skip-hash-check"))
    }
}

/// Who restores: which log lines it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreBy {
    /// etcdctl 3.4.23: zap JSON lines.
    Etcdctl34,
    /// etcdctl 3.5.1: the deprecation, then etcdutl's code with etcdctl's stack.
    Etcdctl35,
    /// etcdutl 3.5.1.
    Etcdutl,
}

/// The stack etcdutl 3.5.1's "restoring snapshot" line carries: the restore's callers
/// below `v3Manager.Restore`, as etcdutl or etcdctl reach it.
fn restore_stack(by: RestoreBy) -> String {
    const REL: &str = "/tmp/etcd-release-3.5.1/etcd/release/etcd";
    const COBRA: &str = "/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/github.com/spf13/cobra@v1.1.3/command.go";
    let mut s = format!(
        "go.etcd.io/etcd/etcdutl/v3/snapshot.(*v3Manager).Restore\n\t{REL}/etcdutl/snapshot/v3_snapshot.go:257\ngo.etcd.io/etcd/etcdutl/v3/etcdutl.SnapshotRestoreCommandFunc\n\t{REL}/etcdutl/etcdutl/snapshot_command.go:147\n"
    );
    if by == RestoreBy::Etcdutl {
        s.push_str(&format!("go.etcd.io/etcd/etcdutl/v3/etcdutl.snapshotRestoreCommandFunc\n\t{REL}/etcdutl/etcdutl/snapshot_command.go:117\n"));
    } else {
        s.push_str(&format!("go.etcd.io/etcd/etcdctl/v3/ctlv3/command.snapshotRestoreCommandFunc\n\t{REL}/etcdctl/ctlv3/command/snapshot_command.go:128\n"));
    }
    s.push_str(&format!("github.com/spf13/cobra.(*Command).execute\n\t{COBRA}:856\ngithub.com/spf13/cobra.(*Command).ExecuteC\n\t{COBRA}:960\ngithub.com/spf13/cobra.(*Command).Execute\n\t{COBRA}:897\n"));
    if by == RestoreBy::Etcdutl {
        s.push_str(&format!(
            "main.Start\n\t{REL}/etcdutl/ctl.go:50\nmain.main\n\t{REL}/etcdutl/main.go:23\n"
        ));
    } else {
        s.push_str(&format!("go.etcd.io/etcd/etcdctl/v3/ctlv3.Start\n\t{REL}/etcdctl/ctlv3/ctl.go:107\ngo.etcd.io/etcd/etcdctl/v3/ctlv3.MustStart\n\t{REL}/etcdctl/ctlv3/ctl.go:111\nmain.main\n\t{REL}/etcdctl/main.go:59\n"));
    }
    s.push_str("runtime.main\n\t/home/remote/sbatsche/.gvm/gos/go1.16.3/src/runtime/proc.go:225");
    s
}

/// One line of zap's console encoder (etcd 3.5's offline tools): time, level, caller,
/// message, then the fields as JSON (`{"k": v, ...}`) if any.
pub fn console_line(unix_nanos: i64, caller: &str, msg: &str, fields: &[(&str, String)]) -> String {
    let mut s = format!("{}\tinfo\t{caller}\t{msg}", iso8601(unix_nanos));
    if !fields.is_empty() {
        let f: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}: {v}", json_str(k)))
            .collect();
        s.push_str(&format!("\t{{{}}}", f.join(", ")));
    }
    s
}

/// The fields naming a restore's directories (`path`, `wal-dir`, `data-dir`, `snap-dir`).
fn dir_fields(o: &RestoreOpts) -> Vec<(&'static str, String)> {
    let d = &o.data_dir;
    vec![
        ("path", json_str(&o.path)),
        ("wal-dir", json_str(&format!("{d}/member/wal"))),
        ("data-dir", json_str(d)),
        ("snap-dir", json_str(&format!("{d}/member/snap"))),
    ]
}

/// The same fields as 3.4's JSON lines write them.
fn dir_fields_json(o: &RestoreOpts) -> String {
    dir_fields(o)
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Restores `o.path` into `o.data_dir` as `by` does.
pub fn restore(
    cluster: &mut dyn Cluster,
    files: &mut dyn Files,
    io: &mut Io,
    o: &RestoreOpts,
    by: RestoreBy,
) -> Result<(), Fail> {
    let v35 = by != RestoreBy::Etcdctl34;
    if by == RestoreBy::Etcdctl35 {
        io.errln("Deprecated: Use `etcdutl snapshot restore` instead.");
        io.errln("");
    }
    let mut pairs = Vec::new();
    for kv in o.initial_cluster.split(',').filter(|s| !s.is_empty()) {
        match kv.split_once('=') {
            Some((k, v)) => pairs.push((k.to_string(), v.to_string())),
            None => {
                return Err(Fail::new(
                    EXIT_ERROR,
                    format!("malformed initial cluster string ({kv})"),
                ))
            }
        }
    }
    if files.exists(&o.data_dir) {
        let msg = if v35 {
            format!(
                "data-dir {} not empty or could not be read",
                json_str(&o.data_dir)
            )
        } else {
            format!("data-dir {} exists", json_str(&o.data_dir))
        };
        return Err(Fail::new(EXIT_ERROR, msg));
    }
    if v35 && !pairs.iter().any(|(n, _)| *n == o.name) {
        // 3.5 builds the new cluster's membership before it logs anything
        return Err(Fail::new(
            EXIT_ERROR,
            format!(
                "couldn't find local name {} in the initial cluster configuration",
                json_str(&o.name)
            ),
        ));
    }
    let start = cluster.unix_nanos();
    if v35 {
        let mut f = dir_fields(o);
        f.push(("stack", json_str(&restore_stack(by))));
        io.errln(&console_line(
            start,
            "snapshot/v3_snapshot.go:251",
            "restoring snapshot",
            &f,
        ));
    } else {
        io.errln(&format!(
            "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:296\",\"msg\":\"restoring snapshot\",{}}}",
            epoch_seconds(start),
            dir_fields_json(o)
        ));
    }
    let file = files
        .read(&o.path)
        .map_err(|e| Fail::new(EXIT_ERROR, format!("open {}: {e}", o.path)))?;
    let blob = SnapshotFile::read(&file)
        .restore_db(o.skip_hash_check)
        .map_err(|e| Fail::new(EXIT_ERROR, e))?;
    let spec = RestoreSpec {
        name: o.name.clone(),
        initial_cluster: pairs,
        token: o.token.clone(),
    };
    let mut dir = cluster
        .restore_data_dir(blob, &spec)
        .map_err(|e| Fail::new(EXIT_ERROR, e))?;
    let now = cluster.unix_nanos();
    if v35 {
        io.errln(&console_line(
            now,
            "membership/store.go:141",
            "Trimming membership information from the backend...",
            &[],
        ));
        for (rel, bytes) in dir.files.iter_mut() {
            if rel == "member/snap/db" {
                *bytes = trim_membership(bytes, &dir.members);
            }
        }
    }
    for (id, urls) in &dir.members {
        let peers = urls.iter().map(|u| json_str(u)).collect::<Vec<_>>();
        if v35 {
            let f = [
                ("cluster-id", format!("\"{:x}\"", dir.cluster_id)),
                ("local-member-id", "\"0\"".to_string()),
                ("added-peer-id", format!("\"{id:x}\"")),
                ("added-peer-peer-urls", format!("[{}]", peers.join(", "))),
            ];
            io.errln(&console_line(
                now,
                "membership/cluster.go:421",
                "added member",
                &f,
            ));
        } else {
            io.errln(&format!(
                "{{\"level\":\"info\",\"ts\":{},\"caller\":\"membership/cluster.go:392\",\"msg\":\"added member\",\"cluster-id\":\"{:x}\",\"local-member-id\":\"0\",\"added-peer-id\":\"{:x}\",\"added-peer-peer-urls\":[{}]}}",
                epoch_seconds(now),
                dir.cluster_id,
                id,
                peers.join(",")
            ));
        }
    }
    for (rel, bytes) in &dir.files {
        let p = format!("{}/{rel}", o.data_dir);
        files
            .write(&p, bytes)
            .map_err(|e| Fail::new(EXIT_ERROR, format!("mkdir {}: {e}", o.data_dir)))?;
    }
    files.restored(&o.data_dir);
    let end = cluster.unix_nanos();
    if v35 {
        io.errln(&console_line(
            end,
            "snapshot/v3_snapshot.go:272",
            "restored snapshot",
            &dir_fields(o),
        ));
    } else {
        io.errln(&format!(
            "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:309\",\"msg\":\"restored snapshot\",{}}}",
            epoch_seconds(end),
            dir_fields_json(o)
        ));
    }
    Ok(())
}

/// etcd 3.5's restore trims the snapshot's membership from the backend (`members` and
/// `members_removed` emptied) and adds the restored cluster's members. A file that does
/// not read is kept as it is.
fn trim_membership(db: &[u8], members: &[(u64, Vec<String>)]) -> Vec<u8> {
    let Some(mut buckets) = Db::open(db).ok().and_then(|d| bbolt::buckets_of(&d).ok()) else {
        return db.to_vec();
    };
    for b in buckets.iter_mut() {
        match b.name.as_slice() {
            b"members" => {
                *b = Bucket::new("members");
                for (id, urls) in members {
                    let peers: Vec<String> = urls.iter().map(|u| json_str(u)).collect();
                    let json = format!("{{\"id\":{id},\"peerURLs\":[{}]}}", peers.join(","));
                    b.put(format!("{id:x}").as_bytes(), json.as_bytes());
                }
            }
            b"members_removed" => *b = Bucket::new("members_removed"),
            _ => {}
        }
    }
    bbolt::write(&buckets, db.len(), 0)
}
