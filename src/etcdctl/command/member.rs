//! `etcdctl member list|add|remove|update|promote`.

use crate::api::{Request, Response};

use super::super::Fail;
use super::put::parse_hex_u64;
use super::{bad_args, fail, Ctx};

pub fn list(ctx: &mut Ctx) -> Result<(), Fail> {
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::MemberList)
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::MemberList(r) = resp {
        p.member_list(ctx.io, &r)?;
    }
    Ok(())
}

pub fn add(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.is_empty() {
        return Err(bad_args("member name not provided"));
    }
    if args.len() > 1 {
        let mut ev = String::from("too many arguments");
        for s in &args[1..] {
            if s.to_lowercase().starts_with("http") {
                ev.push_str(&format!(", did you mean --peer-urls={}", s));
            }
        }
        return Err(bad_args(&ev));
    }
    let name = args[0].clone();
    let urls_flag = ctx.flags.str("peer-urls");
    if urls_flag.is_empty() {
        return Err(bad_args("member peer urls not provided"));
    }
    let urls: Vec<String> = urls_flag.split(',').map(|s| s.to_string()).collect();
    check_urls(&urls)?;
    let client = ctx.client()?;
    let resp = client
        .call(
            ctx.cluster,
            ctx.io,
            Request::MemberAdd {
                peer_urls: urls.clone(),
                is_learner: ctx.flags.bool("learner"),
            },
        )
        .map_err(fail)?;
    let Response::MemberAdd(mut r) = resp else {
        return Ok(());
    };
    r.header.revision = 0;
    let p = ctx.printer()?;
    p.member_add(ctx.io, &r)?;
    if ctx.write_out() == "simple" {
        let list = client
            .call(ctx.cluster, ctx.io, Request::MemberList)
            .map_err(fail)?;
        let members = match list {
            Response::MemberList(l) => l.members,
            _ => r.members.clone(),
        };
        let mut conf = Vec::new();
        for m in &members {
            for u in &m.peer_urls {
                let n = if m.id == r.member.id {
                    name.clone()
                } else {
                    m.name.clone()
                };
                conf.push(format!("{}={}", n, u));
            }
        }
        ctx.io.out("\n");
        ctx.io.outln(&format!(
            "ETCD_NAME={}",
            super::super::flags::go_quote(&name)
        ));
        ctx.io.outln(&format!(
            "ETCD_INITIAL_CLUSTER={}",
            super::super::flags::go_quote(&conf.join(","))
        ));
        ctx.io.outln(&format!(
            "ETCD_INITIAL_ADVERTISE_PEER_URLS={}",
            super::super::flags::go_quote(&urls.join(","))
        ));
        ctx.io.outln("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
    }
    Ok(())
}

/// etcd's `types.NewURLs` checks, done by etcdctl before it sends the URLs.
fn check_urls(urls: &[String]) -> Result<(), Fail> {
    for u in urls {
        let bad = |m: String| Err(Fail::new(super::super::EXIT_ERROR, m));
        let Some((scheme, rest)) = u.split_once("://") else {
            return bad(format!(
                "URL scheme must be http, https, unix, or unixs: {}",
                u
            ));
        };
        if !matches!(scheme, "http" | "https" | "unix" | "unixs") {
            return bad(format!(
                "URL scheme must be http, https, unix, or unixs: {}",
                u
            ));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let port_ok = host
            .rsplit_once(':')
            .map(|(h, _)| !h.is_empty() || host.starts_with(':'))
            .unwrap_or(false);
        if !port_ok {
            return bad(format!(
                "URL address does not have the form \"host:port\": {}",
                u
            ));
        }
        if !path.is_empty() {
            return bad(format!("URL must not contain a path: {}", u));
        }
    }
    Ok(())
}

fn member_id(ctx: &Ctx) -> Result<u64, Fail> {
    let args = ctx.args();
    if args.len() != 1 {
        return Err(bad_args("member ID is not provided"));
    }
    parse_hex_u64(&args[0])
        .map_err(|e| bad_args(&format!("bad member ID arg ({}), expecting ID in Hex", e)))
}

pub fn remove(ctx: &mut Ctx) -> Result<(), Fail> {
    let id = member_id(ctx)?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::MemberRemove { id })
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::MemberChange(mut r) = resp {
        // etcd's cluster API answers carry no revision
        r.header.revision = 0;
        p.member_remove(ctx.io, id, &r)?;
    }
    Ok(())
}

pub fn update(ctx: &mut Ctx) -> Result<(), Fail> {
    let id = member_id(ctx)?;
    let urls_flag = ctx.flags.str("peer-urls");
    if urls_flag.is_empty() {
        return Err(bad_args("member peer urls not provided"));
    }
    let urls: Vec<String> = urls_flag.split(',').map(|s| s.to_string()).collect();
    check_urls(&urls)?;
    let client = ctx.client()?;
    let resp = client
        .call(
            ctx.cluster,
            ctx.io,
            Request::MemberUpdate {
                id,
                peer_urls: urls,
            },
        )
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::MemberChange(mut r) = resp {
        // etcd's cluster API answers carry no revision
        r.header.revision = 0;
        p.member_update(ctx.io, id, &r)?;
    }
    Ok(())
}

pub fn promote(ctx: &mut Ctx) -> Result<(), Fail> {
    let id = member_id(ctx)?;
    let client = ctx.client()?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::MemberPromote { id })
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::MemberChange(mut r) = resp {
        // etcd's cluster API answers carry no revision
        r.header.revision = 0;
        p.member_promote(ctx.io, id, &r)?;
    }
    Ok(())
}
