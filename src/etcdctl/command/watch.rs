//! `etcdctl watch [key [range_end]] [--rev N] [--prefix] [--prev-kv] [-- CMD ARGS...]`: a
//! long-running job printing events until the server cancels it (exit 5) or Ctrl+C.

use crate::api::{CallError, WatchCreateRequest, WatchResponse};
use crate::cluster::Cluster;

use super::super::printer::Printer;
use super::super::printer_simple::with_prefix;
use super::super::{Fail, Io, Job, Status, EXIT_ERROR, EXIT_INTERRUPTED};
use super::lock::exec;
use super::{bad_args, Ctx};

pub(super) struct WatchJob {
    pub(super) printer: Box<dyn Printer>,
    pub(super) watch: Option<u64>,
    pub(super) exec: Vec<String>,
}

pub(super) fn canceled(
    cluster: &mut dyn Cluster,
    io: &mut Io,
    id: Option<u64>,
    reason: &str,
) -> i32 {
    if let Some(id) = id {
        cluster.watch_cancel(id);
    }
    io.errln(&format!("watch was canceled ({})", reason));
    io.errln("Error: watch is canceled by the server");
    EXIT_INTERRUPTED
}

impl WatchJob {
    fn handle(&mut self, cluster: &mut dyn Cluster, io: &mut Io, r: &WatchResponse) -> Option<i32> {
        if r.created && r.events.is_empty() && !r.canceled {
            return None;
        }
        if r.canceled {
            let reason = if r.compact_revision != 0 {
                "etcdserver: mvcc: required revision has been compacted".to_string()
            } else {
                r.cancel_reason.clone()
            };
            io.errln(&format!("watch was canceled ({})", reason));
            if let Some(id) = self.watch.take() {
                cluster.watch_cancel(id);
            }
            // a compacted watch's cancel response carries no revision
            let mut shown = r.clone();
            if r.compact_revision != 0 {
                shown.header.revision = 0;
            }
            if let Err(f) = self.printer.watch(io, &shown) {
                io.errln(&format!("Error: {}", f.msg));
                return Some(f.code);
            }
            io.errln("Error: watch is canceled by the server");
            return Some(EXIT_INTERRUPTED);
        }
        if let Err(f) = self.printer.watch(io, r) {
            if let Some(id) = self.watch.take() {
                cluster.watch_cancel(id);
            }
            io.errln(&format!("Error: {}", f.msg));
            return Some(f.code);
        }
        if !self.exec.is_empty() {
            for _ in &r.events {
                if let Err(e) = exec(&self.exec, io) {
                    io.errln(&format!("command {} error ({})", go_list(&self.exec), e));
                    if let Some(id) = self.watch.take() {
                        cluster.watch_cancel(id);
                    }
                    return Some(EXIT_ERROR);
                }
            }
        }
        None
    }
}

/// Go's `%q` of a `[]string`.
fn go_list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| super::super::flags::go_quote(s))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

impl Job for WatchJob {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        let id = self.watch?;
        for r in cluster.watch_poll(id) {
            if let Some(code) = self.handle(cluster, io, &r) {
                return Some(code);
            }
        }
        None
    }
    fn interrupt(&mut self, cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        if let Some(id) = self.watch.take() {
            cluster.watch_cancel(id);
        }
        0
    }
}

pub fn run(ctx: &mut Ctx) -> Result<Status, Fail> {
    let args = ctx.args().to_vec();
    let (mut watch_args, exec_args) = match ctx.flags.args_len_at_dash {
        Some(n) => (
            args[..n.min(args.len())].to_vec(),
            args[n.min(args.len())..].to_vec(),
        ),
        None => (args.clone(), Vec::new()),
    };
    if ctx.flags.args_len_at_dash.is_some() && exec_args.is_empty() {
        return Err(bad_args(
            "bad number of arguments (found separator --, but no commands)",
        ));
    }
    if ctx.flags.bool("interactive") {
        let client = ctx.client()?;
        let endpoint = client.pick(ctx.cluster);
        let mut job = super::watch_interactive::InteractiveWatch {
            endpoint,
            token: client.token,
            output: ctx.write_out(),
            hex: ctx.flags.bool("hex"),
            prefix: ctx.flags.bool("prefix"),
            rev: ctx.flags.int("rev"),
            prev_kv: ctx.flags.bool("prev-kv"),
            version: ctx.console.version,
            piped: ctx.io.piped_input(),
            watches: Vec::new(),
        };
        if job.piped {
            // every line is read, then the end of input ends the job
            loop {
                let line = ctx.io.read_line_terminated();
                if let Some(code) = job.input(ctx.cluster, ctx.io, line.as_deref()) {
                    return Ok(Status::Done(code));
                }
            }
        }
        return Ok(Status::Running(Box::new(job)));
    }
    if watch_args.is_empty() {
        return Err(bad_args("bad number of arguments"));
    }
    if watch_args.len() > 2 {
        watch_args.truncate(2);
    }
    let prefix = ctx.flags.bool("prefix");
    let mut req = WatchCreateRequest {
        key: watch_args[0].as_bytes().to_vec(),
        start_revision: ctx.flags.int("rev"),
        prev_kv: ctx.flags.bool("prev-kv"),
        ..Default::default()
    };
    if let Some(end) = watch_args.get(1) {
        if prefix {
            return Err(bad_args(
                "`range_end` and `--prefix` are mutually exclusive",
            ));
        }
        req.range_end = end.as_bytes().to_vec();
    }
    if prefix {
        (req.key, req.range_end) = with_prefix(&req.key);
    }
    let client = ctx.client()?;
    let printer = ctx.printer()?;
    let ep = client.pick(ctx.cluster);
    let id = match ctx.cluster.watch(&ep, client.token.as_deref(), req) {
        Ok(id) => id,
        Err(CallError::Server(e)) => {
            let reason = format!("rpc error: code = {} desc = {}", e.code, e.message);
            return Ok(Status::Done(canceled(ctx.cluster, ctx.io, None, &reason)));
        }
        Err(_) => {
            // no member answers: the watch waits for a connection forever
            return Ok(Status::Running(Box::new(WatchJob {
                printer,
                watch: None,
                exec: exec_args,
            })));
        }
    };
    let mut job = WatchJob {
        printer,
        watch: Some(id),
        exec: exec_args,
    };
    if let Some(code) = job.poll(ctx.cluster, ctx.io) {
        return Ok(Status::Done(code));
    }
    Ok(Status::Running(Box::new(job)))
}
