//! What the page's session keeps stays bounded (issue 22): a command's output, what a job
//! prints, the number of entries, the rewind history.

use super::console::{GATHERED_BYTES, JOBS_APART};
use super::timeline::REWIND_INPUTS;
use super::*;
use crate::playground::tail::{ENTRY_HEAD_BYTES, MAX_ENTRIES};

#[test]
fn a_long_output_keeps_its_head_and_says_how_much_was_not_shown() {
    let mut s = Session::new(1);
    let value = "v".repeat(1000);
    for i in 0..100 {
        s.run_line(&format!("etcdctl put k{i:03} {value}"));
    }
    s.run_line("etcdctl get k --prefix");
    let out = &s.entries().last().unwrap().output.stdout;
    let full = 100 * (5 + value.len() + 1);
    assert!(out.starts_with(&format!("k000\n{value}\n")));
    let note = out.lines().last().unwrap();
    let kept = out.len() - note.len() - 1;
    assert!(kept <= ENTRY_HEAD_BYTES, "{kept}");
    assert_eq!(
        note,
        format!("… output truncated: {} bytes not shown", full - kept)
    );
}

#[test]
fn a_pipe_reads_all_of_an_output_the_entry_would_cut() {
    // the entry keeps 64 KiB; `| wc -l` must still count every line etcdctl printed (before,
    // the bound cut etcdctl's output before the pipe: 2,474 of the large sample's 201,700)
    let mut s = Session::new(1);
    let value = "v".repeat(1000);
    for i in 0..200 {
        s.run_line(&format!("etcdctl put k{i:03} {value}"));
    }
    s.run_line("etcdctl get k --prefix | wc -l");
    assert_eq!(s.entries().last().unwrap().output.stdout.trim(), "400");
    s.run_line("etcdctl get k --prefix | tail -1");
    assert_eq!(
        s.entries().last().unwrap().output.stdout,
        format!("{value}\n")
    );
    // the line's own output is still bounded
    s.run_line("etcdctl get k --prefix | cat");
    let out = &s.entries().last().unwrap().output.stdout;
    assert!(out.len() <= ENTRY_HEAD_BYTES + 100, "{}", out.len());
    assert!(
        out.trim_end().ends_with(" bytes not shown"),
        "{}",
        &out[out.len() - 80..]
    );
}

#[test]
fn a_background_job_adds_bounded_entries_at_the_bottom() {
    // a job's output arrives as entries of its own (issue 21); each is bounded like any
    // output, and the console keeps the newest entries, so a chatty watch cannot grow the page
    let mut s = Session::new(1);
    s.run_line("etcdctl watch k &");
    let value = "v".repeat(100);
    let puts = MAX_ENTRIES;
    for _ in 0..puts {
        s.run_line(&format!("etcdctl put k {value}"));
    }
    assert_eq!(s.entries().len(), MAX_ENTRIES);
    let last = s.entries().last().unwrap();
    assert_eq!(last.job_output, Some(1));
    assert_eq!(last.line, "etcdctl watch k &");
    assert_eq!(last.output.stdout, format!("PUT\nk\n{value}\n"));
    for e in s.entries().iter() {
        assert!(
            e.output.stdout.len() <= ENTRY_HEAD_BYTES + 100,
            "{}",
            e.output.stdout.len()
        );
    }
    // the entry that started the job has scrolled out; the job still runs
    assert!(!s
        .entries()
        .iter()
        .any(|e| e.job_output.is_none() && e.line == "etcdctl watch k &"));
}

#[test]
fn a_put_that_fires_many_watches_keeps_its_own_entry() {
    // what the running jobs printed at one moment is gathered into one entry past a few jobs,
    // so the put's own entry (and the console before it) stays on screen
    let mut s = Session::new(1);
    let watches = 1000;
    for _ in 0..watches {
        s.run_line("etcdctl watch k &");
    }
    s.run_line("etcdctl put k v1");
    let es = s.entries();
    assert_eq!(es.len(), MAX_ENTRIES);
    let put = &es[es.len() - 2];
    assert_eq!(
        (put.line.as_str(), put.output.stdout.as_str()),
        ("etcdctl put k v1", "OK\n")
    );
    let g = es.last().unwrap();
    assert_eq!((g.job_output, g.jobs), (Some(1), watches));
    assert_eq!(g.line, "etcdctl watch k &");
    assert_eq!(g.output.stdout, "PUT\nk\nv1\n".repeat(watches));

    // a few jobs keep an entry each
    let mut s = Session::new(1);
    for _ in 0..JOBS_APART {
        s.run_line("etcdctl watch k &");
    }
    s.run_line("etcdctl put k v1");
    let es = s.entries();
    let apart: Vec<_> = es.iter().filter(|e| e.job_output.is_some()).collect();
    assert_eq!(apart.len(), JOBS_APART);
    assert!(apart
        .iter()
        .all(|e| e.jobs == 0 && e.output.stdout == "PUT\nk\nv1\n"));
}

#[test]
fn gathered_job_output_keeps_its_head() {
    let mut s = Session::new(1);
    for _ in 0..1000 {
        s.run_line("etcdctl watch k &");
    }
    let value = "v".repeat(1000);
    s.run_line(&format!("etcdctl put k {value}"));
    let g = s.entries().last().unwrap();
    let one = format!("PUT\nk\n{value}\n");
    let out = &g.output.stdout;
    let note = out.lines().last().unwrap();
    let kept = out.len() - note.len() - 1;
    assert!(kept <= GATHERED_BYTES && out.starts_with(&one), "{kept}");
    assert_eq!(kept % one.len(), 0, "whole events only: {kept}");
    assert_eq!(
        note,
        format!(
            "… output truncated: {} bytes not shown",
            1000 * one.len() - kept
        )
    );
}

#[test]
fn the_console_keeps_the_newest_entries() {
    let mut s = Session::new(1);
    for i in 0..MAX_ENTRIES + 20 {
        s.run_line(&format!("# {i}"));
    }
    assert_eq!(s.entries().len(), MAX_ENTRIES);
    assert_eq!(
        s.entries().last().unwrap().line,
        format!("# {}", MAX_ENTRIES + 19)
    );
    assert_eq!(s.entries()[0].line, "# 20");
}

#[test]
fn the_rewind_history_is_bounded_and_a_rewind_past_it_says_so() {
    let mut s = Session::new(1);
    s.run_line("etcdctl put first 1");
    let early = s.now_ms();
    for i in 0..REWIND_INPUTS {
        s.run_line(&format!("etcdctl put k{} v{i}", i % 10));
    }
    assert!(s.inputs.len() < REWIND_INPUTS, "{}", s.inputs.len());
    assert!(s.timeline_start_ms() > early);
    s.run_line("etcdctl put last 1");
    s.seek(early);
    let e = s.entries().last().unwrap();
    assert!(
        e.output.stderr.starts_with(&format!(
            "the timeline keeps the last {REWIND_INPUTS} inputs (2001 earlier ones cannot be replayed): rewound to its start at"
        )),
        "{e:?}"
    );
    // the start is where the bound was reached: what ran before is in the members' stores
    s.run_line("etcdctl get first");
    assert_eq!(s.entries().last().unwrap().output.stdout, "first\n1\n");
    s.run_line("etcdctl get last");
    assert_eq!(s.entries().last().unwrap().output.stdout, "");
}
