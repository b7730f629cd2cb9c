//! A replay of stored inputs run a step at a time: one input a step, and a long command an
//! input starts (`load k8s large`) one of its own steps a step, as the page runs it when it is
//! typed. The page drives a share link's replay and its share button's check in slices
//! between frames with it; [`Session::replay`] runs one to its end. Each step ends as it
//! would have in a replay run whole, so both reach the same session.
//!
//! Owns: the inputs left, the input whose long command is in progress. Must not touch: what
//! an input does (the console, the playground).

use std::collections::VecDeque;
use std::time::Duration;

use super::timeline::InputRecord;
use super::Session;
use crate::kubectl::LoadProgress;

/// A replay in progress.
#[derive(Debug, Default)]
pub struct Replay {
    pending: VecDeque<InputRecord>,
    total: usize,
    /// The input whose long command runs on, a step at a time, and the steps it ran.
    running: Option<(InputRecord, u64)>,
    done: bool,
}

impl Replay {
    pub fn new(records: Vec<InputRecord>) -> Replay {
        Replay {
            total: records.len(),
            pending: records.into(),
            ..Replay::default()
        }
    }

    /// Runs the next step of the replay on `s`: the next input (time passes first to the moment
    /// it ran), or one step of the long command the last one started. False once every input
    /// ran (the timeline's horizon is then at its end).
    pub fn step(&mut self, s: &mut Session) -> bool {
        if self.done {
            return false;
        }
        if let Some((r, ran)) = self.running.take() {
            // (a command stopped by Ctrl+C stops after as many steps as it ran then)
            if r.steps.is_some_and(|n| ran >= n) {
                let out = s.playground.stop_work().map(|(o, _)| o).unwrap_or_default();
                s.rerun_end(r, out, true);
                return true;
            }
            match s.playground.work() {
                Some(out) => s.rerun_end(r, out, true),
                None if s.playground.working().is_some() => self.running = Some((r, ran + 1)),
                // (nothing runs any more: it ends as a replay run whole would have ended it)
                None => s.rerun_end(r, Default::default(), true),
            }
            return true;
        }
        let Some(r) = self.pending.pop_front() else {
            s.touch_horizon();
            self.done = true;
            return false;
        };
        if let Some(at) = r.at_ms {
            let now = s.now_ms();
            if at > now {
                s.pass(Duration::from_millis(at - now));
            }
        }
        self.running = s.rerun_stepping(r, true, true).map(|r| (r, 0));
        true
    }

    /// Inputs replayed (the one in progress counted as not yet), and how many in all.
    pub fn progress(&self) -> (usize, usize) {
        let left = self.pending.len() + usize::from(self.running.is_some());
        (self.total - left, self.total)
    }

    /// The long command in progress, and how far it got.
    pub fn working<'a>(&'a self, s: &Session) -> Option<(&'a str, LoadProgress)> {
        let (r, _) = self.running.as_ref()?;
        Some((r.line.as_str(), s.playground.working()?))
    }
}

impl Session {
    /// Replays stored inputs on the current playground (after a reload, a share link),
    /// showing each.
    pub fn replay(&mut self, records: Vec<InputRecord>) {
        let mut replay = Replay::new(records);
        while replay.step(self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::session::Action;

    fn inputs_of(lines: &[&str]) -> Vec<InputRecord> {
        let mut s = Session::new(7);
        for l in lines {
            s.run_line(l);
        }
        s.inputs().to_vec()
    }

    /// What two sessions must agree on after the same inputs.
    fn seen(s: &Session) -> (Vec<(String, String, String, i32)>, Vec<String>, u64) {
        let entries = s
            .entries()
            .iter()
            .map(|e| {
                (
                    e.line.clone(),
                    e.output.stdout.clone(),
                    e.output.stderr.clone(),
                    e.output.exit,
                )
            })
            .collect();
        let inputs = s.inputs().iter().map(|r| format!("{r:?}")).collect();
        (entries, inputs, s.now_ms())
    }

    #[test]
    fn a_replay_a_step_at_a_time_reaches_what_a_replay_run_whole_reaches() {
        let records = inputs_of(&[
            "etcdctl put a 1",
            "load k8s",
            "etcdctl get /registry/namespaces/default --print-value-only=false -w json",
            "advance 3s",
            "etcdctl member list",
            "etcdctl put b 2",
        ]);
        assert!(records.len() >= 6);
        let mut whole = Session::new(7);
        let mut replay = Replay::new(records.clone());
        // (run whole: an input at a time, each to its end)
        for r in records.clone() {
            whole.replay_one(r, true);
        }
        whole.touch_horizon();
        let mut stepped = Session::new(7);
        let mut steps = 0;
        let mut saw_load_running = false;
        while replay.step(&mut stepped) {
            steps += 1;
            saw_load_running |= replay.working(&stepped).is_some();
            let (done, total) = replay.progress();
            assert!(done <= total);
        }
        assert!(saw_load_running, "the load ran a step at a time");
        assert!(steps > records.len(), "{steps} steps");
        assert_eq!(replay.progress(), (records.len(), records.len()));
        assert_eq!(seen(&stepped), seen(&whole));
        assert_eq!(stepped.share_fingerprint(), whole.share_fingerprint());
        assert!(
            !replay.step(&mut stepped),
            "a replay that ended stays ended"
        );
    }

    #[test]
    fn a_stopped_load_replays_stopped_at_the_same_place() {
        let mut s = Session::new(7);
        s.step_long_commands(true);
        s.apply(Action::Run("load k8s large".into()));
        for _ in 0..5 {
            assert!(s.work().is_none());
        }
        s.apply(Action::Interrupt);
        s.run_line("etcdctl put after 1");
        let records = s.inputs().to_vec();
        assert!(records.iter().any(|r| r.steps.is_some()), "{records:?}");
        let mut again = Session::new(7);
        let mut replay = Replay::new(records);
        let mut steps = 0;
        while replay.step(&mut again) {
            steps += 1;
        }
        assert!(
            steps >= 5,
            "the stopped load's steps ran one at a time: {steps}"
        );
        assert_eq!(again.share_fingerprint(), s.share_fingerprint());
        assert_eq!(again.entries().len(), s.entries().len());
        for (a, b) in again.entries().iter().zip(s.entries().iter()) {
            assert_eq!((&a.line, &a.output), (&b.line, &b.output));
        }
    }
}
