//! `etcdctl snapshot save|status|restore`: snapshot files and restored data directories are
//! read and written through [`Files`](super::super::files::Files) (the playground's working
//! directory, or a node's filesystem in a node lab).

use crate::api::{Request, Response};

use super::super::client::json_str;
use super::super::printer::humanize_bytes;
use super::super::snapshot_file::{self, SnapshotFile};
use super::super::{Fail, EXIT_ERROR, EXIT_INTERRUPTED};
use super::snapshot_restore::{self, RestoreBy, RestoreOpts};
use super::{bad_args, Ctx};
use crate::etcdctl::files::Files;
use crate::etcdctl::printer::Printer;
use crate::etcdctl::Io;

use super::super::client::epoch_seconds as zap_ts;

pub fn save(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot save expects one argument"));
    }
    let path = args[0].clone();
    let client = ctx.client()?;
    if client.endpoints.len() != 1 {
        return Err(Fail::new(
            EXIT_ERROR,
            format!(
                "snapshot must be requested to one selected node, not multiple [{}]",
                client.endpoints.join(" ")
            ),
        ));
    }
    // zap logs the endpoint as it was given (`127.0.0.1:2379`, `https://127.0.0.1:2379`)
    let ep = client.endpoints[0].clone();
    let start = ctx.cluster.unix_nanos();
    let part = format!("{}.part", path);
    // etcd opens the temporary file before it asks for the snapshot
    if let Err(e) = ctx.files.can_create(&part) {
        return Err(Fail::new(
            EXIT_INTERRUPTED,
            format!("could not open {part} (open {part}: {e})"),
        ));
    }
    let v35 = ctx.console.version.is_3_5();
    let line = |v34: u32, v35n: u32| if v35 { v35n } else { v34 };
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:{}\",\"msg\":\"created temporary db file\",\"path\":{}}}",
        zap_ts(start),
        line(119, 68),
        json_str(&part)
    ));
    let resp = match client.call(ctx.cluster, ctx.io, Request::Snapshot) {
        Ok(r) => r,
        Err(e) => return Err(Fail::new(EXIT_INTERRUPTED, e.msg)),
    };
    let Response::Snapshot(s) = resp else {
        return Err(Fail::new(EXIT_INTERRUPTED, "unexpected response"));
    };
    let now = ctx.cluster.unix_nanos();
    // the client's own lines: 3.4's logger prints ISO times, 3.5's is the "client" logger
    let client_line = |msg: &str, l34: u32, l35: u32| {
        if v35 {
            format!("{{\"level\":\"info\",\"ts\":{},\"logger\":\"client\",\"caller\":\"v3/maintenance.go:{}\",\"msg\":\"{}\"}}", zap_ts(now), l35, msg)
        } else {
            let iso = super::super::client::iso8601(now);
            format!("{{\"level\":\"info\",\"ts\":\"{}\",\"caller\":\"clientv3/maintenance.go:{}\",\"msg\":\"{}\"}}", iso, l34, msg)
        }
    };
    ctx.io.errln(&client_line(
        "opened snapshot stream; downloading",
        200,
        211,
    ));
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:{}\",\"msg\":\"fetching snapshot\",\"endpoint\":{}}}",
        zap_ts(now),
        line(127, 76),
        json_str(&ep)
    ));
    ctx.io
        .errln(&client_line("completed snapshot read; closing", 208, 219));
    // the database, then its SHA-256 (what the member streams; etcdctl keeps it all)
    let size = s.blob.len() as u64 + 32;
    let data = snapshot_file::encode(s.blob);
    let secs = (now - start).max(0) as f64 / 1e9;
    // 3.5 logs humanize's time: "now" for what took under a second
    let took = if v35 {
        json_str(&humanize_time(secs))
    } else {
        secs.to_string()
    };
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:{}\",\"msg\":\"fetched snapshot\",\"endpoint\":{},\"size\":{},\"took\":{}}}",
        zap_ts(now),
        line(142, 91),
        json_str(&ep),
        json_str(&humanize_bytes(size)),
        took
    ));
    if let Err(e) = ctx.files.write_owned(&path, data) {
        return Err(Fail::new(
            EXIT_INTERRUPTED,
            format!("could not open {part} (open {part}: {e})"),
        ));
    }
    ctx.files.written(&path);
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:{}\",\"msg\":\"saved\",\"path\":{}}}",
        zap_ts(now),
        line(152, 100),
        json_str(&path)
    ));
    ctx.io.outln(&format!("Snapshot saved at {}", path));
    Ok(())
}

/// go-humanize's `Time` of a duration in the past, as etcd 3.5 logs what a snapshot
/// took: "now" under a second, then "1 second ago", "N seconds ago", "1 minute ago", ...
fn humanize_time(secs: f64) -> String {
    let s = secs as u64;
    match s {
        0 => "now".to_string(),
        1 => "1 second ago".to_string(),
        2..=59 => format!("{s} seconds ago"),
        60..=119 => "1 minute ago".to_string(),
        _ => format!("{} minutes ago", s / 60),
    }
}

/// Whether `data` reads as a snapshot file (one `snapshot save` wrote, a real etcd's, or a
/// data directory's `db`): (revision, keys, size); Err: what `snapshot status` would say.
pub fn check(data: &[u8]) -> Result<(i64, i64, i64), String> {
    let st = SnapshotFile::read(data).status()?;
    Ok((st.revision, st.total_key, st.total_size))
}

pub fn status(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot status requires exactly one argument"));
    }
    if ctx.console.version.is_3_5() {
        ctx.io
            .errln("Deprecated: Use `etcdutl snapshot status` instead.");
        ctx.io.errln("");
    }
    let p = ctx.printer()?;
    status_of(ctx.files, &args[0], p.as_ref(), ctx.io)
}

/// `snapshot status FILE` printed by `p` (etcdctl's, and etcdutl's).
pub fn status_of(files: &dyn Files, path: &str, p: &dyn Printer, io: &mut Io) -> Result<(), Fail> {
    let args = [path.to_string()];
    let data = match files.read(&args[0]) {
        Ok(d) => d,
        Err(e) => return Err(Fail::new(EXIT_ERROR, format!("stat {}: {e}", args[0]))),
    };
    if data.is_empty() {
        // bbolt initialises an empty file, which it opened read-only
        return Err(Fail::new(
            EXIT_ERROR,
            format!("write {}: bad file descriptor", args[0]),
        ));
    }
    let st = SnapshotFile::read(&data)
        .status()
        .map_err(|e| Fail::new(EXIT_ERROR, e))?;
    p.db_status(io, &st)
}

pub fn restore(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot restore requires exactly one argument"));
    }
    let o = RestoreOpts::from_flags(&args[0], &ctx.flags);
    let by = if ctx.console.version.is_3_5() {
        RestoreBy::Etcdctl35
    } else {
        RestoreBy::Etcdctl34
    };
    snapshot_restore::restore(ctx.cluster, ctx.files, ctx.io, &o, by)
}
