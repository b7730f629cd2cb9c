//! Data-driven Raft scenarios, in the style of etcd raft's `testdata/*.txt`: each file in
//! `tests/raft/` is a list of commands over a small network of [`RawNode`]s, each followed by
//! `----` and everything it printed (`tests/support/datadriven.rs` has the format).
//! `REWRITE=1 cargo test --profile ci --no-default-features --test raft_scenarios` rewrites
//! the expected outputs in place (review the diff!).
//!
//! What commands print: messages as they are delivered (`1->2 MsgApp Term:1 Log:1/2
//! Commit:2 Entries:[1/3 a]`, `Log` and entries as term/index; `DROPPED` when a partition
//! cuts them), a node's changes of role, term or leader (`2: follower term=2 lead=1`), the
//! entries each node applies (`3: applied 1/2 a, 1/3 b`) and the reads it can serve.
//!
//! Commands (one a line, then `----` and the output):
//! - `nodes 1 2 3 [prevote=false] [checkquorum=false] [max-entries=N] [learners=4,5]`
//! - `log ID T1 T2 ...` — give a node a log with these terms at indexes 1.. (and that term)
//! - `term ID T` — make a node a follower at term T; `commit ID N` — set its commit index
//! - `campaign ID`, `tick ID [N]` (no delivery), `tick-all N` (tick everyone N times,
//!   stabilizing after each tick), `propose ID DATA`, `read-index ID CTX`,
//!   `transfer-leader LEADER TO`, `conf-change ID add|add-learner|remove NODE`,
//!   `compact ID INDEX` (snapshot + compaction at INDEX)
//! - `stabilize` — process and deliver until nothing moves
//! - `deliver FROM TO` — deliver (only) the pending messages from FROM to TO, once
//! - `drop FROM TO` / `drop-all` — discard pending messages
//! - `partition 1 | 2 3`, `heal`
//! - `status [ID]` — role, term, leader, vote, commit, applied, first and last index
//! - `raft-log ID` — the node's log from its first index (term/index and data)
//! - `reads ID` — the read states the node got (context and index)
//! - `pending` — the messages not yet delivered

#[path = "support/datadriven.rs"]
mod datadriven;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

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
    /// (role, term, lead) of each node as last printed.
    seen: BTreeMap<u64, (StateRole, u64, u64)>,
    cfg: Config,
    voters: Vec<u64>,
    learners: Vec<u64>,
    out: String,
}

fn encode_cc(cc: &ConfChange) -> Vec<u8> {
    serde_json::to_vec(cc).unwrap()
}

fn role_name(r: StateRole) -> &'static str {
    match r {
        StateRole::Leader => "leader",
        StateRole::Follower => "follower",
        StateRole::Candidate => "candidate",
        StateRole::PreCandidate => "pre-candidate",
    }
}

/// `term/index` and the data: `1/3 a`, `2/4 conf-change add-learner 4`, `2/5` (a no-op).
fn entry_text(e: &Entry) -> String {
    let mut s = format!("{}/{}", e.term, e.index);
    if e.entry_type == EntryType::ConfChange {
        if let Ok(cc) = serde_json::from_slice::<ConfChange>(&e.data) {
            let kind = match cc.change_type {
                ConfChangeType::AddNode => "add",
                ConfChangeType::AddLearnerNode => "add-learner",
                ConfChangeType::RemoveNode => "remove",
                ConfChangeType::UpdateNode => "update",
            };
            let _ = write!(s, " conf-change {kind} {}", cc.node_id);
        }
    } else if !e.data.is_empty() {
        let _ = write!(s, " {}", String::from_utf8_lossy(&e.data));
    }
    s
}

fn msg_text(m: &Message) -> String {
    let mut s = format!("{}->{} {} Term:{}", m.from, m.to, m.msg_type.name(), m.term);
    use etcd_playground::raft::MessageType as T;
    if matches!(
        m.msg_type,
        T::App | T::AppResp | T::Vote | T::VoteResp | T::PreVote | T::PreVoteResp
    ) {
        let _ = write!(s, " Log:{}/{}", m.log_term, m.index);
    } else if m.msg_type == T::ReadIndexResp {
        let _ = write!(s, " Index:{}", m.index);
    }
    if m.reject {
        let _ = write!(s, " Rejected (Hint: {})", m.reject_hint);
    }
    if m.commit != 0 {
        let _ = write!(s, " Commit:{}", m.commit);
    }
    if !m.entries.is_empty() {
        let es: Vec<String> = m.entries.iter().map(entry_text).collect();
        let _ = write!(s, " Entries:[{}]", es.join(", "));
    }
    if let Some(snap) = &m.snapshot {
        let _ = write!(
            s,
            " Snapshot: Index:{} Term:{}",
            snap.metadata.index, snap.metadata.term
        );
    }
    if !m.context.is_empty() {
        let _ = write!(s, " Context:{}", String::from_utf8_lossy(&m.context));
    }
    s
}

impl Net {
    fn new() -> Net {
        Net {
            nodes: BTreeMap::new(),
            queue: VecDeque::new(),
            partition: None,
            reads: BTreeMap::new(),
            applied: BTreeMap::new(),
            seen: BTreeMap::new(),
            cfg: Config::default(),
            voters: Vec::new(),
            learners: Vec::new(),
            out: String::new(),
        }
    }

    fn say(&mut self, line: impl AsRef<str>) {
        self.out.push_str(line.as_ref());
        self.out.push('\n');
    }

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

    fn insert(&mut self, id: u64, n: RawNode) {
        self.seen
            .insert(id, (n.raft.state, n.raft.term, n.raft.lead));
        self.nodes.insert(id, n);
    }

    /// Prints a node's change of role, term or leader since it was last printed.
    fn note_state(&mut self, id: u64) {
        let Some(n) = self.nodes.get(&id) else {
            return;
        };
        let now = (n.raft.state, n.raft.term, n.raft.lead);
        if self.seen.insert(id, now) != Some(now) {
            self.say(format!(
                "{id}: {} term={} lead={}",
                role_name(now.0),
                now.1,
                now.2
            ));
        }
    }

    fn process(&mut self, id: u64) -> bool {
        let mut moved = false;
        let mut lines = Vec::new();
        if let Some(n) = self.nodes.get_mut(&id) {
            while n.has_ready() {
                moved = true;
                let rd = n.ready();
                self.queue.extend(rd.messages.iter().cloned());
                if let Some(s) = &rd.snapshot {
                    lines.push(format!(
                        "{id}: applied snapshot {}/{}",
                        s.metadata.term, s.metadata.index
                    ));
                    self.applied.insert(id, s.metadata.index);
                }
                let mut applied = Vec::new();
                for e in &rd.committed_entries {
                    if e.entry_type == EntryType::ConfChange {
                        if let Ok(cc) = serde_json::from_slice::<ConfChange>(&e.data) {
                            n.apply_conf_change(&cc);
                        }
                    }
                    applied.push(entry_text(e));
                    self.applied.insert(id, e.index);
                }
                if !applied.is_empty() {
                    lines.push(format!("{id}: applied {}", applied.join(", ")));
                }
                for rs in &rd.read_states {
                    lines.push(format!(
                        "{id}: read {} at {}",
                        String::from_utf8_lossy(&rs.request_ctx),
                        rs.index
                    ));
                    self.reads
                        .entry(id)
                        .or_default()
                        .push((rs.request_ctx.clone(), rs.index));
                }
                n.advance(rd);
            }
        }
        self.note_state(id);
        for l in lines {
            self.say(l);
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
            self.say(format!("{} DROPPED", msg_text(&m)));
            return;
        }
        self.say(msg_text(&m));
        let to = m.to;
        if let Some(n) = self.nodes.get_mut(&to) {
            if let Err(e) = n.step(m) {
                self.say(format!("{to}: {e}"));
            }
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

    fn status(&self, id: u64) -> String {
        let r = &self.nodes[&id].raft;
        format!(
            "{id}: {} term={} lead={} vote={} commit={} applied={} first={} last={}",
            role_name(r.state),
            r.term,
            r.lead,
            r.vote,
            r.raft_log.committed,
            self.applied.get(&id).copied().unwrap_or(0),
            r.raft_log.first_index(),
            r.raft_log.last_index()
        )
    }

    fn node(&mut self, id: u64, at: &str) -> &mut RawNode {
        self.nodes
            .get_mut(&id)
            .unwrap_or_else(|| panic!("{at}: no node {id}"))
    }

    /// Runs one command; what it printed is in `out`.
    fn run(&mut self, at: &str, line: &str) {
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
                            "prevote" => self.cfg.pre_vote = v == "true",
                            "checkquorum" => self.cfg.check_quorum = v == "true",
                            "max-entries" => self.cfg.max_entries_per_msg = v.parse().unwrap(),
                            "learners" => {
                                self.learners = v.split(',').map(|x| x.parse().unwrap()).collect()
                            }
                            _ => panic!("{at}: unknown option"),
                        }
                    } else {
                        ids.push(a.parse::<u64>().unwrap());
                    }
                }
                self.voters = ids.clone();
                let all: Vec<u64> = ids.iter().chain(self.learners.iter()).copied().collect();
                for id in all {
                    let n = self.new_node(id, HardState::default(), &[]);
                    self.insert(id, n);
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
                let n = self.new_node(id, hs, &entries);
                self.insert(id, n);
            }
            "term" => {
                let (id, t) = (num(1), num(2));
                self.node(id, at).raft.become_follower(t, 0);
                self.note_state(id);
            }
            "commit" => {
                let (id, c) = (num(1), num(2));
                self.node(id, at).raft.raft_log.commit_to(c);
            }
            "campaign" => {
                let id = num(1);
                if let Err(e) = self.node(id, at).campaign() {
                    self.say(format!("{id}: {e}"));
                }
                self.process(id);
            }
            "tick" => {
                let id = num(1);
                let k = if w.len() > 2 { num(2) } else { 1 };
                for _ in 0..k {
                    self.node(id, at).tick();
                }
                self.process(id);
            }
            "tick-all" => {
                for _ in 0..num(1) {
                    for n in self.nodes.values_mut() {
                        n.tick();
                    }
                    self.stabilize();
                }
            }
            "propose" => {
                let id = num(1);
                let data = w
                    .get(2)
                    .unwrap_or_else(|| panic!("{at}: missing data"))
                    .as_bytes()
                    .to_vec();
                if let Err(e) = self.node(id, at).propose(data) {
                    self.say(format!("{id}: {e}"));
                }
                self.process(id);
            }
            "read-index" => {
                let id = num(1);
                let ctx = w[2].as_bytes().to_vec();
                if let Err(e) = self.node(id, at).read_index(ctx) {
                    self.say(format!("{id}: {e}"));
                }
                self.process(id);
            }
            "transfer-leader" => {
                let (id, to) = (num(1), num(2));
                if let Err(e) = self.node(id, at).transfer_leader(to) {
                    self.say(format!("{id}: {e}"));
                }
                self.process(id);
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
                if let Err(e) = self.node(id, at).propose_conf_change(encode_cc(&cc)) {
                    self.say(format!("{id}: {e}"));
                }
                self.process(id);
                if !self.nodes.contains_key(&node_id) && change_type != ConfChangeType::RemoveNode {
                    // A new, empty node that learns everything from the leader.
                    let cfg = Config {
                        id: node_id,
                        ..self.cfg.clone()
                    };
                    let n = RawNode::new(
                        &cfg,
                        HardState::default(),
                        Snapshot::default(),
                        &[],
                        ChaCha8Rng::seed_from_u64(node_id),
                    )
                    .unwrap();
                    self.insert(node_id, n);
                }
            }
            "compact" => {
                let (id, idx) = (num(1), num(2));
                let n = self.node(id, at);
                let cs = n.raft.prs.conf_state();
                n.compact(idx, cs, b"snap".to_vec(), 0)
                    .unwrap_or_else(|e| panic!("{at}: {e}"));
            }
            "stabilize" => self.stabilize(),
            "deliver" => {
                let (from, to) = (num(1), num(2));
                let (pick, keep): (Vec<Message>, Vec<Message>) = self
                    .queue
                    .drain(..)
                    .partition(|m| m.from == from && m.to == to);
                self.queue = keep.into();
                for m in pick {
                    self.deliver(m);
                }
            }
            "drop" => {
                let (from, to) = (num(1), num(2));
                let (gone, keep): (Vec<Message>, Vec<Message>) = self
                    .queue
                    .drain(..)
                    .partition(|m| m.from == from && m.to == to);
                self.queue = keep.into();
                self.say(format!("dropped {} messages", gone.len()));
            }
            "drop-all" => {
                let gone = std::mem::take(&mut self.queue);
                self.say(format!("dropped {} messages", gone.len()));
            }
            "partition" => {
                let groups: Vec<BTreeSet<u64>> = line["partition".len()..]
                    .split('|')
                    .map(|g| g.split_whitespace().map(|x| x.parse().unwrap()).collect())
                    .collect();
                self.partition = Some(groups);
            }
            "heal" => self.partition = None,
            "status" => {
                let ids: Vec<u64> = if w.len() > 1 {
                    vec![num(1)]
                } else {
                    self.nodes.keys().copied().collect()
                };
                for id in ids {
                    let s = self.status(id);
                    self.say(s);
                }
            }
            "raft-log" => {
                let id = num(1);
                let l = &self.nodes[&id].raft.raft_log;
                let es = l
                    .slice(l.first_index(), l.last_index() + 1, usize::MAX)
                    .unwrap();
                let lines: Vec<String> = es.iter().map(entry_text).collect();
                if lines.is_empty() {
                    self.say("(empty)");
                }
                for l in lines {
                    self.say(l);
                }
            }
            "reads" => {
                let id = num(1);
                let reads = self.reads.get(&id).cloned().unwrap_or_default();
                if reads.is_empty() {
                    self.say("(none)");
                }
                for (ctx, idx) in reads {
                    self.say(format!("{} at {idx}", String::from_utf8_lossy(&ctx)));
                }
            }
            "pending" => {
                let lines: Vec<String> = self.queue.iter().map(msg_text).collect();
                if lines.is_empty() {
                    self.say("(none)");
                }
                for l in lines {
                    self.say(l);
                }
            }
            other => panic!("{at}: unknown command {other}"),
        }
    }
}

fn run_file(path: &std::path::Path, text: &str) -> String {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut net = Net::new();
    datadriven::rewrite(text, |line, _input| {
        let at = format!("{name}: {line}");
        net.run(&at, line.trim());
        std::mem::take(&mut net.out)
    })
}

#[test]
fn raft_scenarios() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/raft");
    let n = datadriven::check_dir(&dir, run_file);
    println!("{n} raft scenarios passed");
}
