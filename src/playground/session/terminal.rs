//! A command waiting for terminal input: `etcdctl txn -i` (or `etcdctl txn`), the password
//! prompts (`user add NAME`, `user passwd NAME`, `--user NAME`), `etcdctl put KEY`.
//!
//! A line whose command reads the terminal ([`Playground::terminal_probe`]) does not run at
//! once: the console waits, showing the command's prompts, and takes the lines typed one by
//! one. After each, the probe says whether the command still reads; once it does not (its
//! input is complete, or a line ends it, as a malformed compare does), the command runs once
//! over everything typed, and the line and what was typed are one input of the timeline
//! (the stdin of its [`InputRecord`], as a here-document's): a replay, a reload or a share
//! link runs it the same way. Ctrl+D ends the input (the command then reads the end of
//! input); Ctrl+C drops the command (nothing ran, nothing is stored).
//!
//! Secrets: a password typed at a prompt is never echoed (the page's input is a password
//! field meanwhile), never in the history (only the command line is) and never in an
//! entry's output. The input keeps which typed lines were passwords, so the stored input
//! holds their pseudonyms (see [`super::secrets`]), as for `--new-user-password`.
//!
//! Owns: [`TerminalInput`]. Must not touch: which commands read (the playground and etcdctl
//! say) or how the page shows it.
//!
//! [`Playground::terminal_probe`]: crate::playground::Playground::terminal_probe

use super::console::EDITOR_SAVED;
use super::timeline::{InputRecord, LogChange, JOB_INPUT};
use super::Session;
use crate::etcdctl::Want;
use crate::playground::input::heredoc_terminator;
use crate::process::Output;

/// The exit status a shell reports for a command ended by Ctrl+C (128 + SIGINT).
pub const INTERRUPTED_EXIT: i32 = 130;

/// The command line waiting for terminal input and what was typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalInput {
    pub line: String,
    /// The line as the terminal shows it (its secrets replaced by pseudonyms).
    pub shown_line: String,
    /// The lines typed so far, each ended by `\n` (passwords too: never shown).
    typed: String,
    /// What the terminal shows of the command so far: its prompts and the echoed lines.
    shown: String,
    want: Want,
    /// Which lines of `typed` were typed at a password prompt.
    secret_lines: Vec<usize>,
}

impl TerminalInput {
    /// The prompt the input line shows: the end of what the command printed that no
    /// newline ended yet (`Password: `); empty after a prompt on a line of its own
    /// (`compares:`).
    pub fn prompt(&self) -> &str {
        self.shown
            .rsplit_once('\n')
            .map_or(self.shown.as_str(), |(_, p)| p)
    }

    /// What the terminal shows above the input line (the prompt's line excluded).
    pub fn above(&self) -> &str {
        self.shown.rsplit_once('\n').map_or("", |(a, _)| a)
    }

    /// Whether a password is read (the input must not echo).
    pub fn password(&self) -> bool {
        self.want == Want::Password
    }
}

/// Whether a stored input is a command with what was typed at its terminal (not a
/// here-document, not an editor save).
pub fn typed_at_terminal(r: &InputRecord) -> bool {
    r.stdin.is_some() && heredoc_terminator(&r.line).is_none() && !r.line.starts_with(EDITOR_SAVED)
}

impl Session {
    /// The command waiting for terminal input, if one is.
    pub fn terminal(&self) -> Option<&TerminalInput> {
        self.terminal.as_ref()
    }

    /// Starts waiting for terminal input if `line`'s command reads the terminal.
    pub(super) fn start_terminal(&mut self, line: &str) -> bool {
        let Some(r) = self.playground.terminal_probe(line, "") else {
            return false;
        };
        let Some(want) = r.want else {
            return false;
        };
        self.terminal = Some(TerminalInput {
            line: line.to_string(),
            shown_line: self.secrets.redact_line(line),
            typed: String::new(),
            shown: r.shown,
            want,
            secret_lines: Vec::new(),
        });
        true
    }

    /// Enter: `text` (one line, or several pasted) is typed at the waiting command. Once the
    /// command has its input it runs; lines typed after that go to the shell.
    pub fn terminal_input(&mut self, text: &str) -> LogChange {
        // (nothing waits any more, as after a rewind: what was typed for it, maybe a
        // password, is never run as a command)
        let Some(mut t) = self.terminal.take() else {
            return LogChange::None;
        };
        let mut lines = text.split('\n');
        let mut ran = None;
        for l in lines.by_ref() {
            if t.want == Want::Password {
                t.secret_lines.push(t.typed.matches('\n').count());
            }
            t.typed.push_str(l.trim_end_matches('\r'));
            t.typed.push('\n');
            match self.playground.terminal_probe(&t.line, &t.typed) {
                Some(r) if r.want.is_some() => {
                    t.shown = r.shown;
                    t.want = r.want.unwrap_or(Want::Line);
                }
                _ => {
                    ran = Some(self.run_terminal(t.clone()));
                    break;
                }
            }
        }
        let Some(change) = ran else {
            self.terminal = Some(t);
            return LogChange::None;
        };
        let rest: Vec<&str> = lines.collect();
        if rest.iter().all(|l| l.trim().is_empty()) {
            return change;
        }
        match self.run_input(&rest.join("\n")) {
            LogChange::None => change,
            _ => LogChange::Rewrite(self.inputs.clone()),
        }
    }

    /// Ctrl+D: what the input holds (no newline) and then the end of input; the command
    /// runs over what was typed.
    pub fn terminal_eof(&mut self, partial: &str) -> LogChange {
        let Some(mut t) = self.terminal.take() else {
            // a running command that reads the terminal (`watch -i`) sees the end of input
            return self.feed_job(None);
        };
        if t.want == Want::Password && !partial.is_empty() {
            t.secret_lines.push(t.typed.matches('\n').count());
        }
        t.typed.push_str(partial);
        self.run_terminal(t)
    }

    /// Ctrl+C while a command waits for terminal input: it ends before it ran (its entry
    /// shows what the terminal showed, then `^C`); nothing is stored.
    pub(super) fn interrupt_terminal(&mut self) -> bool {
        let Some(t) = self.terminal.take() else {
            return false;
        };
        let output = Output {
            stdout: t.shown,
            exit: INTERRUPTED_EXIT,
            ..Default::default()
        };
        self.push_entry(t.line, output);
        if let Some(e) = std::rc::Rc::make_mut(&mut self.entries).last_mut() {
            e.interrupted = true;
        }
        true
    }

    fn run_terminal(&mut self, t: TerminalInput) -> LogChange {
        self.typed_secret_lines = t.secret_lines;
        self.run_command(&t.line, Some(&t.typed), true)
    }
}

impl Session {
    /// A line typed to the running command that reads its terminal (`etcdctl watch -i`), or
    /// None for Ctrl+D; stored as an input (see [`JOB_INPUT`]) so a replay types it at the
    /// same moment.
    pub fn feed_job(&mut self, line: Option<&str>) -> LogChange {
        if self.job.is_none() || !self.playground.job_reads_input() {
            return LogChange::None;
        }
        let record = InputRecord {
            line: JOB_INPUT.to_string(),
            stdin: line.map(|l| format!("{l}\n")),
            at_ms: Some(self.now_ms()),
            ..Default::default()
        };
        let rewrite = !self.future.is_empty();
        self.future.clear();
        self.refeed_job(&record);
        self.inputs.push(record.clone());
        self.touch_horizon();
        if rewrite {
            self.horizon_ms = self.now_ms();
            LogChange::Rewrite(self.inputs.clone())
        } else {
            LogChange::Append(record)
        }
    }

    /// Gives the running command a stored [`JOB_INPUT`] record's line.
    pub(super) fn refeed_job(&mut self, r: &InputRecord) {
        let line = r
            .stdin
            .as_deref()
            .map(|s| s.strip_suffix('\n').unwrap_or(s));
        let out = self.playground.feed_job(line);
        self.append_to_job(out, false);
    }
}
