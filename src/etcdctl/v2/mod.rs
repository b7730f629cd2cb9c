//! etcdctl 3.4 under `ETCDCTL_API=2`: the v2 command set (a urfave/cli app, with its own
//! help, usage and error texts), talking to the cluster only through [`Cluster::call`].
//!
//! Entry: [`run`] runs one command line (the words after `etcdctl`) and answers either the
//! finished [`Output`] or, for `watch` / `exec-watch`, a [`WatchTask`] the console polls as
//! simulated time passes and drops on Ctrl+C (etcdctl exits 0 on SIGINT, printing nothing).
//!
//! Owns: `src/etcdctl/v2/`. Must not touch: the v3 command set, the cluster's internals.

pub mod auth;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod keys;
pub mod printer;
pub mod watch;

use cli::{
    find_command, parse_flags, reorder, CommandDef, FlagDef, Parsed, COMMANDS, GLOBAL_FLAGS,
    HELP_FLAG,
};
use client::{Ctx, Exit};

pub use watch::WatchTask;

use crate::cluster::Cluster;
use crate::process::Output;

/// How an API 2 command line ended up.
#[derive(Debug)]
pub enum Outcome {
    /// It ran to its end.
    Done(Output),
    /// It keeps running (a watch): what it printed so far, and the task to poll.
    Running(Output, WatchTask),
}

/// Runs `etcdctl ARGS...` with `ETCDCTL_API=2`. `env` looks up environment variables
/// (`ETCDCTL_ENDPOINTS`, `ETCDCTL_USERNAME`, ...); `stdin` is what is typed at the terminal
/// (`None`: nothing, stdin at end of input).
pub fn run(
    cluster: &mut dyn Cluster,
    args: &[String],
    env: &dyn Fn(&str) -> Option<String>,
    stdin: Option<&str>,
    version: crate::api::EtcdVersion,
) -> Outcome {
    let mut out = String::new();
    let mut err = String::new();
    let globals: Vec<&FlagDef> = GLOBAL_FLAGS.iter().collect();
    let g = match parse_flags(&globals, args) {
        Ok(g) => g,
        Err(e) => {
            out.push_str(&format!("Incorrect Usage. {}\n\n", e));
            out.push_str(&cli::app_help(version));
            err.push_str(&format!("{}\n", e));
            return Outcome::Done(Output {
                stdout: out,
                stderr: err,
                exit: 1,
                edit: None,
                order: Vec::new(),
            });
        }
    };
    if g.bool("help") {
        return done(cli::app_help(version), String::new(), 0);
    }
    if g.bool("version") {
        return done(
            format!("etcdctl version: {}\nAPI version: 2\n", version.full()),
            String::new(),
            0,
        );
    }
    let rest = g.args.clone();
    let Some(name) = rest.first().cloned() else {
        return done(cli::app_help(version), String::new(), 0);
    };
    let cmd_args = rest.get(1..).unwrap_or(&[]).to_vec();
    if name == "help" || name == "h" {
        return match cmd_args.first() {
            None => done(cli::app_help(version), String::new(), 0),
            Some(topic) => match find_command(COMMANDS, topic) {
                Some(c) => done(cli::command_help(None, c), String::new(), 0),
                None => done(String::new(), format!("No help topic for '{}'\n", topic), 3),
            },
        };
    }
    let Some(c) = find_command(COMMANDS, &name) else {
        return done(String::new(), format!("No help topic for '{}'\n", name), 3);
    };
    let mut ctx = Ctx::new(cluster, g, env, stdin);
    ctx.version = version;
    let result = if c.subcommands.is_empty() {
        run_leaf(&mut ctx, None, c, &cmd_args)
    } else {
        run_group(&mut ctx, c, &cmd_args)
    };
    match result {
        Ok(Some(task)) => {
            let o = Output {
                stdout: ctx.out,
                stderr: ctx.err,
                exit: 0,
                edit: None,
                order: Vec::new(),
            };
            let mut task = task;
            let (first, status) = task.poll(ctx.cluster);
            let o = Output {
                stdout: o.stdout + &first.stdout,
                stderr: o.stderr + &first.stderr,
                exit: status.unwrap_or(0),
                edit: None,
                order: Vec::new(),
            };
            match status {
                Some(_) => Outcome::Done(o),
                None => Outcome::Running(o, task),
            }
        }
        Ok(None) => Outcome::Done(Output {
            stdout: ctx.out,
            stderr: ctx.err,
            exit: 0,
            edit: None,
            order: Vec::new(),
        }),
        Err(code) => Outcome::Done(Output {
            stdout: ctx.out,
            stderr: ctx.err,
            exit: code,
            edit: None,
            order: Vec::new(),
        }),
    }
}

fn done(stdout: String, stderr: String, exit: i32) -> Outcome {
    Outcome::Done(Output {
        stdout,
        stderr,
        exit,
        edit: None,
        order: Vec::new(),
    })
}

/// A command with subcommands (`member`, `user`, `role`, `auth`): a urfave sub-app.
fn run_group(
    ctx: &mut Ctx,
    c: &'static CommandDef,
    args: &[String],
) -> Result<Option<WatchTask>, Exit> {
    let flags: Vec<&FlagDef> = vec![&HELP_FLAG];
    let p = match parse_flags(&flags, args) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.push_str(&format!("Incorrect Usage. {}\n\n", e));
            ctx.out.push_str(&cli::subcommand_help(c));
            ctx.err.push_str(&format!("{}\n", e));
            return Err(1);
        }
    };
    if p.bool("help") {
        ctx.out.push_str(&cli::subcommand_help(c));
        return Ok(None);
    }
    let Some(sub) = p.args.first().cloned() else {
        ctx.out.push_str(&cli::subcommand_help(c));
        return Ok(None);
    };
    let sub_args = p.args.get(1..).unwrap_or(&[]).to_vec();
    if sub == "help" || sub == "h" {
        match sub_args.first() {
            None => ctx.out.push_str(&cli::subcommand_help(c)),
            Some(topic) => match find_command(c.subcommands, topic) {
                Some(sc) => ctx.out.push_str(&cli::command_help(Some(c.name), sc)),
                None => {
                    ctx.err
                        .push_str(&format!("No help topic for '{}'\n", topic));
                    return Err(3);
                }
            },
        }
        return Ok(None);
    }
    match find_command(c.subcommands, &sub) {
        Some(sc) => run_leaf(ctx, Some(c.name), sc, &sub_args),
        None => {
            ctx.err.push_str(&format!("No help topic for '{}'\n", sub));
            Err(3)
        }
    }
}

/// One command: urfave's reordering, Go flag parsing, `--help`, then the action.
fn run_leaf(
    ctx: &mut Ctx,
    parent: Option<&'static str>,
    c: &'static CommandDef,
    args: &[String],
) -> Result<Option<WatchTask>, Exit> {
    let mut flags: Vec<&FlagDef> = c.flags.iter().collect();
    flags.push(&HELP_FLAG);
    let p: Parsed = match parse_flags(&flags, &reorder(&flags, args)) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.push_str(&format!("Incorrect Usage: {}\n\n", e));
            ctx.out.push_str(&cli::command_help(parent, c));
            ctx.err.push_str(&format!("{}\n", e));
            return Err(1);
        }
    };
    if p.bool("help") {
        ctx.out.push_str(&cli::command_help(parent, c));
        return Ok(None);
    }
    match (parent, c.name) {
        (None, "set") => keys::set(ctx, &p)?,
        (None, "get") => keys::get(ctx, &p)?,
        (None, "mk") => keys::mk(ctx, &p)?,
        (None, "mkdir") => keys::dir(ctx, &p, Some(false))?,
        (None, "setdir") => keys::dir(ctx, &p, None)?,
        (None, "updatedir") => keys::dir(ctx, &p, Some(true))?,
        (None, "update") => keys::update(ctx, &p)?,
        (None, "rm") => keys::rm(ctx, &p, false)?,
        (None, "rmdir") => keys::rm(ctx, &p, true)?,
        (None, "ls") => keys::ls(ctx, &p)?,
        (None, "watch") => return WatchTask::start(ctx, &p, false).map(Some),
        (None, "exec-watch") => return WatchTask::start(ctx, &p, true).map(Some),
        (None, "cluster-health") => cluster::cluster_health(ctx, &p)?,
        (None, "backup") => {
            ctx.err.push_str(
                "backup is not available in the playground (there is no data directory)\n",
            );
            return Err(1);
        }
        (Some("member"), "list") => cluster::member_list(ctx, &p)?,
        (Some("member"), "add") => cluster::member_add(ctx, &p)?,
        (Some("member"), "remove") => cluster::member_remove(ctx, &p)?,
        (Some("member"), "update") => cluster::member_update(ctx, &p)?,
        (Some("user"), sub) => auth::user(ctx, sub, &p)?,
        (Some("role"), sub) => auth::role(ctx, sub, &p)?,
        (Some("auth"), sub) => auth::auth(ctx, sub, &p)?,
        _ => {}
    }
    Ok(None)
}
