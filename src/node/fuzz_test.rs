//! Property test: no command line, however malformed, panics the node shell or leaves the
//! filesystem's counters wrong. Lines are built from the shell's own vocabulary (commands,
//! flags, node paths, operators, quotes, globs, sed and grep expressions) and from raw
//! random text.

use crate::node::fs::Fs;
use crate::node::kubeadm::{control_plane, Params};
use crate::node::shell::{NoExternal, Shell};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "cat",
    "ls",
    "-l",
    "-la",
    "-a",
    "cd",
    "pwd",
    "mkdir",
    "-p",
    "rm",
    "-r",
    "-f",
    "-rf",
    "cp",
    "-r",
    "mv",
    "chown",
    "-R",
    "etcd:etcd",
    "root",
    "chmod",
    "600",
    "u+x",
    "grep",
    "-E",
    "-i",
    "-n",
    "-r",
    "-v",
    "-c",
    "-o",
    "-w",
    "-e",
    "sed",
    "-i",
    "-n",
    "-e",
    "s/etcd/x/g",
    "s#/var#/opt#",
    "s/a",
    "s/(/x/",
    "s/\\(a\\)/\\1\\2/",
    "'s/x*/-/g'",
    "p",
    "1d",
    "$!d",
    "/etcd/d",
    "echo",
    "-n",
    "-e",
    "head",
    "tail",
    "-n",
    "3",
    "+2",
    "wc",
    "-l",
    "touch",
    "rmdir",
    "/",
    ".",
    "..",
    "/etc",
    "/etc/kubernetes",
    "/etc/kubernetes/manifests/etcd.yaml",
    "/etc/kubernetes/pki/etcd/*.crt",
    "/var/lib/etcd",
    "/var/lib/etcd/member",
    "/opt",
    "/opt/x",
    "/opt/x/y",
    "/root",
    "/nosuch",
    "x",
    "y",
    "*",
    "?",
    "[a-z]*",
    "|",
    "||",
    "&&",
    ";",
    ">",
    ">>",
    "<",
    "2>&1",
    "&>",
    "2>",
    "<<EOF",
    "<<'EOF'",
    "'",
    "\"",
    "$",
    "$HOME",
    "${X}",
    "$?",
    "X=1",
    "\\",
    "#",
    "~",
    "~/x",
    "'a b'",
    "\"$X y\"",
    "$'\\t'",
    "(",
    ")",
    "[",
    "{",
    "}",
    "\u{00e9}",
    "\u{2018}",
    "\0",
    "a\nb",
    "-",
    "--",
    "--help",
    "--nosuch",
    "-z",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..10).prop_map(|w| w.join(" ")),
        1 => ".{0,40}",
        1 => prop::collection::vec(prop::sample::select(WORDS), 0..6).prop_map(|w| w.concat()),
    ]
}

fn check(fs: &Fs) {
    let mut bytes = 0u64;
    let mut nodes = 0u64;
    for p in fs.walk(&[]) {
        nodes += 1;
        if let Ok(d) = fs.read(&p) {
            bytes += d.len() as u64;
        }
    }
    assert_eq!(bytes, fs.used());
    assert_eq!(nodes, fs.node_count());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]
    #[test]
    fn random_command_lines_never_panic(lines in prop::collection::vec((line(), prop::option::of(".{0,30}")), 1..6)) {
        let mut fs = control_plane(&Params::default(), 0);
        let mut sh = Shell::new("/root");
        for (n, (l, body)) in lines.iter().enumerate() {
            let o = sh.run(&mut fs, l, body.as_deref(), n as u64 * 1000, &mut NoExternal);
            prop_assert!(o.status >= 0 && o.status < 256);
        }
        check(&fs);
    }
}
