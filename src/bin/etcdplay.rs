//! `etcdplay`: the playground's console natively. No arguments: a REPL on stdin.
//! `etcdplay transcript FILE`: run a conformance scenario and print its transcript.
//! `etcdplay lessons [--verify [DIR]]`: list the lessons, or verify them (those compiled in,
//! or the `*.md` files of DIR).

use std::io::{BufRead, Write};
use std::time::Duration;

use etcd_playground::playground::input;
use etcd_playground::playground::lab::Labs;
use etcd_playground::transcript;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(|s| s.as_str()) == Some("transcript") {
        let Some(path) = args.get(1) else {
            eprintln!("usage: etcdplay transcript FILE");
            std::process::exit(2);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("etcdplay: {}: {}", path, e);
                std::process::exit(1);
            }
        };
        let steps = match transcript::parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("etcdplay: {}: {}", path, e);
                std::process::exit(1);
            }
        };
        print!("{}", transcript::run_scenario(&steps, 1));
        return;
    }
    if args.first().map(|s| s.as_str()) == Some("lessons") {
        std::process::exit(lessons(&args[1..]));
    }
    repl();
}

/// `etcdplay lessons`: the list; `--verify [DIR]`: the verification (exit 1 on a failure).
fn lessons(args: &[String]) -> i32 {
    use etcd_playground::playground::lesson::{self, verify, Kind};
    match args {
        [] => {
            for l in lesson::catalog() {
                let kind = match l.kind {
                    Kind::Lesson => "lesson",
                    Kind::Challenge => "challenge",
                };
                println!("{:<24} {:<9} {:<13} {}", l.id, kind, l.lab.name(), l.title);
            }
            0
        }
        [v] if v == "--verify" => report(verify::verify_catalog()),
        [v, dir] if v == "--verify" => {
            let mut files = Vec::new();
            let entries = match std::fs::read_dir(dir) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("etcdplay: {dir}: {e}");
                    return 1;
                }
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".md") || name == "README.md" {
                    continue;
                }
                match std::fs::read_to_string(e.path()) {
                    Ok(t) => files.push((name, t)),
                    Err(err) => {
                        eprintln!("etcdplay: {}: {err}", e.path().display());
                        return 1;
                    }
                }
            }
            files.sort();
            report(verify::verify_files(&files))
        }
        _ => {
            eprintln!("usage: etcdplay lessons [--verify [DIR]]");
            2
        }
    }
}

fn report(r: etcd_playground::playground::lesson::verify::Report) -> i32 {
    print!("{}", r.text());
    if r.ok() {
        0
    } else {
        1
    }
}

/// The lines of stdin as the REPL reads them: without their `\n` (or `\r\n`), bytes that are
/// not UTF-8 replaced by U+FFFD (bash would run them as they are; the playground's commands
/// are text). A read error ends the input with a message and exit status 1.
struct InputLines<R> {
    input: R,
    failed: bool,
}

impl<R: BufRead> Iterator for InputLines<R> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let mut buf = Vec::new();
        match self.input.read_until(b'\n', &mut buf) {
            Ok(0) => None,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                Some(String::from_utf8_lossy(&buf).into_owned())
            }
            Err(e) => {
                eprintln!("etcdplay: stdin: {e}");
                self.failed = true;
                None
            }
        }
    }
}

fn repl() {
    let mut labs = Labs::new(1);
    let stdin = std::io::stdin();
    let mut lines = InputLines {
        input: stdin.lock(),
        failed: false,
    };
    let mut out = std::io::stdout();
    // prompts are for a person at a terminal: read from a pipe, only the answers print
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin());
    loop {
        if interactive {
            let _ = write!(out, "{} ", labs.playground().prompt());
            let _ = out.flush();
        }
        let Some(mut line) = lines.next() else {
            break;
        };
        // `\` at the end of a line continues the command (the shell drops `\`+newline)
        while input::continues(&line) {
            match lines.next() {
                Some(more) => {
                    line.push('\n');
                    line.push_str(&more);
                }
                None => break,
            }
        }
        let (body, timeout) = transcript::split_timeout(&line);
        let block = input::heredoc_terminator(body).map(|term| {
            let mut b = String::new();
            for l in lines.by_ref() {
                if l == term {
                    break;
                }
                b.push_str(&l);
                b.push('\n');
            }
            b
        });
        let (o, _) = labs.run_bounded(
            body,
            block.as_deref(),
            Duration::from_secs_f64(timeout.unwrap_or(5.0)),
        );
        print!("{}", o.stdout);
        eprint!("{}", o.stderr);
        let p = labs.playground();
        for h in p.hints().iter().chain(p.requests()) {
            eprintln!("\x1b[2m{}\x1b[0m", h);
        }
    }
    if lines.failed {
        std::process::exit(1);
    }
}
