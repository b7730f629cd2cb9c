//! `etcdctl check perf|datascale`: the `--load` validation as etcdctl does it; the run itself
//! is summarised on the simulated cluster.

use crate::api::{DeleteRangeRequest, PutRequest, RangeRequest, Request, Response};

use super::super::client::Client;
use super::super::printer_simple::prefix_range_end;

use super::super::{Fail, EXIT_BAD_FEATURE, EXIT_ERROR, EXIT_INVALID_INPUT};
use super::Ctx;

fn load_ok(load: &str) -> bool {
    matches!(load, "s" | "m" | "l" | "xl")
}

/// Whether the check's prefix holds keys already (the check refuses to run then).
fn has_keys(ctx: &mut Ctx, client: &Client, prefix: &str, range_end: &[u8]) -> bool {
    let probe = RangeRequest {
        key: prefix.as_bytes().to_vec(),
        range_end: range_end.to_vec(),
        count_only: true,
        ..Default::default()
    };
    matches!(
        client.call(ctx.cluster, ctx.io, Request::Range(probe)),
        Ok(Response::Range(r)) if r.count > 0
    )
}

fn has_keys_text(prefix: &str) -> String {
    format!(
        "prefix {} has keys. Delete with etcdctl del --prefix {} first",
        super::super::flags::go_quote(prefix),
        prefix
    )
}

pub fn perf(ctx: &mut Ctx) -> Result<(), Fail> {
    let load = ctx.flags.str("load");
    if !load_ok(&load) {
        return Err(Fail::new(
            EXIT_BAD_FEATURE,
            format!("unknown load option {}", load),
        ));
    }
    let client = ctx.client()?;
    let prefix = ctx.flags.str("prefix");
    let range_end = prefix_range_end(prefix.as_bytes());
    if has_keys(ctx, &client, &prefix, &range_end) {
        return Err(Fail::new(
            EXIT_ERROR,
            format!("{}.", has_keys_text(&prefix)),
        ));
    }
    let start = ctx.cluster.now();
    let n = 50;
    let mut failed = 0;
    for i in 0..n {
        let req = PutRequest {
            key: format!("{}{:08}", prefix, i).into_bytes(),
            value: vec![b'x'; 64],
            ..Default::default()
        };
        if client.call_quiet(ctx.cluster, Request::Put(req)).is_err() {
            failed += 1;
        }
    }
    let took = ctx.cluster.now().saturating_sub(start);
    let cleanup = DeleteRangeRequest {
        key: prefix.as_bytes().to_vec(),
        range_end,
        prev_kv: false,
    };
    let _ = client.call_quiet(ctx.cluster, Request::DeleteRange(cleanup));
    let avg = took.as_secs_f64() / n as f64;
    if failed > 0 {
        ctx.io
            .outln(&format!("FAIL: {} of {} requests failed", failed, n));
        return Err(Fail::silent(EXIT_ERROR));
    }
    ctx.io.outln(&format!(
        "PASS: Throughput is {:.0} writes/s",
        if avg > 0.0 { 1.0 / avg } else { 0.0 }
    ));
    ctx.io.outln("PASS: Slowest request took 0.000000s");
    ctx.io.outln("PASS: Stddev is 0.000000s");
    ctx.io.outln("PASS");
    Ok(())
}

pub fn datascale(ctx: &mut Ctx) -> Result<(), Fail> {
    let load = ctx.flags.str("load");
    if !load_ok(&load) {
        return Err(Fail::new(
            EXIT_BAD_FEATURE,
            format!("unknown load option {}", load),
        ));
    }
    if load != "s" {
        return Err(Fail::new(
            EXIT_ERROR,
            "check datascale is only simulated with --load=s in the playground",
        ));
    }
    let client = ctx.client()?;
    let prefix = "/etcdctl-check-datascale/";
    let range_end = prefix_range_end(prefix.as_bytes());
    if has_keys(ctx, &client, prefix, &range_end) {
        return Err(Fail::new(EXIT_INVALID_INPUT, has_keys_text(prefix)));
    }
    // the small load: 10,000 puts of 1 KiB keys and values
    let (n, size) = (10_000u32, 1024usize);
    ctx.io.outln(&format!(
        "Start data scale check for work load [{n} key-value pairs, {size} bytes per key-value, 50 concurrent clients]."
    ));
    let start = ctx.cluster.now();
    for i in 0..n {
        let key = format!("{prefix}{i:08}");
        let req = PutRequest {
            value: vec![b'x'; size.saturating_sub(key.len())],
            key: key.into_bytes(),
            ..Default::default()
        };
        if let Err(e) = client.call_quiet(ctx.cluster, Request::Put(req)) {
            return Err(Fail::new(EXIT_ERROR, e.msg));
        }
    }
    let secs = ctx.cluster.now().saturating_sub(start).as_secs();
    // the progress bar (pb's counters): one line of carriage-return separated updates
    let bar = |done: u32| format!("\r {done} / {n} {:>7.2}%", done as f64 * 100.0 / n as f64);
    ctx.io.outln(&format!("{}{} {secs}s", bar(0), bar(n)));
    let cleanup = DeleteRangeRequest {
        key: prefix.as_bytes().to_vec(),
        range_end,
        prev_kv: false,
    };
    let _ = client.call_quiet(ctx.cluster, Request::DeleteRange(cleanup));
    let mb = (n as usize * size) as f64 / (1024.0 * 1024.0);
    ctx.io.outln(&format!(
        "PASS: Approximate system memory used : {mb:.2} MB."
    ));
    Ok(())
}
