//! `etcdctl snapshot save|status|restore`: snapshot files and restored data directories are
//! read and written through [`Files`](super::super::files::Files) (the playground's working
//! directory, or a node's filesystem in a node lab).

use crate::api::{Request, Response, SnapshotResponse};
use crate::cluster::RestoreSpec;

use super::super::client::json_str;
use super::super::printer::{humanize_bytes, DbStatus};
use super::super::{Fail, EXIT_ERROR, EXIT_INTERRUPTED};
use super::{bad_args, Ctx};

const MAGIC: &[u8] = b"etcd-playground snapshot v1\n";

/// The file: a magic line, `revision total_keys db_size\n`, then the member's backend blob
/// (one allocation of the file's size).
fn encode(rev: i64, keys: i64, size: i64, blob: &[u8]) -> Vec<u8> {
    let line = format!("{} {} {}\n", rev, keys, size);
    let mut v = Vec::with_capacity(MAGIC.len() + line.len() + blob.len());
    v.extend_from_slice(MAGIC);
    v.extend_from_slice(line.as_bytes());
    v.extend_from_slice(blob);
    v
}

fn decode(data: &[u8]) -> Option<(i64, i64, i64)> {
    let rest = data.strip_prefix(MAGIC)?;
    let nl = rest.iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&rest[..nl]).ok()?;
    let mut it = line.split(' ');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

/// A bolt file's size: what the cluster says its backend file holds (a snapshot is a copy of
/// it), else 4 KiB pages for twice the blob, 20 kB for a small database.
fn db_size(s: &SnapshotResponse) -> i64 {
    if s.db_size > 0 {
        return s.db_size;
    }
    let pages = (s.blob.len() as i64 * 2 + 4095) / 4096;
    4096 * pages.max(5)
}

/// The file's CRC-32 (IEEE), as `snapshot status` prints it.
fn crc32(data: &[u8]) -> u32 {
    crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(data)
}

/// zap's epoch time: seconds as Go's shortest float text (`1704067246.58`).
fn zap_ts(unix_nanos: i64) -> String {
    format!("{}", unix_nanos as f64 / 1e9)
}

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
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:119\",\"msg\":\"created temporary db file\",\"path\":{}}}",
        zap_ts(start),
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
    let iso = super::super::client::iso8601(now);
    ctx.io.errln(&format!("{{\"level\":\"info\",\"ts\":\"{}\",\"caller\":\"clientv3/maintenance.go:200\",\"msg\":\"opened snapshot stream; downloading\"}}", iso));
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:127\",\"msg\":\"fetching snapshot\",\"endpoint\":{}}}",
        zap_ts(now),
        json_str(&ep)
    ));
    ctx.io.errln(&format!("{{\"level\":\"info\",\"ts\":\"{}\",\"caller\":\"clientv3/maintenance.go:208\",\"msg\":\"completed snapshot read; closing\"}}", iso));
    let rev = s.header.revision;
    let dbsize = db_size(&s);
    let data = encode(rev, s.total_key, dbsize, &s.blob);
    // the member's blob is not needed again: only the file's bytes are kept
    drop(s);
    let size = dbsize as u64;
    let took = (now - start).max(0) as f64 / 1e9;
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:142\",\"msg\":\"fetched snapshot\",\"endpoint\":{},\"size\":{},\"took\":{}}}",
        zap_ts(now),
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
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:152\",\"msg\":\"saved\",\"path\":{}}}",
        zap_ts(now),
        json_str(&path)
    ));
    ctx.io.outln(&format!("Snapshot saved at {}", path));
    Ok(())
}

/// Whether `data` reads as a snapshot file `snapshot save` wrote: (revision, keys, size).
pub fn check(data: &[u8]) -> Option<(i64, i64, i64)> {
    decode(data)
}

pub fn status(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot status requires exactly one argument"));
    }
    let p = ctx.printer()?;
    let data = match ctx.files.read(&args[0]) {
        Ok(d) => d,
        Err(e) => return Err(Fail::new(EXIT_ERROR, format!("stat {}: {e}", args[0]))),
    };
    let data = &data;
    let Some((rev, keys, size)) = decode(data) else {
        return Err(Fail::new(EXIT_ERROR, "invalid database"));
    };
    let st = DbStatus {
        hash: crc32(data),
        revision: rev,
        total_key: keys,
        total_size: size,
    };
    p.db_status(ctx.io, &st)
}

/// The zap fields naming a restore's directories (`path`, `wal-dir`, `data-dir`, `snap-dir`).
fn restore_fields(path: &str, data_dir: &str) -> String {
    format!(
        "\"path\":{},\"wal-dir\":{},\"data-dir\":{},\"snap-dir\":{}",
        json_str(path),
        json_str(&format!("{data_dir}/member/wal")),
        json_str(data_dir),
        json_str(&format!("{data_dir}/member/snap"))
    )
}

pub fn restore(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot restore requires exactly one argument"));
    }
    let path = args[0].clone();
    let name = ctx.flags.str("name");
    let name = if name.is_empty() {
        "default".to_string()
    } else {
        name
    };
    let mut data_dir = ctx.flags.str("data-dir");
    if data_dir.is_empty() {
        data_dir = format!("{name}.etcd");
    }
    let data_dir = data_dir.trim_end_matches('/').to_string();
    let peer_urls = ctx.flags.str("initial-advertise-peer-urls");
    let peer_urls = if peer_urls.is_empty() {
        "http://localhost:2380".to_string()
    } else {
        peer_urls
    };
    let initial = ctx.flags.str("initial-cluster");
    let initial = if initial.is_empty() {
        peer_urls
            .split(',')
            .map(|u| format!("{name}={u}"))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        initial
    };
    let mut pairs = Vec::new();
    for kv in initial.split(',').filter(|s| !s.is_empty()) {
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
    let token = ctx.flags.str("initial-cluster-token");
    let token = if token.is_empty() {
        "etcd-cluster".to_string()
    } else {
        token
    };
    if ctx.files.exists(&data_dir) {
        return Err(Fail::new(
            EXIT_ERROR,
            format!("data-dir {} exists", json_str(&data_dir)),
        ));
    }
    let start = ctx.cluster.unix_nanos();
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:296\",\"msg\":\"restoring snapshot\",{}}}",
        zap_ts(start),
        restore_fields(&path, &data_dir)
    ));
    let file = ctx
        .files
        .read(&path)
        .map_err(|e| Fail::new(EXIT_ERROR, format!("open {path}: {e}")))?;
    let blob = file
        .strip_prefix(MAGIC)
        .and_then(|rest| {
            rest.iter()
                .position(|&b| b == b'\n')
                .map(|nl| &rest[nl + 1..])
        })
        .ok_or_else(|| {
            Fail::new(
                EXIT_ERROR,
                "snapshot file integrity check failed: invalid database",
            )
        })?;
    let spec = RestoreSpec {
        name,
        initial_cluster: pairs,
        token,
    };
    let dir = ctx
        .cluster
        .restore_data_dir(blob, &spec)
        .map_err(|e| Fail::new(EXIT_ERROR, e))?;
    for (id, urls) in &dir.members {
        ctx.io.errln(&format!(
            "{{\"level\":\"info\",\"ts\":{},\"caller\":\"membership/cluster.go:392\",\"msg\":\"added member\",\"cluster-id\":\"{:x}\",\"local-member-id\":\"0\",\"added-peer-id\":\"{:x}\",\"added-peer-peer-urls\":[{}]}}",
            zap_ts(ctx.cluster.unix_nanos()),
            dir.cluster_id,
            id,
            urls.iter().map(|u| json_str(u)).collect::<Vec<_>>().join(",")
        ));
    }
    for (rel, bytes) in &dir.files {
        let p = format!("{data_dir}/{rel}");
        ctx.files
            .write(&p, bytes)
            .map_err(|e| Fail::new(EXIT_ERROR, format!("mkdir {data_dir}: {e}")))?;
    }
    ctx.files.restored(&data_dir);
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:309\",\"msg\":\"restored snapshot\",{}}}",
        zap_ts(ctx.cluster.unix_nanos()),
        restore_fields(&path, &data_dir)
    ));
    Ok(())
}
