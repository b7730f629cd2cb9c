//! `watch CMD` on a node: a foreground job that runs CMD through the node's shell every
//! interval of simulated time and prints each refresh of watch's screen (title line, blank
//! line, the command's output and errors) until Ctrl+C, which ends it with status 0.
//!
//! Owns: [`NodeWatch`] and its refreshes. Must not touch: watch's options and title
//! (`node::watch`), the shell's commands.

use std::time::Duration;

use super::super::Playground;
use super::node::node_now;
use crate::node::watch::{frame, Watch};

/// A running `watch`: what it runs and when it runs it next (the world's time).
pub struct NodeWatch {
    pub spec: Watch,
    pub next: Duration,
}

impl Playground {
    /// Starts `watch` as the foreground job and draws its first screen.
    pub(crate) fn start_watch(&mut self, spec: Watch) -> String {
        self.node_watch = Some(NodeWatch {
            spec,
            next: self.world.now(),
        });
        self.watch_refresh()
    }

    /// Whether the running watch is due for its next refresh.
    pub(crate) fn watch_due(&self) -> bool {
        self.node_watch
            .as_ref()
            .is_some_and(|w| self.world.now() >= w.next)
    }

    /// Runs the watched command once (as `sh -c` would: a job it starts is stopped, a nested
    /// watch is not kept) and returns the screen it makes; the next run is one interval after
    /// this one ends.
    pub(crate) fn watch_refresh(&mut self) -> String {
        let Some(mut w) = self.node_watch.take() else {
            return String::new();
        };
        let host = self
            .node
            .as_ref()
            .map(|n| n.host_name())
            .unwrap_or_default();
        let started = node_now(&self.world);
        let (o, _, _) = self.node_shell_line(&w.spec.command, None);
        let mut text = o.stdout;
        text.push_str(&sh_errors(&o.stderr));
        if self.job.is_some() {
            let end = self.interrupt();
            text.push_str(&end.stdout);
            text.push_str(&end.stderr);
        }
        let screen = frame(&w.spec, &host, started, &text);
        w.next = self
            .world
            .now()
            .saturating_add(Duration::from_millis(w.spec.interval_ms()));
        self.node_watch = Some(w);
        screen
    }
}

/// watch runs its command with `sh -c` (dash): a command the shell cannot find is
/// `sh: 1: NAME: not found`, not bash's text.
fn sh_errors(stderr: &str) -> String {
    stderr
        .split_inclusive('\n')
        .map(|l| {
            match l
                .strip_prefix("bash: ")
                .and_then(|r| r.strip_suffix(": command not found\n"))
            {
                Some(name) => format!("sh: 1: {name}: not found\n"),
                None => l.to_string(),
            }
        })
        .collect()
}
