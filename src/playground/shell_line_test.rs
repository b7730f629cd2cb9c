use super::*;
use crate::playground::Playground;
use crate::process::Output;

fn run(p: &mut Playground, line: &str) -> Output {
    p.run(line, None)
}

#[test]
fn which_lines_take_the_shell() {
    assert!(takes_shell("etcdctl get a | grep b"));
    assert!(takes_shell("etcdctl put a 1 && etcdctl get a"));
    assert!(takes_shell("etcdctl get a > out.txt"));
    assert!(takes_shell("echo hi"));
    assert!(takes_shell("ls"));
    assert!(!takes_shell("etcdctl put a 'x|y'"));
    assert!(!takes_shell("etcdctl put a \"x > y\""));
    assert!(!takes_shell("etcdctl txn <<EOF"));
    assert!(!takes_shell("partition infra1 | infra2 infra3"));
    assert!(!takes_shell("etcdctl get a"));
    assert!(!takes_shell("etcdctl put a \"open"));
}

#[test]
fn pipes_and_lists_run_as_bash_runs_them() {
    let mut p = Playground::new(1);
    run(&mut p, "etcdctl put a 1");
    run(&mut p, "etcdctl put b 2");
    let o = run(&mut p, "etcdctl get --prefix '' | grep -v 1");
    assert_eq!((o.stdout.as_str(), o.exit), ("a\nb\n2\n", 0));
    let o = run(
        &mut p,
        "etcdctl get --prefix '' --keys-only | grep . | wc -l",
    );
    assert_eq!(o.stdout, "2\n");
    let o = run(&mut p, "etcdctl get a | head -1");
    assert_eq!(o.stdout, "a\n");
    let o = run(
        &mut p,
        "etcdctl get nosuch --prefix --keys-only | grep x || echo none",
    );
    assert_eq!((o.stdout.as_str(), o.exit), ("none\n", 0));
    let o = run(
        &mut p,
        "etcdctl put c 3 && etcdctl get c --print-value-only; echo $?",
    );
    assert_eq!(o.stdout, "OK\n3\n0\n");
    let o = run(
        &mut p,
        "etcdctl --endpoints=nowhere:1 get a --dial-timeout=1s && echo no",
    );
    assert_ne!(o.exit, 0);
    assert!(!o.stdout.contains("no"));
}

#[test]
fn redirections_write_the_working_directory() {
    let mut p = Playground::new(1);
    run(&mut p, "etcdctl put a 1");
    let o = run(&mut p, "etcdctl get a -w json > a.json");
    assert_eq!((o.stdout.as_str(), o.exit), ("", 0));
    assert!(p.files().contains_key("a.json"));
    let o = run(&mut p, "cat a.json | wc -l");
    assert_eq!(o.stdout, "1\n");
    run(&mut p, "etcdctl snapshot save s.db");
    let o = run(&mut p, "ls");
    assert_eq!(o.stdout, "a.json\ns.db\n");
    // etcdctl still finds the files moved through the shell
    let o = run(
        &mut p,
        "etcdctl snapshot status s.db -w json | grep -c revision",
    );
    assert_eq!(o.stdout, "1\n");
    let o = run(&mut p, "rm a.json && ls");
    assert_eq!(o.stdout, "s.db\n");
}

#[test]
fn variables_go_both_ways() {
    let mut p = Playground::new(1);
    run(&mut p, "export ETCDCTL_API=2");
    let o = run(&mut p, "echo $ETCDCTL_API");
    assert_eq!(o.stdout, "2\n");
    let o = run(&mut p, "export ETCDCTL_API=3; etcdctl put a 1 | cat");
    assert_eq!(o.stdout, "OK\n");
    assert_eq!(p.env().get("ETCDCTL_API").map(String::as_str), Some("3"));
    assert!(!p.env().contains_key("HOME"));
}

#[test]
fn a_watch_in_a_pipe_is_stopped_with_a_note() {
    let mut p = Playground::new(1);
    let o = run(&mut p, "etcdctl watch a | grep a");
    assert!(o.stderr.contains(JOB_IN_PIPE), "{o:?}");
    assert!(!p.is_running());
    let o = run(&mut p, "true && etcdctl watch a");
    assert!(p.is_running(), "{o:?}");
    p.interrupt();
}

#[test]
fn syntax_errors_are_bash_errors() {
    let mut p = Playground::new(1);
    let o = run(&mut p, "etcdctl get a |");
    assert_eq!(o.exit, 2);
    assert!(o.stderr.starts_with("bash: syntax error"), "{o:?}");
}

#[test]
fn a_compound_line_shows_its_streams_in_the_order_written() {
    let mut p = Playground::new(1);
    let o = run(
        &mut p,
        "echo one; etcdctl snapshot status nope.db; echo two",
    );
    assert_eq!(
        o.pieces(),
        [
            (false, "one\n"),
            (true, "Error: stat nope.db: no such file or directory\n"),
            (false, "two\n")
        ]
    );
}
