//! What etcdutl does with files: `snapshot status` (etcdctl's printers), `snapshot restore`
//! (etcdctl's restore, etcdutl's log lines), `defrag --data-dir` (the member's `db`
//! rewritten compact). `backup` has its own file.
//!
//! Owns: these commands' texts. Must not touch: the bbolt layout (`bbolt`).

use super::Parsed;
use crate::bbolt::{self, Db};
use crate::cluster::Cluster;
use crate::etcdctl::command::snapshot;
use crate::etcdctl::command::snapshot_restore::{self, console_line, RestoreBy, RestoreOpts};
use crate::etcdctl::files::Files;
use crate::etcdctl::printer::{humanize_bytes, new_printer, PrintOpts};
use crate::etcdctl::{Fail, Io, EXIT_BAD_ARGS, EXIT_ERROR};

/// A command's failure: exit status and message.
pub type Failed = (i32, String);

fn failed(f: Fail) -> Failed {
    (f.code, f.msg)
}

fn write_out(p: &Parsed) -> String {
    let w = p.str("write-out");
    if w.is_empty() {
        "simple".to_string()
    } else {
        w
    }
}

pub fn status(files: &mut dyn Files, p: &Parsed, io: &mut Io) -> Result<(), Failed> {
    if p.args.len() != 1 {
        return Err((
            EXIT_BAD_ARGS,
            "snapshot status requires exactly one argument".to_string(),
        ));
    }
    let opts = PrintOpts {
        version: crate::api::EtcdVersion::V3_5_1,
        ..Default::default()
    };
    let printer = new_printer(&write_out(p), opts).map_err(failed)?;
    snapshot::status_of(files, &p.args[0], printer.as_ref(), io).map_err(failed)
}

pub fn restore(
    cluster: &mut dyn Cluster,
    files: &mut dyn Files,
    p: &Parsed,
    io: &mut Io,
) -> Result<(), Failed> {
    if p.args.len() != 1 {
        return Err((
            EXIT_BAD_ARGS,
            "snapshot restore requires exactly one argument".to_string(),
        ));
    }
    // the flags' defaults (`--initial-cluster` does not follow `--name`)
    let get = |n: &str| match (n, p.str(n)) {
        ("initial-cluster", v) if v.is_empty() => "default=http://localhost:2380".to_string(),
        (_, v) => v,
    };
    let o = RestoreOpts::new(&p.args[0], &get, p.bool("skip-hash-check"));
    snapshot_restore::restore(cluster, files, io, &o, RestoreBy::Etcdutl).map_err(failed)
}

/// The panic of etcdutl 3.5.1's `defrag` when the directory holds no `member/snap/db`.
fn defrag_panic(io: &mut Io, now: i64, db: &str) {
    let src = "/tmp/etcd-release-3.5.1/etcd/release/etcd";
    let zap = "/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/go.uber.org/zap@v1.17.0";
    let fields = [
        ("path", crate::etcdctl::client::json_str(db)),
        (
            "error",
            crate::etcdctl::client::json_str(&format!("open {db}: no such file or directory")),
        ),
    ];
    let line = console_line(
        now,
        "backend/backend.go:182",
        "failed to open database",
        &fields,
    );
    io.errln(&line.replacen("\tinfo\t", "\tpanic\t", 1));
    for l in [
        "go.etcd.io/etcd/server/v3/mvcc/backend.newBackend".to_string(),
        format!("\t{src}/server/mvcc/backend/backend.go:182"),
        "go.etcd.io/etcd/server/v3/mvcc/backend.New".to_string(),
        format!("\t{src}/server/mvcc/backend/backend.go:156"),
        "go.etcd.io/etcd/etcdutl/v3/etcdutl.DefragData.func1".to_string(),
        format!("\t{src}/etcdutl/etcdutl/defrag_command.go:62"),
        "panic: failed to open database".to_string(),
        String::new(),
        "goroutine 103 [running]:".to_string(),
        "go.uber.org/zap/zapcore.(*CheckedEntry).Write(0xc00015e6c0, 0xc0001e0800, 0x2, 0x2)".to_string(),
        format!("\t{zap}/zapcore/entry.go:234 +0x58d"),
        "go.uber.org/zap.(*Logger).Panic(0xc00012dd10, 0xd7ad47, 0x17, 0xc0001e0800, 0x2, 0x2)".to_string(),
        format!("\t{zap}/logger.go:227 +0x85"),
        "go.etcd.io/etcd/server/v3/mvcc/backend.newBackend(0xc0001546a8, 0x16, 0x5f5e100, 0x2710, 0x0, 0x0, 0x280000000, 0xc00012dd10, 0x0, 0x0, ...)".to_string(),
        format!("\t{src}/server/mvcc/backend/backend.go:182 +0x3db"),
        "go.etcd.io/etcd/server/v3/mvcc/backend.New(...)".to_string(),
        format!("\t{src}/server/mvcc/backend/backend.go:156"),
        "go.etcd.io/etcd/etcdutl/v3/etcdutl.DefragData.func1(0xc000110480, 0xc00012dd10, 0xc0001546a8, 0x16, 0xc000360b30)".to_string(),
        format!("\t{src}/etcdutl/etcdutl/defrag_command.go:62 +0x11d"),
        "created by go.etcd.io/etcd/etcdutl/v3/etcdutl.DefragData".to_string(),
        format!("\t{src}/etcdutl/etcdutl/defrag_command.go:57 +0xec"),
    ] {
        io.errln(&l);
    }
}

/// The database `data` rewritten as a defragmented etcd holds it (no free pages).
fn compacted(data: &[u8]) -> Option<Vec<u8>> {
    let db = Db::open(data).ok()?;
    Some(bbolt::write(&bbolt::buckets_of(&db).ok()?, 0, 0))
}

pub fn defrag(
    cluster: &mut dyn Cluster,
    files: &mut dyn Files,
    p: &Parsed,
    io: &mut Io,
) -> Result<(), Failed> {
    let dir = p.str("data-dir");
    let db = format!("{}/member/snap/db", dir.trim_end_matches('/'));
    let start = cluster.unix_nanos();
    let Ok(data) = files.read(&db) else {
        defrag_panic(io, start, &db);
        return Err((2, String::new()));
    };
    let Some(new) = compacted(&data) else {
        return Err((EXIT_ERROR, "file is not a valid bolt database".to_string()));
    };
    let (old, used) = (data.len() as i64, new.len() as i64);
    let size_fields = |size: i64| {
        vec![
            ("current-db-size-bytes", size.to_string()),
            (
                "current-db-size",
                format!("\"{}\"", humanize_bytes(size as u64)),
            ),
            ("current-db-size-in-use-bytes", used.to_string()),
            (
                "current-db-size-in-use",
                format!("\"{}\"", humanize_bytes(used as u64)),
            ),
        ]
    };
    let mut f = vec![("path", crate::etcdctl::client::json_str(&db))];
    f.extend(size_fields(old));
    io.errln(&console_line(
        start,
        "backend/backend.go:481",
        "defragmenting",
        &f,
    ));
    files
        .write(&db, &new)
        .map_err(|e| (EXIT_ERROR, format!("open {db}: {e}")))?;
    let end = cluster.unix_nanos();
    let mut f = vec![
        ("path", crate::etcdctl::client::json_str(&db)),
        ("current-db-size-bytes-diff", (used - old).to_string()),
    ];
    let sizes = size_fields(used);
    f.push(sizes[0].clone());
    f.push(sizes[1].clone());
    f.push(("current-db-size-in-use-bytes-diff", "0".to_string()));
    f.push(sizes[2].clone());
    f.push(sizes[3].clone());
    f.push(("took", format!("{}", (end - start).max(1000) as f64 / 1e9)));
    io.errln(&console_line(
        end,
        "backend/backend.go:539",
        "finished defragmenting directory",
        &f,
    ));
    Ok(())
}
