//! The simulated network's settings: one-way latency, random jitter (which reorders
//! messages), loss, partitions (groups of members that only reach each other), and the same
//! per link: a link cut on its own, and a link's own latency and loss.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetConfig {
    pub latency: Duration,
    pub jitter: Duration,
    pub loss_pct: u32,
    /// Groups that can talk among themselves; `None`: everyone reaches everyone.
    pub partition: Option<Vec<BTreeSet<u64>>>,
    /// One-way latency of particular links (both directions), overriding `latency`.
    pub link_latency: BTreeMap<(u64, u64), Duration>,
    /// Loss of particular links (both directions), overriding `loss_pct`.
    pub link_loss: BTreeMap<(u64, u64), u32>,
    /// Links cut on their own (both directions), besides any partition.
    pub cut: BTreeSet<(u64, u64)>,
}

/// The key of the link between `a` and `b` (the same both ways).
pub fn link(a: u64, b: u64) -> (u64, u64) {
    (a.min(b), a.max(b))
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency: Duration::from_millis(1),
            jitter: Duration::ZERO,
            loss_pct: 0,
            partition: None,
            link_latency: BTreeMap::new(),
            link_loss: BTreeMap::new(),
            cut: BTreeSet::new(),
        }
    }
}

impl NetConfig {
    /// The one-way latency from `a` to `b`.
    pub fn latency(&self, a: u64, b: u64) -> Duration {
        self.link_latency
            .get(&link(a, b))
            .copied()
            .unwrap_or(self.latency)
    }

    /// The share of messages from `a` to `b` that are dropped, in percent.
    pub fn loss(&self, a: u64, b: u64) -> u32 {
        self.link_loss
            .get(&link(a, b))
            .copied()
            .unwrap_or(self.loss_pct)
    }

    /// Whether `a` reaches `b` (a member always reaches itself).
    pub fn connected(&self, a: u64, b: u64) -> bool {
        if a == b {
            return true;
        }
        if self.cut.contains(&link(a, b)) {
            return false;
        }
        match &self.partition {
            None => true,
            Some(groups) => groups.iter().any(|g| g.contains(&a) && g.contains(&b)),
        }
    }
}
