//! A Linux node for the labs: the filesystem kubeadm leaves on a control-plane node, the
//! shell a learner types into on it (bash with coreutils, GNU grep and sed), and what
//! kubelet does with the static pod manifests it finds there.
//!
//! Owns: everything under `node::` — `fs` (the virtual filesystem), `shell` and `cmd` (the
//! node's shell and commands), `regex` (POSIX regular expressions for grep and sed),
//! `time` (calendar formats). Must not touch: etcd itself, the simulated cluster, the
//! playground session (the lab wires these together).

pub mod cmd;
pub mod etcd_service;
pub mod fs;
pub mod kubeadm;
pub mod kubelet;
pub mod kubelet_print;
pub mod manifest;
pub mod regex;
pub mod shell;
pub mod systemd;
pub mod time;
pub mod watch;

#[cfg(test)]
mod fuzz_test;
#[cfg(test)]
mod scenario_test;
#[cfg(test)]
mod watch_test;
