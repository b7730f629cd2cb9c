//! Names and paths a user controls, fuzzed (issue 23's injection and v2-depth cases):
//! - any name the page puts into a console line (a member's name in the isolate button's
//!   `partition` line) is read back by the console's shell as exactly that one word, so a
//!   name holding `\n`, `;`, `#`, `|`, `<<`, quotes or `$` runs nothing of its own;
//! - a v2 key at any depth up to a few hundred levels is set, read back, listed and removed.
//!
//! `FUZZ_NAMES_CASES=N` sets how many cases each property runs (default 64).

use etcd_playground::playground::session::commands::{isolate_command, quote};
use etcd_playground::playground::session::ClusterModel;
use etcd_playground::playground::Playground;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_NAMES_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Names built to break a command line, and arbitrary ones (bash words cannot hold NUL).
fn name() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "evil",
        "\n",
        "etcdctl del \"\" --prefix",
        "#",
        ";",
        "&&",
        "|",
        "<<EOF",
        "'",
        "\"",
        "$",
        "$(",
        "`",
        "\\",
        " ",
        "\t",
        "-n",
        "--",
        "$'",
        "infra1",
        "=",
        "*",
    ];
    prop_oneof![
        // the name issue 23 reported: it made the isolate button delete every key
        1 => Just("evil\netcdctl del \"\" --prefix\n#".to_string()),
        3 => prop::collection::vec(prop::sample::select(PIECES), 1..6).prop_map(|v| v.concat()),
        1 => any::<String>().prop_map(|s| s.chars().filter(|c| *c != '\0').take(30).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_quoted_word_reads_back_as_itself(w in name()) {
        let mut p = Playground::new(3);
        let out = p.run(&format!("printf '%s|' {}", quote(&w)), None);
        prop_assert_eq!(out.exit, 0, "{:?}: {}", w, out.stderr);
        prop_assert_eq!(out.stdout, format!("{w}|"));
    }

    #[test]
    fn a_member_name_in_the_isolate_line_runs_nothing(w in name()) {
        let mut p = Playground::new(5);
        prop_assert_eq!(p.run("etcdctl put sentinel kept", None).exit, 0);
        let members = ClusterModel::from_world(p.world()).members;
        let line = isolate_command(&members, &w);
        prop_assert!(!line.contains('\n'), "{line:?}");
        // the page runs what it pastes line by line, as a terminal does
        for l in line.split('\n') {
            p.run(l, None);
        }
        p.run("heal", None);
        let got = p.run("etcdctl get sentinel --print-value-only", None);
        prop_assert_eq!(got.stdout, "kept\n", "{:?} -> {:?}", line, got.stderr);
    }

    #[test]
    fn a_deep_v2_key_is_set_read_listed_and_removed(depth in 1usize..600, leaf in "[a-z]{1,8}") {
        let mut p = Playground::new(9);
        let key = format!("{}/{leaf}", "/a".repeat(depth));
        let set = p.run(&format!("ETCDCTL_API=2 etcdctl set {key} v"), None);
        if depth + 2 > 256 {
            // the playground's bound (the cost of a v2 path grows with its depth)
            prop_assert_eq!(set.exit, 4);
            prop_assert!(set.stderr.starts_with("Error:  209: Invalid field (key has "), "{}", set.stderr);
            let ls = p.run("ETCDCTL_API=2 etcdctl ls /", None);
            prop_assert_eq!((ls.exit, ls.stdout.as_str()), (0, ""));
            return Ok(());
        }
        prop_assert_eq!((set.exit, set.stdout.as_str()), (0, "v\n"), "{}", set.stderr);
        let get = p.run(&format!("ETCDCTL_API=2 etcdctl get {key}"), None);
        prop_assert_eq!(get.stdout, "v\n");
        let ls = p.run("ETCDCTL_API=2 etcdctl ls --recursive /a", None);
        prop_assert_eq!((ls.exit, ls.stdout.lines().count()), (0, depth));
        let rm = p.run("ETCDCTL_API=2 etcdctl rm --recursive /a", None);
        prop_assert_eq!(rm.exit, 0, "{}", rm.stderr);
        let gone = p.run(&format!("ETCDCTL_API=2 etcdctl get {key}"), None);
        prop_assert_eq!(gone.exit, 4);
        prop_assert!(gone.stderr.starts_with("Error:  100: Key not found"), "{}", gone.stderr);
    }
}
