//! The hand-over to the page's full module: in the first-visit build (feature `lite`; `make
//! test` runs these as `cargo test --features lite --lib lite_`) a line that needs a heavy
//! part is handed over whole and leaves nothing behind; in a full build nothing is.

use super::action::Action;
use super::Session;

fn lines(s: &Session) -> Vec<String> {
    s.entries().iter().map(|e| e.line.clone()).collect()
}

#[cfg(feature = "lite")]
mod lite {
    use super::*;
    use crate::playground::session::persistence::Base;

    #[test]
    fn lite_a_kubectl_line_is_handed_over_whole_and_kept_nowhere() {
        let mut s = Session::new(1);
        s.apply(Action::Run("etcdctl put a 1".into()));
        let (entries, inputs) = (s.entries().len(), s.inputs().len());
        let line = "kubectl get ns";
        s.apply(Action::Run(line.into()));
        assert!(s.handing_over());
        assert_eq!(s.entries().len(), entries, "no entry for it");
        assert_eq!(s.inputs().len(), inputs, "no input stored for it");
        let h = s.take_handover().expect("handed over");
        assert_eq!((h.needs, h.lines), ("kubectl", vec![line.to_string()]));
        assert!(s.take_handover().is_none(), "taking it clears it");
    }

    #[test]
    fn lite_a_shell_line_is_handed_over_whole_and_runs_nothing_here() {
        let mut s = Session::new(1);
        s.apply(Action::Run("etcdctl put a 1".into()));
        let (entries, inputs) = (s.entries().len(), s.inputs().len());
        let applied = |s: &Session| {
            let w = s.world();
            w.leader().and_then(|l| w.member(l)).map(|m| m.applied())
        };
        let before = applied(&s);
        for line in [
            "etcdctl put b 2 && etcdctl get b",
            "etcdctl get a -w json | jq .count",
            "etcdctl get a > out.txt",
            "ls -l",
        ] {
            s.apply(Action::Run(line.into()));
            let h = s.take_handover().expect(line);
            assert_eq!(
                (h.needs, h.lines),
                (crate::playground::SHELL_PART, vec![line.to_string()])
            );
            assert_eq!(s.entries().len(), entries, "no entry for {line}");
            assert_eq!(s.inputs().len(), inputs, "no input stored for {line}");
            assert_eq!(applied(&s), before, "{line} wrote nothing");
        }
    }

    #[test]
    fn lite_every_local_lesson_runs_in_the_first_visit_module() {
        // (a lesson step whose line the first-visit module hands over reloads the page in the
        // middle of the lesson: only the lessons built on the full module's parts may)
        use crate::playground::lesson::{self, verify};
        const FULL: [&str; 2] = ["kubernetes-registry", "cka-backup-restore"];
        let files: Vec<(String, String)> = lesson::files()
            .iter()
            .filter(|(name, _)| !FULL.iter().any(|f| name.trim_end_matches(".md") == *f))
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert!(files.len() >= 10, "{} lessons", files.len());
        let report = verify::verify_files(&files);
        assert!(report.failures.is_empty(), "{}", report.text());
        assert_eq!(report.lessons, files.len());
    }

    #[test]
    fn lite_a_paste_is_handed_over_whole_and_its_later_lines_do_not_run_here() {
        let mut s = Session::new(1);
        let paste = "etcdctl put a 1\nload k8s\netcdctl put c 3";
        s.apply(Action::Run(paste.into()));
        let h = s.take_handover().expect("handed over");
        assert_eq!((h.needs, h.lines), ("load k8s", vec![paste.to_string()]));
        assert!(
            !lines(&s).iter().any(|l| l == "etcdctl put c 3"),
            "the line after it did not run here"
        );
        assert!(s.inputs().iter().all(|r| r.line != "etcdctl put c 3"));
    }

    #[test]
    fn lite_connect_is_handed_over_and_its_usage_error_is_not() {
        let mut s = Session::new(1);
        s.apply(Action::Run("connect".into()));
        assert!(
            s.take_handover().is_none(),
            "a usage error needs no gateway"
        );
        assert!(s
            .entries()
            .last()
            .unwrap()
            .output
            .stderr
            .contains("usage: connect URL"));
        let line = "connect http://127.0.0.1:2379";
        s.apply(Action::Run(line.into()));
        let h = s.take_handover().expect("handed over");
        assert_eq!((h.needs, h.lines), ("connect", vec![line.to_string()]));
    }

    #[test]
    fn lite_what_the_first_visit_module_has_is_not_handed_over() {
        let mut s = Session::new(1);
        for line in [
            "etcdctl put a 1",
            "etcdutl version",
            "kubectlx",
            "ETCDCTL_API=2 etcdctl ls /",
            "lab",
        ] {
            s.apply(Action::Run(line.into()));
            assert!(s.take_handover().is_none(), "{line}");
        }
        // etcdutl is not in etcd 3.4: the shell says so, as in a full build
        let e = s
            .entries()
            .iter()
            .find(|e| e.line == "etcdutl version")
            .unwrap();
        assert_eq!(e.output.exit, 127);
    }

    #[test]
    fn lite_lines_typed_during_a_load_are_handed_over_from_the_first_that_needs_it() {
        let mut s = Session::new(1);
        s.apply(Action::Run("etcdctl put a 1".into()));
        s.apply(Action::Run("etcdctl snapshot save s.db".into()));
        s.step_long_commands(true);
        s.apply(Action::Run("load s.db".into()));
        assert!(s.working().is_some());
        for l in ["etcdctl put b 2", "kubectl get pods", "etcdctl put c 3"] {
            s.apply(Action::Run(l.into()));
        }
        while s.work().is_none() {}
        let h = s.take_handover().expect("handed over");
        assert_eq!(h.needs, "kubectl");
        assert_eq!(h.lines, ["kubectl get pods", "etcdctl put c 3"]);
        // the load and the line typed before the hand-over ran here and are kept
        let inputs: Vec<&str> = s.inputs().iter().map(|r| r.line.as_str()).collect();
        assert_eq!(inputs[inputs.len() - 2..], ["load s.db", "etcdctl put b 2"]);
    }

    #[test]
    fn lite_a_stored_node_lab_or_etcd_3_5_is_handed_over_on_restore() {
        let state = Session::new(1).stored_state();
        let mut json = serde_json::to_value(&state).unwrap();
        json["lab"] = serde_json::to_value(crate::playground::lab::LabKind::Kubeadm).unwrap();
        json["node"] = serde_json::json!({"fs": {"any": ["thing", 1]}, "shell": null});
        let node_state = serde_json::from_value(json).expect("a node lab's record reads");
        let mut s = Session::restore(Base {
            state: node_state,
            disks: Default::default(),
        });
        assert_eq!(s.take_handover().map(|h| h.needs), Some("a node lab"));

        let mut json = serde_json::to_value(&state).unwrap();
        json["etcd_version"] = serde_json::to_value(crate::api::EtcdVersion::V3_5_1).unwrap();
        let state_35 = serde_json::from_value(json).unwrap();
        let mut s = Session::restore(Base {
            state: state_35,
            disks: Default::default(),
        });
        assert_eq!(s.take_handover().map(|h| h.needs), Some("etcd 3.5"));
    }
}

#[test]
fn the_entries_shown_before_a_hand_over_show_again_as_text() {
    let mut s = Session::new(1);
    s.apply(Action::Run("etcdctl put a 1".into()));
    s.apply(Action::Run("etcdctl get nosuch --bad".into()));
    let shown = s.shown(40);
    assert_eq!(shown.len(), 2);
    assert_eq!((shown[0].stdout.as_str(), shown[1].exit), ("OK\n", 1));
    assert_eq!(s.shown(1), shown[1..]);
    let mut full = Session::new(1);
    full.start_persisting();
    full.show_earlier(shown.clone());
    assert_eq!(full.shown(40), shown);
    assert!(full.inputs().is_empty(), "not inputs");
    assert_eq!(
        full.durable_upto(),
        full.next_entry_id(),
        "nothing waits for a write"
    );
}

#[cfg(not(feature = "lite"))]
#[test]
fn a_full_build_hands_nothing_over() {
    let mut s = Session::new(1);
    for line in [
        "kubectl get ns",
        "load k8s",
        "lab kubeadm",
        "etcdutl version",
    ] {
        s.apply(Action::Run(line.into()));
        assert!(s.take_handover().is_none(), "{line}");
    }
    assert!(lines(&s).iter().any(|l| l == "load k8s"));
}
