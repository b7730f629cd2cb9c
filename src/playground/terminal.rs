//! Terminal input: a console line whose command reads what is typed next (`etcdctl txn`,
//! `etcdctl txn -i`, the password prompts, `etcdctl put KEY`) — see
//! [`crate::etcdctl::terminal`]. The playground says whether a line is one
//! ([`Playground::terminal_probe`], with what the terminal shows so far), and runs it once
//! over everything typed ([`Playground::run_typed`]), so that the line and what was typed
//! make one input, as a here-document does, and a replay runs it the same way.
//!
//! Only a plain `[NAME=VALUE ...] etcdctl ...` line of the local lab reads the terminal: in a
//! pipe, with `&`, or with a here-document the command's stdin is not the terminal.
//!
//! Owns: recognising such a line. Must not touch: what is typed (the session collects it).

use std::collections::BTreeMap;
use std::time::Duration;

use super::input::heredoc_terminator;
use super::{background_suffix, remote, shell_line, wrappers, Playground};
use crate::etcdctl::shell;
use crate::etcdctl::terminal::probe_of;
pub use crate::etcdctl::terminal::Reading;
pub use crate::etcdctl::Want;
use crate::process::Output;

impl Playground {
    /// Whether `line` runs a command that reads the terminal, and where it stands over
    /// `typed` (the lines typed so far, each ended by `\n`); `None`: it reads nothing.
    pub fn terminal_probe(&self, line: &str, typed: &str) -> Option<Reading> {
        if self.node.is_some()
            || heredoc_terminator(line).is_some()
            || background_suffix(line).1
            || shell_line::takes_shell(line)
        {
            return None;
        }
        let words = shell::split(line).ok()?.words;
        let (assign, rest) = shell::split_assignments(&words);
        let (prog, args) = rest.split_first()?;
        if wrappers::program(prog) != "etcdctl" {
            return None;
        }
        let mut env: BTreeMap<String, String> = self.env.clone();
        env.extend(assign);
        probe_of(&env, args, typed, self.version)
    }

    /// Runs `line` with `typed` as what its command read from the terminal: each line it
    /// reads shows in its output as typed (a password does not).
    pub fn run_typed(&mut self, line: &str, typed: &str) -> Output {
        self.typed = true;
        let out = self.run(line, Some(typed));
        self.typed = false;
        out
    }

    /// [`Playground::run_typed`] as [`Playground::run_bounded`] runs a line (etcdplay).
    pub fn run_typed_bounded(
        &mut self,
        line: &str,
        typed: &str,
        timeout: Duration,
    ) -> (Output, bool) {
        self.typed = true;
        let out = self.run_bounded(line, Some(typed), timeout);
        self.typed = false;
        out
    }
}

impl Playground {
    /// Whether the running foreground job reads lines typed at its terminal (`etcdctl watch
    /// -i`): the console then gives it the lines instead of running them.
    pub fn job_reads_input(&self) -> bool {
        self.job.as_ref().is_some_and(|rj| rj.job.reads_input())
    }

    /// A line typed at the running job's terminal (None: Ctrl+D): the terminal's echo of it,
    /// then what the job printed; the job is over if the output says so (`is_running`).
    pub fn feed_job(&mut self, line: Option<&str>) -> Output {
        let Some(mut rj) = self.job.take() else {
            return Output::default();
        };
        let mut io = crate::etcdctl::Io::new("");
        io.limit = self.output_limit;
        if let Some(l) = line {
            io.outln(l);
        }
        let ended = rj.job.input(super::cluster!(self), &mut io, line);
        if ended.is_none() {
            self.job = Some(rj);
        }
        Output {
            stdout: io.stdout,
            stderr: io.stderr,
            exit: ended.unwrap_or(0),
            order: io.order,
            ..Default::default()
        }
    }
}
