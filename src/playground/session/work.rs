//! A long command in progress on the page (`load k8s large`, see `playground::work`): the
//! page runs it a step at a time between frames with [`Session::work`], shows how far it got
//! ([`Session::working`]), and Ctrl+C stops it where it is. While it runs, simulated time
//! belongs to it: clicks that would let time pass or change the cluster wait, lines typed
//! meanwhile run once it ends (a shell's type-ahead), and Ctrl+C drops them as a terminal
//! does.
//!
//! The command's input is stored once it ended; a stopped one with the number of steps it
//! ran, so that a replay stops it at the same place.
//!
//! Its end is shown over slices of its own ([`Finishing`]): after the last step, its entry
//! (with the keyspace's read); then the key tree built from that read, and the lines typed
//! meanwhile. After a large load each is tens of ms; together with the last steps they made
//! one frame of 140-190 ms. Anything else the page asks for meanwhile ends them at once first.
//!
//! Owns: [`Ran`], [`Finishing`], the type-ahead. Must not touch: what a step does.

use super::timeline::InputRecord;
use super::{Action, LogChange, Session};
use crate::kubectl::LoadProgress;
use crate::process::Output;

/// A command line that ran, as [`Session::ran_command`] needs it to finish its entry.
pub(crate) struct Ran {
    pub(super) record: InputRecord,
    pub(super) index_before: u64,
    pub(super) rev_before: i64,
    pub(super) rewrite: bool,
}

/// The end of a long command whose steps are done, one part per call of [`Session::work`];
/// the console still shows the line as working, all of it written.
pub(super) struct Finishing {
    line: String,
    progress: LoadProgress,
    part: Part,
}

enum Part {
    /// The last step ran: its entry is shown next (the key tree is left for the next part).
    Entry(Ran, Output),
    /// Its entry is shown: the key tree is built next, then the type-ahead runs.
    Tree(LogChange),
}

impl Session {
    /// Whether long commands run a step at a time (the page) or to their end at once.
    pub fn step_long_commands(&mut self, on: bool) {
        self.stepping = on;
    }

    /// The long command in progress, and how far it got.
    pub fn working(&self) -> Option<(&str, LoadProgress)> {
        if let Some(f) = &self.finishing {
            return Some((f.line.as_str(), f.progress));
        }
        let ran = self.work.as_ref()?;
        Some((ran.record.line.as_str(), self.playground.working()?))
    }

    /// Whether the long command's steps are done and the next [`Session::work`] shows a part
    /// of its end (the page gives each part a slice of its own).
    pub fn finishing(&self) -> bool {
        self.finishing.is_some()
    }

    /// Lines typed while the long command runs, waiting for it.
    pub fn typeahead(&self) -> &[String] {
        &self.typeahead
    }

    /// Runs one step of the long command in progress, or one part of its end
    /// ([`Finishing`]). Once it ended, its entry is shown, its input stored, and the lines
    /// typed meanwhile ran; the answer is then the log's change.
    pub fn work(&mut self) -> Option<LogChange> {
        if let Some(f) = self.finishing.take() {
            return self.finish_part(f);
        }
        self.work.as_ref()?;
        let before = self.playground.working().unwrap_or_default();
        let out = self.playground.work()?;
        let ran = self.work.take()?;
        let all = before.written.max(before.expected);
        self.finishing = Some(Finishing {
            line: ran.record.line.clone(),
            progress: LoadProgress {
                written: all,
                expected: all,
            },
            part: Part::Entry(ran, out),
        });
        None
    }

    fn finish_part(&mut self, f: Finishing) -> Option<LogChange> {
        match f.part {
            Part::Entry(ran, out) => {
                self.defer_tree = true;
                let change = self.ran_command(ran, out);
                self.defer_tree = false;
                if self.tree_pending.is_some() {
                    self.finishing = Some(Finishing {
                        part: Part::Tree(change),
                        ..f
                    });
                    return None;
                }
                self.run_typeahead();
                Some(change)
            }
            Part::Tree(change) => {
                self.build_pending_tree();
                self.run_typeahead();
                Some(change)
            }
        }
    }

    /// Ends at once what the next calls of [`Session::work`] would end part by part.
    fn finish_now(&mut self) {
        while let Some(f) = self.finishing.take() {
            self.finish_part(f);
        }
    }

    /// Ctrl+C while a long command runs: it stops where it is (what it wrote stays) and the
    /// lines typed meanwhile are dropped.
    fn stop_work(&mut self) {
        let Some(mut ran) = self.work.take() else {
            return;
        };
        self.typeahead.clear();
        if let Some((out, steps)) = self.playground.stop_work() {
            ran.record.steps = Some(steps);
            self.ran_command(ran, out);
        }
    }

    fn run_typeahead(&mut self) {
        while self.work.is_none() && !self.typeahead.is_empty() {
            let line = self.typeahead.remove(0);
            self.run_input(&line);
            if self.handing_over() {
                // (it and those typed after it run in the page's full module)
                self.hand_over_text(&line);
                let rest: Vec<String> = self.typeahead.drain(..).collect();
                rest.iter().for_each(|l| self.hand_over_text(l));
            }
        }
    }

    /// While a long command runs: the action to apply now (None: it waits or is dropped).
    pub(super) fn while_working(&mut self, action: Action) -> Option<Action> {
        if self.finishing.is_some() {
            // (its steps are done: its end is shown first; Ctrl+C came too late to stop it,
            // and drops the type-ahead as it would have)
            let interrupt = matches!(action, Action::Interrupt);
            if interrupt {
                self.typeahead.clear();
            }
            self.finish_now();
            if interrupt {
                return None;
            }
        }
        if self.work.is_some() && self.playground.working().is_none() {
            // (its playground was replaced: nothing runs any more)
            self.work = None;
            self.typeahead.clear();
        }
        if self.work.is_none() {
            return Some(action);
        }
        match action {
            Action::Interrupt => {
                self.stop_work();
                None
            }
            Action::Run(line) => {
                self.typeahead.push(line);
                None
            }
            // what only changes the view
            Action::CloseLesson
            | Action::PlayPause
            | Action::ClearScreen
            | Action::SelectKey(_)
            | Action::Revision(_)
            | Action::V2(_)
            | Action::ToggleFolder(_)
            | Action::Drill(_)
            | Action::KeySizes(_)
            | Action::Filter(_) => Some(action),
            // time passing, cluster changes, files, seeking: not while it runs
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &mut Session) -> String {
        s.run_line("etcdctl get /registry --prefix --keys-only | wc -l");
        s.entries().last().unwrap().output.stdout.clone()
    }

    #[test]
    fn a_long_load_runs_a_step_at_a_time_and_lines_typed_meanwhile_wait() {
        let mut s = Session::new(1);
        s.step_long_commands(true);
        let before = s.entries().len();
        s.apply(Action::Run("load k8s large".into()));
        assert_eq!(s.working().map(|w| w.0), Some("load k8s large"));
        assert_eq!(s.entries().len(), before, "no entry until it ends");
        s.apply(Action::Run("etcdctl put after load".into()));
        assert_eq!(s.typeahead(), ["etcdctl put after load".to_string()]);
        let now = s.world().now();
        s.apply(Action::UntilIdle);
        s.apply(Action::Step);
        assert_eq!(s.world().now(), now, "time is the load's while it runs");
        let mut steps = 0;
        let change = loop {
            steps += 1;
            if let Some(c) = s.work() {
                break c;
            }
        };
        assert!(steps > 100);
        assert!(s.working().is_none());
        assert!(
            matches!(change, LogChange::Append(ref r) if r.line == "load k8s large" && r.steps.is_none())
        );
        let e = s.entries();
        let lines: Vec<&str> = e[before..].iter().map(|e| e.line.as_str()).collect();
        assert_eq!(lines, ["load k8s large", "etcdctl put after load"]);
        assert!(e[before]
            .output
            .stdout
            .starts_with("loaded the large Kubernetes sample"));
        assert_eq!(e[before + 1].output.stdout, "OK\n");
        assert_eq!(s.inputs().len(), 2);
    }

    /// Steps `s`'s long command until its steps are done (its end not shown yet).
    fn until_finishing(s: &mut Session) {
        while !s.finishing() {
            assert!(s.work().is_none(), "it ends in parts");
        }
    }

    #[test]
    fn the_end_of_a_long_load_comes_in_parts_entry_then_tree_then_typeahead() {
        let mut s = Session::new(1);
        s.step_long_commands(true);
        let before = s.entries().len();
        s.apply(Action::Run("load k8s".into()));
        s.apply(Action::Run("etcdctl put after load".into()));
        let keys_before = s.keyspace.tree.borrow().key_count();
        until_finishing(&mut s);
        assert_eq!(s.entries().len(), before, "no entry yet");
        let (line, p) = s.working().expect("still working while it ends");
        assert_eq!((line, p.written), ("load k8s", p.expected));
        // (1) its entry, with the keyspace read; the tree is left for the next part
        assert!(s.work().is_none());
        assert!(s.finishing());
        assert_eq!(s.entries().len(), before + 1);
        assert_eq!(
            s.keyspace.tree.borrow().key_count(),
            keys_before,
            "tree not built yet"
        );
        assert!(s.inputs().iter().any(|r| r.line == "load k8s"));
        // (2) the tree, then the type-ahead
        let change = s.work().expect("ended");
        assert!(matches!(change, LogChange::Append(ref r) if r.line == "load k8s"));
        assert!(!s.finishing() && s.working().is_none());
        let keys = s.keyspace.tree.borrow().key_count();
        assert!(keys > keys_before + 100, "{keys_before} -> {keys}");
        assert_eq!(s.entries().last().unwrap().line, "etcdctl put after load");
        // the same as a session that ran it at once
        let mut whole = Session::new(1);
        whole.run_line("load k8s");
        whole.run_line("etcdctl put after load");
        assert_eq!(whole.keyspace.tree.borrow().key_count(), keys);
        assert_eq!(whole.keyspace.revision, s.keyspace.revision);
    }

    #[test]
    fn what_comes_while_a_load_ends_ends_it_first() {
        // a click on the tree: the load's end is shown at once, then the click applies
        let mut s = Session::new(1);
        s.step_long_commands(true);
        s.apply(Action::Run("load k8s".into()));
        s.apply(Action::Run("etcdctl put after load".into()));
        until_finishing(&mut s);
        s.apply(Action::ClearScreen);
        assert!(!s.finishing() && s.working().is_none());
        assert!(s.keyspace.tree.borrow().key_count() > 100);
        assert!(s
            .inputs()
            .iter()
            .any(|r| r.line == "etcdctl put after load"));
        // Ctrl+C after the last step: the load ended whole; the type-ahead is dropped
        let mut s = Session::new(1);
        s.step_long_commands(true);
        s.apply(Action::Run("load k8s".into()));
        s.apply(Action::Run("etcdctl put dropped".into()));
        until_finishing(&mut s);
        assert!(s.work().is_none(), "its entry");
        s.apply(Action::Interrupt);
        assert!(!s.finishing() && s.working().is_none());
        let e = s.entries().last().unwrap();
        assert_eq!((e.line.as_str(), e.output.exit), ("load k8s", 0));
        assert!(s.keyspace.tree.borrow().key_count() > 100);
        assert!(s.inputs().iter().all(|r| r.line != "etcdctl put dropped"));
    }

    #[test]
    fn ctrl_c_stops_a_long_load_and_a_replay_stops_it_at_the_same_place() {
        let mut s = Session::new(1);
        s.step_long_commands(true);
        s.apply(Action::Run("load k8s large".into()));
        for _ in 0..60 {
            assert!(s.work().is_none());
        }
        s.apply(Action::Run("etcdctl put dropped by ctrl-c x".into()));
        s.apply(Action::Interrupt);
        assert!(s.working().is_none());
        assert!(s.typeahead().is_empty(), "Ctrl+C drops the type-ahead");
        let e = s.entries().last().unwrap().clone();
        assert_eq!(e.line, "load k8s large");
        assert_eq!(e.output.exit, 130);
        assert!(e
            .output
            .stderr
            .starts_with("^C\nload: stopped by Ctrl+C after "));
        let inputs = s.inputs().to_vec();
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].steps, Some(60));
        let n = keys(&mut s);
        let now = s.world().now();
        // the stored input replays to the same place
        let mut again = Session::new(1);
        again.replay(inputs);
        assert_eq!(again.entries().last().unwrap().output, e.output);
        assert_eq!(keys(&mut again), n);
        let n: usize = n.trim().parse().unwrap();
        assert!(n > 0 && n < 100_000, "{n}");
        // (the key count read above took time in both)
        assert_eq!(again.world().now(), s.world().now());
        assert!(now <= s.world().now());
        // a rewind to before the count replays it too
        s.seek(0);
        s.seek(now.as_millis() as u64);
        assert_eq!(keys(&mut s).trim(), n.to_string());
    }
}
