//! The node shell: what a learner's `bash` does on a node, over the virtual filesystem —
//! parse a line, expand its words, run pipelines with `&&`/`||`/`;`, apply redirections
//! and here-documents, keep the working directory, `$?` and exported variables, and run
//! the builtins `cd`, `pwd`, `export`, `unset`, `true`, `false`. Commands it does not know
//! go to an `External` runner (etcdctl, kubectl, crictl, systemctl… belong to the lab);
//! what nobody knows is `bash: NAME: command not found`, exit 127.
//!
//! Owns: the shell's state and its error texts. Must not touch: the commands' own logic
//! (`node::cmd`), the lab's programs.

pub mod expand;
pub mod lexer;

use crate::node::cmd::{self, Ctx};
use crate::node::fs::{join, Components, Errno, Fs, Millis};
use expand::{expand_heredoc, expand_word, Env};
use lexer::{parse, Join, Redirect, Simple};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a command line printed and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
    /// The order the two streams reached the terminal: (stderr?, bytes) runs, command by
    /// command (a command's stderr before its stdout).
    pub order: Vec<(bool, usize)>,
}

impl Output {
    fn ordered(&mut self, err: bool, n: usize) {
        crate::process::push_run(&mut self.order, err, n);
    }
}

/// A program the node shell does not implement: it gets the words, the environment and
/// the same context as the node's commands (filesystem, cwd, clock, stdin, output buffers).
pub trait External {
    /// Runs `argv`; None if this runner does not know `argv[0]`.
    fn run(
        &mut self,
        argv: &[String],
        env: &BTreeMap<String, String>,
        ctx: &mut Ctx,
    ) -> Option<i32>;
}

/// An `External` that knows nothing.
pub struct NoExternal;

impl External for NoExternal {
    fn run(&mut self, _: &[String], _: &BTreeMap<String, String>, _: &mut Ctx) -> Option<i32> {
        None
    }
}

/// The shell's state between lines (persisted with the lab).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shell {
    pub cwd: Components,
    pub vars: BTreeMap<String, String>,
    pub status: i32,
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new("/root")
    }
}

/// Where a file descriptor goes while a command runs.
#[derive(Clone, Debug, PartialEq)]
enum Sink {
    /// The shell's stdout (or the next command of the pipeline).
    Out,
    /// The shell's stderr.
    Err,
    File(Components),
    /// `/dev/null`.
    Null,
}

/// Directories whose programs are found by their bare name.
const BIN_DIRS: [&str; 6] = [
    "/bin/",
    "/usr/bin/",
    "/usr/local/bin/",
    "/sbin/",
    "/usr/sbin/",
    "/usr/local/sbin/",
];

impl Shell {
    /// A root shell in `home`.
    pub fn new(home: &str) -> Shell {
        let mut vars = BTreeMap::new();
        vars.insert("HOME".to_string(), home.to_string());
        vars.insert(
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        );
        vars.insert("USER".to_string(), "root".to_string());
        vars.insert("PWD".to_string(), home.to_string());
        let cwd = home
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Shell {
            cwd,
            vars,
            status: 0,
        }
    }

    /// The working directory as text.
    pub fn pwd(&self) -> String {
        join(&self.cwd)
    }

    /// The here-document delimiter a line asks for (the console then collects lines up to
    /// it and passes them as `heredoc`).
    pub fn heredoc_delimiter(line: &str) -> Option<String> {
        parse(line)
            .ok()
            .and_then(|s| s.heredoc().map(str::to_string))
    }

    /// Runs one line (with its here-document body, lines joined by `\n`, if it has one).
    pub fn run(
        &mut self,
        fs: &mut Fs,
        line: &str,
        heredoc: Option<&str>,
        now: Millis,
        ext: &mut dyn External,
    ) -> Output {
        let mut out = Output::default();
        let script = match parse(line) {
            Ok(s) => s,
            Err(e) => {
                out.stderr
                    .extend_from_slice(format!("bash: {}\n", e.0).as_bytes());
                out.status = 2;
                self.status = 2;
                return out;
            }
        };
        for (join, pipeline) in &script.0 {
            let skip = match join {
                Join::Seq => false,
                Join::And => self.status != 0,
                Join::Or => self.status == 0,
            };
            if skip {
                continue;
            }
            let mut input: Vec<u8> = Vec::new();
            let n = pipeline.0.len();
            for (k, simple) in pipeline.0.iter().enumerate() {
                let last = k + 1 == n;
                let errs = out.stderr.len();
                let (stdout, status) =
                    self.run_simple(fs, simple, &input, heredoc, now, ext, &mut out.stderr);
                out.ordered(true, out.stderr.len() - errs);
                if last {
                    out.ordered(false, stdout.len());
                    out.stdout.extend_from_slice(&stdout);
                    self.status = status;
                } else {
                    input = stdout;
                }
            }
        }
        out.status = self.status;
        out
    }

    /// Runs one simple command; returns what it wrote to its stdout sink `Out` and its
    /// status. Its stderr (when not redirected) goes to `stderr`.
    #[allow(clippy::too_many_arguments)]
    fn run_simple(
        &mut self,
        fs: &mut Fs,
        simple: &Simple,
        input: &[u8],
        heredoc: Option<&str>,
        now: Millis,
        ext: &mut dyn External,
        stderr: &mut Vec<u8>,
    ) -> (Vec<u8>, i32) {
        let env = Env {
            vars: &self.vars,
            status: self.status,
            cwd: &self.cwd,
            fs,
        };
        let argv: Vec<String> = simple
            .words
            .iter()
            .flat_map(|w| expand_word(w, &env))
            .collect();
        let assigns: Vec<(String, String)> = simple
            .assigns
            .iter()
            .map(|(n, w)| (n.clone(), expand_word(w, &env).join(" ")))
            .collect();
        // redirections, left to right
        let mut sinks = [Sink::Out, Sink::Out, Sink::Err];
        let mut stdin: Vec<u8> = input.to_vec();
        for r in &simple.redirects {
            let env = Env {
                vars: &self.vars,
                status: self.status,
                cwd: &self.cwd,
                fs,
            };
            let target = |w: &lexer::Word| -> Result<String, String> {
                let fields = expand_word(w, &env);
                match fields.as_slice() {
                    [one] => Ok(one.clone()),
                    _ => Err(format!("bash: {}: ambiguous redirect", w.literal())),
                }
            };
            let res: Result<(), String> = match r {
                Redirect::Out {
                    fd,
                    target: w,
                    append,
                } => target(w).and_then(|t| {
                    let sink = open_sink(fs, &self.cwd, &t, *append, now)
                        .map_err(|e| format!("bash: {}: {}", t, e))?;
                    if (*fd as usize) < 3 {
                        sinks[*fd as usize] = sink;
                    }
                    Ok(())
                }),
                Redirect::Both { target: w, append } => target(w).and_then(|t| {
                    let sink = open_sink(fs, &self.cwd, &t, *append, now)
                        .map_err(|e| format!("bash: {}: {}", t, e))?;
                    sinks[1] = sink.clone();
                    sinks[2] = sink;
                    Ok(())
                }),
                Redirect::In { fd: 0, target: w } => target(w).and_then(|t| {
                    let (c, _) = fs
                        .resolve(&self.cwd, &t)
                        .map_err(|e| format!("bash: {}: {}", t, e))?;
                    stdin = fs
                        .read(&c)
                        .map_err(|e| format!("bash: {}: {}", t, e))?
                        .to_vec();
                    Ok(())
                }),
                Redirect::In { .. } => Ok(()),
                Redirect::Dup { fd, to } => {
                    if (*fd as usize) < 3 && (*to as usize) < 3 {
                        sinks[*fd as usize] = sinks[*to as usize].clone();
                        Ok(())
                    } else {
                        Err(format!("bash: {}: Bad file descriptor", to))
                    }
                }
                Redirect::HereDoc {
                    expand, strip_tabs, ..
                } => {
                    let mut body = heredoc.unwrap_or("").to_string();
                    if *strip_tabs {
                        body = body
                            .lines()
                            .map(|l| l.trim_start_matches('\t'))
                            .collect::<Vec<_>>()
                            .join("\n");
                    }
                    if *expand {
                        body = expand_heredoc(&body, &env);
                    }
                    if !body.is_empty() || heredoc.is_some() {
                        body.push('\n');
                    }
                    stdin = body.into_bytes();
                    Ok(())
                }
            };
            if let Err(msg) = res {
                stderr.extend_from_slice(msg.as_bytes());
                stderr.push(b'\n');
                return (Vec::new(), 1);
            }
        }
        if argv.is_empty() {
            // only assignments (and redirections): they set shell variables
            for (n, v) in assigns {
                self.vars.insert(n, v);
            }
            return (Vec::new(), 0);
        }
        let mut ctx = Ctx {
            fs,
            cwd: &self.cwd.clone(),
            now,
            stdin: &stdin,
            out: Vec::new(),
            err: Vec::new(),
        };
        let status = self.dispatch(&argv, &assigns, &mut ctx, ext);
        let (out_bytes, err_bytes) = (std::mem::take(&mut ctx.out), std::mem::take(&mut ctx.err));
        let mut to_out = Vec::new();
        let mut status = status;
        for (fd, bytes) in [(1usize, out_bytes), (2usize, err_bytes)] {
            match &sinks[fd] {
                Sink::Out => to_out.extend_from_slice(&bytes),
                Sink::Err => stderr.extend_from_slice(&bytes),
                Sink::Null => {}
                Sink::File(c) => {
                    if bytes.is_empty() {
                        continue;
                    }
                    if let Err(e) = fs.write(c, &bytes, true, now) {
                        // bash's builtins say so as bash does
                        let name = argv.first().map(String::as_str).unwrap_or("bash");
                        let who = if matches!(name, "echo" | "pwd") {
                            format!("bash: {}", name)
                        } else {
                            name.to_string()
                        };
                        stderr
                            .extend_from_slice(format!("{}: write error: {}\n", who, e).as_bytes());
                        status = 1;
                    }
                }
            }
        }
        (to_out, status)
    }

    /// Builtins, then the node's commands, then the external runner.
    fn dispatch(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        ctx: &mut Ctx,
        ext: &mut dyn External,
    ) -> i32 {
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            "cd" => return self.cd(args, ctx),
            "pwd" => {
                ctx.print(&format!("{}\n", self.pwd()));
                return 0;
            }
            "export" => {
                for a in args {
                    if let Some((n, v)) = a.split_once('=') {
                        if crate::etcdctl::shell::is_name(n) {
                            self.vars.insert(n.to_string(), v.to_string());
                        } else {
                            ctx.eprintln(&format!("bash: export: `{}': not a valid identifier", a));
                            return 1;
                        }
                    } else if !crate::etcdctl::shell::is_name(a) {
                        ctx.eprintln(&format!("bash: export: `{}': not a valid identifier", a));
                        return 1;
                    }
                }
                return 0;
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
                return 0;
            }
            "true" | ":" => return 0,
            "false" => return 1,
            _ => {}
        }
        // a program named by its path in a bin directory is the same program
        let base = BIN_DIRS
            .iter()
            .find_map(|d| name.strip_prefix(d))
            .unwrap_or(name);
        if base != "cd" && base != "export" {
            if let Some(code) = cmd::run(base, args, ctx) {
                return code;
            }
        }
        let mut env = self.vars.clone();
        for (n, v) in assigns {
            env.insert(n.clone(), v.clone());
        }
        let mut argv2 = argv.to_vec();
        argv2[0] = base.to_string();
        if let Some(code) = ext.run(&argv2, &env, ctx) {
            return code;
        }
        if name.contains('/') {
            let (msg, code) = match ctx
                .resolve(name)
                .map(|(c, _)| ctx.fs.node(&c).map(|n| n.is_dir()))
            {
                Ok(Some(true)) => ("Is a directory", 126),
                Ok(Some(false)) => ("Permission denied", 126),
                _ => ("No such file or directory", 127),
            };
            ctx.eprintln(&format!("bash: {}: {}", name, msg));
            return code;
        }
        ctx.eprintln(&format!("bash: {}: command not found", name));
        127
    }

    fn cd(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        if args.len() > 1 {
            ctx.eprintln("bash: cd: too many arguments");
            return 1;
        }
        let target = match args.first() {
            Some(t) if t == "-" => match self.vars.get("OLDPWD") {
                Some(o) => {
                    ctx.print(&format!("{}\n", o));
                    o.clone()
                }
                None => {
                    ctx.eprintln("bash: cd: OLDPWD not set");
                    return 1;
                }
            },
            Some(t) => t.clone(),
            None => match self.vars.get("HOME") {
                Some(h) => h.clone(),
                None => {
                    ctx.eprintln("bash: cd: HOME not set");
                    return 1;
                }
            },
        };
        if target.is_empty() {
            return 0;
        }
        let res = ctx
            .fs
            .resolve(&self.cwd, &target)
            .and_then(|(c, _)| match ctx.fs.node(&c) {
                Some(n) if n.is_dir() => Ok(c),
                Some(_) => Err(Errno::NotDir),
                None => Err(Errno::NoEnt),
            });
        match res {
            Ok(c) => {
                let old = self.pwd();
                self.cwd = c;
                self.vars.insert("OLDPWD".into(), old);
                self.vars.insert("PWD".into(), self.pwd());
                0
            }
            Err(e) => {
                ctx.eprintln(&format!("bash: cd: {}: {}", target, e));
                1
            }
        }
    }
}

/// Opens a redirection target: creates or truncates it (an append keeps it).
fn open_sink(
    fs: &mut Fs,
    cwd: &[String],
    path: &str,
    append: bool,
    now: Millis,
) -> Result<Sink, Errno> {
    if path == "/dev/null" {
        return Ok(Sink::Null);
    }
    let (c, trailing) = fs.resolve(cwd, path)?;
    match fs.node(&c) {
        Some(n) if n.is_dir() => return Err(Errno::IsDir),
        None if trailing => return Err(Errno::IsDir),
        _ => {}
    }
    if !append || !fs.exists(&c) {
        fs.write(&c, b"", false, now)?;
    }
    Ok(Sink::File(c))
}

#[cfg(test)]
#[path = "shell_test.rs"]
mod tests;
