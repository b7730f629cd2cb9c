//! `etcdctl make-mirror [--prefix P] [--dest-prefix D | --no-dest-prefix] DEST`: copies the
//! keys under a prefix to another cluster (or another endpoint of the same one), then keeps
//! copying every change, until Ctrl+C.
//!
//! As etcd's mirror `Syncer` and `makeMirror` do: the source's revision is read first, the
//! keys at that revision are copied one put each (1000 a page), then a watch from the next
//! revision replays each revision's events as one transaction on the destination. Keys are
//! renamed by replacing the first occurrence of the prefix (Go's `strings.Replace(key,
//! prefix, dest, 1)`); without `--dest-prefix` the prefix stays. Every 30 s the number of
//! keys copied so far prints. Leases are not copied (the mirror's puts carry none).
//!
//! Owns: [`MirrorJob`]. Must not touch: how the destination is reached (the [`Client`]).

use std::time::Duration;

use crate::api::{
    AuthRequest, AuthResponse, DeleteRangeRequest, EventType, PutRequest, RangeRequest, Request,
    RequestOp, Response, TxnRequest,
};
use crate::cluster::Cluster;

use super::super::client::Client;
use super::super::printer_simple::prefix_range_end;
use super::super::{Fail, Io, Job, Status, EXIT_BAD_ARGS, EXIT_BAD_CONNECTION, EXIT_ERROR};
use super::Ctx;

/// The Syncer's page size (`batchLimit`).
const BATCH_LIMIT: i64 = 1000;
/// How often the count of copied keys prints.
const REPORT_EVERY: Duration = Duration::from_secs(30);

/// A running make-mirror.
pub struct MirrorJob {
    source: Client,
    dest: Client,
    prefix: String,
    dest_prefix: String,
    watch: Option<u64>,
    total: u64,
    next_report: Duration,
}

impl MirrorJob {
    /// `modifyPrefix`.
    fn rename(&self, key: &[u8]) -> Vec<u8> {
        let key = String::from_utf8_lossy(key);
        key.replacen(&self.prefix, &self.dest_prefix, 1)
            .into_bytes()
    }

    /// Prints the count for each 30 s passed.
    fn report(&mut self, cluster: &dyn Cluster, io: &mut Io) {
        while cluster.now() >= self.next_report {
            io.outln(&self.total.to_string());
            self.next_report += REPORT_EVERY;
        }
    }

    /// Copies the keys at the source's current revision; returns that revision.
    fn sync_base(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Result<i64, String> {
        let rev = match self
            .source
            .call(cluster, io, range(b"foo".to_vec(), Vec::new(), 0))
        {
            Ok(Response::Range(r)) => r.header.revision,
            Ok(_) => 0,
            Err(e) => return Err(e.msg),
        };
        let (mut key, end) = if self.prefix.is_empty() {
            (vec![0], vec![0])
        } else {
            let p = self.prefix.as_bytes();
            (p.to_vec(), prefix_range_end(p))
        };
        loop {
            let req = range(key.clone(), end.clone(), rev);
            let page = match self.source.call(cluster, io, req) {
                Ok(Response::Range(r)) => r,
                Ok(_) => return Ok(rev),
                Err(e) => return Err(e.msg),
            };
            for kv in &page.kvs {
                let put = Request::Put(PutRequest {
                    key: self.rename(&kv.key),
                    value: kv.value.clone(),
                    ..Default::default()
                });
                self.dest.call(cluster, io, put).map_err(|e| e.msg)?;
                self.total += 1;
            }
            match page.kvs.last() {
                Some(last) if page.more => {
                    key = last.key.clone();
                    key.push(0);
                }
                _ => return Ok(rev),
            }
        }
    }

    /// Applies a watch response's events: one transaction per revision.
    fn apply(
        &mut self,
        cluster: &mut dyn Cluster,
        io: &mut Io,
        events: &[crate::api::Event],
    ) -> Result<(), String> {
        let mut ops = Vec::new();
        let mut last_rev = 0;
        for ev in events {
            let rev = ev.kv.mod_revision;
            if last_rev != 0 && rev > last_rev {
                self.commit(cluster, io, std::mem::take(&mut ops))?;
            }
            last_rev = rev;
            let key = self.rename(&ev.kv.key);
            ops.push(match ev.kind {
                EventType::Put => RequestOp::Put(PutRequest {
                    key,
                    value: ev.kv.value.clone(),
                    ..Default::default()
                }),
                EventType::Delete => RequestOp::DeleteRange(DeleteRangeRequest {
                    key,
                    ..Default::default()
                }),
            });
            self.total += 1;
        }
        if !ops.is_empty() {
            self.commit(cluster, io, ops)?;
        }
        Ok(())
    }

    fn commit(
        &mut self,
        cluster: &mut dyn Cluster,
        io: &mut Io,
        ops: Vec<RequestOp>,
    ) -> Result<(), String> {
        let txn = Request::Txn(TxnRequest {
            compare: Vec::new(),
            success: ops,
            failure: Vec::new(),
        });
        self.dest
            .call(cluster, io, txn)
            .map(|_| ())
            .map_err(|e| e.msg)
    }

    /// Ends the job with etcdctl's `ExitWithError(ExitError, err)`.
    fn fail(&mut self, cluster: &mut dyn Cluster, io: &mut Io, msg: &str) -> i32 {
        self.interrupt(cluster, io);
        io.errln(&format!("Error: {msg}"));
        EXIT_ERROR
    }
}

fn range(key: Vec<u8>, range_end: Vec<u8>, revision: i64) -> Request {
    Request::Range(RangeRequest {
        key,
        range_end,
        revision,
        limit: if revision == 0 { 0 } else { BATCH_LIMIT },
        ..Default::default()
    })
}

impl Job for MirrorJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        let Some(id) = self.watch else {
            self.report(cluster, io);
            return None;
        };
        for r in cluster.watch_poll(id) {
            if r.compact_revision != 0 {
                let msg = "etcdserver: mvcc: required revision has been compacted";
                return Some(self.fail(cluster, io, msg));
            }
            if r.canceled {
                // the Syncer's watch channel closes: makeMirror returns nil, and etcdctl
                // still exits through ExitWithError(ExitError, nil)
                self.watch = None;
                io.errln("Error: <nil>");
                return Some(EXIT_ERROR);
            }
            if let Err(e) = self.apply(cluster, io, &r.events) {
                return Some(self.fail(cluster, io, &e));
            }
        }
        self.report(cluster, io);
        None
    }

    fn interrupt(&mut self, cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        if let Some(id) = self.watch.take() {
            cluster.watch_cancel(id);
        }
        0
    }
}

/// The destination's client: its one endpoint, `--dest-user`/`--dest-password` (3.5).
fn dest_client(ctx: &mut Ctx, source: &Client, endpoint: &str) -> Result<Client, Fail> {
    let mut dest = source.clone();
    dest.endpoints = vec![endpoint.to_string()];
    dest.token = None;
    let user = ctx.flags.str("dest-user");
    if user.is_empty() {
        return Ok(dest);
    }
    // `authDestCfg`: as --user/--password, with its own prompt
    let password = ctx.flags.str("dest-password");
    let (name, password) = if !password.is_empty() {
        (user, password)
    } else if let Some((n, p)) = user.split_once(':') {
        (n.to_string(), p.to_string())
    } else {
        ctx.io.out("Destination Password: ");
        let line = ctx.io.read_password().unwrap_or_default();
        ctx.io.out("\n");
        (user, line)
    };
    let req = Request::Auth(AuthRequest::Authenticate { name, password });
    match dest.call(ctx.cluster, ctx.io, req) {
        Ok(Response::Auth(AuthResponse::Authenticate { token, .. })) => dest.token = Some(token),
        Ok(_) => {}
        Err(e) => return Err(Fail::new(EXIT_BAD_CONNECTION, e.msg)),
    }
    Ok(dest)
}

pub fn run(ctx: &mut Ctx) -> Result<Status, Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(Fail::new(
            EXIT_BAD_ARGS,
            "make-mirror takes one destination argument",
        ));
    }
    let source = ctx.client()?;
    let dest = dest_client(ctx, &source, &args[0])?;
    let prefix = ctx.flags.str("prefix");
    let mut dest_prefix = ctx.flags.str("dest-prefix");
    let no_dest_prefix = ctx.flags.bool("no-dest-prefix");
    if no_dest_prefix && !dest_prefix.is_empty() {
        return Err(Fail::new(
            EXIT_BAD_ARGS,
            "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one",
        ));
    }
    if !no_dest_prefix && dest_prefix.is_empty() {
        dest_prefix = prefix.clone();
    }
    let reachable = ctx.cluster.member_at(&args[0]).is_some();
    let mut job = MirrorJob {
        source,
        dest,
        prefix,
        dest_prefix,
        watch: None,
        total: 0,
        next_report: ctx.cluster.now() + REPORT_EVERY,
    };
    if !reachable {
        // nothing answers there: the first put waits for it forever (the mirror's context
        // has no deadline), and the count keeps printing 0
        return Ok(Status::Running(Box::new(job)));
    }
    let rev = match job.sync_base(ctx.cluster, ctx.io) {
        Ok(rev) => rev,
        Err(e) => return Err(Fail::new(EXIT_ERROR, e)),
    };
    let (key, range_end) = super::super::printer_simple::with_prefix(job.prefix.as_bytes());
    let req = crate::api::WatchCreateRequest {
        key,
        range_end,
        start_revision: rev + 1,
        ..Default::default()
    };
    let ep = job.source.pick(ctx.cluster);
    // a watch that cannot be opened waits for its member, as clientv3's does
    job.watch = ctx
        .cluster
        .watch(&ep, job.source.token.as_deref(), req)
        .ok();
    if let Some(code) = job.poll(ctx.cluster, ctx.io) {
        return Ok(Status::Done(code));
    }
    Ok(Status::Running(Box::new(job)))
}
