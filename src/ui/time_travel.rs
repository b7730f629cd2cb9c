//! What the page asks before a new input discards the inputs that came after the moment the
//! timeline shows (after a rewind): discard them and run it, or cancel (the line goes back
//! into the console input). Never silently: playing on runs them again instead.
//!
//! Owns: the question's markup and its focus (the cancel button: Enter does not discard).
//! What is held meanwhile and what the answers do are the app's.

use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// The input waiting for the answer, as the console shows it.
    pub what: String,
    pub now_ms: u64,
    pub inputs_ahead: usize,
    pub on_discard: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn TimeTravelConfirm(props: &ConfirmProps) -> Html {
    let cancel_ref = use_node_ref();
    {
        let cancel_ref = cancel_ref.clone();
        use_effect_with((), move |_| {
            if let Some(b) = cancel_ref.cast::<HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    let n = props.inputs_ahead;
    let later = if n == 1 {
        "1 input".to_string()
    } else {
        format!("{n} inputs")
    };
    html! {
        <section class="time-travel-confirm" data-testid="time-travel-confirm" role="alertdialog"
                 aria-label="discard what came after?">
            <p>
                { format!("You are viewing t = {}. Running ", super::controls::seconds(props.now_ms)) }
                <code>{ props.what.clone() }</code>
                { format!(" here discards the {later} that came after it (the timeline then ends here). Playing on instead runs them again.") }
            </p>
            <div class="row">
                <button data-testid="time-travel-discard" class="danger" onclick={props.on_discard.reform(|_: MouseEvent| ())}>
                    { format!("discard the later {later} and run it") }
                </button>
                <button data-testid="time-travel-cancel" ref={cancel_ref} onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                    { "cancel" }
                </button>
            </div>
        </section>
    }
}
