//! The page's labs: one session per lab ([`LabKind`]), each with its own IndexedDB database
//! (`local` keeps the page's original database, so nobody loses data; the others are
//! `etcd-playground-lab-NAME`), opened the first time the lab is chosen. The lab chosen last
//! is remembered in the browser (`localStorage`, only its name) and opened on the next load.
//!
//! A `lab` line typed in the console is answered here, before any session sees it
//! ([`lab_line`]): `lab` lists the labs, `lab NAME` switches (the same as the title bar's
//! selector).
//!
//! Owns: which lab is current, the per-lab sessions and database slots, the remembered choice.
//! Must not touch: what runs in a lab (the session and the playground), the databases' content
//! (`storage`, `persistence`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::playground::lab::{list_text, parse_lab_command, LabCommand, LabKind};
use crate::playground::session::Session;
use crate::process::Output;

use super::lab_select::LabChoice;

pub type SessionRef = Rc<RefCell<Session>>;

/// An open database bound to one lab's session.
#[cfg(target_arch = "wasm32")]
pub type DbHandle = Rc<super::persistence::Persist>;
#[cfg(not(target_arch = "wasm32"))]
pub type DbHandle = ();
pub type DbSlot = Rc<RefCell<Option<DbHandle>>>;

/// The database name of the page's original (local) playground.
pub const BASE_DB_NAME: &str = "etcd-playground";

/// Where the page remembers the lab chosen last.
pub const REMEMBERED_LAB_KEY: &str = "etcd-playground-lab";

/// The database that keeps `kind`'s state.
pub fn db_name(kind: LabKind) -> String {
    match kind {
        LabKind::Local => BASE_DB_NAME.to_string(),
        other => format!("{BASE_DB_NAME}-lab-{}", other.name()),
    }
}

/// A fresh session of `kind` as the page runs it (the page has an editor for `vi FILE`).
pub fn page_session(kind: LabKind) -> Session {
    let mut s = Session::fresh_lab(kind);
    s.playground_mut().set_editor_available(true);
    s
}

/// One lab's session and its database (empty until opened).
#[derive(Clone)]
pub struct LabSlot {
    pub kind: LabKind,
    pub session: SessionRef,
    pub db: DbSlot,
}

impl LabSlot {
    fn new(kind: LabKind) -> LabSlot {
        LabSlot {
            kind,
            session: Rc::new(RefCell::new(page_session(kind))),
            db: Rc::new(RefCell::new(None)),
        }
    }
}

/// Every lab opened so far, and which one the page shows.
pub struct Labs {
    current: LabSlot,
    opened: Vec<LabSlot>,
    /// A `lab NAME` line to show in the lab switched to, once its session is ready.
    pending_line: Option<(String, Output)>,
}

impl Labs {
    /// The page starts in `kind` (its database is opened by the page's boot).
    pub fn new(kind: LabKind) -> Labs {
        let slot = LabSlot::new(kind);
        Labs {
            current: slot.clone(),
            opened: vec![slot],
            pending_line: None,
        }
    }

    pub fn current(&self) -> LabSlot {
        self.current.clone()
    }

    pub fn kind(&self) -> LabKind {
        self.current.kind
    }

    /// Makes `kind` the lab in view; true when it is new (its database must be opened).
    pub fn switch(&mut self, kind: LabKind) -> (LabSlot, bool) {
        if let Some(slot) = self.opened.iter().find(|s| s.kind == kind) {
            self.current = slot.clone();
            return (slot.clone(), false);
        }
        let slot = LabSlot::new(kind);
        self.opened.push(slot.clone());
        self.current = slot.clone();
        (slot, true)
    }

    /// Remembers a line to show once the lab switched to is ready.
    pub fn set_pending_line(&mut self, line: String, output: Output) {
        self.pending_line = Some((line, output));
    }

    pub fn take_pending_line(&mut self) -> Option<(String, Output)> {
        self.pending_line.take()
    }

    /// What the selector offers.
    pub fn choices() -> Vec<LabChoice> {
        LabKind::ALL
            .iter()
            .map(|k| LabChoice {
                name: k.name().to_string(),
                title: format!("{} — {}", k.name(), k.title()),
            })
            .collect()
    }
}

/// What the page does with a console line.
#[derive(Debug, PartialEq)]
pub enum LabLine {
    /// Not a `lab` line: the session runs it.
    NotLab,
    /// Answered here (`lab`, or a `lab` line used wrongly).
    Answer(Output),
    /// `lab NAME`: switch, then show this answer in the lab switched to.
    Switch(LabKind, Output),
}

/// Reads a console line as the page's `lab` command (only a single line is one).
pub fn lab_line(text: &str, current: LabKind) -> LabLine {
    if text.trim().contains('\n') {
        return LabLine::NotLab;
    }
    match parse_lab_command(text.trim()) {
        None => LabLine::NotLab,
        Some(Ok(LabCommand::List)) => LabLine::Answer(Output {
            stdout: list_text(current),
            ..Default::default()
        }),
        // the page keeps one session per lab, at etcd 3.4.23 (`etcdplay --etcd 3.5` and
        // `lab NAME --etcd 3.5` there have 3.5)
        Some(Ok(LabCommand::Switch(_, Some(v)))) if v.is_3_5() => LabLine::Answer(Output {
            stderr: "lab: the page runs etcd 3.4.23 for now; etcd 3.5 is in etcdplay (`etcdplay --etcd 3.5`, or `lab local --etcd 3.5` there)\n".to_string(),
            exit: 1,
            ..Default::default()
        }),
        Some(Ok(LabCommand::Switch(kind, _))) => LabLine::Switch(
            kind,
            Output {
                stdout: switched_text(kind),
                ..Default::default()
            },
        ),
        Some(Err(usage)) => LabLine::Answer(Output {
            stderr: format!("{}\n", usage.trim_end()),
            exit: 1,
            ..Default::default()
        }),
    }
}

/// What `lab NAME` answers in the page.
fn switched_text(kind: LabKind) -> String {
    format!("lab {}: {}\n", kind.name(), kind.title())
}

/// The lab chosen last in this browser, if any.
#[cfg(target_arch = "wasm32")]
pub fn remembered() -> Option<LabKind> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let name = storage.get_item(REMEMBERED_LAB_KEY).ok()??;
    LabKind::parse(&name)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn remembered() -> Option<LabKind> {
    None
}

/// Remembers `kind` as the lab to open on the next load.
#[cfg(target_arch = "wasm32")]
pub fn remember(kind: LabKind) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(REMEMBERED_LAB_KEY, kind.name());
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn remember(_kind: LabKind) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn databases_keep_the_original_name_for_local() {
        assert_eq!(db_name(LabKind::Local), "etcd-playground");
        assert_eq!(db_name(LabKind::Kubeadm), "etcd-playground-lab-kubeadm");
    }

    #[test]
    fn lab_lines_are_answered_by_the_page() {
        assert_eq!(lab_line("etcdctl get a", LabKind::Local), LabLine::NotLab);
        match lab_line("lab", LabKind::Kubeadm) {
            LabLine::Answer(o) => assert!(o.stdout.contains("* kubeadm"), "{o:?}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lab_line(" lab kubeadm ", LabKind::Local),
            LabLine::Switch(LabKind::Kubeadm, _)
        ));
        match lab_line("lab nosuch", LabKind::Local) {
            LabLine::Answer(o) => assert!(o.exit == 1 && o.stderr.ends_with('\n'), "{o:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn switching_keeps_each_lab_and_opens_a_new_one_once() {
        let mut labs = Labs::new(LabKind::Local);
        labs.current()
            .session
            .borrow_mut()
            .run_line("etcdctl put a 1");
        let (k, new) = labs.switch(LabKind::Kubeadm);
        assert!(new);
        assert_eq!(k.session.borrow().lab(), LabKind::Kubeadm);
        let (l, new) = labs.switch(LabKind::Local);
        assert!(!new);
        assert_eq!(l.session.borrow().entries().len(), 1);
        assert!(!labs.switch(LabKind::Kubeadm).1);
        assert_eq!(labs.kind(), LabKind::Kubeadm);
    }
}
