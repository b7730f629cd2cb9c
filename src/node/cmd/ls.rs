//! `ls [-l] [-a|-A] [-d] [-1] [FILE...]` as GNU ls prints when its output is not a terminal:
//! one name a line, `-l` with `total`, aligned columns and the six-months date rule.
//!
//! Owns: ls's listing order, long format and messages. Must not touch: the filesystem's
//! contents.

use super::{opt_error, parse_opts, shq, Ctx};
use crate::node::fs::Stat;
use crate::node::time::ls_date;

struct Entry {
    name: String,
    st: Stat,
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let p = match parse_opts(
        args,
        "laAd1hrtRSFp",
        "",
        &["all", "almost-all", "directory"],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "ls", e, 2),
    };
    let long = p.has('l');
    let all = p.has('a') || p.has_long("all");
    let almost = !all && (p.has('A') || p.has_long("almost-all"));
    let dir_itself = p.has('d') || p.has_long("directory");
    let ops = if p.operands.is_empty() {
        vec![".".to_string()]
    } else {
        p.operands.clone()
    };
    let mut status = 0;
    let mut files: Vec<Entry> = Vec::new();
    let mut dirs: Vec<(String, Vec<String>)> = Vec::new();
    for op in &ops {
        match ctx.existing(op) {
            Ok(c) => {
                let st = match ctx.fs.stat(&c) {
                    Ok(s) => s,
                    Err(_) => continue,
                };
                if st.is_dir && !dir_itself {
                    dirs.push((op.clone(), c));
                } else {
                    files.push(Entry {
                        name: op.clone(),
                        st,
                    });
                }
            }
            Err(e) => {
                ctx.eprintln(&format!("ls: cannot access {}: {}", shq(op), e));
                status = 2;
            }
        }
    }
    crate::sort::sort_by(&mut files, |a, b| a.name.cmp(&b.name));
    crate::sort::sort_by(&mut dirs, |a, b| a.0.cmp(&b.0));
    let many = ops.len() > 1;
    let mut first = true;
    if !files.is_empty() {
        print_entries(ctx, &files, long);
        first = false;
    }
    for (name, comps) in &dirs {
        let mut entries: Vec<Entry> = Vec::new();
        if all {
            if let Ok(st) = ctx.fs.stat(comps) {
                entries.push(Entry {
                    name: ".".into(),
                    st,
                });
            }
            let parent = &comps[..comps.len().saturating_sub(1)];
            if let Ok(st) = ctx.fs.stat(parent) {
                entries.push(Entry {
                    name: "..".into(),
                    st,
                });
            }
        }
        if let Ok(list) = ctx.fs.list(comps) {
            for (n, st) in list {
                if n.starts_with('.') && !all && !almost {
                    continue;
                }
                entries.push(Entry { name: n, st });
            }
        }
        if !first {
            ctx.print("\n");
        }
        first = false;
        if many {
            ctx.print(&format!("{}:\n", name));
        }
        if long {
            let total: u64 = entries.iter().map(|e| e.st.blocks_1k()).sum();
            ctx.print(&format!("total {}\n", total));
        }
        print_entries(ctx, &entries, long);
    }
    status
}

fn print_entries(ctx: &mut Ctx, entries: &[Entry], long: bool) {
    if !long {
        for e in entries {
            ctx.print(&format!("{}\n", e.name));
        }
        return;
    }
    let now = ctx.now;
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                mode_string(&e.st),
                e.st.nlink.to_string(),
                ctx.fs.user_name(e.st.uid),
                ctx.fs.group_name(e.st.gid),
                e.st.size.to_string(),
                ls_date(e.st.mtime, now),
            ]
        })
        .collect();
    let w = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
    let (w1, w2, w3, w4) = (w(1), w(2), w(3), w(4));
    for (r, e) in rows.iter().zip(entries) {
        ctx.print(&format!(
            "{} {:>w1$} {:<w2$} {:<w3$} {:>w4$} {} {}\n",
            r[0], r[1], r[2], r[3], r[4], r[5], e.name
        ));
    }
}

/// `drwxr-xr-x` / `-rw-r--r--`.
pub fn mode_string(st: &Stat) -> String {
    let mut s = String::with_capacity(10);
    s.push(if st.is_dir { 'd' } else { '-' });
    for shift in [6u32, 3, 0] {
        let bits = (st.mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    if st.mode & 0o1000 != 0 {
        s.pop();
        s.push(if st.mode & 1 != 0 { 't' } else { 'T' });
    }
    s
}
