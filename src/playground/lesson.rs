//! Guided lessons and challenges: ordered steps, each with a short text saying why, maybe a
//! command to type, and a check — a predicate over the playground's state and what was typed
//! and printed — that completes the step by itself when it holds, in order.
//!
//! Lessons are data: each is a text file under `lessons/` (its format and the predicate
//! vocabulary are documented in `lessons/README.md`), compiled into the binary by
//! `build.rs`, parsed by [`parse`] and checked by `etcdplay lessons --verify` ([`verify`]).
//! A lesson starts from a known state: a lab, a seed, and setup lines run as console inputs
//! (so a share link replays them like anything typed).
//!
//! Owns: the lesson format, the predicates, a lesson's progress ([`run`]). Must not touch:
//! the DOM (the page's lessons panel draws [`Lesson`] and [`LessonRun`]), etcd rules (checks
//! only read state).

pub mod check;
pub mod parse;
pub mod run;
pub mod text;
pub mod verify;

use std::rc::Rc;

use super::lab::LabKind;
pub use check::Check;
pub use parse::ParseError;
pub use run::{Attempt, LessonRun};
pub use text::{Inline, Paragraph};

/// A lesson teaches with commands shown; a challenge states a goal and shows none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lesson,
    Challenge,
}

/// One lesson file, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The file name without `.md` (`lesson-item-<id>` in the page).
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub lab: LabKind,
    pub seed: u64,
    /// One sentence for the list.
    pub summary: String,
    /// Console lines run when the lesson starts (as inputs of the session).
    pub setup: Vec<String>,
    /// What comes before the first step.
    pub intro: Vec<Paragraph>,
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    pub text: Vec<Paragraph>,
    /// The command shown (clicking it puts it in the console input). Lessons only.
    pub command: Option<String>,
    /// The reference solution: the console lines "show me" runs and `--verify` checks
    /// (the command when none is given).
    pub solution: Vec<String>,
    /// All must hold for the step to be done.
    pub checks: Vec<Check>,
    pub hints: Vec<Hint>,
    /// The line of the file the step starts at (`## ...`).
    pub line: usize,
}

/// What a learner sees after a wrong attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct Hint {
    /// Only when this holds (None: any wrong attempt).
    pub when: Option<Check>,
    pub text: String,
}

/// The lesson files compiled in: (file name, text), in the order the list shows them.
pub fn files() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"))
}

/// The lessons compiled in (`--verify` proves each parses: one that does not is left out
/// here rather than reaching the page).
pub fn catalog() -> Vec<Rc<Lesson>> {
    thread_local! {
        static CATALOG: Vec<Rc<Lesson>> = files()
            .iter()
            .filter_map(|(name, text)| parse::parse(name, text).ok())
            .map(Rc::new)
            .collect();
    }
    CATALOG.with(|c| c.clone())
}

/// A compiled-in lesson by id.
pub fn find(id: &str) -> Option<Rc<Lesson>> {
    catalog().into_iter().find(|l| l.id == id)
}

impl Lesson {
    /// The lines "show me" runs for step `i`.
    pub fn solution(&self, i: usize) -> &[String] {
        self.steps.get(i).map_or(&[], |s| s.solution.as_slice())
    }
}
