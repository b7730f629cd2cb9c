//! Share links (issue 16): a link replays to the same state; a bad link is a sentence, not a
//! panic.

use super::share::{decode, encode, Shared, TooLong, MAX_INPUTS, MAX_SHARED_MS, PREFIX};
use super::*;
use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;

/// What two sessions must agree on: every key with its revisions, the members, the clock.
fn fingerprint(s: &mut Session) -> String {
    let members: Vec<String> = s
        .world()
        .member_views()
        .iter()
        .map(|m| format!("{} {} {}", m.name, m.running, m.last_index))
        .collect();
    let now = s.now_ms();
    let mut run = |l: &str| {
        let o = s.playground_mut().run(l, None);
        format!("{}{}", o.stdout, o.stderr)
    };
    let keys = run("etcdctl --endpoints=127.0.0.1:22379 get '' --prefix -w json");
    let status = run("etcdctl --endpoints=127.0.0.1:22379 endpoint status --cluster -w table");
    format!("{now}\n{members:?}\n{keys}\n{status}")
}

fn session_with(lines: &[&str]) -> Session {
    let mut s = Session::fresh_page();
    for l in lines {
        s.run_line(l);
        s.pass(std::time::Duration::from_millis(700));
    }
    s
}

#[test]
fn a_link_replays_to_the_same_state() {
    let mut s = session_with(&[
        "etcdctl put config/mode fast",
        "etcdctl put config/mode safe",
        "etcdctl lease grant 30",
        "stop infra1",
        "advance 3s",
        "etcdctl --endpoints=127.0.0.1:22379 put after-stop yes",
        "etcdctl --endpoints=127.0.0.1:22379 del config/mode",
    ]);
    s.pass(std::time::Duration::from_millis(1234));
    let link = encode(&s.to_shared(s.inputs.clone())).expect("short enough");
    assert!(
        link.starts_with(PREFIX) && link.len() < 2000,
        "{}",
        link.len()
    );
    let shared = decode(&link).expect("decodes");
    let mut opened = Session::from_shared(&shared);
    assert_eq!(opened.now_ms(), s.now_ms());
    let (a, b) = (fingerprint(&mut s), fingerprint(&mut opened));
    assert_eq!(a, b);
    // (after-stop, base64 in -w json)
    assert!(
        a.contains("YWZ0ZXItc3RvcA") && a.contains("infra1 false"),
        "{a}"
    );
    // the opened console shows the commands that ran
    assert!(opened
        .entries()
        .iter()
        .any(|e| e.line == "etcdctl put config/mode safe" && e.output.stdout == "OK\n"));
}

#[test]
fn a_lab_link_opens_in_its_lab() {
    let mut s = Session::fresh_lab(LabKind::Kubeadm);
    s.run_line("kubectl delete deploy nginx");
    let shared = decode(&encode(&s.to_shared(s.inputs.clone())).unwrap()).unwrap();
    let mut opened = Session::from_shared(&shared);
    assert_eq!(opened.lab(), LabKind::Kubeadm);
    let out = opened.playground_mut().run("kubectl get deploy", None);
    let before = s.playground_mut().run("kubectl get deploy", None);
    assert_eq!(out, before);
}

#[test]
fn a_link_carries_its_etcd_release() {
    let mut s = Session::fresh_lab_version(LabKind::Local, EtcdVersion::V3_5_1);
    s.run_line("etcdctl put foo v35");
    let link = encode(&s.to_shared(s.inputs.clone())).unwrap();
    let shared = decode(&link).unwrap();
    assert_eq!(shared.etcd.as_deref(), Some("3.5.1"));
    assert_eq!(shared.etcd_version(), EtcdVersion::V3_5_1);
    let mut opened = Session::from_shared(&shared);
    assert!(s.share_link(s.inputs().to_vec()).is_ok());
    assert_eq!(fingerprint(&mut s), fingerprint(&mut opened));
    let version = opened.playground_mut().run("etcdctl version", None);
    assert_eq!(version.stdout, "etcdctl version: 3.5.1\nAPI version: 3.5\n");
    // a 3.4 link names no release: the same bytes as before releases existed
    let s34 = session_with(&["etcdctl put foo v34"]);
    let shared = s34.to_shared(s34.inputs.clone());
    assert_eq!(shared.etcd, None);
    let json = serde_json::to_string(&shared).unwrap();
    assert!(!json.contains("etcd\""), "{json}");
}

#[test]
fn a_link_made_before_releases_opens_as_3_4() {
    // the JSON of a link from before `etcd` existed
    let old = serde_json::json!({
        "lab": "local",
        "seed": DEFAULT_SEED,
        "inputs": [{"line": "etcdctl put foo old", "at_ms": 10}],
        "at_ms": 10,
    });
    let packed = miniz_oxide::deflate::compress_to_vec(&serde_json::to_vec(&old).unwrap(), 9);
    use base64::Engine;
    let link = format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    );
    let shared = decode(&link).unwrap();
    assert_eq!(shared.etcd_version(), EtcdVersion::V3_4_23);
    let mut opened = Session::from_shared(&shared);
    assert_eq!(
        opened.playground_mut().run("etcdctl version", None).stdout,
        "etcdctl version: 3.4.23\nAPI version: 3.4\n"
    );
    let foo = opened
        .playground_mut()
        .run("etcdctl get foo --print-value-only", None);
    assert_eq!(foo.stdout, "old\n");
}

#[test]
fn bad_links_say_why() {
    let s = session_with(&["etcdctl put a 1"]);
    let link = encode(&s.to_shared(s.inputs.clone())).unwrap();
    let cases = [
        ("#share=2.abc".to_string(), "another version"),
        ("#nothing".to_string(), "not a share link"),
        (format!("{PREFIX}!!!"), "not base64"),
        (link[..link.len() - 6].to_string(), "damaged or incomplete"),
        (format!("{PREFIX}AAAA"), "does not decompress"),
    ];
    for (l, why) in cases {
        let e = decode(&l).unwrap_err();
        assert!(e.contains(why), "{l}: {e}");
    }
    // every one-character change is caught or still a valid session: never a panic
    for i in PREFIX.len()..link.len() {
        let mut b = link.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let _ = decode(&String::from_utf8(b).unwrap());
    }
}

fn link_of(shared: &Shared) -> String {
    // encoded without the checks encode() makes, as a forger would
    let json = serde_json::to_vec(shared).unwrap();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 6);
    use base64::Engine;
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

#[test]
fn forged_links_are_refused_before_anything_runs() {
    let rec = |line: &str, at: u64| InputRecord {
        line: line.into(),
        stdin: None,
        at_ms: Some(at),
        ..Default::default()
    };
    let base = Shared {
        lab: "local".into(),
        etcd: None,
        seed: DEFAULT_SEED,
        inputs: vec![rec("etcdctl put a 1", 10)],
        at_ms: 10,
        lesson: None,
        lesson_done: 0,
    };
    let forged = [
        (
            Shared {
                lab: "cloud".into(),
                ..base.clone()
            },
            "lab",
        ),
        (
            Shared {
                at_ms: u64::MAX,
                ..base.clone()
            },
            "past a day",
        ),
        (
            Shared {
                at_ms: 5,
                ..base.clone()
            },
            "before its last input",
        ),
        (
            Shared {
                inputs: vec![rec("# a", 20), rec("# b", 10)],
                at_ms: 30,
                ..base.clone()
            },
            "before the one before it",
        ),
        (
            Shared {
                inputs: vec![rec("# a", MAX_SHARED_MS + 1)],
                at_ms: MAX_SHARED_MS + 1,
                ..base.clone()
            },
            "past a day",
        ),
        (
            Shared {
                inputs: vec![rec("# a", 1); MAX_INPUTS + 1],
                ..base.clone()
            },
            "inputs",
        ),
        (
            Shared {
                etcd: Some("3.9.9".into()),
                ..base.clone()
            },
            "etcd release",
        ),
        (
            Shared {
                etcd: Some("<b>x</b>\u{0}".into()),
                ..base.clone()
            },
            "etcd release",
        ),
    ];
    for (f, why) in forged {
        let e = decode(&link_of(&f)).unwrap_err();
        assert!(e.contains(why), "{why}: {e}");
    }
    assert_eq!(decode(&link_of(&base)).unwrap(), base);
}

#[test]
fn a_session_too_long_for_a_link_says_so() {
    let mut s = Session::fresh_page();
    // values that do not compress
    let mut x: u64 = 1;
    for i in 0..400 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.run_line(&format!(
            "etcdctl put k{i} {x:016x}{:016x}",
            x.rotate_left(17)
        ));
    }
    match encode(&s.to_shared(s.inputs.clone())) {
        Err(e @ TooLong::Bytes(_)) => assert!(e.to_string().contains("export it to a file")),
        other => panic!("{other:?}"),
    }
    let many = Shared {
        inputs: vec![s.inputs[0].clone(); MAX_INPUTS + 1],
        ..s.to_shared(Vec::new())
    };
    assert_eq!(encode(&many), Err(TooLong::Inputs(MAX_INPUTS + 1)));
}

#[test]
fn a_link_a_day_long_opens_quickly_enough() {
    // the longest time a link may name passes in bounded work (no 100 ms steps)
    let shared = Shared {
        lab: "local".into(),
        etcd: None,
        seed: DEFAULT_SEED,
        inputs: vec![InputRecord {
            line: "etcdctl put a 1".into(),
            stdin: None,
            at_ms: Some(0),
            ..Default::default()
        }],
        at_ms: MAX_SHARED_MS,
        lesson: None,
        lesson_done: 0,
    };
    let mut s = Session::from_shared(&decode(&link_of(&shared)).unwrap());
    assert_eq!(s.now_ms(), MAX_SHARED_MS);
    let out = s
        .playground_mut()
        .run("etcdctl get a --print-value-only", None);
    assert_eq!(out.stdout, "1\n");
}

#[test]
fn share_link_checks_the_replay() {
    let s = session_with(&["etcdctl put a 1", "stop infra2"]);
    let link = s.share_link(s.inputs().to_vec()).unwrap();
    assert!(decode(&link).is_ok());
    // a log missing its first input does not replay to this state
    let e = s.share_link(s.inputs()[1..].to_vec()).unwrap_err();
    assert!(e.contains("no longer replays"), "{e}");
}

/// A reload as the page does it: the stored state and disks opened again; the stored inputs
/// so far come back with it.
fn reloaded(s: &mut Session, stored: &mut Vec<InputRecord>) -> Session {
    let (_, new) = s.take_new_inputs();
    stored.extend(new);
    let found = persistence::Found {
        state: Some(s.stored_state()),
        disks: s.world().disk_states(),
        inputs: stored.clone(),
        ..Default::default()
    };
    Session::open(found).0
}

#[test]
fn a_link_made_after_a_reload_replays() {
    // the members elect a leader again after the reload: more Raft entries than a replay
    // from the seed makes, the same keys
    let mut stored = Vec::new();
    let mut s = Session::fresh_page();
    s.start_persisting();
    s.run_line("etcdctl put a 1");
    let mut again = reloaded(&mut s, &mut stored);
    again.run_line("etcdctl put b 2");
    let (_, new) = again.take_new_inputs();
    stored.extend(new);
    let link = again.share_link(stored.clone()).expect("replays");
    let mut opened = Session::from_shared(&decode(&link).unwrap());
    opened.run_line("etcdctl get --prefix ''");
    assert_eq!(
        opened.entries().last().unwrap().output.stdout,
        "a\n1\nb\n2\n"
    );
    // a history missing an input still does not
    let e = again.share_link(stored[1..].to_vec()).unwrap_err();
    assert!(e.contains("no longer replays"), "{e}");
}

#[test]
fn a_password_typed_before_a_reload_and_again_after_it_is_named_when_no_link_can_be_made() {
    let mut stored = Vec::new();
    let mut s = Session::fresh_page();
    s.start_persisting();
    for l in [
        "etcdctl user add root:pw",
        "etcdctl user grant-role root root",
        "etcdctl auth enable",
    ] {
        s.run_line(l);
    }
    let mut again = reloaded(&mut s, &mut stored);
    again.run_line("etcdctl --user root:pw put k v");
    assert!(again.entries().last().unwrap().output.stdout.contains("OK"));
    let (_, new) = again.take_new_inputs();
    stored.extend(new);
    // stored as «secret-2» (the numbering goes on), where the user was made with «secret-1»
    assert_eq!(
        stored.last().unwrap().line,
        "etcdctl --user root:«secret-2» put k v"
    );
    let e = again.share_link(stored).unwrap_err();
    assert!(e.contains("a password typed before a reload"), "{e}");
}

/// The fingerprint hashes one member's keyspace: the same answer as hashing every running
/// member and taking the newest, with a member stopped behind the others too.
#[test]
fn the_fingerprint_hashes_one_member_and_agrees_with_hashing_them_all() {
    let mut s = Session::new(3);
    s.run_line("etcdctl put a 1");
    s.run_line("etcdctl member list");
    let every = |s: &Session| {
        let world = s.world();
        world
            .member_views()
            .iter()
            .filter(|m| m.running)
            .filter_map(|m| world.member(m.id)?.sm.kv.hash_by_rev(0).ok())
            .map(|h| (h.current_rev, h.hash))
            .max()
    };
    assert_eq!(s.share_fingerprint().2, every(&s));
    s.apply(Action::Cluster(ClusterOp::Stop("infra1".into())));
    s.run_line("etcdctl --endpoints=127.0.0.1:22379 put b 2");
    s.run_line("etcdctl --endpoints=127.0.0.1:22379 put c 3");
    s.apply(Action::Cluster(ClusterOp::Start("infra1".into())));
    assert_eq!(s.share_fingerprint().2, every(&s));
    // (the first put after the stop waits out the election; the second lands)
    assert!(s.share_fingerprint().2.is_some_and(|(rev, _)| rev >= 3));
}
