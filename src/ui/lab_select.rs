//! The selectors of the title bar: which environment the page shows (`local`, `kubeadm`, ...)
//! and which etcd release it runs (3.4.23, 3.5.1). Choosing one is the same as typing
//! `lab NAME` (or `lab NAME --etcd 3.5`) in the console.
//!
//! Owns: the selectors' markup. Must not touch: the labs themselves (the page keeps one
//! session per lab and release and switches between them).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// One choice a selector offers: its name (as `lab NAME` or `--etcd` takes it) and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabChoice {
    pub name: String,
    pub title: String,
}

/// What a selector chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SelectKind {
    /// The lab (`data-testid="lab-select"`, options `lab-option-NAME`).
    #[default]
    Lab,
    /// The etcd release (`data-testid="etcd-version"`, options `etcd-version-3.5`).
    Version,
}

impl SelectKind {
    fn testid(self) -> &'static str {
        match self {
            SelectKind::Lab => "lab-select",
            SelectKind::Version => "etcd-version",
        }
    }

    fn option_testid(self, name: &str) -> String {
        match self {
            SelectKind::Lab => format!("lab-option-{name}"),
            SelectKind::Version => format!("etcd-version-{name}"),
        }
    }

    /// The visible label (the release's options say "etcd" themselves).
    fn label(self) -> Option<&'static str> {
        match self {
            SelectKind::Lab => Some("lab"),
            SelectKind::Version => None,
        }
    }

    fn aria(self) -> &'static str {
        match self {
            SelectKind::Lab => "lab",
            SelectKind::Version => "etcd release",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            SelectKind::Lab => "the environment this page shows: each lab keeps its own state",
            SelectKind::Version => {
                "the etcd release the lab runs: each release of a lab keeps its own state"
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct LabSelectProps {
    pub labs: Vec<LabChoice>,
    /// The current choice's name.
    pub current: String,
    /// A choice made: its name.
    pub on_choose: Callback<String>,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub kind: SelectKind,
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
    // The DOM's selection follows `current` (a typed `lab` line switches too): a choice the
    // user made once is no longer moved by the options' `selected` attribute.
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.current.clone(), move |current| {
            if let Some(s) = node.cast::<HtmlSelectElement>() {
                s.set_value(current);
            }
        });
    }
    let kind = props.kind;
    html! {
        <label class="lab-select" title={kind.hint()}>
            if let Some(label) = kind.label() {
                <span class="lab-label">{ label }</span>
            }
            <select ref={node} data-testid={kind.testid()} {onchange} disabled={props.disabled} aria-label={kind.aria()}>
                { for props.labs.iter().map(|l| html! {
                    <option value={l.name.clone()} data-testid={kind.option_testid(&l.name)}
                            selected={l.name == props.current}>
                        { l.title.clone() }
                    </option>
                }) }
            </select>
        </label>
    }
}
