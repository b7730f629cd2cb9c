//! The simulated network's settings: one-way latency, random jitter (which reorders
//! messages), loss, and partitions (groups of members that only reach each other).

use std::collections::BTreeSet;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetConfig {
    pub latency: Duration,
    pub jitter: Duration,
    pub loss_pct: u32,
    /// Groups that can talk among themselves; `None`: everyone reaches everyone.
    pub partition: Option<Vec<BTreeSet<u64>>>,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig { latency: Duration::from_millis(1), jitter: Duration::ZERO, loss_pct: 0, partition: None }
    }
}

impl NetConfig {
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
