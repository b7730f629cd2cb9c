//! `user`, `role` and `auth` under API 2 (`ctlv2/command/{user,role,auth}_commands.go`): the
//! v2 auth API with the v2 client's quirks (how it decodes a user's roles, which calls print
//! the server's message and which only the HTTP status).

use super::cli::Parsed;
use super::client::{ClientError, Ctx, Exit};
use crate::api::v2::{AuthOp, RoleInfo, V2Op, V2Response};

/// Sends an auth request; on failure prints what the client API prints and ends with 1.
fn call(ctx: &mut Ctx, op: AuthOp, status_only: bool) -> Result<V2Response, Exit> {
    match ctx.send(V2Op::Auth(op)) {
        Ok(V2Response::AuthError { status, message }) => {
            if status_only {
                ctx.err
                    .push_str(&format!("unexpected status code {}\n", status));
            } else {
                ctx.err.push_str(&format!("{}\n", message));
            }
            Err(1)
        }
        Ok(r) => Ok(r),
        Err(e) => {
            let msg = match &e {
                ClientError::Plain(m) => m.clone(),
                other => other.message(),
            };
            ctx.err.push_str(&format!("{}\n", msg));
            Err(1)
        }
    }
}

fn no_args(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    if !p.args.is_empty() {
        ctx.err.push_str("No arguments accepted\n");
        return Err(1);
    }
    Ok(())
}

fn one_name(ctx: &mut Ctx, p: &Parsed, what: &str) -> Result<String, Exit> {
    if p.args.len() != 1 {
        ctx.err.push_str(&format!("Please provide a {}\n", what));
        return Err(1);
    }
    Ok(p.args.first().cloned().unwrap_or_default())
}

pub fn user(ctx: &mut Ctx, sub: &str, p: &Parsed) -> Result<(), Exit> {
    match sub {
        "list" => {
            no_args(ctx, p)?;
            ctx.connect(true)?;
            if let V2Response::Users(users) = call(ctx, AuthOp::UserList, false)? {
                for u in users {
                    ctx.out.push_str(&format!("{}\n", u));
                }
            }
        }
        "add" => {
            let arg = one_name(ctx, p, "username")?;
            ctx.connect(true)?;
            let (name, pass) = match arg.split_once(':') {
                Some((n, pw)) => (n.to_string(), pw.to_string()),
                None => {
                    let pw = ctx.ask("New password: ");
                    (arg.clone(), pw)
                }
            };
            match call(
                ctx,
                AuthOp::UserPut {
                    name: name.clone(),
                    password: pass,
                },
                false,
            )? {
                V2Response::Created | V2Response::Done => {
                    ctx.out.push_str(&format!("User {} created\n", name))
                }
                _ => {}
            }
        }
        "remove" => {
            let name = one_name(ctx, p, "username")?;
            ctx.connect(true)?;
            call(ctx, AuthOp::UserRemove { name: name.clone() }, false)?;
            ctx.out.push_str(&format!("User {} removed\n", name));
        }
        "passwd" => {
            let name = one_name(ctx, p, "username")?;
            ctx.connect(true)?;
            let pw = ctx.ask("New password: ");
            match call(ctx, AuthOp::UserPut { name, password: pw }, false)? {
                V2Response::Created => {
                    // the client expects 200 OK only, and decodes the body as an error
                    ctx.err.push('\n');
                    return Err(1);
                }
                _ => ctx.out.push_str("Password updated\n"),
            }
        }
        "grant" | "revoke" => {
            let roles = p.slice("roles");
            if roles.is_empty() {
                ctx.err
                    .push_str("No roles specified; please use `--roles`\n");
                return Err(1);
            }
            let name = one_name(ctx, p, "username")?;
            ctx.connect(true)?;
            let op = if sub == "grant" {
                AuthOp::UserGrant {
                    name: name.clone(),
                    roles,
                }
            } else {
                AuthOp::UserRevoke {
                    name: name.clone(),
                    roles,
                }
            };
            call(ctx, op, false)?;
            ctx.out.push_str(&format!("User {} updated\n", name));
        }
        "get" => {
            let name = one_name(ctx, p, "username")?;
            ctx.connect(true)?;
            if let V2Response::User(u) = call(ctx, AuthOp::UserGet { name }, false)? {
                // The client decodes role objects into strings first (one empty string per
                // role), then appends the role names.
                let mut shown: Vec<String> = u.roles.iter().map(|_| String::new()).collect();
                shown.extend(u.roles.iter().cloned());
                ctx.out
                    .push_str(&format!("User: {}\nRoles: {}\n", u.user, shown.join(" ")));
            }
        }
        _ => {}
    }
    Ok(())
}

/// `pathutil.CanonicalURLPath`.
fn canonical_url_path(p: &str) -> String {
    if p.is_empty() {
        return "/".to_string();
    }
    let mut c = crate::api::v2::path::clean(p);
    if p.ends_with('/') && c != "/" {
        c.push('/');
    }
    c
}

pub fn role(ctx: &mut Ctx, sub: &str, p: &Parsed) -> Result<(), Exit> {
    match sub {
        "list" => {
            no_args(ctx, p)?;
            ctx.connect(true)?;
            if let V2Response::Roles(roles) = call(ctx, AuthOp::RoleList, true)? {
                for r in roles {
                    ctx.out.push_str(&format!("{}\n", r));
                }
            }
        }
        "add" => {
            let name = one_name(ctx, p, "role name")?;
            ctx.connect(true)?;
            if let Ok(V2Response::Role(_)) =
                ctx.send(V2Op::Auth(AuthOp::RoleGet { name: name.clone() }))
            {
                ctx.err.push_str(&format!("Role {} already exists\n", name));
                return Err(1);
            }
            call(ctx, AuthOp::RoleAdd { name: name.clone() }, false)?;
            ctx.out.push_str(&format!("Role {} created\n", name));
        }
        "remove" => {
            let name = one_name(ctx, p, "role name")?;
            ctx.connect(true)?;
            call(ctx, AuthOp::RoleRemove { name: name.clone() }, false)?;
            ctx.out.push_str(&format!("Role {} removed\n", name));
        }
        "get" => {
            let name = one_name(ctx, p, "role name")?;
            ctx.connect(true)?;
            if let V2Response::Role(RoleInfo { role, read, write }) =
                call(ctx, AuthOp::RoleGet { name }, false)?
            {
                ctx.out.push_str(&format!("Role: {}\nKV Read:\n", role));
                for r in read {
                    ctx.out.push_str(&format!("\t{}\n", r));
                }
                ctx.out.push_str("KV Write:\n");
                for w in write {
                    ctx.out.push_str(&format!("\t{}\n", w));
                }
            }
        }
        "grant" | "revoke" => {
            let path = p.string("path").unwrap_or("").to_string();
            if path.is_empty() {
                ctx.err.push_str("No path specified; please use `--path`\n");
                return Err(1);
            }
            let canon = canonical_url_path(&path);
            if canon != path {
                ctx.err.push_str(&format!(
                    "Not canonical path; please use `--path={}`\n",
                    canon
                ));
                return Err(1);
            }
            let (read, write, rw) = (p.bool("read"), p.bool("write"), p.bool("readwrite"));
            if [read, write, rw].iter().filter(|b| **b).count() != 1 {
                ctx.err
                    .push_str("Please specify exactly one of --read, --write or --readwrite\n");
                return Err(1);
            }
            let name = one_name(ctx, p, "role name")?;
            ctx.connect(true)?;
            call(ctx, AuthOp::RoleGet { name: name.clone() }, false)?;
            let r = if read || rw {
                vec![path.clone()]
            } else {
                vec![]
            };
            let w = if write || rw {
                vec![path.clone()]
            } else {
                vec![]
            };
            let op = if sub == "grant" {
                AuthOp::RoleGrant {
                    name: name.clone(),
                    read: r,
                    write: w,
                }
            } else {
                AuthOp::RoleRevoke {
                    name: name.clone(),
                    read: r,
                    write: w,
                }
            };
            call(ctx, op, false)?;
            ctx.out.push_str(&format!("Role {} updated\n", name));
        }
        _ => {}
    }
    Ok(())
}

pub fn auth(ctx: &mut Ctx, sub: &str, p: &Parsed) -> Result<(), Exit> {
    no_args(ctx, p)?;
    ctx.connect(true)?;
    let enable = sub == "enable";
    call(
        ctx,
        if enable {
            AuthOp::Enable
        } else {
            AuthOp::Disable
        },
        false,
    )?;
    ctx.out.push_str(if enable {
        "Authentication Enabled\n"
    } else {
        "Authentication Disabled\n"
    });
    Ok(())
}
