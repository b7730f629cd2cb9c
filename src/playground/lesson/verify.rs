//! `etcdplay lessons --verify`: every lesson runs on a fresh state twice. First nothing
//! runs but its setup, and no step's checks may already hold (a check that cannot fail is a
//! defect); then its reference solution runs step by step through the session, as the page
//! runs it, and each step must complete right after its own solution, in order. Before
//! each step's solution its checks must not hold either.
//!
//! Owns: the verification and its report. Must not touch: the lessons' texts.

use std::rc::Rc;

use super::check::{Scene, StartState};
use super::parse::{parse, ParseError};
use super::Lesson;
use crate::playground::session::{Action, Session};

/// What `--verify` found.
#[derive(Debug, Default)]
pub struct Report {
    pub lessons: usize,
    pub steps: usize,
    /// One line each (file:line: what went wrong).
    pub failures: Vec<String>,
    /// One line per lesson verified.
    pub passed: Vec<String>,
}

impl Report {
    /// The report as `--verify` prints it, its last line `lessons: N lessons, M steps verified`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.passed {
            out.push_str(&format!("ok   {p}\n"));
        }
        for f in &self.failures {
            out.push_str(&format!("FAIL {f}\n"));
        }
        out.push_str(&format!(
            "lessons: {} lessons, {} steps verified{}\n",
            self.lessons,
            self.steps,
            if self.failures.is_empty() {
                String::new()
            } else {
                format!(", {} failure(s)", self.failures.len())
            }
        ));
        out
    }

    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Parses lesson files (name, text); a file that does not parse is a failure.
pub fn parse_all(files: &[(String, String)], report: &mut Report) -> Vec<Rc<Lesson>> {
    let mut out: Vec<Rc<Lesson>> = Vec::new();
    for (name, text) in files {
        match parse(name, text) {
            Ok(l) => {
                if out.iter().any(|o| o.id == l.id) {
                    report
                        .failures
                        .push(format!("{name}:1: a second lesson {}", l.id));
                } else {
                    out.push(Rc::new(l));
                }
            }
            Err(ParseError {
                file,
                line,
                message,
            }) => report.failures.push(format!("{file}:{line}: {message}")),
        }
    }
    out
}

/// Verifies each lesson, adding to `report`.
pub fn verify(lessons: &[Rc<Lesson>], report: &mut Report) {
    for l in lessons {
        let before = report.failures.len();
        verify_one(l, report);
        if report.failures.len() == before {
            report.lessons += 1;
            report.steps += l.steps.len();
            report
                .passed
                .push(format!("{} ({} steps)", l.id, l.steps.len()));
        }
    }
}

fn holds_now(s: &Session, lesson: &Lesson, i: usize, start: &StartState) -> bool {
    let scene = Scene {
        pg: s.playground(),
        attempts: &[],
        start,
    };
    lesson.steps[i].checks.iter().all(|c| c.holds(&scene))
}

fn verify_one(l: &Rc<Lesson>, report: &mut Report) {
    let at = |i: usize, m: String| {
        let step = &l.steps[i];
        format!(
            "{}.md:{}: step {} \"{}\": {m}",
            l.id,
            step.line,
            i + 1,
            step.title
        )
    };
    // 1. On the fresh state (setup run, nothing else), no step's checks hold.
    let fresh = Session::for_lesson(l.clone());
    let start = fresh.lesson().map(|r| r.start.clone()).unwrap_or_default();
    for i in 0..l.steps.len() {
        if holds_now(&fresh, l, i, &start) {
            report.failures.push(at(
                i,
                "its check already holds on the lesson's fresh state (a check that cannot fail)"
                    .to_string(),
            ));
        }
    }
    // 2. The reference solution, step by step, through the session as the page drives it.
    let mut s = Session::for_lesson(l.clone());
    for i in 0..l.steps.len() {
        let done = s.lesson().map_or(0, |r| r.done);
        if done != i {
            report.failures.push(at(
                i,
                format!("{done} step(s) done before this step's solution ran (expected {i})"),
            ));
            return;
        }
        let start = s.lesson().map(|r| r.start.clone()).unwrap_or_default();
        if holds_now(&s, l, i, &start) {
            report.failures.push(at(
                i,
                "its check holds before its solution runs (a check that cannot fail)".to_string(),
            ));
            return;
        }
        let first_entry = s.next_entry_id();
        // ("show me": the step's solution lines, placeholders filled, as console input)
        s.apply(Action::ShowMe);
        let done = s.lesson().map_or(0, |r| r.done);
        if done != i + 1 {
            let printed: Vec<String> = s
                .entries()
                .iter()
                .filter(|e| e.id >= first_entry)
                .map(|e| {
                    format!(
                        "    $ {}\n{}{}",
                        e.line,
                        indent(&e.output.stdout),
                        indent(&e.output.stderr)
                    )
                })
                .collect();
            report.failures.push(at(
                i,
                if done <= i {
                    format!(
                        "its solution ran but the step did not complete; it printed:\n{}",
                        printed.join("")
                    )
                } else {
                    format!(
                        "its solution also completed step {} (that step's check holds too early)",
                        i + 2
                    )
                },
            ));
            return;
        }
    }
}

fn indent(s: &str) -> String {
    s.lines().take(20).map(|l| format!("      {l}\n")).collect()
}

/// The compiled-in lesson files, verified.
pub fn verify_catalog() -> Report {
    let files: Vec<(String, String)> = super::files()
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    verify_files(&files)
}

/// Lesson files (name, text), parsed and verified.
pub fn verify_files(files: &[(String, String)]) -> Report {
    let mut report = Report::default();
    let lessons = parse_all(files, &mut report);
    verify(&lessons, &mut report);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &str) -> Vec<(String, String)> {
        vec![(
            "t.md".to_string(),
            format!("---\ntitle: T\nsummary: S\n---\n{body}"),
        )]
    }

    #[test]
    fn a_good_lesson_passes() {
        let r = verify_files(&file(
            "## Put\ncommand: etcdctl put a 1\ncheck: key a = 1\n## Stop\nsolution: stop infra2\ncheck: member infra2 down\n",
        ));
        assert!(r.ok(), "{}", r.text());
        assert_eq!((r.lessons, r.steps), (1, 2));
        assert!(r.text().ends_with("lessons: 1 lessons, 2 steps verified\n"));
    }

    #[test]
    fn catches_a_check_that_holds_on_a_fresh_state() {
        let r = verify_files(&file(
            "## Up\ncommand: etcdctl put a 1\ncheck: member infra1 up\n",
        ));
        assert!(!r.ok());
        assert!(
            r.failures[0].starts_with("t.md:5: step 1 \"Up\": its check already holds"),
            "{}",
            r.text()
        );
    }

    #[test]
    fn catches_a_solution_that_does_not_complete_its_step() {
        let r = verify_files(&file(
            "## Put\ncommand: etcdctl put a 1\ncheck: key a = 2\n",
        ));
        assert!(!r.ok());
        assert!(r.failures[0].contains("did not complete"), "{}", r.text());
        assert!(r.failures[0].contains("$ etcdctl put a 1"), "{}", r.text());
        assert!(r
            .text()
            .contains("0 lessons, 0 steps verified, 1 failure(s)"));
    }

    #[test]
    fn catches_a_step_completed_by_the_one_before() {
        let r = verify_files(&file(
            "## Put\ncommand: etcdctl put a 1\ncheck: key a exists\n## Again\ncommand: etcdctl put b 1\ncheck: revision >= 2\n",
        ));
        assert!(!r.ok(), "{}", r.text());
        assert!(
            r.failures.iter().any(|f| f.contains("step 2")),
            "{}",
            r.text()
        );
    }

    #[test]
    fn reports_a_malformed_file_with_its_line() {
        let r = verify_files(&file(
            "## Put\ncommand: etcdctl put a 1\ncheck: key a is 1\n",
        ));
        assert_eq!(r.failures.len(), 1);
        assert!(
            r.failures[0].starts_with("t.md:7: check: key a"),
            "{}",
            r.text()
        );
    }

    #[test]
    fn the_compiled_in_lessons_verify() {
        let r = verify_catalog();
        assert!(r.ok(), "{}", r.text());
        assert_eq!(r.lessons, super::super::files().len());
    }
}
