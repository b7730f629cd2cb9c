//! The key commands of etcdctl's API 2: set, get, mk, mkdir, setdir, update, updatedir, rm,
//! rmdir and ls (`ctlv2/command/*_command.go`). Each turns its arguments into one v2 keys
//! request and prints the answer with [`super::printer`].

use super::cli::Parsed;
use super::client::{ClientError, Ctx, Exit, EXIT_SERVER_ERROR};
use super::printer::print_response_key;
use crate::api::v2::{Event, KeysRequest, Method, V2Op, V2Response};

/// TTL flag to an absolute expiration (as the serving member computes it).
fn expiration(ctx: &Ctx, ttl: i64) -> i64 {
    if ttl > 0 {
        ctx.cluster
            .unix_nanos()
            .saturating_add(ttl.saturating_mul(1_000_000_000))
    } else {
        0
    }
}

/// The key as the client sends it (`v2KeysURL`: a leading slash, cleaned).
fn key_path(key: &str) -> String {
    crate::api::v2::path::clean(key)
}

/// Sends a keys request; a v2 error is printed as etcdctl prints it and ends the command.
pub fn do_keys(ctx: &mut Ctx, k: KeysRequest) -> Result<Event, Exit> {
    match ctx.send(V2Op::Keys(k)) {
        Ok(V2Response::Event(e)) => Ok(e),
        Ok(V2Response::Error(e)) => Err(ctx.fail(EXIT_SERVER_ERROR, &e.to_string())),
        Ok(other) => Err(ctx.fail(EXIT_SERVER_ERROR, &format!("unexpected answer {:?}", other))),
        Err(e) => Err(ctx.handle_error(EXIT_SERVER_ERROR, &e)),
    }
}

fn print(ctx: &mut Ctx, e: &Event) {
    let f = ctx.output_format();
    let (o, err) = print_response_key(e, &f);
    ctx.out.push_str(&o);
    ctx.err.push_str(&err);
}

fn key_arg(ctx: &mut Ctx, p: &Parsed) -> Result<String, Exit> {
    match p.args.first() {
        Some(k) => Ok(k.clone()),
        None => {
            let code = ctx.bad_args();
            Err(ctx.fail(code, "key required"))
        }
    }
}

/// `argOrStdin`: the value argument, or everything typed on stdin.
fn value_arg(ctx: &mut Ctx, p: &Parsed) -> Result<String, Exit> {
    if let Some(v) = p.args.get(1) {
        return Ok(v.clone());
    }
    let all = ctx.read_all();
    if all.is_empty() {
        let code = ctx.bad_args();
        return Err(ctx.fail(code, "value required"));
    }
    Ok(all)
}

pub fn set(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let value = value_arg(ctx, p)?;
    let prev_value = p.string("swap-with-value").unwrap_or("").to_string();
    let prev_index = p.int("swap-with-index").max(0) as u64;
    let k = KeysRequest {
        method: Method::Put,
        path: key_path(&key),
        val: value,
        prev_value,
        prev_index,
        expiration: expiration(ctx, p.int("ttl")),
        ..Default::default()
    };
    let e = do_keys(ctx, k)?;
    print(ctx, &e);
    Ok(())
}

pub fn mk(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let value = value_arg(ctx, p)?;
    let k = if p.bool("in-order") {
        KeysRequest {
            method: Method::Post,
            path: key_path(&key),
            val: value,
            expiration: expiration(ctx, p.int("ttl")),
            ..Default::default()
        }
    } else {
        KeysRequest {
            method: Method::Put,
            path: key_path(&key),
            val: value,
            prev_exist: Some(false),
            expiration: expiration(ctx, p.int("ttl")),
            ..Default::default()
        }
    };
    let e = do_keys(ctx, k)?;
    print(ctx, &e);
    Ok(())
}

pub fn update(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let value = value_arg(ctx, p)?;
    let k = KeysRequest {
        method: Method::Put,
        path: key_path(&key),
        val: value,
        prev_exist: Some(true),
        expiration: expiration(ctx, p.int("ttl")),
        ..Default::default()
    };
    let e = do_keys(ctx, k)?;
    print(ctx, &e);
    Ok(())
}

/// mkdir (`prev_exist` false), setdir (none) and updatedir (true).
pub fn dir(ctx: &mut Ctx, p: &Parsed, prev_exist: Option<bool>) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let k = KeysRequest {
        method: Method::Put,
        path: key_path(&key),
        dir: true,
        prev_exist,
        expiration: expiration(ctx, p.int("ttl")),
        ..Default::default()
    };
    let e = do_keys(ctx, k)?;
    if ctx.output_format() != "simple" {
        print(ctx, &e);
    }
    Ok(())
}

pub fn get(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let k = KeysRequest {
        method: Method::Get,
        path: key_path(&key),
        sorted: p.bool("sort"),
        quorum: p.bool("quorum"),
        ..Default::default()
    };
    let e = do_keys(ctx, k)?;
    if e.node.dir {
        ctx.err
            .push_str(&format!("{}: is a directory\n", e.node.key));
        return Err(1);
    }
    print(ctx, &e);
    Ok(())
}

/// rm (`dir` and `recursive` from flags) and rmdir (`dir` only).
pub fn rm(ctx: &mut Ctx, p: &Parsed, rmdir: bool) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = key_arg(ctx, p)?;
    let k = if rmdir {
        KeysRequest {
            method: Method::Delete,
            path: key_path(&key),
            dir: true,
            ..Default::default()
        }
    } else {
        KeysRequest {
            method: Method::Delete,
            path: key_path(&key),
            dir: p.bool("dir"),
            recursive: p.bool("recursive"),
            prev_value: p.string("with-value").unwrap_or("").to_string(),
            prev_index: p.int("with-index").max(0) as u64,
            ..Default::default()
        }
    };
    let e = do_keys(ctx, k)?;
    if !e.node.dir || ctx.output_format() != "simple" {
        print(ctx, &e);
    }
    Ok(())
}

pub fn ls(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    ctx.connect(true)?;
    let key = p.args.first().cloned().unwrap_or_else(|| "/".to_string());
    let k = KeysRequest {
        method: Method::Get,
        path: key_path(&key),
        sorted: p.bool("sort"),
        recursive: p.bool("recursive"),
        quorum: p.bool("quorum"),
        ..Default::default()
    };
    let e = do_keys(ctx, k)?;
    if ctx.output_format() == "simple" {
        if !e.node.dir {
            ctx.out.push_str(&format!("{}\n", e.node.key));
        }
        let slash = p.bool("p");
        for n in e.node.nodes.iter().flatten() {
            r_print(ctx, n, slash);
        }
    } else {
        print(ctx, &e);
    }
    Ok(())
}

fn r_print(ctx: &mut Ctx, n: &crate::api::v2::NodeExtern, slash: bool) {
    if n.dir && slash {
        ctx.out.push_str(&format!("{}/\n", n.key));
    } else {
        ctx.out.push_str(&format!("{}\n", n.key));
    }
    for c in n.nodes.iter().flatten() {
        r_print(ctx, c, slash);
    }
}

/// The errors a command prints when the cluster cannot be reached at all.
pub fn unreachable(ctx: &mut Ctx, e: &ClientError) -> Exit {
    ctx.handle_error(EXIT_SERVER_ERROR, e)
}
