//! `etcdctl endpoint health|status|hashkv` (with `--cluster`: every member's client URLs).

use crate::api::{RangeRequest, Request, Response};

use super::super::client::{go_duration, Client};
use super::super::printer::{EpHashKv, EpHealth, EpStatus};
use super::super::{Fail, EXIT_ERROR};
use super::Ctx;

/// `endpointsFromCluster`.
pub fn endpoints_from_cluster(ctx: &mut Ctx, client: &Client) -> Result<Vec<String>, Fail> {
    if !ctx.flags.bool("cluster") {
        return Ok(client.endpoints.clone());
    }
    let mut c = client.clone();
    c.token = None;
    match c.call(ctx.cluster, ctx.io, Request::MemberList) {
        Ok(Response::MemberList(r)) => Ok(r
            .members
            .iter()
            .flat_map(|m| m.client_urls.clone())
            .collect()),
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(Fail::new(
            EXIT_ERROR,
            format!(
                "failed to fetch endpoints from etcd cluster member list: {}",
                e
            ),
        )),
    }
}

pub fn health(ctx: &mut Ctx) -> Result<(), Fail> {
    let p = ctx.printer()?;
    let base = ctx.client()?;
    let eps = endpoints_from_cluster(ctx, &base)?;
    let mut list = Vec::new();
    for ep in eps {
        let mut c = base.with_endpoint(&ep);
        c.passthrough = false;
        c.health_logger = true;
        let start = ctx.cluster.now();
        let r = c.call(
            ctx.cluster,
            ctx.io,
            Request::Range(RangeRequest {
                key: b"health".to_vec(),
                ..Default::default()
            }),
        );
        let took = go_duration(ctx.cluster.now().saturating_sub(start));
        let mut h = EpHealth {
            ep: ep.clone(),
            health: false,
            took,
            error: String::new(),
        };
        match r {
            Ok(_) => h.health = true,
            Err(e) if e.msg == "etcdserver: permission denied" => h.health = true,
            Err(e) => h.error = e.msg,
        }
        list.push(h);
    }
    let errs = list.iter().any(|h| !h.error.is_empty());
    p.endpoint_health(ctx.io, &list)?;
    if errs {
        return Err(Fail::new(EXIT_ERROR, "unhealthy cluster"));
    }
    Ok(())
}

pub fn status(ctx: &mut Ctx) -> Result<(), Fail> {
    let base = ctx.client()?;
    let eps = endpoints_from_cluster(ctx, &base)?;
    let mut list = Vec::new();
    let mut failed = false;
    for ep in eps {
        match base
            .with_endpoint(&ep)
            .call(ctx.cluster, ctx.io, Request::Status)
        {
            Ok(Response::Status(resp)) => list.push(EpStatus { ep, resp }),
            Ok(_) => {}
            Err(e) => {
                failed = true;
                ctx.io.errln(&format!(
                    "Failed to get the status of endpoint {} ({})",
                    ep, e
                ));
            }
        }
    }
    let p = ctx.printer()?;
    p.endpoint_status(ctx.io, &list)?;
    if failed {
        return Err(Fail::silent(EXIT_ERROR));
    }
    Ok(())
}

pub fn hashkv(ctx: &mut Ctx) -> Result<(), Fail> {
    let base = ctx.client()?;
    let eps = endpoints_from_cluster(ctx, &base)?;
    let rev = ctx.flags.int("rev");
    let mut list = Vec::new();
    let mut err = None;
    for ep in eps {
        match base
            .with_endpoint(&ep)
            .call(ctx.cluster, ctx.io, Request::HashKv { revision: rev })
        {
            Ok(Response::HashKv(resp)) => list.push(EpHashKv { ep, resp }),
            Ok(_) => {}
            Err(e) => {
                ctx.io.errln(&format!(
                    "Failed to get the hash of endpoint {} ({})",
                    ep, e
                ));
                err = Some(e);
            }
        }
    }
    let p = ctx.printer()?;
    p.endpoint_hashkv(ctx.io, &list)?;
    if let Some(e) = err {
        return Err(Fail::new(EXIT_ERROR, e.msg));
    }
    Ok(())
}
