//! The session's lesson: the one in progress (fed every console line and every passing of
//! time), starting one from its known state, "show me", and the lessons finished before.
//!
//! Owns: the glue between [`Session`] and [`LessonRun`]. Must not touch: what a check means
//! (`playground::lesson`), how the panel looks (the page's).

use std::rc::Rc;

use super::Session;
use crate::playground::lesson::{self, Lesson, LessonRun};
use crate::process::Output;

impl Session {
    /// A fresh session of the lesson's lab and seed, the lesson started and its setup run.
    pub fn for_lesson(lesson: Rc<Lesson>) -> Session {
        let mut s =
            Session::fresh_seeded(lesson.lab, crate::api::EtcdVersion::default(), lesson.seed);
        s.start_lesson(lesson);
        s
    }

    /// Starts `lesson` on this session as it stands: its setup lines run as inputs.
    pub fn start_lesson(&mut self, lesson: Rc<Lesson>) {
        let setup = lesson.setup.clone();
        self.lesson = Some(LessonRun::new(lesson, &self.playground));
        for line in setup {
            let line = lesson::check::fill_placeholders(&line, &self.playground);
            self.run_line(&line);
        }
    }

    /// Attaches `lesson` before a replay of inputs that begin with its setup lines (a share
    /// link): the replay makes the progress.
    pub(super) fn attach_lesson(&mut self, lesson: Rc<Lesson>) {
        self.lesson = Some(LessonRun::new(lesson, &self.playground));
    }

    /// The lesson in progress.
    pub fn lesson(&self) -> Option<&LessonRun> {
        self.lesson.as_ref()
    }

    /// Leaves the lesson (the cluster stays as it is).
    pub fn close_lesson(&mut self) {
        self.lesson = None;
    }

    /// The lessons finished in this lab's sessions (kept across lessons and reloads).
    pub fn lessons_finished(&self) -> &std::collections::BTreeSet<String> {
        &self.lessons_finished
    }

    /// Carries the finished lessons over from the session this one replaces.
    pub fn inherit_lessons(&mut self, from: &Session) {
        self.lessons_finished
            .extend(from.lessons_finished.iter().cloned());
    }

    /// "Show me": runs the current step's reference solution as console input.
    pub fn show_me(&mut self) {
        let Some(run) = &self.lesson else {
            return;
        };
        let (Some(i), Some(l)) = (run.current(), run.lesson().cloned()) else {
            return;
        };
        for line in l.solution(i).to_vec() {
            let line = lesson::check::fill_placeholders(&line, &self.playground);
            self.run_input(&line);
        }
    }

    /// A console line ran (typed, clicked or replayed).
    pub(super) fn lesson_saw_line(&mut self, line: &str, out: &Output) {
        if let Some(run) = &mut self.lesson {
            run.saw_line(line, out, &self.playground);
            self.note_finished();
        }
    }

    /// A background job printed `out` (a watch's events).
    pub(super) fn lesson_saw_job_output(&mut self, out: &Output) {
        if let Some(run) = &mut self.lesson {
            run.saw_job_output(out, &self.playground);
            self.note_finished();
        }
    }

    /// Time passed or the world changed without a line.
    pub(super) fn lesson_saw_time(&mut self) {
        if let Some(run) = &mut self.lesson {
            run.saw_time(&self.playground);
            self.note_finished();
        }
    }

    fn note_finished(&mut self) {
        if let Some(run) = &self.lesson {
            if run.finished() {
                self.lessons_finished.insert(run.id.clone());
            }
        }
    }

    /// After a reload: the stored progress, its lesson looked up among those compiled in
    /// (a lesson that no longer exists is dropped).
    pub(super) fn restore_lesson(&mut self, run: Option<LessonRun>, finished: &[String]) {
        self.lessons_finished.extend(finished.iter().cloned());
        self.lesson = run.and_then(|mut r| {
            let l = lesson::find(&r.id)?;
            r.done = r.done.min(l.steps.len());
            r.lesson = Some(l);
            Some(r)
        });
    }

    /// `reset` during a lesson starts it again (its setup runs again).
    pub(super) fn restart_lesson(&mut self) {
        if let Some(l) = self.lesson.as_ref().and_then(|r| r.lesson().cloned()) {
            self.start_lesson(l);
        }
    }
}
