//! Secrets found in lines and inputs, their pseudonyms, and a session whose stored inputs,
//! stored state, disks, history, entries and share link hold none.

use super::*;
use crate::playground::session::share::{decode, encode};
use crate::playground::session::{Session, DEFAULT_SEED};

fn redact(line: &str) -> String {
    Secrets::default().redact_line(line)
}

#[test]
fn each_place_etcdctl_takes_a_password_from_is_redacted() {
    for (line, want) in [
        (
            "etcdctl --user root:pw get k",
            "etcdctl --user root:«secret-1» get k",
        ),
        (
            "etcdctl --user=root:pw get k",
            "etcdctl --user=root:«secret-1» get k",
        ),
        (
            "etcdctl --user root --password pw get k",
            "etcdctl --user root --password «secret-1» get k",
        ),
        (
            "etcdctl --password='a b' --user=root get k",
            "etcdctl --password=«secret-1» --user=root get k",
        ),
        (
            "etcdctl user add bob:pw",
            "etcdctl user add bob:«secret-1»",
        ),
        (
            "etcdctl make-mirror --dest-user root:pw 127.0.0.1:22379",
            "etcdctl make-mirror --dest-user root:«secret-1» 127.0.0.1:22379",
        ),
        (
            "etcdctl make-mirror --dest-user=root --dest-password=pw h:1",
            "etcdctl make-mirror --dest-user=root --dest-password=«secret-1» h:1",
        ),
        (
            "etcdctl --endpoints=x user add 'bo b:p w'",
            "etcdctl --endpoints=x user add 'bo b:'«secret-1»",
        ),
        (
            "etcdctl user add bob --new-user-password=pw",
            "etcdctl user add bob --new-user-password=«secret-1»",
        ),
        (
            "etcdctl user passwd bob --interactive=false --new-user-password pw",
            "etcdctl user passwd bob --interactive=false --new-user-password «secret-1»",
        ),
        (
            "ETCDCTL_API=2 etcdctl -u root:pw ls",
            "ETCDCTL_API=2 etcdctl -u root:«secret-1» ls",
        ),
        (
            "etcdctl --username=root:pw ls",
            "etcdctl --username=root:«secret-1» ls",
        ),
        (
            "export ETCDCTL_PASSWORD=pw",
            "export ETCDCTL_PASSWORD=«secret-1»",
        ),
        (
            "export ETCDCTL_USER=root:pw ETCDCTL_API=3",
            "export ETCDCTL_USER=root:«secret-1» ETCDCTL_API=3",
        ),
        (
            "ETCDCTL_PASSWORD=\"pw\" etcdctl get k && echo ok",
            "ETCDCTL_PASSWORD=«secret-1» etcdctl get k && echo ok",
        ),
        (
            "kubectl -n kube-system exec etcd-controlplane -- etcdctl --user root:pw get k",
            "kubectl -n kube-system exec etcd-controlplane -- etcdctl --user root:«secret-1» get k",
        ),
        (
            "echo pw | etcdctl user add bob --interactive=false",
            "echo «secret-1» | etcdctl user add bob --interactive=false",
        ),
        (
            "/usr/local/bin/etcdctl --user root:pw get k; etcdctl --password pw get j",
            "/usr/local/bin/etcdctl --user root:«secret-1» get k; etcdctl --password «secret-1» get j",
        ),
    ] {
        assert_eq!(redact(line), want, "{line}");
    }
}

#[test]
fn lines_without_a_secret_are_left_as_typed() {
    for line in [
        "etcdctl put k v",
        "etcdctl --user root get k",
        "etcdctl user add bob",
        "etcdctl user add bob --no-password",
        "etcdctl --password= get k",
        "etcdctl --user=root: get k",
        "etcdctl --password=$PW get k",
        "etcdctl --user \"root:$PW\" get k",
        "etcdctl put user add:x",
        "sort -u root:pw",
        "echo --password pw",
        "etcdctl put k 'a b' # --password pw",
        "etcdctl --user root:«secret-4» get k",
        "export ETCDCTL_USER=root",
        "",
        "'unterminated --password pw",
    ] {
        assert_eq!(redact(line), line, "{line}");
    }
}

#[test]
fn equal_secrets_share_a_pseudonym_and_the_numbering_goes_on() {
    let s = Secrets::default();
    assert_eq!(
        s.redact_line("etcdctl user add a:x"),
        "etcdctl user add a:«secret-1»"
    );
    assert_eq!(
        s.redact_line("etcdctl user add b:y"),
        "etcdctl user add b:«secret-2»"
    );
    assert_eq!(
        s.redact_line("etcdctl --user a:x get k"),
        "etcdctl --user a:«secret-1» get k"
    );
    assert_eq!(s.count(), 2);
    let later = Secrets::continuing_from(2);
    assert_eq!(
        later.pseudonym("x"),
        "«secret-3»",
        "never a number given before"
    );
}

#[test]
fn a_recalled_line_runs_with_the_secret_it_stands_for() {
    let s = Secrets::default();
    let shown = s.redact_line("etcdctl --user 'root:a b'\\''c' get k");
    assert_eq!(shown, "etcdctl --user root:«secret-1» get k");
    assert_eq!(
        s.reveal_line(&shown),
        "etcdctl --user root:'a b'\\''c' get k"
    );
    // unknown pseudonyms (from before a reload) and stray marks stay
    assert_eq!(
        s.reveal_line("get «secret-9» «x «secret-"),
        "get «secret-9» «x «secret-"
    );
    assert_eq!(s.redact_line(&s.reveal_line(&shown)), shown);
}

#[test]
fn stdin_lines_that_are_passwords_are_redacted() {
    let s = Secrets::default();
    let typed = InputRecord {
        line: "etcdctl --user root txn -i".into(),
        stdin: Some("pw\nput k v\n\n\n".into()),
        secret_lines: vec![0],
        ..Default::default()
    };
    assert_eq!(
        s.redact_record(&typed).stdin.as_deref(),
        Some("«secret-1»\nput k v\n\n\n")
    );
    let heredoc = InputRecord {
        line: "etcdctl user add bob --interactive=false <<EOF".into(),
        stdin: Some("pw\n".into()),
        ..Default::default()
    };
    let r = s.redact_record(&heredoc);
    assert_eq!(r.stdin.as_deref(), Some("«secret-1»\n"));
    assert_eq!(r.line, heredoc.line);
    assert_eq!(s.redact_record(&r), r, "redacting twice changes nothing");
}

#[test]
fn the_variables_that_hold_a_secret_are_dropped() {
    let mut vars = BTreeMap::from([
        ("ETCDCTL_PASSWORD".to_string(), "pw".to_string()),
        ("ETCDCTL_USER".to_string(), "root".to_string()),
        ("ETCDCTL_USERNAME".to_string(), "root:pw".to_string()),
        ("ETCDCTL_API".to_string(), "3".to_string()),
    ]);
    assert_eq!(
        drop_secret_vars(&mut vars),
        vec![
            "ETCDCTL_PASSWORD".to_string(),
            "ETCDCTL_USERNAME".to_string()
        ]
    );
    assert_eq!(
        vars.keys().collect::<Vec<_>>(),
        ["ETCDCTL_API", "ETCDCTL_USER"]
    );
}

/// Everything the page would store or show of `s`, as text.
fn everything_stored(s: &mut Session) -> String {
    let (_, inputs) = s.take_new_inputs();
    let disks = s.drain_disks();
    format!(
        "{}\n{}\n{:?}\n{:?}\n{:?}\n{}",
        serde_json::to_string(&inputs).unwrap(),
        serde_json::to_string(&s.stored_state()).unwrap(),
        disks,
        s.history.lines(),
        s.entries.iter().map(|e| &e.line).collect::<Vec<_>>(),
        s.share_link(inputs.clone()).unwrap_or_default(),
    )
}

#[test]
fn a_session_stores_and_shows_no_password_and_its_link_replays() {
    let mut s = Session::fresh_page();
    s.start_persisting();
    s.run_line("etcdctl user add root:Root-Pw-1");
    s.run_line("etcdctl user grant-role root root");
    s.run_line("etcdctl user add bob");
    s.terminal_input("Bob-Pw-2");
    s.terminal_input("Bob-Pw-2");
    s.run_line("etcdctl auth enable");
    s.run_line("export ETCDCTL_USER=root:Root-Pw-1");
    s.run_line("etcdctl put k v");
    assert!(s.entries.last().unwrap().output.stdout.contains("OK"));
    s.run_line("unset ETCDCTL_USER");
    s.run_line("etcdctl --user bob get k");
    s.terminal_input("Bob-Pw-2");
    let e = s.entries.last().unwrap();
    assert!(e.output.stderr.contains("permission denied"), "{e:?}");
    s.run_line("export ETCDCTL_PASSWORD=Root-Pw-1");
    s.run_line("etcdctl --user root get k");
    assert_eq!(s.entries.last().unwrap().output.stdout, "k\nv\n");
    s.run_line("unset ETCDCTL_PASSWORD");
    // a wrong password fails here and in the replay
    s.run_line("etcdctl --user root:wrong get k");
    assert!(s
        .entries
        .last()
        .unwrap()
        .output
        .stderr
        .contains("authentication failed"));

    // ↑ shows the pseudonym, and the recalled line still works (the typed password gets
    // its pseudonym when the input is stored)
    let recalled = s.history_up("").unwrap();
    assert_eq!(recalled, "etcdctl --user root:«secret-2» get k");
    let recalled = s.history_up("").unwrap();
    assert_eq!(recalled, "unset ETCDCTL_PASSWORD");
    s.run_input("etcdctl --user root:«secret-1» put j w");
    assert!(s.entries.last().unwrap().output.stdout.contains("OK"));
    s.run_line("export ETCDCTL_PASSWORD=Root-Pw-1");

    let stored = everything_stored(&mut s);
    for secret in ["Root-Pw-1", "Bob-Pw-2", "wrong"] {
        assert!(!stored.contains(secret), "{secret} in {stored}");
    }
    assert!(stored.contains("«secret-1»") && stored.contains("«secret-2»"));
    let state = s.stored_state();
    assert_eq!(state.unset_secrets, ["ETCDCTL_PASSWORD"]);
    assert_eq!(state.secrets_named, 3);
    assert_eq!(
        s.state().env.get("ETCDCTL_PASSWORD").map(String::as_str),
        Some("Root-Pw-1")
    );

    // the link replays to the same state: the passwords are the pseudonyms there
    let link = s.share_link(s.inputs().to_vec()).expect("replays");
    let mut opened = Session::from_shared(&decode(&link).unwrap());
    opened.run_line("unset ETCDCTL_PASSWORD");
    opened.run_line("etcdctl --user root:«secret-1» get j");
    assert_eq!(opened.entries.last().unwrap().output.stdout, "j\nw\n");
    assert!(encode(&opened.to_shared(opened.inputs().to_vec())).is_ok());
}

#[test]
fn a_reload_drops_the_secret_variables_and_says_so() {
    let mut s = Session::fresh_page();
    s.start_persisting();
    s.run_line("export ETCDCTL_PASSWORD=pw ETCDCTL_API=3");
    s.run_line("etcdctl --user root:pw2 get k");
    let (_, inputs) = s.take_new_inputs();
    let found = crate::playground::session::persistence::Found {
        state: Some(s.stored_state()),
        disks: s.world().disk_states(),
        inputs,
        ..Default::default()
    };
    let (mut again, note) = Session::open(found);
    let note = note.expect("a note");
    assert!(
        note.contains("ETCDCTL_PASSWORD was not kept across the reload"),
        "{note}"
    );
    assert!(!again.state().env.contains_key("ETCDCTL_PASSWORD"));
    assert_eq!(
        again.state().env.get("ETCDCTL_API").map(String::as_str),
        Some("3")
    );
    // numbering goes on: a new secret is not taken for one from before the reload
    again.run_line("etcdctl --user root:other get k");
    assert_eq!(
        again.entries.last().unwrap().line,
        "etcdctl --user root:«secret-3» get k"
    );
    assert_eq!(DEFAULT_SEED, 1);
}

#[test]
fn a_log_stored_with_secrets_is_stored_again_without_them() {
    let old = vec![InputRecord {
        line: "etcdctl user add root:Old-Pw".into(),
        at_ms: Some(10),
        ..Default::default()
    }];
    let mut s = Session::fresh_page();
    s.start_persisting();
    let found = crate::playground::session::persistence::Found {
        state: Some(s.stored_state()),
        disks: s.world().disk_states(),
        inputs: old,
        ..Default::default()
    };
    let (mut again, _) = Session::open(found);
    assert_eq!(
        again.history_up("").unwrap(),
        "etcdctl user add root:«secret-1»"
    );
    again.run_line("etcdctl put k v");
    let (clear, inputs) = again.take_new_inputs();
    assert!(clear, "the stored log is replaced");
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0].line, "etcdctl user add root:«secret-1»");
    assert_eq!(inputs[1].line, "etcdctl put k v");
    let (clear, inputs) = again.take_new_inputs();
    assert!(!clear && inputs.is_empty());
}
