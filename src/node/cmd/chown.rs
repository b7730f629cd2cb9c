//! `chown [-R] OWNER[:GROUP] FILE...` and `chmod [-R] MODE FILE...` with coreutils' messages.
//!
//! Owns: owner specs (names from the node's user table, or numbers) and mode specs (octal
//! or symbolic like `u+x`, `go-w`, `a=r`). Must not touch: anything but metadata.

use super::{lquote, opt_error, parse_opts, shq, try_help, Ctx};
use crate::node::fs::Fs;

pub fn chown(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "Rvfch",
        "",
        &["recursive", "verbose", "silent", "quiet"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "chown", e, 1),
    };
    let recursive = p.has('R') || p.has_long("recursive");
    let Some((spec, files)) = operands(ctx, "chown", &p.operands) else {
        return 1;
    };
    let (user, group) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u, Some(g)),
        None => (spec.as_str(), None),
    };
    let uid = if user.is_empty() {
        None
    } else {
        match ctx.fs.uid_of(user).or_else(|| user.parse().ok()) {
            Some(u) => Some(u),
            None => {
                ctx.eprintln(&format!("chown: invalid user: {}", lquote(&spec)));
                return 1;
            }
        }
    };
    let gid = match group {
        None => None,
        // `user:` means the user's login group
        Some("") => ctx.fs.gid_of(user).or(uid),
        Some(g) => match ctx.fs.gid_of(g).or_else(|| g.parse().ok()) {
            Some(g) => Some(g),
            None => {
                ctx.eprintln(&format!("chown: invalid group: {}", lquote(&spec)));
                return 1;
            }
        },
    };
    each_target(ctx, "chown", files, recursive, |fs, path| {
        let _ = fs.chown(path, uid, gid);
    })
}

/// Applies `change` to each named file (and, recursively, to what is under it); a name
/// that does not exist gets `cannot access`.
fn each_target(
    ctx: &mut Ctx,
    cmd: &str,
    files: &[String],
    recursive: bool,
    mut change: impl FnMut(&mut Fs, &[String]),
) -> i32 {
    let mut status = 0;
    for f in files {
        match ctx.existing(f) {
            Ok(c) => {
                let paths = if recursive { ctx.fs.walk(&c) } else { vec![c] };
                for path in paths {
                    change(ctx.fs, &path);
                }
            }
            Err(e) => {
                ctx.eprintln(&format!("{}: cannot access {}: {}", cmd, shq(f), e));
                status = 1;
            }
        }
    }
    status
}

/// The first operand (the spec) and the files; prints the missing-operand messages.
fn operands<'a>(ctx: &mut Ctx, cmd: &str, ops: &'a [String]) -> Option<(String, &'a [String])> {
    match ops {
        [] => {
            ctx.eprintln(&format!("{}: missing operand", cmd));
            try_help(ctx, cmd);
            None
        }
        [spec] => {
            ctx.eprintln(&format!("{}: missing operand after {}", cmd, lquote(spec)));
            try_help(ctx, cmd);
            None
        }
        [spec, rest @ ..] => Some((spec.clone(), rest)),
    }
}

pub fn chmod(args: &[String], ctx: &mut Ctx) -> i32 {
    // a mode like `-w` looks like an option: take it as the mode when it parses as one
    let mut args = args.to_vec();
    let mut mode_word = None;
    if let Some(pos) = args
        .iter()
        .position(|a| a.starts_with('-') && a.len() > 1 && parse_mode(a, 0).is_some())
    {
        mode_word = Some(args.remove(pos));
    }
    let p = match parse_opts(&args, "Rvfc", "", &["recursive", "verbose"]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "chmod", e, 1),
    };
    let recursive = p.has('R') || p.has_long("recursive");
    let mut ops = p.operands.clone();
    if let Some(m) = mode_word {
        ops.insert(0, m);
    }
    let Some((spec, files)) = operands(ctx, "chmod", &ops) else {
        return 1;
    };
    if parse_mode(&spec, 0).is_none() {
        ctx.eprintln(&format!("chmod: invalid mode: {}", lquote(&spec)));
        try_help(ctx, "chmod");
        return 1;
    }
    each_target(ctx, "chmod", files, recursive, |fs, path| {
        if let Some(m) = fs.stat(path).ok().and_then(|st| parse_mode(&spec, st.mode)) {
            let _ = fs.chmod(path, m);
        }
    })
}

/// Applies a mode spec to `old`: octal (`600`) or symbolic clauses (`u+x,go-w`).
fn parse_mode(spec: &str, old: u32) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let who_len = clause.chars().take_while(|c| "ugoa".contains(*c)).count();
        let (who, rest) = clause.split_at(who_len);
        let mask = if who.is_empty() || who.contains('a') {
            0o777
        } else {
            (if who.contains('u') { 0o700 } else { 0 })
                | (if who.contains('g') { 0o070 } else { 0 })
                | (if who.contains('o') { 0o007 } else { 0 })
        };
        let mut chars = rest.chars().peekable();
        let mut any = false;
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            let mut bits = 0;
            while let Some(&c) = chars.peek() {
                bits |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' => 0o111,
                    's' | 't' => 0,
                    _ => break,
                };
                chars.next();
            }
            let bits = bits & mask;
            mode = match op {
                '+' => mode | bits,
                '-' => mode & !bits,
                _ => (mode & !mask) | bits,
            };
            any = true;
        }
        if !any {
            return None;
        }
    }
    Some(mode)
}
