//! `etcdplay`: the playground's console natively. No arguments: a REPL on stdin.
//! `etcdplay transcript FILE`: run a conformance scenario and print its transcript.

use std::io::{BufRead, Write};
use std::time::Duration;

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
    repl();
}

fn repl() {
    let mut labs = Labs::new(1);
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout();
    loop {
        let _ = write!(out, "{} ", labs.playground().prompt());
        let _ = out.flush();
        let Some(Ok(mut line)) = lines.next() else {
            break;
        };
        // `\` at the end of a line continues the command (the shell drops `\`+newline)
        while etcd_playground::playground::input::continues(&line) {
            match lines.next() {
                Some(Ok(more)) => {
                    line.push('\n');
                    line.push_str(&more);
                }
                _ => break,
            }
        }
        let (body, timeout) = transcript::split_timeout(&line);
        let mut block = None;
        if let Some(pos) = body.rfind("<<") {
            let term = body[pos + 2..]
                .trim()
                .trim_matches(|c| c == '\'' || c == '"')
                .to_string();
            let mut b = String::new();
            for l in lines.by_ref() {
                let Ok(l) = l else { break };
                if l == term {
                    break;
                }
                b.push_str(&l);
                b.push('\n');
            }
            block = Some(b);
        }
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
}
