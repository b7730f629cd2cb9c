//! The lessons panel: the list of lessons and challenges (`lesson-list`, one
//! `lesson-item-<id>` each, finished ones ticked), and the lesson in progress — its steps in
//! order (`lesson-step`, `data-done`), the current one with its text, the command to type
//! (`lesson-step-command`: a click puts it in the console input), "show me" and the hint
//! after a wrong attempt (`lesson-hint`).
//!
//! Lesson texts are data: paragraphs are drawn as text nodes, `code` and `em` elements and
//! `https` links, never as markup.
//!
//! Owns: how a lesson looks, the start confirmation. Must not touch: what a check means or
//! when a step completes (`playground::lesson`), starting a lesson (the page replaces the
//! lab's session with [`Session::for_lesson`](crate::playground::session::Session::for_lesson)).

use std::rc::Rc;

use yew::prelude::*;

use crate::playground::lesson::{self, Inline, Kind, Lesson, Paragraph};
use crate::playground::session::Session;

/// One entry of the list.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonItem {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub challenge: bool,
    /// The lab it runs in, when not the local one.
    pub lab: Option<&'static str>,
    pub steps: usize,
    pub finished: bool,
}

/// The lesson in progress as the panel shows it.
#[derive(Clone, Debug)]
pub struct RunView {
    pub lesson: Rc<Lesson>,
    pub done: usize,
    pub hint: Option<String>,
}

impl PartialEq for RunView {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.lesson, &o.lesson) && self.done == o.done && self.hint == o.hint
    }
}

impl RunView {
    pub fn finished(&self) -> bool {
        self.done >= self.lesson.steps.len()
    }
}

/// What the panel shows of `s`: the catalog with the finished ones marked, and the lesson
/// in progress.
pub fn view_of(s: &Session) -> (Vec<LessonItem>, Option<RunView>) {
    let finished = s.lessons_finished();
    let items = lesson::catalog()
        .iter()
        .map(|l| LessonItem {
            id: l.id.clone(),
            title: l.title.clone(),
            summary: l.summary.clone(),
            challenge: l.kind == Kind::Challenge,
            lab: (l.lab != crate::playground::lab::LabKind::Local).then(|| l.lab.name()),
            steps: l.steps.len(),
            finished: finished.contains(&l.id),
        })
        .collect();
    let run = s.lesson().and_then(|r| {
        Some(RunView {
            lesson: r.lesson()?.clone(),
            done: r.done,
            hint: r.hint.clone(),
        })
    });
    (items, run)
}

/// Whether starting a lesson could drop something the learner did in this session: more
/// inputs than the lesson in progress's own setup lines, or a session restored by a reload
/// (what ran before the reload is not counted here, so the page asks).
pub fn has_own_inputs(s: &Session) -> bool {
    let setup = s
        .lesson()
        .and_then(|r| r.lesson())
        .map_or(0, |l| l.setup.len());
    s.restored() || s.inputs().len() > setup
}

#[derive(Properties, PartialEq)]
pub struct LessonsPanelProps {
    pub items: Vec<LessonItem>,
    pub run: Option<RunView>,
    /// A lesson waiting for the learner's yes before it replaces the session: (id, why).
    #[prop_or_default]
    pub confirm: Option<(String, String)>,
    /// A list entry clicked (the page starts it, or asks first).
    pub on_choose: Callback<String>,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    /// A step's command clicked: into the console input.
    pub on_fill: Callback<String>,
    pub on_show_me: Callback<()>,
    /// Leave the lesson (the cluster stays as it is).
    pub on_leave: Callback<()>,
    pub on_close: Callback<()>,
}

/// The panel: the lesson in progress, or the list.
#[component]
pub fn LessonsPanel(props: &LessonsPanelProps) -> Html {
    // the list can be looked at while a lesson runs
    let browsing = use_state(|| false);
    let showing_list = props.run.is_none() || *browsing || props.confirm.is_some();
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let body = match props.run.clone().filter(|_| !showing_list) {
        Some(run) => {
            let to_list = {
                let browsing = browsing.clone();
                Callback::from(move |_: MouseEvent| browsing.set(true))
            };
            let next = next_item(&props.items, &run.lesson.id);
            html! {
                <LessonView {run} {next} on_choose={props.on_choose.clone()} on_fill={props.on_fill.clone()}
                            on_show_me={props.on_show_me.clone()} on_leave={props.on_leave.clone()} on_list={to_list} />
            }
        }
        None => {
            let on_choose = {
                let browsing = browsing.clone();
                props.on_choose.reform(move |id: String| {
                    browsing.set(false);
                    id
                })
            };
            let back = (props.run.is_some() && props.confirm.is_none()).then(|| {
                let browsing = browsing.clone();
                html! {
                    <button class="linkbutton" data-testid="lesson-resume" onclick={Callback::from(move |_: MouseEvent| browsing.set(false))}>
                        { "back to the lesson" }
                    </button>
                }
            });
            html! { <>
                if let Some((id, why)) = &props.confirm {
                    <div class="lesson-confirm" data-testid="lesson-confirm" role="alert">
                        <p>{ why.clone() }</p>
                        <button data-testid="lesson-confirm-start" onclick={props.on_confirm.reform(|_: MouseEvent| ())}>
                            { format!("start {id}") }
                        </button>
                        <button class="linkbutton" data-testid="lesson-confirm-cancel" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                            { "cancel" }
                        </button>
                    </div>
                }
                { for back }
                { list(&props.items, props.run.as_ref().map(|r| r.lesson.id.as_str()), &on_choose) }
            </> }
        }
    };
    html! {
        <section class="lessons" data-testid="lessons-panel" aria-label="lessons">
            <header class="lessons-head">
                <h2>{ if showing_list { "Lessons and challenges" } else { "Lesson" } }</h2>
                <span class="spacer"></span>
                <button class="linkbutton" data-testid="lessons-close" onclick={on_close} title="hide the lessons panel (a lesson in progress goes on)">
                    { "hide" }
                </button>
            </header>
            { body }
        </section>
    }
}

/// The list entry after `id` of the same kind, not finished yet (else the next one).
fn next_item(items: &[LessonItem], id: &str) -> Option<LessonItem> {
    let i = items.iter().position(|l| l.id == id)?;
    let after = &items[i + 1..];
    after
        .iter()
        .find(|l| !l.finished)
        .or_else(|| after.first())
        .cloned()
}

fn list(items: &[LessonItem], current: Option<&str>, on_choose: &Callback<String>) -> Html {
    let group = |challenge: bool| -> Html {
        items
            .iter()
            .filter(|l| l.challenge == challenge)
            .map(|l| {
                let id = l.id.clone();
                let onclick = on_choose.reform(move |_: MouseEvent| id.clone());
                let in_progress = current == Some(l.id.as_str());
                html! {
                    <li>
                        <button class={classes!("lesson-item", l.finished.then_some("finished"), in_progress.then_some("current"))}
                                data-testid={format!("lesson-item-{}", l.id)} data-finished={l.finished.to_string()} {onclick}>
                            <span class="title">
                                { if l.finished { "✓ " } else { "" } }{ l.title.clone() }
                            </span>
                            <span class="meta">
                                { format!("{} steps", l.steps) }
                                if let Some(lab) = l.lab { { format!(" · lab {lab}") } }
                                if in_progress { { " · in progress" } }
                            </span>
                            <span class="summary">{ l.summary.clone() }</span>
                        </button>
                    </li>
                }
            })
            .collect()
    };
    html! {
        <div data-testid="lesson-list">
            <ol class="lesson-list">{ group(false) }</ol>
            <h3 class="lesson-group">{ "Challenges" }</h3>
            <p class="note">{ "A goal and no commands: the check says when you are there." }</p>
            <ol class="lesson-list">{ group(true) }</ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LessonViewProps {
    run: RunView,
    next: Option<LessonItem>,
    on_choose: Callback<String>,
    on_fill: Callback<String>,
    on_show_me: Callback<()>,
    on_leave: Callback<()>,
    on_list: Callback<MouseEvent>,
}

#[component]
fn LessonView(props: &LessonViewProps) -> Html {
    let run = &props.run;
    let l = &run.lesson;
    let challenge = l.kind == Kind::Challenge;
    let steps = l.steps.iter().enumerate().map(|(i, step)| {
        let done = i < run.done;
        let current = i == run.done;
        let title = html! { <>
            <span class="mark" aria-hidden="true">{ if done { "✓".to_string() } else { format!("{}", i + 1) } }</span>
            <span class="step-title">{ step.title.clone() }</span>
        </> };
        let body = if current {
            let command = (!challenge).then_some(step.command.clone()).flatten().map(|c| {
                let line = c.clone();
                let onclick = props.on_fill.reform(move |_: MouseEvent| line.clone());
                html! {
                    <button class="lesson-command" data-testid="lesson-step-command" {onclick}
                            title="put this command in the console input (then press Enter)">
                        <code>{ c }</code>
                    </button>
                }
            });
            html! { <>
                <h4>{ title }</h4>
                { paragraphs(&step.text) }
                { for command }
                <div class="row">
                    <button data-testid="show-me" onclick={props.on_show_me.reform(|_: MouseEvent| ())}
                            title="run this step's solution in the console">
                        { if challenge { "show a solution" } else { "show me" } }
                    </button>
                </div>
                if let Some(h) = &run.hint {
                    <p class="lesson-hint" data-testid="lesson-hint" role="status">{ "Hint: " }{ inline(&lesson::text::inline(h)) }</p>
                }
            </> }
        } else if done {
            html! {
                <details>
                    <summary>{ title }</summary>
                    { paragraphs(&step.text) }
                    if let (false, Some(c)) = (challenge, &step.command) {
                        <p><code>{ c.clone() }</code></p>
                    }
                </details>
            }
        } else {
            html! { <h4>{ title }</h4> }
        };
        html! {
            <li class={classes!("lesson-step", done.then_some("done"), current.then_some("current"))}
                data-testid="lesson-step" data-done={done.to_string()} data-current={current.to_string()}
                aria-current={current.then_some("step")}>
                { body }
            </li>
        }
    });
    let finished = run.finished().then(|| {
        let next = props.next.clone().map(|n| {
            let id = n.id.clone();
            let onclick = props.on_choose.reform(move |_: MouseEvent| id.clone());
            html! {
                <button data-testid="lesson-next" {onclick}>{ format!("next: {}", n.title) }</button>
            }
        });
        html! {
            <div class="lesson-finished" data-testid="lesson-finished" role="status">
                <p>{ if challenge { "✓ Challenge solved." } else { "✓ Lesson complete." } }</p>
                { for next }
            </div>
        }
    });
    html! {
        <div class="lesson" data-testid="lesson" data-lesson={l.id.clone()}>
            <div class="lesson-title">
                <h3>{ if challenge { "Challenge: " } else { "" } }{ l.title.clone() }</h3>
                <span class="meta" data-testid="lesson-progress">{ format!("{} of {} steps", run.done.min(l.steps.len()), l.steps.len()) }</span>
            </div>
            { paragraphs(&l.intro) }
            <ol class="lesson-steps">{ for steps }</ol>
            { for finished }
            <div class="row">
                <button class="linkbutton" data-testid="lesson-list-open" onclick={props.on_list.clone()}>{ "all lessons" }</button>
                <button class="linkbutton" data-testid="lesson-leave" onclick={props.on_leave.reform(|_: MouseEvent| ())}
                        title="stop following this lesson; the cluster stays as it is">
                    { "leave the lesson" }
                </button>
            </div>
        </div>
    }
}

fn paragraphs(ps: &[Paragraph]) -> Html {
    ps.iter().map(|p| html! { <p>{ inline(p) }</p> }).collect()
}

/// A paragraph's pieces as text nodes, code elements and links (never markup).
fn inline(p: &Paragraph) -> Html {
    p.iter()
        .map(|i| match i {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Emphasis(t) => html! { <em>{ t.clone() }</em> },
            Inline::Link { text, url } => html! {
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ text.clone() }</a>
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_every_lesson_and_marks_the_finished() {
        let mut s = Session::for_lesson(lesson::find("etcd-basics").expect("etcd-basics"));
        let (items, run) = view_of(&s);
        assert_eq!(items.len(), lesson::catalog().len());
        let run = run.expect("a lesson runs");
        assert_eq!(run.lesson.id, "etcd-basics");
        assert_eq!(run.done, 0);
        assert!(!has_own_inputs(&s), "the setup lines are not the learner's");
        s.run_input("etcdctl version");
        assert!(has_own_inputs(&s));
        while s.lesson().is_some_and(|r| !r.finished()) {
            let before = s.lesson().map(|r| r.done);
            s.show_me();
            assert_ne!(
                before,
                s.lesson().map(|r| r.done),
                "show me completes the step"
            );
        }
        // after a reload, what ran before it is not in the inputs: the page asks anyway
        let mut a = Session::new(1);
        a.start_persisting();
        let restored = Session::restore(crate::playground::session::persistence::Base {
            state: a.state(),
            disks: a.world().disk_states(),
        });
        assert!(has_own_inputs(&restored));
        assert!(!has_own_inputs(&Session::new(1)));
        let (items, run) = view_of(&s);
        assert!(run.expect("still shown").finished());
        assert!(items.iter().any(|i| i.id == "etcd-basics" && i.finished));
        assert_eq!(
            next_item(&items, "etcd-basics").map(|i| i.id),
            Some("keys-and-prefixes".to_string())
        );
    }
}
