//! etcd run by systemd rather than by kubelet: its flags read from the unit's `ExecStart=`
//! words (Go's flag syntax: `--flag=value`, `--flag value`, a bare boolean), and what etcd
//! 3.4.23 checks of its data directory when it starts as the unit's `User=`. Recorded from a
//! real etcd 3.4.23 run as user `etcd` (capnslog's messages, which systemd's journal shows
//! without capnslog's date and level):
//! - a directory it cannot list (a restore written by root, mode 700):
//!   `error listing data dir: DIR`;
//! - a missing directory whose parent it cannot write: `cannot access data directory: mkdir
//!   DIR: permission denied` (a missing directory in a writable parent is created, mode 700);
//! - a directory it owns holding a `member` directory it cannot enter (`chown` without `-R`):
//!   `create snapshot directory error: mkdir DIR/member/snap: permission denied`;
//! - a directory it can list but not write: `cannot access data directory: open
//!   DIR/.touch: permission denied`.
//!
//! Owns: [`etcd_spec`], [`check_data_dir`]. Must not touch: starting the member (the lab),
//! systemd's state.

use std::collections::BTreeMap;

use crate::node::fs::{Components, Fs, Millis};
use crate::node::manifest::EtcdStart;

/// etcd's boolean flags (they take no separate value).
const BOOL_FLAGS: [&str; 10] = [
    "client-cert-auth",
    "peer-client-cert-auth",
    "auto-tls",
    "peer-auto-tls",
    "debug",
    "enable-v2",
    "enable-pprof",
    "force-new-cluster",
    "strict-reconfig-check",
    "enable-grpc-gateway",
];

fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// etcd's flags from its command line (after the program): the start spec, or etcd's error.
pub fn etcd_spec(args: &[String]) -> Result<EtcdStart, String> {
    let mut flags = BTreeMap::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let Some(f) = a.strip_prefix("--").or_else(|| a.strip_prefix('-')) else {
            return Err(format!("'{a}' is not a valid flag"));
        };
        if f.is_empty() {
            break;
        }
        let (k, v) = match f.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None if BOOL_FLAGS.contains(&f) => (f.to_string(), "true".to_string()),
            None => match args.get(i) {
                Some(v) => {
                    i += 1;
                    (f.to_string(), v.clone())
                }
                None => return Err(format!("flag needs an argument: -{f}")),
            },
        };
        flags.insert(k, v);
    }
    let name = flags
        .get("name")
        .cloned()
        .unwrap_or_else(|| "default".to_string());
    let data_dir = flags
        .get("data-dir")
        .cloned()
        .unwrap_or_else(|| format!("{name}.etcd"));
    let host = if data_dir.starts_with('/') {
        data_dir.clone()
    } else {
        format!("/{data_dir}")
    };
    Ok(EtcdStart {
        name,
        data_dir,
        host_data_dir: Some(host),
        flags,
        argv: std::iter::once("etcd".to_string())
            .chain(args.iter().cloned())
            .collect(),
        image: String::new(),
        creates: Vec::new(),
    })
}

/// Whether `uid`/`gid` has the permission bits `want` (4 read, 2 write, 1 search) on `path`
/// (root has them all).
pub fn may(fs: &Fs, path: &[String], uid: u32, gid: u32, want: u32) -> bool {
    if uid == 0 {
        return true;
    }
    let Ok(st) = fs.stat(path) else {
        return false;
    };
    let bits = if st.uid == uid {
        st.mode >> 6
    } else if st.gid == gid {
        st.mode >> 3
    } else {
        st.mode
    } & 7;
    bits & want == want
}

/// Whether every directory above `path` can be searched.
fn reachable(fs: &Fs, path: &[String], uid: u32, gid: u32) -> bool {
    (0..path.len()).all(|i| may(fs, &path[..i], uid, gid, 1))
}

/// How far etcd got before its data directory stopped it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Right after its version lines (etcdmain lists the directory).
    Listing,
    /// After its configuration lines (the server opens `member/`).
    Member,
    /// After the restarting member's configuration lines (the backend opens `member/snap/db`).
    Backend,
}

/// Why etcd exits on its data directory: the message it logs, how far it got, and whether it
/// panics (exit status 2) rather than exiting (status 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDirError {
    pub stage: Stage,
    pub message: String,
    pub panic: bool,
}

fn fail(stage: Stage, message: String, panic: bool) -> DataDirError {
    DataDirError {
        stage,
        message,
        panic,
    }
}

/// What etcd does with its data directory `dir` when it starts as `uid`/`gid` at `now`:
/// creates it if missing, or why it exits.
pub fn check_data_dir(
    fs: &mut Fs,
    dir: &str,
    uid: u32,
    gid: u32,
    now: Millis,
) -> Result<(), DataDirError> {
    let d = comps(dir);
    let shown = dir.trim_end_matches('/');
    let denied = |what: &str| format!("{what}: permission denied");
    if !fs.exists(&d) {
        let parent = &d[..d.len().saturating_sub(1)];
        if !reachable(fs, &d, uid, gid) || !may(fs, parent, uid, gid, 3) {
            let m = denied(&format!("cannot access data directory: mkdir {shown}"));
            return Err(fail(Stage::Member, m, false));
        }
        if let Err(e) = fs.mkdir_all(&d, now) {
            let m = format!(
                "cannot access data directory: mkdir {shown}: {}",
                e.text().to_lowercase()
            );
            return Err(fail(Stage::Member, m, false));
        }
        let _ = fs.chmod(&d, 0o700);
        let _ = fs.chown(&d, Some(uid), Some(gid));
        return Ok(());
    }
    if !fs.is_dir(&d) {
        let m = format!("cannot access data directory: mkdir {shown}: not a directory");
        return Err(fail(Stage::Member, m, false));
    }
    if !reachable(fs, &d, uid, gid) || !may(fs, &d, uid, gid, 5) {
        let m = format!("error listing data dir: {shown}");
        return Err(fail(Stage::Listing, m, false));
    }
    if !may(fs, &d, uid, gid, 3) {
        let m = denied(&format!(
            "cannot access data directory: open {shown}/.touch"
        ));
        return Err(fail(Stage::Member, m, false));
    }
    let member = comps(&format!("{shown}/member"));
    if !fs.exists(&member) {
        return Ok(());
    }
    let snap = comps(&format!("{shown}/member/snap"));
    if !may(fs, &member, uid, gid, 1) || (fs.exists(&snap) && !may(fs, &snap, uid, gid, 7)) {
        let m = if may(fs, &member, uid, gid, 1) {
            denied(&format!(
                "create snapshot directory error: open {shown}/member/snap/.touch"
            ))
        } else {
            denied(&format!(
                "create snapshot directory error: mkdir {shown}/member/snap"
            ))
        };
        return Err(fail(Stage::Member, m, false));
    }
    // the backend opens before the WAL directory is written to
    let db = comps(&format!("{shown}/member/snap/db"));
    if fs.exists(&db) && !may(fs, &db, uid, gid, 6) {
        let p = format!("{shown}/member/snap/db");
        let m = format!("cannot open database at {p} (open {p}: permission denied)");
        return Err(fail(Stage::Backend, m, true));
    }
    let wal = comps(&format!("{shown}/member/wal"));
    if fs.exists(&wal) && !may(fs, &wal, uid, gid, 7) {
        let m = denied(&format!("create wal error: openfdat {shown}/member/wal"));
        return Err(fail(Stage::Member, m, true));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ETCD: u32 = 998;

    fn fs() -> Fs {
        let mut fs = Fs::new(0);
        fs.add_user("etcd", ETCD, ETCD);
        fs.mkdir_all(&comps("/var/lib"), 0).unwrap();
        fs
    }

    /// A data directory as `snapshot restore` run by root leaves it.
    fn restored(fs: &mut Fs, dir: &str) {
        for d in ["", "/member", "/member/snap", "/member/wal"] {
            let c = comps(&format!("{dir}{d}"));
            fs.mkdir_all(&c, 0).unwrap();
            fs.chmod(&c, 0o700).unwrap();
        }
        for f in ["/member/snap/db", "/member/wal/0.wal"] {
            let c = comps(&format!("{dir}{f}"));
            fs.write(&c, b"x", false, 0).unwrap();
            fs.chmod(&c, 0o600).unwrap();
        }
    }

    fn chown_r(fs: &mut Fs, dir: &str) {
        let mut paths = fs.walk(&comps(dir));
        paths.sort();
        for p in paths {
            fs.chown(&p, Some(ETCD), Some(ETCD)).unwrap();
        }
    }

    #[test]
    fn flags_from_exec_start() {
        let args: Vec<String> = "--name etcd-server --data-dir=/var/lib/etcd --client-cert-auth --initial-cluster etcd-server=https://172.30.1.3:2380"
            .split(' ')
            .map(str::to_string)
            .collect();
        let s = etcd_spec(&args).unwrap();
        assert_eq!(s.name, "etcd-server");
        assert_eq!(s.host_data_dir.as_deref(), Some("/var/lib/etcd"));
        assert!(s.client_cert_auth());
        assert_eq!(s.initial_cluster().len(), 1);
        assert_eq!(
            etcd_spec(&["--name".to_string()]).unwrap_err(),
            "flag needs an argument: -name"
        );
        let d = etcd_spec(&[]).unwrap();
        assert_eq!(d.host_data_dir.as_deref(), Some("/default.etcd"));
    }

    #[test]
    fn a_missing_directory_is_created_where_etcd_may_write() {
        let mut fs = fs();
        let e = check_data_dir(&mut fs, "/var/lib/etcd-new", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(
            e.message,
            "cannot access data directory: mkdir /var/lib/etcd-new: permission denied"
        );
        assert!(!fs.exists(&comps("/var/lib/etcd-new")));
        // root may: the directory is made, mode 700, its owner's
        check_data_dir(&mut fs, "/var/lib/etcd-new", 0, 0, 0).unwrap();
        fs.mkdir_all(&comps("/srv/etcd"), 0).unwrap();
        fs.chown(&comps("/srv/etcd"), Some(ETCD), Some(ETCD))
            .unwrap();
        check_data_dir(&mut fs, "/srv/etcd/data", ETCD, ETCD, 0).unwrap();
        let st = fs.stat(&comps("/srv/etcd/data")).unwrap();
        assert_eq!((st.mode, st.uid), (0o700, ETCD));
    }

    #[test]
    fn a_restore_by_root_needs_chown_r() {
        let mut fs = fs();
        restored(&mut fs, "/var/lib/etcd-from-backup");
        let e = check_data_dir(&mut fs, "/var/lib/etcd-from-backup", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(
            e.message,
            "error listing data dir: /var/lib/etcd-from-backup"
        );
        assert_eq!((e.stage, e.panic), (Stage::Listing, false));
        // chown without -R: etcd owns the directory, not member/
        fs.chown(&comps("/var/lib/etcd-from-backup"), Some(ETCD), Some(ETCD))
            .unwrap();
        let e = check_data_dir(&mut fs, "/var/lib/etcd-from-backup", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(
            e.message,
            "create snapshot directory error: mkdir /var/lib/etcd-from-backup/member/snap: permission denied"
        );
        // the directories chowned, not the files: the backend does not open
        for d in ["member", "member/snap", "member/wal"] {
            let c = comps(&format!("/var/lib/etcd-from-backup/{d}"));
            fs.chown(&c, Some(ETCD), Some(ETCD)).unwrap();
        }
        let e = check_data_dir(&mut fs, "/var/lib/etcd-from-backup", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(e.message, "cannot open database at /var/lib/etcd-from-backup/member/snap/db (open /var/lib/etcd-from-backup/member/snap/db: permission denied)");
        assert_eq!((e.stage, e.panic), (Stage::Backend, true));
        chown_r(&mut fs, "/var/lib/etcd-from-backup");
        fs.chown(
            &comps("/var/lib/etcd-from-backup/member/wal"),
            Some(0),
            Some(0),
        )
        .unwrap();
        let e = check_data_dir(&mut fs, "/var/lib/etcd-from-backup", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(
            e.message,
            "create wal error: openfdat /var/lib/etcd-from-backup/member/wal: permission denied"
        );
        chown_r(&mut fs, "/var/lib/etcd-from-backup");
        check_data_dir(&mut fs, "/var/lib/etcd-from-backup", ETCD, ETCD, 0).unwrap();
        // root runs on anything
        restored(&mut fs, "/var/lib/other");
        check_data_dir(&mut fs, "/var/lib/other", 0, 0, 0).unwrap();
    }

    #[test]
    fn a_directory_etcd_can_read_but_not_write() {
        let mut fs = fs();
        fs.mkdir_all(&comps("/var/lib/ro"), 0).unwrap();
        let e = check_data_dir(&mut fs, "/var/lib/ro", ETCD, ETCD, 0).unwrap_err();
        assert_eq!(
            e.message,
            "cannot access data directory: open /var/lib/ro/.touch: permission denied"
        );
        fs.write(&comps("/var/lib/file"), b"", false, 0).unwrap();
        assert!(check_data_dir(&mut fs, "/var/lib/file", 0, 0, 0).is_err());
    }
}
