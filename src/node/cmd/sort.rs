//! `sort [-r] [-n] [-u] [-f] [-b] [-s] [-t SEP] [-k POS1[,POS2]] [FILE...]` as coreutils 9.1 in
//! the C.UTF-8 locale (code point order): keys by field, a whole-line byte comparison as the
//! last resort unless `-s`, `-u` keeping the first of each run of equal keys.
//!
//! Owns: sort's keys and ordering. Must not touch: anything else.

use super::{lines, lquote, opt_error, parse_opts, try_help, Ctx};
use std::cmp::Ordering;

struct Key {
    from: usize,
    to: Option<usize>,
}

struct Opts {
    reverse: bool,
    numeric: bool,
    fold: bool,
    blanks: bool,
    sep: Option<u8>,
    keys: Vec<Key>,
}

fn parse_key(s: &str) -> Option<Key> {
    let field = |p: &str| -> Option<usize> {
        let n = p
            .split('.')
            .next()?
            .trim_end_matches(|c: char| c.is_ascii_alphabetic());
        n.parse::<usize>().ok().filter(|n| *n > 0)
    };
    match s.split_once(',') {
        Some((a, b)) => Some(Key {
            from: field(a)?,
            to: Some(field(b)?),
        }),
        None => Some(Key {
            from: field(s)?,
            to: None,
        }),
    }
}

/// The fields of a line: with a separator, split at it; otherwise each field starts at a
/// blank-to-non-blank change and keeps its leading blanks.
fn fields(line: &[u8], sep: Option<u8>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match sep {
        Some(s) => {
            let mut start = 0;
            for (i, b) in line.iter().enumerate() {
                if *b == s {
                    out.push((start, i));
                    start = i + 1;
                }
            }
            out.push((start, line.len()));
        }
        None => {
            let mut i = 0;
            while i < line.len() {
                let start = i;
                while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
                    i += 1;
                }
                while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
                    i += 1;
                }
                out.push((start, i));
            }
        }
    }
    out
}

fn key_of<'a>(line: &'a [u8], k: &Key, o: &Opts) -> &'a [u8] {
    let f = fields(line, o.sep);
    let Some(&(start, _)) = f.get(k.from - 1) else {
        return &[];
    };
    let end = match k.to {
        Some(t) => f.get(t - 1).map_or(line.len(), |x| x.1),
        None => line.len(),
    };
    let mut s = &line[start..end.max(start)];
    if o.blanks || o.numeric {
        while let [b' ' | b'\t', rest @ ..] = s {
            s = rest;
        }
    }
    s
}

fn number(s: &[u8]) -> f64 {
    let t = String::from_utf8_lossy(s);
    let t = t.trim_start();
    let end = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
        .count();
    t[..end].parse::<f64>().unwrap_or(0.0)
}

fn compare_keys(a: &[u8], b: &[u8], o: &Opts) -> Ordering {
    if o.numeric {
        return number(a).partial_cmp(&number(b)).unwrap_or(Ordering::Equal);
    }
    if o.fold {
        let up = |s: &[u8]| s.iter().map(u8::to_ascii_uppercase).collect::<Vec<u8>>();
        return up(a).cmp(&up(b));
    }
    a.cmp(b)
}

fn compare(a: &[u8], b: &[u8], o: &Opts) -> Ordering {
    if o.keys.is_empty() {
        let (ka, kb) = if o.blanks || o.numeric {
            (
                key_of(a, &Key { from: 1, to: None }, o),
                key_of(b, &Key { from: 1, to: None }, o),
            )
        } else {
            (a, b)
        };
        return compare_keys(ka, kb, o);
    }
    for k in &o.keys {
        let c = compare_keys(key_of(a, k, o), key_of(b, k, o), o);
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "rnufbs",
        "tk",
        &[
            "reverse",
            "numeric-sort",
            "unique",
            "ignore-case",
            "ignore-leading-blanks",
            "stable",
            "field-separator",
            "key",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "sort", e, 2),
    };
    let mut o = Opts {
        reverse: p.has('r') || p.has_long("reverse"),
        numeric: p.has('n') || p.has_long("numeric-sort"),
        fold: p.has('f') || p.has_long("ignore-case"),
        blanks: p.has('b') || p.has_long("ignore-leading-blanks"),
        sep: None,
        keys: Vec::new(),
    };
    let stable = p.has('s') || p.has_long("stable");
    let unique = p.has('u') || p.has_long("unique");
    let valued = p
        .flags
        .iter()
        .map(|(c, v)| (*c, v.clone()))
        .chain(p.long.iter().map(|(l, v)| {
            (
                if l == "key" {
                    'k'
                } else if l == "field-separator" {
                    't'
                } else {
                    '?'
                },
                v.clone(),
            )
        }));
    for (c, v) in valued {
        let Some(v) = v else { continue };
        match c {
            't' => match v.as_bytes() {
                [b] => o.sep = Some(*b),
                [] => {
                    ctx.eprintln("sort: empty tab");
                    return 2;
                }
                _ => {
                    ctx.eprintln(&format!("sort: multi-character tab {}", lquote(&v)));
                    return 2;
                }
            },
            'k' => match parse_key(&v) {
                Some(k) => o.keys.push(k),
                None => {
                    ctx.eprintln(&format!(
                        "sort: invalid number at field start: invalid count at start of {}",
                        lquote(&v)
                    ));
                    try_help(ctx, "sort");
                    return 2;
                }
            },
            _ => {}
        }
    }
    let mut data = Vec::new();
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    for f in &files {
        match ctx.read_file(f) {
            Ok(mut d) => {
                if !d.is_empty() && !d.ends_with(b"\n") {
                    d.push(b'\n');
                }
                data.extend_from_slice(&d);
            }
            Err(e) => {
                ctx.eprintln(&format!("sort: cannot read: {f}: {e}"));
                return 2;
            }
        }
    }
    let mut rows: Vec<&[u8]> = lines(&data)
        .into_iter()
        .map(|l| l.strip_suffix(b"\n").unwrap_or(l))
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| {
        let mut c = compare(a, b, &o);
        if c == Ordering::Equal && !stable && !unique {
            c = a.cmp(b);
        }
        if o.reverse {
            c.reverse()
        } else {
            c
        }
    });
    if unique {
        rows.dedup_by(|b, a| compare(a, b, &o) == Ordering::Equal);
    }
    for r in rows {
        ctx.out.extend_from_slice(r);
        ctx.out.push(b'\n');
    }
    0
}
