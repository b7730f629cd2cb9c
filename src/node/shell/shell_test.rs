//! Unit tests of the node shell: pipelines, lists, redirections, here-documents, builtins.

use super::*;

fn run(sh: &mut Shell, fs: &mut Fs, line: &str) -> (String, String, i32) {
    let o = sh.run(fs, line, None, 1_000, &mut NoExternal);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status,
    )
}

fn setup() -> (Shell, Fs) {
    let mut fs = Fs::new(0);
    fs.mkdir(&["root".to_string()], 0).unwrap();
    (Shell::new("/root"), fs)
}

#[test]
fn redirections_and_pipes() {
    let (mut sh, mut fs) = setup();
    assert_eq!(
        run(&mut sh, &mut fs, "echo one > f; echo two >> f; cat f"),
        ("one\ntwo\n".into(), String::new(), 0)
    );
    assert_eq!(
        run(&mut sh, &mut fs, "cat f | grep tw"),
        ("two\n".into(), String::new(), 0)
    );
    assert_eq!(
        run(&mut sh, &mut fs, "cat nosuch 2>&1 | wc -l"),
        ("1\n".into(), String::new(), 0)
    );
    assert_eq!(
        run(&mut sh, &mut fs, "cat nosuch 2>/dev/null || echo failed"),
        ("failed\n".into(), String::new(), 0)
    );
    assert_eq!(
        run(&mut sh, &mut fs, "false && echo no"),
        (String::new(), String::new(), 1)
    );
    assert_eq!(
        run(&mut sh, &mut fs, "echo $?"),
        ("1\n".into(), String::new(), 0)
    );
    let (_, err, code) = run(&mut sh, &mut fs, "echo x > /nosuch/f");
    assert_eq!(
        (err.as_str(), code),
        ("bash: /nosuch/f: No such file or directory\n", 1)
    );
}

#[test]
fn heredoc_and_variables() {
    let (mut sh, mut fs) = setup();
    run(&mut sh, &mut fs, "export NAME=etcd");
    let o = sh.run(
        &mut fs,
        "cat > /root/m.yaml <<EOF",
        Some("name: $NAME\npath: \\$HOME"),
        5,
        &mut NoExternal,
    );
    assert_eq!(o.status, 0);
    assert_eq!(
        fs.read(&["root".into(), "m.yaml".into()]).unwrap(),
        b"name: etcd\npath: $HOME\n"
    );
    let o = sh.run(&mut fs, "cat <<'EOF'", Some("$NAME"), 5, &mut NoExternal);
    assert_eq!(o.stdout, b"$NAME\n");
}

#[test]
fn cd_and_unknown_commands() {
    let (mut sh, mut fs) = setup();
    assert_eq!(
        run(&mut sh, &mut fs, "cd /x").1,
        "bash: cd: /x: No such file or directory\n"
    );
    assert_eq!(run(&mut sh, &mut fs, "cd / && pwd").0, "/\n");
    assert_eq!(run(&mut sh, &mut fs, "cd - ").0, "/root\n");
    assert_eq!(
        run(&mut sh, &mut fs, "etcdctl get x"),
        (
            String::new(),
            "bash: etcdctl: command not found\n".into(),
            127
        )
    );
    assert_eq!(run(&mut sh, &mut fs, "/usr/bin/echo hi").0, "hi\n");
    assert_eq!(run(&mut sh, &mut fs, "ls |").2, 2);
}

#[test]
fn a_huge_file_gets_a_clear_error_and_breaks_nothing() {
    let (mut sh, mut fs) = setup();
    fs.set_limits(crate::node::fs::Limits {
        max_file: 64,
        max_total: 100,
        max_nodes: 50,
    });
    let big = "x".repeat(80);
    let (_, err, code) = run(&mut sh, &mut fs, &format!("echo {} > big", big));
    assert_eq!(
        (err.as_str(), code),
        ("bash: echo: write error: File too large\n", 1)
    );
    run(&mut sh, &mut fs, "echo small > a");
    let (_, err, code) = run(&mut sh, &mut fs, "cat a a a a a a a a a a > b; cat b > c");
    assert_eq!(
        (err.as_str(), code),
        ("cat: write error: No space left on device\n", 1)
    );
    assert_eq!(run(&mut sh, &mut fs, "cat a").0, "small\n");
}
