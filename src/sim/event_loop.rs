//! The event loop: time moves only through the queue of events (a tick every 100 ms for
//! every running member, and message deliveries). Messages are sent over the simulated
//! network (latency, jitter, loss, partitions), delivered or dropped, and traced; what members
//! put in their outboxes is acted on; state machine safety is checked as members apply.
//!
//! Owns: the event queue, the trace, the applied log of the safety check. Must not touch:
//! what a member does with a tick or a message.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::Rng;

use super::view::{Role, TraceEvent, TraceKind};
use super::{World, APPLIED_LOG_CAP, MAX_ADVANCE, TICK, TRACE_CAP};
use crate::raft::{Message, MessageType, StateRole};
use crate::server::member::{Env, MemberEvent, Outbox};

#[derive(Clone, Debug)]
pub(super) enum Event {
    Tick,
    Deliver { msg: Message, sent_at: Duration },
}

/// The world's pending events in (time, sequence) order: a binary heap, so that scheduling a
/// message costs no allocation.
#[derive(Default)]
pub(super) struct EventQueue {
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Queued>>,
}

pub(super) struct Queued {
    at: Duration,
    seq: u64,
    ev: Event,
}

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

impl EventQueue {
    pub(super) fn push(&mut self, at: Duration, seq: u64, ev: Event) {
        self.heap.push(std::cmp::Reverse(Queued { at, seq, ev }));
    }

    pub(super) fn pop(&mut self) -> Option<(Duration, Event)> {
        self.heap.pop().map(|std::cmp::Reverse(q)| (q.at, q.ev))
    }

    pub(super) fn peek_time(&self) -> Option<Duration> {
        self.heap.peek().map(|std::cmp::Reverse(q)| q.at)
    }

    pub(super) fn in_order(&self) -> Vec<(Duration, &Event)> {
        let mut v: Vec<&Queued> = self.heap.iter().map(|std::cmp::Reverse(q)| q).collect();
        crate::sort::sort_by_key(&mut v, |q| (q.at, q.seq));
        v.into_iter().map(|q| (q.at, &q.ev)).collect()
    }
}

/// What was applied at each of the latest indexes, to compare members' applies.
#[derive(Default)]
pub(super) struct AppliedLog {
    base: u64,
    entries: std::collections::VecDeque<(u64, u64)>,
}

impl AppliedLog {
    /// Records or compares the entry applied at `index`; returns the other term on mismatch.
    pub(super) fn check(&mut self, index: u64, term: u64, digest: u64) -> Option<u64> {
        let end = self.base + self.entries.len() as u64;
        if index >= self.base && index < end {
            let (t, d) = self.entries.get((index - self.base) as usize).copied()?;
            return ((t, d) != (term, digest)).then_some(t);
        }
        if index != end || self.entries.is_empty() {
            // A gap (a snapshot skipped ahead of what was recorded): start again there.
            if index != end {
                self.entries.clear();
                self.base = index;
            }
        }
        self.entries.push_back((term, digest));
        if self.entries.len() > APPLIED_LOG_CAP {
            self.entries.pop_front();
            self.base += 1;
        }
        None
    }
}

impl World {
    /// Runs the world for `d` of simulated time (at most [`MAX_ADVANCE`] per call, so that a
    /// typo cannot hang the page).
    pub fn advance(&mut self, d: Duration) {
        let until = self.now.saturating_add(d.min(MAX_ADVANCE));
        self.run_until(until, |_| false);
    }

    /// Processes one event (step mode); returns false if there is none.
    pub fn step(&mut self) -> bool {
        self.flush_batches();
        let Some((at, ev)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(at);
        self.process(ev);
        true
    }

    /// Runs until no message is in flight (only timer ticks remain), or `limit` passes.
    pub fn run_until_idle(&mut self, limit: Duration) {
        let until = self.now.saturating_add(limit.min(MAX_ADVANCE));
        self.run_until(until, |w| w.in_flight == 0);
    }

    pub(super) fn schedule(&mut self, at: Duration, ev: Event) {
        if matches!(ev, Event::Deliver { .. }) {
            self.in_flight += 1;
        }
        self.seq += 1;
        self.queue.push(at, self.seq, ev);
    }

    /// Proposes what members batched since the last event.
    pub(super) fn flush_batches(&mut self) {
        while let Some(id) = self.batched.pop_first() {
            let env = self.env(id);
            let mut out = Outbox::default();
            if let Some(m) = self.member_mut(id) {
                m.process_ready(&env, &mut out);
            }
            self.handle_outbox(id, out);
        }
    }

    pub(super) fn run_until(&mut self, deadline: Duration, done: impl Fn(&World) -> bool) {
        loop {
            self.flush_batches();
            if done(self) {
                return;
            }
            let Some(at) = self.queue.peek_time() else {
                break;
            };
            if at > deadline {
                break;
            }
            if let Some((at, ev)) = self.queue.pop() {
                self.now = self.now.max(at);
                self.process(ev);
            }
        }
        self.now = self.now.max(deadline);
    }

    pub(super) fn process(&mut self, ev: Event) {
        match ev {
            Event::Tick => {
                let next = self.now + TICK;
                self.schedule(next, Event::Tick);
                let ids: Vec<u64> = self
                    .slots
                    .iter()
                    .filter(|s| s.member.is_some())
                    .map(|s| s.config.id)
                    .collect();
                for id in ids {
                    let env = self.env(id);
                    let mut out = Outbox::default();
                    if let Some(m) = self.member_mut(id) {
                        m.tick(&env, &mut out);
                    }
                    self.handle_outbox(id, out);
                }
            }
            Event::Deliver { msg, sent_at: _ } => {
                self.in_flight = self.in_flight.saturating_sub(1);
                let (from, to) = (msg.from, msg.to);
                let kind = msg.msg_type.name();
                let term = msg.term;
                if !self.is_running(to) || !self.connected(from, to) {
                    self.record(TraceKind::Dropped {
                        from,
                        to,
                        kind,
                        term,
                        reason: if self.is_running(to) {
                            "partition"
                        } else {
                            "stopped"
                        },
                    });
                    self.report_snapshot(&msg, true);
                    return;
                }
                self.record(TraceKind::Delivered {
                    from,
                    to,
                    kind,
                    term,
                });
                self.report_snapshot(&msg, false);
                let env = self.env(to);
                let mut out = Outbox::default();
                if let Some(m) = self.member_mut(to) {
                    m.step(msg, &env, &mut out);
                }
                self.handle_outbox(to, out);
            }
        }
    }

    pub(super) fn report_snapshot(&mut self, msg: &Message, failed: bool) {
        if msg.msg_type != MessageType::Snap {
            return;
        }
        let (from, to) = (msg.from, msg.to);
        let env = self.env(from);
        let mut out = Outbox::default();
        if let Some(m) = self.member_mut(from) {
            m.report_snapshot(to, failed, &env, &mut out);
        }
        self.handle_outbox(from, out);
    }

    /// What a member needs to handle ticks and messages.
    pub(super) fn env(&self, _id: u64) -> Env {
        Env {
            now: self.now,
            unix_nanos: self.unix_nanos(),
            connected_since: BTreeMap::new(),
            trace: self.trace_enabled,
            random: 0,
        }
    }

    /// What a member needs to check a client request: also whom it is connected to.
    pub(super) fn client_env(&self, id: u64) -> Env {
        let mut connected_since = BTreeMap::new();
        for s in &self.slots {
            if s.member.is_some() && self.connected(id, s.config.id) {
                let me = self
                    .slots
                    .iter()
                    .find(|x| x.config.id == id)
                    .map_or(Duration::ZERO, |x| x.up_since);
                let link = self.link_since(id, s.config.id);
                connected_since.insert(s.config.id, s.up_since.max(me).max(link));
            }
        }
        Env {
            now: self.now,
            unix_nanos: self.unix_nanos(),
            connected_since,
            trace: self.trace_enabled,
            random: 0,
        }
    }

    pub(super) fn link_since(&self, a: u64, b: u64) -> Duration {
        let key = if a < b { (a, b) } else { (b, a) };
        self.link_up_since
            .get(&key)
            .copied()
            .unwrap_or(Duration::ZERO)
    }

    pub(super) fn connected(&self, a: u64, b: u64) -> bool {
        self.net.connected(a, b)
    }

    pub(super) fn handle_outbox(&mut self, from: u64, out: Outbox) {
        for (call, ans) in out.answers {
            self.answers.insert(call, ans);
        }
        for ev in out.events {
            match ev {
                MemberEvent::RoleChanged { role, term, .. } => {
                    let role = match role {
                        StateRole::Follower => Role::Follower,
                        StateRole::PreCandidate => Role::PreCandidate,
                        StateRole::Candidate => Role::Candidate,
                        StateRole::Leader => Role::Leader,
                    };
                    self.record(TraceKind::RoleChanged {
                        member: from,
                        role,
                        term,
                    });
                }
                MemberEvent::Appended { index, term } => self.record(TraceKind::Appended {
                    member: from,
                    index,
                    term,
                }),
                MemberEvent::Committed { index } => self.record(TraceKind::Committed {
                    member: from,
                    index,
                }),
                MemberEvent::Applied {
                    index,
                    term,
                    digest,
                } => {
                    if let Some(v) = self.applied_log.check(index, term, digest) {
                        self.safety_violations.push(format!(
                            "state machine safety: member {from:x} applied index {index} term {term}, another applied term {v}"
                        ));
                    }
                    if self.trace_enabled {
                        self.record(TraceKind::Applied {
                            member: from,
                            index,
                        });
                    }
                }
                MemberEvent::Removed => {
                    if let Some(slot) = self.slots.iter_mut().find(|s| s.config.id == from) {
                        slot.removed = true;
                        if let Some(m) = slot.member.take() {
                            slot.disk = Some(m.into_disk());
                        }
                    }
                    self.record(TraceKind::Crashed { member: from });
                }
            }
        }
        for msg in out.messages {
            self.send(msg);
        }
    }

    pub(super) fn send(&mut self, msg: Message) {
        let (from, to) = (msg.from, msg.to);
        let kind = msg.msg_type.name();
        let term = msg.term;
        let loss = self.net.loss(from, to);
        if loss > 0 && self.rng.gen_range(0..100) < loss {
            self.record(TraceKind::Dropped {
                from,
                to,
                kind,
                term,
                reason: "loss",
            });
            self.report_snapshot(&msg, true);
            return;
        }
        if !self.connected(from, to) {
            self.record(TraceKind::Dropped {
                from,
                to,
                kind,
                term,
                reason: "partition",
            });
            self.report_snapshot(&msg, true);
            return;
        }
        let mut delay = self.net.latency(from, to);
        if !self.net.jitter.is_zero() {
            let j = self.rng.gen_range(0..=self.net.jitter.as_micros() as u64);
            delay += Duration::from_micros(j);
        }
        self.record(TraceKind::Sent {
            from,
            to,
            kind,
            term,
        });
        let at = self.now + delay;
        let sent_at = self.now;
        self.schedule(at, Event::Deliver { msg, sent_at });
    }

    pub(super) fn record(&mut self, kind: TraceKind) {
        if !self.trace_enabled {
            return;
        }
        if self.trace.len() >= TRACE_CAP {
            self.trace.drain(..TRACE_CAP / 4);
        }
        self.trace.push(TraceEvent { at: self.now, kind });
    }
}
