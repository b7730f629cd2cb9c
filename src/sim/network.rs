//! The simulated network's settings: one-way latency, random jitter (which reorders
//! messages), loss, and partitions (groups of members that only reach each other).

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
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency: Duration::from_millis(1),
            jitter: Duration::ZERO,
            loss_pct: 0,
            partition: None,
            link_latency: BTreeMap::new(),
        }
    }
}

impl NetConfig {
    /// The one-way latency from `a` to `b`.
    pub fn latency(&self, a: u64, b: u64) -> Duration {
        let key = if a < b { (a, b) } else { (b, a) };
        self.link_latency.get(&key).copied().unwrap_or(self.latency)
    }

    /// Whether `a` reaches `b` (a member always reaches itself).
    pub fn connected(&self, a: u64, b: u64) -> bool {
        if a == b {
            return true;
        }
        match &self.partition {
            None => true,
            Some(groups) => groups.iter().any(|g| g.contains(&a) && g.contains(&b)),
        }
    }
}
