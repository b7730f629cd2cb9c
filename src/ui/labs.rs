//! The page's labs: one session per lab ([`LabKind`]) and etcd release ([`EtcdVersion`]), as
//! `etcdplay` keeps them, each with its own IndexedDB database (at 3.4 `local` keeps the page's
//! original database and the others `etcd-playground-lab-NAME`, so nobody loses data; at 3.5
//! the same names end in `-3.5`), opened the first time the pair is chosen. The lab and release
//! chosen last are remembered in the browser (`localStorage`: the lab's name under its old key,
//! the release under a key of its own) and opened on the next load.
//!
//! A `lab` line typed in the console is answered here, before any session sees it
//! ([`lab_line`]): `lab` lists the labs, `lab NAME [--etcd 3.4|3.5]` switches (the same as the
//! title bar's selectors; without `--etcd` the release stays).
//!
//! Owns: which lab and release are current, their sessions and database slots, the remembered
//! choice.
//! Must not touch: what runs in a lab (the session and the playground), the databases' content
//! (`storage`, `persistence`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::api::EtcdVersion;
use crate::playground::lab::{list_text, parse_lab_command, with_release, LabCommand, LabKind};
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

/// Where the page remembers the lab chosen last (its name, as before releases existed).
pub const REMEMBERED_LAB_KEY: &str = "etcd-playground-lab";

/// Where the page remembers the etcd release chosen last (`3.4`, `3.5`).
pub const REMEMBERED_VERSION_KEY: &str = "etcd-playground-etcd";

/// The database that keeps `kind`'s state at etcd `version` (3.4's are the names from before
/// releases existed).
pub fn db_name(kind: LabKind, version: EtcdVersion) -> String {
    let base = match kind {
        LabKind::Local => BASE_DB_NAME.to_string(),
        other => format!("{BASE_DB_NAME}-lab-{}", other.name()),
    };
    if version == EtcdVersion::default() {
        base
    } else {
        format!("{base}-{}", version.api())
    }
}

/// A fresh session of `kind` at `version` as the page runs it (the page has an editor for
/// `vi FILE`).
pub fn page_session(kind: LabKind, version: EtcdVersion) -> Session {
    let mut s = Session::fresh_lab_version(kind, version);
    s.playground_mut().set_editor_available(true);
    s
}

/// The lab and release a load opens from what `localStorage` holds (either may be missing or
/// not one the page knows: then local, and 3.4).
pub fn parse_remembered(lab: Option<&str>, version: Option<&str>) -> (LabKind, EtcdVersion) {
    (
        lab.and_then(LabKind::parse).unwrap_or_default(),
        version.and_then(EtcdVersion::parse).unwrap_or_default(),
    )
}

/// One lab's session at one release and its database (empty until opened).
#[derive(Clone)]
pub struct LabSlot {
    pub kind: LabKind,
    pub version: EtcdVersion,
    pub session: SessionRef,
    pub db: DbSlot,
}

impl LabSlot {
    fn new(kind: LabKind, version: EtcdVersion) -> LabSlot {
        LabSlot {
            kind,
            version,
            session: Rc::new(RefCell::new(page_session(kind, version))),
            db: Rc::new(RefCell::new(None)),
        }
    }
}

/// Every (lab, release) opened so far, and which one the page shows.
pub struct Labs {
    current: LabSlot,
    opened: Vec<LabSlot>,
    /// A `lab NAME` line to show in the lab switched to, once its session is ready.
    pending_line: Option<(String, Output)>,
}

impl Labs {
    /// The page starts in `kind` at `version` (its database is opened by the page's boot).
    pub fn new(kind: LabKind, version: EtcdVersion) -> Labs {
        let slot = LabSlot::new(kind, version);
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

    pub fn version(&self) -> EtcdVersion {
        self.current.version
    }

    /// Makes `kind` at `version` the lab in view; true when it is new (its database must be
    /// opened).
    pub fn switch(&mut self, kind: LabKind, version: EtcdVersion) -> (LabSlot, bool) {
        let found = self
            .opened
            .iter()
            .find(|s| s.kind == kind && s.version == version);
        if let Some(slot) = found {
            self.current = slot.clone();
            return (slot.clone(), false);
        }
        let slot = LabSlot::new(kind, version);
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

    /// What the release selector offers.
    pub fn version_choices() -> Vec<LabChoice> {
        EtcdVersion::ALL
            .iter()
            .map(|v| LabChoice {
                name: v.api().to_string(),
                title: format!("etcd {}", v.full()),
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
    /// `lab NAME [--etcd V]`: switch, then show this answer in the lab switched to.
    Switch(LabKind, EtcdVersion, Output),
}

/// Reads a console line as the page's `lab` command (only a single line is one), in lab
/// `current` at etcd `version`.
pub fn lab_line(text: &str, current: LabKind, version: EtcdVersion) -> LabLine {
    if text.trim().contains('\n') {
        return LabLine::NotLab;
    }
    match parse_lab_command(text.trim()) {
        None => LabLine::NotLab,
        Some(Ok(LabCommand::List)) => LabLine::Answer(Output {
            stdout: list_text(current, version),
            ..Default::default()
        }),
        Some(Ok(LabCommand::Switch(kind, to))) => {
            let to = to.unwrap_or(version);
            LabLine::Switch(
                kind,
                to,
                Output {
                    stdout: switched_text(kind, to),
                    ..Default::default()
                },
            )
        }
        Some(Err(usage)) => LabLine::Answer(Output {
            stderr: format!("{}\n", usage.trim_end()),
            exit: 1,
            ..Default::default()
        }),
    }
}

/// What `lab NAME` answers in the page (with the release when it is not 3.4).
fn switched_text(kind: LabKind, version: EtcdVersion) -> String {
    with_release(format!("lab {}: {}\n", kind.name(), kind.title()), version)
}

/// The lab and release chosen last in this browser (local and 3.4 when none, or when what is
/// stored is not one the page knows).
#[cfg(target_arch = "wasm32")]
pub fn remembered() -> (LabKind, EtcdVersion) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let get = |key: &str| {
        storage
            .as_ref()
            .and_then(|s| s.get_item(key).ok().flatten())
    };
    let (lab, version) = (get(REMEMBERED_LAB_KEY), get(REMEMBERED_VERSION_KEY));
    parse_remembered(lab.as_deref(), version.as_deref())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn remembered() -> (LabKind, EtcdVersion) {
    parse_remembered(None, None)
}

/// Remembers `kind` at `version` as the lab to open on the next load.
#[cfg(target_arch = "wasm32")]
pub fn remember(kind: LabKind, version: EtcdVersion) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(REMEMBERED_LAB_KEY, kind.name());
        let _ = storage.set_item(REMEMBERED_VERSION_KEY, version.api());
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn remember(_kind: LabKind, _version: EtcdVersion) {}

#[cfg(test)]
mod tests {
    use super::*;

    const V34: EtcdVersion = EtcdVersion::V3_4_23;
    const V35: EtcdVersion = EtcdVersion::V3_5_1;

    #[test]
    fn databases_keep_the_original_names_at_3_4() {
        assert_eq!(db_name(LabKind::Local, V34), "etcd-playground");
        assert_eq!(
            db_name(LabKind::Kubeadm, V34),
            "etcd-playground-lab-kubeadm"
        );
        assert_eq!(
            db_name(LabKind::ExternalEtcd, V34),
            "etcd-playground-lab-external-etcd"
        );
        assert_eq!(db_name(LabKind::Local, V35), "etcd-playground-3.5");
        assert_eq!(
            db_name(LabKind::Kubeadm, V35),
            "etcd-playground-lab-kubeadm-3.5"
        );
        // every (lab, release) its own database
        let mut names: Vec<String> = LabKind::ALL
            .iter()
            .flat_map(|k| EtcdVersion::ALL.iter().map(move |v| db_name(*k, *v)))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), LabKind::ALL.len() * EtcdVersion::ALL.len());
    }

    #[test]
    fn lab_lines_are_answered_by_the_page() {
        assert_eq!(
            lab_line("etcdctl get a", LabKind::Local, V34),
            LabLine::NotLab
        );
        match lab_line("lab", LabKind::Kubeadm, V34) {
            LabLine::Answer(o) => assert!(o.stdout.contains("* kubeadm"), "{o:?}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lab_line(" lab kubeadm ", LabKind::Local, V34),
            LabLine::Switch(LabKind::Kubeadm, V34, _)
        ));
        match lab_line("lab nosuch", LabKind::Local, V34) {
            LabLine::Answer(o) => assert!(o.exit == 1 && o.stderr.ends_with('\n'), "{o:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lab_lines_choose_the_release() {
        for line in [
            "lab local --etcd 3.5",
            "lab local --etcd=3.5",
            "lab local --etcd 3.5.1",
        ] {
            match lab_line(line, LabKind::Local, V34) {
                LabLine::Switch(LabKind::Local, V35, o) => {
                    assert!(o.stdout.ends_with("(etcd 3.5.1)\n"), "{o:?}")
                }
                other => panic!("{line}: {other:?}"),
            }
        }
        match lab_line("lab local --etcd 3.4", LabKind::Local, V35) {
            LabLine::Switch(LabKind::Local, V34, o) => {
                assert!(!o.stdout.contains("(etcd"), "{o:?}")
            }
            other => panic!("{other:?}"),
        }
        // without --etcd the release in view stays
        assert!(matches!(
            lab_line("lab kubeadm", LabKind::Local, V35),
            LabLine::Switch(LabKind::Kubeadm, V35, _)
        ));
        match lab_line("lab", LabKind::Local, V35) {
            LabLine::Answer(o) => {
                let first = o.stdout.lines().next().unwrap_or_default().to_string();
                assert!(
                    first.starts_with("* local") && first.ends_with("(etcd 3.5.1)"),
                    "{o:?}"
                )
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            "lab local --etcd 3.6",
            "lab local --etcd",
            "lab local --etcd=<b>",
        ] {
            match lab_line(bad, LabKind::Local, V34) {
                LabLine::Answer(o) => assert!(o.exit == 1 && o.stderr.contains("usage"), "{o:?}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_remembered_choice_falls_back_to_local_and_3_4() {
        assert_eq!(parse_remembered(None, None), (LabKind::Local, V34));
        // a value stored before releases existed: only the lab
        assert_eq!(
            parse_remembered(Some("kubeadm"), None),
            (LabKind::Kubeadm, V34)
        );
        assert_eq!(
            parse_remembered(Some("external-etcd"), Some("3.5")),
            (LabKind::ExternalEtcd, V35)
        );
        assert_eq!(
            parse_remembered(Some("local"), Some("3.4")),
            (LabKind::Local, V34)
        );
        for bad in ["", "3.9", "garbage\u{0}", "<b>3.5</b>", "3.5 "] {
            assert_eq!(
                parse_remembered(Some("local"), Some(bad)),
                (LabKind::Local, V34)
            );
        }
        assert_eq!(
            parse_remembered(Some("nosuch"), Some("3.5")),
            (LabKind::Local, V35)
        );
        // what remember() stores reads back
        for v in EtcdVersion::ALL {
            assert_eq!(parse_remembered(Some("kubeadm"), Some(v.api())).1, v);
        }
    }

    #[test]
    fn switching_keeps_each_lab_and_release_and_opens_a_new_one_once() {
        let mut labs = Labs::new(LabKind::Local, V34);
        let run = |slot: &LabSlot, line: &str| {
            let o = slot.session.borrow_mut().playground_mut().run(line, None);
            o.stdout + &o.stderr
        };
        run(&labs.current(), "etcdctl put foo v34");
        labs.current()
            .session
            .borrow_mut()
            .run_line("etcdctl put a 1");
        let (k, new) = labs.switch(LabKind::Kubeadm, V34);
        assert!(new);
        assert_eq!(k.session.borrow().lab(), LabKind::Kubeadm);
        let (l, new) = labs.switch(LabKind::Local, V34);
        assert!(!new);
        assert_eq!(l.session.borrow().entries().len(), 1);
        assert!(!labs.switch(LabKind::Kubeadm, V34).1);
        assert_eq!(labs.kind(), LabKind::Kubeadm);
        // local at 3.5 is a playground of its own
        let (l35, new) = labs.switch(LabKind::Local, V35);
        assert!(new);
        assert_eq!((labs.kind(), labs.version()), (LabKind::Local, V35));
        assert_eq!(
            run(&l35, "etcdctl version"),
            "etcdctl version: 3.5.1\nAPI version: 3.5\n"
        );
        assert_eq!(run(&l35, "etcdctl get foo"), "");
        run(&l35, "etcdctl put foo v35");
        let (l34, new) = labs.switch(LabKind::Local, V34);
        assert!(!new);
        assert_eq!(run(&l34, "etcdctl get foo --print-value-only"), "v34\n");
        let (l35, new) = labs.switch(LabKind::Local, V35);
        assert!(!new);
        assert_eq!(run(&l35, "etcdctl get foo --print-value-only"), "v35\n");
    }

    #[test]
    fn the_release_selector_offers_both() {
        let c = Labs::version_choices();
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["3.4", "3.5"]);
        assert_eq!(c[0].title, "etcd 3.4.23");
        assert_eq!(c[1].title, "etcd 3.5.1");
    }
}
