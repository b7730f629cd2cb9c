//! `etcdctl lock NAME [CMD ARGS...]`: a mutex as etcd's concurrency package builds it (a
//! session lease, a key `NAME/<lease hex>` created in a txn, the lowest create revision
//! holds the lock), held until Ctrl+C or while the command runs.

use std::time::Duration;

use crate::api::{
    Compare, CompareResult, CompareTarget, DeleteRangeRequest, LeaseGrantRequest, PutRequest,
    RangeRequest, RangeResponse, Request, RequestOp, Response, ResponseOp, SortOrder, SortTarget,
    TxnRequest,
};
use crate::cluster::Cluster;

use super::super::client::{CallFail, Client};
use super::super::printer::Printer;
use super::super::printer_simple::prefix_range_end;
use super::super::{Fail, Io, Job, Status, EXIT_ERROR};
use super::{bad_args, Ctx};

/// Runs a console program for `lock`/`watch` commands: `echo`, `true`, `false`.
pub fn exec(argv: &[String], io: &mut Io) -> Result<(), String> {
    let Some(prog) = argv.first() else {
        return Ok(());
    };
    let name = prog.rsplit('/').next().unwrap_or(prog);
    match name {
        "echo" => {
            let (newline, rest) = match argv.get(1).map(|s| s.as_str()) {
                Some("-n") => (false, &argv[2..]),
                _ => (true, &argv[1..]),
            };
            io.out(&rest.join(" "));
            if newline {
                io.out("\n");
            }
            Ok(())
        }
        "true" => Ok(()),
        "false" => Err("exit status 1".to_string()),
        _ => Err(format!(
            "exec: {}: executable file not found in $PATH",
            super::super::flags::go_quote(prog)
        )),
    }
}

/// A session: a lease kept alive every TTL/3.
pub struct Session {
    pub client: Client,
    pub lease: i64,
    ttl: i64,
    next_keepalive: Duration,
}

impl Session {
    pub fn new(
        cluster: &mut dyn Cluster,
        io: &mut Io,
        client: &Client,
        ttl: i64,
    ) -> Result<Session, CallFail> {
        let r = client.call(
            cluster,
            io,
            Request::LeaseGrant(LeaseGrantRequest { ttl, id: 0 }),
        )?;
        let (lease, ttl) = match r {
            Response::LeaseGrant(g) => (g.id, g.ttl),
            _ => (0, ttl),
        };
        let next = cluster.now() + Duration::from_secs((ttl.max(3) / 3) as u64);
        Ok(Session {
            client: client.clone(),
            lease,
            ttl,
            next_keepalive: next,
        })
    }
    /// Keeps the lease alive; false once it is gone.
    pub fn tick(&mut self, cluster: &mut dyn Cluster) -> bool {
        if cluster.now() < self.next_keepalive {
            return true;
        }
        self.next_keepalive = cluster.now() + Duration::from_secs((self.ttl.max(3) / 3) as u64);
        matches!(self.client.call_quiet(cluster, Request::LeaseKeepAlive { id: self.lease }), Ok(Response::LeaseKeepAlive(r)) if r.ttl > 0)
    }
}

/// The key of a session in an election/mutex prefix and the create revision it got.
pub struct Candidate {
    pub prefix: String,
    pub key: String,
    pub rev: i64,
}

/// Creates `prefix/<lease hex>` with `value` unless it exists (`Mutex.Lock`/`Election.Campaign`).
pub fn enqueue(
    cluster: &mut dyn Cluster,
    io: &mut Io,
    s: &Session,
    name: &str,
    value: &str,
) -> Result<Candidate, CallFail> {
    let prefix = format!("{}/", name);
    let key = format!("{}{:x}", prefix, s.lease);
    let txn = TxnRequest {
        compare: vec![Compare {
            result: CompareResult::Equal,
            target: CompareTarget::Create(0),
            key: key.as_bytes().to_vec(),
            range_end: Vec::new(),
        }],
        success: vec![RequestOp::Put(PutRequest {
            key: key.as_bytes().to_vec(),
            value: value.as_bytes().to_vec(),
            lease: s.lease,
            ..Default::default()
        })],
        failure: vec![RequestOp::Range(RangeRequest {
            key: key.as_bytes().to_vec(),
            ..Default::default()
        })],
    };
    let r = s.client.call(cluster, io, Request::Txn(txn))?;
    let mut rev = 0;
    if let Response::Txn(t) = r {
        rev = t.header.revision;
        if !t.succeeded {
            if let Some(ResponseOp::Range(g)) = t.responses.first() {
                if let Some(kv) = g.kvs.first() {
                    rev = kv.create_revision;
                }
            }
        }
    }
    Ok(Candidate { prefix, key, rev })
}

/// The key with the lowest create revision under a prefix.
pub fn first_created(
    cluster: &mut dyn Cluster,
    io: &mut Io,
    c: &Client,
    prefix: &str,
) -> Result<RangeResponse, CallFail> {
    let req = RangeRequest {
        key: prefix.as_bytes().to_vec(),
        range_end: prefix_range_end(prefix.as_bytes()),
        limit: 1,
        sort_order: SortOrder::Ascend,
        sort_target: SortTarget::Create,
        ..Default::default()
    };
    match c.call(cluster, io, Request::Range(req))? {
        Response::Range(r) => Ok(r),
        _ => Ok(RangeResponse::default()),
    }
}

/// Whether the candidate holds the lock (it has the lowest create revision).
pub fn is_owner(
    cluster: &mut dyn Cluster,
    io: &mut Io,
    s: &Session,
    cand: &Candidate,
) -> Result<bool, CallFail> {
    let r = first_created(cluster, io, &s.client, &cand.prefix)?;
    Ok(r.kvs
        .first()
        .map(|kv| kv.create_revision == cand.rev)
        .unwrap_or(false))
}

pub fn delete_key(cluster: &mut dyn Cluster, io: &mut Io, c: &Client, key: &str) {
    let _ = c.call(
        cluster,
        io,
        Request::DeleteRange(DeleteRangeRequest {
            key: key.as_bytes().to_vec(),
            ..Default::default()
        }),
    );
}

pub fn get_key(
    cluster: &mut dyn Cluster,
    io: &mut Io,
    c: &Client,
    key: &str,
) -> Result<RangeResponse, CallFail> {
    match c.call(
        cluster,
        io,
        Request::Range(RangeRequest {
            key: key.as_bytes().to_vec(),
            ..Default::default()
        }),
    )? {
        Response::Range(r) => Ok(r),
        _ => Ok(RangeResponse::default()),
    }
}

struct LockJob {
    session: Session,
    cand: Candidate,
    printer: Box<dyn Printer>,
    cmd: Vec<String>,
    held: bool,
}

impl LockJob {
    /// Checks ownership; when acquired runs the command or prints the key.
    fn step(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        if !self.held {
            match is_owner(cluster, io, &self.session, &self.cand) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    io.errln(&format!("Error: {}", e));
                    return Some(EXIT_ERROR);
                }
            }
            self.held = true;
            if !self.cmd.is_empty() {
                let r = exec(&self.cmd, io);
                delete_key(cluster, io, &self.session.client, &self.cand.key);
                return Some(match r {
                    Ok(()) => 0,
                    Err(e) => {
                        io.errln(&format!("Error: {}", e));
                        EXIT_ERROR
                    }
                });
            }
            match get_key(cluster, io, &self.session.client, &self.cand.key) {
                Ok(r) if !r.kvs.is_empty() => {
                    if let Err(f) = self.printer.get(io, &r) {
                        io.errln(&format!("Error: {}", f.msg));
                        return Some(f.code);
                    }
                }
                _ => {
                    io.errln("Error: lock lost on init");
                    return Some(EXIT_ERROR);
                }
            }
        }
        None
    }
}

impl Job for LockJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        if !self.session.tick(cluster) {
            io.errln("Error: session expired");
            return Some(EXIT_ERROR);
        }
        self.step(cluster, io)
    }
    fn interrupt(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> i32 {
        delete_key(cluster, io, &self.session.client, &self.cand.key);
        0
    }
}

pub fn run(ctx: &mut Ctx) -> Result<Status, Fail> {
    let args = ctx.args().to_vec();
    if args.is_empty() {
        return Err(bad_args(
            "lock takes a lock name argument and an optional command to execute",
        ));
    }
    let client = ctx.client()?;
    let printer = ctx.printer()?;
    let ttl = ctx.flags.int("ttl");
    let session = Session::new(ctx.cluster, ctx.io, &client, ttl)
        .map_err(|e| Fail::new(EXIT_ERROR, e.msg))?;
    let cand = enqueue(ctx.cluster, ctx.io, &session, &args[0], "")
        .map_err(|e| Fail::new(EXIT_ERROR, e.msg))?;
    let mut job = LockJob {
        session,
        cand,
        printer,
        cmd: args[1..].to_vec(),
        held: false,
    };
    if let Some(code) = job.step(ctx.cluster, ctx.io) {
        return Ok(Status::Done(code));
    }
    Ok(Status::Running(Box::new(job)))
}
