//! The session driven as the page drives it, natively: the timeline, the console's entries,
//! persistence bookkeeping, the keyspace reads and the action path.

use std::time::Duration;

use super::keyspace::READ_TIMEOUT;
use super::*;
use crate::api::v2::{KeysRequest, Method, V2Op, V2Request};
use crate::api::Request;

#[test]
fn speed_picks_the_nearest_offered_factor() {
    let mut s = Session::new(1);
    s.run_line("speed 1/100");
    assert_eq!(s.speed_factor(), 0.01);
    s.run_line("speed 100x");
    assert_eq!(s.speed_factor(), 100.0);
    s.run_line("speed 3");
    assert_eq!(s.speed_factor(), 2.0);
    s.run_line("speed fast");
    assert_eq!(s.entries.last().unwrap().output.exit, 1);
    assert!(s.inputs.is_empty(), "speed is the page's own: not replayed");
}

#[test]
fn play_turns_wall_time_into_simulated_time() {
    let mut s = Session::new(1);
    let t0 = s.world().now();
    s.play_for(100.0);
    assert_eq!(s.world().now(), t0, "paused");
    s.playing = true;
    s.play_for(100.0);
    assert_eq!(s.world().now() - t0, Duration::from_millis(100));
    s.run_line("speed 1/100");
    for _ in 0..10 {
        s.play_for(10.0);
    }
    assert_eq!(s.world().now() - t0, Duration::from_millis(101));
}

#[test]
fn seek_rebuilds_an_earlier_moment_and_can_go_forward_again() {
    let mut s = Session::new(1);
    s.run_line("stop infra3");
    let t1 = s.now_ms();
    s.playing = true;
    s.play_for(1000.0);
    s.play_for(1000.0);
    s.playing = false;
    s.run_line("start infra3");
    let t_end = s.now_ms();
    assert!(s.cluster().member("infra3").unwrap().running);
    s.seek(t1 + 1000);
    assert!(!s.cluster().member("infra3").unwrap().running);
    assert_eq!(s.now_ms(), t1 + 1000);
    assert_eq!(s.entries.len(), 1);
    assert_eq!(s.future.len(), 1);
    s.seek(t_end);
    assert!(s.cluster().member("infra3").unwrap().running);
    assert!(s.future.is_empty());
    // Rewind and carry on: the log is rewritten without what came after.
    s.seek(t1 + 500);
    let change = s.run_line("stop infra2");
    let LogChange::Rewrite(all) = change else {
        panic!("{change:?}")
    };
    assert_eq!(
        s.horizon_ms,
        s.now_ms(),
        "the discarded future leaves the timeline"
    );
    assert_eq!(
        all.iter().map(|r| r.line.as_str()).collect::<Vec<_>>(),
        ["stop infra3", "stop infra2"]
    );
}

#[test]
fn replay_reaches_the_same_moment() {
    let mut a = Session::new(1);
    a.run_line("stop infra1");
    a.playing = true;
    a.play_for(500.0);
    a.run_line("start infra1");
    let mut b = Session::new(1);
    b.replay(a.inputs.clone());
    assert_eq!(a.cluster(), b.cluster());
    assert_eq!(b.entries.len(), 2);
}

#[test]
fn a_paste_runs_each_command_with_its_entry() {
    let mut s = Session::new(1);
    let paste = "docker run -d \\\n  --name etcd-gcr-v3.4.33 \\\n  gcr.io/etcd-development/etcd:v3.4.33\ndocker exec etcd-gcr-v3.4.33 /usr/local/bin/etcdctl put foo bar\netcdctl txn <<EOF\n\nput t 1\n\n\nEOF\n";
    let change = s.run_input(paste);
    assert_eq!(s.entries.len(), 3);
    assert!(s.entries[0].line.contains("\n  --name"));
    assert!(s.entries[0].output.stdout.starts_with("docker run: "));
    assert_eq!(s.entries[1].output.stdout, "OK\n");
    assert_eq!(s.entries[2].output.stdout, "SUCCESS\n\nOK\n");
    assert_eq!(s.inputs[2].stdin.as_deref(), Some("\nput t 1\n\n\n"));
    assert_eq!(change, LogChange::Rewrite(s.inputs.clone()));
    // one line is one command, as before
    assert!(matches!(
        s.run_input("etcdctl get foo"),
        LogChange::Append(_)
    ));
    // the stored inputs replay to the same outputs
    let mut again = Session::new(1);
    again.replay(s.inputs.clone());
    assert_eq!(again.entries[2].output, s.entries[2].output);
    // kubectl's etcd requests go with their entry
    s.run_input("load k8s\nrequests on\nkubectl get nodes");
    assert!(s.show_requests());
    let last = s.entries.last().unwrap();
    assert!(
        last.requests[0].starts_with("etcd: Range"),
        "{:?}",
        last.requests
    );
}

#[test]
fn a_restored_shell_rewinds_to_its_base_and_keeps_the_keys() {
    let mut a = Session::new(1);
    a.start_persisting();
    a.run_line("export ETCDCTL_API=3");
    a.run_line("etcdctl put k1 v1");
    a.run_line("latency 5");
    let base = Base {
        state: a.state(),
        disks: a.world().disk_states(),
    };
    let mut b = Session::restore(base);
    assert_eq!(
        b.playground.env().get("ETCDCTL_API").map(String::as_str),
        Some("3")
    );
    assert_eq!(b.world().settings().latency_us, 5_000);
    assert!(b.now_ms() > a.now_ms());
    let start = b.now_ms();
    b.run_line("etcdctl put k2 v2");
    let change = b.run_line("etcdctl get k --prefix");
    assert!(matches!(change, LogChange::Append(_)));
    assert_eq!(b.entries.last().unwrap().output.stdout, "k1\nv1\nk2\nv2\n");
    assert_eq!(b.durable_upto, 0, "nothing flushed yet");
    assert!(!b.drain_disks().is_empty());
    // Rewind to the reload: k2 is gone, k1 (from the disks) is not.
    b.seek(start);
    b.run_line("etcdctl get k --prefix");
    assert_eq!(b.entries.last().unwrap().output.stdout, "k1\nv1\n");
    let flushes = b.drain_disks();
    assert!(
        flushes.iter().all(|(_, f)| f.clear),
        "a rewind rewrites the stores"
    );
}

#[test]
fn reset_forgets_everything() {
    let mut s = Session::new(1);
    s.run_line("stop infra2");
    assert_eq!(s.run_line("reset"), LogChange::Rewrite(Vec::new()));
    assert!(s.inputs.is_empty());
    assert!(s.cluster().member("infra2").unwrap().running);
}

#[test]
fn the_keyspace_is_read_through_the_world() {
    let mut s = Session::new(1);
    for line in [
        "etcdctl put /a/b 1",
        "etcdctl put /a/c 2",
        "etcdctl put /a/b 3",
    ] {
        s.run_line(line);
        let e = s.entries.last().unwrap();
        assert_eq!(e.output.exit, 0, "{line}: {:?}", e.output);
    }
    s.refresh_keyspace(true);
    assert_eq!(s.keyspace.error, None);
    assert_eq!(s.keyspace.tree.borrow().key_count(), 2);
    let rev = s.keyspace.revision;
    s.select_key(b"/a/b".to_vec());
    let d = s.detail.clone().unwrap();
    assert_eq!(d.kv.as_ref().unwrap().value, b"3");
    assert_eq!(d.kv.as_ref().unwrap().version, 2);
    assert_eq!(
        d.history.iter().map(|h| h.revision).collect::<Vec<_>>(),
        [rev, rev - 2],
        "{d:?}"
    );
    // The store at an older revision.
    s.set_revision(Some(rev - 2));
    assert_eq!(s.keyspace.tree.borrow().key_count(), 1);
    assert_eq!(s.keyspace.revision, rev);
}

#[test]
fn the_v2_tree_is_a_separate_keyspace() {
    let mut s = Session::new(1);
    let w = |s: &mut Session, path: &str, val: &str| {
        let world = s.playground.world_mut();
        let req = V2Request {
            op: V2Op::Keys(KeysRequest {
                method: Method::Put,
                path: path.into(),
                val: val.into(),
                ..Default::default()
            }),
            credentials: None,
            now: world.unix_nanos(),
        };
        world
            .call("127.0.0.1:2379", None, Request::V2(req), READ_TIMEOUT)
            .unwrap();
    };
    w(&mut s, "/dir/a", "1");
    w(&mut s, "/dir/sub/b", "2");
    s.run_line("etcdctl put /v3/key x");
    s.set_v2(true);
    assert_eq!(s.keyspace.error, None);
    assert_eq!(s.keyspace.tree.borrow().key_count(), 2);
    s.select_key(b"/dir/sub/b".to_vec());
    let d = s.detail.clone().unwrap();
    assert_eq!(d.kv.unwrap().value, b"2");
    assert_eq!(d.v2_ttl, Some(0));
    s.set_v2(false);
    assert_eq!(s.keyspace.tree.borrow().key_count(), 1);
    // Each keyspace keeps its open folders.
    let root = s.keyspace.tree.borrow().find(b"").unwrap();
    s.toggle_folder(root);
    s.set_v2(true);
    s.set_v2(false);
    assert_eq!(
        s.keyspace.tree.borrow().expanded_paths(),
        vec![Vec::<u8>::new()]
    );
}

#[test]
fn until_idle_waits_for_a_new_leader() {
    let mut s = Session::new(1);
    s.run_line("stop infra1");
    let spent = s.run_until_idle();
    assert!(spent > Duration::ZERO && spent < IDLE_LIMIT, "{spent:?}");
    let c = s.cluster();
    let leader = c.leader().expect("a new leader");
    assert_ne!(leader.name, "infra1");
    // Without a quorum it gives up at the limit.
    let name = leader.name.clone();
    s.run_line(&format!("stop {name}"));
    assert_eq!(s.run_until_idle(), IDLE_LIMIT);
}

#[test]
fn a_write_is_traced_to_its_raft_entries_and_revision() {
    let mut s = Session::new(1);
    s.run_line("etcdctl put a 1");
    s.run_line("etcdctl put b 2");
    let t = s.entries.last().unwrap().trace.clone().expect("traced");
    assert_eq!(t.first_index, t.last_index);
    assert_eq!(t.revisions, Some((3, 3)));
    assert!(t.term >= 2);
    s.run_line("etcdctl get a");
    assert_eq!(
        s.entries.last().unwrap().trace,
        None,
        "a read writes nothing"
    );
}

#[test]
fn step_advances_to_the_next_event_or_a_tick() {
    let s = Session::new(1);
    let cmd = s.step_command();
    assert!(cmd.starts_with("advance ") && cmd.ends_with("ms"), "{cmd}");
}

#[test]
fn every_action_takes_the_one_path() {
    let mut s = Session::new(1);
    let a = s.apply(Action::Run("etcdctl put k v".into()));
    assert_eq!(
        a,
        Applied {
            persist: true,
            refresh: Refresh::IfChanged
        }
    );
    s.refresh(a.refresh);
    assert_eq!(s.keyspace().tree.borrow().key_count(), 1);
    let a = s.apply(Action::SelectKey(b"k".to_vec()));
    assert!(!a.persist && a.refresh == Refresh::None);
    assert_eq!(s.detail().unwrap().kv.as_ref().unwrap().value, b"v");
    s.apply(Action::Cluster(ClusterOp::Stop("infra2".into())));
    let e = s.entries().last().unwrap();
    assert_eq!((e.line.as_str(), e.output.exit), ("stop infra2", 0));
    assert!(!s.cluster().member("infra2").unwrap().running);
    s.apply(Action::Speed(0));
    assert_eq!(
        s.entries().last().unwrap().output.stdout,
        "speed set to 1/100×\n"
    );
    assert_eq!(s.speed(), 0);
    s.apply(Action::PlayPause);
    assert!(s.playing());
    let t0 = s.now_ms();
    s.apply(Action::Play(1000.0));
    assert_eq!(s.now_ms() - t0, 10);
    let a = s.apply(Action::Seek(t0));
    assert_eq!(a.refresh, Refresh::Force);
    s.apply(Action::ClearScreen);
    assert!(s.entries().is_empty());
    assert_eq!(s.history_up("").as_deref(), Some("speed 0.01"));
}

/// Issue 23: a member's name is data. The buttons' lines keep it one word, so it neither
/// runs as a command nor falls apart at its spaces.
#[test]
fn a_member_name_is_never_run_as_a_command() {
    let evil = "evil\netcdctl del \"\" --prefix\n#";
    for (name, quoted) in [
        (evil, r#"$'evil\netcdctl del "" --prefix\n#'"#),
        ("my member", "'my member'"),
    ] {
        let mut s = Session::new(1);
        s.run_line("etcdctl put keep me");
        s.run_line(&format!(
            "etcdctl member add {quoted} --peer-urls=http://127.0.0.1:42380"
        ));
        s.run_line(&format!("start {quoted}"));
        assert!(s.cluster().member(name).is_some(), "{:?}", s.entries());
        let before = s.entries().len();
        let ops = [
            ClusterOp::Isolate(name.into()),
            ClusterOp::HealAll,
            ClusterOp::Cut(name.into(), "infra1".into()),
            ClusterOp::Mend(name.into(), "infra1".into()),
            ClusterOp::LinkLatency(name.into(), "infra1".into(), "20".into()),
            ClusterOp::LinkLoss(name.into(), "infra1".into(), "5".into()),
            ClusterOp::Stop(name.into()),
            ClusterOp::Start(name.into()),
        ];
        let n = ops.len();
        for op in ops {
            s.apply(Action::Cluster(op));
            let e = s.entries().last().unwrap();
            assert_eq!(e.output.exit, 0, "{e:?}");
            assert!(!e.line.contains('\n'), "{e:?}");
        }
        assert_eq!(s.entries().len(), before + n, "one command a click");
        s.run_line("etcdctl get keep");
        assert_eq!(s.entries().last().unwrap().output.stdout, "keep\nme\n");
    }
}

#[test]
fn background_output_arrives_at_the_bottom_in_order() {
    let mut s = Session::new(1);
    s.run_line("etcdctl watch foo &");
    s.run_line("etcdctl put foo one");
    s.run_line("etcdctl put bar x");
    s.run_line("etcdctl put foo two");
    let e = s.entries();
    let lines: Vec<(Option<u32>, &str, &str)> = e
        .iter()
        .map(|e| (e.job_output, e.line.as_str(), e.output.stdout.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (None, "etcdctl watch foo &", e[0].output.stdout.as_str()),
            (None, "etcdctl put foo one", "OK\n"),
            (Some(1), "etcdctl watch foo &", "PUT\nfoo\none\n"),
            (None, "etcdctl put bar x", "OK\n"),
            (None, "etcdctl put foo two", "OK\n"),
            (Some(1), "etcdctl watch foo &", "PUT\nfoo\ntwo\n"),
        ]
    );
    assert_eq!(e[0].background, Some(1), "the starting entry still runs");
    assert!(
        e[1].trace.is_some() && e[2].trace.is_none(),
        "the put is traced"
    );
    assert!(
        !e[0].output.stdout.contains("PUT"),
        "nothing appended far above"
    );
    s.clear_screen();
    s.run_line("etcdctl put foo three");
    assert_eq!(
        s.entries().last().unwrap().job_output,
        Some(1),
        "after Ctrl+L too"
    );
    s.run_line("kill %1");
    assert!(s
        .entries()
        .last()
        .unwrap()
        .output
        .stdout
        .contains("Terminated"));
}

#[test]
fn a_page_load_restores_migrates_or_starts_over() {
    let record = |line: &str| InputRecord {
        line: line.into(),
        stdin: None,
        at_ms: None,
        ..Default::default()
    };
    // Schema 1 (inputs only): replayed once from the seed, then the disks are written whole.
    let (s, note) = Session::open(persistence::Found {
        inputs: vec![record("etcdctl put a 1")],
        ..Default::default()
    });
    assert!(note.unwrap().contains("replayed 1 input(s) once"));
    assert_eq!(s.entries().len(), 1);
    assert!(s.is_persisting());
    // A stored state: the world comes back from the disks, the inputs are only history.
    let mut a = Session::fresh_page();
    a.start_persisting();
    a.run_line("etcdctl put k v");
    let (mut b, note) = Session::open(persistence::Found {
        state: Some(a.state()),
        disks: a.world().disk_states(),
        inputs: vec![record("etcdctl put k v"), record(INTERRUPT)],
        ..Default::default()
    });
    assert_eq!(note, None);
    assert!(b.entries().is_empty());
    assert_eq!(b.history_up("").as_deref(), Some("etcdctl put k v"));
    b.run_line("etcdctl get k");
    assert_eq!(b.entries().last().unwrap().output.stdout, "k\nv\n");
    // An unreadable state: the disks with the seed's clock and settings, the page's interval.
    let (c, _) = Session::open(persistence::Found {
        state_unreadable: true,
        disks: a.world().disk_states(),
        ..Default::default()
    });
    assert_eq!(c.world().settings().snapshot_count, SNAPSHOT_COUNT);
    assert_eq!(c.durable_upto(), 0);
}

/// The page opens a stored session a member a task (`Session::opening`): one step a running
/// member, none for a fresh store, and the session it finishes with is the one `open` gives.
#[test]
fn a_page_load_in_steps_boots_a_member_a_step_and_opens_the_same_session() {
    let mut a = Session::fresh_page();
    a.start_persisting();
    a.run_line("etcdctl put k v");
    a.run_line("etcdctl watch w &");
    let found = || persistence::Found {
        state: Some(a.state()),
        disks: a.world().disk_states(),
        inputs: vec![InputRecord {
            line: "etcdctl put k v".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut opening = Session::opening(found());
    let mut steps = 0;
    while opening.step() {
        steps += 1;
    }
    assert_eq!(steps, 3);
    let (mut stepped, note) = opening.finish();
    let (mut at_once, note_at_once) = Session::open(found());
    assert_eq!(note, note_at_once);
    assert!(note.unwrap_or_default().contains("ended with the reload"));
    assert_eq!(stepped.state(), at_once.state());
    assert_eq!(stepped.world().disk_states(), at_once.world().disk_states());
    assert_eq!(stepped.history_up("").as_deref(), Some("etcdctl put k v"));
    stepped.run_line("etcdctl get k -w json");
    at_once.run_line("etcdctl get k -w json");
    assert_eq!(
        stepped.entries().last().unwrap().output,
        at_once.entries().last().unwrap().output
    );
    // a fresh store: nothing to boot
    let mut fresh = Session::opening(persistence::Found::default());
    assert!(!fresh.step());
    assert_eq!(fresh.finish().0.state(), Session::fresh_page().state());
}

#[test]
fn the_keyspace_reads_the_kubeadm_labs_member() {
    // the node's etcd is not one of infra1..3: the panel reads whichever member leads
    let mut s = Session::fresh_lab(crate::playground::lab::LabKind::Kubeadm);
    s.refresh_keyspace(true);
    let k = s.keyspace();
    assert_eq!(k.error, None);
    assert!(
        k.tree.borrow().key_count() > 0,
        "the lab's /registry is shown"
    );
}

#[test]
fn a_fault_while_paused_says_how_to_let_time_pass() {
    let paused = |s: &Session| {
        s.entries
            .last()
            .is_some_and(|e| e.hints.iter().any(|h| h.contains("Time is paused")))
    };
    let mut s = Session::new(1);
    s.run_line("stop infra1");
    assert!(paused(&s), "{:?}", s.entries.last());
    s.run_line("start infra1");
    assert!(!paused(&s), "starting is no fault");
    s.run_line("stop nosuch");
    assert!(!paused(&s), "a failed command changed nothing");
    s.run_line("loss 0");
    assert!(!paused(&s));
    s.playing = true;
    s.run_line("partition infra1 | infra2 infra3");
    assert!(!paused(&s), "time runs: it follows by itself");
    s.playing = false;
    s.run_line("hints off");
    s.run_line("cut infra1 infra2");
    assert!(!paused(&s), "hints off");
}

#[test]
fn a_reload_keeps_the_history_and_says_which_jobs_it_ended() {
    let mut s = Session::fresh_page();
    s.start_persisting();
    s.run_line("etcdctl watch foo &");
    s.run_line("etcdctl lease grant 60");
    s.run_line("etcdctl watch bar");
    let state = s.state();
    assert_eq!(state.jobs, ["etcdctl watch bar", "[1] etcdctl watch foo &"]);
    let (_, inputs) = s.take_new_inputs();
    let found = persistence::Found {
        state: Some(state),
        disks: s.world().disk_states(),
        inputs,
        ..Default::default()
    };
    let (mut again, note) = Session::open(found);
    let note = note.unwrap_or_default();
    assert!(
        note.contains("background job [1] etcdctl watch foo & ended with the reload"),
        "{note}"
    );
    assert!(
        note.contains("`etcdctl watch bar` ended with the reload"),
        "{note}"
    );
    assert!(again.running_jobs().is_empty());
    assert_eq!(again.history_up("").as_deref(), Some("etcdctl watch bar"));
    assert_eq!(
        again.history_up("").as_deref(),
        Some("etcdctl lease grant 60")
    );
    // with no job running, nothing to say
    let mut quiet = Session::fresh_page();
    quiet.run_line("etcdctl put a 1");
    let found = persistence::Found {
        state: Some(quiet.state()),
        disks: quiet.world().disk_states(),
        ..Default::default()
    };
    assert_eq!(Session::open(found).1, None);
}

#[test]
fn playing_on_after_a_rewind_runs_the_later_inputs_again() {
    let mut s = Session::new(1);
    s.run_line("etcdctl put a 1");
    s.run_line("advance 2s");
    s.run_line("etcdctl put b 2");
    let horizon = s.horizon_ms();
    s.seek(s.inputs[0].at_ms.unwrap());
    assert!(s.viewing_past());
    assert_eq!(s.inputs_ahead(), 3);
    // Step, play and "until idle" move time on without discarding anything: each input
    // runs again at its moment.
    assert_eq!(s.step(), LogChange::None);
    s.playing = true;
    for _ in 0..40 {
        s.play_for(100.0);
    }
    assert_eq!(s.inputs_ahead(), 0, "both ran again");
    assert_eq!(s.inputs.len(), 3);
    assert!(s.now_ms() >= horizon);
    assert!(!s.viewing_past());
    s.run_line("etcdctl get b --print-value-only");
    assert_eq!(s.entries.last().unwrap().output.stdout, "2\n");
}

#[test]
fn the_timeline_starts_at_the_first_election() {
    let mut s = Session::new(1);
    s.run_line("etcdctl put a 1");
    let horizon = s.horizon_ms();
    s.apply(Action::WatchElection);
    assert_eq!(s.now_ms(), 0);
    assert!(s.playing() && s.speed() == 0, "the slowest speed");
    assert!(s.viewing_past());
    assert_eq!(s.inputs_ahead(), 1);
    let leaders = |s: &Session| {
        s.cluster()
            .members
            .iter()
            .filter(|m| m.running && m.role == "leader")
            .count()
    };
    assert_eq!(leaders(&s), 0, "no leader yet at t = 0");
    // until idle: the first election, and nothing discarded
    s.run_until_idle();
    assert_eq!(leaders(&s), 1);
    assert!(s.now_ms() < timeline::first_moment_ms());
    assert_eq!(s.inputs_ahead(), 1);
    // past the seed's first moment the timeline's start is rebuilt, and the input runs again
    s.set_speed(8);
    for _ in 0..200 {
        s.play_for(1000.0);
        if !s.viewing_past() {
            break;
        }
    }
    assert!(!s.viewing_past());
    assert!(s.now_ms() >= horizon);
    assert_eq!(s.inputs.len(), 1);
    s.run_line("etcdctl get a --print-value-only");
    assert_eq!(s.entries.last().unwrap().output.stdout, "1\n");
    // seeking back to now from the first election works too
    s.seek(700);
    assert_eq!(s.now_ms(), 700);
    s.seek(s.horizon_ms());
    assert!(!s.viewing_past());
    assert_eq!(s.inputs.len(), 2);
}

#[test]
fn a_line_typed_in_the_first_election_starts_the_timeline_there() {
    let mut s = Session::new(1);
    s.run_line("etcdctl put a 1");
    s.seek(0);
    s.run_until_idle();
    let t = s.now_ms();
    let change = s.run_line("etcdctl put early 1");
    assert!(matches!(change, LogChange::Rewrite(ref all) if all.len() == 1));
    assert!(!s.viewing_past());
    assert_eq!(s.timeline_start_ms(), 0);
    // a later rewind rebuilds that world, not the seed's
    s.run_line("advance 1s");
    s.seek(t + 1);
    s.seek(s.horizon_ms());
    s.run_line("etcdctl get early --print-value-only");
    assert_eq!(s.entries.last().unwrap().output.stdout, "1\n");
}

#[test]
fn a_full_browser_storage_raises_nospace_and_loses_nothing() {
    let mut s = Session::fresh_page();
    s.start_persisting();
    s.run_line("etcdctl put a 1");
    s.mark_durable(s.next_entry_id());
    s.run_line("etcdctl put b 2");
    s.run_line("etcdctl get a");
    let (clear, inputs) = s.take_new_inputs();
    // the flush carrying those two failed for the quota
    s.inputs_not_stored(clear, inputs.clone());
    s.disk_full(s.next_entry_id());
    assert_eq!(s.durable_upto(), s.next_entry_id(), "their output shows");
    let outs: Vec<&crate::process::Output> = s.entries.iter().map(|e| &e.output).collect();
    assert_eq!(
        outs[1].stdout, "OK\n",
        "it ran: kept in the tab, stored once there is room"
    );
    assert_eq!(outs[2].stdout, "a\n1\n");
    s.run_line("etcdctl put c 3");
    let e = s.entries.last().unwrap();
    assert!(
        e.output
            .stderr
            .ends_with("Error: etcdserver: mvcc: database space exceeded\n"),
        "{e:?}"
    );
    assert!(s.world().nospace());
    s.run_line("etcdctl alarm list");
    assert_eq!(
        s.entries
            .last()
            .unwrap()
            .output
            .stdout
            .matches("alarm:NOSPACE")
            .count(),
        3
    );
    // nothing is lost: the inputs of the failed flush come first, then the alarm and the rest
    let (_, again) = s.take_new_inputs();
    let lines: Vec<&str> = again.iter().map(|r| r.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "etcdctl put a 1",
            "etcdctl put b 2",
            "etcdctl get a",
            timeline::DISK_FULL,
            "etcdctl put c 3",
            "etcdctl alarm list"
        ]
    );
    // a replay raises it at the same moment; disarm lets writes in again
    let mut replayed = Session::fresh_page();
    replayed.replay(s.inputs.clone());
    assert!(replayed.world().nospace());
    s.run_line("etcdctl alarm disarm");
    s.run_line("etcdctl put c 3");
    assert_eq!(s.entries.last().unwrap().output.stdout, "OK\n");
    assert!(!s.world().nospace());
}

/// The page computes a held-back snapshot's record checksum a piece at a time before the
/// flush that stores it: the key it remembers is the encoded record's, so the member write
/// finds it known (and does not checksum 140 MB in one go after the large sample).
#[test]
fn a_snapshot_records_checksum_computed_beforehand_is_the_encoded_records() {
    use crate::persist::{record, shared};
    let mut s = Session::fresh_page();
    s.start_persisting();
    let _ = s.drain_disks();
    s.playground.world_mut().set_snapshot_count(u64::MAX);
    for i in 0..40 {
        s.run_line(&format!("etcdctl put k{i} {}", "v".repeat(i * 10)));
    }
    s.playground.world_mut().set_snapshot_count(10);
    let shared = persistence::SharedSnapshots::default();
    assert!(
        s.record_checksum(&shared).is_none(),
        "no snapshot taken yet"
    );
    assert!(s.snapshot_one_if_due());
    let mut job = s.record_checksum(&shared).expect("a snapshot to store");
    while !job.advance(&shared) {}
    assert!(s.record_checksum(&shared).is_none(), "its key is known now");
    let flushes = s.drain_disks();
    let snap = flushes
        .iter()
        .find_map(|(_, f)| f.snapshot.clone())
        .expect("the flush saves it");
    let key = shared::key(&snap, &record::encode_snapshot(&snap));
    assert_eq!(shared.key_known(&snap), Some(key));
    assert!(s.record_checksum(&shared).is_none(), "drained");
}
