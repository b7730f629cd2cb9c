//! The hint for etcd's two keyspaces: etcd 3.4 keeps the v2 keys (`ETCDCTL_API=2`) and the
//! v3 keys apart, so a key written with one API is not found with the other. When an
//! `etcdctl get KEY` finds nothing under the API in force and the key does exist in the other
//! keyspace, the console says so (and only then: a key missing from both gets no hint).
//!
//! Owns: recognising such a `get` and the hint's text. Must not touch: etcdctl's output (the
//! hint is a dim line beside it, never part of it); reads go through the session's client
//! surface (a serializable read of the member the keyspace panel reads).

use std::collections::BTreeMap;

use super::Session;
use crate::api::RangeRequest;
use crate::process::Output;

/// An `etcdctl get KEY` line: the API it ran under (2 or 3) and the key as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GetLine {
    pub api: u8,
    pub key: String,
}

/// etcdctl's flags that take their value as the next word (`-w json`, `--endpoints X`).
const VALUE_FLAGS: [&str; 16] = [
    "-w",
    "--write-out",
    "--endpoints",
    "--user",
    "--password",
    "--cacert",
    "--cert",
    "--key",
    "--dial-timeout",
    "--command-timeout",
    "--rev",
    "--limit",
    "--sort-by",
    "--order",
    "--consistency",
    "-o",
];

/// Recognises `[NAME=VALUE ...] etcdctl [flags] get KEY [flags]` (also `./etcdctl`), with
/// the API in force (`ETCDCTL_API` before the command, else the exported one, else 3).
/// Anything else (a pipe, a prefix or range read, another program) is `None`.
pub(super) fn get_line(line: &str, env: &BTreeMap<String, String>) -> Option<GetLine> {
    let words = crate::etcdctl::shell::split(line).ok()?.words;
    let mut api = env.get("ETCDCTL_API").cloned();
    let mut rest = words.as_slice();
    while let Some((first, more)) = rest.split_first() {
        match first.split_once('=') {
            Some((name, value)) if !name.is_empty() && !name.starts_with('-') => {
                if name == "ETCDCTL_API" {
                    api = Some(value.to_string());
                }
                rest = more;
            }
            _ => break,
        }
    }
    let (program, args) = rest.split_first()?;
    if program != "etcdctl" && !program.ends_with("/etcdctl") {
        return None;
    }
    let mut positional = Vec::new();
    let mut skip_value = false;
    for a in args {
        if skip_value {
            skip_value = false;
            continue;
        }
        if a == "|" || a == "&" || a == "--prefix" || a == "--from-key" || a.contains('|') {
            return None;
        }
        if a.starts_with('-') {
            skip_value = !a.contains('=') && VALUE_FLAGS.contains(&a.as_str());
            continue;
        }
        positional.push(a.as_str());
    }
    match positional.as_slice() {
        ["get", key] if !key.is_empty() => Some(GetLine {
            api: if api.as_deref() == Some("2") { 2 } else { 3 },
            key: key.to_string(),
        }),
        _ => None,
    }
}

/// Whether `out` is that get finding nothing: v3 prints nothing and exits 0; v2 says
/// `Error:  100: Key not found`.
pub(super) fn found_nothing(get: &GetLine, out: &Output) -> bool {
    if get.api == 2 {
        out.stderr.contains("100: Key not found")
    } else {
        out.exit == 0 && out.stdout.is_empty() && out.stderr.is_empty()
    }
}

/// The v2 path a v3 key would be written at with the v2 API (`foo` and `/foo` are `/foo`).
fn v2_path(key: &str) -> String {
    format!("/{}", key.trim_start_matches('/'))
}

/// The v3 keys a learner may have meant by a v2 key: as typed, and with or without the
/// leading `/` the v2 API adds.
fn v3_keys(key: &str) -> Vec<String> {
    let bare = key.trim_start_matches('/');
    let mut keys: Vec<String> = Vec::new();
    for k in [key.to_string(), format!("/{bare}"), bare.to_string()] {
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

impl Session {
    /// The etcdctl API the console's exported `ETCDCTL_API` selects (2 or 3; 3 unless it
    /// is `2`, as etcdctl 3.4 decides).
    pub fn api_version(&self) -> u8 {
        if self.playground.env().get("ETCDCTL_API").map(String::as_str) == Some("2") {
            2
        } else {
            3
        }
    }

    /// The hint under a `get` that found nothing when the key is in the other keyspace.
    pub(super) fn api_hint(&mut self, line: &str, out: &Output) -> Option<String> {
        let get = get_line(line, self.playground.env())?;
        if !found_nothing(&get, out) {
            return None;
        }
        let key = &get.key;
        if get.api == 3 {
            let path = v2_path(key);
            self.v2_get(&path, false).ok()?;
            Some(format!(
                "hint: `{key}` is not a v3 key, but {path} exists in the v2 keyspace: etcd keeps the v2 and v3 keys apart, and etcdctl 3.4 speaks v3 unless ETCDCTL_API=2. Read it with `ETCDCTL_API=2 etcdctl get {key}`."
            ))
        } else {
            let found = v3_keys(key).into_iter().find(|k| self.v3_count(k) > 0)?;
            Some(format!(
                "hint: `{key}` is not a v2 key, but {found} exists in the v3 keyspace: etcd keeps the v2 and v3 keys apart, and ETCDCTL_API=2 reads only the v2 ones. Read it with `ETCDCTL_API=3 etcdctl get {found}`."
            ))
        }
    }

    /// How many v3 keys equal `key` (0 or 1; 0 when no member answers).
    fn v3_count(&mut self, key: &str) -> i64 {
        self.range(RangeRequest {
            key: key.as_bytes().to_vec(),
            keys_only: true,
            serializable: true,
            ..Default::default()
        })
        .map_or(0, |(kvs, _)| kvs.len() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints_of(s: &Session) -> Vec<String> {
        s.entries()
            .last()
            .map(|e| e.hints.clone())
            .unwrap_or_default()
    }

    fn two_keyspaces(h: &[String]) -> bool {
        h.iter()
            .any(|h| h.contains("keeps the v2 and v3 keys apart"))
    }

    #[test]
    fn recognises_a_get_and_the_api_in_force() {
        let env = BTreeMap::new();
        let g = |l: &str| get_line(l, &env);
        assert_eq!(g("etcdctl get foo").map(|g| g.api), Some(3));
        assert_eq!(
            g("ETCDCTL_API=2 etcdctl get /foo").map(|g| (g.api, g.key)),
            Some((2, "/foo".into()))
        );
        assert_eq!(
            g("./etcdctl -w json --endpoints x get 'a b'").map(|g| g.key),
            Some("a b".into())
        );
        assert_eq!(g("etcdctl get foo --prefix"), None);
        assert_eq!(g("etcdctl get a b"), None);
        assert_eq!(g("etcdctl put foo bar"), None);
        assert_eq!(g("etcdctl get foo | grep x"), None);
        assert_eq!(g("kubectl get pods"), None);
        assert_eq!(g("etcdctl get 'unterminated"), None);
        assert_eq!(g(""), None);
        let v2: BTreeMap<String, String> = [("ETCDCTL_API".to_string(), "2".to_string())].into();
        assert_eq!(get_line("etcdctl get foo", &v2).map(|g| g.api), Some(2));
        assert_eq!(
            get_line("ETCDCTL_API=3 etcdctl get foo", &v2).map(|g| g.api),
            Some(3)
        );
    }

    #[test]
    fn a_v2_key_read_with_v3_gets_the_hint_only_when_it_exists_in_v2() {
        let mut s = Session::new(1);
        s.run_line("etcdctl get foo");
        assert!(
            !two_keyspaces(&hints_of(&s)),
            "in neither keyspace: no hint"
        );
        s.run_line("ETCDCTL_API=2 etcdctl set foo bar");
        s.run_line("etcdctl get foo");
        let h = hints_of(&s);
        assert!(two_keyspaces(&h), "{h:?}");
        assert!(
            h.iter()
                .any(|h| h.contains("ETCDCTL_API=2 etcdctl get foo")),
            "{h:?}"
        );
        // found in v3 too: the read answered, no hint
        s.run_line("etcdctl put foo v3");
        s.run_line("etcdctl get foo");
        assert!(!two_keyspaces(&hints_of(&s)));
        // `hints off` silences it
        s.run_line("etcdctl del foo");
        s.run_line("hints off");
        s.run_line("etcdctl get foo");
        assert!(hints_of(&s).is_empty());
    }

    #[test]
    fn a_v3_key_read_with_v2_gets_the_hint_only_when_it_exists_in_v3() {
        let mut s = Session::new(1);
        s.run_line("export ETCDCTL_API=2");
        s.run_line("etcdctl get bar");
        assert!(s
            .entries()
            .last()
            .unwrap()
            .output
            .stderr
            .contains("Key not found"));
        assert!(
            !two_keyspaces(&hints_of(&s)),
            "in neither keyspace: no hint"
        );
        s.run_line("ETCDCTL_API=3 etcdctl put bar 1");
        s.run_line("etcdctl get bar");
        let h = hints_of(&s);
        assert!(two_keyspaces(&h), "{h:?}");
        assert!(
            h.iter()
                .any(|h| h.contains("ETCDCTL_API=3 etcdctl get bar")),
            "{h:?}"
        );
        // a v3 key with the leading slash the v2 API adds
        s.run_line("ETCDCTL_API=3 etcdctl put /registry/x 1");
        s.run_line("etcdctl get registry/x");
        assert!(hints_of(&s)
            .iter()
            .any(|h| h.contains("/registry/x exists in the v3")));
    }

    #[test]
    fn the_hint_is_the_same_in_a_replay() {
        let mut a = Session::new(1);
        a.run_line("ETCDCTL_API=2 etcdctl set foo bar");
        a.run_line("etcdctl get foo");
        let mut b = Session::new(1);
        b.replay(a.inputs.clone());
        assert_eq!(hints_of(&a), hints_of(&b));
        assert_eq!(a.now_ms(), b.now_ms());
    }
}
