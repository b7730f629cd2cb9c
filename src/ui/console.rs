//! The console panel: a prompt and an input (Enter runs the line, ↑/↓ walk the history,
//! Tab completes a word — on an empty line it moves the focus on, as everywhere — Ctrl+L
//! clears), and the finished commands above it, each with its output; what background
//! jobs print later arrives at the bottom. While a command reads the terminal (`etcdctl txn
//! -i`, a password prompt) the input is its: the prompt it printed stands before the input
//! (a password field while a password is read), Enter sends it the line, Ctrl+D ends its
//! input, Ctrl+C stops it. Output is text, never markup: whatever a key or
//! value holds is shown as characters.
//!
//! The newest output stays in view: after every render the output area is scrolled to its
//! end, unless the user scrolled up on purpose; then a "new output ↓" marker appears when
//! more arrives and takes them down. Running a line always scrolls down.
//!
//! Owns: the input line and the output area's scroll position. The page's session runs the lines (typed here or sent by a click
//! elsewhere on the page) and keeps the entries ([`Entry`]) and the history.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::completion::Completion;
use crate::playground::input::{complete_input, split_input};
use crate::playground::session::terminal::TerminalInput;
use crate::playground::session::Entry;

/// What the console shows of a command waiting for terminal input (never what was typed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalView {
    pub line: String,
    /// What the terminal shows above the input line: prompts and echoed lines.
    pub above: String,
    /// The prompt on the input's own line (`Password: `; empty after `compares:`).
    pub prompt: String,
    /// A password is read: the input does not echo.
    pub password: bool,
}

impl From<&TerminalInput> for TerminalView {
    fn from(t: &TerminalInput) -> TerminalView {
        TerminalView {
            line: t.shown_line.clone(),
            above: t.above().to_string(),
            prompt: t.prompt().to_string(),
            password: t.password(),
        }
    }
}

/// ↑ or ↓ in the input, with what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryMove {
    Up(String),
    Down,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Entry>>,
    /// False until the stored inputs have been replayed; the input waits for it.
    pub ready: bool,
    #[prop_or_default]
    pub note: Option<String>,
    pub on_run: Callback<String>,
    pub on_clear: Callback<()>,
    /// Ctrl+C while a long-running command (watch, lock, ...) is the current job.
    #[prop_or_default]
    pub on_interrupt: Callback<()>,
    #[prop_or_default]
    pub job_running: bool,
    pub on_history: Callback<HistoryMove, Option<String>>,
    /// Tab: the line completed as far as it can be, and the candidates when several remain.
    pub on_complete: Callback<String, Completion>,
    /// A click on an entry that wrote something (its trace shows in the picture).
    #[prop_or_default]
    pub on_select: Callback<usize>,
    #[prop_or_default]
    pub selected: Option<usize>,
    /// A click on an entry's "download" button: the file's name.
    #[prop_or_default]
    pub on_download: Callback<String>,
    /// A file dropped on the console: its name and bytes.
    #[prop_or_default]
    pub on_drop_file: Callback<(String, Vec<u8>)>,
    /// Entries with an ID from here on wait for their writes to reach the disk: they show
    /// their line and "writing to disk…", not their output.
    #[prop_or(usize::MAX)]
    pub durable_upto: usize,
    /// Whether kubectl's etcd requests are shown (the checkbox runs `requests on|off`).
    #[prop_or_default]
    pub show_requests: bool,
    /// The shell prompt the input line shows (the current lab's).
    #[prop_or_else(|| "$ ".to_string())]
    pub prompt: String,
    /// The etcdctl API the exported `ETCDCTL_API` selects (2 or 3), shown beside the prompt.
    #[prop_or(3)]
    pub api: u8,
    /// Something else has the keyboard (the editor): the input is disabled meanwhile and
    /// takes the focus back after.
    #[prop_or_default]
    pub busy: bool,
    /// A line that keeps the page busy: a long command in progress, or a line shown as
    /// running before it runs ([`super::working`]).
    #[prop_or_default]
    pub working: Option<super::working::Working>,
    /// What the banner says (the current lab's introduction).
    #[prop_or_default]
    pub banner: Option<String>,
    /// A command waiting for terminal input (`etcdctl txn -i`, a password prompt): Enter
    /// sends the line to it, Ctrl+D ends its input, Ctrl+C drops it.
    #[prop_or_default]
    pub terminal: Option<TerminalView>,
    #[prop_or_default]
    pub on_terminal_line: Callback<String>,
    #[prop_or_default]
    pub on_terminal_eof: Callback<String>,
    /// A line to put in the input (a lesson step's command was clicked): the number changes
    /// with every click, so clicking the same command again fills it again.
    #[prop_or_default]
    pub fill: Option<(u32, String)>,
}

/// How close to the end (in px) still counts as "at the end" of the output.
const AT_END_SLACK: i32 = 8;

fn at_end(el: &web_sys::Element) -> bool {
    el.scroll_top() + el.client_height() >= el.scroll_height() - AT_END_SLACK
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let value = use_state(String::new);
    // Lines entered so far of a command that is not finished yet (a `\` continuation or a
    // here-document), each ended by a newline; the input then shows the `> ` prompt.
    let pending = use_state(String::new);
    // What the last Tab offered when it could not decide (shown under the input).
    let offered = use_state(Vec::<String>::new);
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    // Whether the output follows its end (false once the user scrolled up), the height last
    // seen, and whether more arrived below while not following.
    let follow = use_mut_ref(|| Cell::new(true));
    let seen_height = use_mut_ref(|| Cell::new(0));
    let new_output = use_state(|| false);

    // Focus the input once it is enabled (and again when the editor closes).
    {
        let input_ref = input_ref.clone();
        use_effect_with(props.ready && !props.busy, move |enabled| {
            if *enabled {
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    // A clicked lesson command: into the input, with the focus (Enter runs it).
    {
        let input_ref = input_ref.clone();
        let value = value.clone();
        let pending = pending.clone();
        use_effect_with(props.fill.clone(), move |fill| {
            if let Some((_, line)) = fill {
                // several lines (a here-document): all but the last wait as typed, the last
                // is in the input, and Enter runs the whole
                let (head, last) = match line.rfind('\n') {
                    Some(i) => (&line[..=i], &line[i + 1..]),
                    None => ("", line.as_str()),
                };
                pending.set(head.to_string());
                value.set(last.to_string());
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    // After every render: keep the end of the newest output in view, or say that more came.
    {
        let output_ref = output_ref.clone();
        let follow = follow.clone();
        let seen_height = seen_height.clone();
        let new_output = new_output.clone();
        use_effect(move || {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                let h = el.scroll_height();
                if h <= el.client_height() {
                    // all of it fits (a fresh or cleared console): follow again
                    follow.borrow().set(true);
                }
                if follow.borrow().get() {
                    el.set_scroll_top(h);
                } else if h > seen_height.borrow().get() && !*new_output {
                    new_output.set(true);
                }
                seen_height.borrow().set(h);
            }
        });
    }
    let onscroll = {
        let follow = follow.clone();
        let new_output = new_output.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let end = at_end(&el);
            follow.borrow().set(end);
            if end && *new_output {
                new_output.set(false);
            }
        })
    };
    let to_end = {
        let output_ref = output_ref.clone();
        let follow = follow.clone();
        let new_output = new_output.clone();
        Rc::new(move || {
            follow.borrow().set(true);
            new_output.set(false);
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        })
    };
    let on_new_output = {
        let to_end = to_end.clone();
        Callback::from(move |_: MouseEvent| to_end())
    };

    let oninput = {
        let value = value.clone();
        let offered = offered.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
            if !offered.is_empty() {
                offered.set(Vec::new());
            }
        })
    };

    // A paste of several lines runs every command it completes, in order; what is left
    // unfinished stays (its last line in the input).
    let onpaste = {
        let value = value.clone();
        let pending = pending.clone();
        let ready = props.ready && !props.busy;
        let on_run = props.on_run.clone();
        let to_end = to_end.clone();
        let reading = props.terminal.is_some();
        let on_terminal_line = props.on_terminal_line.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !ready || !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let text = text.replace("\r\n", "\n");
            if reading {
                // the lines go to the command reading the terminal; a last unfinished one
                // stays in the input
                let all = format!("{}{}", *value, text);
                let (lines, last) = all.rsplit_once('\n').unwrap_or(("", all.as_str()));
                value.set(last.to_string());
                to_end();
                on_terminal_line.emit(lines.to_string());
                return;
            }
            let all = format!("{}{}{}", *pending, *value, text);
            let (_, rest) = split_input(&all);
            let complete = all.get(..all.len() - rest.len()).unwrap_or("");
            let (more, last) = match rest.rfind('\n') {
                Some(i) => (
                    rest.get(..=i).unwrap_or(""),
                    rest.get(i + 1..).unwrap_or(""),
                ),
                None => ("", rest.as_str()),
            };
            pending.set(more.to_string());
            value.set(last.to_string());
            if !complete.trim().is_empty() {
                to_end();
                on_run.emit(complete.to_string());
            }
        })
    };

    let onkeydown = {
        let value = value.clone();
        let pending = pending.clone();
        let ready = props.ready && !props.busy;
        let on_run = props.on_run.clone();
        let to_end = to_end.clone();
        let on_clear = props.on_clear.clone();
        let on_history = props.on_history.clone();
        let on_interrupt = props.on_interrupt.clone();
        let job_running = props.job_running;
        let on_complete = props.on_complete.clone();
        let offered = offered.clone();
        let reading = props.terminal.is_some();
        let on_terminal_line = props.on_terminal_line.clone();
        let on_terminal_eof = props.on_terminal_eof.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // a command reads the terminal: Enter gives it the line, Ctrl+D the end of its
            // input, Ctrl+C drops it; no history, no completion (it is not the shell)
            k @ ("Enter" | "d" | "D") if reading && (k == "Enter" || e.ctrl_key()) => {
                e.prevent_default();
                let text = (*value).clone();
                value.set(String::new());
                to_end();
                match k {
                    "Enter" => on_terminal_line.emit(text),
                    _ => on_terminal_eof.emit(text),
                }
            }
            // a running command that reads its terminal (`watch -i`): Ctrl+D ends its input
            "d" | "D" if job_running && e.ctrl_key() => {
                e.prevent_default();
                value.set(String::new());
                on_terminal_eof.emit(String::new());
            }
            "c" | "C" if reading && e.ctrl_key() => {
                e.prevent_default();
                value.set(String::new());
                on_interrupt.emit(());
            }
            "Tab" | "ArrowUp" | "ArrowDown" if reading => {}
            // (on an empty line there is nothing to complete: the focus moves on, so the
            // rest of the page is reachable from the keyboard)
            "Tab"
                if !e.shift_key()
                    && !e.ctrl_key()
                    && !e.alt_key()
                    && !e.meta_key()
                    && !value.trim().is_empty() =>
            {
                e.prevent_default();
                let done = on_complete.emit((*value).clone());
                value.set(done.line);
                offered.set(done.candidates);
            }
            "c" | "C" if e.ctrl_key() && !pending.is_empty() => {
                // as in bash: Ctrl+C drops the unfinished command
                e.prevent_default();
                pending.set(String::new());
                value.set(String::new());
            }
            "c" | "C" if e.ctrl_key() && job_running => {
                e.prevent_default();
                on_interrupt.emit(());
            }
            "Enter" => {
                e.prevent_default();
                if !ready {
                    return;
                }
                let text = format!("{}{}", *pending, *value);
                value.set(String::new());
                offered.set(Vec::new());
                if complete_input(&text).is_none() {
                    // `\` at the end, or a here-document before its terminator: one more line
                    pending.set(format!("{text}\n"));
                    return;
                }
                pending.set(String::new());
                to_end();
                on_run.emit(text);
            }
            "ArrowUp" => {
                e.prevent_default();
                if let Some(line) = on_history.emit(HistoryMove::Up((*value).clone())) {
                    value.set(line);
                }
            }
            "ArrowDown" => {
                e.prevent_default();
                if let Some(line) = on_history.emit(HistoryMove::Down) {
                    value.set(line);
                }
            }
            "l" | "L" if e.ctrl_key() => {
                e.prevent_default();
                on_clear.emit(());
            }
            _ => {}
        })
    };

    let toggle_requests = {
        let on_run = props.on_run.clone();
        let on = props.show_requests;
        Callback::from(move |_: Event| {
            on_run.emit(if on { "requests off" } else { "requests on" }.to_string());
        })
    };

    // "download" buttons of entries (one handler for all of them)
    let on_output_click = {
        let cb = props.on_download.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(t) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            if let Ok(Some(b)) = t.closest("[data-testid=\"snapshot-download\"]") {
                if let Some(name) = b.get_attribute("data-file") {
                    cb.emit(name);
                }
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let cb = props.on_drop_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            read_dropped_files(&e, cb.clone());
        })
    };

    // The entries as one fragment of their own, keyed by id: beside the banner in one child
    // list they would be patched by position, and every entry dropped at the top would make
    // the page rebuild (and lay out again) all the entries below it.
    let entries: Html = props
        .entries
        .iter()
        .map(|e| {
            if e.id >= props.durable_upto && e.job_output.is_none() {
                view_pending(e)
            } else {
                view_entry_with(e, Some(&props.on_select), props.selected == Some(e.id))
            }
        })
        .collect();
    let (input_prompt, input_type) = match &props.terminal {
        Some(t) => (
            t.prompt.clone(),
            if t.password { "password" } else { "text" },
        ),
        None if pending.is_empty() => (props.prompt.clone(), "text"),
        None => ("> ".to_string(), "text"),
    };
    // (dim in the empty input: a learner who typed `etcdctl put k` sees why nothing came)
    let placeholder = props.terminal.as_ref().map(|t| {
        if t.password {
            "not shown as you type · Ctrl+C stops"
        } else {
            "etcdctl reads this · Enter: a line · Ctrl+D: end of input · Ctrl+C: stop"
        }
    });
    // the command reading the terminal: its line and what the terminal shows so far
    let reading = props.terminal.as_ref().map(|t| {
        html! {
            <div class="entry reading" data-testid="terminal-entry">
                <div class="cmd"><span class="prompt">{ "$ " }</span>{ prompted(&t.line) }</div>
                if !t.above.is_empty() {
                    <pre class="stdout">{ t.above.clone() }</pre>
                }
            </div>
        }
    });
    html! {
        <section class="console" data-testid="console" data-ready={props.ready.to_string()}
                 aria-label="etcdctl console" {ondragover} {ondrop}>
            <div class="output" data-testid="console-output" ref={output_ref} role="log" aria-live="polite"
                 onclick={on_output_click} {onscroll}>
                <div class="banner">
                    if let Some(b) = &props.banner {
                        { b.clone() }
                    } else {
                        { "A three-member etcd cluster (infra1, infra2, infra3) runs in this page. " }
                        { "Try: etcdctl put foo bar, etcdctl get foo, stop infra1, lab, help." }
                    }
                    if let Some(note) = &props.note {
                        <div class="note" data-testid="console-note">{ note.clone() }</div>
                    }
                </div>
                { entries }
                { for reading }
            </div>
            if *new_output {
                <button class="new-output" data-testid="new-output" onclick={on_new_output}
                        title="scroll down to the newest output">{ "new output ↓" }</button>
            }
            if !pending.is_empty() {
                <pre class="pending" data-testid="console-pending">{ prompted(pending.trim_end_matches('\n')) }</pre>
            }
            <div class={classes!("inputline", props.terminal.is_some().then_some("reading"))}
                 data-testid={if props.terminal.is_some() { "terminal-input" } else { "console-inputline" }}
                 data-password={props.terminal.as_ref().map(|t| t.password.to_string())}>
                <span class="prompt" data-testid="console-prompt">{ input_prompt }</span>
                <input data-testid="console-input" ref={input_ref} type={input_type} placeholder={placeholder}
                       value={(*value).clone()} {oninput} {onkeydown} {onpaste}
                       disabled={!props.ready || props.busy}
                       autocomplete="off" autocapitalize="off" spellcheck="false"
                       aria-label="command line" />
                <span class={classes!("api-version", (props.api == 2).then_some("v2"))} data-testid="api-version"
                      title={if props.api == 2 {
                          "ETCDCTL_API=2 is exported: etcdctl reads and writes the v2 keyspace, which is separate from the v3 one (export ETCDCTL_API=3 to go back)"
                      } else {
                          "etcdctl speaks the v3 API (etcd 3.4's default); export ETCDCTL_API=2 for the v2 commands and the v2 keyspace, which is separate"
                      }}>
                    { format!("API v{}", props.api) }
                </span>
                <label class="requests-toggle" title="print, under each kubectl command, the etcd range or txn it made">
                    <input type="checkbox" data-testid="show-requests" checked={props.show_requests}
                           disabled={!props.ready} onchange={toggle_requests} />
                    { "etcd requests" }
                </label>
            </div>
            if !offered.is_empty() {
                <div class="completions" data-testid="completions" aria-live="polite">
                    { for offered.iter().map(|c| html! { <span class="candidate">{ c.clone() }</span> }) }
                </div>
            }
            if !props.ready {
                <div class="status">{ "restoring the playground…" }</div>
            }
            if let Some(w) = &props.working {
                { super::working::view(w) }
            }
        </section>
    }
}

/// A command's lines as a terminal shows them: continuation lines after a `> ` prompt.
fn prompted(line: &str) -> String {
    line.replace('\n', "\n> ")
}

/// A command whose writes are not on disk yet: its line, no output.
pub fn view_pending(entry: &Entry) -> Html {
    html! {
        <div class="entry pending" data-testid="console-pending" key={entry.id}>
            <div class="cmd"><span class="prompt">{ "$ " }</span>{ entry.line.clone() }</div>
            <div class="running">{ "writing to disk…" }</div>
        </div>
    }
}

/// One finished command: the line as typed, then stdout, stderr and a non-zero exit status.
pub fn view_entry(entry: &Entry) -> Html {
    view_entry_with(entry, None, false)
}

/// An entry; one that wrote something gets a button that traces its write.
pub fn view_entry_with(entry: &Entry, on_select: Option<&Callback<usize>>, selected: bool) -> Html {
    let out = &entry.output;
    if let Some(n) = entry.job_output {
        return view_job_output(entry, n);
    }
    let trace = entry.trace.as_ref().map(|t| {
        let id = entry.id;
        let onclick = on_select.cloned().map(|cb| Callback::from(move |_: MouseEvent| cb.emit(id)));
        let span = |a: String, b: String| if a == b { a } else { format!("{a}…{b}") };
        let raft = span(t.first_index.to_string(), t.last_index.to_string());
        let label = match t.revisions {
            Some((a, b)) => format!("raft {raft} · rev {}", span(a.to_string(), b.to_string())),
            None => format!("raft {raft}"),
        };
        html! {
            // The label is drawn by CSS (`::after`), so it stays out of the entry's text.
            <button class={classes!("trace", selected.then_some("on"))} data-testid="entry-trace" {onclick}
                    data-label={label.clone()} aria-label={format!("trace this write: {label}")}
                    title="show this write in the cluster picture"></button>
        }
    });
    html! {
        <div class={classes!("entry", selected.then_some("selected"))} data-testid="console-entry" key={entry.id}>
            <div class="cmd"><span class="prompt">{ "$ " }</span>{ prompted(&entry.line) }{ for trace }</div>
            { streams(out) }
            for hint in entry.hints.iter() {
                <div class="hint">{ hint.clone() }</div>
            }
            for request in entry.requests.iter() {
                <div class="request" data-testid="etcd-request">{ request.clone() }</div>
            }
            for f in entry.files.iter() {
                <button class="small download" data-testid="snapshot-download" data-file={f.clone()}
                        title="save this file from the playground's working directory">
                    { format!("⤓ download {f}") }
                </button>
            }
            if let Some(n) = entry.background {
                <div class="running" data-testid="console-background">{ format!("running in the background as %{n} (kill %{n} stops it)") }</div>
            } else if entry.running && entry.real {
                <div class="running" data-testid="console-running">{ "running… (Ctrl+C stops it)" }</div>
            } else if entry.running {
                <div class="running" data-testid="console-running">{ "running… (Ctrl+C stops it; simulated time must pass for it to see anything: play or step)" }</div>
            } else if entry.interrupted {
                <div class="exit">{ "^C" }</div>
            } else if out.exit != 0 {
                <div class="exit">{ format!("exit status {}", out.exit) }</div>
            }
        </div>
    }
}

/// What background job `%n` printed later, where it arrived: the job's line as a dim tag (or,
/// for what several jobs printed at one moment, how many from `%n` on).
fn view_job_output(entry: &Entry, n: u32) -> Html {
    let out = &entry.output;
    let tag = if entry.jobs > 1 {
        format!("[{n}] and {} more jobs: {}", entry.jobs - 1, entry.line)
    } else {
        format!("[{n}] {}", entry.line)
    };
    html! {
        <div class="entry job-output" data-testid="console-job-output" key={entry.id}>
            <div class="job-tag">{ tag }</div>
            { streams(out) }
            if out.exit != 0 {
                <div class="exit">{ format!("exit status {}", out.exit) }</div>
            }
        </div>
    }
}

/// Reads the files of a drop and hands each (name, bytes) to `cb` once read.
#[cfg(target_arch = "wasm32")]
fn read_dropped_files(e: &DragEvent, cb: Callback<(String, Vec<u8>)>) {
    let Some(list) = e.data_transfer().and_then(|d| d.files()) else {
        return;
    };
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let cb = cb.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                cb.emit((name, js_sys::Uint8Array::new(&buf).to_vec()));
            }
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn read_dropped_files(_e: &DragEvent, _cb: Callback<(String, Vec<u8>)>) {}

/// An output's two streams in the order they were written, as a terminal shows them.
fn streams(out: &crate::process::Output) -> Html {
    out.pieces()
        .into_iter()
        .map(|(err, text)| {
            html! { <pre class={if err { "stderr" } else { "stdout" }}>{ text.to_string() }</pre> }
        })
        .collect()
}
