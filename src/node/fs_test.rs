//! Unit tests of the virtual filesystem: resolution, errors, counters, limits, persistence.

use super::*;

fn p(fs: &Fs, s: &str) -> Components {
    fs.resolve(&[], s).unwrap().0
}

#[test]
fn resolve_walks_like_the_kernel() {
    let mut fs = Fs::new(0);
    fs.mkdir_all(&["etc".into(), "kubernetes".into()], 1)
        .unwrap();
    fs.write(&["etc".into(), "hosts".into()], b"x\n", false, 1)
        .unwrap();
    assert_eq!(
        p(&fs, "/etc/../etc/./kubernetes"),
        vec!["etc", "kubernetes"]
    );
    assert_eq!(p(&fs, "/.."), Vec::<String>::new());
    assert_eq!(
        fs.resolve(&["etc".into()], "kubernetes/x").unwrap().0,
        vec!["etc", "kubernetes", "x"]
    );
    assert_eq!(fs.resolve(&[], "/etc/hosts/x"), Err(Errno::NotDir));
    assert_eq!(fs.resolve(&[], "/etc/hosts/.."), Err(Errno::NotDir));
    assert_eq!(fs.resolve(&[], "/nosuch/.."), Err(Errno::NoEnt));
    assert_eq!(fs.resolve(&[], "/nosuch/x"), Err(Errno::NoEnt));
    assert_eq!(fs.resolve(&[], ""), Err(Errno::NoEnt));
    assert!(fs.resolve(&[], "/etc/").unwrap().1);
    assert!(!fs.resolve(&[], "/").unwrap().1);
    let long = "a".repeat(300);
    assert_eq!(fs.resolve(&[], &long), Err(Errno::NameTooLong));
}

#[test]
fn files_and_directories() {
    let mut fs = Fs::new(0);
    let a = p(&fs, "/a");
    fs.mkdir(&a, 5).unwrap();
    assert_eq!(fs.mkdir(&a, 5), Err(Errno::Exist));
    assert_eq!(fs.mkdir(&["x".into(), "y".into()], 5), Err(Errno::NoEnt));
    let f = vec!["a".to_string(), "f".to_string()];
    fs.write(&f, b"one\n", false, 7).unwrap();
    fs.write(&f, b"two\n", true, 8).unwrap();
    assert_eq!(fs.read(&f).unwrap(), b"one\ntwo\n");
    assert_eq!(fs.read(&a), Err(Errno::IsDir));
    assert_eq!(fs.write(&a, b"", false, 9), Err(Errno::IsDir));
    assert_eq!(fs.remove_dir(&a, 9), Err(Errno::NotEmpty));
    assert_eq!(fs.remove_file(&a, 9), Err(Errno::IsDir));
    let st = fs.stat(&f).unwrap();
    assert_eq!((st.size, st.mode, st.mtime, st.nlink), (8, 0o644, 8, 1));
    assert_eq!(fs.stat(&a).unwrap().nlink, 2);
    assert_eq!(fs.used(), 8);
    fs.remove_all(&a, 10).unwrap();
    assert_eq!(fs.used(), 0);
    assert!(!fs.exists(&f));
}

#[test]
fn rename_rules() {
    let mut fs = Fs::new(0);
    for d in ["/d", "/d/sub", "/e"] {
        let c = p(&fs, d);
        fs.mkdir(&c, 1).unwrap();
    }
    fs.write(&p(&fs, "/f"), b"1", false, 1).unwrap();
    assert_eq!(
        fs.rename(&p(&fs, "/d"), &p(&fs, "/d/sub/x"), 2),
        Err(Errno::Inval)
    );
    assert_eq!(
        fs.rename(&p(&fs, "/f"), &p(&fs, "/d"), 2),
        Err(Errno::IsDir)
    );
    assert_eq!(
        fs.rename(&p(&fs, "/e"), &p(&fs, "/f"), 2),
        Err(Errno::NotDir)
    );
    assert_eq!(
        fs.rename(&p(&fs, "/e"), &p(&fs, "/d"), 2),
        Err(Errno::NotEmpty)
    );
    fs.rename(&p(&fs, "/d"), &p(&fs, "/e"), 2).unwrap();
    assert!(fs.is_dir(&p(&fs, "/e/sub")));
    fs.rename(&p(&fs, "/f"), &p(&fs, "/e/g"), 3).unwrap();
    assert_eq!(fs.read(&p(&fs, "/e/g")).unwrap(), b"1");
    assert_eq!(fs.used(), 1);
}

#[test]
fn limits_give_clear_errors() {
    let mut fs = Fs::new(0);
    fs.set_limits(Limits {
        max_file: 10,
        max_total: 15,
        max_nodes: 4,
    });
    let f = vec!["f".to_string()];
    assert_eq!(fs.write(&f, &[0; 11], false, 1), Err(Errno::FBig));
    fs.write(&f, &[0; 10], false, 1).unwrap();
    assert_eq!(fs.write(&f, &[0; 1], true, 1), Err(Errno::FBig));
    assert_eq!(
        fs.write(&["g".into()], &[0; 6], false, 1),
        Err(Errno::NoSpc)
    );
    fs.write(&["g".into()], &[0; 5], false, 1).unwrap();
    fs.mkdir(&["h".into()], 1).unwrap();
    assert_eq!(fs.mkdir(&["i".into()], 1), Err(Errno::NoSpc));
    assert_eq!(Errno::FBig.to_string(), "File too large");
}

#[test]
fn owners_and_serde_round_trip() {
    let mut fs = Fs::new(0);
    fs.add_user("etcd", 998, 998);
    fs.mkdir(&["var".into()], 1).unwrap();
    fs.chown(&["var".into()], fs.uid_of("etcd"), fs.gid_of("etcd"))
        .unwrap();
    assert_eq!(fs.user_name(998), "etcd");
    assert_eq!(fs.user_name(5), "5");
    let json = serde_json::to_string(&fs).unwrap();
    let back: Fs = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fs);
    let bin = postcard::to_allocvec(&fs).unwrap();
    let back: Fs = postcard::from_bytes(&bin).unwrap();
    assert_eq!(back, fs);
}
