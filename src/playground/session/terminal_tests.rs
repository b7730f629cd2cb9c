//! Terminal input driven as the page drives it: `etcdctl txn -i` typed line by line, a
//! line that ends it, Ctrl+D, Ctrl+C, the password prompts (the secret kept out of the
//! history and the entries), and a replay or a share link of what was typed.

use super::share::{decode, encode};
use super::terminal::INTERRUPTED_EXIT;
use super::*;

fn get(s: &mut Session, key: &str) -> String {
    s.run_line(&format!("etcdctl get {key}"));
    s.entries.last().unwrap().output.stdout.clone()
}

fn type_lines(s: &mut Session, lines: &[&str]) -> LogChange {
    let mut last = LogChange::None;
    for l in lines {
        last = s.apply_terminal_line(l);
    }
    last
}

/// The entry of `cmd` run over `lines` typed at its terminal.
fn typed_entry(s: &mut Session, cmd: &str, lines: &[&str]) -> Entry {
    s.run_line(cmd);
    type_lines(s, lines);
    s.entries.last().cloned().unwrap_or_default()
}

impl Session {
    fn apply_terminal_line(&mut self, l: &str) -> LogChange {
        assert!(self.terminal().is_some(), "waiting for input before {l:?}");
        self.terminal_input(l)
    }
}

#[test]
fn txn_typed_line_by_line_commits() {
    let mut s = Session::new(1);
    assert_eq!(s.run_line("etcdctl txn -i"), LogChange::None);
    let t = s.terminal().unwrap();
    assert_eq!(
        (t.above(), t.prompt(), t.password()),
        ("compares:", "", false)
    );
    assert!(s.entries.is_empty(), "nothing ran yet");
    type_lines(&mut s, &["version(\"k\") = \"0\"", ""]);
    assert_eq!(
        s.terminal().unwrap().above(),
        "compares:\nversion(\"k\") = \"0\"\n\nsuccess requests (get, put, del):"
    );
    type_lines(&mut s, &["put k v", ""]);
    let change = type_lines(&mut s, &[""]);
    assert!(s.terminal().is_none());
    let e = s.entries.last().unwrap();
    assert_eq!(e.line, "etcdctl txn -i");
    assert_eq!(
        e.output.stdout,
        "compares:\nversion(\"k\") = \"0\"\n\nsuccess requests (get, put, del):\nput k v\n\nfailure requests (get, put, del):\n\nSUCCESS\n\nOK\n"
    );
    assert_eq!(e.output.exit, 0);
    let LogChange::Append(r) = change else {
        panic!("{change:?}")
    };
    assert_eq!(
        r.stdin.as_deref(),
        Some("version(\"k\") = \"0\"\n\nput k v\n\n\n")
    );
    assert_eq!(get(&mut s, "k"), "k\nv\n");
    // only the command line is in the history
    assert_eq!(s.history.lines(), ["etcdctl txn -i", "etcdctl get k"]);
}

#[test]
fn plain_txn_reads_without_prompts() {
    let mut s = Session::new(1);
    s.run_line("etcdctl txn");
    assert_eq!(s.terminal().unwrap().above(), "");
    type_lines(&mut s, &["", "put a 1", "", ""]);
    assert_eq!(s.entries[0].output.stdout, "\nput a 1\n\n\nSUCCESS\n\nOK\n");
}

#[test]
fn a_malformed_compare_ends_the_command() {
    let mut s = Session::new(1);
    s.run_line("etcdctl txn -i");
    type_lines(&mut s, &["value(k) = v"]);
    assert!(s.terminal().is_none(), "etcdctl stops at the line");
    let e = s.entries.last().unwrap();
    assert_eq!(e.output.stdout, "compares:\nvalue(k) = v\n");
    // as etcdctl 3.4.23 answers at a terminal
    assert_eq!(
        e.output.stderr,
        "Error: malformed comparison: value(k) = v; got value(\"\")  \"\"\n"
    );
    assert_eq!(e.output.exit, crate::etcdctl::EXIT_INVALID_INPUT);
    // an unknown request too
    let e = typed_entry(&mut s, "etcdctl txn -i", &["", "frob k v"]);
    assert_eq!(e.output.stderr, "Error: invalid txn request: frob k v\n");
}

#[test]
fn ctrl_d_ends_the_input() {
    let mut s = Session::new(1);
    s.run_line("etcdctl txn -i");
    type_lines(&mut s, &["", "put k v"]);
    let change = s.terminal_eof("");
    assert!(s.terminal().is_none());
    let e = s.entries.last().unwrap();
    assert_eq!(
        e.output.stdout,
        "compares:\n\nsuccess requests (get, put, del):\nput k v\n"
    );
    assert_eq!(e.output.stderr, "Error: EOF\n");
    assert_eq!(e.output.exit, crate::etcdctl::EXIT_INVALID_INPUT);
    assert!(matches!(change, LogChange::Append(_)), "it ran: stored");
    assert_eq!(get(&mut s, "k"), "");
}

#[test]
fn ctrl_c_drops_the_command() {
    let mut s = Session::new(1);
    s.run_line("etcdctl txn -i");
    type_lines(&mut s, &["", "put k v"]);
    s.apply(Action::Interrupt);
    assert!(s.terminal().is_none());
    let e = s.entries.last().unwrap();
    assert!(e.interrupted);
    assert_eq!(e.output.exit, INTERRUPTED_EXIT);
    assert_eq!(
        e.output.stdout,
        "compares:\n\nsuccess requests (get, put, del):\nput k v\n"
    );
    assert!(s.inputs.is_empty(), "nothing ran, nothing stored");
    assert_eq!(get(&mut s, "k"), "");
    // a new command line drops a waiting command the same way
    s.run_line("etcdctl txn -i");
    s.run_line("etcdctl put x 1");
    assert!(s.terminal().is_none());
    assert!(s.entries.iter().rev().nth(1).unwrap().interrupted);
}

#[test]
fn a_paste_answers_the_prompts_and_the_rest_goes_to_the_shell() {
    let mut s = Session::new(1);
    s.run_line("etcdctl txn -i");
    s.apply(Action::TerminalLine("\nput p 1\n\n\netcdctl get p".into()));
    assert!(s.terminal().is_none());
    assert_eq!(s.entries.last().unwrap().output.stdout, "p\n1\n");
}

#[test]
fn passwords_are_read_without_echo_and_kept_out_of_history_and_output() {
    let mut s = Session::new(1);
    s.run_line("etcdctl user add root");
    let t = s.terminal().unwrap();
    assert_eq!((t.prompt(), t.password()), ("Password of root: ", true));
    type_lines(&mut s, &["Sup3r-secret"]);
    assert_eq!(
        s.terminal().unwrap().prompt(),
        "Type password of root again for confirmation: "
    );
    let change = type_lines(&mut s, &["Sup3r-secret"]);
    let e = s.entries.last().unwrap();
    assert_eq!(
        e.output.stdout,
        "Password of root: \nType password of root again for confirmation: \nUser root created\n"
    );
    s.run_line("etcdctl user grant-role root root");
    s.run_line("etcdctl auth enable");
    s.run_line("etcdctl --user root get k");
    assert_eq!(s.terminal().unwrap().prompt(), "Password: ");
    type_lines(&mut s, &["Sup3r-secret"]);
    let e = s.entries.last().unwrap();
    assert_eq!(
        (e.output.stdout.as_str(), e.output.exit),
        ("Password: \n", 0)
    );
    // a wrong one fails as etcdctl does
    s.run_line("etcdctl --user root get k");
    type_lines(&mut s, &["nope"]);
    let e = s.entries.last().unwrap();
    assert!(e.output.stderr.contains("authentication failed"), "{e:?}");
    for e in s.entries.iter() {
        assert!(!format!("{e:?}").contains("Sup3r-secret"), "{e:?}");
    }
    assert!(!s.history.lines().iter().any(|l| l.contains("Sup3r-secret")));
    // in memory the input keeps what was typed (a rewind replays it); stored, the
    // password lines are its pseudonym (what a replay of the stored log needs)
    let LogChange::Append(r) = change else {
        panic!()
    };
    assert_eq!(r.line, "etcdctl user add root");
    assert_eq!(r.stdin.as_deref(), Some("Sup3r-secret\nSup3r-secret\n"));
    assert_eq!(r.secret_lines, [0, 1]);
    let (_, stored) = s.take_new_inputs();
    let stored = stored
        .iter()
        .find(|r| r.line == "etcdctl user add root")
        .unwrap();
    assert_eq!(stored.stdin.as_deref(), Some("«secret-1»\n«secret-1»\n"));
    let mut again = Session::new(1);
    again.replay(s.inputs.clone());
    assert_eq!(again.entries.len(), s.entries.len());
    for (a, b) in again.entries.iter().zip(s.entries.iter()) {
        assert_eq!(a.output, b.output);
    }
    assert!(!again.history.lines().iter().any(|l| l.contains("Sup3r")));
}

#[test]
fn ctrl_d_at_a_password_prompt_is_an_empty_password() {
    // etcdctl 3.4.23 at a terminal: `Password of eve: ` then `Error: empty password`
    let mut s = Session::new(1);
    s.run_line("etcdctl user add eve");
    s.terminal_eof("");
    let e = s.entries.last().unwrap();
    assert_eq!(e.output.stdout, "Password of eve: \n");
    assert_eq!(e.output.stderr, "Error: empty password\n");
    assert_eq!(e.output.exit, crate::etcdctl::EXIT_BAD_ARGS);
}

#[test]
fn different_passwords_fail_at_the_second_prompt() {
    let e = typed_entry(&mut Session::new(1), "etcdctl user add bob", &["a", "b"]);
    assert_eq!(e.output.stderr, "Error: given passwords are different\n");
}

#[test]
fn a_replay_and_a_share_link_of_a_typed_txn_reach_the_same_state() {
    let mut s = Session::fresh_page();
    s.run_line("etcdctl put k 1");
    s.run_line("etcdctl txn -i");
    type_lines(
        &mut s,
        &["value(\"k\") = \"1\"", "", "put k 2", "put j 3", "", ""],
    );
    assert!(s.terminal().is_none());
    let mut again = Session::new(DEFAULT_SEED);
    again.replay(s.inputs.clone());
    assert_eq!(
        again.entries.last().unwrap().output,
        s.entries.last().unwrap().output
    );
    assert_eq!(get(&mut again, "j"), "j\n3\n");
    let link = encode(&s.to_shared(s.inputs.clone())).expect("short");
    let mut opened = Session::from_shared(&decode(&link).expect("decodes"));
    assert_eq!(get(&mut opened, "k"), "k\n2\n");
    assert_eq!(
        opened.entries.iter().rev().nth(1).unwrap().output.stdout,
        s.entries.last().unwrap().output.stdout
    );
}

#[test]
fn lines_that_do_not_read_the_terminal_run_at_once() {
    let mut s = Session::new(1);
    for l in [
        "etcdctl put k v",
        "etcdctl user add a:b",
        "etcdctl txn <<EOF",
        "etcdctl txn -i &",
    ] {
        s.run_line(l);
        assert!(s.terminal().is_none(), "{l}");
    }
    s.run_input("etcdctl txn <<EOF\n\nput h 1\n\n\nEOF\n");
    assert!(s.terminal().is_none());
    assert_eq!(get(&mut s, "h"), "h\n1\n");
}
