//! The checks' vocabulary: predicates over the playground (keys, revisions, members, the
//! network, leases, jobs, the environment, a lab's files) and over what was typed and
//! printed since the step began. `lessons/README.md` documents each form; [`Check::parse`]
//! reads one, [`Check::holds`] evaluates it without changing anything (state is read from
//! the members' applied stores and the world's views, never through requests, which would
//! let time pass).
//!
//! Owns: the predicates. Must not touch: a lesson's order of steps (`run`).

use std::collections::BTreeMap;

use super::run::Attempt;
use crate::mvcc::index::RangeEnd;
use crate::mvcc::kvstore::RangeOptions;
use crate::playground::Playground;
use crate::server::member::Member;
use crate::sort::Inserted;

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            "!=" => Op::Ne,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            _ => return None,
        })
    }

    fn test(self, a: i64, b: i64) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Ge => a >= b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Lt => a < b,
        }
    }
}

/// What is checked of one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyTest {
    Exists,
    Absent,
    Value(String),
    Version(Op, i64),
    ModRevision(Op, i64),
    /// Attached to a lease.
    Leased,
}

/// What is checked of one member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberTest {
    /// Running.
    Up,
    /// Stopped (or never started).
    Down,
    /// In the cluster's configuration.
    Present,
    /// Not in it (removed, or never added).
    Absent,
    Learner,
    Voter,
    /// Running, and its applied index behind the leader's commit index.
    Behind,
    /// Running, and it applied everything the leader committed.
    CaughtUp,
}

/// One predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    Not(Box<Check>),
    Key(String, KeyTest),
    /// How many keys start with the prefix.
    Keys(String, Op, i64),
    Revision(Op, i64),
    Compacted(Op, i64),
    V2(String, Option<String>, bool),
    LeaderExists(bool),
    LeaderIs(String, bool),
    /// A leader runs and it is not the one when the lesson started (or the term grew).
    LeaderChanged,
    Term(Op, i64),
    Member(String, MemberTest),
    /// Members in the cluster's configuration (voters and learners).
    Members(Op, i64),
    Learners(Op, i64),
    /// `link A B cut` (true) or `ok`.
    Link(String, String, bool),
    /// Some link is cut or the network is partitioned.
    NetworkSplit(bool),
    Leases(Op, i64),
    /// Jobs running (the current one and the background ones).
    Jobs(Op, i64),
    Env(String, Option<String>),
    File(String, Option<String>, bool),
    Lab(String),
    /// A line containing the text ran since the step began...
    Ran(String),
    /// ... and exited 0.
    Succeeded(String),
    /// ... and exited non-zero.
    Failed(String),
    /// A command since the step began printed the text (stdout or stderr).
    Printed(String),
}

/// Cuts a predicate into words: `"..."` and `'...'` hold spaces (`\"` inside double quotes).
pub fn words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\\' && c == '"' {
                        if let Some(e) = chars.next() {
                            cur.push(e);
                        }
                        continue;
                    }
                    cur.push(d);
                }
                if !closed {
                    return Err(format!("unclosed quote {c}"));
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

fn num(s: &str) -> Result<i64, String> {
    s.parse::<i64>().map_err(|_| format!("not a number: {s}"))
}

fn op_num(w: &[String], what: &str) -> Result<(Op, i64), String> {
    match w {
        [op, n] => Ok((
            Op::parse(op).ok_or_else(|| format!("{what}: not a comparison: {op}"))?,
            num(n)?,
        )),
        _ => Err(format!(
            "{what} takes a comparison and a number (e.g. {what} >= 2)"
        )),
    }
}

/// What a command-log predicate looks for: one word, or the rest of the words joined.
fn text_arg(w: &[String], what: &str) -> Result<String, String> {
    if w.is_empty() {
        return Err(format!("{what} takes a text (e.g. {what} \"etcdctl put\")"));
    }
    Ok(w.join(" "))
}

impl Check {
    /// Reads one predicate (the words after `check:`).
    pub fn parse(text: &str) -> Result<Check, String> {
        let w = words(text)?;
        Self::from_words(&w)
    }

    fn from_words(w: &[String]) -> Result<Check, String> {
        let Some(first) = w.first() else {
            return Err("an empty check".to_string());
        };
        let rest = &w[1..];
        let s = |i: usize| rest.get(i).map(String::as_str);
        Ok(match first.as_str() {
            "not" => Check::Not(Box::new(Self::from_words(rest)?)),
            "key" => {
                let key = s(0).ok_or("key takes a key")?.to_string();
                let test = match (s(1), rest.len()) {
                    (Some("exists"), 2) => KeyTest::Exists,
                    (Some("absent"), 2) => KeyTest::Absent,
                    (Some("leased"), 2) => KeyTest::Leased,
                    (Some("=" | "=="), 3) => KeyTest::Value(rest[2].clone()),
                    (Some("version"), 4) => {
                        let (op, n) = op_num(&rest[2..], "version")?;
                        KeyTest::Version(op, n)
                    }
                    (Some("mod_revision"), 4) => {
                        let (op, n) = op_num(&rest[2..], "mod_revision")?;
                        KeyTest::ModRevision(op, n)
                    }
                    _ => return Err(format!(
                        "key {key}: expected exists, absent, leased, = VALUE, version OP N or mod_revision OP N"
                    )),
                };
                Check::Key(key, test)
            }
            "keys" => {
                let prefix = s(0).ok_or("keys takes a prefix")?.to_string();
                let (op, n) = op_num(&rest[1..], "keys PREFIX")?;
                Check::Keys(prefix, op, n)
            }
            "revision" => {
                let (op, n) = op_num(rest, "revision")?;
                Check::Revision(op, n)
            }
            "compacted" => {
                let (op, n) = op_num(rest, "compacted")?;
                Check::Compacted(op, n)
            }
            "v2" => {
                let key = s(0).ok_or("v2 takes a key")?.to_string();
                match (s(1), rest.len()) {
                    (Some("exists"), 2) => Check::V2(key, None, true),
                    (Some("absent"), 2) => Check::V2(key, None, false),
                    (Some("=" | "=="), 3) => Check::V2(key, Some(rest[2].clone()), true),
                    _ => return Err(format!("v2 {key}: expected exists, absent or = VALUE")),
                }
            }
            "leader" => match (s(0), rest.len()) {
                (Some("exists"), 1) => Check::LeaderExists(true),
                (Some("none"), 1) => Check::LeaderExists(false),
                (Some("changed"), 1) => Check::LeaderChanged,
                (Some("=" | "=="), 2) => Check::LeaderIs(rest[1].clone(), true),
                (Some("!="), 2) => Check::LeaderIs(rest[1].clone(), false),
                _ => {
                    return Err(
                        "leader: expected exists, none, changed, = NAME or != NAME".to_string()
                    )
                }
            },
            "term" => {
                let (op, n) = op_num(rest, "term")?;
                Check::Term(op, n)
            }
            "member" => {
                let name = s(0).ok_or("member takes a name")?.to_string();
                let test = match (s(1), rest.len()) {
                    (Some("up"), 2) => MemberTest::Up,
                    (Some("down"), 2) => MemberTest::Down,
                    (Some("present"), 2) => MemberTest::Present,
                    (Some("absent"), 2) => MemberTest::Absent,
                    (Some("learner"), 2) => MemberTest::Learner,
                    (Some("voter"), 2) => MemberTest::Voter,
                    (Some("behind"), 2) => MemberTest::Behind,
                    (Some("caught-up"), 2) => MemberTest::CaughtUp,
                    _ => return Err(format!(
                        "member {name}: expected up, down, present, absent, learner, voter, behind or caught-up"
                    )),
                };
                Check::Member(name, test)
            }
            "members" => {
                let (op, n) = op_num(rest, "members")?;
                Check::Members(op, n)
            }
            "learners" => {
                let (op, n) = op_num(rest, "learners")?;
                Check::Learners(op, n)
            }
            "link" => match rest {
                [a, b, state] if state == "cut" || state == "ok" => {
                    Check::Link(a.clone(), b.clone(), state == "cut")
                }
                _ => return Err("link: expected link A B cut|ok".to_string()),
            },
            "network" => match s(0) {
                Some("split") if rest.len() == 1 => Check::NetworkSplit(true),
                Some("whole") if rest.len() == 1 => Check::NetworkSplit(false),
                _ => return Err("network: expected split or whole".to_string()),
            },
            "leases" => {
                let (op, n) = op_num(rest, "leases")?;
                Check::Leases(op, n)
            }
            "jobs" => {
                let (op, n) = op_num(rest, "jobs")?;
                Check::Jobs(op, n)
            }
            "env" => match rest {
                [var, state] if state == "unset" => Check::Env(var.clone(), None),
                [var, eq, v] if eq == "=" || eq == "==" => Check::Env(var.clone(), Some(v.clone())),
                _ => return Err("env: expected env VAR = VALUE or env VAR unset".to_string()),
            },
            "file" => match rest {
                [p, state] if state == "exists" => Check::File(p.clone(), None, true),
                [p, state] if state == "absent" => Check::File(p.clone(), None, false),
                [p, state, t] if state == "contains" => {
                    Check::File(p.clone(), Some(t.clone()), true)
                }
                _ => return Err("file: expected file PATH exists|absent|contains TEXT".to_string()),
            },
            "lab" => match rest {
                [name] => Check::Lab(name.clone()),
                _ => return Err("lab: expected lab NAME".to_string()),
            },
            "ran" => Check::Ran(text_arg(rest, "ran")?),
            "succeeded" => Check::Succeeded(text_arg(rest, "succeeded")?),
            "failed" => Check::Failed(text_arg(rest, "failed")?),
            "printed" => Check::Printed(text_arg(rest, "printed")?),
            other => return Err(format!("unknown check: {other} (see lessons/README.md)")),
        })
    }

    /// Whether it holds now.
    pub fn holds(&self, scene: &Scene<'_>) -> bool {
        match self {
            Check::Not(c) => !c.holds(scene),
            Check::Key(key, test) => key_test(scene, key, test),
            Check::Keys(prefix, op, n) => {
                let Some(m) = scene.reader() else {
                    return false;
                };
                let p = prefix.as_bytes();
                let end = prefix_end(p);
                let r = m.sm.kv.range(
                    p,
                    end.as_deref().map_or(RangeEnd::Open, RangeEnd::Until),
                    RangeOptions {
                        count: true,
                        ..Default::default()
                    },
                );
                r.is_ok_and(|r| op.test(r.count, *n))
            }
            Check::Revision(op, n) => scene.reader().is_some_and(|m| op.test(m.sm.kv.rev(), *n)),
            Check::Compacted(op, n) => scene
                .reader()
                .is_some_and(|m| op.test(m.sm.kv.compact_rev(), *n)),
            Check::V2(key, value, exists) => v2_test(scene, key, value.as_deref(), *exists),
            Check::LeaderExists(yes) => scene.leader().is_some() == *yes,
            Check::LeaderIs(name, yes) => match scene.leader() {
                Some(l) => (l == *name) == *yes,
                None => !*yes,
            },
            Check::LeaderChanged => match scene.leader() {
                Some(l) => {
                    scene.start.leader.as_deref() != Some(l.as_str())
                        || scene.max_term() > scene.start.term
                }
                None => false,
            },
            Check::Term(op, n) => op.test(scene.max_term() as i64, *n),
            Check::Member(name, test) => member_test(scene, name, *test),
            Check::Members(op, n) => scene.config().is_some_and(|c| op.test(c.len() as i64, *n)),
            Check::Learners(op, n) => scene
                .config()
                .is_some_and(|c| op.test(c.values().filter(|l| **l).count() as i64, *n)),
            Check::Link(a, b, cut) => {
                let w = scene.pg.world();
                match (id_of(scene, a), id_of(scene, b)) {
                    (Some(x), Some(y)) => w.net().connected(x, y) != *cut,
                    _ => false,
                }
            }
            Check::NetworkSplit(split) => {
                let w = scene.pg.world();
                let ids = w.member_ids();
                let any_cut = ids
                    .iter()
                    .any(|a| ids.iter().any(|b| a != b && !w.net().connected(*a, *b)));
                any_cut == *split
            }
            Check::Leases(op, n) => scene
                .reader()
                .is_some_and(|m| op.test(m.sm.lessor.len() as i64, *n)),
            Check::Jobs(op, n) => op.test(scene.pg.jobs_running() as i64, *n),
            Check::Env(var, value) => {
                scene.pg.env().get(var).map(String::as_str) == value.as_deref()
            }
            Check::File(path, text, exists) => file_test(scene, path, text.as_deref(), *exists),
            Check::Lab(name) => scene.pg.lab().name() == name,
            Check::Ran(t) => scene.attempts.iter().any(|a| line_has(&a.line, t)),
            Check::Succeeded(t) => scene
                .attempts
                .iter()
                .any(|a| a.exit == 0 && line_has(&a.line, t)),
            Check::Failed(t) => scene
                .attempts
                .iter()
                .any(|a| a.exit != 0 && line_has(&a.line, t)),
            Check::Printed(t) => scene.attempts.iter().any(|a| a.output.contains(t.as_str())),
        }
    }
}

/// Whether a command line contains the text, with runs of spaces counted as one.
fn line_has(line: &str, text: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    norm(line).contains(&norm(text))
}

/// The end of etcd's `--prefix` range for `p` (None: every key from `p` on).
fn prefix_end(p: &[u8]) -> Option<Vec<u8>> {
    let mut end = p.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// What the lesson remembers of its start, for relative checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StartState {
    pub leader: Option<String>,
    pub term: u64,
}

/// What a check sees: the playground, the commands since the step began, the lesson's start.
pub struct Scene<'a> {
    pub pg: &'a Playground,
    pub attempts: &'a [Attempt],
    pub start: &'a StartState,
}

impl Scene<'_> {
    /// The running leader's name.
    pub fn leader(&self) -> Option<String> {
        let w = self.pg.world();
        let id = w.leader()?;
        w.member_name(id).map(str::to_string)
    }

    pub fn max_term(&self) -> u64 {
        let w = self.pg.world();
        w.member_ids()
            .into_iter()
            .filter_map(|id| w.member(id))
            .map(Member::term)
            .max()
            .unwrap_or(0)
    }

    /// The member whose applied state checks read: the leader, else the running member that
    /// applied the most.
    fn reader(&self) -> Option<&Member> {
        let w = self.pg.world();
        if let Some(m) = w.leader().and_then(|id| w.member(id)) {
            return Some(m);
        }
        w.member_ids()
            .into_iter()
            .filter_map(|id| w.member(id))
            .max_by_key(|m| m.applied)
    }

    /// The cluster's configuration as the reader applied it: name (or the ID in hex when it
    /// has not published one) → learner.
    fn config(&self) -> Option<BTreeMap<String, bool>> {
        let m = self.reader()?;
        Some(
            m.cluster_members()
                .into_iter()
                .map(|c| {
                    let name = if c.name.is_empty() {
                        format!("{:x}", c.id)
                    } else {
                        c.name
                    };
                    (name, c.is_learner)
                })
                .btree_map(),
        )
    }
}

/// A solution (or setup) line with its placeholders filled from the state, for what the
/// learner reads off an earlier answer, all in hexadecimal: `{id NAME}` is member NAME's ID
/// (or the one member added and not started yet), `{lease}` the newest lease's ID (the
/// highest), `{lease KEY}` the lease KEY is attached to. One that cannot be filled stays as
/// written (the command then fails and says why).
pub fn fill_placeholders(line: &str, pg: &Playground) -> String {
    let none = StartState::default();
    let scene = Scene {
        pg,
        attempts: &[],
        start: &none,
    };
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let value = match inner.split_whitespace().collect::<Vec<_>>().as_slice() {
            // (a member added but not started yet: the one the cluster knows and no slot runs,
            // which `start NAME` would start)
            ["id", name] => id_of(&scene, name)
                .or_else(|| match pg.world().added_not_started().as_slice() {
                    [one] => Some(one.id),
                    _ => None,
                })
                .map(|id| format!("{id:x}")),
            ["lease", key] => scene
                .reader()
                .map(|m| m.sm.lessor.get_lease(key.as_bytes()))
                .filter(|id| *id != 0)
                .map(|id| format!("{id:x}")),
            ["lease"] => scene
                .reader()
                .and_then(|m| m.sm.lessor.leases().iter().map(|l| l.id).max())
                .map(|id| format!("{id:x}")),
            _ => None,
        };
        out.push_str(&rest[..open]);
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn id_of(scene: &Scene<'_>, name: &str) -> Option<u64> {
    let w = scene.pg.world();
    w.member_ids()
        .into_iter()
        .find(|id| w.member_name(*id) == Some(name))
}

fn key_test(scene: &Scene<'_>, key: &str, test: &KeyTest) -> bool {
    let Some(m) = scene.reader() else {
        return false;
    };
    let kv =
        m.sm.kv
            .range(key.as_bytes(), RangeEnd::Single, RangeOptions::default())
            .ok()
            .and_then(|r| r.kvs.into_iter().next());
    match (test, kv) {
        (KeyTest::Absent, kv) => kv.is_none(),
        (_, None) => false,
        (KeyTest::Exists, Some(_)) => true,
        (KeyTest::Value(v), Some(kv)) => kv.value == v.as_bytes(),
        (KeyTest::Version(op, n), Some(kv)) => op.test(kv.version, *n),
        (KeyTest::ModRevision(op, n), Some(kv)) => op.test(kv.mod_revision, *n),
        (KeyTest::Leased, Some(kv)) => kv.lease != 0,
    }
}

fn v2_test(scene: &Scene<'_>, key: &str, value: Option<&str>, exists: bool) -> bool {
    let Some(m) = scene.reader() else {
        return false;
    };
    let found = m.sm.v2.peek(key);
    match (exists, value, found) {
        (false, _, found) => found.is_none(),
        (true, None, found) => found.is_some(),
        (true, Some(v), Some(Some(got))) => got == v,
        _ => false,
    }
}

fn member_test(scene: &Scene<'_>, name: &str, test: MemberTest) -> bool {
    let w = scene.pg.world();
    let id = id_of(scene, name);
    let running = id.and_then(|id| w.member(id));
    let config = scene.config().unwrap_or_default();
    let leader_commit = w
        .leader()
        .and_then(|l| w.member(l))
        .map(|l| l.node.raft.raft_log.committed);
    match test {
        MemberTest::Up => running.is_some(),
        MemberTest::Down => running.is_none(),
        MemberTest::Present => config.contains_key(name),
        MemberTest::Absent => !config.contains_key(name),
        MemberTest::Learner => config.get(name) == Some(&true),
        MemberTest::Voter => config.get(name) == Some(&false),
        MemberTest::Behind => match (running, leader_commit) {
            (Some(m), Some(c)) => m.applied < c,
            _ => false,
        },
        MemberTest::CaughtUp => match (running, leader_commit) {
            (Some(m), Some(c)) => m.applied >= c,
            _ => false,
        },
    }
}

fn file_test(scene: &Scene<'_>, path: &str, text: Option<&str>, exists: bool) -> bool {
    let data = file_data(scene, path);
    match (exists, text, data) {
        (false, _, d) => d.is_none(),
        (true, None, d) => d.is_some(),
        (true, Some(t), Some(d)) => String::from_utf8_lossy(&d).contains(t),
        _ => false,
    }
}

/// A file's bytes (a folder's: empty): on the node in a node lab, else in the console's
/// working directory.
#[cfg(not(feature = "lite"))]
fn file_data(scene: &Scene<'_>, path: &str) -> Option<Vec<u8>> {
    let parts: Vec<String> = path
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    match scene.pg.node() {
        Some(node) => node
            .fs
            .read(&parts)
            .ok()
            .map(<[u8]>::to_vec)
            .or_else(|| node.fs.is_dir(&parts).then(Vec::new)),
        None => scene.pg.files().get(path.trim_start_matches("./")).cloned(),
    }
}

/// The page's first-visit module has no node labs: the console's working directory.
#[cfg(feature = "lite")]
fn file_data(scene: &Scene<'_>, path: &str) -> Option<Vec<u8>> {
    scene.pg.files().get(path.trim_start_matches("./")).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_from_the_state() {
        let mut pg = Playground::new(1);
        assert_eq!(
            fill_placeholders("promote {id infra3} {lease} {nope} {id", &pg),
            "promote fd422379fda50e48 {lease} {nope} {id"
        );
        pg.run("etcdctl lease grant 60", None);
        let first = fill_placeholders("{lease}", &pg);
        assert!(u64::from_str_radix(&first, 16).is_ok(), "{first}");
        pg.run(&format!("etcdctl put --lease={first} k v"), None);
        pg.run("etcdctl lease grant 60", None);
        assert_ne!(fill_placeholders("{lease}", &pg), first, "the newest");
        assert_eq!(fill_placeholders("{lease k}", &pg), first);
        assert_eq!(fill_placeholders("{lease other}", &pg), "{lease other}");
        // a member added and not started yet
        pg.run(
            "etcdctl member add infra4 --learner --peer-urls=http://127.0.0.1:42380",
            None,
        );
        let id = fill_placeholders("{id infra4}", &pg);
        assert!(!id.contains('{') && id.len() == 16, "{id}");
    }

    #[test]
    fn parses_the_vocabulary() {
        for ok in [
            "key foo = bar",
            "key \"a b\" = 'c d'",
            "key foo version >= 2",
            "not key foo exists",
            "keys /registry/pods/ > 3",
            "leader changed",
            "leader = infra3",
            "member infra2 behind",
            "link infra1 infra2 cut",
            "network whole",
            "env ETCDCTL_API = 2",
            "file /opt/snap.db exists",
            "ran etcdctl put",
            "printed \"required revision has been compacted\"",
        ] {
            Check::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "",
            "key",
            "key foo is bar",
            "leader maybe",
            "revision about 3",
            "term >= x",
            "printed",
            "frobnicate",
            "key \"unclosed",
        ] {
            assert!(Check::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn line_match_ignores_spacing() {
        assert!(line_has("etcdctl   put  foo bar", "put foo"));
        assert!(!line_has("etcdctl get foo", "put foo"));
    }
}
