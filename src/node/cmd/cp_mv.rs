//! `cp [-r|-R|-a|-p] SRC... DEST` and `mv SRC... DEST` with coreutils' rules for a target
//! directory, copying into itself, overwriting a directory, and their messages.
//!
//! Owns: the two commands. Must not touch: the filesystem's invariants (fs.rs enforces
//! them; this file only names the failures as cp and mv do).

use super::{opt_error, parse_opts, shq, try_help, Ctx};
use crate::node::fs::{Components, Errno};

/// The operands resolved: sources, and the destination for each.
fn targets(ctx: &mut Ctx, cmd: &str, ops: &[String]) -> Option<Vec<(String, String)>> {
    if ops.is_empty() {
        ctx.eprintln(&format!("{}: missing file operand", cmd));
        try_help(ctx, cmd);
        return None;
    }
    if ops.len() == 1 {
        ctx.eprintln(&format!(
            "{}: missing destination file operand after {}",
            cmd,
            shq(&ops[0])
        ));
        try_help(ctx, cmd);
        return None;
    }
    let (dest, srcs) = ops.split_last()?;
    let dest_is_dir = ctx
        .existing(dest)
        .map(|c| ctx.fs.is_dir(&c))
        .unwrap_or(false);
    if srcs.len() > 1 && !dest_is_dir {
        let why = if ctx.existing(dest).is_ok() {
            Errno::NotDir
        } else {
            Errno::NoEnt
        };
        ctx.eprintln(&format!("{}: target {}: {}", cmd, shq(dest), why));
        return None;
    }
    Some(
        srcs.iter()
            .map(|s| {
                if dest_is_dir {
                    let base = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
                    let sep = if dest.ends_with('/') { "" } else { "/" };
                    (s.clone(), format!("{}{}{}", dest, sep, base))
                } else {
                    (s.clone(), dest.clone())
                }
            })
            .collect(),
    )
}

pub fn cp(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "rRapfvuPLdn",
        "",
        &["recursive", "archive", "force", "verbose", "preserve"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "cp", e, 1),
    };
    let recursive =
        p.has('r') || p.has('R') || p.has('a') || p.has_long("recursive") || p.has_long("archive");
    let preserve = p.has('p') || p.has('a') || p.has_long("archive") || p.has_long("preserve");
    let Some(pairs) = targets(ctx, "cp", &p.operands) else {
        return 1;
    };
    let mut status = 0;
    for (src, dst) in pairs {
        if let Err(msg) = cp_one(ctx, &src, &dst, recursive, preserve) {
            ctx.eprintln(&format!("cp: {}", msg));
            status = 1;
        }
    }
    status
}

fn cp_one(
    ctx: &mut Ctx,
    src: &str,
    dst: &str,
    recursive: bool,
    preserve: bool,
) -> Result<(), String> {
    let s = ctx
        .existing(src)
        .map_err(|e| format!("cannot stat {}: {}", shq(src), e))?;
    let src_dir = ctx.fs.is_dir(&s);
    if src_dir && !recursive {
        return Err(format!("-r not specified; omitting directory {}", shq(src)));
    }
    let (d, _) = ctx.resolve(dst).map_err(|e| {
        let what = if src_dir { "directory" } else { "regular file" };
        format!("cannot create {} {}: {}", what, shq(dst), e)
    })?;
    if d == s {
        return Err(format!("{} and {} are the same file", shq(src), shq(dst)));
    }
    // copying a directory into itself copies all but the copy, then complains
    let into_itself = src_dir && d.starts_with(&s);
    let dst_node_dir = ctx.fs.node(&d).map(|n| n.is_dir());
    match (src_dir, dst_node_dir) {
        (true, Some(false)) => {
            return Err(format!(
                "cannot overwrite non-directory {} with directory {}",
                shq(dst),
                shq(src)
            ))
        }
        (false, Some(true)) => {
            return Err(format!(
                "cannot overwrite directory {} with non-directory",
                shq(dst)
            ))
        }
        _ => {}
    }
    if !src_dir {
        return copy_file(ctx, &s, &d, preserve)
            .map_err(|e| format!("cannot create regular file {}: {}", shq(dst), e));
    }
    // a directory tree: each node under the source, recreated under the destination
    let tree: Vec<Components> = ctx
        .fs
        .walk(&s)
        .into_iter()
        .filter(|p| !p.starts_with(&d))
        .collect();
    for path in tree {
        let rel = &path[s.len()..];
        let mut to: Components = d.clone();
        to.extend(rel.iter().cloned());
        let shown = if rel.is_empty() {
            dst.to_string()
        } else {
            format!("{}/{}", dst, rel.join("/"))
        };
        if ctx.fs.is_dir(&path) {
            if !ctx.fs.is_dir(&to) {
                ctx.fs
                    .mkdir(&to, ctx.now)
                    .map_err(|e| format!("cannot create directory {}: {}", shq(&shown), e))?;
            }
            let meta = ctx.fs.node(&path).map(|n| *n.meta());
            if let Some(m) = meta {
                let _ = ctx.fs.chmod(&to, m.mode);
                if preserve {
                    let _ = ctx.fs.chown(&to, Some(m.uid), Some(m.gid));
                }
            }
        } else {
            copy_file(ctx, &path, &to, preserve)
                .map_err(|e| format!("cannot create regular file {}: {}", shq(&shown), e))?;
        }
    }
    if into_itself {
        return Err(format!(
            "cannot copy a directory, {}, into itself, {}",
            shq(src),
            shq(dst)
        ));
    }
    if preserve {
        // directory mtimes last: creating their children touched them
        for path in ctx.fs.walk(&s) {
            if ctx.fs.is_dir(&path) {
                let rel = &path[s.len()..];
                let mut to: Components = d.clone();
                to.extend(rel.iter().cloned());
                if let Ok(st) = ctx.fs.stat(&path) {
                    let _ = ctx.fs.set_mtime(&to, st.mtime);
                }
            }
        }
    }
    Ok(())
}

fn copy_file(ctx: &mut Ctx, s: &[String], d: &[String], preserve: bool) -> Result<(), Errno> {
    ctx.fs.copy_file(s, d, ctx.now)?;
    if preserve {
        let st = ctx.fs.stat(s)?;
        ctx.fs.chown(d, Some(st.uid), Some(st.gid))?;
        ctx.fs.chmod(d, st.mode)?;
        ctx.fs.set_mtime(d, st.mtime)?;
    }
    Ok(())
}

pub fn mv(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "fivnuT", "", &["force", "verbose"]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "mv", e, 1),
    };
    let Some(pairs) = targets(ctx, "mv", &p.operands) else {
        return 1;
    };
    let mut status = 0;
    for (src, dst) in pairs {
        if let Err(msg) = mv_one(ctx, &src, &dst) {
            ctx.eprintln(&format!("mv: {}", msg));
            status = 1;
        }
    }
    status
}

fn mv_one(ctx: &mut Ctx, src: &str, dst: &str) -> Result<(), String> {
    let s = ctx
        .existing(src)
        .map_err(|e| format!("cannot stat {}: {}", shq(src), e))?;
    let (d, _) = ctx
        .resolve(dst)
        .map_err(|e| format!("cannot move {} to {}: {}", shq(src), shq(dst), e))?;
    if d == s {
        return Err(format!("{} and {} are the same file", shq(src), shq(dst)));
    }
    let src_dir = ctx.fs.is_dir(&s);
    if src_dir && d.starts_with(&s) {
        return Err(format!(
            "cannot move {} to a subdirectory of itself, {}",
            shq(src),
            shq(dst)
        ));
    }
    match (src_dir, ctx.fs.node(&d).map(|n| n.is_dir())) {
        (true, Some(false)) => {
            return Err(format!(
                "cannot overwrite non-directory {} with directory {}",
                shq(dst),
                shq(src)
            ))
        }
        (false, Some(true)) => {
            return Err(format!(
                "cannot overwrite directory {} with non-directory",
                shq(dst)
            ))
        }
        _ => {}
    }
    ctx.fs
        .rename(&s, &d, ctx.now)
        .map_err(|e| format!("cannot move {} to {}: {}", shq(src), shq(dst), e))
}
