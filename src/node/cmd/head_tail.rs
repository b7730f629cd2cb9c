//! `head [-n N] [FILE...]` and `tail [-n N|+N] [FILE...]` (also `-N`), with the `==> f <==`
//! headers for several files and coreutils' messages.
//!
//! Owns: both commands. Must not touch: anything else.

use super::{lines, lquote, opt_error, parse_opts, shq, Ctx};
use crate::node::fs::Errno;

/// How many lines: the first N / all but the last N (head), or the last N / from line N
/// (tail).
#[derive(Clone, Copy)]
enum Count {
    Lines(u64),
    /// head `-n -N`: all but the last N; tail `-n +N`: from line N on.
    Other(u64),
}

fn parse_args(
    cmd: &str,
    args: &[String],
    ctx: &mut Ctx,
) -> Result<(Count, bool, Vec<String>), i32> {
    // `-5` is `-n 5`
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect();
    let p = match parse_opts(
        &args,
        "qvfF",
        "nc",
        &["lines", "quiet", "verbose", "follow"],
    ) {
        Ok(p) => p,
        Err(e) => return Err(opt_error(ctx, cmd, e, 1)),
    };
    let mut count = Count::Lines(10);
    let spec = p
        .flags
        .iter()
        .rev()
        .find(|(c, _)| *c == 'n')
        .and_then(|(_, v)| v.clone())
        .or_else(|| {
            p.long
                .iter()
                .rev()
                .find(|(l, _)| l == "lines")
                .and_then(|(_, v)| v.clone())
        });
    if let Some(v) = spec {
        let (other, digits) = match v.strip_prefix(if cmd == "head" { '-' } else { '+' }) {
            Some(d) => (true, d),
            None => (
                false,
                v.strip_prefix(if cmd == "head" { '+' } else { '-' })
                    .unwrap_or(&v),
            ),
        };
        match digits.parse::<u64>() {
            Ok(n) => {
                count = if other {
                    Count::Other(n)
                } else {
                    Count::Lines(n)
                }
            }
            Err(_) => {
                ctx.eprintln(&format!("{}: invalid number of lines: {}", cmd, lquote(&v)));
                return Err(1);
            }
        }
    }
    let verbose = p.has('v');
    let quiet = p.has('q');
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let headers = verbose || (files.len() > 1 && !quiet);
    Ok((count, headers, files))
}

fn run(cmd: &str, args: &[String], ctx: &mut Ctx) -> i32 {
    let (count, headers, files) = match parse_args(cmd, args, ctx) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut status = 0;
    let mut first = true;
    for f in &files {
        let data = match ctx.read_file(f) {
            Ok(d) => d,
            Err(Errno::IsDir) => {
                if headers {
                    print_header(ctx, f, &mut first);
                }
                ctx.eprintln(&format!(
                    "{}: error reading {}: Is a directory",
                    cmd,
                    shq(f)
                ));
                status = 1;
                continue;
            }
            Err(e) => {
                ctx.eprintln(&format!(
                    "{}: cannot open {} for reading: {}",
                    cmd,
                    shq(f),
                    e
                ));
                status = 1;
                continue;
            }
        };
        if headers {
            print_header(ctx, f, &mut first);
        }
        let ls = lines(&data);
        let n = ls.len() as u64;
        let range = match (cmd, count) {
            ("head", Count::Lines(k)) => 0..k.min(n),
            ("head", Count::Other(k)) => 0..n.saturating_sub(k),
            (_, Count::Lines(k)) => n.saturating_sub(k)..n,
            (_, Count::Other(k)) => k.saturating_sub(1).min(n)..n,
        };
        for l in &ls[range.start as usize..range.end as usize] {
            ctx.out.extend_from_slice(l);
        }
    }
    status
}

fn print_header(ctx: &mut Ctx, f: &str, first: &mut bool) {
    let name = if f == "-" { "standard input" } else { f };
    if !*first {
        ctx.print("\n");
    }
    *first = false;
    ctx.print(&format!("==> {} <==\n", name));
}

pub fn head(args: &[String], ctx: &mut Ctx) -> i32 {
    run("head", args, ctx)
}

pub fn tail(args: &[String], ctx: &mut Ctx) -> i32 {
    run("tail", args, ctx)
}
