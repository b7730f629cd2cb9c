//! `etcdutl backup` (etcd 3.5.1's legacy offline backup of a data directory): a copy of the
//! backend and the WAL that a member can start from only with `--force-new-cluster`. The
//! WAL's translation (entries that rebuild membership replaced by empty ones, one new member
//! `etcdctl-v2-backup`) is the member's format, so the cluster makes it
//! ([`Cluster::backup_wal`]); this file does what etcdutl does with files and the backend,
//! and prints its zap console lines, fatal ones with the stack Go prints.
//!
//! Owns: the backup's steps and their order (what is already written when a step fails),
//! its messages. Must not touch: the WAL's format (`cluster`), bbolt's layout (`bbolt`).

use std::time::Duration;

use super::Parsed;
use crate::bbolt::{self, Bucket, Db};
use crate::cluster::{BackedUpWal, Cluster, DroppedEntry};
use crate::etcdctl::client::json_str;
use crate::etcdctl::command::snapshot_restore::console_line;
use crate::etcdctl::files::Files;
use crate::etcdctl::Io;

/// The source of etcdutl 3.5.1's release build and of its modules (Go stack paths).
const REL: &str = "/tmp/etcd-release-3.5.1/etcd/release/etcd";
const COBRA: &str =
    "/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/github.com/spf13/cobra@v1.1.3/command.go";

/// Where a fatal log line comes from: the functions below `HandleBackup` on the stack.
#[derive(Clone, Copy)]
enum At {
    /// `HandleBackup` itself, at a line.
    Handle(u32),
    /// `saveSnap` (called at 125).
    SaveSnap(u32),
    /// `translateWAL` (called at 126).
    TranslateWal(u32),
    /// `saveDB` (called at 127).
    SaveDb(u32),
    /// The goroutine `saveDB` opens the source backend in (its own stack).
    OpenDb(u32),
}

fn frame(out: &mut Vec<String>, func: &str, file: &str, line: u32) {
    out.push(format!("go.etcd.io/etcd/etcdutl/v3/etcdutl.{func}"));
    out.push(format!("\t{REL}/etcdutl/etcdutl/{file}:{line}"));
}

/// A fatal line and its stack, as zap writes them before etcdutl exits 1.
fn fatal(
    io: &mut Io,
    cluster: &dyn Cluster,
    at: At,
    msg: &str,
    fields: &[(&str, String)],
) -> (i32, String) {
    let now = cluster.unix_nanos();
    let line = match at {
        At::Handle(l) | At::SaveSnap(l) | At::TranslateWal(l) | At::SaveDb(l) | At::OpenDb(l) => l,
    };
    let text = console_line(
        now,
        &format!("etcdutl/backup_command.go:{line}"),
        msg,
        fields,
    );
    io.errln(&text.replacen("\tinfo\t", "\tfatal\t", 1));
    let mut st = Vec::new();
    let b = "backup_command.go";
    match at {
        At::OpenDb(l) => frame(&mut st, "saveDB.func1", b, l),
        _ => {
            match at {
                At::SaveSnap(l) => frame(&mut st, "saveSnap", b, l),
                At::TranslateWal(l) => frame(&mut st, "translateWAL", b, l),
                At::SaveDb(l) => frame(&mut st, "saveDB", b, l),
                _ => {}
            }
            let handle = match at {
                At::Handle(l) => l,
                At::SaveSnap(_) => 125,
                At::TranslateWal(_) => 126,
                _ => 127,
            };
            frame(&mut st, "HandleBackup", b, handle);
            frame(&mut st, "doBackup", b, 71);
            for (f, l) in [("execute", 856), ("ExecuteC", 960), ("Execute", 897)] {
                st.push(format!("github.com/spf13/cobra.(*Command).{f}"));
                st.push(format!("\t{COBRA}:{l}"));
            }
            st.push("main.Start".to_string());
            st.push(format!("\t{REL}/etcdutl/ctl.go:50"));
            st.push("main.main".to_string());
            st.push(format!("\t{REL}/etcdutl/main.go:23"));
            st.push("runtime.main".to_string());
            st.push(
                "\t/home/remote/sbatsche/.gvm/gos/go1.16.3/src/runtime/proc.go:225".to_string(),
            );
        }
    }
    for l in st {
        io.errln(&l);
    }
    (1, String::new())
}

/// A fatal line whose one field is the error.
fn fatal_error(io: &mut Io, cluster: &dyn Cluster, at: At, msg: &str, err: &str) -> (i32, String) {
    fatal(io, cluster, at, msg, &[("error", json_str(err))])
}

/// Go's `%q` of a list of names (`["a" "b"]`).
fn go_quoted_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| json_str(n)).collect();
    format!("[{}]", q.join(" "))
}

/// The backup's backend: the source's buckets without the cluster version, its members
/// replaced by the backup's one member; without v3 data, a new backend holding only that
/// member and the consistent index.
fn backup_db(src: Option<&[u8]>, w: &BackedUpWal) -> Result<Vec<u8>, String> {
    let member = format!(
        "{{\"id\":{},\"peerURLs\":[{}],\"name\":{}}}",
        w.member_id,
        json_str(&w.member_peer_url),
        json_str(&w.member_name)
    );
    let mut members = Bucket::new("members");
    members.put(format!("{:x}", w.member_id).as_bytes(), member.as_bytes());
    let mut buckets = vec![members, Bucket::new("members_removed")];
    let min_size = match src {
        Some(data) => {
            let invalid = |_| "invalid database".to_string();
            let db = Db::open(data).map_err(invalid)?;
            let mut kept = bbolt::buckets_of(&db).map_err(invalid)?;
            kept.retain(|b| {
                ![&b"cluster"[..], b"members", b"members_removed"].contains(&b.name.as_slice())
            });
            buckets.extend(kept);
            data.len()
        }
        None => {
            let mut meta = Bucket::new("meta");
            if w.commit > 0 {
                meta.put(b"consistent_index", &w.commit.to_be_bytes());
                if w.term > 0 {
                    meta.put(b"term", &w.term.to_be_bytes());
                }
            }
            buckets.push(meta);
            // the size of the new backend real etcdutl wrote (five 4 KiB pages)
            20480
        }
    };
    Ok(bbolt::write(&buckets, min_size, 0))
}

/// `etcdutl backup --data-dir D --backup-dir B [--wal-dir] [--backup-wal-dir] [--with-v3]`.
pub fn backup(
    cluster: &mut dyn Cluster,
    files: &mut dyn Files,
    p: &Parsed,
    io: &mut Io,
) -> Result<(), (i32, String)> {
    let trim = |s: String| s.trim_end_matches('/').to_string();
    let data_dir = trim(p.str("data-dir"));
    let backup_dir = trim(p.str("backup-dir"));
    let or = |v: String, d: String| if v.is_empty() { d } else { trim(v) };
    let src_wal = or(p.str("wal-dir"), format!("{data_dir}/member/wal"));
    let dest_wal = or(p.str("backup-wal-dir"), format!("{backup_dir}/member/wal"));
    // pflag's false spellings
    let with_v3 = !matches!(
        p.str("with-v3").as_str(),
        "false" | "0" | "f" | "F" | "FALSE" | "False"
    );
    let src_snap = format!("{data_dir}/member/snap");
    let dest_snap = format!("{backup_dir}/member/snap");

    // fileutil.CreateDirAll: the directory may exist only if it is empty
    if let Ok(names) = files.list(&dest_snap) {
        if !names.is_empty() {
            let err = format!(
                "expected {} to be empty, got {}",
                json_str(&dest_snap),
                go_quoted_list(&names)
            );
            let f = [
                ("dest-snap", json_str(&dest_snap)),
                ("error", json_str(&err)),
            ];
            return Err(fatal(
                io,
                &*cluster,
                At::Handle(118),
                "failed creating backup snapshot dir",
                &f,
            ));
        }
    }
    if let Err(e) = files.mkdir_all(&dest_snap) {
        let f = [
            ("dest-snap", json_str(&dest_snap)),
            ("error", json_str(&format!("mkdir {dest_snap}: {e}"))),
        ];
        return Err(fatal(
            io,
            &*cluster,
            At::Handle(118),
            "failed creating backup snapshot dir",
            &f,
        ));
    }

    // saveSnap: the source's latest .snap file
    let snap_names = match files.list(&src_snap) {
        Ok(n) => n,
        Err(e) => {
            return Err(fatal_error(
                io,
                &*cluster,
                At::SaveSnap(154),
                "saveSnap(Snapshoter.Load) failed",
                &format!("open {src_snap}: {e}"),
            ));
        }
    };
    let snap_found = snap_names.iter().any(|n| n.ends_with(".snap"));

    // translateWAL
    let wal_names = match files.list(&src_wal) {
        Ok(n) => n,
        Err(e) => {
            return Err(fatal_error(
                io,
                &*cluster,
                At::TranslateWal(191),
                "wal.OpenForRead failed",
                &format!("open {src_wal}: {e}"),
            ));
        }
    };
    let Some(wal_name) = wal_names.iter().find(|n| n.ends_with(".wal")) else {
        return Err(fatal_error(
            io,
            &*cluster,
            At::TranslateWal(191),
            "wal.OpenForRead failed",
            "wal: file not found",
        ));
    };
    let wal_bytes = files
        .read(&format!("{src_wal}/{wal_name}"))
        .map_err(|e| (1, format!("open {src_wal}/{wal_name}: {e}")))?;
    let w = match cluster.backup_wal(&wal_bytes, snap_found, with_v3) {
        Ok(w) => w,
        Err(e) => {
            return Err(fatal_error(
                io,
                &*cluster,
                At::TranslateWal(201),
                "unexpected error while reading WAL",
                &e,
            ));
        }
    };
    if let Some((name, bytes)) = &w.snap_file {
        let path = format!("{dest_snap}/{name}");
        files
            .write(&path, bytes)
            .map_err(|e| (1, format!("open {path}: {e}")))?;
    }
    let t = cluster.unix_nanos();
    for d in &w.dropped {
        let (line, msg, fields) = match d {
            DroppedEntry::ConfChange => (216, "ignoring EntryConfChange raft entry", vec![]),
            DroppedEntry::MemberAttributes { entry, path } => (
                231,
                "ignoring member attribute update on",
                vec![("entry", json_str(entry)), ("v2Req.Path", json_str(path))],
            ),
            DroppedEntry::V3 => (252, "ignoring v3 raft entry", vec![]),
        };
        io.errln(&console_line(
            t,
            &format!("etcdutl/backup_command.go:{line}"),
            msg,
            &fields,
        ));
    }

    // saveDB
    let src_db_path = format!("{src_snap}/db");
    let dest_db_path = format!("{dest_snap}/db");
    let src_db = if with_v3 {
        if files.locked(&src_db_path) {
            // bbolt waits for the running member's lock; etcdutl gives up after a second
            cluster.advance(Duration::from_secs(1));
            let f = [("srcDB", json_str(&src_db_path))];
            return Err(fatal(
                io,
                &*cluster,
                At::SaveDb(284),
                "timed out waiting to acquire lock on",
                &f,
            ));
        }
        match files.read(&src_db_path) {
            Ok(d) => Some(d),
            Err(e) => {
                let err = if e == "no such file or directory" && files.exists(&src_snap) {
                    // bolt.Open creates the missing file read-only, then cannot write its
                    // meta pages into it
                    let _ = files.write(&src_db_path, &[]);
                    format!("write {src_db_path}: bad file descriptor")
                } else {
                    format!("open {src_db_path}: {e}")
                };
                return Err(fatal_error(
                    io,
                    &*cluster,
                    At::OpenDb(277),
                    "bolt.Open FAILED",
                    &err,
                ));
            }
        }
    } else {
        None
    };
    let db = match backup_db(src_db.as_deref(), &w) {
        Ok(db) => db,
        Err(e) => {
            return Err(fatal_error(
                io,
                &*cluster,
                At::OpenDb(277),
                "bolt.Open FAILED",
                &e,
            ));
        }
    };
    files
        .write(&dest_db_path, &db)
        .map_err(|e| (1, format!("open {dest_db_path}: {e}")))?;
    io.errln(&console_line(
        cluster.unix_nanos(),
        "membership/store.go:141",
        "Trimming membership information from the backend...",
        &[],
    ));

    // wal.Create: the backup's WAL directory must not exist yet
    if files.exists(&dest_wal) {
        return Err(fatal_error(
            io,
            &*cluster,
            At::Handle(131),
            "wal.Create failed",
            "file already exists",
        ));
    }
    let (name, bytes) = &w.wal_file;
    let path = format!("{dest_wal}/{name}");
    files
        .write(&path, bytes)
        .map_err(|e| (1, format!("open {path}: {e}")))?;
    Ok(())
}
