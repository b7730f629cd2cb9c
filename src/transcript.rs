//! Conformance scenarios (FORMAT.md sections 2 and 3): parse a scenario file, run it on a
//! fresh [`Playground`], and render the transcript (raw IDs; the comparer normalizes them).
//!
//! Placeholders in commands (`<LEASE_ID:n>`, `<MEMBER_ID:infra1>`, `<MEMBER_ID:newN>`) are
//! replaced by this run's IDs: leases are numbered in order of first appearance in the
//! output, as FORMAT.md 4.2 says. `<BYTES:N>` (this crate's recorded scenarios only) stands
//! for N bytes of `x`: `scripts/record-faults.sh` sends them to etcdctl on stdin.
//!
//! Fault commands (`partition`, `heal`, `advance`) and `quota` stand for what the recorder's
//! harness did around the real cluster (iptables, a sleep, a flag at start): they print
//! nothing in a transcript.
//!
//! Owns: the scenario format. Must not touch: etcdctl semantics.

use std::time::Duration;

use crate::playground::input::heredoc_terminator;
use crate::playground::lab::Labs;

/// One `$ ` line of a scenario with its stdin block.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The line after `$ `, exactly as written (annotation included).
    pub command: String,
    /// The stdin block's lines (without the terminator).
    pub stdin: Option<Vec<String>>,
    /// The terminator line of the block (`EOF`).
    pub terminator: String,
    /// `# timeout N`, in seconds.
    pub timeout: Option<f64>,
}

/// Parses a scenario file (FORMAT.md section 2).
pub fn parse_scenario(text: &str) -> Result<Vec<Step>, String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        i += 1;
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        let Some(first) = l.strip_prefix("$ ") else {
            return Err(format!("line {}: not a command: {}", i, l));
        };
        // a line ending in `\` continues on the next one (the command keeps both lines)
        let mut command = first.to_string();
        while crate::playground::input::continues(&command) && i < lines.len() {
            command.push('\n');
            command.push_str(lines[i]);
            i += 1;
        }
        let cmd = command.as_str();
        let (body, timeout) = split_timeout(cmd);
        let mut step = Step {
            command: cmd.to_string(),
            stdin: None,
            terminator: String::new(),
            timeout,
        };
        if let Some(term) = heredoc_terminator(body) {
            let mut block = Vec::new();
            while i < lines.len() && lines[i] != term {
                block.push(lines[i].to_string());
                i += 1;
            }
            i += 1;
            step.stdin = Some(block);
            step.terminator = term;
        }
        steps.push(step);
    }
    Ok(steps)
}

/// Splits a trailing `# timeout N` off a command line.
pub fn split_timeout(cmd: &str) -> (&str, Option<f64>) {
    if let Some(pos) = cmd.rfind('#') {
        let ann = cmd[pos + 1..].trim();
        if let Some(n) = ann.strip_prefix("timeout") {
            if let Ok(v) = n.trim().parse::<f64>() {
                if v.is_finite() && v >= 0.0 && cmd[..pos].ends_with(|c: char| c.is_whitespace()) {
                    return (cmd[..pos].trim_end(), Some(v));
                }
            }
        }
    }
    (cmd, None)
}

/// The IDs seen in a scenario's output: leases by first appearance, added members.
#[derive(Default, Debug)]
pub struct IdTracker {
    pub leases: Vec<u64>,
    pub added_members: Vec<u64>,
}

fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl IdTracker {
    /// Records the lease IDs (etcd's shape: generator member's low bits on top) and added
    /// members appearing in `text`.
    pub fn scan(&mut self, text: &str, known: &[u64], cluster: u64) {
        for (pos, _) in text.match_indices("Member ") {
            let rest = text[pos + 7..].trim_start();
            let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            if rest[hex.len()..].starts_with(" added to cluster") {
                if let Ok(v) = u64::from_str_radix(&hex, 16) {
                    if !known.contains(&v) && !self.added_members.contains(&v) {
                        self.added_members.push(v);
                    }
                }
            }
        }
        for (pos, _) in text.match_indices("\"member\":{\"ID\":") {
            let rest = &text[pos + 15..];
            let dec: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if let Ok(v) = dec.parse::<u64>() {
                if !known.contains(&v) && !self.added_members.contains(&v) {
                    self.added_members.push(v);
                }
            }
        }
        let prefixes: Vec<u64> = known.iter().map(|m| m & 0x7fff).collect();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_alphanumeric() || (i > 0 && is_id_char(b[i - 1])) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < b.len() && is_id_char(b[j]) {
                j += 1;
            }
            let tok = &text[i..j];
            i = j;
            let mut cands = Vec::new();
            if (12..=16).contains(&tok.len())
                && tok
                    .bytes()
                    .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
            {
                if let Ok(v) = u64::from_str_radix(tok, 16) {
                    cands.push(v);
                }
            }
            if (15..=20).contains(&tok.len()) && tok.bytes().all(|c| c.is_ascii_digit()) {
                if let Ok(v) = tok.parse::<u64>() {
                    cands.push(v);
                }
            }
            for v in cands {
                if v == cluster || known.contains(&v) || self.added_members.contains(&v) {
                    break;
                }
                if (1u64 << 48..1u64 << 63).contains(&v) && prefixes.contains(&(v >> 48)) {
                    if !self.leases.contains(&v) {
                        self.leases.push(v);
                    }
                    break;
                }
            }
        }
    }

    /// Replaces the placeholders of FORMAT.md 2.4 in `s`.
    pub fn substitute(&self, s: &str, members: &[(String, u64)]) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let Some(end) = tail.find('>') else {
                out.push_str(tail);
                return out;
            };
            let inner = &tail[1..end];
            let rep = if let Some(n) = inner.strip_prefix("LEASE_ID:") {
                n.parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| self.leases.get(n))
                    .map(|v| format!("{:x}", v))
            } else if let Some(name) = inner.strip_prefix("MEMBER_ID:") {
                if let Some(n) = name.strip_prefix("new") {
                    n.parse::<usize>()
                        .ok()
                        .and_then(|n| n.checked_sub(1))
                        .and_then(|n| self.added_members.get(n))
                        .map(|v| format!("{:x}", v))
                } else {
                    members
                        .iter()
                        .find(|(m, _)| m == name)
                        .map(|(_, v)| format!("{:x}", v))
                }
            } else if let Some(n) = inner.strip_prefix("BYTES:") {
                // N bytes of `x` (a value no command line could carry; at most 64 MiB)
                n.parse::<usize>()
                    .ok()
                    .filter(|n| *n <= 64 << 20)
                    .map(|n| "x".repeat(n))
            } else {
                None
            };
            match rep {
                Some(r) => out.push_str(&r),
                None => out.push_str(&tail[..=end]),
            }
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn push_lines(out: &mut String, text: &str, prefix: &str) {
    if text.is_empty() {
        return;
    }
    let t = text.strip_suffix('\n');
    let body = t.unwrap_or(text);
    for l in body.split('\n') {
        out.push_str(prefix);
        out.push_str(l);
        out.push('\n');
    }
    if t.is_none() {
        out.push_str(prefix);
        out.push_str(&format!(
            "\\ No newline at end of {}\n",
            if prefix.is_empty() {
                "stdout"
            } else {
                "stderr"
            }
        ));
    }
}

/// Appends one command of a transcript (FORMAT.md section 3) to `out`: its `$ ` line, its
/// stdin block, its stdout and its stderr (`! ` lines); the exit status line is the caller's.
pub fn render_command(out: &mut String, step: &Step, stdout: &str, stderr: &str) {
    out.push_str("$ ");
    out.push_str(&step.command);
    out.push('\n');
    if let Some(b) = &step.stdin {
        for l in b {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&step.terminator);
        out.push('\n');
    }
    push_lines(out, stdout, "");
    push_lines(out, stderr, "! ");
}

/// Whether a command is one the recording harness performs silently around the cluster.
fn is_harness_command(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    matches!(first, "partition" | "heal" | "advance" | "quota")
}

/// Runs a scenario on a fresh playground (`lab NAME` lines switch labs: [`Labs`]) and renders its transcript (FORMAT.md section 3).
pub fn run_scenario(steps: &[Step], seed: u64) -> String {
    run_scenario_with(steps, seed, false)
}

/// [`run_scenario`], and with `notes` the console's hints and kubectl's etcd requests too
/// (`requests on`), each as a `~ ` line after the command's stderr (the playground's own
/// tests; never in a conformance transcript).
pub fn run_scenario_with(steps: &[Step], seed: u64, notes: bool) -> String {
    run_scenario_version(
        steps,
        seed,
        notes,
        crate::playground::EtcdVersion::default(),
    )
}

/// [`run_scenario_with`] on labs whose etcd is the release `version` (`etcdplay --etcd 3.5`).
pub fn run_scenario_version(
    steps: &[Step],
    seed: u64,
    notes: bool,
    version: crate::playground::EtcdVersion,
) -> String {
    let mut labs = Labs::with_version(seed, version);
    run_scenario_in(&mut labs, steps, notes)
}

/// [`run_scenario_with`] on labs made by the caller (their playground may be connected to a
/// real cluster: `etcdplay --endpoints URL transcript FILE`); placeholders take the IDs of
/// the cluster the console talks to.
pub fn run_scenario_in(labs: &mut Labs, steps: &[Step], notes: bool) -> String {
    let (cluster, members) = labs.playground().cluster_ids();
    let known: Vec<u64> = members.iter().map(|(_, id)| *id).collect();
    let mut ids = IdTracker::default();
    let mut out = String::new();
    for s in steps {
        let (body, _) = split_timeout(&s.command);
        let line = ids.substitute(body, &members);
        let stdin = s.stdin.as_ref().map(|b| {
            let mut t = String::new();
            for l in b {
                t.push_str(&ids.substitute(l, &members));
                t.push('\n');
            }
            t
        });
        let lab_line = labs.intercept(&line);
        let p = labs.playground();
        let (mut o, interrupted) = match (lab_line, s.timeout) {
            (Some(o), _) => (o, false),
            (None, timeout) => match timeout {
                Some(t) => p.run_bounded(
                    &line,
                    stdin.as_deref(),
                    Duration::from_secs_f64(t.clamp(0.0, 3600.0)),
                ),
                None => {
                    let mut o = p.run(&line, stdin.as_deref());
                    let running = p.is_running();
                    if running {
                        // a command that does not end by itself, without a timeout: stop it
                        let end = p.interrupt();
                        o.stdout.push_str(&end.stdout);
                        o.stderr.push_str(&end.stderr);
                    }
                    (o, running)
                }
            },
        };
        if !notes && o.exit == 0 && is_harness_command(&line) {
            o.stdout.clear();
        }
        ids.scan(&o.stdout, &known, cluster);
        ids.scan(&o.stderr, &known, cluster);
        render_command(&mut out, s, &o.stdout, &o.stderr);
        if notes {
            for n in p.hints().iter().chain(p.requests()) {
                out.push_str("~ ");
                out.push_str(n);
                out.push('\n');
            }
        }
        if o.exit != 0 && !interrupted {
            out.push_str(&format!("? {}\n", o.exit));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_and_timeouts() {
        let s = "# c\n$ etcdctl txn <<EOF\na\n\nEOF\n$ etcdctl watch x  # timeout 2\n";
        let steps = parse_scenario(s).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(
            steps[0].stdin.as_deref(),
            Some(&["a".to_string(), String::new()][..])
        );
        assert_eq!(steps[1].timeout, Some(2.0));
    }

    #[test]
    fn continuation_lines_join_one_command() {
        let s = "$ docker run -d \\\n  --name e \\\n  etcd\n$ etcdctl get a\n";
        let steps = parse_scenario(s).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].command, "docker run -d \\\n  --name e \\\n  etcd");
        let t = run_scenario(&steps[..1], 1);
        assert!(t.starts_with("$ docker run -d \\\n  --name e \\\n  etcd\ndocker run: "));
    }

    #[test]
    fn tracks_leases() {
        let mut t = IdTracker::default();
        let m = 0x8211f1d0f64f3269u64;
        t.scan("lease 3269a1b2c3d4e5f6 granted", &[m], 1);
        assert_eq!(t.leases, vec![0x3269a1b2c3d4e5f6]);
        assert_eq!(
            t.substitute("x --lease=<LEASE_ID:1>", &[]),
            "x --lease=3269a1b2c3d4e5f6"
        );
    }
}
