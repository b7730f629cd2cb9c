//! `cat [-n] [FILE...]`: concatenates files (or stdin) to stdout, as coreutils does.
//!
//! Owns: cat's options and messages. Must not touch: redirections (the shell routes the
//! output).

use super::{opt_error, parse_opts, shq_if_needed, Ctx};

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "nAEsuvTbet",
        "",
        &["number", "show-all", "show-ends", "squeeze-blank"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "cat", e, 1),
    };
    let number = p.has('n') || p.has_long("number");
    let ends = p.has('E') || p.has('A') || p.has_long("show-ends") || p.has_long("show-all");
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut status = 0;
    let mut line_no = 0u64;
    for f in &files {
        match ctx.read_file(f) {
            Ok(data) => {
                if !number && !ends {
                    ctx.out.extend_from_slice(&data);
                    continue;
                }
                for line in super::lines(&data) {
                    if number {
                        line_no += 1;
                        ctx.print(&format!("{:>6}\t", line_no));
                    }
                    match line.strip_suffix(b"\n") {
                        Some(body) if ends => {
                            ctx.out.extend_from_slice(body);
                            ctx.out.extend_from_slice(b"$\n");
                        }
                        _ => ctx.out.extend_from_slice(line),
                    }
                }
            }
            Err(e) => {
                ctx.eprintln(&format!("cat: {}: {}", shq_if_needed(f), e));
                status = 1;
            }
        }
    }
    status
}
