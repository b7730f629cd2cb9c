//! `etcdctl role add|delete|get|list|grant-permission|revoke-permission`.

use crate::api::{AuthRequest, AuthResponse, Permission, PermissionType, Request, Response};

use super::super::printer_simple::prefix_range_end;
use super::super::Fail;
use super::user::auth_header;
use super::{bad_args, fail, Ctx};

fn call(ctx: &mut Ctx, req: AuthRequest) -> Result<Response, Fail> {
    let client = ctx.client()?;
    client
        .call(ctx.cluster, ctx.io, Request::Auth(req))
        .map_err(fail)
}

fn one_arg(ctx: &Ctx, what: &str) -> Result<String, Fail> {
    let args = ctx.args();
    if args.len() != 1 {
        return Err(bad_args(&format!(
            "role {} command requires role name as its argument",
            what
        )));
    }
    Ok(args[0].clone())
}

pub fn add(ctx: &mut Ctx) -> Result<(), Fail> {
    let role = one_arg(ctx, "add")?;
    let r = call(ctx, AuthRequest::RoleAdd { name: role.clone() })?;
    let p = ctx.printer()?;
    p.role_add(ctx.io, &role, &auth_header(&r))
}

pub fn delete(ctx: &mut Ctx) -> Result<(), Fail> {
    let role = one_arg(ctx, "delete")?;
    let r = call(ctx, AuthRequest::RoleDelete { role: role.clone() })?;
    let p = ctx.printer()?;
    p.role_delete(ctx.io, &role, &auth_header(&r))
}

pub fn get(ctx: &mut Ctx) -> Result<(), Fail> {
    let role = one_arg(ctx, "get")?;
    let r = call(ctx, AuthRequest::RoleGet { role: role.clone() })?;
    let perm = match &r {
        Response::Auth(AuthResponse::RoleGet { perm, .. }) => perm.clone(),
        _ => Vec::new(),
    };
    let p = ctx.printer()?;
    p.role_get(ctx.io, &role, &auth_header(&r), &perm)
}

pub fn list(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args("role list command requires no arguments"));
    }
    let r = call(ctx, AuthRequest::RoleList)?;
    let roles = match &r {
        Response::Auth(AuthResponse::RoleList { roles, .. }) => roles.clone(),
        _ => Vec::new(),
    };
    let p = ctx.printer()?;
    p.role_list(ctx.io, &auth_header(&r), &roles)
}

/// `permRange`: the key and range end the arguments and `--prefix`/`--from-key` describe.
fn perm_range(ctx: &Ctx, args: &[String]) -> Result<(Vec<u8>, Vec<u8>), Fail> {
    let prefix = ctx.flags.bool("prefix");
    let from_key = ctx.flags.bool("from-key");
    let key = args[0].as_bytes().to_vec();
    if key.is_empty() {
        if prefix && from_key {
            return Err(bad_args(
                "--from-key and --prefix flags are mutually exclusive",
            ));
        }
        let end = if prefix || from_key {
            vec![0]
        } else {
            Vec::new()
        };
        return Ok((vec![0], end));
    }
    if args.len() == 2 {
        if prefix {
            return Err(bad_args("unexpected endkey argument with --prefix flag"));
        }
        if from_key {
            return Err(bad_args("unexpected endkey argument with --from-key flag"));
        }
        return Ok((key, args[1].as_bytes().to_vec()));
    }
    if prefix && from_key {
        return Err(bad_args(
            "--from-key and --prefix flags are mutually exclusive",
        ));
    }
    if prefix {
        let end = prefix_range_end(&key);
        return Ok((key, end));
    }
    if from_key {
        return Ok((key, vec![0]));
    }
    Ok((key, Vec::new()))
}

pub fn grant_permission(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() < 3 {
        return Err(bad_args("role grant command requires role name, permission type, and key [endkey] as its argument"));
    }
    let perm_type = match args[1].to_uppercase().as_str() {
        "READ" => PermissionType::Read,
        "WRITE" => PermissionType::Write,
        "READWRITE" => PermissionType::ReadWrite,
        _ => return Err(bad_args(&format!("invalid permission type: {}", args[1]))),
    };
    let (key, range_end) = perm_range(ctx, &args[2..])?;
    let r = call(
        ctx,
        AuthRequest::RoleGrantPermission {
            name: args[0].clone(),
            perm: Permission {
                perm_type,
                key,
                range_end,
            },
        },
    )?;
    let p = ctx.printer()?;
    p.role_grant_permission(ctx.io, &args[0], &auth_header(&r))
}

pub fn revoke_permission(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() < 2 {
        return Err(bad_args(
            "role revoke-permission command requires role name and key [endkey] as its argument",
        ));
    }
    let (key, range_end) = perm_range(ctx, &args[1..])?;
    let r = call(
        ctx,
        AuthRequest::RoleRevokePermission {
            role: args[0].clone(),
            key,
            range_end: range_end.clone(),
        },
    )?;
    let p = ctx.printer()?;
    let end = String::from_utf8_lossy(&range_end).into_owned();
    p.role_revoke_permission(ctx.io, &args[0], &args[1], &end, &auth_header(&r))
}
