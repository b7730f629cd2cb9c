//! A linearizability checker for a key-value history, in the manner of Wing & Gong with
//! Porcupine's refinements: the history is split per key (operations on different keys
//! commute), and a depth-first search tries to order the operations so that each takes
//! effect between its invocation and its response, memoizing (linearized set, state) pairs.
//! An operation whose outcome is unknown (its call timed out) may take effect at any time
//! after its invocation, or never.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Put(u64),
    Delete,
    Get,
    /// Compare the value with `expect` (None: absent); on success put `new`.
    Cas {
        expect: Option<u64>,
        new: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Ok,
    Value(Option<u64>),
    Cas(bool),
    /// Unknown outcome (timed out).
    Unknown,
}

#[derive(Clone, Debug)]
pub struct Op {
    pub key: u64,
    pub call: u128,
    /// `None`: never returned (outcome unknown).
    pub ret: Option<u128>,
    pub input: Input,
    pub output: Output,
}

/// Applies `input` to state `s`; returns the new state if `output` is what the model answers.
fn step(s: Option<u64>, input: &Input, output: &Output) -> Option<Option<u64>> {
    let unknown = *output == Output::Unknown;
    match input {
        Input::Put(v) => (unknown || *output == Output::Ok).then_some(Some(*v)),
        Input::Delete => (unknown || *output == Output::Ok).then_some(None),
        Input::Get => (unknown || *output == Output::Value(s)).then_some(s),
        Input::Cas { expect, new } => {
            let ok = s == *expect;
            if !unknown && *output != Output::Cas(ok) {
                return None;
            }
            Some(if ok { Some(*new) } else { s })
        }
    }
}

/// Checks one key's operations; returns whether a linearization exists.
fn check_key(ops: &[Op]) -> bool {
    let n = ops.len();
    let mut seen: BTreeSet<(Vec<u64>, Option<u64>)> = BTreeSet::new();
    let words = n.div_ceil(64).max(1);
    // Depth-first search with an explicit stack of (done set, state).
    let mut stack: Vec<(Vec<u64>, Option<u64>)> = vec![(vec![0; words], None)];
    let is_done = |d: &Vec<u64>, i: usize| d[i / 64] >> (i % 64) & 1 == 1;
    while let Some((done, state)) = stack.pop() {
        // Finished when every op that returned is linearized.
        let all = (0..n).all(|i| is_done(&done, i) || ops[i].ret.is_none());
        if all {
            return true;
        }
        if !seen.insert((done.clone(), state)) {
            continue;
        }
        // An op may go next if it was invoked before every pending op returned.
        let min_ret = (0..n)
            .filter(|&i| !is_done(&done, i))
            .filter_map(|i| ops[i].ret)
            .min()
            .unwrap_or(u128::MAX);
        for i in 0..n {
            if is_done(&done, i) || ops[i].call > min_ret {
                continue;
            }
            if let Some(next) = step(state, &ops[i].input, &ops[i].output) {
                let mut d = done.clone();
                d[i / 64] |= 1 << (i % 64);
                stack.push((d, next));
            }
        }
    }
    false
}

/// Checks a whole history; on failure returns the key whose history is not linearizable.
pub fn check(history: &[Op]) -> Result<(), u64> {
    let mut by_key: BTreeMap<u64, Vec<Op>> = BTreeMap::new();
    for op in history {
        by_key.entry(op.key).or_default().push(op.clone());
    }
    for (k, ops) in by_key {
        if !check_key(&ops) {
            return Err(k);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(call: u128, ret: Option<u128>, input: Input, output: Output) -> Op {
        Op {
            key: 1,
            call,
            ret,
            input,
            output,
        }
    }

    #[test]
    fn detects_stale_read() {
        let h = vec![
            op(0, Some(1), Input::Put(1), Output::Ok),
            op(2, Some(3), Input::Put(2), Output::Ok),
            op(4, Some(5), Input::Get, Output::Value(Some(1))),
        ];
        assert!(check(&h).is_err());
    }

    #[test]
    fn accepts_pending_write_seen_later() {
        let h = vec![
            op(0, None, Input::Put(1), Output::Unknown),
            op(2, Some(3), Input::Get, Output::Value(None)),
            op(4, Some(5), Input::Get, Output::Value(Some(1))),
        ];
        assert!(check(&h).is_ok());
        let bad = vec![
            op(0, None, Input::Put(1), Output::Unknown),
            op(2, Some(3), Input::Get, Output::Value(Some(1))),
            op(4, Some(5), Input::Get, Output::Value(None)),
        ];
        assert!(check(&bad).is_err());
    }
}
