//! Labs: the environments a learner switches between with `lab NAME`. `local` is the
//! three-member cluster on this machine (`infra1..3`); `kubeadm` is a control-plane node of a
//! kubeadm cluster whose TLS-only etcd runs as a static pod (`node`: the node's files, shell
//! and kubelet wired to a one-member world).
//!
//! [`Labs`] keeps one [`Playground`] per lab (created on the first switch), so that switching
//! back and forth loses nothing; `etcdplay` and `etcdplay transcript` drive one, the page keeps
//! one session per lab itself and uses [`parse_lab_command`] and [`list_text`].
//!
//! Owns: the lab names, the `lab` command, the holder. Must not touch: what runs inside a lab
//! (the playground and `node`).

mod cluster;
pub mod etcd;
mod external;
mod logs;
mod mirror;
pub mod node;
mod programs;
mod tls;
pub mod watch;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Output, Playground};

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
    /// `lab NAME`: switch to that lab.
    Switch(LabKind),
}

/// The usage line of `lab`.
pub fn usage() -> String {
    let names: Vec<&str> = LabKind::ALL.iter().map(|k| k.name()).collect();
    format!("usage: lab [NAME]   (NAME: {})", names.join(", "))
}

/// Reads a console line as a `lab` command: None if it is not one; Err with the text to print
/// (exit 1) if it is one used wrongly.
pub fn parse_lab_command(line: &str) -> Option<Result<LabCommand, String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.first() != Some(&"lab") {
        return None;
    }
    Some(match words.as_slice() {
        [_] | [_, "list"] => Ok(LabCommand::List),
        [_, name] => match LabKind::parse(name) {
            Some(k) => Ok(LabCommand::Switch(k)),
            None => Err(format!("lab: no lab named '{name}'\n{}", usage())),
        },
        _ => Err(usage()),
    })
}

/// What `lab` prints: one line per lab, the current one marked with `*`.
pub fn list_text(current: LabKind) -> String {
    let mut s = String::new();
    let width = LabKind::ALL
        .iter()
        .map(|k| k.name().len())
        .max()
        .unwrap_or(0);
    for k in LabKind::ALL {
        let mark = if k == current { '*' } else { ' ' };
        s.push_str(&format!(
            "{mark} {:<w$} {}\n",
            k.name(),
            k.title(),
            w = width
        ));
    }
    s
}

/// The line `lab NAME` prints after switching.
fn switched_text(kind: LabKind) -> String {
    match kind {
        LabKind::Local => "lab local: three members infra1, infra2, infra3 (etcdctl talks to http://127.0.0.1:2379)\n".to_string(),
        LabKind::Kubeadm => "lab kubeadm: you are root on the control-plane node `controlplane`; etcd is the static pod in /etc/kubernetes/manifests/etcd.yaml\n".to_string(),
        LabKind::ExternalEtcd => "lab external-etcd: you are root on the control-plane node `controlplane`; etcd runs on etcd-server (ssh etcd-server) as the systemd service etcd.service\n".to_string(),
    }
}

/// One playground per lab, created on the first switch to it (`etcdplay`).
pub struct Labs {
    seed: u64,
    /// The etcd release of the labs created from now on.
    version: crate::api::EtcdVersion,
    current: LabKind,
    labs: BTreeMap<LabKind, Playground>,
}

impl Labs {
    /// The `local` lab, ready.
    pub fn new(seed: u64) -> Labs {
        Labs::with_version(seed, crate::api::EtcdVersion::default())
    }

    /// The `local` lab, ready, its etcd (and every lab's) the release `version`.
    pub fn with_version(seed: u64, version: crate::api::EtcdVersion) -> Labs {
        let mut labs = BTreeMap::new();
        labs.insert(
            LabKind::Local,
            Playground::for_lab_version(LabKind::Local, seed, version),
        );
        Labs {
            seed,
            version,
            current: LabKind::Local,
            labs,
        }
    }

    pub fn current(&self) -> LabKind {
        self.current
    }

    /// The current lab's playground.
    pub fn playground(&mut self) -> &mut Playground {
        let (seed, kind, version) = (self.seed, self.current, self.version);
        self.labs
            .entry(kind)
            .or_insert_with(|| Playground::for_lab_version(kind, seed, version))
    }

    /// Handles a `lab` line; None for any other line.
    pub fn intercept(&mut self, line: &str) -> Option<Output> {
        let cmd = parse_lab_command(line)?;
        Some(match cmd {
            Ok(LabCommand::List) => Output {
                stdout: list_text(self.current),
                ..Default::default()
            },
            Ok(LabCommand::Switch(kind)) => {
                if self.current != kind {
                    // a job of the lab left keeps its place; Ctrl+C is for the lab in view
                    self.current = kind;
                }
                self.playground();
                Output {
                    stdout: switched_text(kind),
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
            Some(Ok(LabCommand::Switch(LabKind::Kubeadm)))
        );
        assert!(matches!(parse_lab_command("lab nosuch"), Some(Err(_))));
        assert!(matches!(parse_lab_command("lab a b"), Some(Err(_))));
        for k in LabKind::ALL {
            assert_eq!(LabKind::parse(k.name()), Some(k));
        }
        let t = list_text(LabKind::Kubeadm);
        assert!(t.contains("* kubeadm"), "{t}");
        assert!(t.starts_with("  local"), "{t}");
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
}

#[cfg(test)]
#[path = "lab/lab_test.rs"]
mod lab_test;

#[cfg(test)]
#[path = "lab/external_test.rs"]
mod external_test;
