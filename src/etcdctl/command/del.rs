//! `etcdctl del`: a delete-range request built from the key, range end and flags.

use crate::api::{DeleteRangeRequest, Request, Response};

use super::super::flags::Flags;
use super::super::printer_simple::with_prefix;
use super::super::Fail;
use super::{bad_args, fail, Ctx};

/// `getDelOp`: the request the arguments and flags describe.
pub fn del_op(f: &Flags) -> Result<DeleteRangeRequest, Fail> {
    let args = &f.args;
    if args.is_empty() || args.len() > 2 {
        return Err(bad_args(
            "del command needs one argument as key and an optional argument as range_end",
        ));
    }
    let prefix = f.bool("prefix");
    let from_key = f.bool("from-key");
    if prefix && from_key {
        return Err(bad_args(
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    let mut req = DeleteRangeRequest {
        key: args[0].as_bytes().to_vec(),
        ..Default::default()
    };
    if let Some(end) = args.get(1) {
        if prefix || from_key {
            return Err(bad_args("too many arguments, only accept one argument when `--prefix` or `--from-key` is set"));
        }
        req.range_end = end.as_bytes().to_vec();
    }
    if prefix {
        (req.key, req.range_end) = with_prefix(&req.key);
    }
    req.prev_kv = f.bool("prev-kv");
    if from_key {
        if req.key.is_empty() {
            req.key = vec![0];
        }
        req.range_end = vec![0];
    }
    Ok(req)
}

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let req = del_op(&ctx.flags)?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::DeleteRange(req))
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::DeleteRange(r) = resp {
        p.del(ctx.io, &r)?;
    }
    Ok(())
}
