//! The page's two modules (issue 20: a light first visit). index.html preloads the lite
//! module (bin `web`, feature `lite`): everything but the node labs, kubectl, the /registry
//! sample, etcd 3.5, the real-etcd connection (`connect`) and the local lab's shell lines
//! (pipes, redirections, `grep`, `jq`, `ls`…: the node shell and its commands). The full
//! module (bin `web_full`) has everything; the boot script (`scripts/external-loader.mjs`)
//! loads it instead once this browser asked for it (`localStorage[MODULE_KEY] == "full"`).
//!
//! The hand-over: when the lite module meets what only the full one has — a console line
//! (the session's `handover`), a lab switch, a stored lab it cannot run — it stores nothing
//! more, waits for the flushes in flight to commit, leaves the full module what is to be done
//! next (`sessionStorage[NEXT_KEY]`: the console text to run again, a lesson to start) and
//! reloads the page. A reload is a power cycle here, so the full module restores exactly what
//! was stored, then runs the text. From then on this browser loads the full module.
//!
//! Owns: the hand-over and what it leaves for the next module. Must not touch: which lines
//! need the full module (the playground marks them), the stored state (`persistence`).

use serde::{Deserialize, Serialize};

use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;
use crate::playground::session::handover::Shown;
use crate::ui::labs::{DbSlot, SessionRef};

/// localStorage: which module the boot script loads (`full`; otherwise the lite one).
pub const MODULE_KEY: &str = "etcdplay-module";

/// sessionStorage: what the full module does once ready ([`Next`], JSON); read once.
pub const NEXT_KEY: &str = "etcdplay-next";

/// Whether this is the first-visit module.
pub const LITE: bool = cfg!(feature = "lite");

/// What the full module does once it restored the stored state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Next {
    /// What needed the full module (it is said while it loads, and once it is there).
    pub needs: String,
    /// Console texts to run, in order.
    pub lines: Vec<String>,
    /// A lesson to start (its lab is switched to by a line first).
    pub lesson: Option<String>,
    /// The share link being opened (the lite module read it from the address and cleared
    /// it there): put back in the address for the full module to open.
    pub shared: Option<String>,
    /// The console's newest entries, shown again above what runs there.
    #[serde(default)]
    pub entries: Vec<Shown>,
}

/// How many of the console's entries are carried over.
pub const CARRIED_ENTRIES: usize = 40;

/// How much of each stream of a carried entry is kept (sessionStorage holds a few MB; an
/// entry keeps up to 64 KiB).
pub const CARRIED_BYTES: usize = 8 * 1024;

/// The entries as carried over: each stream cut to [`CARRIED_BYTES`], saying so.
pub fn carried(entries: Vec<Shown>) -> Vec<Shown> {
    fn cut(s: &mut String) {
        if s.len() <= CARRIED_BYTES {
            return;
        }
        let mut at = CARRIED_BYTES;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let left = s.len() - at;
        s.truncate(at);
        s.push_str(&format!(
            "\n[{left} more bytes of this output were not carried over to the full module]\n"
        ));
    }
    entries
        .into_iter()
        .map(|mut e| {
            cut(&mut e.stdout);
            cut(&mut e.stderr);
            e
        })
        .collect()
}

/// Whether this module runs the lab `kind` at `version` (the lite one: the local lab, 3.4).
pub fn runs(kind: LabKind, version: EtcdVersion) -> bool {
    !LITE || (kind == LabKind::Local && version == EtcdVersion::default())
}

/// What a lab or release this module does not run is called while the full module loads.
pub fn lab_needs(kind: LabKind, version: EtcdVersion) -> String {
    match kind {
        LabKind::Local => format!("etcd {}", version.api()),
        _ => format!("the {} lab", kind.name()),
    }
}

/// [`hand_over`] of console lines (`needs`: what they need), re-rendering with `update`.
pub fn hand_over_lines(
    (db, session): (&DbSlot, &SessionRef),
    needs: String,
    lines: Vec<String>,
    update: &yew::functional::UseForceUpdateHandle,
) {
    let next = Next {
        needs,
        lines,
        ..Next::default()
    };
    hand_over_next((db, session), next, update);
}

/// [`hand_over`] with the console's entries carried over, re-rendering with `update`.
pub fn hand_over_next(
    (db, session): (&DbSlot, &SessionRef),
    mut next: Next,
    update: &yew::functional::UseForceUpdateHandle,
) {
    if let Ok(s) = session.try_borrow() {
        next.entries = carried(s.shown(CARRIED_ENTRIES));
    }
    let update = update.clone();
    hand_over(
        db,
        next,
        yew::Callback::from(move |_| update.force_update()),
    );
}

/// What the note says while the full module loads.
pub fn loading_text(needs: &str) -> String {
    format!("{needs} comes with the rest of the playground: loading it (once; then this browser keeps it)…")
}

#[cfg(target_arch = "wasm32")]
pub use page::{arrive, arrived, arrived_entries, hand_over, handing_over};

#[cfg(target_arch = "wasm32")]
mod page {
    use std::cell::RefCell;

    use gloo_timers::callback::Timeout;
    use yew::Callback;

    use super::{Next, Shown, MODULE_KEY, NEXT_KEY};
    use crate::ui::persistence;

    thread_local! {
        /// What the hand-over in progress is for.
        static HANDING_OVER: RefCell<Option<String>> = const { RefCell::new(None) };
        /// What the first-visit module left to do, once this page is ready.
        static ARRIVED: RefCell<Option<Next>> = const { RefCell::new(None) };
        /// The entries it showed, for the restored session to show first.
        static SHOWN: RefCell<Vec<Shown>> = const { RefCell::new(Vec::new()) };
    }

    /// Before the page starts: takes what the first-visit module left to do, and puts the
    /// share link it was opening back into the address (for the boot to open it).
    pub fn arrive() {
        let Some(mut next) = take_next() else { return };
        SHOWN.with(|s| *s.borrow_mut() = std::mem::take(&mut next.entries));
        if let (Some(fragment), Some(w)) = (&next.shared, web_sys::window()) {
            let path = w.location().pathname().unwrap_or_default();
            let search = w.location().search().unwrap_or_default();
            if let Ok(h) = w.history() {
                let url = format!("{path}{search}{fragment}");
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
        ARRIVED.with(|a| *a.borrow_mut() = Some(next));
    }

    /// What the first-visit module left to do (taken once).
    pub fn arrived() -> Option<Next> {
        ARRIVED.with(|a| a.borrow_mut().take())
    }

    /// The entries it showed (taken once).
    pub fn arrived_entries() -> Vec<Shown> {
        SHOWN.with(|s| std::mem::take(&mut *s.borrow_mut()))
    }

    /// What the hand-over in progress is for (the page says it, and takes no input).
    pub fn handing_over() -> Option<String> {
        HANDING_OVER.with(|h| h.borrow().clone())
    }

    /// Hands over to the full module (see the module doc): nothing more is stored from here;
    /// once the flushes in flight committed, `next` is left for it and the page reloads.
    /// `changed` re-renders (the note shows).
    pub fn hand_over(db: &crate::ui::labs::DbSlot, next: Next, changed: Callback<()>) {
        if HANDING_OVER
            .with(|h| h.replace(Some(next.needs.clone())))
            .is_some()
        {
            return; // (one is on its way)
        }
        let p = db.borrow().clone();
        if let Some(p) = &p {
            persistence::freeze(p);
        }
        changed.emit(());
        when_settled(p, move || {
            let window = web_sys::window();
            if let Some(s) = window
                .as_ref()
                .and_then(|w| w.session_storage().ok().flatten())
            {
                // (too much for the storage: the lines still go, without the entries)
                let stored = |next: &Next| match serde_json::to_string(next) {
                    Ok(json) => s.set_item(NEXT_KEY, &json).is_ok(),
                    Err(_) => false,
                };
                if !stored(&next) {
                    let lines_only = Next {
                        entries: Vec::new(),
                        ..next
                    };
                    stored(&lines_only);
                }
            }
            if let Some(s) = window
                .as_ref()
                .and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = s.set_item(MODULE_KEY, "full");
            }
            if let Some(w) = window {
                let _ = w.location().reload();
            }
        });
    }

    /// Runs `then` once no flush is in flight (polled; at most ~10 s, then anyway: what did
    /// not commit by then is what a reload at that moment would lose).
    fn when_settled(p: Option<persistence::DbHandle>, then: impl FnOnce() + 'static) {
        fn poll(p: Option<persistence::DbHandle>, then: Box<dyn FnOnce()>, left: u32) {
            if left == 0 || p.as_ref().is_none_or(|p| persistence::in_flight(p) == 0) {
                then();
                return;
            }
            Timeout::new(25, move || poll(p, then, left - 1)).forget();
        }
        poll(p, Box::new(then), 400);
    }

    /// What the lite module left to do (read once: it is removed).
    fn take_next() -> Option<Next> {
        let s = web_sys::window()?.session_storage().ok().flatten()?;
        let json = s.get_item(NEXT_KEY).ok().flatten()?;
        let _ = s.remove_item(NEXT_KEY);
        serde_json::from_str(&json).ok()
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn handing_over() -> Option<String> {
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub fn hand_over(_db: &DbSlot, _next: Next, _changed: yew::Callback<()>) {}

#[cfg(not(target_arch = "wasm32"))]
pub fn arrived() -> Option<Next> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lite_module_runs_the_local_lab_at_3_4_only() {
        assert!(runs(LabKind::Local, EtcdVersion::default()));
        assert_eq!(runs(LabKind::Kubeadm, EtcdVersion::default()), !LITE);
        assert_eq!(runs(LabKind::Local, EtcdVersion::V3_5_1), !LITE);
    }

    #[test]
    fn a_long_output_is_cut_when_carried_over() {
        // (2 bytes a char after the first: the cut at CARRIED_BYTES falls inside one)
        let long = format!("x{}", "é".repeat(CARRIED_BYTES));
        let e = Shown {
            line: "etcdctl get --prefix".into(),
            stdout: long.clone(),
            stderr: "short\n".into(),
            exit: 0,
        };
        let c = carried(vec![e.clone()]).remove(0);
        assert!(c.stdout.starts_with(&long[..CARRIED_BYTES - 1]));
        assert!(c.stdout.ends_with(&format!(
            "\n[{} more bytes of this output were not carried over to the full module]\n",
            long.len() - (CARRIED_BYTES - 1)
        )));
        assert_eq!((c.stderr, c.line), (e.stderr, e.line));
    }

    #[test]
    fn what_is_left_reads_back() {
        let next = Next {
            needs: "kubectl".into(),
            lines: vec!["kubectl get ns\netcdctl get a".into()],
            lesson: Some("kubeadm-backup".into()),
            shared: Some("#share=abc".into()),
            entries: vec![Shown {
                line: "etcdctl put a 1".into(),
                stdout: "OK\n".into(),
                ..Shown::default()
            }],
        };
        let json = serde_json::to_string(&next).unwrap();
        assert_eq!(serde_json::from_str::<Next>(&json).unwrap(), next);
    }
}
