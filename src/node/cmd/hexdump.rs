//! The hex dumps a learner pipes a value into to see its bytes (`| hexdump -C`, the usual check
//! that a Secret is encrypted at rest): util-linux `hexdump` (`-C`, and the default 16-bit
//! words), `hd`, and vim's `xxd` (default layout, `-p`, `-c`, `-g`, `-l`, `-u`). Layouts and
//! messages as the real tools print them.
//!
//! Owns: the dump layouts. Must not touch: anything else.

use super::{opt_error, parse_opts, Ctx};
use crate::etcdctl::hexdump::{canonical, dump_lines, printable};

/// Reads the operands (or stdin); prints `tool: FILE: error` for those that fail.
fn inputs(files: &[String], tool: &str, ctx: &mut Ctx) -> (Vec<u8>, usize) {
    if files.is_empty() {
        return (ctx.stdin.to_vec(), 0);
    }
    let mut data = Vec::new();
    let mut failed = 0;
    for f in files {
        match ctx.read_file(f) {
            Ok(d) => data.extend_from_slice(&d),
            Err(e) => {
                ctx.eprintln(&format!("{tool}: {f}: {e}"));
                failed += 1;
            }
        }
    }
    (data, failed)
}

/// `hexdump` alone: 16-bit little-endian words, the last line padded.
fn words(data: &[u8], out: &mut String) {
    let end = format!("{:07x}\n", data.len());
    dump_lines(data, out, &end, |at, line, out| {
        out.push_str(&format!("{at:07x}"));
        for w in 0..8 {
            match (line.get(2 * w), line.get(2 * w + 1)) {
                (Some(a), Some(b)) => out.push_str(&format!(" {b:02x}{a:02x}")),
                (Some(a), None) => out.push_str(&format!(" 00{a:02x}")),
                _ => out.push_str("     "),
            }
        }
        out.push('\n');
    });
}

pub fn hexdump(name: &str, args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "Cbcdovx", "nse", &["canonical"]) {
        Ok(p) => p,
        Err(e) => {
            if let super::OptError::Invalid(c) = e {
                ctx.eprintln(&format!("{name}: invalid option -- '{c}'"));
                ctx.eprintln(&format!("Try '{name} --help' for more information."));
                return 1;
            }
            return opt_error(ctx, name, e, 1);
        }
    };
    if let Some(c) = p.flags.iter().map(|f| f.0).find(|c| !"Cv".contains(*c)) {
        ctx.eprintln(&format!(
            "{name}: this playground's {name} prints only -C (canonical) and its default layout, not -{c}"
        ));
        return 1;
    }
    let (mut data, failed) = inputs(&p.operands, name, ctx);
    if failed > 0 && failed == p.operands.len() {
        ctx.eprintln(&format!("{name}: all input file arguments failed"));
        return 1;
    }
    if let Some(n) = p
        .flags
        .iter()
        .filter(|f| f.0 == 'n')
        .filter_map(|f| f.1.as_ref()?.parse::<usize>().ok())
        .last()
    {
        data.truncate(n);
    }
    let mut out = String::new();
    if name == "hd" || p.has('C') || p.has_long("canonical") {
        canonical(&data, &mut out);
    } else {
        words(&data, &mut out);
    }
    ctx.print(&out);
    i32::from(failed > 0)
}

pub fn xxd(args: &[String], ctx: &mut Ctx) -> i32 {
    let mut plain = false;
    let mut upper = false;
    let mut cols: Option<usize> = None;
    let mut group: Option<usize> = None;
    let mut len: Option<usize> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let value = |i: &mut usize| -> Option<usize> {
            let v = args.get(*i)?.parse::<usize>().ok();
            *i += 1;
            v
        };
        match a {
            "-p" | "-ps" | "-postscript" | "-plain" => plain = true,
            "-u" => upper = true,
            "-c" | "-cols" => cols = value(&mut i),
            "-g" | "-groupsize" => group = value(&mut i),
            "-l" | "-len" => len = value(&mut i),
            f if !f.starts_with('-') || f == "-" => files.push(f.to_string()),
            _ => {
                ctx.eprintln(&format!(
                    "xxd: this playground's xxd knows -p, -c, -g, -l and -u, not {a}"
                ));
                return 1;
            }
        }
    }
    if files.len() > 1 {
        ctx.eprintln("xxd: this playground's xxd reads one file and writes to the console");
        return 1;
    }
    let (mut data, failed) = inputs(&files, "xxd", ctx);
    if failed > 0 {
        return 2;
    }
    if let Some(n) = len {
        data.truncate(n);
    }
    let hex = |b: &u8| {
        if upper {
            format!("{b:02X}")
        } else {
            format!("{b:02x}")
        }
    };
    let mut out = String::new();
    if plain {
        for line in data.chunks(cols.unwrap_or(30).max(1)) {
            out.extend(line.iter().map(hex));
            out.push('\n');
        }
        ctx.print(&out);
        return 0;
    }
    let cols = cols.unwrap_or(16).clamp(1, 256);
    let group = group.unwrap_or(2);
    let width = if group == 0 {
        cols * 2
    } else {
        cols * 2 + cols.div_ceil(group)
    };
    for (k, line) in data.chunks(cols).enumerate() {
        let mut h = String::new();
        for (j, b) in line.iter().enumerate() {
            h.push_str(&hex(b));
            if group > 0 && (j + 1) % group == 0 {
                h.push(' ');
            }
        }
        out.push_str(&format!("{:08x}: {h:<width$} ", k * cols));
        out.extend(line.iter().map(|b| printable(*b)));
        out.push('\n');
    }
    ctx.print(&out);
    0
}
