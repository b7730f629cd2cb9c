//! Background jobs in the console: `etcdctl watch foo &` keeps watching while other lines
//! write, `jobs` lists it, `kill %1` ends it; the events it was sent are what the write trace
//! shows as fired.

use std::time::Duration;

use etcd_playground::playground::Playground;

#[test]
fn a_background_watch_sees_the_writes_of_later_lines() {
    let mut p = Playground::new(5);
    let o = p.run("etcdctl watch foo --prefix &", None);
    assert_eq!(
        o.stdout,
        "[1] running in the background (`jobs` lists it, `kill %1` stops it)\n"
    );
    assert!(!p.is_running(), "the console is free for the next line");
    assert_eq!(p.last_background(), Some(1));

    assert_eq!(p.run("etcdctl put foo bar", None).stdout, "OK\n");
    assert_eq!(p.last_background(), None);
    assert_eq!(p.run("etcdctl put foo2 baz", None).stdout, "OK\n");
    let got = p.take_background();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].number, 1);
    assert_eq!(got[0].out.stdout, "PUT\nfoo\nbar\nPUT\nfoo2\nbaz\n");
    assert_eq!(got[0].ended, None);

    // the write trace's view: the event the first put fired
    let fired = p.world().watch_events_fired(2, 2);
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(
        (fired[0].key.as_slice(), fired[0].delete),
        (&b"foo"[..], false)
    );

    assert_eq!(
        p.run("jobs", None).stdout,
        "[1]+  Running                 etcdctl watch foo --prefix &\n"
    );
    // time passing with no foreground job still feeds the background one
    p.run("etcdctl lease grant 1", None);
    let _ = p.take_background();
    assert_eq!(p.run("etcdctl del foo", None).stdout, "1\n");
    p.poll(Duration::from_secs(1));
    assert_eq!(p.take_background()[0].out.stdout, "DELETE\nfoo\n\n");

    let o = p.run("kill %1", None);
    assert_eq!(
        o.stdout,
        "[1]+  Terminated              etcdctl watch foo --prefix\n"
    );
    let got = p.take_background();
    assert_eq!(got[0].ended.map(|(_, killed)| killed), Some(true));
    assert!(
        p.take_background().is_empty(),
        "an ended job is reported once"
    );
    let o = p.run("kill %1", None);
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        ("bash: kill: %1: no such job\n", 1)
    );
    assert_eq!(p.run("jobs", None).stdout, "");
    // the next background job is %1 again, as in bash
    assert!(p.run("etcdctl watch x &", None).stdout.starts_with("[1] "));
}

#[test]
fn only_a_lone_trailing_ampersand_means_background() {
    let mut p = Playground::new(5);
    // a command that ends at once just prints
    assert_eq!(p.run("etcdctl put a 1 &", None).stdout, "OK\n");
    assert_eq!(p.last_background(), None);
    // `&&` is not background
    p.run("etcdctl watch a &&", None);
    assert_eq!(p.last_background(), None);
    p.interrupt();
    // a background lock holds while the foreground asks for it
    let o = p.run("etcdctl lock L &", None);
    assert!(o.stdout.starts_with("L/"), "{o:?}");
    assert!(o
        .stdout
        .ends_with("[1] running in the background (`jobs` lists it, `kill %1` stops it)\n"));
    // the foreground asks for the same lock: it waits while the background job holds it
    let o = p.run("etcdctl lock L", None);
    assert!(p.is_running() && o.stdout.is_empty(), "{o:?}");
    p.interrupt();
    p.run("kill %1", None);
    let o = p.run("kill %x", None);
    assert_eq!(
        o.stderr,
        "bash: kill: %x: arguments must be process or job IDs\n"
    );
}

#[test]
fn a_background_job_keeps_a_bounded_tail_and_says_what_it_dropped() {
    use etcd_playground::playground::tail::JOB_TAIL_BYTES;
    let mut p = Playground::new(5);
    p.run("etcdctl watch k &", None);
    let value = "v".repeat(100);
    // each put prints 2 + 2 + 101 bytes: enough puts to pass twice the budget
    let puts = 2 * JOB_TAIL_BYTES / 100 + 50;
    for _ in 0..puts {
        assert_eq!(
            p.run(&format!("etcdctl put k {value}"), None).stdout,
            "OK\n"
        );
    }
    let got = p.take_background();
    let out = &got[0].out.stdout;
    let (note, rest) = out.split_once('\n').unwrap();
    let dropped: usize = note
        .strip_prefix("[1] … ")
        .and_then(|n| n.strip_suffix(" earlier lines dropped"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{note:?}"));
    assert!(rest.len() <= 2 * JOB_TAIL_BYTES, "{}", rest.len());
    assert!(
        rest.ends_with(&format!("PUT\nk\n{value}\n")),
        "whole lines kept"
    );
    assert_eq!(dropped + rest.lines().count(), 3 * puts);
    // taken: the next take starts afresh
    p.run(&format!("etcdctl put k {value}"), None);
    assert_eq!(
        p.take_background()[0].out.stdout,
        format!("PUT\nk\n{value}\n")
    );
}
