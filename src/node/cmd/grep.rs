//! `grep [-E|-F] [-i] [-n] [-r] [-v] [-c] [-l] [-q] [-w] [-x] [-o] [-h|-H] [-e PAT]... PAT
//! [FILE...]` as GNU grep 3.8 prints it (file prefixes, binary files, exit 0/1/2).
//!
//! Owns: grep's options, file walking and output. Must not touch: the regex engine
//! (regex.rs).

use super::{lines, opt_error, parse_opts, shq_if_needed, Ctx};
use crate::node::fs::{join, Errno};
use crate::node::regex::{Regex, Syntax};

struct Opts {
    invert: bool,
    number: bool,
    count: bool,
    list: bool,
    list_without: bool,
    quiet: bool,
    word: bool,
    line: bool,
    only: bool,
    /// Lines of context after and before each selected line (`-A`, `-B`, `-C`).
    after: usize,
    before: usize,
}

pub fn run(args: &[String], ctx: &mut Ctx, extended: bool) -> i32 {
    let p = match parse_opts(
        args,
        "EFGinrRvclLqswxohHIaz",
        "efABC",
        &[
            "extended-regexp",
            "fixed-strings",
            "ignore-case",
            "line-number",
            "recursive",
            "invert-match",
            "count",
            "files-with-matches",
            "quiet",
            "silent",
            "word-regexp",
            "line-regexp",
            "only-matching",
            "regexp",
            "no-filename",
            "with-filename",
            "color",
            "colour",
        ],
    ) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, "grep", e, 2),
    };
    let mut syntax = if extended {
        Syntax::Extended
    } else {
        Syntax::Basic
    };
    let mut fixed = false;
    for (c, _) in &p.flags {
        match c {
            'E' => (syntax, fixed) = (Syntax::Extended, false),
            'F' => fixed = true,
            'G' => (syntax, fixed) = (Syntax::Basic, false),
            _ => {}
        }
    }
    if p.has_long("extended-regexp") {
        syntax = Syntax::Extended;
    }
    fixed |= p.has_long("fixed-strings");
    let icase = p.has('i') || p.has_long("ignore-case");
    let o = Opts {
        invert: p.has('v') || p.has_long("invert-match"),
        number: p.has('n') || p.has_long("line-number"),
        count: p.has('c') || p.has_long("count"),
        list: p.has('l') || p.has_long("files-with-matches"),
        list_without: p.has('L'),
        quiet: p.has('q') || p.has_long("quiet") || p.has_long("silent"),
        word: p.has('w') || p.has_long("word-regexp"),
        line: p.has('x') || p.has_long("line-regexp"),
        only: p.has('o') || p.has_long("only-matching"),
        after: 0,
        before: 0,
    };
    let mut o = o;
    for (c, v) in &p.flags {
        let n = v.as_deref().unwrap_or("");
        if matches!(c, 'A' | 'B' | 'C') {
            let Ok(k) = n.parse::<usize>() else {
                ctx.eprintln(&format!("grep: {}: invalid context length argument", n));
                return 2;
            };
            match c {
                'A' => o.after = k,
                'B' => o.before = k,
                _ => (o.after, o.before) = (k, k),
            }
        }
    }
    let recursive = p.has('r') || p.has('R') || p.has_long("recursive");
    let suppress = p.has('s');
    let mut operands = p.operands.clone();
    let mut patterns: Vec<String> = p
        .flags
        .iter()
        .filter(|(c, _)| *c == 'e')
        .filter_map(|(_, v)| v.clone())
        .chain(
            p.long
                .iter()
                .filter(|(l, _)| l == "regexp")
                .filter_map(|(_, v)| v.clone()),
        )
        .collect();
    for (c, v) in &p.flags {
        if *c == 'f' {
            match v.as_deref().map(|f| ctx.read_file(f)) {
                Some(Ok(data)) => {
                    patterns.extend(String::from_utf8_lossy(&data).lines().map(str::to_string))
                }
                Some(Err(e)) => {
                    ctx.eprintln(&format!("grep: {}: {}", v.as_deref().unwrap_or(""), e));
                    return 2;
                }
                None => {}
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            ctx.eprintln("Usage: grep [OPTION]... PATTERNS [FILE]...");
            super::try_help(ctx, "grep");
            return 2;
        }
        patterns = operands.remove(0).split('\n').map(str::to_string).collect();
    }
    let mut regexes = Vec::new();
    for pat in &patterns {
        let src = if fixed { escape(pat) } else { pat.clone() };
        let syn = if fixed { Syntax::Basic } else { syntax };
        match Regex::new(&src, syn, icase, false) {
            Ok(r) => regexes.push(r),
            Err(e) => {
                ctx.eprintln(&format!("grep: {}", e));
                return 2;
            }
        }
    }
    let no_names = p.has('h') || p.has_long("no-filename");
    let implicit_dot = operands.is_empty() && recursive;
    if operands.is_empty() {
        operands.push(if recursive { ".".into() } else { "-".into() });
    }
    // the files to read, with the name to print
    let mut files: Vec<(String, Result<Vec<u8>, Errno>)> = Vec::new();
    for op in &operands {
        if op == "-" {
            files.push(("(standard input)".into(), Ok(ctx.stdin.to_vec())));
            continue;
        }
        match ctx.existing(op) {
            Ok(c) if recursive && ctx.fs.is_dir(&c) => {
                for path in ctx.fs.walk(&c) {
                    if ctx.fs.is_dir(&path) {
                        continue;
                    }
                    let rel = join(&path[c.len()..]);
                    let name = if implicit_dot {
                        rel.trim_start_matches('/').to_string()
                    } else if op.ends_with('/') {
                        format!("{}{}", op, rel.trim_start_matches('/'))
                    } else {
                        format!("{}{}", op, rel)
                    };
                    let data = ctx.fs.read(&path).map(|d| d.to_vec());
                    files.push((name, data));
                }
            }
            Ok(c) => files.push((op.clone(), ctx.fs.read(&c).map(|d| d.to_vec()))),
            Err(e) => files.push((op.clone(), Err(e))),
        }
    }
    let with_names =
        !no_names && (p.has('H') || p.has_long("with-filename") || files.len() > 1 || recursive);
    let mut any = false;
    let mut error = false;
    // whether a context group was printed (the next one is preceded by `--`)
    let mut printed_group = false;
    for (name, data) in files {
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                if !suppress {
                    ctx.eprintln(&format!("grep: {}: {}", shq_if_needed(&name), e));
                }
                error = true;
                continue;
            }
        };
        let binary = data.contains(&0);
        let all = lines(&data);
        let mut count = 0u64;
        // the selected lines, with their matches
        let mut selected: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        for (k, raw) in all.iter().enumerate() {
            let body = raw.strip_suffix(b"\n").unwrap_or(raw);
            let text: Vec<char> = String::from_utf8_lossy(body).chars().collect();
            let spans = matches(&regexes, &text, &o);
            if spans.is_some() != o.invert {
                count += 1;
                selected.push((k, spans.unwrap_or_default()));
            }
        }
        if count > 0 {
            any = true;
            if o.quiet {
                return 0;
            }
        }
        if !(o.count || o.list || o.list_without) && !selected.is_empty() {
            if binary {
                ctx.eprintln(&format!("grep: {}: binary file matches", name));
            } else {
                print_lines(
                    ctx,
                    &all,
                    &selected,
                    &o,
                    if with_names { Some(&name) } else { None },
                    &mut printed_group,
                );
            }
        }
        if o.count {
            if with_names {
                ctx.print(&format!("{}:{}\n", name, count));
            } else {
                ctx.print(&format!("{}\n", count));
            }
        } else if (o.list && count > 0) || (o.list_without && count == 0) {
            ctx.print(&format!("{}\n", name));
        }
    }
    if error && !(o.quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

/// Prints the selected lines (and their context) of one file.
fn print_lines(
    ctx: &mut Ctx,
    all: &[&[u8]],
    selected: &[(usize, Vec<(usize, usize)>)],
    o: &Opts,
    name: Option<&str>,
    printed_group: &mut bool,
) {
    let prefix = |k: usize, sep: char| {
        let mut s = String::new();
        if let Some(n) = name {
            s.push_str(n);
            s.push(sep);
        }
        if o.number {
            s.push_str(&(k + 1).to_string());
            s.push(sep);
        }
        s
    };
    let context = o.after > 0 || o.before > 0;
    let mut last_printed: Option<usize> = None;
    for (k, spans) in selected {
        let from = k.saturating_sub(o.before);
        let from = last_printed.map_or(from, |l| from.max(l + 1));
        if context
            && (*printed_group || last_printed.is_some())
            && last_printed.is_none_or(|l| from > l + 1)
        {
            ctx.print("--\n");
        }
        for c in from..*k {
            ctx.print(&prefix(c, '-'));
            ctx.out
                .extend_from_slice(all[c].strip_suffix(b"\n").unwrap_or(all[c]));
            ctx.print("\n");
        }
        let body = all[*k].strip_suffix(b"\n").unwrap_or(all[*k]);
        if o.only && !o.invert {
            let text: Vec<char> = String::from_utf8_lossy(body).chars().collect();
            for (a, b) in spans {
                let piece: String = text[*a..*b].iter().collect();
                ctx.print(&format!("{}{}\n", prefix(*k, ':'), piece));
            }
        } else {
            ctx.print(&prefix(*k, ':'));
            ctx.out.extend_from_slice(body);
            ctx.print("\n");
        }
        last_printed = Some(*k);
        *printed_group = true;
        // trailing context up to the next selected line
        let next = selected
            .iter()
            .find(|(n, _)| n > k)
            .map(|(n, _)| *n)
            .unwrap_or(usize::MAX);
        let end = (k + o.after).min(all.len().saturating_sub(1));
        for c in k + 1..=end {
            if c >= next {
                break;
            }
            ctx.print(&prefix(c, '-'));
            ctx.out
                .extend_from_slice(all[c].strip_suffix(b"\n").unwrap_or(all[c]));
            ctx.print("\n");
            last_printed = Some(c);
        }
    }
}

/// The non-empty matches of any pattern in a line (as spans), or None if none match.
fn matches(regexes: &[Regex], text: &[char], o: &Opts) -> Option<Vec<(usize, usize)>> {
    let mut spans = Vec::new();
    for re in regexes {
        let mut from = 0;
        while from <= text.len() {
            let Some(caps) = re.find_at(text, from) else {
                break;
            };
            let Some((a, b)) = caps[0] else { break };
            let ok = if o.line {
                a == 0 && b == text.len()
            } else if o.word {
                let before = a > 0 && is_word(text[a - 1]);
                let after = b < text.len() && is_word(text[b]);
                !before && !after
            } else {
                true
            };
            if ok {
                spans.push((a, b));
                if !o.only {
                    return Some(spans);
                }
            }
            from = if b > a { b } else { a + 1 };
        }
    }
    if spans.is_empty() {
        None
    } else {
        crate::sort::sort(&mut spans);
        // `-o` prints non-empty matches only
        spans.retain(|(a, b)| b > a);
        Some(spans)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A fixed string as a basic regular expression.
fn escape(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        if "\\.[]*^$".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}
