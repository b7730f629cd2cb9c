//! `mkdir [-p] DIR...` and `rmdir DIR...` with coreutils' messages.
//!
//! Owns: directory creation and removal commands. Must not touch: `rm -r` (rm.rs).

use super::{lquote, opt_error, parse_opts, shq, try_help, Ctx};
use crate::node::fs::Errno;

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "pv", "m", &["parents", "verbose", "mode"]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "mkdir", e, 1),
    };
    if p.operands.is_empty() {
        ctx.eprintln("mkdir: missing operand");
        try_help(ctx, "mkdir");
        return 1;
    }
    let parents = p.has('p') || p.has_long("parents");
    let mut status = 0;
    for d in &p.operands {
        let res = if parents {
            mkdir_p(ctx, d)
        } else {
            mkdir_one(ctx, d).map_err(|e| (d.clone(), e))
        };
        if let Err((shown, e)) = res {
            ctx.eprintln(&format!(
                "mkdir: cannot create directory {}: {}",
                lquote(&shown),
                e
            ));
            status = 1;
        }
    }
    status
}

fn mkdir_one(ctx: &mut Ctx, d: &str) -> Result<(), Errno> {
    let (c, _) = ctx.resolve(d)?;
    ctx.fs.mkdir(&c, ctx.now)
}

/// `mkdir -p`: creates each missing prefix of the path as typed; an error names the prefix
/// that failed.
fn mkdir_p(ctx: &mut Ctx, d: &str) -> Result<(), (String, Errno)> {
    let absolute = d.starts_with('/');
    let parts: Vec<&str> = d.split('/').filter(|p| !p.is_empty()).collect();
    let mut shown = if absolute {
        String::from("/")
    } else {
        String::new()
    };
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            shown.push('/');
        }
        shown.push_str(part);
        let (c, _) = ctx.resolve(&shown).map_err(|e| (shown.clone(), e))?;
        match ctx.fs.node(&c) {
            Some(n) if n.is_dir() => {}
            Some(_) => {
                return Err((
                    shown.clone(),
                    if i + 1 == parts.len() {
                        Errno::Exist
                    } else {
                        Errno::NotDir
                    },
                ))
            }
            None => ctx.fs.mkdir(&c, ctx.now).map_err(|e| (shown.clone(), e))?,
        }
    }
    Ok(())
}

pub fn rmdir(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "pv",
        "",
        &["parents", "verbose", "ignore-fail-on-non-empty"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "rmdir", e, 1),
    };
    if p.operands.is_empty() {
        ctx.eprintln("rmdir: missing operand");
        try_help(ctx, "rmdir");
        return 1;
    }
    let mut status = 0;
    for d in &p.operands {
        let res = ctx
            .resolve(d)
            .and_then(|(c, _)| ctx.fs.remove_dir(&c, ctx.now));
        if let Err(e) = res {
            ctx.eprintln(&format!("rmdir: failed to remove {}: {}", shq(d), e));
            status = 1;
        }
    }
    status
}
