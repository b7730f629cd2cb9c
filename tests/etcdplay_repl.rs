//! The native REPL (`etcdplay` with no arguments) run as a process: whatever bytes come on
//! stdin, it answers each line and keeps going to the end of the input.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `etcdplay` on `input` (a pipe: no prompts are printed); its stdout, stderr and exit status.
fn repl(input: &[u8]) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_etcdplay"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("etcdplay starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    let out = child.wait_with_output().expect("etcdplay ends");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn a_line_of_invalid_utf8_does_not_end_the_repl() {
    let (out, err, code) = repl(b"\xff\xfe\netcdctl put k v\netcdctl get k\n");
    assert!(
        err.contains("bash: \u{fffd}\u{fffd}: command not found"),
        "{err}"
    );
    assert!(out.contains("OK\nk\nv\n"), "{out}");
    assert_eq!(code, 0);
}

#[test]
fn invalid_utf8_inside_a_value_is_read_lossily() {
    let (out, _, _) = repl(b"etcdctl put k a\x80b\netcdctl get k --print-value-only\n");
    assert!(out.contains("OK\na\u{fffd}b\n"), "{out}");
}

#[test]
fn double_angle_inside_quotes_is_not_a_here_document() {
    let (out, err, code) =
        repl(b"etcdctl put k \"a<<b\"\netcdctl put j 'c<<d'\netcdctl get j\netcdctl get k\n");
    assert!(out.contains("OK\nOK\n"), "{out}\n{err}");
    assert!(out.contains("j\nc<<d\nk\na<<b\n"), "{out}\n{err}");
    assert_eq!(code, 0);
}

#[test]
fn a_here_document_still_feeds_txn() {
    let input = b"etcdctl txn <<EOF\n\nput a 1\n\n\nEOF\netcdctl get a --print-value-only\n";
    let (out, err, _) = repl(input);
    assert!(out.contains("SUCCESS\n\nOK\n"), "{out}\n{err}");
    assert!(out.ends_with("\n1\n"), "{out}\n{err}");
}

#[test]
fn read_from_a_pipe_it_prints_the_answers_alone() {
    // no `$ ` prompt before the answers
    let (out, _, code) =
        repl(b"etcdctl put a b\netcdctl get a -w json | jq -r '.kvs[0].value | @base64d'\n");
    assert_eq!((out.as_str(), code), ("OK\nb\n", 0));
}

#[test]
fn a_command_that_reads_stdin_takes_the_following_lines() {
    // as a shell's command reads the shell's stdin: up to where it stops reading
    let input = b"etcdctl txn -i\nvalue(\"a\") = \"x\"\n\nput a 1\n\nput a 2\n\netcdctl get a --print-value-only\n";
    let (out, err, code) = repl(input);
    assert_eq!(
        out,
        "compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\nFAILURE\n\nOK\n2\n",
        "{err}"
    );
    assert_eq!(code, 0);
    // a line etcdctl rejects ends it there; the next line is the shell's again
    let (out, err, _) = repl(b"etcdctl txn -i\nvalue(a) = b\netcdctl put k v\n");
    assert_eq!(out, "compares:\nOK\n", "{err}");
    assert!(
        err.starts_with("Error: malformed comparison: value(a) = b"),
        "{err}"
    );
}

#[test]
fn an_interactive_watch_reads_the_lines_that_follow() {
    let (out, err, _) =
        repl(b"etcdctl put foo 1\netcdctl watch -i\nwatch foo --rev=2\nprogress\nnope\n");
    assert_eq!(out, "OK\nPUT\nfoo\n1\nprogress notify: 2\n");
    assert_eq!(
        err,
        "Invalid command nope (only support watch)\nError: Error reading watch request line: EOF\n"
    );
}
