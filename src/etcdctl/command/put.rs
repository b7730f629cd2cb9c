//! `etcdctl put`: key and value from the arguments (or the value from stdin).

use crate::api::{PutRequest, Request, Response};

use super::super::flags::Flags;
use super::super::{Fail, Io};
use super::{bad_args, fail, Ctx};

/// Go's `strconv.ParseInt(s, 16, 64)` (lease IDs are given in hex).
pub fn parse_hex_i64(s: &str) -> Result<i64, String> {
    let err = |what: &str| {
        format!(
            "strconv.ParseInt: parsing {}: {}",
            super::super::flags::go_quote(s),
            what
        )
    };
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(err("invalid syntax"));
    }
    let v = u128::from_str_radix(body, 16).map_err(|_| err("value out of range"))?;
    if (!neg && v > i64::MAX as u128) || (neg && v > 1u128 << 63) {
        return Err(err("value out of range"));
    }
    Ok(if neg { (-(v as i128)) as i64 } else { v as i64 })
}

/// Go's `strconv.ParseUint(s, 16, 64)`.
pub fn parse_hex_u64(s: &str) -> Result<u64, String> {
    let err = |what: &str| {
        format!(
            "strconv.ParseUint: parsing {}: {}",
            super::super::flags::go_quote(s),
            what
        )
    };
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(err("invalid syntax"));
    }
    u64::from_str_radix(s, 16).map_err(|_| err("value out of range"))
}

/// `getPutOp`: the request the arguments and flags describe.
pub fn put_op(f: &Flags, io: &mut Io) -> Result<PutRequest, Fail> {
    let args = &f.args;
    let need = "put command needs 1 argument and input from stdin or 2 arguments";
    if args.is_empty() {
        return Err(bad_args(need));
    }
    let ignore_value = f.bool("ignore-value");
    if ignore_value && args.len() > 1 {
        return Err(bad_args(
            "put command needs only 1 argument when 'ignore-value' is set",
        ));
    }
    let mut value = String::new();
    if !ignore_value {
        value = match args.get(1) {
            Some(v) => v.clone(),
            None => {
                let s = io.read_all();
                if s.is_empty() {
                    return Err(bad_args(need));
                }
                s
            }
        };
    }
    let lease = parse_hex_i64(&f.str("lease"))
        .map_err(|e| bad_args(&format!("bad lease ID ({}), expecting ID in Hex", e)))?;
    let req = PutRequest {
        key: args[0].as_bytes().to_vec(),
        value: value.into_bytes(),
        lease,
        prev_kv: f.bool("prev-kv"),
        ignore_value,
        ignore_lease: f.bool("ignore-lease"),
    };
    Ok(req)
}

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let req = put_op(&ctx.flags, ctx.io)?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::Put(req))
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::Put(r) = resp {
        p.put(ctx.io, &r)?;
    }
    Ok(())
}
