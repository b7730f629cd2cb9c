//! Shell lines in the local lab: a line with `|`, `&&`, `||`, `;` or a redirection, or one
//! that runs a node command (`grep`, `jq`, `base64`, `hexdump`, `ls`, `cat`, `echo`…), runs
//! in the node shell ([`crate::node::shell`]) as bash would run it. The playground's files
//! are its working directory `/root` for the line (moved in and back, never copied);
//! `etcdctl`, `etcd`, `docker`, `kubectl` and the playground's own words are the shell's
//! external programs. A command that keeps running (`etcdctl watch`) stays the current job
//! only when it is the line's last command and prints to the console; elsewhere (in a pipe)
//! it is stopped at once with a note, where bash would wait forever.
//!
//! Owns: which lines take this path; `run`: the working directory's round trip, the job rule.
//! Must not touch: the commands' own logic.

use super::wrappers;
use crate::node::cmd;
use crate::node::shell::lexer::{self, Redirect};

// (the first-visit module, feature `lite`, only tells these lines apart: it hands them to the
// page's full module, see `Playground::take_full_only`)
#[cfg(not(feature = "lite"))]
mod run;
#[cfg(not(feature = "lite"))]
pub use run::JOB_IN_PIPE;

/// The playground's words (they keep their own syntax: `partition A | B`).
const PLAYGROUND_WORDS: [&str; 16] = [
    "stop",
    "start",
    "partition",
    "heal",
    "cut",
    "loss",
    "latency",
    "advance",
    "quota",
    "jobs",
    "kill",
    "hints",
    "requests",
    "load",
    "help",
    "reset",
];

/// Builtins of the node shell that the local lab has no other meaning for.
const BUILTINS: [&str; 5] = ["cd", "pwd", "true", "false", ":"];

/// Whether `line` runs in the node shell (see the module doc).
pub fn takes_shell(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    if PLAYGROUND_WORDS.contains(&first) {
        return false;
    }
    let script = match lexer::parse(line) {
        Ok(s) => s,
        // bash's syntax errors (`a |`, `&& b`) come from the node shell; an open quote keeps
        // the console's own message
        Err(e) => return !e.0.contains("unexpected EOF"),
    };
    if script.0.len() > 1 || script.0.iter().any(|(_, p)| p.0.len() > 1) {
        return true;
    }
    let Some((_, pipeline)) = script.0.first() else {
        return false;
    };
    let Some(simple) = pipeline.0.first() else {
        return false;
    };
    if simple
        .redirects
        .iter()
        .any(|r| !matches!(r, Redirect::HereDoc { .. }))
    {
        return true;
    }
    let name = simple
        .words
        .first()
        .map(|w| w.literal())
        .unwrap_or_default();
    let base = wrappers::program(&name);
    cmd::NAMES.contains(&base) || BUILTINS.contains(&base)
}

#[cfg(all(test, not(feature = "lite")))]
#[path = "shell_line_test.rs"]
mod tests;
