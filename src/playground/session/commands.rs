//! The console lines the page's buttons run. A click is shown, stored and replayed like a
//! typed line, so it becomes one; names and values in it are data, never shell text: every
//! word is quoted as the console's shell needs, so a member called
//! `$'evil\netcdctl del "" --prefix\n#'` stays one word of one command (issue 23) and a name
//! with spaces still reaches its member.
//!
//! Owns: [`ClusterOp`] and the lines it makes. Must not touch: what the lines do (the
//! playground's commands and etcdctl).

use super::cluster_model::{others, ClusterModel, MemberModel};
use crate::sim::DEFAULT_MEMBERS;

/// A button on the cluster: a member's strip or a link's panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterOp {
    /// Crash a member (its disk is kept).
    Stop(String),
    /// Restart a member from its disk.
    Start(String),
    /// Cut a member off from every other.
    Isolate(String),
    /// Move the leadership to a member.
    Lead(String),
    /// Read every key from a member's own store (serializable).
    ReadLocal(String),
    /// Cut the one link between two members.
    Cut(String, String),
    /// Mend that link.
    Mend(String, String),
    /// Remove every partition and cut link.
    HealAll,
    /// A link's own latency, as typed (ms).
    LinkLatency(String, String, String),
    /// A link's own loss, as typed (%).
    LinkLoss(String, String, String),
}

impl ClusterOp {
    /// The console line this button runs in the world `model` shows (`None`: nothing to run,
    /// e.g. no leader to move the leadership from).
    pub fn line(&self, model: &ClusterModel) -> Option<String> {
        let q = quote;
        Some(match self {
            ClusterOp::Stop(n) => format!("stop {}", q(n)),
            ClusterOp::Start(n) => format!("start {}", q(n)),
            ClusterOp::Isolate(n) => isolate_command(&model.members, n),
            ClusterOp::Lead(n) => return move_leader_command(model, n),
            ClusterOp::ReadLocal(n) => return read_local_command(n),
            ClusterOp::Cut(a, b) => format!("cut {} {}", q(a), q(b)),
            ClusterOp::Mend(a, b) => format!("heal {} {}", q(a), q(b)),
            ClusterOp::HealAll => "heal".to_string(),
            ClusterOp::LinkLatency(a, b, v) => value_line("latency", a, b, v),
            ClusterOp::LinkLoss(a, b, v) => value_line("loss", a, b, v),
        })
    }
}

/// `latency A B V` / `loss A B V` (an empty value is left out, so the command says its usage).
fn value_line(cmd: &str, a: &str, b: &str, v: &str) -> String {
    let v = v.trim();
    let mut line = format!("{cmd} {} {}", quote(a), quote(b));
    if !v.is_empty() {
        line.push(' ');
        line.push_str(&quote(v));
    }
    line
}

/// The client URL of a member of the default cluster.
pub fn client_url(name: &str) -> Option<&'static str> {
    DEFAULT_MEMBERS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, c, _)| *c)
}

/// `partition NAME | OTHER…`
pub fn isolate_command(members: &[MemberModel], name: &str) -> String {
    let rest: Vec<String> = others(members, name).iter().map(|o| quote(o)).collect();
    format!("partition {} | {}", quote(name), rest.join(" "))
}

/// `etcdctl --endpoints=LEADER move-leader ID` (the leader must be asked), or `None` without one.
pub fn move_leader_command(model: &ClusterModel, name: &str) -> Option<String> {
    let leader = model.leader()?;
    let target = model.member(name)?;
    let url = client_url(&leader.name)?;
    Some(format!(
        "etcdctl --endpoints={url} move-leader {:x}",
        target.id
    ))
}

/// A serializable read of every key, answered by that member from its own store.
pub fn read_local_command(name: &str) -> Option<String> {
    let url = client_url(name)?;
    Some(format!(
        "etcdctl --endpoints={url} get \"\" --prefix --consistency=s"
    ))
}

/// One word as the console's shell reads it back exactly: bare when it is plain, in single
/// quotes when it has no quote or control character, else in `$'…'` with escapes (so the
/// line never holds a newline, a `#`, `&`, `|` or `<<` the shell would act on).
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    if word.is_empty() {
        return "\"\"".to_string();
    }
    if !word.chars().any(|c| c == '\'' || c.is_control()) {
        return format!("'{word}'");
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::etcdctl::shell;

    #[test]
    fn a_quoted_word_reads_back_as_itself() {
        let words = [
            "infra1",
            "",
            "my member",
            "evil\netcdctl del \"\" --prefix\n#",
            "it's",
            "a\\b",
            "x & y",
            "#comment",
            "a<<EOF",
            "$HOME",
            "tab\there",
            "bell\x07\u{85}",
            "ключ",
            "'",
            "\\",
        ];
        for w in words {
            let line = format!("stop {} x", quote(w));
            assert!(!line.contains('\n'), "{line:?}");
            let parsed = shell::split(&line).expect("parses");
            assert_eq!(parsed.words, ["stop", w, "x"], "{line:?}");
            assert_eq!(parsed.heredoc, None);
            assert_eq!(parsed.comment, None);
        }
    }

    #[test]
    fn plain_names_read_as_before() {
        let w = crate::sim::World::new(1);
        let m = ClusterModel::from_world(&w);
        let line = |op: ClusterOp| op.line(&m).unwrap();
        assert_eq!(line(ClusterOp::Stop("infra1".into())), "stop infra1");
        assert_eq!(
            line(ClusterOp::Isolate("infra3".into())),
            "partition infra3 | infra1 infra2"
        );
        assert_eq!(
            line(ClusterOp::LinkLatency(
                "infra1".into(),
                "infra2".into(),
                " 250 ".into()
            )),
            "latency infra1 infra2 250"
        );
        assert_eq!(line(ClusterOp::HealAll), "heal");
        assert_eq!(
            line(ClusterOp::Mend("infra1".into(), "infra2".into())),
            "heal infra1 infra2"
        );
    }
}
