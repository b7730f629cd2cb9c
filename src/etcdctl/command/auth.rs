//! `etcdctl auth enable|disable` (enable creates the root role when it is missing).

use crate::api::{AuthRequest, Request};

use super::super::Fail;
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
