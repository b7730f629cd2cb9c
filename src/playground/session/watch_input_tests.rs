//! `etcdctl watch -i` driven as the page drives it: the lines typed while it runs go to it
//! (not to the shell, not to the history), its watches print their events, Ctrl+D ends it
//! as etcdctl ends, and a replay or a share link types the lines at the same moments.

use super::share::{decode, encode};
use super::*;

fn job_text(s: &Session) -> String {
    let e = s.entries.last().unwrap();
    format!("{}{}", e.output.stdout, e.output.stderr)
}

#[test]
fn typed_lines_go_to_the_running_interactive_watch() {
    let mut s = Session::fresh_page();
    s.run_line("etcdctl put foo 1");
    s.run_line("etcdctl put foo 2");
    s.run_line("etcdctl watch -i");
    assert!(s.job_running());
    for l in ["bogus", "watch", "watch foo --rev=2", "progress"] {
        s.run_line(l);
    }
    assert!(s.job_running());
    assert_eq!(
        s.entries.last().unwrap().output.stdout,
        "bogus\nwatch\nwatch foo --rev=2\nPUT\nfoo\n1\nPUT\nfoo\n2\nprogress\nprogress notify: 3\n"
    );
    assert_eq!(
        s.entries.last().unwrap().output.stderr,
        "Invalid command bogus (only support watch)\nInvalid command watch (command type or key is not provided)\n"
    );
    // a complaint shows right after the line that caused it
    let pieces: Vec<(bool, String)> = s
        .entries
        .last()
        .unwrap()
        .output
        .pieces()
        .into_iter()
        .map(|(e, t)| (e, t.to_string()))
        .collect();
    assert_eq!(pieces[0], (false, "bogus\n".to_string()));
    assert_eq!(
        pieces[1],
        (
            true,
            "Invalid command bogus (only support watch)\n".to_string()
        )
    );
    // what was typed to the command is not in the shell's history
    assert!(!s.history.lines().iter().any(|h| h == "progress"));
    s.terminal_eof("");
    assert!(!s.job_running());
    let e = s.entries.last().unwrap();
    assert!(job_text(&s).ends_with("Error: Error reading watch request line: EOF\n"));
    assert_eq!(e.output.exit, 3);
    assert!(!e.running);
    // the shell has the console again
    s.run_line("etcdctl get foo --print-value-only");
    assert_eq!(s.entries.last().unwrap().output.stdout, "2\n");
}

#[test]
fn an_unknown_flag_ends_the_watch_as_etcdctl_does() {
    let mut s = Session::fresh_page();
    s.run_line("etcdctl watch -i");
    s.run_line("watch --bogus x");
    assert!(!s.job_running());
    assert!(job_text(&s).ends_with("Error: unknown flag: --bogus\n"));
    assert_eq!(s.entries.last().unwrap().output.exit, 128);
}

#[test]
fn a_replay_and_a_share_link_type_the_same_lines() {
    let mut s = Session::fresh_page();
    s.run_line("etcdctl put k 1");
    s.run_line("etcdctl watch -i --prefix");
    s.run_line("watch k --rev 1");
    s.terminal_eof("");
    let shown = s.entries.last().unwrap().output.clone();
    assert!(shown.stdout.contains("PUT\nk\n1\n"), "{shown:?}");
    let mut again = Session::new(DEFAULT_SEED);
    again.replay(s.inputs.clone());
    assert_eq!(again.entries.last().unwrap().output, shown);
    let link = encode(&s.to_shared(s.inputs.clone())).expect("short");
    let opened = Session::from_shared(&decode(&link).expect("decodes"));
    assert_eq!(opened.entries.last().unwrap().output.stdout, shown.stdout);
}
