//! bash's builtin `printf FORMAT [ARG...]`: the escapes (`\n`, `\t`, `\\`, `\NNN`, `\xHH`…),
//! the conversions `%s %b %c %d %i %u %x %X %o %%` with flags `-`/`0` and a width, and the
//! format reused while arguments remain, as bash does.
//!
//! Owns: printf's format language. Must not touch: anything else.

use super::Ctx;

/// An escape at `c[i]` (after the backslash): its bytes and the next index.
fn escape(c: &[char], mut i: usize, octal_needs_zero: bool) -> (Vec<u8>, usize) {
    let Some(&e) = c.get(i) else {
        return (b"\\".to_vec(), i);
    };
    i += 1;
    let simple = match e {
        'n' => Some(b'\n'),
        't' => Some(b'\t'),
        'r' => Some(b'\r'),
        'a' => Some(7),
        'b' => Some(8),
        'f' => Some(12),
        'v' => Some(11),
        'e' | 'E' => Some(27),
        '\\' => Some(b'\\'),
        '"' => Some(b'"'),
        '\'' => Some(b'\''),
        _ => None,
    };
    if let Some(b) = simple {
        return (vec![b], i);
    }
    if e == 'x' {
        let mut v = 0u32;
        let mut n = 0;
        while n < 2 && c.get(i).is_some_and(|d| d.is_ascii_hexdigit()) {
            v = v * 16 + c[i].to_digit(16).unwrap_or(0);
            i += 1;
            n += 1;
        }
        if n == 0 {
            return (b"\\x".to_vec(), i);
        }
        return (vec![v as u8], i);
    }
    if e.is_digit(8) && (!octal_needs_zero || e == '0') {
        let mut v = e.to_digit(8).unwrap_or(0);
        let max = if octal_needs_zero { 3 } else { 2 };
        let mut n = 0;
        while n < max && c.get(i).is_some_and(|d| d.is_digit(8)) {
            v = v * 8 + c[i].to_digit(8).unwrap_or(0);
            i += 1;
            n += 1;
        }
        return (vec![v as u8], i);
    }
    let mut out = vec![b'\\'];
    let mut buf = [0u8; 4];
    out.extend_from_slice(e.encode_utf8(&mut buf).as_bytes());
    (out, i)
}

fn unescape(s: &str) -> Vec<u8> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] == '\\' {
            let (b, j) = escape(&c, i + 1, true);
            out.extend(b);
            i = j;
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c[i].encode_utf8(&mut buf).as_bytes());
            i += 1;
        }
    }
    out
}

fn pad(body: Vec<u8>, left: bool, zero: bool, width: usize) -> Vec<u8> {
    let len = String::from_utf8_lossy(&body).chars().count();
    if len >= width {
        return body;
    }
    let fill = vec![if zero && !left { b'0' } else { b' ' }; width - len];
    if left {
        [body, fill].concat()
    } else if zero && body.first() == Some(&b'-') {
        [vec![b'-'], fill, body[1..].to_vec()].concat()
    } else {
        [fill, body].concat()
    }
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let Some(format) = args.first() else {
        ctx.eprintln("bash: printf: usage: printf [-v var] format [arguments]");
        return 2;
    };
    let f: Vec<char> = format.chars().collect();
    let rest = &args[1..];
    let mut next = 0usize;
    let mut status = 0;
    loop {
        let mut i = 0;
        let mut used = false;
        while i < f.len() {
            match f[i] {
                '\\' => {
                    let (b, j) = escape(&f, i + 1, false);
                    ctx.out.extend(b);
                    i = j;
                }
                '%' if f.get(i + 1) == Some(&'%') => {
                    ctx.out.push(b'%');
                    i += 2;
                }
                '%' => {
                    let mut j = i + 1;
                    let (mut left, mut zero) = (false, false);
                    while let Some(&fl) = f.get(j) {
                        match fl {
                            '-' => left = true,
                            '0' => zero = true,
                            ' ' | '+' | '#' => {}
                            _ => break,
                        }
                        j += 1;
                    }
                    let mut width = 0usize;
                    while let Some(d) = f.get(j).and_then(|d| d.to_digit(10)) {
                        width = width * 10 + d as usize;
                        j += 1;
                    }
                    let Some(&conv) = f.get(j) else {
                        ctx.eprintln(&format!(
                            "bash: printf: `{}': missing format character",
                            f[i..].iter().collect::<String>()
                        ));
                        return 1;
                    };
                    let arg = rest.get(next).cloned();
                    if arg.is_some() {
                        next += 1;
                        used = true;
                    }
                    let arg_s = arg.clone().unwrap_or_default();
                    let num = |ctx: &mut Ctx, status: &mut i32| -> i64 {
                        if arg.is_none() || arg_s.is_empty() {
                            return 0;
                        }
                        let t = arg_s.trim();
                        if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
                            return c.chars().next().map_or(0, |c| c as i64);
                        }
                        match t.parse::<i64>() {
                            Ok(n) => n,
                            Err(_) => {
                                ctx.eprintln(&format!("bash: printf: {arg_s}: invalid number"));
                                *status = 1;
                                0
                            }
                        }
                    };
                    let body: Vec<u8> = match conv {
                        's' => arg_s.clone().into_bytes(),
                        'b' => unescape(&arg_s),
                        'c' => arg_s
                            .chars()
                            .next()
                            .map(|c| c.to_string().into_bytes())
                            .unwrap_or_default(),
                        'd' | 'i' => num(ctx, &mut status).to_string().into_bytes(),
                        'u' => (num(ctx, &mut status) as u64).to_string().into_bytes(),
                        'x' => format!("{:x}", num(ctx, &mut status)).into_bytes(),
                        'X' => format!("{:X}", num(ctx, &mut status)).into_bytes(),
                        'o' => format!("{:o}", num(ctx, &mut status)).into_bytes(),
                        other => {
                            ctx.eprintln(&format!(
                                "bash: printf: `{other}': invalid format character"
                            ));
                            return 1;
                        }
                    };
                    ctx.out.extend(pad(body, left, zero && conv != 's', width));
                    i = j + 1;
                }
                ch => {
                    let mut buf = [0u8; 4];
                    ctx.out
                        .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    i += 1;
                }
            }
        }
        if !used || next >= rest.len() {
            break;
        }
    }
    status
}
