//! Share links in the page: the title bar's share button opens a strip with the link
//! (`data-testid=share-url`) and a copy button, or says why this session cannot be a link; a
//! page opened with a link offers (or, with nothing stored, does at once) to replay it. The
//! link format and the replay are the session's (`playground::session::share`).
//!
//! Owns: the strip, the offer, reading and clearing the URL fragment. Must not touch: the
//! format, the storage (persistence reads the stored inputs and writes the opened session).

use yew::prelude::*;

use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;
use crate::playground::session::share::{decode, is_share_fragment, Shared};

/// The share strip's link: being checked (its replay got this far), or the link or why there
/// is none.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkState {
    Checking { replayed: usize, total: usize },
    Ready(Result<String, String>),
}

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub link: LinkState,
    pub on_close: Callback<MouseEvent>,
}

/// The strip under the title bar with the link to copy.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let copied = use_state(|| false);
    let input_ref = use_node_ref();
    let on_copy = {
        let copied = copied.clone();
        let link = props.link.clone();
        Callback::from(move |_: MouseEvent| {
            if let LinkState::Ready(Ok(l)) = &link {
                copy_text(l);
                copied.set(true);
            }
        })
    };
    let on_focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: FocusEvent| {
            if let Some(i) = input_ref.cast::<web_sys::HtmlInputElement>() {
                i.select();
            }
        })
    };
    html! {
        <section class="share-strip" data-testid="share-panel" aria-label="share this session">
            { match &props.link {
                LinkState::Checking { replayed, total } => html! {
                    <span class="text" data-testid="share-checking" role="status">{ format!(
                        "Checking that the link replays to this session: {replayed} of {total} inputs replayed…") }</span>
                },
                LinkState::Ready(Ok(link)) => html! { <>
                    <span class="text">{ "A link that replays this session (its commands, clicks and time) in any browser:" }</span>
                    <input data-testid="share-url" ref={input_ref} readonly=true value={link.clone()} onfocus={on_focus} />
                    <button data-testid="share-copy" onclick={on_copy}>{ if *copied { "copied" } else { "copy" } }</button>
                </> },
                LinkState::Ready(Err(why)) => html! {
                    <span class="text" data-testid="share-error">{ why.clone() }</span>
                },
            } }
            <button class="linkbutton" data-testid="share-close" onclick={props.on_close.clone()}>{ "close" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareOfferProps {
    pub inputs: usize,
    pub lab: String,
    pub on_open: Callback<MouseEvent>,
    pub on_dismiss: Callback<MouseEvent>,
}

/// A page opened with a link while this browser keeps a session of that lab: replace it?
#[component]
pub fn ShareOffer(props: &ShareOfferProps) -> Html {
    html! {
        <section class="disk-banner share-offer" data-testid="share-offer" role="alert">
            <span class="text">{ format!(
                "This link holds a shared session of lab {} ({} inputs). Opening it replaces what this browser keeps of that lab.",
                props.lab, props.inputs) }</span>
            <button data-testid="share-open" onclick={props.on_open.clone()}>{ "open the shared session" }</button>
            <button data-testid="share-keep" onclick={props.on_dismiss.clone()}>{ "keep mine" }</button>
        </section>
    }
}

/// The page's URL fragment, when it is meant as a share link.
pub fn share_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    is_share_fragment(&hash).then_some(hash)
}

/// The lab and etcd release a share link in the URL opens, if it decodes.
pub fn link_lab() -> Option<(LabKind, EtcdVersion)> {
    share_fragment()
        .and_then(|f| decode(&f).ok())
        .map(|s: Shared| (s.lab(), s.etcd_version()))
}

/// Drops the fragment (a reload does not offer the link again).
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let Ok(path) = w.location().pathname() else {
        return;
    };
    let search = w.location().search().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// The page's address without its fragment, for a link.
pub fn page_address() -> String {
    let Some(w) = web_sys::window() else {
        return String::new();
    };
    let l = w.location();
    format!(
        "{}{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// Puts `text` on the clipboard (where the browser allows it).
fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}
