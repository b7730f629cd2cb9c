//! Runs a shell line of the local lab in the node shell (see the parent module's doc): the
//! playground's files moved into `/root` and back, its programs as the shell's external ones.

use std::collections::BTreeMap;

use super::{lexer, Redirect, PLAYGROUND_WORDS};
use crate::node::cmd::Ctx;
use crate::node::fs::{Components, Fs, Limits, Millis};
use crate::node::shell::{External, Shell};
use crate::playground::{wrappers, Playground};
use crate::process::Output;

/// The variables a new node shell has that the console's environment does not keep.
const SHELL_DEFAULTS: [&str; 4] = ["HOME", "PATH", "USER", "PWD"];

/// The note for a long-running command that is not the last of its line.
pub const JOB_IN_PIPE: &str = "playground: this command keeps running until Ctrl+C, so it runs only as the last command of a line (not before a pipe, && or ;): run it alone, or end the line with & to keep it in the background";

/// The local lab's programs for the node shell.
struct LocalPrograms<'a> {
    pg: &'a mut Playground,
    hints: Vec<String>,
    /// The last external program left a job running (see [`JOB_IN_PIPE`]).
    last_started_job: bool,
}

impl LocalPrograms<'_> {
    /// Moves the working directory's files back to the console (etcdctl reads them there).
    fn files_to_console(&mut self, ctx: &mut Ctx) {
        let files = take_files(ctx.fs, ctx.now);
        self.pg.console.files.extend(files);
    }

    fn files_to_fs(&mut self, ctx: &mut Ctx) {
        let files = std::mem::take(&mut self.pg.console.files);
        let rest = put_files(ctx.fs, files, ctx.now);
        self.pg.console.files = rest;
    }
}

impl External for LocalPrograms<'_> {
    fn run(
        &mut self,
        argv: &[String],
        env: &BTreeMap<String, String>,
        ctx: &mut Ctx,
    ) -> Option<i32> {
        let name = argv.first()?;
        let known = matches!(
            wrappers::program(name),
            "etcdctl" | "etcd" | "docker" | "kubectl"
        ) || PLAYGROUND_WORDS.contains(&name.as_str());
        if !known {
            return None;
        }
        if self.pg.is_running() {
            // a watch before this command: bash would still wait for it
            let _ = self.pg.interrupt();
            ctx.eprintln(JOB_IN_PIPE);
        }
        let env: BTreeMap<String, String> = env
            .iter()
            .filter(|(k, _)| !SHELL_DEFAULTS.contains(&k.as_str()) || self.pg.env.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let stdin =
            (!ctx.stdin.is_empty()).then(|| String::from_utf8_lossy(ctx.stdin).into_owned());
        self.files_to_console(ctx);
        let (out, mut hints) = self.pg.run_program(env, argv, stdin.as_deref());
        self.files_to_fs(ctx);
        self.hints.append(&mut hints);
        self.last_started_job = self.pg.is_running();
        ctx.out.extend_from_slice(out.stdout.as_bytes());
        ctx.err.extend_from_slice(out.stderr.as_bytes());
        Some(out.exit)
    }
}

/// Every regular file under `/root`, taken out of `fs`, by its name relative to `/root`.
fn take_files(fs: &mut Fs, now: Millis) -> BTreeMap<String, Vec<u8>> {
    let root: Components = vec!["root".to_string()];
    let mut out = BTreeMap::new();
    for path in fs.walk(&root) {
        if fs.is_dir(&path) {
            continue;
        }
        if let Ok(data) = fs.take_file(&path, now) {
            out.insert(path[1..].join("/"), data);
        }
    }
    out
}

/// Puts the console's files under `/root`; gives back those that cannot be put there.
fn put_files(
    fs: &mut Fs,
    files: BTreeMap<String, Vec<u8>>,
    now: Millis,
) -> BTreeMap<String, Vec<u8>> {
    let mut rest = BTreeMap::new();
    for (name, data) in files {
        let mut path: Components = vec!["root".to_string()];
        path.extend(name.split('/').map(str::to_string));
        let put = match path.split_last() {
            Some((_, parent)) => fs
                .mkdir_all(parent, now)
                .is_ok_and(|_| fs.node(&path).is_none()),
            None => false,
        };
        if !put {
            rest.insert(name, data);
            continue;
        }
        if let Err((_, data)) = fs.write_owned(&path, data, now) {
            rest.insert(name, data);
        }
    }
    rest
}

impl Playground {
    /// Runs a line in the node shell (see the module doc). A load in it runs to its end where
    /// it stands: what comes after it (`load k8s && etcdctl get ...`) waits for it, and what
    /// came before keeps its output; only a line that is the load alone runs a step at a time.
    pub(crate) fn shell_line(&mut self, line: &str, stdin: Option<&str>) -> (Output, Vec<String>) {
        let stepping = std::mem::replace(&mut self.stepping, false);
        let ran = self.shell_line_whole(line, stdin);
        self.stepping = stepping;
        ran
    }

    fn shell_line_whole(&mut self, line: &str, stdin: Option<&str>) -> (Output, Vec<String>) {
        let now = crate::playground::lab::node::node_now(&self.world);
        let mut fs = Fs::new(now);
        fs.set_limits(Limits {
            max_file: 1 << 30,
            max_total: 2 << 30,
            max_nodes: 1_000_000,
        });
        let root: Components = vec!["root".to_string()];
        let _ = fs.mkdir_all(&root, now);
        let mut shell = Shell::new("/root");
        for (k, v) in &self.env {
            shell.vars.insert(k.clone(), v.clone());
        }
        let files = std::mem::take(&mut self.console.files);
        let kept = put_files(&mut fs, files, now);
        let script_keeps_job = last_is_alone(line);
        // programs write into pipes and files here: the entry's bound applies to the line
        let entry_limit = self.output_limit;
        self.output_limit = entry_limit.map(|l| l.max(crate::playground::tail::PIPE_LIMIT));
        let mut programs = LocalPrograms {
            pg: self,
            hints: Vec::new(),
            last_started_job: false,
        };
        let o = shell.run(&mut fs, line, stdin, now, &mut programs);
        let keep_job = programs.last_started_job && script_keeps_job;
        let hints = std::mem::take(&mut programs.hints);
        self.output_limit = entry_limit;
        let mut out = Output {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            exit: o.status,
            edit: None,
            order: o.order,
        };
        if self.is_running() && !keep_job {
            let _ = self.interrupt();
            out.stderr.push_str(JOB_IN_PIPE);
            out.stderr.push('\n');
        }
        let mut files = take_files(&mut fs, now);
        files.extend(kept);
        self.console.files = files;
        self.env = shell
            .vars
            .into_iter()
            .filter(|(k, _)| !SHELL_DEFAULTS.contains(&k.as_str()) || self.env.contains_key(k))
            .filter(|(k, _)| k != "OLDPWD")
            .collect();
        if let Some(limit) = self.output_limit {
            self.skipped[0] += cut(&mut out.stdout, limit);
            self.skipped[1] += cut(&mut out.stderr, limit);
        }
        (out, hints)
    }
}

/// Whether the line's last pipeline is one command writing to the console.
fn last_is_alone(line: &str) -> bool {
    lexer::parse(line).is_ok_and(|s| {
        s.0.last().is_some_and(|(_, p)| {
            p.0.len() == 1
                && p.0[0]
                    .redirects
                    .iter()
                    .all(|r| matches!(r, Redirect::HereDoc { .. } | Redirect::In { .. }))
        })
    })
}

/// Keeps the first `limit` bytes of `s` (at a character boundary); the bytes cut.
fn cut(s: &mut String, limit: usize) -> usize {
    if s.len() <= limit {
        return 0;
    }
    let mut at = limit;
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    let n = s.len() - at;
    s.truncate(at);
    n
}
