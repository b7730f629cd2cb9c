//! A lesson in progress: which steps are done, what was typed since the current step began,
//! and the hint to show. The session feeds it every console line with what it printed and
//! every passing of time; the current step completes when all its checks hold, then the next
//! is looked at at once (so a step is never skipped, and never done before its turn).
//!
//! The lesson's setup lines are the first inputs after it starts: they are not attempts, and
//! the lesson's start state (for `leader changed`) is taken after them. A replay of the same
//! inputs (a share link, a rewind) therefore reaches the same progress.
//!
//! Owns: [`LessonRun`], [`Attempt`]. Must not touch: how a line runs (the session).

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::check::{Scene, StartState};
use super::Lesson;
use crate::playground::Playground;
use crate::process::Output;

/// The most attempts kept for the current step, and of each one's output.
const MAX_ATTEMPTS: usize = 32;
const ATTEMPT_OUTPUT: usize = 8 * 1024;

/// Appends at most `max` bytes of the head of `s` (cut at a character boundary).
fn push_head(to: &mut String, s: &str, max: usize) {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    to.push_str(&s[..end]);
}

/// A console line run while a step was current.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub line: String,
    /// What it printed, stdout then stderr (the head).
    pub output: String,
    pub exit: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LessonRun {
    pub id: String,
    /// The first `done` steps are done.
    pub done: usize,
    /// Setup lines still to come before the learner's first attempt.
    #[serde(default)]
    pub pending_setup: usize,
    #[serde(default)]
    pub start: StartState,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    /// Wrong attempts at the current step.
    #[serde(default)]
    pub wrong: u32,
    #[serde(default)]
    pub hint: Option<String>,
    /// The lesson itself (looked up by `id` after a reload).
    #[serde(skip)]
    pub lesson: Option<Rc<Lesson>>,
}

impl PartialEq for LessonRun {
    fn eq(&self, o: &Self) -> bool {
        (
            self.id.as_str(),
            self.done,
            self.pending_setup,
            &self.start,
            &self.attempts,
            self.wrong,
            &self.hint,
        ) == (
            o.id.as_str(),
            o.done,
            o.pending_setup,
            &o.start,
            &o.attempts,
            o.wrong,
            &o.hint,
        )
    }
}

impl Eq for LessonRun {}

impl LessonRun {
    /// A lesson starting now; its setup lines are the next inputs.
    pub fn new(lesson: Rc<Lesson>, pg: &Playground) -> LessonRun {
        let mut run = LessonRun {
            id: lesson.id.clone(),
            pending_setup: lesson.setup.len(),
            lesson: Some(lesson),
            ..Default::default()
        };
        if run.pending_setup == 0 {
            run.take_start(pg);
        }
        run
    }

    pub fn lesson(&self) -> Option<&Rc<Lesson>> {
        self.lesson.as_ref()
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.lesson
            .as_ref()
            .is_some_and(|l| self.done >= l.steps.len())
    }

    /// The index of the current step (None: finished, or still setting up).
    pub fn current(&self) -> Option<usize> {
        let l = self.lesson.as_ref()?;
        (self.pending_setup == 0 && self.done < l.steps.len()).then_some(self.done)
    }

    fn take_start(&mut self, pg: &Playground) {
        let none = StartState::default();
        let scene = Scene {
            pg,
            attempts: &[],
            start: &none,
        };
        self.start = StartState {
            leader: scene.leader(),
            term: scene.max_term(),
        };
    }

    /// A console line ran and printed `out`.
    pub fn saw_line(&mut self, line: &str, out: &Output, pg: &Playground) {
        if self.pending_setup > 0 {
            self.pending_setup -= 1;
            if self.pending_setup == 0 {
                self.take_start(pg);
            }
            return;
        }
        if self.current().is_none() {
            return;
        }
        let mut output = String::new();
        for s in [&out.stdout, &out.stderr] {
            push_head(&mut output, s, ATTEMPT_OUTPUT);
        }
        if self.attempts.len() >= MAX_ATTEMPTS {
            self.attempts.remove(0);
        }
        self.attempts.push(Attempt {
            line: line.to_string(),
            output,
            exit: out.exit,
        });
        if !self.advance(pg) {
            self.wrong = self.wrong.saturating_add(1);
            self.hint = self.pick_hint(pg, out.exit != 0);
        }
    }

    /// What a job printed later (a background watch's events): counted as printed by the
    /// current step's latest attempt (`printed` sees it), then the step is looked at again.
    pub fn saw_job_output(&mut self, out: &Output, pg: &Playground) {
        if self.pending_setup > 0 || self.current().is_none() {
            return;
        }
        if self.attempts.is_empty() {
            self.attempts.push(Attempt::default());
        }
        if let Some(a) = self.attempts.last_mut() {
            for s in [&out.stdout, &out.stderr] {
                let room = ATTEMPT_OUTPUT.saturating_sub(a.output.len());
                push_head(&mut a.output, s, room);
            }
        }
        self.advance(pg);
    }

    /// Time passed (or anything else changed the state): completes what now holds.
    pub fn saw_time(&mut self, pg: &Playground) {
        if self.pending_setup == 0 {
            self.advance(pg);
        }
    }

    /// Completes the current step while its checks hold, then looks at the next. Says
    /// whether any step completed.
    pub fn advance(&mut self, pg: &Playground) -> bool {
        let Some(lesson) = self.lesson.clone() else {
            return false;
        };
        let mut any = false;
        while let Some(i) = self.current() {
            let scene = Scene {
                pg,
                attempts: &self.attempts,
                start: &self.start,
            };
            if !lesson.steps[i].checks.iter().all(|c| c.holds(&scene)) {
                break;
            }
            self.done += 1;
            self.attempts.clear();
            self.wrong = 0;
            self.hint = None;
            any = true;
        }
        any
    }

    /// The hint after a wrong attempt: the first `hint when` that holds, else (after a
    /// failed command or a second wrong attempt) the step's plain hint.
    fn pick_hint(&self, pg: &Playground, failed: bool) -> Option<String> {
        let lesson = self.lesson.as_ref()?;
        let step = lesson.steps.get(self.current()?)?;
        let scene = Scene {
            pg,
            attempts: &self.attempts,
            start: &self.start,
        };
        if let Some(h) = step
            .hints
            .iter()
            .find(|h| h.when.as_ref().is_some_and(|c| c.holds(&scene)))
        {
            return Some(h.text.clone());
        }
        if failed || self.wrong >= 2 {
            if let Some(h) = step.hints.iter().find(|h| h.when.is_none()) {
                return Some(h.text.clone());
            }
        }
        self.hint.clone()
    }
}
