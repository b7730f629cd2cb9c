//! Replays the node scenarios recorded from the real tools (`testdata/*.txt`, recorded by
//! `testdata/record.py` into `*.transcript`) through the node shell on the kubeadm node's
//! filesystem, and compares the transcripts byte for byte. Adding a case means adding
//! lines to a scenario and re-recording, not code.

use crate::node::fs::{Fs, Millis};
use crate::node::kubeadm::{control_plane, Params};
use crate::node::shell::{NoExternal, Shell};
use crate::node::time::to_millis;

/// When kubeadm set the node up (the fixture's mtimes).
pub fn install_time() -> Millis {
    to_millis(2024, 5, 1, 9, 12, 0)
}

/// The scenario's clock at its first command; each command runs one second later.
fn start_time() -> Millis {
    to_millis(2024, 5, 1, 10, 0, 0)
}

pub fn fixture() -> Fs {
    control_plane(&Params::default(), install_time())
}

/// Writes the fixture as JSON for the recorder (`NODE_FIXTURE=path`).
#[test]
#[ignore]
fn export_fixture() {
    let path = std::env::var("NODE_FIXTURE").unwrap_or_else(|_| "/tmp/node-fixture.json".into());
    std::fs::write(path, serde_json::to_string(&fixture()).unwrap()).unwrap();
}

/// One command of a transcript: the line, its here-document, and the expected text.
struct Step {
    line: String,
    heredoc: Option<(Vec<String>, String)>,
}

fn parse_transcript(text: &str) -> Vec<(Step, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<(Step, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        i += 1;
        if let Some(cmd) = l.strip_prefix("$ ") {
            let mut step = Step {
                line: cmd.to_string(),
                heredoc: None,
            };
            let mut expected = vec![l.to_string()];
            if let Some(delim) = Shell::heredoc_delimiter(cmd) {
                let mut body = Vec::new();
                while i < lines.len() && lines[i] != delim {
                    body.push(lines[i].to_string());
                    i += 1;
                }
                i += 1;
                expected.extend(body.iter().cloned());
                expected.push(delim.clone());
                step.heredoc = Some((body, delim));
            }
            out.push((step, expected));
        } else if let Some(last) = out.last_mut() {
            last.1.push(l.to_string());
        }
    }
    out
}

fn render(bytes: &[u8], prefix: &str, stream: &str, out: &mut Vec<String>) {
    if bytes.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    let missing = !text.ends_with('\n');
    let body = if missing {
        &text[..]
    } else {
        &text[..text.len() - 1]
    };
    for l in body.split('\n') {
        out.push(format!("{}{}", prefix, l));
    }
    if missing {
        out.push(format!("{}\\ No newline at end of {}", prefix, stream));
    }
}

/// Runs a transcript's commands; returns (expected, actual) per command.
fn replay(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut fs = fixture();
    let mut sh = Shell::new("/root");
    let mut results = Vec::new();
    for (n, (step, expected)) in parse_transcript(text).into_iter().enumerate() {
        let now = start_time() + n as u64 * 1000;
        let body = step.heredoc.as_ref().map(|(b, _)| b.join("\n"));
        let o = sh.run(&mut fs, &step.line, body.as_deref(), now, &mut NoExternal);
        let mut actual = vec![format!("$ {}", step.line)];
        if let Some((b, d)) = &step.heredoc {
            actual.extend(b.iter().cloned());
            actual.push(d.clone());
        }
        render(&o.stdout, "", "stdout", &mut actual);
        render(&o.stderr, "! ", "stderr", &mut actual);
        if o.status != 0 {
            actual.push(format!("? {}", o.status));
        }
        results.push((expected, actual));
    }
    results
}

#[test]
fn recorded_scenarios_replay_byte_for_byte() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/node/testdata");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "transcript"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no transcripts in {}", dir.display());
    let mut failures = Vec::new();
    let mut total = 0;
    for path in &names {
        let text = std::fs::read_to_string(path).unwrap();
        for (expected, actual) in replay(&text) {
            total += 1;
            if expected != actual {
                failures.push(format!(
                    "{}:\n--- expected\n{}\n--- actual\n{}\n",
                    path.file_name().unwrap().to_string_lossy(),
                    expected.join("\n"),
                    actual.join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} commands differ:\n{}",
        failures.len(),
        total,
        failures.join("\n")
    );
}
