//! The page: a title bar that names the product and opens a short "what is this" help,
//! and the console.

use yew::prelude::*;

use super::console::Console;
use super::{PlaygroundHandle, DEFAULT_SEED};

#[component]
pub fn App() -> Html {
    let playground = use_memo((), |_| PlaygroundHandle::new(DEFAULT_SEED));
    let help_open = use_state(|| false);
    let toggle_help = {
        let help_open = help_open.clone();
        Callback::from(move |_: MouseEvent| help_open.set(!*help_open))
    };

    html! {
        <div class="app">
            <header class="titlebar">
                <h1><span class="logo" aria-hidden="true"></span>{ "etcd playground" }</h1>
                <span class="subtitle">{ "etcd 3.4 and Raft, running in this tab" }</span>
                <span class="spacer"></span>
                <button class="linkbutton" data-testid="help-link" onclick={toggle_help}
                        aria-expanded={help_open.to_string()}>
                    { if *help_open { "Close help" } else { "What is this?" } }
                </button>
            </header>
            if *help_open {
                <HelpPanel />
            }
            <main>
                <Console playground={(*playground).clone()} />
            </main>
        </div>
    }
}

#[component]
fn HelpPanel() -> Html {
    html! {
        <section class="help" data-testid="help-panel" aria-label="What is this?">
            <h2>{ "What is this?" }</h2>
            <p>
                { "A three-member etcd cluster (infra1, infra2, infra3) simulated inside this page: " }
                { "each member is a Raft node with its own key-value store, on a simulated network. " }
                { "Nothing is sent to a server; the page works offline." }
            </p>
            <p>
                { "Type etcdctl commands as you would against etcd 3.4: " }
                <code>{ "etcdctl put foo bar" }</code>{ ", " }
                <code>{ "etcdctl get foo" }</code>{ ", " }
                <code>{ "etcdctl member list -w table" }</code>
                { ". They answer as etcdctl 3.4.23 does. Set " }
                <code>{ "export ETCDCTL_API=2" }</code>{ " for the v2 commands." }
            </p>
            <p>
                { "Keys: Enter runs a line, ↑/↓ walk the history, Ctrl+L clears the screen. " }
                { "What you run is kept in this browser (IndexedDB), so a reload resumes where you stood." }
            </p>
        </section>
    }
}
