//! `watch` and `exec-watch` under API 2: a long poll by index (`waitIndex`), repeated after
//! every event with the next index, until the command is interrupted (or, without
//! `--forever`, after the first event). In the playground the poll is a [`WatchTask`] that the
//! console polls as simulated time passes.

use super::cli::Parsed;
use super::client::{Ctx, Exit, EXIT_SERVER_ERROR};
use super::printer::print_response_key;
use crate::api::v2::{Credentials, KeysRequest, Method, V2Op, V2Response};
use crate::cluster::Cluster;
use crate::process::Output;

/// A watch in progress.
#[derive(Clone, Debug)]
pub struct WatchTask {
    key: String,
    recursive: bool,
    forever: bool,
    /// `exec-watch`: the command run for each event.
    exec: Option<Vec<String>>,
    since: u64,
    start_index: u64,
    global: Parsed,
    endpoints: Vec<String>,
    credentials: Option<Credentials>,
    finished: Option<i32>,
}

fn no_env(_: &str) -> Option<String> {
    None
}

impl WatchTask {
    /// `watch`: sets up the task after the client is connected.
    pub fn start(ctx: &mut Ctx, p: &Parsed, exec: bool) -> Result<WatchTask, Exit> {
        ctx.connect(true)?;
        let (key, cmd) = if exec {
            let args = &p.args;
            if args.len() < 2 {
                return Err(ctx.fail(1, "key and command to exec required"));
            }
            let found_sep = args.iter().enumerate().any(|(i, a)| a == "--" && i != 0);
            if found_sep {
                (
                    args.first().cloned().unwrap_or_default(),
                    Some(args.get(2..).unwrap_or(&[]).to_vec()),
                )
            } else {
                let n = args.len();
                (
                    args.get(n - 1).cloned().unwrap_or_default(),
                    Some(args.get(..n - 1).unwrap_or(&[]).to_vec()),
                )
            }
        } else {
            match p.args.first() {
                Some(k) => (k.clone(), None),
                None => return Err(ctx.fail(1, "key required")),
            }
        };
        let after = p.int("after-index");
        Ok(WatchTask {
            key: crate::api::v2::path::clean(&key),
            recursive: p.bool("recursive"),
            forever: exec || p.bool("forever"),
            exec: cmd,
            since: if after > 0 { after as u64 + 1 } else { 0 },
            start_index: 0,
            global: ctx.global.clone(),
            endpoints: ctx.endpoints.clone(),
            credentials: ctx.credentials.clone(),
            finished: None,
        })
    }

    /// Asks the member for what has happened; prints every event found. Returns the output
    /// and, once the command has ended by itself, its exit status.
    pub fn poll(&mut self, cluster: &mut dyn Cluster) -> (Output, Option<i32>) {
        if let Some(code) = self.finished {
            return (Output::default(), Some(code));
        }
        let env = no_env;
        let mut ctx = Ctx::new(cluster, self.global.clone(), &env, None);
        ctx.endpoints = self.endpoints.clone();
        ctx.credentials = self.credentials.clone();
        let mut status = None;
        for _ in 0..1000 {
            let k = KeysRequest {
                method: Method::Get,
                path: self.key.clone(),
                recursive: self.recursive,
                wait: true,
                since: self.since,
                watch_start_index: self.start_index,
                ..Default::default()
            };
            let e = match ctx.send(V2Op::Keys(k)) {
                Ok(V2Response::Watch {
                    event: None,
                    since,
                    start_index,
                }) => {
                    self.since = since;
                    self.start_index = start_index;
                    break;
                }
                Ok(V2Response::Watch { event: Some(e), .. }) => e,
                Ok(V2Response::Error(e)) => {
                    status = Some(ctx.fail(EXIT_SERVER_ERROR, &e.to_string()));
                    break;
                }
                Ok(_) => break,
                Err(e) => {
                    status = Some(ctx.handle_error(EXIT_SERVER_ERROR, &e));
                    break;
                }
            };
            self.since = e.node.modified_index.saturating_add(1);
            self.start_index = 0;
            if e.node.dir {
                if self.exec.is_some() {
                    ctx.err
                        .push_str(&format!("Ignored dir {} change\n", e.node.key));
                }
                continue;
            }
            match &self.exec {
                Some(cmd) => {
                    if let Err(code) = run_exec(&mut ctx, cmd) {
                        status = Some(code);
                        break;
                    }
                }
                None => {
                    if self.recursive {
                        ctx.out
                            .push_str(&format!("[{}] {}\n", e.action, e.node.key));
                    }
                    let f = ctx.output_format();
                    let (o, er) = print_response_key(&e, &f);
                    ctx.out.push_str(&o);
                    ctx.err.push_str(&er);
                    if !self.forever {
                        status = Some(0);
                        break;
                    }
                }
            }
        }
        self.finished = status;
        let out = Output {
            stdout: std::mem::take(&mut ctx.out),
            stderr: std::mem::take(&mut ctx.err),
            exit: status.unwrap_or(0),
            edit: None,
            order: Vec::new(),
        };
        (out, status)
    }
}

/// The commands an exec-watch can run here: `echo`, `true` and `false` (there is no shell).
fn run_exec(ctx: &mut Ctx, cmd: &[String]) -> Result<(), Exit> {
    match cmd.first().map(String::as_str) {
        Some("echo") => {
            ctx.out.push_str(&cmd.get(1..).unwrap_or(&[]).join(" "));
            ctx.out.push('\n');
            Ok(())
        }
        Some("true") | Some("false") => Ok(()),
        Some(other) => {
            ctx.err.push_str(&format!(
                "exec: {:?}: executable file not found in $PATH",
                other
            ));
            Err(1)
        }
        None => Ok(()),
    }
}
