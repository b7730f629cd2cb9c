//! Handing a line over to the page's full module. The page's first visit loads a module
//! without the heavy parts (feature `lite`: no node labs, kubectl, /registry sample, etcd
//! 3.5 or real-etcd connection). A line that needs one of them is not finished here: the playground marks it
//! ([`Playground::take_full_only`](crate::playground::Playground::take_full_only)), the
//! session keeps neither its entry nor its input, and [`Session::take_handover`] gives the
//! page the console text to run again once the full module restored what was stored. What
//! the line did before it needed the full module is thrown away with this session: the page
//! stores nothing more from it.
//!
//! In a full build nothing is ever marked, and all of this stays idle.
//!
//! Owns: [`Handover`]. Must not touch: how the page loads the other module (`ui::module`).

use serde::{Deserialize, Serialize};

use super::Session;
use crate::process::Output;

/// A console entry as it showed, carried over to the full module (its text only: its trace,
/// hints and files stay behind).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub line: String,
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

/// What the full module is to do once it restored the stored state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handover {
    /// What the line needed ("kubectl", "etcd 3.5", …), for the page to say.
    pub needs: &'static str,
    /// The console texts to run there, in order: the one that needed the full module (a
    /// paste whole: none of it is kept here), then those typed after it. Empty when what
    /// needed it was not a typed line (a replay, a restored lab).
    pub lines: Vec<String>,
}

impl Session {
    /// Whether a line needed the full module (then nothing more runs here).
    pub fn handing_over(&self) -> bool {
        self.handover.is_some()
    }

    /// The line to hand over, if one needed the full module; also when the playground itself
    /// (a restored node lab, etcd 3.5) is one. Taking it clears it.
    pub fn take_handover(&mut self) -> Option<Handover> {
        self.needed_full_module();
        self.handover.take()
    }

    /// After a line ran: whether it needed the full module (then it is to be handed over).
    pub(super) fn needed_full_module(&mut self) -> bool {
        if let Some(needs) = self.playground.take_full_only() {
            self.handover.get_or_insert(Handover {
                needs,
                lines: Vec::new(),
            });
        }
        self.handover.is_some()
    }

    /// The newest `n` console entries as text, for the full module to show.
    pub fn shown(&self, n: usize) -> Vec<Shown> {
        let e = self.entries();
        e[e.len().saturating_sub(n)..]
            .iter()
            .map(|e| Shown {
                line: e.line.clone(),
                stdout: e.output.stdout.clone(),
                stderr: e.output.stderr.clone(),
                exit: e.output.exit,
            })
            .collect()
    }

    /// Shows the entries the first-visit module showed before it handed over: not inputs
    /// (what they did is in the restored state), and nothing of theirs waits for a write.
    pub fn show_earlier(&mut self, shown: Vec<Shown>) {
        for e in shown {
            let output = Output {
                stdout: e.stdout,
                stderr: e.stderr,
                exit: e.exit,
                ..Output::default()
            };
            self.push_entry(e.line, output);
        }
        self.mark_durable(self.next_id);
    }

    /// The console text the page sent, when a line of it needed the full module.
    pub(super) fn hand_over_text(&mut self, text: &str) {
        if let Some(h) = &mut self.handover {
            h.lines.push(text.to_string());
        }
    }
}
