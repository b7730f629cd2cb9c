//! `wc [-l|-w|-c] [FILE...]` with coreutils' column widths and messages.
//!
//! Owns: wc's counting and layout. Must not touch: anything else.

use super::{opt_error, parse_opts, shq_if_needed, Ctx};

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "lwcmL", "", &["lines", "words", "bytes", "chars"]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "wc", e, 1),
    };
    let mut show = [
        p.has('l') || p.has_long("lines"),
        p.has('w') || p.has_long("words"),
        p.has('c') || p.has('m') || p.has_long("bytes") || p.has_long("chars"),
    ];
    if !show.iter().any(|s| *s) {
        show = [true, true, true];
    }
    let from_stdin = p.operands.is_empty();
    let files = if from_stdin {
        vec![String::new()]
    } else {
        p.operands.clone()
    };
    let mut rows: Vec<([u64; 3], Option<String>)> = Vec::new();
    let mut status = 0;
    let mut errors: Vec<(usize, String)> = Vec::new();
    for f in &files {
        let data = if from_stdin {
            Ok(ctx.stdin.to_vec())
        } else {
            ctx.read_file(f)
        };
        match data {
            Ok(d) => {
                let lines = d.iter().filter(|b| **b == b'\n').count() as u64;
                let words = d
                    .split(|b| b.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .count() as u64;
                rows.push((
                    [lines, words, d.len() as u64],
                    if from_stdin { None } else { Some(f.clone()) },
                ));
            }
            Err(e) => {
                errors.push((rows.len(), format!("wc: {}: {}", shq_if_needed(f), e)));
                status = 1;
                if e == crate::node::fs::Errno::IsDir {
                    rows.push(([0, 0, 0], Some(f.clone())));
                }
            }
        }
    }
    if rows.len() > 1 {
        let mut total = [0u64; 3];
        for (r, _) in &rows {
            for k in 0..3 {
                total[k] += r[k];
            }
        }
        rows.push((total, Some("total".into())));
    }
    let shown = show.iter().filter(|s| **s).count();
    // one column alone is printed without padding; several are aligned to the widest count
    let width = if shown == 1 && rows.len() == 1 {
        0
    } else if from_stdin {
        7
    } else {
        // coreutils sizes the columns from the files' total byte count
        let bytes: u64 = rows
            .iter()
            .filter(|(_, n)| n.as_deref() != Some("total"))
            .map(|(r, _)| r[2])
            .sum();
        bytes.to_string().len()
    };
    for e in &errors {
        ctx.eprintln(&e.1);
    }
    for (r, name) in &rows {
        let cols: Vec<String> = (0..3)
            .filter(|k| show[*k])
            .map(|k| format!("{:>width$}", r[k], width = width))
            .collect();
        let mut line = cols.join(" ");
        if let Some(n) = name {
            line.push(' ');
            line.push_str(n);
        }
        line.push('\n');
        ctx.print(&line);
    }
    status
}
