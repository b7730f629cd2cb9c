//! `watch`'s options, interval and title line against what procps-ng 4.0.2 printed on an
//! 80-column terminal.

use super::time::to_millis;
use super::watch::{parse, parse_seconds, title, Watch, USAGE};

fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn cmd(command: &str, interval: f64) -> Watch {
    Watch {
        interval,
        title: true,
        command: command.to_string(),
    }
}

#[test]
fn intervals_parse_as_procps_does() {
    assert_eq!(parse_seconds("1.5"), Some(1.5));
    assert_eq!(parse_seconds("1,5"), Some(1.5));
    assert_eq!(parse_seconds(".5"), Some(0.5));
    assert_eq!(parse_seconds("-1"), Some(-1.0));
    assert_eq!(parse_seconds("+2"), Some(2.0));
    assert_eq!(parse_seconds(" 3"), Some(3.0));
    assert_eq!(parse_seconds("."), Some(0.0));
    for bad in ["", "abc", "5s", "1e3", "1.2.3"] {
        assert_eq!(parse_seconds(bad), None, "{bad}");
    }
    let iv = |s: &str| parse(&args(&format!("-n {s} ls"))).unwrap().interval;
    assert_eq!(format!("{:.1}", iv("0")), "0.1");
    assert_eq!(format!("{:.1}", iv("-1")), "0.1");
    assert_eq!(format!("{:.1}", iv("0.15")), "0.2");
    assert_eq!(format!("{:.1}", iv("1.25")), "1.2");
    assert_eq!(format!("{:.1}", iv("4294967296")), "4294967295.0");
}

#[test]
fn options_and_errors() {
    let w = parse(&args("-n5 -t --interval=3 crictl ps -a")).unwrap();
    assert_eq!(
        (w.interval, w.title, w.command.as_str()),
        (3.0, false, "crictl ps -a")
    );
    assert_eq!(parse(&args("--int 4 -d ls -l")).unwrap().command, "ls -l");
    assert_eq!(parse(&args("ls -n 3")).unwrap().interval, 2.0);
    let e = parse(&[]).unwrap_err();
    assert_eq!((e.stderr.as_str(), e.status), (USAGE, 1));
    let e = parse(&args("-n")).unwrap_err();
    assert_eq!(
        e.stderr,
        format!("watch: option requires an argument -- 'n'\n{USAGE}")
    );
    let e = parse(&args("-n abc ls")).unwrap_err();
    assert_eq!(
        (e.stderr.as_str(), e.status),
        (
            "watch: failed to parse argument: 'abc': Invalid argument\n",
            1
        )
    );
    let e = parse(&args("-z ls")).unwrap_err();
    assert_eq!(e.stderr, format!("watch: invalid option -- 'z'\n{USAGE}"));
    let e = parse(&args("--bogus ls")).unwrap_err();
    assert_eq!(
        e.stderr,
        format!("watch: unrecognized option '--bogus'\n{USAGE}")
    );
    let e = parse(&args("-h")).unwrap_err();
    assert_eq!((e.stdout.as_str(), e.status), (USAGE, 0));
    assert_eq!(
        parse(&args("-v")).unwrap_err().stdout,
        "watch from procps-ng 4.0.2\n"
    );
    assert_eq!(parse(&args("--")).unwrap_err().status, 1);
}

#[test]
fn the_title_fills_80_columns() {
    let t = to_millis(2026, 12, 3, 17, 21, 35);
    let x = |n: usize| format!("echo {}", "x".repeat(n - 5));
    // recorded with host `vm`
    assert_eq!(
        title(&cmd(&x(39), 5.0), "vm", t),
        "Every 5.0s: echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx vm: Thu Dec  3 17:21:35 2026"
    );
    assert_eq!(
        title(&cmd(&x(40), 5.0), "vm", t),
        "Every 5.0s: echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...  vm: Thu Dec  3 17:21:35 2026"
    );
    let t = to_millis(2024, 1, 1, 0, 0, 5);
    let line = title(&cmd("crictl ps", 2.0), "controlplane", t);
    assert_eq!(
        line,
        "Every 2.0s: crictl ps                     controlplane: Mon Jan  1 00:00:05 2024"
    );
    assert_eq!(line.len(), 80);
}
