//! The page's session connected to a "real" cluster (another simulated world standing for
//! it): the console and the keyspace show that cluster, nothing of it is stored as an input,
//! a job on it ends with the connection, and disconnecting shows the simulated cluster as it
//! was.

use super::*;
use crate::cluster::{Connecting, Probe};
use crate::playground::remote::set_connector;
use crate::process::Output;
use crate::sim::World;

/// Answers at once, except for port 2 (the page's way: a probe that answers after a few
/// polls) and port 1 (nothing answers).
fn connector(endpoints: &[String]) -> Result<Connecting, String> {
    match endpoints.first().map(String::as_str) {
        Some("http://127.0.0.1:1") => {
            Err("connect: http://127.0.0.1:1: nothing answers there".into())
        }
        Some("http://127.0.0.1:2") => Ok(Connecting::Probing(Box::new(Later(3)))),
        _ => Ok(Connecting::Ready(Box::new(World::new(7)))),
    }
}

/// A probe answering at its `n`th poll.
struct Later(u32);

impl Probe for Later {
    fn poll(&mut self) -> Option<Result<Box<dyn crate::cluster::Cluster>, String>> {
        self.0 = self.0.checked_sub(1)?;
        (self.0 == 0).then(|| Ok(Box::new(World::new(7)) as Box<dyn crate::cluster::Cluster>))
    }
}

fn last(s: &Session) -> &Output {
    &s.entries.last().unwrap().output
}

fn keys(s: &Session) -> Vec<String> {
    let mut tree = s.keyspace.tree.borrow_mut();
    let nodes: Vec<_> = tree.rows().iter().map(|r| r.node).collect();
    nodes
        .into_iter()
        .map(|n| String::from_utf8_lossy(&tree.path(n)).into_owned())
        .collect()
}

#[test]
fn connected_lines_go_to_the_real_cluster_and_are_not_stored() {
    set_connector(connector);
    let mut s = Session::new(1);
    s.run_line("etcdctl put sim-key 1");
    let stored = s.inputs().len();
    assert_eq!(s.run_line("connect http://127.0.0.1:1"), LogChange::None);
    assert_eq!(last(&s).exit, 1);
    assert_eq!(s.connected(), None);

    assert_eq!(
        s.run_line("connect http://127.0.0.1:22379"),
        LogChange::None
    );
    let out = &last(&s);
    assert!(
        out.stdout
            .starts_with("connected to the real etcd cluster at http://127.0.0.1:22379: cluster "),
        "{out:?}"
    );
    assert_eq!(
        s.connected(),
        Some(vec!["http://127.0.0.1:22379".to_string()])
    );
    // the keyspace shows the real cluster (empty), not the simulated one's key
    assert_eq!(keys(&s), Vec::<String>::new());
    assert_eq!(s.run_line("etcdctl put real-key v"), LogChange::None);
    assert_eq!(keys(&s), ["real-key"]);
    s.select_key(b"real-key".to_vec());
    let d = s.detail.clone().unwrap();
    assert_eq!(d.kv.unwrap().value, b"v");
    assert_eq!(d.history.len(), 1, "{:?}", d.history);
    // a background watch on the real cluster sees its writes
    s.run_line("etcdctl watch w &");
    s.run_line("etcdctl put w seen");
    s.pass(std::time::Duration::from_millis(500));
    assert!(
        s.entries
            .iter()
            .any(|e| e.output.stdout.contains("PUT\nw\nseen\n")),
        "{:?}",
        s.entries
    );
    // playground commands that act on the simulation, and reset, say they do not apply
    s.run_line("stop infra1");
    assert!(last(&s).stderr.contains("not available while connected"));
    s.run_line("reset");
    assert!(last(&s).stderr.starts_with("reset: not while connected"));
    assert_eq!(
        s.inputs().len(),
        stored,
        "nothing of the real cluster is stored"
    );

    s.run_line("disconnect");
    let out = &last(&s);
    assert!(out.stdout.contains("[1]+  Terminated"), "{out:?}");
    assert!(
        out.stdout
            .contains("disconnected from http://127.0.0.1:22379"),
        "{out:?}"
    );
    assert_eq!(s.connected(), None);
    assert_eq!(keys(&s), ["sim-key"]);
    s.run_line("etcdctl get real-key");
    assert_eq!(last(&s).stdout, "");
    assert_eq!(s.inputs().len(), stored + 1);
}

/// A real Kubernetes etcd's `/registry` (the sample written into the cluster standing for it):
/// the tree, its value sizes and the layout picture's summary come from that cluster, read in
/// pages.
#[test]
fn a_real_clusters_registry_shows_in_the_tree_and_the_layout() {
    let mut real = World::new(7);
    crate::kubectl::load_sample(&mut real, 7, false).unwrap();
    let mut s = Session::new(1);
    s.playground_mut()
        .connect(Box::new(real), vec!["127.0.0.1:22379".to_string()])
        .unwrap();
    s.set_key_sizes(true);
    s.refresh_keyspace(true);
    let tree = s.keyspace.tree.borrow();
    // every key, over several pages
    assert_eq!(tree.key_count(), 340);
    assert!(tree.key_count() > 3 * super::keyspace::REMOTE_PAGE as u64);
    let summary = tree.resource_summary();
    let pods = summary.iter().find(|r| r.resource == "pods").unwrap();
    assert!(pods.keys > 0 && pods.bytes > 0, "{pods:?}");
    assert_eq!(pods.kind.as_deref(), Some("Pod"));
}

/// The page's `connect`: a job while its probe is out (time passes by the wall clock, paused
/// or not), connected when it answers; Ctrl+C gives up; nothing is stored.
#[test]
fn connect_waits_for_its_probe_as_a_job() {
    set_connector(connector);
    let mut s = Session::new(1);
    let stored = s.inputs().len();
    assert_eq!(s.run_line("connect http://127.0.0.1:2"), LogChange::None);
    assert!(s.real_cluster() && s.connected().is_none() && s.job_running());
    assert_eq!(s.interrupt(), LogChange::None);
    assert!(!s.real_cluster());
    s.run_line("connect http://127.0.0.1:2");
    assert!(!s.playing());
    for _ in 0..5 {
        s.play_for(50.0);
    }
    assert_eq!(s.connected(), Some(vec!["http://127.0.0.1:2".to_string()]));
    assert!(!s.job_running());
    let e = s.entries.last().unwrap();
    assert!(
        e.line.starts_with("connect")
            && e.output
                .stdout
                .starts_with("connected to the real etcd cluster at http://127.0.0.1:2: cluster "),
        "{e:?}"
    );
    assert_eq!(s.inputs().len(), stored);
}
