//! The node labs as the page's first-visit module (feature `lite`) has them: not at all. The
//! kubeadm and external-etcd labs, with the node's files, shell and kubelet, come with the
//! full module, which the page loads on their first use (`ui::module`). Here a node lab asked
//! for is a local playground marked [`Playground::full_only`], so the page hands the line
//! over before anything of it is kept; and the few questions the rest of the playground asks
//! of a node have their local-lab answers.
//!
//! Owns: those answers. Must not touch: anything a node lab does (`node`, the full module).

use std::time::Duration;

use super::super::{Output, Playground};

pub mod node {
    //! A node lab's state, which this module never holds.

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::node::fs::Millis;
    use crate::sim::World;

    /// A node lab's state as a stored record names it: never built here. A stored record that
    /// has one reads as this (its content skipped), and the page hands the lab over.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct NodeLab;

    impl Serialize for NodeLab {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_unit()
        }
    }

    impl<'de> Deserialize<'de> for NodeLab {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NodeLab, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| NodeLab)
        }
    }

    /// The node's clock: the world's, in milliseconds since the Unix epoch.
    pub fn node_now(world: &World) -> Millis {
        (world.unix_nanos().max(0) / 1_000_000) as Millis
    }
}

pub mod watch {
    //! A node's `watch CMD`, which this module never runs.

    /// Never built here.
    pub enum NodeWatch {}
}

impl Playground {
    /// The kubeadm lab: the full module's (see the module doc).
    pub(crate) fn kubeadm_lab(seed: u64, _v: crate::api::EtcdVersion) -> Playground {
        let mut p = Playground::new(seed);
        p.full_only = Some("the kubeadm lab");
        p
    }

    /// The external-etcd lab: the full module's.
    pub(crate) fn external_etcd_lab(seed: u64, _v: crate::api::EtcdVersion) -> Playground {
        let mut p = Playground::new(seed);
        p.full_only = Some("the external-etcd lab");
        p
    }

    /// A node lab after a reload: the full module's.
    pub(crate) fn restore_node(
        _kind: super::LabKind,
        seed: u64,
        _now: Duration,
        _node: node::NodeLab,
        _env: std::collections::BTreeMap<String, String>,
        _hints: bool,
    ) -> Playground {
        let mut p = Playground::new(seed);
        p.full_only = Some("a node lab");
        p
    }

    pub(crate) fn node_tick(&mut self) {}

    pub(crate) fn node_advance(&mut self, d: Duration) {
        self.world.advance(d);
    }

    pub(crate) fn node_line(&mut self, _line: &str, _stdin: Option<&str>) -> (Output, Vec<String>) {
        self.full_only = Some("a node lab");
        (Output::default(), Vec::new())
    }

    pub(crate) fn watch_due(&self) -> bool {
        false
    }

    pub(crate) fn watch_refresh(&mut self) -> String {
        String::new()
    }

    /// `vi FILE` opens the editor only on a node: there is none here.
    pub fn save_edit(&mut self, _path: &str, _text: &str) -> Output {
        Output {
            stderr: "there is no node in this lab: nothing to save\n".to_string(),
            exit: 1,
            ..Default::default()
        }
    }

    pub fn set_editor_available(&mut self, yes: bool) {
        self.editor = yes;
    }

    /// The shell prompt the console shows: `$` in the local lab.
    pub fn prompt(&self) -> String {
        "$".to_string()
    }

    /// A node lab's state: never here.
    pub fn node(&self) -> Option<&node::NodeLab> {
        None
    }
}
