//! Reads a lesson file: front matter between `---` lines (`title`, `kind`, `lab`, `seed`,
//! `summary`, `setup` lines), an introduction, then one `## Title` section a step, whose
//! lines are prose except the directives `command:`, `solution:`, `check:`, `hint:` and
//! `hint when PREDICATE: TEXT`; `> ` lines after a command or solution line continue it
//! (a here-document). Every mistake is reported with the file and line.
//!
//! Owns: the file format (documented in `lessons/README.md`).

use super::check::{words, Check};
use super::text::paragraphs;
use super::{Hint, Kind, Lesson, Step};
use crate::playground::lab::LabKind;
use crate::playground::session::DEFAULT_SEED;

/// A mistake in a lesson file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The most steps, setup lines and bytes a lesson may have (a file is data: bounded).
const MAX_STEPS: usize = 60;
const MAX_SETUP: usize = 100;
const MAX_BYTES: usize = 64 * 1024;

/// Parses the file `name` (`ID.md`).
pub fn parse(name: &str, text: &str) -> Result<Lesson, ParseError> {
    let err = |line: usize, message: String| ParseError {
        file: name.to_string(),
        line,
        message,
    };
    let id = name.strip_suffix(".md").unwrap_or(name);
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(
            1,
            format!("the file name must be ID.md with ID of a-z, 0-9 and -: {name}"),
        ));
    }
    if text.len() > MAX_BYTES {
        return Err(err(1, format!("longer than {MAX_BYTES} bytes")));
    }
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(err(
            1,
            "a lesson starts with front matter: a line `---`".to_string(),
        ));
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return Err(err(1, "the front matter has no closing `---`".to_string()));
    };
    let end = end + 1;
    let mut lesson = Lesson {
        id: id.to_string(),
        title: String::new(),
        kind: Kind::Lesson,
        lab: LabKind::Local,
        seed: DEFAULT_SEED,
        summary: String::new(),
        setup: Vec::new(),
        intro: Vec::new(),
        steps: Vec::new(),
    };
    for (i, l) in lines.iter().enumerate().take(end).skip(1) {
        let n = i + 1;
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let Some((k, v)) = l.split_once(':') else {
            return Err(err(n, format!("expected `key: value`, found: {l}")));
        };
        let v = v.trim().to_string();
        match k.trim() {
            "title" => lesson.title = v,
            "summary" => lesson.summary = v,
            "kind" => {
                lesson.kind = match v.as_str() {
                    "lesson" => Kind::Lesson,
                    "challenge" => Kind::Challenge,
                    _ => return Err(err(n, format!("kind is lesson or challenge, not {v}"))),
                }
            }
            "lab" => {
                lesson.lab = LabKind::parse(&v).ok_or_else(|| {
                    err(
                        n,
                        format!(
                            "no lab {v} (labs: {})",
                            LabKind::ALL.map(LabKind::name).join(", ")
                        ),
                    )
                })?
            }
            "seed" => {
                lesson.seed = v
                    .parse()
                    .map_err(|_| err(n, format!("seed is a number, not {v}")))?
            }
            "setup" => {
                if v.is_empty() {
                    return Err(err(n, "an empty setup line".to_string()));
                }
                lesson.setup.push(v)
            }
            other => return Err(err(n, format!("unknown front matter key: {other}"))),
        }
    }
    if lesson.title.is_empty() {
        return Err(err(1, "the front matter needs a title".to_string()));
    }
    if lesson.summary.is_empty() {
        return Err(err(1, "the front matter needs a summary".to_string()));
    }
    if lesson.setup.len() > MAX_SETUP {
        return Err(err(1, format!("more than {MAX_SETUP} setup lines")));
    }

    let mut intro: Vec<&str> = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut cur: Option<Step> = None;
    // whether a `> ` line continues the step's command (true) or its last solution line
    let mut continues: Option<bool> = None;
    let finish = |step: Option<Step>, prose: &mut Vec<&str>, lesson: &mut Lesson| {
        if let Some(mut s) = step {
            s.text = paragraphs(prose);
            lesson.steps.push(s);
        }
        prose.clear();
    };
    for (i, l) in lines.iter().enumerate().skip(end + 1) {
        let n = i + 1;
        if let Some(title) = l.strip_prefix("## ") {
            continues = None;
            finish(cur.take(), &mut prose, &mut lesson);
            cur = Some(Step {
                title: title.trim().to_string(),
                text: Vec::new(),
                command: None,
                solution: Vec::new(),
                checks: Vec::new(),
                hints: Vec::new(),
                line: n,
            });
            continue;
        }
        let directive = ["command:", "solution:", "check:", "hint:", "hint when "]
            .into_iter()
            .find(|d| l.starts_with(d));
        // `> LINE` after a command or solution line: its next line (a here-document's body,
        // as a shell's `> ` prompt shows it)
        if let (Some(step), Some(is_command), Some(more)) = (
            cur.as_mut(),
            continues,
            l.strip_prefix("> ").or((l.trim_end() == ">").then_some("")),
        ) {
            let target = if is_command {
                step.command.as_mut()
            } else {
                step.solution.last_mut()
            };
            if let Some(t) = target {
                t.push('\n');
                t.push_str(more.trim_end());
                continue;
            }
        }
        continues = match directive {
            Some("command:") => Some(true),
            Some("solution:") => Some(false),
            _ => None,
        };
        let Some(step) = cur.as_mut() else {
            if directive.is_some() {
                return Err(err(
                    n,
                    format!("`{}` before the first step (`## Title`)", l.trim()),
                ));
            }
            intro.push(l);
            continue;
        };
        let Some(d) = directive else {
            prose.push(l);
            continue;
        };
        let v = l[d.len()..].trim();
        match d {
            "command:" => {
                if v.is_empty() {
                    return Err(err(n, "an empty command".to_string()));
                }
                if step.command.is_some() {
                    return Err(err(n, "a step shows one command".to_string()));
                }
                step.command = Some(v.to_string());
            }
            "solution:" => {
                if v.is_empty() {
                    return Err(err(n, "an empty solution line".to_string()));
                }
                step.solution.push(v.to_string());
            }
            "check:" => step
                .checks
                .push(Check::parse(v).map_err(|e| err(n, format!("check: {e}")))?),
            "hint:" => {
                if v.is_empty() {
                    return Err(err(n, "an empty hint".to_string()));
                }
                step.hints.push(Hint {
                    when: None,
                    text: v.to_string(),
                });
            }
            _ => {
                let (pred, text) = split_when(v)
                    .ok_or_else(|| err(n, "expected `hint when PREDICATE: TEXT`".to_string()))?;
                let when = Check::parse(pred).map_err(|e| err(n, format!("hint when: {e}")))?;
                step.hints.push(Hint {
                    when: Some(when),
                    text: text.to_string(),
                });
            }
        }
    }
    finish(cur.take(), &mut prose, &mut lesson);
    lesson.intro = paragraphs(&intro);
    if lesson.steps.is_empty() {
        return Err(err(
            end + 1,
            "a lesson needs at least one step (`## Title`)".to_string(),
        ));
    }
    if lesson.steps.len() > MAX_STEPS {
        return Err(err(end + 1, format!("more than {MAX_STEPS} steps")));
    }
    for s in &mut lesson.steps {
        let at = |m: &str| err(s.line, format!("step \"{}\": {m}", s.title));
        if s.title.is_empty() {
            return Err(at("a step needs a title"));
        }
        if s.checks.is_empty() {
            return Err(at("a step needs at least one `check:`"));
        }
        match lesson.kind {
            Kind::Challenge if s.command.is_some() => {
                return Err(at(
                    "a challenge shows no command (give a `solution:` instead)",
                ))
            }
            _ => {}
        }
        if s.solution.is_empty() {
            match &s.command {
                Some(c) => s.solution.push(c.clone()),
                None => return Err(at("a step needs a `command:` or a `solution:`")),
            }
        }
    }
    Ok(lesson)
}

/// `PREDICATE: TEXT` → the two, cut at the first `:` outside quotes that a space follows.
fn split_when(s: &str) -> Option<(&str, &str)> {
    let mut quote = None;
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ':') if b.get(i + 1).is_none_or(|n| *n == b' ') => {
                let (p, t) = (s[..i].trim(), s[i + 1..].trim());
                return (!p.is_empty() && !t.is_empty() && words(p).is_ok()).then_some((p, t));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_here_document_continues_a_command() {
        let text = "---\ntitle: T\nsummary: S\n---\n## One\ncommand: etcdctl txn <<EOF\n> value(\"a\") = \"1\"\n>\n> put a 2\n> EOF\ncheck: key a = 2\n## Two\nsolution: cat <<X\n> hi\n> X\nsolution: echo\ncheck: key b = 1\n";
        let l = parse("t.md", text).expect("parses");
        let cmd = "etcdctl txn <<EOF\nvalue(\"a\") = \"1\"\n\nput a 2\nEOF";
        assert_eq!(l.steps[0].command.as_deref(), Some(cmd));
        assert_eq!(l.steps[0].solution, vec![cmd.to_string()]);
        assert_eq!(
            l.steps[1].solution,
            vec!["cat <<X\nhi\nX".to_string(), "echo".to_string()]
        );
    }

    const GOOD: &str = "---\ntitle: T\nsummary: S\nseed: 3\nsetup: etcdctl put a 1\n---\nIntro `x`.\n\n## One\nWhy.\n\ncommand: etcdctl put foo bar\ncheck: key foo = bar\nhint when printed \"a: b\": look\nhint: try again\n## Two\nsolution: stop infra1\ncheck: member infra1 down\n";

    #[test]
    fn reads_a_lesson() {
        let l = parse("demo.md", GOOD).expect("parses");
        assert_eq!(l.id, "demo");
        assert_eq!(l.seed, 3);
        assert_eq!(l.setup, ["etcdctl put a 1"]);
        assert_eq!(l.steps.len(), 2);
        assert_eq!(l.steps[0].solution, ["etcdctl put foo bar"]);
        assert_eq!(l.steps[0].hints.len(), 2);
        assert_eq!(l.steps[0].line, 9);
        assert_eq!(l.steps[1].command, None);
    }

    #[test]
    fn reports_file_and_line() {
        let cases = [
            (
                GOOD.replace("check: key foo = bar", "check: key foo is bar"),
                13,
            ),
            (GOOD.replace("seed: 3", "seed: three"), 4),
            (
                GOOD.replace("kind", "kind")
                    .replace("title: T\n", "title: T\ncolour: red\n"),
                3,
            ),
            (GOOD.replace("check: member infra1 down\n", ""), 16),
            (GOOD.replace("Intro `x`.", "check: key a = 1"), 7),
            (
                GOOD.replace("hint: try again", "hint when nothing here"),
                15,
            ),
            ("no front matter".to_string(), 1),
        ];
        for (text, line) in cases {
            let e = parse("demo.md", &text).expect_err(&text);
            assert_eq!((e.file.as_str(), e.line), ("demo.md", line), "{e}");
        }
        assert!(parse("Bad Name.md", GOOD).is_err());
        let challenge = GOOD.replace("seed: 3", "seed: 3\nkind: challenge");
        assert!(parse("demo.md", &challenge)
            .unwrap_err()
            .message
            .contains("challenge shows no command"));
    }

    #[test]
    fn never_panics_on_noise() {
        for text in [
            "",
            "---",
            "---\n---",
            "---\ntitle: a\nsummary: b\n---\n## \ncheck: x",
            "\u{0}\u{ffff}",
            "---\n:\n---",
        ] {
            let _ = parse("x.md", text);
        }
    }
}
