//! The console panel: a prompt and an input (Enter runs the line, ↑/↓ walk the history,
//! Ctrl+L clears), and the finished commands above it, each with its output. Output is text,
//! never markup: whatever a key or value holds is shown as characters.
//!
//! Owns: the view of finished entries and the input line. The playground does the work;
//! in the browser, every line run is also appended to IndexedDB (see `storage`).

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::history::History;
use super::PlaygroundHandle;
use crate::playground::Output;

/// One finished command and what it printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: usize,
    pub line: String,
    pub output: Output,
}

/// What the console shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleState {
    pub entries: Vec<Entry>,
    pub next_id: usize,
    /// False until the stored inputs have been replayed; the input waits for it.
    pub ready: bool,
    /// A note about restoring (e.g. unreadable records), shown in the banner.
    pub note: Option<String>,
}

pub enum ConsoleAction {
    /// The stored inputs were replayed: their entries, and a note if something was off.
    Restored(Vec<(String, Output)>, Option<String>),
    Ran(String, Output),
    Clear,
}

impl Reducible for ConsoleState {
    type Action = ConsoleAction;

    fn reduce(self: Rc<Self>, action: ConsoleAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ConsoleAction::Restored(ran, note) => {
                for (line, output) in ran {
                    next.push(line, output);
                }
                next.ready = true;
                next.note = note;
            }
            ConsoleAction::Ran(line, output) => next.push(line, output),
            ConsoleAction::Clear => {
                next.entries.clear();
                next.note = None;
            }
        }
        Rc::new(next)
    }
}

impl ConsoleState {
    fn push(&mut self, line: String, output: Output) {
        self.entries.push(Entry {
            id: self.next_id,
            line,
            output,
        });
        self.next_id += 1;
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub playground: PlaygroundHandle,
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let state = use_reducer(ConsoleState::default);
    let value = use_state(String::new);
    let history = use_mut_ref(History::default);
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    let db = use_mut_ref(|| None::<DbHandle>);

    // Restore: replay what IndexedDB holds, then open the input.
    {
        let state = state.clone();
        let playground = props.playground.clone();
        let history = history.clone();
        let db = db.clone();
        use_effect_with((), move |_| {
            restore(playground, state, history, db);
        });
    }

    // Focus the input once it is enabled, and keep the newest output in view.
    {
        let input_ref = input_ref.clone();
        use_effect_with(state.ready, move |ready| {
            if *ready {
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    {
        let output_ref = output_ref.clone();
        use_effect_with(state.entries.len(), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
        })
    };

    let onkeydown = {
        let state = state.clone();
        let value = value.clone();
        let history = history.clone();
        let playground = props.playground.clone();
        let db = db.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                if !state.ready {
                    return;
                }
                let line = (*value).clone();
                history.borrow_mut().push(&line);
                value.set(String::new());
                let output = playground.run(&line);
                persist(&db, &line);
                state.dispatch(ConsoleAction::Ran(line, output));
            }
            "ArrowUp" => {
                e.prevent_default();
                if let Some(line) = history.borrow_mut().up(&value) {
                    value.set(line);
                }
            }
            "ArrowDown" => {
                e.prevent_default();
                if let Some(line) = history.borrow_mut().down() {
                    value.set(line);
                }
            }
            "l" | "L" if e.ctrl_key() => {
                e.prevent_default();
                state.dispatch(ConsoleAction::Clear);
            }
            _ => {}
        })
    };

    html! {
        <section class="console" data-testid="console" data-ready={state.ready.to_string()}
                 aria-label="etcdctl console">
            <div class="output" data-testid="console-output" ref={output_ref} role="log" aria-live="polite">
                <div class="banner">
                    { "A three-member etcd 3.4 cluster (infra1, infra2, infra3) runs in this page. " }
                    { "Try: etcdctl put foo bar, etcdctl get foo, etcdctl member list -w table." }
                    if let Some(note) = &state.note {
                        <div class="note" data-testid="console-note">{ note.clone() }</div>
                    }
                </div>
                { for state.entries.iter().map(view_entry) }
            </div>
            <div class="inputline">
                <span class="prompt">{ "$ " }</span>
                <input data-testid="console-input" ref={input_ref} type="text"
                       value={(*value).clone()} {oninput} {onkeydown}
                       disabled={!state.ready}
                       autocomplete="off" autocapitalize="off" spellcheck="false"
                       aria-label="command line" />
            </div>
            if !state.ready {
                <div class="status">{ "restoring the playground…" }</div>
            }
        </section>
    }
}

/// One finished command: the line as typed, then stdout, stderr and a non-zero exit status.
pub fn view_entry(entry: &Entry) -> Html {
    let out = &entry.output;
    html! {
        <div class="entry" data-testid="console-entry" key={entry.id}>
            <div class="cmd"><span class="prompt">{ "$ " }</span>{ entry.line.clone() }</div>
            if !out.stdout.is_empty() {
                <pre class="stdout">{ out.stdout.clone() }</pre>
            }
            if !out.stderr.is_empty() {
                <pre class="stderr">{ out.stderr.clone() }</pre>
            }
            if out.exit != 0 {
                <div class="exit">{ format!("exit status {}", out.exit) }</div>
            }
        </div>
    }
}

// ---- persistence (IndexedDB in the browser; nothing natively, where effects never run) ----

#[cfg(target_arch = "wasm32")]
type DbHandle = Rc<idb::Database>;
#[cfg(not(target_arch = "wasm32"))]
type DbHandle = ();

#[cfg(target_arch = "wasm32")]
fn restore(
    playground: PlaygroundHandle,
    state: UseReducerHandle<ConsoleState>,
    history: Rc<RefCell<History>>,
    db: Rc<RefCell<Option<DbHandle>>>,
) {
    use super::storage;
    wasm_bindgen_futures::spawn_local(async move {
        let mut notes = Vec::new();
        let mut ran = Vec::new();
        match storage::open(storage::DB_NAME).await {
            Ok(handle) => {
                match storage::load(&handle).await {
                    Ok(loaded) => {
                        for record in loaded.records {
                            history.borrow_mut().push(&record.line);
                            let output = playground.run(&record.line);
                            ran.push((record.line, output));
                        }
                        if !loaded.unreadable.is_empty() {
                            notes.push(format!(
                                "{} stored input(s) could not be read and were skipped: {}",
                                loaded.unreadable.len(),
                                loaded.unreadable.join("; ")
                            ));
                        }
                    }
                    Err(e) => notes.push(e),
                }
                *db.borrow_mut() = Some(Rc::new(handle));
            }
            Err(e) => notes.push(format!("{e} (this session will not be kept)")),
        }
        let note = if notes.is_empty() {
            None
        } else {
            Some(notes.join(" "))
        };
        state.dispatch(ConsoleAction::Restored(ran, note));
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn restore(
    _playground: PlaygroundHandle,
    state: UseReducerHandle<ConsoleState>,
    _history: Rc<RefCell<History>>,
    _db: Rc<RefCell<Option<DbHandle>>>,
) {
    state.dispatch(ConsoleAction::Restored(Vec::new(), None));
}

#[cfg(target_arch = "wasm32")]
fn persist(db: &Rc<RefCell<Option<DbHandle>>>, line: &str) {
    let Some(handle) = db.borrow().clone() else {
        return;
    };
    let record = super::storage::InputRecord {
        line: line.to_string(),
        stdin: None,
    };
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = super::storage::append(&handle, &record).await {
            web_sys::console::warn_1(&e.into());
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn persist(_db: &Rc<RefCell<Option<DbHandle>>>, _line: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reducer_restores_runs_and_clears() {
        let s = Rc::new(ConsoleState::default());
        let out = Output {
            stdout: "OK\n".into(),
            ..Default::default()
        };
        let s = s.reduce(ConsoleAction::Restored(
            vec![("etcdctl put a b".into(), out.clone())],
            None,
        ));
        assert!(s.ready);
        let s = s.reduce(ConsoleAction::Ran("etcdctl get a".into(), out));
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[1].id, 1);
        let s = s.reduce(ConsoleAction::Clear);
        assert!(s.entries.is_empty());
        assert!(s.ready);
        assert_eq!(
            s.next_id, 2,
            "ids keep growing after a clear so keys stay unique"
        );
    }
}
