//! Snapshot files between the page and the playground: `etcdctl snapshot save NAME` says
//! which file it wrote (the page offers it as a download), and a file dropped on the page is
//! taken only if it reads as a snapshot — anything else changes nothing.

use etcd_playground::playground::Playground;

#[test]
fn a_saved_snapshot_is_offered_and_a_dropped_one_is_checked() {
    let mut p = Playground::new(2);
    p.run("etcdctl put a 1", None);
    let o = p.run("etcdctl snapshot save backup.db", None);
    assert_eq!(o.stdout, "Snapshot saved at backup.db\n");
    assert_eq!(p.last_written(), ["backup.db".to_string()]);
    p.run("etcdctl get a", None);
    assert!(p.last_written().is_empty(), "only the line that wrote it");

    let bytes = p.files().get("backup.db").unwrap().clone();
    let msg = p.add_file("C:\\Users\\me\\copy.db", bytes).unwrap();
    assert!(msg.starts_with("added copy.db ("), "{msg}");
    let o = p.run("etcdctl snapshot status copy.db -w table", None);
    assert_eq!(o.exit, 0, "{o:?}");
    assert!(o.stdout.contains("| REVISION |"), "{}", o.stdout);

    let before = p.files().len();
    let err = p.add_file("notes.txt", b"hello".to_vec()).unwrap_err();
    assert_eq!(
        err,
        "notes.txt is not an etcd snapshot file (etcdctl snapshot status would say: invalid database); nothing was added"
    );
    assert_eq!(p.files().len(), before);
    assert!(p.add_file("", Vec::new()).is_err());
    assert!(p.add_file("..", Vec::new()).is_err());
}

/// A snapshot real etcd 3.4.23 saved (see src/bbolt/testdata/README.md).
const REAL: &[u8] = include_bytes!("../src/bbolt/testdata/etcd-3.4.23-small.db");

#[test]
fn a_real_etcd_snapshot_is_read_restored_and_loaded() {
    let mut p = Playground::new(2);
    let msg = p.add_file("small.db", REAL.to_vec()).unwrap();
    assert!(
        msg.starts_with(
            "added small.db (24608 bytes, an etcd snapshot at revision 7 with 14 keys)"
        ),
        "{msg}"
    );
    // what real etcdctl printed for this file
    let o = p.run("etcdctl snapshot status small.db -w json", None);
    assert_eq!(
        o.stdout,
        "{\"hash\":3293791613,\"revision\":7,\"totalKey\":14,\"totalSize\":24576}\n"
    );
    let o = p.run("etcdctl snapshot status small.db", None);
    assert_eq!(o.stdout, "c453457d, 7, 14, 25 kB\n");
    let o = p.run(
        "etcdctl snapshot restore small.db --data-dir restored",
        None,
    );
    assert_eq!(o.exit, 0, "{o:?}");
    assert!(o.stderr.contains("restored snapshot"), "{}", o.stderr);

    let o = p.run("load small.db", None);
    assert_eq!(o.exit, 0, "{o:?}");
    assert!(
        o.stdout
            .starts_with("loaded the 3 keys (46 bytes) small.db holds at revision 7"),
        "{}",
        o.stdout
    );
    let o = p.run("etcdctl get \"\" --prefix", None);
    assert_eq!(
        o.stdout,
        "/registry/pods/default/a\n{\"x\":1}\nfoo\nagain\nleased\nv\n"
    );
    let o = p.run("load nope.db", None);
    assert_eq!(o.exit, 1);
    assert!(
        o.stderr.starts_with("load: nope.db: no such file"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_saved_snapshot_restores_what_it_held() {
    let mut p = Playground::new(3);
    p.run("etcdctl put a 1", None);
    p.run("etcdctl put a 2", None);
    p.run("etcdctl put b 3", None);
    p.run("etcdctl snapshot save s.db", None);
    let o = p.run("etcdctl snapshot status s.db -w json", None);
    assert!(
        o.stdout.contains("\"revision\":4,\"totalKey\":9,"),
        "{}",
        o.stdout
    );
    p.run("etcdctl del \"\" --prefix", None);
    let o = p.run("load s.db", None);
    assert!(o.stdout.starts_with("loaded the 2 keys"), "{o:?}");
    let o = p.run("etcdctl get \"\" --prefix", None);
    assert_eq!(o.stdout, "a\n2\nb\n3\n");
}

/// Writes a snapshot of the small Kubernetes sample to `$EXPORT_SNAPSHOT`, to check by hand
/// with real tools (`etcdctl snapshot status|restore`, `bbolt check`): the Playwright test
/// `snapshot.test.mjs` runs Debian's etcdctl on a downloaded one.
#[test]
#[ignore]
fn export_snapshot() {
    let Ok(path) = std::env::var("EXPORT_SNAPSHOT") else {
        return;
    };
    let mut p = Playground::new(4);
    p.run("load k8s", None);
    p.run("etcdctl lease grant 100", None);
    p.run("etcdctl user add root --new-user-password=pw", None);
    p.run("etcdctl compaction 5", None);
    let o = p.run("etcdctl snapshot save s.db", None);
    assert_eq!(o.exit, 0, "{o:?}");
    let o = p.run("etcdctl snapshot status s.db -w json", None);
    println!("{}", o.stdout);
    std::fs::write(path, p.files().get("s.db").unwrap()).unwrap();
}
