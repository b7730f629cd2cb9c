//! View models of the cluster picture: plain data the page's SVG components draw, copied out
//! of the world's read-only views (`sim::view`). Components take these as props, so they
//! render (and are tested) without a world.
//!
//! Owns: the translation from `MemberView`/`MessageView`/`TraceEvent` to what is drawn.
//! Must not touch: the world (it only reads its views) or any etcd rule.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::sim::{MemberView, MessageView, TraceEvent, TraceKind, World};
use crate::sort::Inserted;

/// How many of a member's newest log entries the picture shows.
pub const LOG_SHOWN: usize = 11;

/// How long (simulated) a dropped message stays on screen, falling.
pub const DROP_SHOWN: Duration = Duration::from_millis(400);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogCell {
    pub index: u64,
    pub term: u64,
    pub summary: String,
    pub committed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerProgress {
    pub name: String,
    /// `probe`, `replicate` or `snapshot`.
    pub state: String,
    pub matched: u64,
    pub next: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberModel {
    pub id: u64,
    pub name: String,
    pub running: bool,
    /// `leader`, `follower`, `candidate`, `pre-candidate`.
    pub role: String,
    pub term: u64,
    /// Name of the member voted for in `term` (empty: nobody).
    pub vote: String,
    pub commit: u64,
    pub applied: u64,
    pub first_index: u64,
    pub last_index: u64,
    /// The newest entries, oldest first.
    pub log: Vec<LogCell>,
    /// The leader's view of each follower (leader only).
    pub progress: Vec<FollowerProgress>,
    pub election_elapsed: u64,
    pub election_timeout: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageModel {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub term: u64,
    /// How far along the link it is, 0..=1000 (‰).
    pub progress: u32,
    /// Dropped on the way: drawn falling, `progress` then counts the fall.
    pub dropped: bool,
}

/// The network as the last controls set it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetModel {
    /// Groups of member names that reach each other; empty: everyone reaches everyone.
    pub partition: Vec<Vec<String>>,
    pub loss_pct: u32,
    pub latency_ms: u64,
    /// Links cut on their own, each as its two names in order.
    pub cut: BTreeSet<(String, String)>,
    /// Links with their own loss (%) or latency (ms), overriding the network's.
    pub link_loss: BTreeMap<(String, String), u32>,
    pub link_latency: BTreeMap<(String, String), u64>,
}

/// The key of a link by its members' names (the same both ways).
fn link_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl NetModel {
    /// Whether `a` and `b` can talk.
    pub fn connected(&self, a: &str, b: &str) -> bool {
        if self.cut.contains(&link_key(a, b)) {
            return false;
        }
        self.partition.is_empty()
            || self
                .partition
                .iter()
                .any(|g| g.iter().any(|x| x == a) && g.iter().any(|x| x == b))
    }

    /// Whether this link is cut on its own (not by a partition).
    pub fn link_cut(&self, a: &str, b: &str) -> bool {
        self.cut.contains(&link_key(a, b))
    }

    /// The loss on the link between `a` and `b`, in percent.
    pub fn loss_of(&self, a: &str, b: &str) -> u32 {
        self.link_loss
            .get(&link_key(a, b))
            .copied()
            .unwrap_or(self.loss_pct)
    }

    /// The one-way latency on the link between `a` and `b`, in ms.
    pub fn latency_of(&self, a: &str, b: &str) -> u64 {
        self.link_latency
            .get(&link_key(a, b))
            .copied()
            .unwrap_or(self.latency_ms)
    }
}

/// `A – B` (from the world's confirmations) as a link key.
fn parse_link(text: &str, sep: &str) -> Option<(String, String)> {
    let (a, b) = text.split_once(sep)?;
    Some(link_key(a.trim(), b.trim()))
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterModel {
    pub now_ms: u64,
    pub members: Vec<MemberModel>,
    pub messages: Vec<MessageModel>,
    pub net: NetModel,
}

impl ClusterModel {
    pub fn from_world(world: &World) -> ClusterModel {
        let views = world.member_views();
        let names: Vec<(u64, String)> = views.iter().map(|v| (v.id, v.name.clone())).collect();
        let name_of = |id: u64| {
            names
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let now = world.now();
        let members = views.iter().map(|v| member_model(v, &name_of)).collect();
        let mut messages: Vec<MessageModel> = world
            .messages_in_flight()
            .iter()
            .map(|m| message_model(m, now, &name_of))
            .collect();
        messages.extend(dropped_recently(world.trace(), now, &name_of));
        ClusterModel {
            now_ms: now.as_millis().min(u64::MAX as u128) as u64,
            members,
            messages,
            net: net_from_trace(world.trace()),
        }
    }

    pub fn member(&self, name: &str) -> Option<&MemberModel> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn leader(&self) -> Option<&MemberModel> {
        self.members
            .iter()
            .find(|m| m.running && m.role == "leader")
    }
}

fn member_model(v: &MemberView, name_of: &dyn Fn(u64) -> String) -> MemberModel {
    let skip = v.log.len().saturating_sub(LOG_SHOWN);
    MemberModel {
        id: v.id,
        name: v.name.clone(),
        running: v.running,
        role: v.role.name().to_string(),
        term: v.term,
        vote: if v.vote == 0 {
            String::new()
        } else {
            name_of(v.vote)
        },
        commit: v.commit,
        applied: v.applied,
        first_index: v.first_index,
        last_index: v.last_index,
        log: v
            .log
            .iter()
            .skip(skip)
            .map(|e| LogCell {
                index: e.index,
                term: e.term,
                summary: e.summary.clone(),
                committed: e.index <= v.commit,
            })
            .collect(),
        progress: v
            .progress
            .iter()
            .filter(|p| p.id != v.id)
            .map(|p| FollowerProgress {
                name: name_of(p.id),
                state: p.state.to_string(),
                matched: p.matched,
                next: p.next,
            })
            .collect(),
        election_elapsed: v.election_elapsed,
        election_timeout: v.election_timeout,
    }
}

fn permille(done: Duration, total: Duration) -> u32 {
    if total.is_zero() {
        return 1000;
    }
    let p = done.as_micros().saturating_mul(1000) / total.as_micros().max(1);
    p.min(1000) as u32
}

fn message_model(m: &MessageView, now: Duration, name_of: &dyn Fn(u64) -> String) -> MessageModel {
    let total = m.deliver_at.saturating_sub(m.sent_at);
    let done = now.saturating_sub(m.sent_at);
    MessageModel {
        from: name_of(m.from),
        to: name_of(m.to),
        kind: m.kind.to_string(),
        term: m.term,
        progress: permille(done, total),
        dropped: false,
    }
}

/// Messages dropped within the last [`DROP_SHOWN`], newest last.
fn dropped_recently(
    trace: &[TraceEvent],
    now: Duration,
    name_of: &dyn Fn(u64) -> String,
) -> Vec<MessageModel> {
    let since = now.saturating_sub(DROP_SHOWN);
    let start = trace.partition_point(|e| e.at < since);
    trace
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Dropped {
                from,
                to,
                kind,
                term,
                ..
            } => Some(MessageModel {
                from: name_of(*from),
                to: name_of(*to),
                kind: kind.to_string(),
                term: *term,
                progress: permille(now.saturating_sub(e.at), DROP_SHOWN),
                dropped: true,
            }),
            _ => None,
        })
        .collect()
}

/// The network settings, as the world confirmed them in its trace (`partitioned: a | b c`,
/// `network healed`, `message loss set to N%`, `latency set to N ms`).
pub fn net_from_trace(trace: &[TraceEvent]) -> NetModel {
    let mut net = NetModel {
        latency_ms: 1,
        ..Default::default()
    };
    for e in trace {
        let TraceKind::Control { text } = &e.kind else {
            continue;
        };
        if let Some(groups) = text.strip_prefix("partitioned: ") {
            net.partition = groups
                .split('|')
                .map(|g| g.split_whitespace().map(str::to_string).collect())
                .collect();
        } else if text == "network healed" {
            net.partition.clear();
            net.cut.clear();
        } else if let Some(key) = text
            .strip_prefix("link ")
            .and_then(|r| r.strip_suffix(" cut"))
            .and_then(|r| parse_link(r, " – "))
        {
            net.cut.insert(key);
        } else if let Some(key) = text
            .strip_prefix("link ")
            .and_then(|r| r.strip_suffix(" healed"))
            .and_then(|r| parse_link(r, " – "))
        {
            net.cut.remove(&key);
        } else if let Some((key, p)) = text
            .strip_prefix("message loss between ")
            .and_then(|r| r.strip_suffix('%'))
            .and_then(|r| r.split_once(" set to "))
            .and_then(|(l, p)| Some((parse_link(l, " and ")?, p.parse().ok()?)))
        {
            net.link_loss.insert(key, p);
        } else if let Some((key, ms)) = text
            .strip_prefix("latency between ")
            .and_then(|r| r.strip_suffix(" ms"))
            .and_then(|r| r.split_once(" set to "))
            .and_then(|(l, p)| Some((parse_link(l, " and ")?, p.parse().ok()?)))
        {
            net.link_latency.insert(key, ms);
        } else if let Some(p) = text
            .strip_prefix("message loss set to ")
            .and_then(|r| r.strip_suffix('%'))
        {
            net.loss_pct = p.parse().unwrap_or(net.loss_pct);
            net.link_loss.clear();
        } else if let Some(ms) = text
            .strip_prefix("latency set to ")
            .and_then(|r| r.strip_suffix(" ms"))
        {
            net.latency_ms = ms.parse().unwrap_or(net.latency_ms);
            net.link_latency.clear();
        }
    }
    net
}

/// Names of the members other than `name`.
pub fn others(members: &[MemberModel], name: &str) -> Vec<String> {
    members
        .iter()
        .map(|m| m.name.clone())
        .filter(|n| n != name)
        .btree_set()
        .into_iter()
        .collect()
}

/// A fill colour for a Raft term: neighbouring terms get clearly different hues.
pub fn term_hue(term: u64) -> u32 {
    ((term.wrapping_mul(67)) % 360) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(text: &str) -> TraceEvent {
        TraceEvent {
            at: Duration::ZERO,
            kind: TraceKind::Control { text: text.into() },
        }
    }

    #[test]
    fn network_follows_the_confirmations_in_the_trace() {
        let net = net_from_trace(&[
            control("partitioned: infra1 | infra2 infra3"),
            control("message loss set to 20%"),
            control("latency set to 50 ms"),
        ]);
        assert_eq!(net.partition.len(), 2);
        assert!(!net.connected("infra1", "infra2"));
        assert!(net.connected("infra2", "infra3"));
        assert_eq!((net.loss_pct, net.latency_ms), (20, 50));
        let healed = net_from_trace(&[
            control("partitioned: infra1 | infra2 infra3"),
            control("network healed"),
        ]);
        assert!(healed.connected("infra1", "infra2"));
    }

    #[test]
    fn single_links_follow_their_own_confirmations() {
        let net = net_from_trace(&[
            control("link infra2 – infra1 cut"),
            control("message loss between infra3 and infra2 set to 30%"),
            control("latency between infra1 and infra3 set to 200 ms"),
        ]);
        assert!(!net.connected("infra1", "infra2") && net.link_cut("infra2", "infra1"));
        assert!(net.connected("infra1", "infra3"));
        assert_eq!(net.loss_of("infra2", "infra3"), 30);
        assert_eq!(net.loss_of("infra1", "infra3"), 0);
        assert_eq!(net.latency_of("infra3", "infra1"), 200);
        let mended = net_from_trace(&[
            control("link infra2 – infra1 cut"),
            control("link infra1 – infra2 healed"),
            control("message loss between infra3 and infra2 set to 30%"),
            control("message loss set to 5%"),
        ]);
        assert!(mended.connected("infra1", "infra2"));
        assert_eq!(mended.loss_of("infra2", "infra3"), 5);
    }

    #[test]
    fn the_world_confirms_in_the_words_the_model_reads() {
        let mut w = World::new(1);
        w.cut_link("infra1", "infra2").unwrap();
        w.set_link_loss("infra2", "infra3", 10).unwrap();
        w.set_link_latency("infra1", "infra3", 40).unwrap();
        let net = ClusterModel::from_world(&w).net;
        assert!(net.link_cut("infra1", "infra2"));
        assert_eq!(net.loss_of("infra3", "infra2"), 10);
        assert_eq!(net.latency_of("infra1", "infra3"), 40);
        w.heal_link("infra2", "infra1").unwrap();
        assert!(!ClusterModel::from_world(&w)
            .net
            .link_cut("infra1", "infra2"));
    }

    #[test]
    fn the_default_world_has_a_leader_and_three_members() {
        let w = World::new(1);
        let m = ClusterModel::from_world(&w);
        assert_eq!(m.members.len(), 3);
        assert!(m.leader().is_some());
        assert!(m.now_ms >= 5000);
    }

    #[test]
    fn progress_along_a_link_is_clamped() {
        assert_eq!(
            permille(Duration::from_millis(5), Duration::from_millis(10)),
            500
        );
        assert_eq!(
            permille(Duration::from_millis(50), Duration::from_millis(10)),
            1000
        );
        assert_eq!(permille(Duration::ZERO, Duration::ZERO), 1000);
    }
}
