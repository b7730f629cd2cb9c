//! `cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST [--output-delimiter=S] [FILE...]` as
//! coreutils 9.1 runs it (a line without the delimiter is printed whole unless `-s`).
//!
//! Owns: cut's lists and selection. Must not touch: anything else.

use super::{lines, lquote, opt_error, parse_opts, try_help, Ctx};

/// A LIST: ranges, 1-based and inclusive (`N`, `N-M`, `N-`, `-M`).
fn parse_list(s: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let from = if a.is_empty() {
            1
        } else {
            a.parse::<usize>()
                .map_err(|_| format!("invalid field value {}", lquote(a)))?
        };
        let to = if b.is_empty() {
            usize::MAX
        } else {
            b.parse::<usize>()
                .map_err(|_| format!("invalid field value {}", lquote(b)))?
        };
        if from == 0 || to == 0 {
            return Err("fields and positions are numbered from 1".to_string());
        }
        if a.is_empty() && b.is_empty() {
            return Err("invalid range with no endpoint: -".to_string());
        }
        if from > to {
            return Err("invalid decreasing range".to_string());
        }
        out.push((from, to));
    }
    Ok(out)
}

fn selected(list: &[(usize, usize)], n: usize) -> bool {
    list.iter().any(|(a, b)| *a <= n && n <= *b)
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "s",
        "fdcb",
        &[
            "fields",
            "delimiter",
            "characters",
            "bytes",
            "only-delimited",
            "output-delimiter",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "cut", e, 1),
    };
    let val = |c: char, long: &str| {
        p.flags
            .iter()
            .filter(|f| f.0 == c)
            .filter_map(|f| f.1.clone())
            .chain(
                p.long
                    .iter()
                    .filter(|l| l.0 == long)
                    .filter_map(|l| l.1.clone()),
            )
            .last()
    };
    let fields = val('f', "fields");
    let chars = val('c', "characters").or(val('b', "bytes"));
    let (list_text, by_field) = match (fields, chars) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        (Some(_), Some(_)) => {
            ctx.eprintln("cut: only one type of list may be specified");
            try_help(ctx, "cut");
            return 1;
        }
        (None, None) => {
            ctx.eprintln("cut: you must specify a list of bytes, characters, or fields");
            try_help(ctx, "cut");
            return 1;
        }
    };
    let list = match parse_list(&list_text) {
        Ok(l) => l,
        Err(e) => {
            ctx.eprintln(&format!("cut: {e}"));
            try_help(ctx, "cut");
            return 1;
        }
    };
    let delim = match val('d', "delimiter") {
        None => b'\t',
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(_) => {
            ctx.eprintln("cut: the delimiter must be a single character");
            try_help(ctx, "cut");
            return 1;
        }
    };
    let only = p.has('s') || p.has_long("only-delimited");
    let out_delim: Vec<u8> = val('\0', "output-delimiter")
        .map(String::into_bytes)
        .unwrap_or_else(|| if by_field { vec![delim] } else { Vec::new() });
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut status = 0;
    for f in &files {
        let data = match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                ctx.eprintln(&format!("cut: {f}: {e}"));
                status = 1;
                continue;
            }
        };
        let mut out = Vec::new();
        for l in lines(&data) {
            let body = l.strip_suffix(b"\n").unwrap_or(l);
            if by_field {
                if !body.contains(&delim) {
                    if !only {
                        out.extend_from_slice(body);
                        out.push(b'\n');
                    }
                    continue;
                }
                let mut first = true;
                for (k, part) in body.split(|b| *b == delim).enumerate() {
                    if selected(&list, k + 1) {
                        if !first {
                            out.extend_from_slice(&out_delim);
                        }
                        out.extend_from_slice(part);
                        first = false;
                    }
                }
            } else {
                for (k, b) in body.iter().enumerate() {
                    if selected(&list, k + 1) {
                        out.push(*b);
                    }
                }
            }
            out.push(b'\n');
        }
        ctx.out.extend_from_slice(&out);
    }
    status
}
