//! `etcdplay`: the playground's console natively. No arguments: a REPL on stdin.
//! `etcdplay transcript FILE`: run a conformance scenario and print its transcript.
//! `etcdplay --etcd 3.5 …` (or `ETCDPLAY_ETCD=3.5`): the same with etcd 3.5.1.
//! `etcdplay --endpoints URL[,URL…] …`: the REPL (or `transcript FILE`) with its etcdctl
//! lines going to the real etcd at URL, through etcd's HTTP/JSON gateway (plain http).
//! `etcdplay lessons [--verify [DIR]]`: list the lessons, or verify them (those compiled in,
//! or the `*.md` files of DIR).

use std::io::{BufRead, Write};
use std::time::Duration;

use etcd_playground::playground::input;
use etcd_playground::playground::lab::Labs;
use etcd_playground::playground::terminal::Want;
use etcd_playground::playground::{EtcdVersion, Playground};
use etcd_playground::transcript;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (version, endpoints) = match leading_flags(&mut args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("etcdplay: {e}");
            std::process::exit(2);
        }
    };
    #[cfg(not(target_arch = "wasm32"))]
    etcd_playground::playground::remote::set_connector(etcd_playground::gateway::connect::native);
    let mut labs = Labs::with_version(1, version);
    if let Some(eps) = endpoints {
        if let Err(e) = connect(&mut labs, eps) {
            eprintln!("etcdplay: {e}");
            std::process::exit(2);
        }
    }
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
        print!("{}", transcript::run_scenario_in(&mut labs, &steps, false));
        return;
    }
    if args.first().map(|s| s.as_str()) == Some("lessons") {
        std::process::exit(lessons(&args[1..]));
    }
    repl(labs);
}

/// Sends the console's etcdctl lines to the real cluster at `endpoints`, through its HTTP/JSON
/// gateway.
#[cfg(not(target_arch = "wasm32"))]
fn connect(labs: &mut Labs, endpoints: Vec<String>) -> Result<(), String> {
    let cluster = Box::new(etcd_playground::gateway::http_cluster());
    labs.playground().connect(cluster, endpoints)
}

#[cfg(target_arch = "wasm32")]
fn connect(_labs: &mut Labs, _endpoints: Vec<String>) -> Result<(), String> {
    Err("--endpoints needs the native etcdplay (it speaks HTTP)".to_string())
}

/// The flags before the subcommand: `--etcd V` and `--endpoints URL[,URL…]` (each also as
/// `--NAME=VALUE`), taken out of `args`.
fn leading_flags(args: &mut Vec<String>) -> Result<(EtcdVersion, Option<Vec<String>>), String> {
    let mut version = None;
    let mut endpoints = None;
    while let Some(first) = args.first().cloned() {
        let (name, value) = match first.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (first.clone(), None),
        };
        if name != "--etcd" && name != "--endpoints" {
            break;
        }
        let taken = if value.is_some() { 1 } else { 2 };
        let Some(value) = value.or_else(|| args.get(1).cloned()) else {
            return Err(format!("{name} needs a value"));
        };
        args.drain(..taken);
        if name == "--etcd" {
            version = Some(value);
        } else {
            let eps: Vec<String> = value
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_string)
                .collect();
            if eps.is_empty() {
                return Err("--endpoints needs at least one URL (http://HOST:PORT)".to_string());
            }
            endpoints = Some(eps);
        }
    }
    Ok((etcd_version(version)?, endpoints))
}

/// The etcd release to run: `--etcd V` (or `--etcd=V`) before the subcommand, else the
/// environment's `ETCDPLAY_ETCD`, else 3.4.23.
fn etcd_version(flag: Option<String>) -> Result<EtcdVersion, String> {
    let given = flag.or_else(|| {
        std::env::var("ETCDPLAY_ETCD")
            .ok()
            .filter(|v| !v.is_empty())
    });
    match given {
        None => Ok(EtcdVersion::default()),
        Some(v) => {
            EtcdVersion::parse(&v).ok_or_else(|| format!("unknown etcd version '{v}' (3.4 or 3.5)"))
        }
    }
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

/// The lines a command that reads the terminal (`etcdctl txn -i`, a password prompt) takes
/// from the REPL's input, as a shell's command reads the shell's stdin: up to the line after
/// which it no longer reads, or the end of input (Ctrl+D at a terminal). At a terminal its
/// prompts print as it waits, and a password is read with the echo off. Also says how much
/// of the command's output the terminal already shows (prompts and echoed lines).
fn read_typed(
    p: &Playground,
    line: &str,
    lines: &mut impl Iterator<Item = String>,
    interactive: bool,
) -> Option<(String, usize)> {
    let mut r = p.terminal_probe(line, "")?;
    r.want?;
    let mut typed = String::new();
    let mut shown = 0;
    let mut out = std::io::stdout();
    loop {
        let password = r.want == Some(Want::Password);
        if interactive {
            let _ = write!(out, "{}", r.shown.get(shown..).unwrap_or(""));
            let _ = out.flush();
            shown = r.shown.len();
            if password {
                stty("-echo");
            }
        }
        let next = lines.next();
        if interactive && password {
            stty("echo");
        }
        let Some(l) = next else {
            break;
        };
        typed.push_str(&l);
        typed.push('\n');
        if interactive && !password {
            // the terminal echoed it
            shown += l.len() + 1;
        }
        match p.terminal_probe(line, &typed) {
            Some(next) if next.want.is_some() => r = next,
            _ => break,
        }
    }
    Some((typed, shown))
}

/// Turns the terminal's echo off or on again (as etcdctl's password prompt does).
fn stty(arg: &str) {
    let _ = std::process::Command::new("stty")
        .arg(arg)
        .stdin(std::process::Stdio::inherit())
        .status();
}

/// A running command that reads its terminal (`etcdctl watch -i`) takes the lines that
/// follow until it ends or the input does: each line, then what the command printed while
/// `timeout` of simulated time passed.
fn feed_running_job(
    p: &mut etcd_playground::playground::Playground,
    lines: &mut InputLines<impl BufRead>,
    timeout: Duration,
) {
    while p.job_reads_input() {
        let line = lines.next();
        let o = p.feed_job(line.as_deref());
        // at a terminal the line was echoed as it was typed; from a pipe nothing echoes it
        let echo = line.as_ref().map_or(0, |l| l.len() + 1);
        print!("{}", o.stdout.get(echo..).unwrap_or(&o.stdout));
        eprint!("{}", o.stderr);
        if line.is_none() || !p.is_running() {
            return;
        }
        let more = p.poll(timeout);
        print!("{}", more.stdout);
        eprint!("{}", more.stderr);
    }
}

fn repl(mut labs: Labs) {
    let stdin = std::io::stdin();
    let mut lines = InputLines {
        input: stdin.lock(),
        failed: false,
    };
    let mut out = std::io::stdout();
    // prompts are for a person at a terminal: read from a pipe, only the answers print
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin());
    if let (true, Some(eps)) = (interactive, labs.playground().connected()) {
        eprintln!(
            "connected to the real etcd at {} (etcdctl lines go to it, through its JSON gateway)",
            eps.join(",")
        );
    }
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
        let timeout = Duration::from_secs_f64(timeout.unwrap_or(5.0));
        let typed = match block {
            None => read_typed(labs.playground(), body, &mut lines, interactive),
            Some(_) => None,
        };
        let (o, _) = match &typed {
            // at a terminal the command's prompts and the echoed lines are already shown
            Some((t, _)) if interactive => labs.playground().run_typed_bounded(body, t, timeout),
            Some((t, _)) => labs.playground().run_bounded(body, Some(t), timeout),
            None => labs.run_bounded(body, block.as_deref(), timeout),
        };
        let shown = typed.map_or(0, |(_, n)| n);
        print!("{}", o.stdout.get(shown..).unwrap_or(&o.stdout));
        eprint!("{}", o.stderr);
        feed_running_job(labs.playground(), &mut lines, timeout);
        let p = labs.playground();
        for h in p.hints().iter().chain(p.requests()) {
            eprintln!("\x1b[2m{}\x1b[0m", h);
        }
    }
    if lines.failed {
        std::process::exit(1);
    }
}
