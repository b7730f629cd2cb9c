//! `etcdctl elect NAME PROPOSAL` (campaign, hold leadership until Ctrl+C, then resign) and
//! `etcdctl elect NAME --listen` (print each new leader).

use crate::api::RangeResponse;
use crate::cluster::Cluster;

use super::super::printer::Printer;
use super::super::{Fail, Io, Job, Status, EXIT_ERROR};
use super::lock::{delete_key, enqueue, first_created, get_key, is_owner, Candidate, Session};
use super::{bad_args, Ctx};

/// The session TTL etcd's concurrency package uses by default.
const DEFAULT_SESSION_TTL: i64 = 60;

struct CampaignJob {
    session: Session,
    cand: Candidate,
    printer: Box<dyn Printer>,
    elected: bool,
}

impl CampaignJob {
    fn step(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        if self.elected {
            return None;
        }
        match is_owner(cluster, io, &self.session, &self.cand) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                io.errln(&format!("Error: {}", e));
                return Some(EXIT_ERROR);
            }
        }
        self.elected = true;
        match get_key(cluster, io, &self.session.client, &self.cand.key) {
            Ok(r) => {
                if let Err(f) = self.printer.get(io, &r) {
                    io.errln(&format!("Error: {}", f.msg));
                    return Some(f.code);
                }
                None
            }
            Err(e) => {
                io.errln(&format!("Error: {}", e));
                Some(EXIT_ERROR)
            }
        }
    }
}

impl Job for CampaignJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        if !self.session.tick(cluster) {
            io.errln("Error: elect: session expired");
            return Some(EXIT_ERROR);
        }
        self.step(cluster, io)
    }
    fn interrupt(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> i32 {
        delete_key(cluster, io, &self.session.client, &self.cand.key);
        0
    }
}

struct ObserveJob {
    session: Session,
    prefix: String,
    printer: Box<dyn Printer>,
    last: Option<(Vec<u8>, i64)>,
}

impl ObserveJob {
    fn step(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        let r: RangeResponse = match first_created(cluster, io, &self.session.client, &self.prefix)
        {
            Ok(r) => r,
            Err(e) => {
                io.errln(&format!("Error: {}", e));
                return Some(EXIT_ERROR);
            }
        };
        let Some(kv) = r.kvs.first() else {
            self.last = None;
            return None;
        };
        let cur = (kv.key.clone(), kv.mod_revision);
        if self.last.as_ref() != Some(&cur) {
            self.last = Some(cur);
            // Observe hands out a response with only the header and the leader's kv
            let mut one = r.clone();
            one.kvs.truncate(1);
            one.count = 0;
            one.more = false;
            if let Err(f) = self.printer.get(io, &one) {
                io.errln(&format!("Error: {}", f.msg));
                return Some(f.code);
            }
        }
        None
    }
}

impl Job for ObserveJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        let _ = self.session.tick(cluster);
        self.step(cluster, io)
    }
    fn interrupt(&mut self, _cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        0
    }
}

pub fn run(ctx: &mut Ctx) -> Result<Status, Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 && args.len() != 2 {
        return Err(bad_args(
            "elect takes one election name argument and an optional proposal argument",
        ));
    }
    let listen = ctx.flags.bool("listen");
    if args.len() == 1 && !listen {
        return Err(bad_args("no proposal argument but -l not set"));
    }
    if args.len() == 2 && listen {
        return Err(bad_args("proposal given but -l is set"));
    }
    let client = ctx.client()?;
    let printer = ctx.printer()?;
    let session = Session::new(ctx.cluster, ctx.io, &client, DEFAULT_SESSION_TTL)
        .map_err(|e| Fail::new(EXIT_ERROR, e.msg))?;
    if listen {
        let mut job = ObserveJob {
            session,
            prefix: format!("{}/", args[0]),
            printer,
            last: None,
        };
        if let Some(code) = job.step(ctx.cluster, ctx.io) {
            return Ok(Status::Done(code));
        }
        return Ok(Status::Running(Box::new(job)));
    }
    let cand = enqueue(ctx.cluster, ctx.io, &session, &args[0], &args[1])
        .map_err(|e| Fail::new(EXIT_ERROR, e.msg))?;
    let mut job = CampaignJob {
        session,
        cand,
        printer,
        elected: false,
    };
    if let Some(code) = job.step(ctx.cluster, ctx.io) {
        return Ok(Status::Done(code));
    }
    Ok(Status::Running(Box::new(job)))
}
