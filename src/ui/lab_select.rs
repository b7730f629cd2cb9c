//! The lab selector of the title bar: which environment the page shows (`local`, `kubeadm`,
//! ...). Choosing one is the same as typing `lab NAME` in the console.
//!
//! Owns: the selector's markup. Must not touch: the labs themselves (the page keeps one
//! session per lab and switches between them).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// One lab the selector offers: its name (as `lab NAME` takes it) and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabChoice {
    pub name: String,
    pub title: String,
}

#[derive(Properties, PartialEq)]
pub struct LabSelectProps {
    pub labs: Vec<LabChoice>,
    /// The current lab's name.
    pub current: String,
    /// A lab chosen: its name.
    pub on_choose: Callback<String>,
    #[prop_or_default]
    pub disabled: bool,
}

#[component]
pub fn LabSelect(props: &LabSelectProps) -> Html {
    let onchange = {
        let cb = props.on_choose.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(s.value());
        })
    };
    html! {
        <label class="lab-select" title="the environment this page shows: each lab keeps its own state">
            <span class="lab-label">{ "lab" }</span>
            <select data-testid="lab-select" {onchange} disabled={props.disabled} aria-label="lab">
                { for props.labs.iter().map(|l| html! {
                    <option value={l.name.clone()} data-testid={format!("lab-option-{}", l.name)}
                            selected={l.name == props.current}>
                        { l.title.clone() }
                    </option>
                }) }
            </select>
        </label>
    }
}
