//! The in-page editor that `vi`, `vim` or `nano FILE` opens on a lab's node: a modal with the
//! file's path and a monospace text area. Save (the button or Ctrl+S) hands the text back;
//! cancel (the button or Esc) changes nothing. The file's content is text, never markup.
//!
//! Owns: the text being edited (view state until it is saved). Must not touch: the node's
//! files (the page hands the saved text to the session, which writes it).

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The file's path on the node.
    pub path: String,
    /// Its content when the editor opened.
    pub text: String,
    /// Save: the edited text.
    pub on_save: Callback<String>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let text = use_state(|| props.text.clone());
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let _ = a.focus();
                a.set_selection_range(0, 0).ok();
                a.set_scroll_top(0);
            }
        });
    }
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(a.value());
        })
    };
    // The text area's own value, so a save never misses the last keystroke.
    let current = {
        let area = area.clone();
        let text = text.clone();
        move || {
            area.cast::<HtmlTextAreaElement>()
                .map(|a| a.value())
                .unwrap_or_else(|| (*text).clone())
        }
    };
    let onkeydown = {
        let on_save = props.on_save.clone();
        let on_cancel = props.on_cancel.clone();
        let current = current.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_cancel.emit(());
            }
            "s" | "S" if e.ctrl_key() || e.meta_key() => {
                e.prevent_default();
                on_save.emit(current());
            }
            _ => {}
        })
    };
    let save = {
        let on_save = props.on_save.clone();
        Callback::from(move |_: MouseEvent| on_save.emit(current()))
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let lines = text.lines().count().max(1);
    html! {
        <div class="modal-backdrop">
            <div class="editor" data-testid="editor" role="dialog" aria-modal="true"
                 aria-label={format!("edit {}", props.path)} {onkeydown}>
                <div class="editor-bar">
                    <span class="editor-title">{ "editing" }</span>
                    <code class="editor-path" data-testid="editor-path">{ props.path.clone() }</code>
                    <span class="editor-lines">{ format!("{lines} lines") }</span>
                </div>
                <textarea data-testid="editor-text" ref={area} value={(*text).clone()} {oninput}
                          spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                          aria-label={format!("content of {}", props.path)} />
                <div class="editor-actions">
                    <span class="editor-keys">{ "Ctrl+S saves · Esc cancels" }</span>
                    <button data-testid="editor-cancel" onclick={cancel}>{ "cancel" }</button>
                    <button class="primary" data-testid="editor-save" onclick={save}>{ "save" }</button>
                </div>
            </div>
        </div>
    }
}
