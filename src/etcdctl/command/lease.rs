//! `etcdctl lease grant|revoke|timetolive|list|keep-alive`.

use std::time::Duration;

use crate::api::{LeaseGrantRequest, Request, Response};
use crate::cluster::Cluster;

use super::super::client::Client;
use super::super::printer::Printer;
use super::super::{Fail, Io, Job, Status, EXIT_BAD_CONNECTION, EXIT_ERROR};
use super::put::parse_hex_i64;
use super::{bad_args, Ctx};

/// `leaseFromArgs`.
pub fn lease_from_arg(arg: &str) -> Result<i64, Fail> {
    parse_hex_i64(arg)
        .map_err(|e| bad_args(&format!("bad lease ID arg ({}), expecting ID in Hex", e)))
}

pub fn grant(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("lease grant command needs TTL argument"));
    }
    let ttl = super::super::flags::parse_int_base10(&args[0])
        .map_err(|e| bad_args(&format!("bad TTL ({})", e)))?;
    let client = ctx.client()?;
    let resp = client
        .call(
            ctx.cluster,
            ctx.io,
            Request::LeaseGrant(LeaseGrantRequest { ttl, id: 0 }),
        )
        .map_err(|e| Fail::new(EXIT_ERROR, format!("failed to grant lease ({})", e)))?;
    let p = ctx.printer()?;
    if let Response::LeaseGrant(r) = resp {
        p.grant(ctx.io, &r)?;
    }
    Ok(())
}

pub fn revoke(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("lease revoke command needs 1 argument"));
    }
    let id = lease_from_arg(&args[0])?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::LeaseRevoke { id })
        .map_err(|e| Fail::new(EXIT_ERROR, format!("failed to revoke lease ({})", e)))?;
    let p = ctx.printer()?;
    if let Response::LeaseRevoke(r) = resp {
        p.revoke(ctx.io, id, &r)?;
    }
    Ok(())
}

pub fn time_to_live(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args(
            "lease timetolive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&args[0])?;
    let keys = ctx.flags.bool("keys");
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::LeaseTimeToLive { id, keys })
        .map_err(|e| Fail::new(EXIT_BAD_CONNECTION, e.msg))?;
    let p = ctx.printer()?;
    if let Response::LeaseTimeToLive(r) = resp {
        p.time_to_live(ctx.io, &r, keys)?;
    }
    Ok(())
}

pub fn list(ctx: &mut Ctx) -> Result<(), Fail> {
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::LeaseLeases)
        .map_err(|e| Fail::new(EXIT_BAD_CONNECTION, e.msg))?;
    let p = ctx.printer()?;
    if let Response::LeaseLeases(r) = resp {
        p.leases(ctx.io, &r)?;
    }
    Ok(())
}

/// The streaming `lease keep-alive`: renews every TTL/3 until the lease is gone.
struct KeepAliveJob {
    client: Client,
    printer: Box<dyn Printer>,
    simple: bool,
    id: i64,
    /// When the lease is due for renewal (TTL/3 after the last answer).
    next: Duration,
    /// clientv3's send loop looks at due leases every 500 ms.
    next_tick: Duration,
}

/// clientv3's keep-alive send loop period.
const KEEPALIVE_TICK: Duration = Duration::from_millis(500);

impl KeepAliveJob {
    fn send(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        match self
            .client
            .call_quiet(cluster, Request::LeaseKeepAlive { id: self.id })
        {
            Ok(Response::LeaseKeepAlive(r)) if r.ttl > 0 => {
                if let Err(f) = self.printer.keep_alive(io, &r) {
                    io.errln(&format!("Error: {}", f.msg));
                    return Some(f.code);
                }
                self.next = cluster.now()
                    + Duration::from_millis((r.ttl.max(0) as u64).saturating_mul(1000) / 3);
                None
            }
            _ => {
                if self.simple {
                    io.outln(&format!("lease {:016x} expired or revoked.", self.id));
                }
                Some(0)
            }
        }
    }
}

impl Job for KeepAliveJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        if cluster.now() < self.next_tick {
            return None;
        }
        while self.next_tick <= cluster.now() {
            self.next_tick += KEEPALIVE_TICK;
        }
        if cluster.now() >= self.next {
            return self.send(cluster, io);
        }
        None
    }
    fn interrupt(&mut self, _cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        0
    }
}

pub fn keep_alive(ctx: &mut Ctx) -> Result<Status, Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args(
            "lease keep-alive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&args[0])?;
    let client = ctx.client()?;
    let p = ctx.printer()?;
    if ctx.flags.bool("once") {
        let resp = client
            .call_quiet(ctx.cluster, Request::LeaseKeepAlive { id })
            .map_err(|e| Fail::new(EXIT_BAD_CONNECTION, e.msg))?;
        if let Response::LeaseKeepAlive(r) = resp {
            if r.ttl <= 0 {
                return Err(Fail::new(
                    EXIT_BAD_CONNECTION,
                    "etcdserver: requested lease not found",
                ));
            }
            p.keep_alive(ctx.io, &r)?;
        }
        return Ok(Status::Done(0));
    }
    let simple = ctx.write_out() == "simple";
    let mut job = KeepAliveJob {
        client,
        printer: p,
        simple,
        id,
        next: Duration::ZERO,
        // the send loop starts a moment after the stream opens
        next_tick: ctx.cluster.now() + KEEPALIVE_TICK + Duration::from_millis(10),
    };
    if let Some(code) = job.send(ctx.cluster, ctx.io) {
        return Ok(Status::Done(code));
    }
    Ok(Status::Running(Box::new(job)))
}
