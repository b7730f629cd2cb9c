//! `etcdctl user add|delete|get|list|passwd|grant-role|revoke-role` (passwords from flags,
//! `name:password`, stdin, or the terminal prompts).

use crate::api::{AuthRequest, AuthResponse, Request, Response, ResponseHeader};

use super::super::flags::Flags;
use super::super::{Fail, Io};
use super::{bad_args, fail, Ctx};

/// `speakeasy.Ask`: the prompt on stdout, a line from the terminal, then a newline.
fn ask(io: &mut Io, prompt: &str) -> Result<String, Fail> {
    io.out(prompt);
    let line = io.read_password();
    io.out("\n");
    line.ok_or_else(|| bad_args("failed to ask password: EOF"))
}

/// `readPasswordInteractive`.
fn read_password_interactive(io: &mut Io, name: &str) -> Result<String, Fail> {
    let p1 = ask(io, &format!("Password of {}: ", name))?;
    if p1.is_empty() {
        return Err(bad_args("empty password"));
    }
    let p2 = ask(
        io,
        &format!("Type password of {} again for confirmation: ", name),
    )?;
    if p1 != p2 {
        return Err(bad_args("given passwords are different"));
    }
    Ok(p1)
}

/// `fmt.Scanf("%s")`: one word from stdin.
fn scan_word(io: &mut Io) -> String {
    io.read_line()
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

pub fn header_of(r: &Response) -> ResponseHeader {
    match r {
        Response::Auth(AuthResponse::Done(h)) => *h,
        Response::Auth(AuthResponse::Authenticate { header, .. })
        | Response::Auth(AuthResponse::UserGet { header, .. })
        | Response::Auth(AuthResponse::UserList { header, .. })
        | Response::Auth(AuthResponse::RoleGet { header, .. })
        | Response::Auth(AuthResponse::RoleList { header, .. }) => *header,
        _ => ResponseHeader::default(),
    }
}

fn call(ctx: &mut Ctx, req: AuthRequest) -> Result<Response, Fail> {
    let client = ctx.client()?;
    client
        .call(ctx.cluster, ctx.io, Request::Auth(req))
        .map_err(fail)
}

/// `userAddCommandFunc` up to the call: the user's name and password (from the flags,
/// `name:password`, or stdin: the two prompts, or one word without `--interactive`).
pub fn add_input(fl: &Flags, io: &mut Io) -> Result<(String, String), Fail> {
    let args = &fl.args;
    if args.len() != 1 {
        return Err(bad_args(
            "user add command requires user name as its argument",
        ));
    }
    let from_flag = fl.str("new-user-password");
    if fl.bool("no-password") {
        return Ok((args[0].clone(), String::new()));
    }
    if !from_flag.is_empty() {
        return Ok((args[0].clone(), from_flag));
    }
    match args[0].split_once(':') {
        Some((u, p)) => {
            if u.is_empty() {
                return Err(bad_args("empty user name is not allowed"));
            }
            Ok((u.to_string(), p.to_string()))
        }
        None => Ok((args[0].clone(), new_password(fl, io)?)),
    }
}

/// A new password from stdin: the two prompts, or one word without `--interactive`.
fn new_password(fl: &Flags, io: &mut Io) -> Result<String, Fail> {
    if fl.bool("interactive") {
        read_password_interactive(io, &fl.args[0])
    } else {
        Ok(scan_word(io))
    }
}

pub fn add(ctx: &mut Ctx) -> Result<(), Fail> {
    let no_password = ctx.flags.bool("no-password");
    let (user, password) = add_input(&ctx.flags, ctx.io)?;
    let r = call(
        ctx,
        AuthRequest::UserAdd {
            name: user.clone(),
            password,
            no_password,
        },
    )?;
    let p = ctx.printer()?;
    p.user_add(ctx.io, &user, &header_of(&r))
}

pub fn delete(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args(
            "user delete command requires user name as its argument",
        ));
    }
    let r = call(
        ctx,
        AuthRequest::UserDelete {
            name: args[0].clone(),
        },
    )?;
    let p = ctx.printer()?;
    p.user_delete(ctx.io, &args[0], &header_of(&r))
}

pub fn get(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args(
            "user get command requires user name as its argument",
        ));
    }
    let name = args[0].clone();
    let client = ctx.client()?;
    let r = client
        .call(
            ctx.cluster,
            ctx.io,
            Request::Auth(AuthRequest::UserGet { name: name.clone() }),
        )
        .map_err(fail)?;
    let roles = match &r {
        Response::Auth(AuthResponse::UserGet { roles, .. }) => roles.clone(),
        _ => Vec::new(),
    };
    let p = ctx.printer()?;
    if ctx.flags.bool("detail") {
        ctx.io.outln(&format!("User: {}", name));
        for role in roles {
            ctx.io.outln("");
            let rr = client
                .call(
                    ctx.cluster,
                    ctx.io,
                    Request::Auth(AuthRequest::RoleGet { role: role.clone() }),
                )
                .map_err(fail)?;
            if let Response::Auth(AuthResponse::RoleGet { header, perm }) = rr {
                p.role_get(ctx.io, &role, &header, &perm)?;
            }
        }
        return Ok(());
    }
    p.user_get(ctx.io, &name, &header_of(&r), &roles)
}

pub fn list(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args("user list command requires no arguments"));
    }
    let r = call(ctx, AuthRequest::UserList)?;
    let users = match &r {
        Response::Auth(AuthResponse::UserList { users, .. }) => users.clone(),
        _ => Vec::new(),
    };
    let p = ctx.printer()?;
    p.user_list(ctx.io, &header_of(&r), &users)
}

/// `userPasswdCommandFunc` up to the call: the new password.
pub fn passwd_input(fl: &Flags, io: &mut Io) -> Result<String, Fail> {
    if fl.args.len() != 1 {
        return Err(bad_args(
            "user passwd command requires user name as its argument",
        ));
    }
    new_password(fl, io)
}

pub fn passwd(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    let password = passwd_input(&ctx.flags, ctx.io)?;
    let r = call(
        ctx,
        AuthRequest::UserChangePassword {
            name: args[0].clone(),
            password,
        },
    )?;
    let p = ctx.printer()?;
    p.user_change_password(ctx.io, &header_of(&r))
}

pub fn grant_role(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 2 {
        return Err(bad_args(
            "user grant command requires user name and role name as its argument",
        ));
    }
    let r = call(
        ctx,
        AuthRequest::UserGrantRole {
            user: args[0].clone(),
            role: args[1].clone(),
        },
    )?;
    let p = ctx.printer()?;
    p.user_grant_role(ctx.io, &args[0], &args[1], &header_of(&r))
}

pub fn revoke_role(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 2 {
        return Err(bad_args(
            "user revoke-role requires user name and role name as its argument",
        ));
    }
    let r = call(
        ctx,
        AuthRequest::UserRevokeRole {
            name: args[0].clone(),
            role: args[1].clone(),
        },
    )?;
    let p = ctx.printer()?;
    p.user_revoke_role(ctx.io, &args[0], &args[1], &header_of(&r))
}

pub use header_of as auth_header;
