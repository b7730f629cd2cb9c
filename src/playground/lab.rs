//! Labs: the environments a learner switches between with `lab NAME`. `local` is the
//! three-member cluster on this machine (`infra1..3`); `kubeadm` is a control-plane node of a
//! kubeadm cluster whose TLS-only etcd runs as a static pod (`node`: the node's files, shell
//! and kubelet wired to a one-member world).
//!
//! [`Labs`] keeps one [`Playground`] per lab (created on the first switch), so that switching
//! back and forth loses nothing; `etcdplay` and `etcdplay transcript` drive one, the page keeps
//! one session per lab and release itself and uses [`parse_lab_command`] and [`list_text`].
//!
//! Owns: the lab names, the `lab` command, the holder. Must not touch: what runs inside a lab
//! (the playground and `node`).

#[cfg(not(feature = "lite"))]
mod cluster;
#[cfg(not(feature = "lite"))]
pub mod etcd;
#[cfg(not(feature = "lite"))]
mod external;
#[cfg(not(feature = "lite"))]
mod journal_zap;
#[cfg(not(feature = "lite"))]
mod logs;
#[cfg(not(feature = "lite"))]
mod logs_zap;
#[cfg(not(feature = "lite"))]
mod mirror;
#[cfg(not(feature = "lite"))]
pub mod node;
#[cfg(not(feature = "lite"))]
mod programs;
#[cfg(not(feature = "lite"))]
mod tls;
#[cfg(not(feature = "lite"))]
pub mod watch;
// The page's first-visit module has no node labs: they come with the full module.
#[cfg(feature = "lite")]
mod lite;
#[cfg(feature = "lite")]
pub use lite::{node, watch};

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{EtcdVersion, Output, Playground};

/// An environment.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum LabKind {
    /// Three members `infra1..3` on one machine, plain HTTP.
    #[default]
    Local,
    /// A kubeadm control-plane node `controlplane` with a stacked TLS etcd.
    Kubeadm,
    /// A kubeadm control-plane node whose etcd is a systemd service on `etcd-server`.
    ExternalEtcd,
}

impl LabKind {
    /// The labs that can be switched to.
    pub const ALL: [LabKind; 3] = [LabKind::Local, LabKind::Kubeadm, LabKind::ExternalEtcd];

    /// The name `lab NAME` takes.
    pub fn name(self) -> &'static str {
        match self {
            LabKind::Local => "local",
            LabKind::Kubeadm => "kubeadm",
            LabKind::ExternalEtcd => "external-etcd",
        }
    }

    /// The lab a name stands for (only the labs of [`LabKind::ALL`]).
    pub fn parse(name: &str) -> Option<LabKind> {
        LabKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// One line for the lab selector.
    pub fn title(self) -> &'static str {
        match self {
            LabKind::Local => "three etcd members (infra1, infra2, infra3) on this machine",
            LabKind::Kubeadm => {
                "a kubeadm control-plane node: TLS etcd as a static pod (CKA backup and restore)"
            }
            LabKind::ExternalEtcd => {
                "a kubeadm control-plane node with an external etcd: a systemd service on etcd-server (CKA backup and restore)"
            }
        }
    }
}

/// A `lab` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabCommand {
    /// `lab`: list the labs.
    List,
    /// `lab NAME [--etcd VERSION]`: switch to that lab (with that etcd release; None: the
    /// one it had).
    Switch(LabKind, Option<EtcdVersion>),
}

/// The usage line of `lab`.
pub fn usage() -> String {
    let names: Vec<&str> = LabKind::ALL.iter().map(|k| k.name()).collect();
    format!(
        "usage: lab [NAME [--etcd 3.4|3.5]]   (NAME: {})",
        names.join(", ")
    )
}

/// Reads a console line as a `lab` command: None if it is not one; Err with the text to print
/// (exit 1) if it is one used wrongly.
pub fn parse_lab_command(line: &str) -> Option<Result<LabCommand, String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.first() != Some(&"lab") {
        return None;
    }
    let (name, version) = match words.as_slice() {
        [_] | [_, "list"] => return Some(Ok(LabCommand::List)),
        [_, name] => (*name, None),
        [_, name, flag] if flag.starts_with("--etcd=") => (*name, flag.get(7..)),
        [_, name, "--etcd", v] => (*name, Some(*v)),
        _ => return Some(Err(usage())),
    };
    let Some(kind) = LabKind::parse(name) else {
        return Some(Err(format!("lab: no lab named '{name}'\n{}", usage())));
    };
    let version = match version.map(|v| (v, EtcdVersion::parse(v))) {
        None => None,
        Some((_, Some(v))) => Some(v),
        Some((v, None)) => {
            return Some(Err(format!(
                "lab: no etcd version '{v}' (3.4 or 3.5)\n{}",
                usage()
            )))
        }
    };
    Some(Ok(LabCommand::Switch(kind, version)))
}

/// What `lab` prints: one line per lab, the current one marked with `*` (and its etcd release
/// when it is not 3.4, as `lab NAME` says it).
pub fn list_text(current: LabKind, version: EtcdVersion) -> String {
    let mut s = String::new();
    let width = LabKind::ALL
        .iter()
        .map(|k| k.name().len())
        .max()
        .unwrap_or(0);
    for k in LabKind::ALL {
        let mark = if k == current { '*' } else { ' ' };
        let line = format!("{mark} {:<w$} {}\n", k.name(), k.title(), w = width);
        s.push_str(&if k == current {
            with_release(line, version)
        } else {
            line
        });
    }
    s
}

/// The line `lab NAME` prints after switching (with the release when it is not 3.4).
fn switched_text(kind: LabKind, version: EtcdVersion) -> String {
    with_release(switched_text_34(kind), version)
}

/// A line of `lab`'s, with ` (etcd 3.5.1)` before its newline when the release is not 3.4.
pub fn with_release(line: String, version: EtcdVersion) -> String {
    if version == EtcdVersion::default() {
        return line;
    }
    format!("{} (etcd {})\n", line.trim_end(), version.full())
}

fn switched_text_34(kind: LabKind) -> String {
    match kind {
        LabKind::Local => "lab local: three members infra1, infra2, infra3 (etcdctl talks to http://127.0.0.1:2379)\n".to_string(),
        LabKind::Kubeadm => "lab kubeadm: you are root on the control-plane node `controlplane`; etcd is the static pod in /etc/kubernetes/manifests/etcd.yaml\n".to_string(),
        LabKind::ExternalEtcd => "lab external-etcd: you are root on the control-plane node `controlplane`; etcd runs on etcd-server (ssh etcd-server) as the systemd service etcd.service\n".to_string(),
    }
}

/// One playground per lab and etcd release, created on the first switch to it
/// (`etcdplay`): `lab local --etcd 3.5` and `lab local --etcd 3.4` are two playgrounds.
pub struct Labs {
    seed: u64,
    /// The release each lab runs when `lab NAME` names none (the last one chosen; at first
    /// the release `etcdplay --etcd` chose).
    versions: BTreeMap<LabKind, EtcdVersion>,
    default_version: EtcdVersion,
    current: (LabKind, EtcdVersion),
    labs: BTreeMap<(LabKind, EtcdVersion), Playground>,
}

impl Labs {
    /// The `local` lab, ready.
    pub fn new(seed: u64) -> Labs {
        Labs::with_version(seed, crate::api::EtcdVersion::default())
    }

    /// The `local` lab, ready, its etcd (and every lab's) the release `version`.
    pub fn with_version(seed: u64, version: EtcdVersion) -> Labs {
        let mut labs = BTreeMap::new();
        let current = (LabKind::Local, version);
        labs.insert(
            current,
            Playground::for_lab_version(LabKind::Local, seed, version),
        );
        Labs {
            seed,
            versions: BTreeMap::new(),
            default_version: version,
            current,
            labs,
        }
    }

    pub fn current(&self) -> LabKind {
        self.current.0
    }

    /// The etcd release of the lab in view.
    pub fn current_version(&self) -> EtcdVersion {
        self.current.1
    }

    /// The current lab's playground.
    pub fn playground(&mut self) -> &mut Playground {
        let (seed, (kind, version)) = (self.seed, self.current);
        self.labs
            .entry((kind, version))
            .or_insert_with(|| Playground::for_lab_version(kind, seed, version))
    }

    /// Handles a `lab` line; None for any other line.
    pub fn intercept(&mut self, line: &str) -> Option<Output> {
        let cmd = parse_lab_command(line)?;
        Some(match cmd {
            Ok(LabCommand::List) => Output {
                stdout: list_text(self.current.0, self.current.1),
                ..Default::default()
            },
            Ok(LabCommand::Switch(kind, version)) => {
                let version = version
                    .or_else(|| self.versions.get(&kind).copied())
                    .unwrap_or(self.default_version);
                self.versions.insert(kind, version);
                // a job of the lab left keeps its place; Ctrl+C is for the lab in view
                self.current = (kind, version);
                self.playground();
                Output {
                    stdout: switched_text(kind, version),
                    ..Default::default()
                }
            }
            Err(e) => Output {
                stderr: format!("{e}\n"),
                exit: 1,
                ..Default::default()
            },
        })
    }

    /// Runs a console line: `lab` lines here, the rest in the current lab.
    pub fn run(&mut self, line: &str, stdin: Option<&str>) -> Output {
        match self.intercept(line) {
            Some(o) => o,
            None => self.playground().run(line, stdin),
        }
    }

    /// [`Playground::run_bounded`] in the current lab (`lab` lines are never jobs).
    pub fn run_bounded(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        timeout: Duration,
    ) -> (Output, bool) {
        match self.intercept(line) {
            Some(o) => (o, false),
            None => self.playground().run_bounded(line, stdin, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_lines() {
        assert_eq!(parse_lab_command("etcdctl get a"), None);
        assert_eq!(parse_lab_command("labx"), None);
        assert_eq!(parse_lab_command(" lab "), Some(Ok(LabCommand::List)));
        assert_eq!(
            parse_lab_command("lab kubeadm"),
            Some(Ok(LabCommand::Switch(LabKind::Kubeadm, None)))
        );
        assert_eq!(
            parse_lab_command("lab local --etcd 3.5"),
            Some(Ok(LabCommand::Switch(
                LabKind::Local,
                Some(EtcdVersion::V3_5_1)
            )))
        );
        assert!(matches!(
            parse_lab_command("lab local --etcd=3.6"),
            Some(Err(_))
        ));
        assert!(matches!(parse_lab_command("lab nosuch"), Some(Err(_))));
        assert!(matches!(parse_lab_command("lab a b"), Some(Err(_))));
        for k in LabKind::ALL {
            assert_eq!(LabKind::parse(k.name()), Some(k));
        }
        let t = list_text(LabKind::Kubeadm, EtcdVersion::V3_4_23);
        assert!(t.contains("* kubeadm"), "{t}");
        assert!(t.starts_with("  local"), "{t}");
        assert!(!t.contains("(etcd"), "{t}");
        let t = list_text(LabKind::Local, EtcdVersion::V3_5_1);
        assert!(t.starts_with("* local"), "{t}");
        assert_eq!(
            t.lines()
                .next()
                .map(|l| l.ends_with("machine (etcd 3.5.1)")),
            Some(true),
            "{t}"
        );
        assert_eq!(t.matches("(etcd").count(), 1, "{t}");
    }

    #[test]
    fn switching_keeps_each_lab() {
        let mut labs = Labs::new(1);
        assert_eq!(labs.run("etcdctl put a 1", None).stdout, "OK\n");
        assert_eq!(labs.run("lab kubeadm", None).exit, 0);
        assert_eq!(labs.current(), LabKind::Kubeadm);
        assert_eq!(labs.run("pwd", None).stdout, "/root\n");
        labs.run("cd /etc/kubernetes", None);
        labs.run("lab local", None);
        assert_eq!(
            labs.run("etcdctl get a --print-value-only", None).stdout,
            "1\n"
        );
        labs.run("lab kubeadm", None);
        assert_eq!(labs.run("pwd", None).stdout, "/etc/kubernetes\n");
        assert_eq!(labs.run("lab x", None).exit, 1);
    }

    #[test]
    fn each_release_of_a_lab_keeps_its_keys() {
        let mut labs = Labs::new(1);
        labs.run("etcdctl put a 34", None);
        let o = labs.run("lab local --etcd 3.5", None);
        assert!(o.stdout.ends_with("(etcd 3.5.1)\n"), "{o:?}");
        assert_eq!(labs.current_version(), EtcdVersion::V3_5_1);
        assert_eq!(
            labs.run("etcdctl version", None).stdout,
            "etcdctl version: 3.5.1\nAPI version: 3.5\n"
        );
        assert_eq!(labs.run("etcdctl get a", None).stdout, "");
        labs.run("etcdctl put a 35", None);
        assert_eq!(labs.run("etcdutl version", None).exit, 0);
        labs.run("lab kubeadm", None);
        // `lab local` goes back to the release chosen last
        labs.run("lab local", None);
        assert_eq!(
            labs.run("etcdctl get a --print-value-only", None).stdout,
            "35\n"
        );
        labs.run("lab local --etcd 3.4", None);
        assert_eq!(
            labs.run("etcdctl get a --print-value-only", None).stdout,
            "34\n"
        );
        let o = labs.run("etcdutl version", None);
        assert_eq!(
            (o.exit, o.stderr.as_str()),
            (127, "bash: etcdutl: command not found\n")
        );
    }
}

#[cfg(test)]
#[path = "lab/lab_test.rs"]
mod lab_test;

#[cfg(test)]
#[path = "lab/external_test.rs"]
mod external_test;
