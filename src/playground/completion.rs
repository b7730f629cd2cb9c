//! Tab completion of a whole console line: the program word (etcdctl, the shell builtins and
//! the playground's own commands), member names after `stop`/`start`/`partition`, and
//! everything after `etcdctl` through [`crate::etcdctl::complete`].
//!
//! Only the last word of the line is completed, as a shell does with the cursor at the end.
//! The line is extended as far as every candidate agrees; when one candidate is left, it is
//! completed with a trailing space. Owns: nothing but the answer. Must not touch: the world.

use std::collections::BTreeMap;

use crate::etcdctl::{complete, shell};

/// The commands a console line can start with, besides the `etcdctl` spellings.
pub const PROGRAMS: &[&str] = &[
    "advance",
    "cut",
    "docker",
    "etcdctl",
    "export",
    "heal",
    "help",
    "hints",
    "jobs",
    "kill",
    "kubectl",
    "latency",
    "load",
    "loss",
    "partition",
    "quota",
    "requests",
    "start",
    "stop",
    "unset",
];

/// What Tab does to a line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The line after completion (the same line when there is nothing to add).
    pub line: String,
    /// The candidates when more than one remains (shown under the input); empty otherwise.
    pub candidates: Vec<String>,
}

/// Completes the last word of `line`. `env` is the console environment (`ETCDCTL_API` picks
/// the v2 or v3 command set) and `members` the members' names.
pub fn complete(line: &str, env: &BTreeMap<String, String>, members: &[String]) -> Completion {
    complete_for(line, env, members, super::EtcdVersion::default())
}

/// [`complete`] with etcdctl release `v`'s commands and flags.
pub fn complete_for(
    line: &str,
    env: &BTreeMap<String, String>,
    members: &[String],
    v: super::EtcdVersion,
) -> Completion {
    let unchanged = Completion {
        line: line.to_string(),
        candidates: Vec::new(),
    };
    // the word under the cursor runs from the last blank to the end of the line
    let start = line
        .rfind(|c: char| c.is_ascii_whitespace())
        .map(|i| i + 1)
        .unwrap_or(0);
    let (head, current) = line.split_at(start);
    if current.contains(['"', '\'', '\\', '$']) {
        return unchanged;
    }
    let Ok(parsed) = shell::split(head) else {
        return unchanged;
    };
    let (assign, words) = shell::split_assignments(&parsed.words);
    let candidates: Vec<String> = match words.split_first() {
        None => {
            if current.contains('=') {
                return unchanged;
            }
            let mut v: Vec<String> = PROGRAMS.iter().map(|p| p.to_string()).collect();
            if current.starts_with('.') || current.starts_with('/') {
                v = vec!["./etcdctl".into(), "/usr/local/bin/etcdctl".into()];
            }
            v.retain(|p| p.starts_with(current));
            v
        }
        Some((prog, args)) if prog == "etcdctl" || prog.ends_with("/etcdctl") => {
            let api = assign
                .iter()
                .rev()
                .find(|(k, _)| k == "ETCDCTL_API")
                .map(|(_, v)| v.as_str())
                .or_else(|| env.get("ETCDCTL_API").map(|s| s.as_str()))
                .unwrap_or("");
            complete::candidates(args, current, api, v)
        }
        Some((prog, args)) => match prog.as_str() {
            "stop" | "start" if args.is_empty() => starting_with(members, current),
            "partition" => starting_with(members, current),
            "cut" | "heal" | "loss" | "latency" if args.len() < 2 => {
                starting_with(members, current)
            }
            "hints" | "requests" if args.is_empty() => {
                starting_with(&["on".into(), "off".into()], current)
            }
            "load" if args.is_empty() => starting_with(&["k8s".into()], current),
            "load" if args.len() == 1 => starting_with(&["large".into()], current),
            "unset" => starting_with(&env.keys().cloned().collect::<Vec<_>>(), current),
            _ => Vec::new(),
        },
    };
    match candidates.as_slice() {
        [] => unchanged,
        [only] => Completion {
            line: format!("{head}{only} "),
            candidates: Vec::new(),
        },
        many => {
            let common = common_prefix(many);
            Completion {
                line: format!(
                    "{head}{}",
                    if common.len() > current.len() {
                        common
                    } else {
                        current
                    }
                ),
                candidates: many.to_vec(),
            }
        }
    }
}

fn starting_with(options: &[String], current: &str) -> Vec<String> {
    options
        .iter()
        .filter(|o| o.starts_with(current))
        .cloned()
        .collect()
}

/// The longest prefix every candidate shares (on character boundaries).
fn common_prefix(words: &[String]) -> &str {
    let Some(first) = words.first() else {
        return "";
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map(|((i, a), _)| i + a.len_utf8())
            .unwrap_or(0)
            .min(end);
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["infra1".into(), "infra2".into(), "infra3".into()]
    }

    fn tab(line: &str) -> Completion {
        complete(line, &BTreeMap::new(), &names())
    }

    #[test]
    fn a_single_candidate_completes_with_a_space() {
        assert_eq!(tab("etcd").line, "etcdctl ");
        assert_eq!(tab("etcdctl pu").line, "etcdctl put ");
        assert_eq!(
            tab("etcdctl get foo --pre").line,
            "etcdctl get foo --prefix "
        );
        assert_eq!(tab("./etcdctl member li").line, "./etcdctl member list ");
        assert_eq!(
            tab("ETCDCTL_API=3 etcdctl ver").line,
            "ETCDCTL_API=3 etcdctl version "
        );
    }

    #[test]
    fn several_candidates_extend_to_what_they_share_and_are_listed() {
        let c = tab("etcdctl l");
        assert_eq!(c.line, "etcdctl l");
        assert_eq!(c.candidates, vec!["lease", "lock"]);
        let c = tab("stop inf");
        assert_eq!(c.line, "stop infra");
        assert_eq!(c.candidates, names());
        let c = tab("etcdctl endpoint ");
        assert_eq!(c.candidates, vec!["hashkv", "health", "status"]);
        assert_eq!(c.line, "etcdctl endpoint ");
        let c = tab("etcdctl endpoint h");
        assert_eq!(c.line, "etcdctl endpoint h");
    }

    #[test]
    fn the_api_comes_from_the_environment_or_the_prefix() {
        let mut env = BTreeMap::new();
        env.insert("ETCDCTL_API".to_string(), "2".to_string());
        assert_eq!(complete("etcdctl mk", &env, &names()).line, "etcdctl mk");
        assert_eq!(
            complete("etcdctl mk", &env, &names()).candidates,
            vec!["mk", "mkdir"]
        );
        assert_eq!(
            complete("etcdctl ls", &BTreeMap::new(), &names()).line,
            "etcdctl ls"
        );
        assert_eq!(
            tab("ETCDCTL_API=2 etcdctl cluster-h").line,
            "ETCDCTL_API=2 etcdctl cluster-health "
        );
    }

    #[test]
    fn nothing_to_do_leaves_the_line() {
        for line in [
            "",
            "etcdctl put 'a b",
            "frobnicate x",
            "etcdctl get \"fo",
            "echo $HO",
            "ü",
        ] {
            let c = tab(line);
            if line.is_empty() {
                assert_eq!(c.candidates.len(), PROGRAMS.len());
            } else {
                assert_eq!(c.line, line, "{line}");
            }
        }
    }

    #[test]
    fn common_prefix_respects_characters() {
        assert_eq!(common_prefix(&["äb".into(), "äc".into()]), "ä");
        assert_eq!(common_prefix(&["x".into(), "y".into()]), "");
    }
}
