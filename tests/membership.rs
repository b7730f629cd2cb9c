//! Growing the cluster as etcd's docs do it: `member add` (as a learner or a voter), then a
//! new process for it (`start NAME`, etcd's `--initial-cluster-state existing`): the member
//! catches up from the leader, publishes its name and client URL, serves what a learner may,
//! is promoted, and then counts in the quorum.

use std::time::Duration;

use etcd_playground::playground::Playground;

fn run(p: &mut Playground, line: &str) -> (String, String, i32) {
    let o = p.run(line, None);
    (o.stdout, o.stderr, o.exit)
}

/// The ID `member add` printed.
fn added_id(out: &str) -> String {
    out.split_whitespace().nth(1).unwrap().to_string()
}

#[test]
fn a_learner_joins_catches_up_and_is_promoted() {
    let mut p = Playground::new(3);
    for i in 0..20 {
        assert_eq!(run(&mut p, &format!("etcdctl put k{i} v{i}")).0, "OK\n");
    }
    let (out, _, code) = run(
        &mut p,
        "etcdctl member add infra4 --learner --peer-urls=http://127.0.0.1:42380",
    );
    assert_eq!(code, 0, "{out}");
    let id = added_id(&out);
    // before a process plays it, it is listed as unstarted
    let (list, _, _) = run(&mut p, "etcdctl member list");
    assert!(
        list.contains(&format!(
            "{id}, unstarted, , http://127.0.0.1:42380, , true"
        )),
        "{list}"
    );
    // promotion needs a learner in sync with the leader
    let (_, err, code) = run(&mut p, &format!("etcdctl member promote {id}"));
    assert_eq!(code, 1);
    assert!(
        err.contains("can only promote a learner member which is in sync with leader"),
        "{err}"
    );

    let (out, err, code) = run(&mut p, "start infra4");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "started infra4 ({id}, joining the existing cluster"
        )),
        "{out}"
    );
    p.poll(Duration::from_secs(3));
    let (list, _, _) = run(&mut p, "etcdctl member list");
    assert!(
        list.contains(&format!(
            "{id}, started, infra4, http://127.0.0.1:42380, http://127.0.0.1:42379, true"
        )),
        "{list}"
    );
    // a learner serves serializable reads of the data it caught up on, and nothing else
    let (out, _, _) = run(
        &mut p,
        "etcdctl --endpoints=127.0.0.1:42379 get k19 --consistency=s",
    );
    assert_eq!(out, "k19\nv19\n");
    let (_, err, code) = run(&mut p, "etcdctl --endpoints=127.0.0.1:42379 put x y");
    assert_eq!(code, 1);
    assert!(
        err.ends_with("Error: etcdserver: rpc not supported for learner\n"),
        "{err}"
    );

    let (out, err, code) = run(&mut p, &format!("etcdctl member promote {id}"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("Member {id} promoted in cluster ")),
        "{out}"
    );
    p.poll(Duration::from_secs(1));
    assert_eq!(
        run(&mut p, "etcdctl --endpoints=127.0.0.1:42379 put x y").0,
        "OK\n"
    );

    // four voters: two stopped members leave no quorum, one is fine
    run(&mut p, "stop infra1");
    p.poll(Duration::from_secs(3));
    assert_eq!(
        run(
            &mut p,
            "etcdctl --endpoints=127.0.0.1:42379 put after-stop 1"
        )
        .0,
        "OK\n"
    );
    run(&mut p, "stop infra2");
    let (_, err, _) = run(
        &mut p,
        "etcdctl --endpoints=127.0.0.1:42379 put no-quorum 1",
    );
    assert!(err.ends_with("Error: context deadline exceeded\n"), "{err}");
    run(&mut p, "start infra1");
    p.poll(Duration::from_secs(3));
    let (out, _, _) = run(
        &mut p,
        "etcdctl --endpoints=127.0.0.1:42379 get after-stop --print-value-only",
    );
    assert_eq!(out, "1\n");
    assert!(
        p.world().safety_violations().is_empty(),
        "{:?}",
        p.world().safety_violations()
    );
}

#[test]
fn starting_a_member_nobody_added_explains_itself() {
    let mut p = Playground::new(3);
    let (_, err, code) = run(&mut p, "start infra9");
    assert_eq!(code, 1);
    assert!(err.contains("no added member waits to start"), "{err}");
    let (out, _, _) = run(
        &mut p,
        "etcdctl member add infra4 --peer-urls=http://10.0.0.9:2380",
    );
    assert!(out.contains("added to cluster"), "{out}");
    let (_, err, code) = run(&mut p, "start infra4");
    assert_eq!(code, 1);
    assert!(err.contains("not a 127.0.0.1 address"), "{err}");
    // an already running member's name is refused
    let (_, err, _) = run(&mut p, "start infra1");
    assert_eq!(err, "infra1 is already running\n");
}

#[test]
fn after_a_power_cycle_a_joined_member_rejoins_and_links_stay_as_they_were() {
    use etcd_playground::sim::World;
    let mut p = Playground::new(3);
    let (out, _, _) = run(
        &mut p,
        "etcdctl member add infra4 --peer-urls=http://127.0.0.1:42380",
    );
    assert!(out.contains("added to cluster"), "{out}");
    assert_eq!(run(&mut p, "start infra4").2, 0);
    p.poll(Duration::from_secs(2));
    assert_eq!(run(&mut p, "etcdctl put k v").0, "OK\n");
    assert_eq!(
        run(&mut p, "cut infra2 infra3").0,
        "link infra2 – infra3 cut\n"
    );
    assert!(run(&mut p, "loss infra1 infra3 5").0.contains("set to 5%"));
    let w = p.world();
    let restored = World::restore(w.seed(), w.now(), &w.disk_states(), &w.settings(), false);
    let names: Vec<String> = restored
        .member_ids()
        .into_iter()
        .filter(|id| restored.is_running(*id))
        .filter_map(|id| restored.member_name(id).map(str::to_string))
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.contains(&"infra4".to_string()));
    let id = |n: &str| {
        restored
            .member_ids()
            .into_iter()
            .find(|i| restored.member_name(*i) == Some(n))
            .unwrap()
    };
    assert!(!restored.net().connected(id("infra2"), id("infra3")));
    assert_eq!(restored.net().loss(id("infra1"), id("infra3")), 5);
    let net = restored
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            etcd_playground::sim::TraceKind::Control { text } => Some(text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert!(
        net.contains(&"link infra2 – infra3 cut".to_string()),
        "{net:?}"
    );
    let mut p = Playground::from_world(restored, Default::default(), true);
    p.poll(Duration::from_secs(2));
    let (out, _, _) = run(
        &mut p,
        "etcdctl --endpoints=127.0.0.1:42379 get k --print-value-only",
    );
    assert_eq!(out, "v\n");
}
