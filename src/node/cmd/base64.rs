//! `base64 [-d] [-i] [-w COLS] [FILE]` as coreutils 9.1 runs it: encode wrapped at 76
//! columns, decode ignoring newlines (and, with `-i`, every other non-alphabet byte), the
//! decoded bytes up to a bad one and then `base64: invalid input`.
//!
//! Owns: base64's options and messages. Must not touch: anything else.

use super::{lquote, opt_error, parse_opts, try_help, Ctx};
use base64::Engine;

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(args, "di", "w", &["decode", "ignore-garbage", "wrap"]) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "base64", e, 1),
    };
    let decode = p.has('d') || p.has_long("decode");
    let ignore = p.has('i') || p.has_long("ignore-garbage");
    let wrap_arg = p
        .flags
        .iter()
        .filter(|(c, _)| *c == 'w')
        .filter_map(|(_, v)| v.clone())
        .chain(
            p.long
                .iter()
                .filter(|(l, _)| l == "wrap")
                .filter_map(|(_, v)| v.clone()),
        )
        .last();
    let wrap = match wrap_arg {
        None => 76,
        Some(w) => match w.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                ctx.eprintln(&format!("base64: invalid wrap size: {}", lquote(&w)));
                return 1;
            }
        },
    };
    if p.operands.len() > 1 {
        ctx.eprintln(&format!("base64: extra operand {}", lquote(&p.operands[1])));
        try_help(ctx, "base64");
        return 1;
    }
    let data = match p.operands.first() {
        None => ctx.stdin.to_vec(),
        Some(f) => match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                ctx.eprintln(&format!("base64: {f}: {e}"));
                return 1;
            }
        },
    };
    if decode {
        let (bytes, ok) = decode_all(&data, ignore);
        ctx.out.extend_from_slice(&bytes);
        if !ok {
            ctx.eprintln("base64: invalid input");
            return 1;
        }
        return 0;
    }
    let text = base64::engine::general_purpose::STANDARD.encode(&data);
    if wrap == 0 {
        ctx.print(&text);
    } else {
        for chunk in text.as_bytes().chunks(wrap) {
            ctx.out.extend_from_slice(chunk);
            ctx.out.push(b'\n');
        }
    }
    0
}

fn value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a') as u32 + 26),
        b'0'..=b'9' => Some((c - b'0') as u32 + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes quadruple by quadruple as coreutils does: the bytes of every complete quadruple
/// before the first bad one, and whether the input was valid.
fn decode_all(data: &[u8], ignore: bool) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut quad: Vec<u8> = Vec::with_capacity(4);
    let mut ended = false;
    for &c in data {
        if c == b'\n' {
            continue;
        }
        if ended {
            return (out, false);
        }
        if c != b'=' && value(c).is_none() {
            if ignore {
                continue;
            }
            partial(&quad, &mut out);
            return (out, false);
        }
        quad.push(c);
        if quad.len() == 4 {
            match decode_quad(&quad) {
                Some((bytes, last)) => {
                    out.extend_from_slice(&bytes);
                    ended = last;
                }
                None => return (out, false),
            }
            quad.clear();
        }
    }
    if quad.is_empty() {
        return (out, true);
    }
    partial(&quad, &mut out);
    (out, false)
}

/// An incomplete quadruple before the end or a bad byte: its whole bytes are written.
fn partial(quad: &[u8], out: &mut Vec<u8>) {
    let vals: Vec<u32> = quad.iter().map_while(|c| value(*c)).collect();
    if vals.len() >= 2 {
        let n = vals.iter().fold(0u32, |a, v| (a << 6) | v) << (6 * (4 - vals.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..vals.len() - 1]);
    }
}

/// One quadruple: its bytes and whether it ended the data with padding.
fn decode_quad(q: &[u8]) -> Option<(Vec<u8>, bool)> {
    let pad = q.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 || q[..4 - pad].iter().any(|c| *c == b'=') {
        return None;
    }
    let n = q[..4 - pad]
        .iter()
        .map(|c| value(*c).unwrap_or(0))
        .fold(0u32, |a, v| (a << 6) | v)
        << (6 * pad);
    let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    Some((bytes[..3 - pad].to_vec(), pad > 0))
}
