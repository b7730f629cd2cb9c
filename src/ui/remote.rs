//! The page and a real etcd: the title bar's "real etcd" button opens a strip to connect the
//! console and the keyspace to a real cluster's client URL (running `connect URL` in the
//! console, so its answer shows there), and while connected a banner says so at all times,
//! naming the endpoint, with the way back (`disconnect`).
//!
//! Owns: the strip and the banner. Must not touch: the connection (the playground's
//! `remote`), how the page reaches etcd (the gateway's `fetch`).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::session::commands::quote;
use crate::playground::session::Action;

/// The title bar's connect strip: whether it is open, and the clicks that open, close,
/// connect and disconnect.
pub struct ConnectStrip {
    pub open: bool,
    pub toggle: Callback<MouseEvent>,
    pub close: Callback<MouseEvent>,
    pub connect: Callback<String>,
    pub disconnect: Callback<MouseEvent>,
}

/// The strip's state, its clicks going to `dispatch` as console lines. (Connecting adds no
/// input: no question after a rewind.)
#[hook]
pub fn use_connect_strip(dispatch: &Callback<Action>) -> ConnectStrip {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let connect = {
        let (dispatch, open) = (dispatch.clone(), open.clone());
        Callback::from(move |url: String| {
            open.set(false);
            // (what was typed is one word of the line, never shell syntax)
            dispatch.emit(Action::Run(format!("connect {}", quote(&url))));
        })
    };
    ConnectStrip {
        open: *open,
        toggle,
        close,
        connect,
        disconnect: dispatch.reform(|_: MouseEvent| Action::Run("disconnect".to_string())),
    }
}

/// This page's origin (what `--cors` must name).
#[cfg(target_arch = "wasm32")]
pub fn page_origin() -> String {
    crate::gateway::fetch::page_origin()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn page_origin() -> String {
    "http://127.0.0.1:8080".to_string()
}

#[derive(Properties, PartialEq)]
pub struct ConnectPanelProps {
    /// This page's origin, as etcd's `--cors` must name it.
    pub origin: String,
    /// Connect to the URL typed.
    pub on_connect: Callback<String>,
    pub on_close: Callback<MouseEvent>,
}

/// The strip under the title bar to connect to a real etcd.
#[component]
pub fn ConnectPanel(props: &ConnectPanelProps) -> Html {
    let input_ref = use_node_ref();
    let submit = {
        let (input_ref, on_connect) = (input_ref.clone(), props.on_connect.clone());
        move || {
            if let Some(i) = input_ref.cast::<HtmlInputElement>() {
                let url = i.value().trim().to_string();
                if !url.is_empty() {
                    on_connect.emit(url);
                }
            }
        }
    };
    let on_click = {
        let submit = submit.clone();
        Callback::from(move |_: MouseEvent| submit())
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            submit();
        }
    });
    let cors = format!("--cors='{}'", props.origin);
    html! {
        <section class="share-strip connect-strip" data-testid="connect-panel" aria-label="connect to a real etcd">
            <span class="text">
                { "Send the console's etcdctl lines, and the keyspace panel, to a real etcd (its v3 JSON gateway). Start it with " }
                <code data-testid="connect-cors">{ cors }</code>
                { " so this page may read its answers; plain http:// or an https:// certificate this browser trusts (mutual TLS cannot be reached from a page)." }
            </span>
            <input data-testid="connect-url" ref={input_ref} placeholder="http://127.0.0.1:2379"
                   aria-label="etcd client URL" onkeydown={on_key} />
            <button data-testid="connect-submit" onclick={on_click}>{ "connect" }</button>
            <button class="linkbutton" data-testid="connect-close" onclick={props.on_close.clone()}>{ "close" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConnectionBannerProps {
    /// The endpoints the console talks to.
    pub endpoints: Vec<String>,
    pub on_disconnect: Callback<MouseEvent>,
}

/// Shown while the page talks to a real cluster.
#[component]
pub fn ConnectionBanner(props: &ConnectionBannerProps) -> Html {
    html! {
        <section class="remote-banner" data-testid="connection" role="status">
            <span class="badge">{ "REAL ETCD" }</span>
            <span class="text">
                { "Connected to " }<code data-testid="connection-endpoints">{ props.endpoints.join(",") }</code>
                { ": the console's etcdctl lines and the keyspace panel are that cluster's. The simulated cluster pictured is paused, as it was." }
            </span>
            <button data-testid="disconnect" onclick={props.on_disconnect.clone()}>{ "disconnect" }</button>
        </section>
    }
}
