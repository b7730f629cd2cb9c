//! `etcdctl get`: a range request built from the key, range end and flags.

use crate::api::{RangeRequest, Request, Response, SortOrder, SortTarget};

use super::super::flags::Flags;
use super::super::printer_simple::with_prefix;
use super::super::{Fail, EXIT_BAD_FEATURE};
use super::{bad_args, fail, Ctx};

/// `getGetOp`: the request the flags describe.
pub fn get_op(f: &Flags) -> Result<RangeRequest, Fail> {
    let args = &f.args;
    if args.is_empty() {
        return Err(bad_args(
            "get command needs one argument as key and an optional argument as range_end",
        ));
    }
    let prefix = f.bool("prefix");
    let from_key = f.bool("from-key");
    if prefix && from_key {
        return Err(bad_args(
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    // `--count-only` exists from etcdctl 3.5 on (3.4's parser refuses it)
    let count_only = req_count_only(f);
    if f.bool("keys-only") && count_only {
        return Err(bad_args(
            "`--keys-only` and `--count-only` cannot be set at the same time, choose one",
        ));
    }
    let mut req = RangeRequest::default();
    req.count_only = count_only;
    match f.str("consistency").as_str() {
        "s" => req.serializable = true,
        "l" => {}
        other => {
            return Err(Fail::new(
                EXIT_BAD_FEATURE,
                format!(
                    "unknown consistency flag {}",
                    super::super::flags::go_quote(other)
                ),
            ))
        }
    }
    req.key = args[0].as_bytes().to_vec();
    if args.len() > 1 {
        if prefix || from_key {
            return Err(bad_args("too many arguments, only accept one argument when `--prefix` or `--from-key` is set"));
        }
        req.range_end = args[1].as_bytes().to_vec();
    }
    req.limit = f.int("limit");
    let rev = f.int("rev");
    if rev > 0 {
        req.revision = rev;
    }
    let order = f.str("order");
    req.sort_order = match order.to_uppercase().as_str() {
        "ASCEND" => SortOrder::Ascend,
        "DESCEND" => SortOrder::Descend,
        "" => SortOrder::None,
        _ => {
            return Err(Fail::new(
                EXIT_BAD_FEATURE,
                format!("bad sort order {}", order),
            ))
        }
    };
    let target = f.str("sort-by");
    req.sort_target = match target.to_uppercase().as_str() {
        "CREATE" => SortTarget::Create,
        "KEY" | "" => SortTarget::Key,
        "MODIFY" => SortTarget::Mod,
        "VALUE" => SortTarget::Value,
        "VERSION" => SortTarget::Version,
        _ => {
            return Err(Fail::new(
                EXIT_BAD_FEATURE,
                format!("bad sort target {}", target),
            ))
        }
    };
    // clientv3's WithSort: sorting by key ascending is the natural order
    if req.sort_target == SortTarget::Key && req.sort_order == SortOrder::Ascend {
        req.sort_order = SortOrder::None;
    }
    if prefix {
        (req.key, req.range_end) = with_prefix(&req.key);
    }
    if from_key {
        if req.key.is_empty() {
            req.key = vec![0];
        }
        req.range_end = vec![0];
    }
    req.keys_only = f.bool("keys-only");
    Ok(req)
}

/// Whether `--count-only` was given (etcdctl 3.5).
fn req_count_only(f: &Flags) -> bool {
    f.bool("count-only")
}

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let req = get_op(&ctx.flags)?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::Range(req))
        .map_err(fail)?;
    if req_count_only(&ctx.flags) && ctx.write_out() != "fields" {
        return Err(bad_args("--count-only is only for `--write-out=fields`"));
    }
    let value_only = ctx.flags.bool("print-value-only");
    if value_only && ctx.write_out() != "simple" {
        return Err(bad_args(
            "print-value-only is only for `--write-out=simple`",
        ));
    }
    let p = ctx.printer_with(value_only)?;
    if let Response::Range(r) = resp {
        p.get(ctx.io, &r)?;
    }
    Ok(())
}
