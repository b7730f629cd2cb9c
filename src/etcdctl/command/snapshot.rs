//! `etcdctl snapshot save|status|restore`: snapshot files live in the playground's virtual
//! working directory (`Console::files`).

use crate::api::{Request, Response};

use super::super::client::{host_of, json_str};
use super::super::printer::{humanize_bytes, DbStatus};
use super::super::{Fail, EXIT_ERROR, EXIT_INTERRUPTED};
use super::{bad_args, Ctx};

const MAGIC: &[u8] = b"etcd-playground snapshot v1\n";

/// The file: a magic line, `revision total_keys db_size\n`, then the member's backend blob.
fn encode(rev: i64, keys: i64, size: i64, blob: &[u8]) -> Vec<u8> {
    let mut v = MAGIC.to_vec();
    v.extend_from_slice(format!("{} {} {}\n", rev, keys, size).as_bytes());
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

/// A bolt file's size: 4 KiB pages, 20 kB for a small database.
fn db_size(blob: &[u8]) -> i64 {
    let pages = (blob.len() as i64 * 2 + 4095) / 4096;
    4096 * pages.max(5)
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            let mask = (!(crc & 1)).wrapping_add(1);
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

fn zap_ts(unix_nanos: i64) -> String {
    format!("{:.7e}", unix_nanos as f64 / 1e9).replace("e9", "e+09")
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
    let ep = host_of(&client.endpoints[0]).to_string();
    let start = ctx.cluster.unix_nanos();
    let part = format!("{}.part", path);
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
    let keys = ctx.cluster.snapshot_key_count(&s.blob);
    let dbsize = db_size(&s.blob);
    let data = encode(rev, keys, dbsize, &s.blob);
    let size = dbsize as u64;
    let took = (now - start).max(0) as f64 / 1e9;
    ctx.io.errln(&format!(
        "{{\"level\":\"info\",\"ts\":{},\"caller\":\"snapshot/v3_snapshot.go:142\",\"msg\":\"fetched snapshot\",\"endpoint\":{},\"size\":{},\"took\":{}}}",
        zap_ts(now),
        json_str(&ep),
        json_str(&humanize_bytes(size)),
        took
    ));
    ctx.console.files.insert(path.clone(), data);
    ctx.console.written.push(path.clone());
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
    let Some(data) = ctx.console.files.get(&args[0]) else {
        return Err(Fail::new(
            EXIT_ERROR,
            format!("stat {}: no such file or directory", args[0]),
        ));
    };
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

pub fn restore(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("snapshot restore requires exactly one argument"));
    }
    if !ctx.console.files.contains_key(&args[0]) {
        return Err(Fail::new(
            EXIT_ERROR,
            format!("stat {}: no such file or directory", args[0]),
        ));
    }
    Err(Fail::new(EXIT_ERROR, "snapshot restore writes a member data directory, which the playground's in-page cluster does not have"))
}
