//! The in-flight window of one follower in replicate state (etcd's `tracker.Inflights`): the
//! last indexes of MsgApps sent and not yet acknowledged, at most `cap` of them.

use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inflights {
    cap: usize,
    buf: VecDeque<u64>,
}

impl Inflights {
    pub fn new(cap: usize) -> Self {
        Inflights { cap, buf: VecDeque::new() }
    }

    pub fn add(&mut self, last: u64) {
        self.buf.push_back(last);
    }

    /// Frees every in-flight message whose last index is `<= to`.
    pub fn free_le(&mut self, to: u64) {
        while self.buf.front().is_some_and(|&i| i <= to) {
            self.buf.pop_front();
        }
    }

    pub fn free_first_one(&mut self) {
        self.buf.pop_front();
    }

    pub fn full(&self) -> bool {
        self.buf.len() >= self.cap
    }

    pub fn count(&self) -> usize {
        self.buf.len()
    }

    pub fn reset(&mut self) {
        self.buf.clear();
    }
}
