//! `etcdctl auth enable|disable` (enable creates the root role when it is missing), and
//! etcd 3.5's `auth status`.

use crate::api::{AuthRequest, AuthResponse, Request, Response};

use super::super::printer_json::{header, Obj};
use super::super::{Fail, EXIT_BAD_FEATURE};
use super::{bad_args, fail, Ctx};

pub fn enable(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args(
            "auth enable command does not accept any arguments",
        ));
    }
    let client = ctx.client()?;
    let mut tries = 0;
    loop {
        tries += 1;
        match client.call(ctx.cluster, ctx.io, Request::Auth(AuthRequest::Enable)) {
            Ok(_) => break,
            Err(e) if e.msg == "etcdserver: root user does not have root role" && tries < 3 => {
                client
                    .call(
                        ctx.cluster,
                        ctx.io,
                        Request::Auth(AuthRequest::RoleAdd {
                            name: "root".into(),
                        }),
                    )
                    .map_err(fail)?;
                client
                    .call(
                        ctx.cluster,
                        ctx.io,
                        Request::Auth(AuthRequest::UserGrantRole {
                            user: "root".into(),
                            role: "root".into(),
                        }),
                    )
                    .map_err(fail)?;
            }
            Err(e) => return Err(fail(e)),
        }
    }
    ctx.io.outln("Authentication Enabled");
    Ok(())
}

pub fn disable(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args(
            "auth disable command does not accept any arguments",
        ));
    }
    let client = ctx.client()?;
    client
        .call(ctx.cluster, ctx.io, Request::Auth(AuthRequest::Disable))
        .map_err(fail)?;
    ctx.io.outln("Authentication Disabled");
    Ok(())
}

pub fn status(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args(
            "auth status command does not accept any arguments",
        ));
    }
    let client = ctx.client()?;
    let r = client
        .call(ctx.cluster, ctx.io, Request::Auth(AuthRequest::Status))
        .map_err(fail)?;
    let Response::Auth(AuthResponse::Status {
        header: h,
        enabled,
        auth_revision,
    }) = r
    else {
        return Ok(());
    };
    match ctx.write_out().as_str() {
        "simple" => {
            ctx.io.outln(&format!("Authentication Status: {enabled}"));
            ctx.io.outln(&format!("AuthRevision: {auth_revision}"));
        }
        "json" => {
            let o = Obj::new()
                .obj("header", header(&h))
                .boolean("enabled", enabled)
                .num("authRevision", auth_revision);
            ctx.io.outln(&o.render());
        }
        "protobuf" => {
            let b = super::super::printer_protobuf::auth_status(&h, enabled, auth_revision);
            super::super::printer_protobuf::write_bytes(ctx.io, &b);
        }
        other => {
            return Err(Fail::new(
                EXIT_BAD_FEATURE,
                format!("{other} not supported as output format"),
            ))
        }
    }
    Ok(())
}
