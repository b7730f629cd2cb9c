//! Data-driven Raft scenarios, in the spirit of etcd raft's `testdata/*.txt`: each file in
//! `tests/raft/` is a list of commands over a small network of [`RawNode`]s, with `expect`
//! lines checking the state. Adding a case means adding text.
//!
//! Commands (one a line; `#` starts a comment):
//! - `nodes 1 2 3 [prevote=false] [checkquorum=false] [max-entries=N] [learners=4,5]`
//! - `log ID T1 T2 ...` — give a node a log with these terms at indexes 1.. (and that term)
//! - `commit ID N` — set a node's commit index (after `log`)
//! - `campaign ID`, `tick ID [N]` (no delivery), `tick-all N` (tick everyone N times,
//!   stabilizing after each tick), `propose ID DATA`, `read-index ID CTX`,
//!   `transfer-leader LEADER TO`, `conf-change ID add|add-learner|remove NODE`,
//!   `compact ID INDEX` (snapshot + compaction at INDEX)
//! - `stabilize` — process and deliver until nothing moves
//! - `deliver FROM TO` — deliver (only) the pending messages from FROM to TO, once
//! - `drop FROM TO` / `drop-all` — discard pending messages
//! - `partition 1 | 2 3`, `heal`
//! - `expect ID key=value ...` with keys `role` (leader/follower/candidate/pre-candidate),
//!   `term`, `lead`, `commit`, `applied`, `last`, `first`, `vote`
//! - `expect-log ID T1 T2 ...` — the terms of the node's log from its first index
//! - `expect-read ID CTX INDEX` — a read state for CTX was served at INDEX
//! - `expect-no-read ID CTX`
//! - `expect-pending FROM TO TYPE` — a message of TYPE (e.g. MsgSnap) is pending

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use etcd_playground::raft::{
    ConfChange, ConfChangeType, Config, Entry, EntryType, HardState, Message, RawNode, Snapshot,
    StateRole,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

struct Net {
    nodes: BTreeMap<u64, RawNode>,
    queue: VecDeque<Message>,
    partition: Option<Vec<BTreeSet<u64>>>,
    reads: BTreeMap<u64, Vec<(Vec<u8>, u64)>>,
    applied: BTreeMap<u64, u64>,
    cfg: Config,
    voters: Vec<u64>,
    learners: Vec<u64>,
}

fn encode_cc(cc: &ConfChange) -> Vec<u8> {
    serde_json::to_vec(cc).unwrap()
}

impl Net {
    fn connected(&self, a: u64, b: u64) -> bool {
        match &self.partition {
            None => true,
            Some(g) => g.iter().any(|s| s.contains(&a) && s.contains(&b)),
        }
    }

    fn new_node(&self, id: u64, hs: HardState, entries: &[Entry]) -> RawNode {
        let cfg = Config {
            id,
            ..self.cfg.clone()
        };
        let mut n = RawNode::new(
            &cfg,
            hs,
            Snapshot::default(),
            entries,
            ChaCha8Rng::seed_from_u64(id),
        )
        .unwrap();
        n.bootstrap_voters(&self.voters);
        let next = n.raft.raft_log.last_index() + 1;
        for l in &self.learners {
            n.raft.prs.add(*l, true, next);
        }
        n.raft.is_learner = self.learners.contains(&id);
        n
    }

    fn process(&mut self, id: u64) -> bool {
        let Some(n) = self.nodes.get_mut(&id) else {
            return false;
        };
        let mut moved = false;
        while n.has_ready() {
            moved = true;
            let rd = n.ready();
            for m in &rd.messages {
                self.queue.push_back(m.clone());
            }
            for e in &rd.committed_entries {
                if e.entry_type == EntryType::ConfChange {
                    if let Ok(cc) = serde_json::from_slice::<ConfChange>(&e.data) {
                        n.apply_conf_change(&cc);
                    }
                }
                self.applied.insert(id, e.index);
            }
            if let Some(s) = &rd.snapshot {
                self.applied.insert(id, s.metadata.index);
            }
            for rs in &rd.read_states {
                self.reads
                    .entry(id)
                    .or_default()
                    .push((rs.request_ctx.clone(), rs.index));
            }
            n.advance(rd);
        }
        moved
    }

    fn process_all(&mut self) -> bool {
        let ids: Vec<u64> = self.nodes.keys().copied().collect();
        let mut moved = false;
        for id in ids {
            moved |= self.process(id);
        }
        moved
    }

    fn deliver(&mut self, m: Message) {
        if !self.connected(m.from, m.to) {
            return;
        }
        let to = m.to;
        if let Some(n) = self.nodes.get_mut(&to) {
            let _ = n.step(m);
        }
        self.process(to);
    }

    fn stabilize(&mut self) {
        for _ in 0..10_000 {
            let moved = self.process_all();
            if self.queue.is_empty() && !moved {
                return;
            }
            while let Some(m) = self.queue.pop_front() {
                self.deliver(m);
            }
        }
        panic!("stabilize did not settle");
    }
}

fn role_name(r: StateRole) -> &'static str {
    match r {
        StateRole::Leader => "leader",
        StateRole::Follower => "follower",
        StateRole::Candidate => "candidate",
        StateRole::PreCandidate => "pre-candidate",
    }
}

fn run(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut net = Net {
        nodes: BTreeMap::new(),
        queue: VecDeque::new(),
        partition: None,
        reads: BTreeMap::new(),
        applied: BTreeMap::new(),
        cfg: Config::default(),
        voters: Vec::new(),
        learners: Vec::new(),
    };
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    for (ln, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let at = format!("{name}:{}: {line}", ln + 1);
        let w: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| -> u64 {
            w.get(i)
                .unwrap_or_else(|| panic!("{at}: missing argument"))
                .parse()
                .unwrap_or_else(|_| panic!("{at}: bad number"))
        };
        match w[0] {
            "nodes" => {
                let mut ids = Vec::new();
                for a in &w[1..] {
                    if let Some((k, v)) = a.split_once('=') {
                        match k {
                            "prevote" => net.cfg.pre_vote = v == "true",
                            "checkquorum" => net.cfg.check_quorum = v == "true",
                            "max-entries" => net.cfg.max_entries_per_msg = v.parse().unwrap(),
                            "learners" => {
                                net.learners = v.split(',').map(|x| x.parse().unwrap()).collect()
                            }
                            _ => panic!("{at}: unknown option"),
                        }
                    } else {
                        ids.push(a.parse::<u64>().unwrap());
                    }
                }
                net.voters = ids.clone();
                let all: Vec<u64> = ids.iter().chain(net.learners.iter()).copied().collect();
                for id in all {
                    let n = net.new_node(id, HardState::default(), &[]);
                    net.nodes.insert(id, n);
                }
            }
            "log" => {
                let id = num(1);
                let terms: Vec<u64> = w[2..].iter().map(|t| t.parse().unwrap()).collect();
                let entries: Vec<Entry> = terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Entry {
                        term: *t,
                        index: i as u64 + 1,
                        ..Default::default()
                    })
                    .collect();
                let hs = HardState {
                    term: terms.last().copied().unwrap_or(0),
                    vote: 0,
                    commit: 0,
                };
                let n = net.new_node(id, hs, &entries);
                net.nodes.insert(id, n);
            }
            "term" => {
                let id = num(1);
                let n = net.nodes.get_mut(&id).unwrap();
                let t = num(2);
                n.raft.become_follower(t, 0);
            }
            "commit" => {
                let id = num(1);
                let c = num(2);
                let n = net.nodes.get_mut(&id).unwrap();
                n.raft.raft_log.commit_to(c);
            }
            "campaign" => {
                let id = num(1);
                let _ = net.nodes.get_mut(&id).unwrap().campaign();
                net.process(id);
            }
            "tick" => {
                let id = num(1);
                let k = if w.len() > 2 { num(2) } else { 1 };
                for _ in 0..k {
                    net.nodes.get_mut(&id).unwrap().tick();
                }
                net.process(id);
            }
            "tick-all" => {
                for _ in 0..num(1) {
                    for n in net.nodes.values_mut() {
                        n.tick();
                    }
                    net.stabilize();
                }
            }
            "propose" => {
                let id = num(1);
                let r = net
                    .nodes
                    .get_mut(&id)
                    .unwrap()
                    .propose(w[2].as_bytes().to_vec());
                let _ = r;
                net.process(id);
            }
            "read-index" => {
                let id = num(1);
                let _ = net
                    .nodes
                    .get_mut(&id)
                    .unwrap()
                    .read_index(w[2].as_bytes().to_vec());
                net.process(id);
            }
            "transfer-leader" => {
                let (id, to) = (num(1), num(2));
                let _ = net.nodes.get_mut(&id).unwrap().transfer_leader(to);
                net.process(id);
            }
            "conf-change" => {
                let id = num(1);
                let change_type = match w[2] {
                    "add" => ConfChangeType::AddNode,
                    "add-learner" => ConfChangeType::AddLearnerNode,
                    "remove" => ConfChangeType::RemoveNode,
                    _ => panic!("{at}: unknown change"),
                };
                let node_id = num(3);
                let cc = ConfChange {
                    change_type,
                    node_id,
                    context: vec![],
                };
                let _ = net
                    .nodes
                    .get_mut(&id)
                    .unwrap()
                    .propose_conf_change(encode_cc(&cc));
                net.process(id);
                if !net.nodes.contains_key(&node_id) && change_type != ConfChangeType::RemoveNode {
                    // A new, empty node that learns everything from the leader.
                    let cfg = Config {
                        id: node_id,
                        ..net.cfg.clone()
                    };
                    let n = RawNode::new(
                        &cfg,
                        HardState::default(),
                        Snapshot::default(),
                        &[],
                        ChaCha8Rng::seed_from_u64(node_id),
                    )
                    .unwrap();
                    net.nodes.insert(node_id, n);
                }
            }
            "compact" => {
                let (id, idx) = (num(1), num(2));
                let n = net.nodes.get_mut(&id).unwrap();
                let cs = n.raft.prs.conf_state();
                n.compact(idx, cs, b"snap".to_vec(), 0)
                    .unwrap_or_else(|e| panic!("{at}: {e}"));
            }
            "stabilize" => net.stabilize(),
            "deliver" => {
                let (from, to) = (num(1), num(2));
                let (pick, keep): (Vec<Message>, Vec<Message>) = net
                    .queue
                    .drain(..)
                    .partition(|m| m.from == from && m.to == to);
                net.queue = keep.into();
                for m in pick {
                    net.deliver(m);
                }
            }
            "drop" => {
                let (from, to) = (num(1), num(2));
                net.queue.retain(|m| !(m.from == from && m.to == to));
            }
            "drop-all" => net.queue.clear(),
            "partition" => {
                let groups: Vec<BTreeSet<u64>> = line["partition".len()..]
                    .split('|')
                    .map(|g| g.split_whitespace().map(|x| x.parse().unwrap()).collect())
                    .collect();
                net.partition = Some(groups);
            }
            "heal" => net.partition = None,
            "expect" => {
                let id = num(1);
                let n = &net.nodes[&id];
                let r = &n.raft;
                for kv in &w[2..] {
                    let (k, v) = kv.split_once('=').unwrap();
                    let got = match k {
                        "role" => role_name(r.state).to_string(),
                        "term" => r.term.to_string(),
                        "lead" => r.lead.to_string(),
                        "commit" => r.raft_log.committed.to_string(),
                        "applied" => net.applied.get(&id).copied().unwrap_or(0).to_string(),
                        "last" => r.raft_log.last_index().to_string(),
                        "first" => r.raft_log.first_index().to_string(),
                        "vote" => r.vote.to_string(),
                        _ => panic!("{at}: unknown key {k}"),
                    };
                    assert_eq!(got, v, "{at}: {k}");
                }
            }
            "expect-log" => {
                let id = num(1);
                let l = &net.nodes[&id].raft.raft_log;
                let es = l
                    .slice(l.first_index(), l.last_index() + 1, usize::MAX)
                    .unwrap();
                let got: Vec<String> = es.iter().map(|e| e.term.to_string()).collect();
                let want: Vec<String> = w[2..].iter().map(|s| s.to_string()).collect();
                assert_eq!(got, want, "{at}");
            }
            "expect-read" => {
                let id = num(1);
                let idx = num(3);
                let reads = net.reads.get(&id).cloned().unwrap_or_default();
                assert!(
                    reads.contains(&(w[2].as_bytes().to_vec(), idx)),
                    "{at}: reads {reads:?}"
                );
            }
            "expect-no-read" => {
                let id = num(1);
                let reads = net.reads.get(&id).cloned().unwrap_or_default();
                assert!(
                    !reads.iter().any(|(c, _)| c == w[2].as_bytes()),
                    "{at}: reads {reads:?}"
                );
            }
            "expect-pending" => {
                let (from, to) = (num(1), num(2));
                assert!(
                    net.queue
                        .iter()
                        .any(|m| m.from == from && m.to == to && m.msg_type.name() == w[3]),
                    "{at}: pending {:?}",
                    net.queue
                        .iter()
                        .map(|m| (m.from, m.to, m.msg_type.name()))
                        .collect::<Vec<_>>()
                );
            }
            other => panic!("{at}: unknown command {other}"),
        }
    }
}

#[test]
fn raft_scenarios() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/raft");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in &files {
        run(f);
    }
    println!("{} raft scenarios passed", files.len());
}
