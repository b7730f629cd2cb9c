//! `strings [-n N] [FILE...]` as binutils prints it: every run of at least N (4) printable
//! characters (tab included), one per line.
//!
//! Owns: strings' scanning. Must not touch: anything else.

use super::Ctx;

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let mut min = 4usize;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let n = if a == "-n" || a == "--bytes" {
            i += 1;
            args.get(i - 1).cloned()
        } else if let Some(v) = a.strip_prefix("--bytes=") {
            Some(v.to_string())
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            Some(a[1..].to_string())
        } else if a == "-a" || a == "--all" {
            continue;
        } else if a.starts_with('-') && a != "-" {
            ctx.eprintln(&format!(
                "strings: this playground's strings knows -n N, not {a}"
            ));
            return 1;
        } else {
            files.push(a.to_string());
            continue;
        };
        match n.as_deref().map(str::parse::<usize>) {
            Some(Ok(v)) if v > 0 => min = v,
            _ => {
                ctx.eprintln(&format!(
                    "strings: invalid minimum string length {}",
                    n.unwrap_or_default()
                ));
                return 1;
            }
        }
    }
    let mut status = 0;
    let mut blobs = Vec::new();
    if files.is_empty() {
        blobs.push(ctx.stdin.to_vec());
    }
    for f in &files {
        match ctx.read_file(f) {
            Ok(d) => blobs.push(d),
            Err(crate::node::fs::Errno::IsDir) => {
                ctx.eprintln(&format!("strings: Warning: '{f}' is a directory"));
                status = 1;
            }
            Err(_) => {
                ctx.eprintln(&format!("strings: '{f}': No such file"));
                status = 1;
            }
        }
    }
    let mut out = Vec::new();
    for data in blobs {
        let mut run: Vec<u8> = Vec::new();
        for &b in data.iter().chain(std::iter::once(&0u8)) {
            if (0x20..0x7f).contains(&b) || b == b'\t' {
                run.push(b);
            } else {
                if run.len() >= min {
                    out.extend_from_slice(&run);
                    out.push(b'\n');
                }
                run.clear();
            }
        }
    }
    ctx.out.extend_from_slice(&out);
    status
}
