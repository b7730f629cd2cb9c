//! `rm [-r|-R] [-f] [-d] FILE...` with coreutils' messages (`cannot remove 'x': Is a
//! directory`, `missing operand`, the refusal to remove `.`, `..` and `/`).
//!
//! Owns: rm's rules. Must not touch: rmdir (mkdir.rs).

use super::{opt_error, parse_opts, shq, try_help, Ctx};
use crate::node::fs::Errno;

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "rRfdiIv",
        "",
        &["recursive", "force", "dir", "verbose", "no-preserve-root"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "rm", e, 1),
    };
    let recursive = p.has('r') || p.has('R') || p.has_long("recursive");
    // the last of -f / -i wins; only -f matters here
    let force = p
        .flags
        .iter()
        .rev()
        .find(|(c, _)| matches!(c, 'f' | 'i' | 'I'))
        .is_some_and(|(c, _)| *c == 'f')
        || p.has_long("force");
    let dir_ok = p.has('d') || p.has_long("dir");
    if p.operands.is_empty() {
        if force {
            return 0;
        }
        ctx.eprintln("rm: missing operand");
        try_help(ctx, "rm");
        return 1;
    }
    let mut status = 0;
    for f in &p.operands {
        let last = f.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if last == "." || last == ".." {
            ctx.eprintln(&format!(
                "rm: refusing to remove '.' or '..' directory: skipping {}",
                shq(f)
            ));
            status = 1;
            continue;
        }
        let c = match ctx.existing(f) {
            Ok(c) => c,
            Err(Errno::NoEnt) if force => continue,
            Err(e) => {
                ctx.eprintln(&format!("rm: cannot remove {}: {}", shq(f), e));
                status = 1;
                continue;
            }
        };
        if c.is_empty() {
            ctx.eprintln(&format!(
                "rm: it is dangerous to operate recursively on {}",
                shq("/")
            ));
            ctx.eprintln("rm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        let is_dir = ctx.fs.is_dir(&c);
        let res = if !is_dir {
            ctx.fs.remove_file(&c, ctx.now)
        } else if recursive {
            ctx.fs.remove_all(&c, ctx.now)
        } else if dir_ok {
            ctx.fs.remove_dir(&c, ctx.now)
        } else {
            Err(Errno::IsDir)
        };
        if let Err(e) = res {
            ctx.eprintln(&format!("rm: cannot remove {}: {}", shq(f), e));
            status = 1;
        }
    }
    status
}
