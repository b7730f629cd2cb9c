//! `touch FILE...`: creates empty files or sets their mtime to the simulated now.
//!
//! Owns: touch's messages. Must not touch: anything else.

use super::{opt_error, parse_opts, shq, Ctx};

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "acm", "", &[]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "touch", e, 1),
    };
    if p.operands.is_empty() {
        ctx.eprintln("touch: missing file operand");
        super::try_help(ctx, "touch");
        return 1;
    }
    let mut status = 0;
    for f in &p.operands {
        let res = ctx.resolve(f).and_then(|(c, _)| {
            if ctx.fs.exists(&c) {
                ctx.fs.set_mtime(&c, ctx.now)
            } else {
                ctx.fs.write(&c, b"", false, ctx.now)
            }
        });
        if let Err(e) = res {
            ctx.eprintln(&format!("touch: cannot touch {}: {}", shq(f), e));
            status = 1;
        }
    }
    status
}
