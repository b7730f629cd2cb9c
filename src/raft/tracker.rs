//! The leader's bookkeeping over the configuration (etcd's `tracker.ProgressTracker`):
//! voters and learners, each one's [`Progress`], votes in an election, and the quorum rules
//! (commit index, vote result, quorum activity).

use std::collections::{BTreeMap, BTreeSet};

use super::message::ConfState;
use super::progress::Progress;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteResult {
    Pending,
    Lost,
    Won,
}

#[derive(Clone, Debug, Default)]
pub struct ProgressTracker {
    pub voters: BTreeSet<u64>,
    pub learners: BTreeSet<u64>,
    pub progress: BTreeMap<u64, Progress>,
    pub votes: BTreeMap<u64, bool>,
    pub max_inflight: usize,
}

impl ProgressTracker {
    pub fn new(max_inflight: usize) -> Self {
        ProgressTracker { max_inflight, ..Default::default() }
    }

    pub fn conf_state(&self) -> ConfState {
        ConfState { voters: self.voters.iter().copied().collect(), learners: self.learners.iter().copied().collect() }
    }

    pub fn quorum(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    /// The largest index a quorum of voters has matched.
    pub fn committed(&self) -> u64 {
        if self.voters.is_empty() {
            return 0;
        }
        let mut m: Vec<u64> =
            self.voters.iter().map(|id| self.progress.get(id).map_or(0, |p| p.matched)).collect();
        m.sort_unstable_by(|a, b| b.cmp(a));
        m.get(self.quorum() - 1).copied().unwrap_or(0)
    }

    pub fn reset_votes(&mut self) {
        self.votes.clear();
    }

    pub fn record_vote(&mut self, id: u64, granted: bool) {
        self.votes.entry(id).or_insert(granted);
    }

    /// Votes granted, rejected, and the result so far.
    pub fn tally_votes(&self) -> (usize, usize, VoteResult) {
        let mut granted = 0;
        let mut rejected = 0;
        for id in &self.voters {
            match self.votes.get(id) {
                Some(true) => granted += 1,
                Some(false) => rejected += 1,
                None => {}
            }
        }
        let q = self.quorum();
        let missing = self.voters.len() - granted - rejected;
        let result = if granted >= q {
            VoteResult::Won
        } else if granted + missing >= q {
            VoteResult::Pending
        } else {
            VoteResult::Lost
        };
        (granted, rejected, result)
    }

    /// Whether a quorum of voters has been heard from recently (`self_id` always counts).
    pub fn quorum_active(&self, self_id: u64) -> bool {
        let active = self
            .voters
            .iter()
            .filter(|id| **id == self_id || self.progress.get(id).is_some_and(|p| p.recent_active))
            .count();
        active >= self.quorum()
    }

    pub fn is_voter(&self, id: u64) -> bool {
        self.voters.contains(&id)
    }

    /// Adds `id` as a voter (promoting a learner) or learner, with `next` as its next index.
    pub fn add(&mut self, id: u64, learner: bool, next: u64) {
        if learner {
            if self.voters.contains(&id) {
                return;
            }
            self.learners.insert(id);
        } else {
            self.learners.remove(&id);
            self.voters.insert(id);
        }
        let max = self.max_inflight;
        let p = self.progress.entry(id).or_insert_with(|| {
            let mut p = Progress::new(next, max);
            p.recent_active = true;
            p
        });
        p.is_learner = learner;
    }

    pub fn remove(&mut self, id: u64) {
        self.voters.remove(&id);
        self.learners.remove(&id);
        self.progress.remove(&id);
        self.votes.remove(&id);
    }
}
