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
