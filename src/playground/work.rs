//! Long commands run a step at a time (`load k8s [large]`, `load FILE`): the page runs the
//! steps between frames, so it keeps answering, shows how far the command got, and Ctrl+C
//! stops it where it is. Everywhere else (transcripts, the REPL, a replay) the command runs
//! to its end at once, as any other line does.
//!
//! A step is a fixed piece of the command's work, so the same inputs and the same number of
//! steps always leave the same world: a command stopped after N steps is replayed by running
//! N steps ([`Playground::run_stopped_after`]).
//!
//! Owns: the command in progress. Must not touch: what a step does (`load`), when steps run
//! (the page).

use super::load::Load;
use super::Playground;
use crate::kubectl::LoadProgress;
use crate::process::Output;

/// The exit status of a command stopped by Ctrl+C (a shell's 128 + SIGINT).
pub const STOPPED_EXIT: i32 = 130;

/// A command's line as it prints it: on stdout, or on stderr with status 1.
pub(super) fn line_out(r: Result<String, String>) -> Output {
    match r {
        Ok(s) => Output {
            stdout: format!("{s}\n"),
            ..Default::default()
        },
        Err(e) => Output {
            stderr: format!("{e}\n"),
            exit: 1,
            ..Default::default()
        },
    }
}

impl Playground {
    /// Whether long commands run a step at a time ([`Playground::work`]) instead of to their
    /// end (the page turns it on).
    pub fn set_stepping(&mut self, on: bool) {
        self.stepping = on;
    }

    /// A load set up: started (stepping), or run to its end.
    pub(super) fn start_load(&mut self, load: Result<Load, String>) -> Output {
        match load {
            Ok(load) if self.stepping => {
                self.work = Some(load);
                Output::default()
            }
            Ok(load) => line_out(load.run_to_end(&mut self.world)),
            Err(e) => line_out(Err(e)),
        }
    }

    /// How far the command in progress got (None: none is).
    pub fn working(&self) -> Option<LoadProgress> {
        self.work.as_ref().map(Load::progress)
    }

    /// The snapshot interval in force once the command in progress ends (the world's is
    /// held back meanwhile): what a stored state must say.
    pub fn snapshot_count_after_work(&self) -> Option<u64> {
        self.work.as_ref().and_then(Load::snapshot_count)
    }

    /// Runs one step of the command in progress: its output once it ended.
    pub fn work(&mut self) -> Option<Output> {
        let done = self.work.as_mut()?.step(&mut self.world)?;
        self.work = None;
        Some(line_out(done))
    }

    /// Ctrl+C: the command in progress stops where it is; its output and how many steps it
    /// ran (None: none was running).
    pub fn stop_work(&mut self) -> Option<(Output, u64)> {
        let load = self.work.take()?;
        let steps = load.steps();
        let line = load.stop(&mut self.world);
        Some((
            Output {
                stderr: format!("^C\n{line}\n"),
                exit: STOPPED_EXIT,
                ..Default::default()
            },
            steps,
        ))
    }

    /// Runs a line whose command was stopped after `steps` steps (a replay of a Ctrl+C):
    /// the same steps run, then it stops as it did.
    pub fn run_stopped_after(&mut self, line: &str, steps: u64) -> Output {
        let stepping = std::mem::replace(&mut self.stepping, true);
        let out = self.run(line, None);
        self.stepping = stepping;
        if self.work.is_none() {
            return out;
        }
        for _ in 0..steps {
            if let Some(done) = self.work() {
                return done;
            }
        }
        self.stop_work().map(|(o, _)| o).unwrap_or(out)
    }

    /// Runs the command in progress to its end (a line arriving while it runs waits for it,
    /// as a shell's type-ahead does).
    pub(super) fn finish_work(&mut self) -> Output {
        loop {
            match self.work() {
                Some(out) => return out,
                None if self.work.is_none() => return Output::default(),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(p: &mut Playground) -> String {
        p.run("etcdctl get /registry --prefix --keys-only | wc -l", None)
            .stdout
    }

    #[test]
    fn a_stepped_load_leaves_what_a_load_run_at_once_leaves() {
        let mut once = Playground::new(3);
        let a = once.run("load k8s large", None);
        let mut stepped = Playground::new(3);
        stepped.set_stepping(true);
        let started = stepped.run("load k8s large", None);
        assert_eq!(started.stdout, "");
        assert!(stepped.working().is_some());
        let mut steps = 0;
        let b = loop {
            steps += 1;
            if let Some(out) = stepped.work() {
                break out;
            }
            let p = stepped.working().unwrap();
            assert!(p.written <= p.expected);
        };
        assert!(steps > 100, "{steps} steps");
        assert_eq!(a.stdout, b.stdout);
        assert!(
            a.stdout.starts_with("loaded the large Kubernetes sample: "),
            "{}",
            a.stdout
        );
        assert_eq!(once.world().now(), stepped.world().now());
        assert_eq!(keys(&mut once), keys(&mut stepped));
        assert_eq!(
            once.world().snapshot_count(),
            stepped.world().snapshot_count()
        );
    }

    #[test]
    fn a_stopped_load_replays_to_the_same_place() {
        let mut live = Playground::new(4);
        live.set_stepping(true);
        live.run("load k8s large", None);
        for _ in 0..40 {
            assert!(live.work().is_none());
        }
        assert_eq!(
            live.world().snapshot_count(),
            u64::MAX,
            "held back meanwhile"
        );
        let (out, steps) = live.stop_work().unwrap();
        assert_eq!(steps, 40);
        assert_eq!(out.exit, STOPPED_EXIT);
        assert!(
            out.stderr.starts_with("^C\nload: stopped by Ctrl+C after "),
            "{}",
            out.stderr
        );
        assert!(live.working().is_none());
        assert_ne!(live.world().snapshot_count(), u64::MAX, "given back");
        let mut replay = Playground::new(4);
        let again = replay.run_stopped_after("load k8s large", steps);
        assert_eq!(again.stderr, out.stderr);
        assert_eq!(live.world().now(), replay.world().now());
        let n = keys(&mut live);
        assert_eq!(n, keys(&mut replay));
        let n: usize = n.trim().parse().unwrap();
        assert!(n > 0 && n < 100_850, "{n}");
        // what was written stays; a second load says so
        let again = live.run("load k8s large", None);
        assert!(again.stderr.contains("/registry already holds keys"));
    }

    /// Runs `line` with stepping on to its end: its output and how many steps it took.
    fn stepped(p: &mut Playground, line: &str) -> (Output, usize) {
        p.set_stepping(true);
        let started = p.run(line, None);
        p.set_stepping(false);
        assert_eq!(started.stdout, "");
        let mut steps = 0;
        loop {
            steps += 1;
            if let Some(out) = p.work() {
                return (out, steps);
            }
        }
    }

    #[test]
    fn the_small_sample_and_a_file_load_step_as_they_run_at_once() {
        let mut once = Playground::new(8);
        let mut step = Playground::new(8);
        let a = once.run("load k8s", None);
        let (b, steps) = stepped(&mut step, "load k8s");
        assert!(steps > 300, "one put a step: {steps}");
        assert_eq!(a, b);
        assert!(a.stdout.starts_with("loaded the small Kubernetes sample"));
        assert_eq!(once.world().now(), step.world().now());
        // a snapshot file of that, loaded into fresh clusters
        once.run("etcdctl snapshot save s.db", None);
        let file = once.console.files.get("s.db").unwrap().clone();
        let mut at_once = Playground::new(9);
        let mut in_steps = Playground::new(9);
        at_once.add_file("s.db", file.clone()).unwrap();
        in_steps.add_file("s.db", file).unwrap();
        let a = at_once.run("load s.db", None);
        let (b, steps) = stepped(&mut in_steps, "load s.db");
        assert_eq!(a, b);
        assert!(a.stdout.starts_with("loaded the "), "{}", a.stdout);
        assert!(steps >= 3, "read, txns, end: {steps}");
        assert_eq!(keys(&mut at_once), keys(&mut in_steps));
        assert_eq!(at_once.world().now(), in_steps.world().now());
        // stopped after its first txn
        let mut stopped = Playground::new(9);
        stopped
            .add_file("s.db", once.console.files["s.db"].clone())
            .unwrap();
        let out = stopped.run_stopped_after("load s.db", 2);
        assert_eq!(out.exit, STOPPED_EXIT);
        assert!(
            out.stderr
                .starts_with("^C\nload: s.db: stopped by Ctrl+C after 128 of its "),
            "{}",
            out.stderr
        );
        // a file that is not a snapshot fails at its first step, stepping or not
        let mut bad = Playground::new(9);
        bad.console
            .files
            .insert("x.db".into(), b"not a snapshot".to_vec());
        let a = bad.run("load x.db", None);
        let (b, _) = stepped(&mut bad, "load x.db");
        assert_eq!(a, b);
        assert_eq!(a.exit, 1);
        assert!(a.stderr.starts_with("load: x.db: "), "{}", a.stderr);
    }

    #[test]
    fn stopping_before_a_key_is_written_says_so() {
        let mut p = Playground::new(5);
        p.set_stepping(true);
        p.run("load k8s large", None);
        let (out, steps) = p.stop_work().unwrap();
        assert_eq!(steps, 0);
        assert!(out.stderr.contains("before any key was written"));
        assert!(p.stop_work().is_none());
    }

    #[test]
    fn a_line_while_a_load_runs_waits_for_it() {
        let mut p = Playground::new(6);
        p.set_stepping(true);
        p.run("load k8s large", None);
        p.work();
        let out = p.run(
            "etcdctl get /registry/ranges/serviceips --print-value-only | wc -c",
            None,
        );
        assert!(p.working().is_none());
        assert!(
            out.stdout.contains("loaded the large Kubernetes sample"),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn a_load_in_a_shell_line_runs_where_it_stands() {
        let line = "etcdctl put y 2 && load k8s && etcdctl put z 3";
        let mut once = Playground::new(7);
        let a = once.run(line, None);
        let mut stepped = Playground::new(7);
        stepped.set_stepping(true);
        let b = stepped.run(line, None);
        assert!(stepped.working().is_none(), "it ran to its end");
        assert_eq!(a.stdout, b.stdout);
        assert!(
            b.stdout
                .starts_with("OK\nloaded the small Kubernetes sample: 341 keys")
                && b.stdout.ends_with("revisions 3..343\nOK\n"),
            "{}",
            b.stdout
        );
        let z = "etcdctl get z -w fields | grep ModRevision";
        assert_eq!(stepped.run(z, None).stdout, "\"ModRevision\" : 344\n");
    }
}
