//! The backend size a member reports (`endpoint status` DB SIZE and DB SIZE IN USE) follows
//! its store: puts grow it, compaction frees pages without shrinking the file, later puts
//! reuse them, and only `defrag` gives them back (on the member it runs on). The quota path
//! from NOSPACE to `alarm disarm` as etcdctl shows it is the recorded transcript
//! `tests/scenarios/recorded/quota-nospace.txt`; here the same path at the API, with sizes.

use std::time::Duration;

use etcd_playground::api::{
    AlarmAction, AlarmType, CallError, CompactionRequest, DeleteRangeRequest, PutRequest, Request,
    Response, StatusResponse,
};
use etcd_playground::sim::World;

const INFRA1: &str = "127.0.0.1:2379";
const INFRA2: &str = "127.0.0.1:22379";
const T: Duration = Duration::from_secs(5);

fn status(w: &mut World, ep: &str) -> StatusResponse {
    match w.call(ep, None, Request::Status, T) {
        Ok(Response::Status(s)) => s,
        other => panic!("status: {other:?}"),
    }
}

fn put(w: &mut World, k: &str, v: &[u8]) -> Result<Response, CallError> {
    w.call(
        INFRA1,
        None,
        Request::Put(PutRequest {
            key: k.as_bytes().to_vec(),
            value: v.to_vec(),
            ..Default::default()
        }),
        T,
    )
}

fn rev(w: &mut World) -> i64 {
    status(w, INFRA1).header.revision
}

#[test]
fn db_size_follows_puts_compaction_and_defrag() {
    let mut w = World::new(1);
    w.advance(Duration::from_secs(2));
    let fresh = status(&mut w, INFRA1);
    assert_eq!((fresh.db_size, fresh.db_size_in_use), (20480, 16384));

    for i in 0..1000 {
        put(&mut w, &format!("key{i:06}"), &[b'x'; 100]).unwrap();
    }
    let grown = status(&mut w, INFRA1);
    // etcd 3.4.23 after the same 1,000 puts: 208,896 bytes
    assert!(
        (180_000..240_000).contains(&grown.db_size),
        "{}",
        grown.db_size
    );
    w.advance(Duration::from_millis(500));
    assert_eq!(grown.db_size, status(&mut w, INFRA2).db_size);

    for _ in 0..1000 {
        put(&mut w, "same", &[b'y'; 100]).unwrap();
    }
    let before = status(&mut w, INFRA1);
    assert!(before.db_size > grown.db_size);
    let r = rev(&mut w);
    w.call(
        INFRA1,
        None,
        Request::Compaction(CompactionRequest {
            revision: r,
            physical: true,
        }),
        T,
    )
    .unwrap();
    let compacted = status(&mut w, INFRA1);
    assert_eq!(
        compacted.db_size, before.db_size,
        "compaction keeps the file"
    );
    assert!(compacted.db_size_in_use < before.db_size_in_use * 2 / 3);

    for i in 0..100 {
        put(&mut w, &format!("after{i}"), &[b'z'; 100]).unwrap();
    }
    let reused = status(&mut w, INFRA1);
    assert_eq!(reused.db_size, before.db_size, "freed pages are reused");
    assert!(reused.db_size_in_use > compacted.db_size_in_use);

    w.call(INFRA1, None, Request::Defragment, T).unwrap();
    let defragged = status(&mut w, INFRA1);
    assert_eq!(defragged.db_size, defragged.db_size_in_use + 4096);
    assert!(defragged.db_size < before.db_size);
    // defrag works on the member it is sent to only
    w.advance(Duration::from_millis(500));
    assert_eq!(status(&mut w, INFRA2).db_size, before.db_size);
}

#[test]
fn nospace_alarm_from_quota_to_disarm() {
    let mut w = World::new(2);
    w.set_quota_backend_bytes(40_000);
    w.advance(Duration::from_secs(2));
    let big = vec![b'x'; 12_000];
    put(&mut w, "big1", &big).unwrap();
    let no_space = Err(CallError::Server(etcd_playground::api::errors::no_space()));
    assert_eq!(put(&mut w, "big2", &big), no_space);
    w.advance(Duration::from_millis(500));
    let s = status(&mut w, INFRA2);
    assert_eq!(
        s.errors,
        vec![format!("memberID:{} alarm:NOSPACE ", s.leader)]
    );
    // every member refuses writes while the alarm is on; deletes and compaction work
    assert_eq!(put(&mut w, "small", b"v"), no_space);
    w.call(
        INFRA2,
        None,
        Request::DeleteRange(DeleteRangeRequest {
            key: b"big1".to_vec(),
            ..Default::default()
        }),
        T,
    )
    .unwrap();
    let r = rev(&mut w);
    w.call(
        INFRA1,
        None,
        Request::Compaction(CompactionRequest {
            revision: r,
            physical: true,
        }),
        T,
    )
    .unwrap();
    for ep in [INFRA1, INFRA2, "127.0.0.1:32379"] {
        w.call(ep, None, Request::Defragment, T).unwrap();
    }
    assert_eq!(put(&mut w, "small", b"v"), no_space, "still alarmed");
    let disarmed = w
        .call(
            INFRA1,
            None,
            Request::Alarm {
                action: AlarmAction::Deactivate,
                member_id: s.leader,
                alarm: AlarmType::NoSpace,
            },
            T,
        )
        .unwrap();
    let Response::Alarm(a) = disarmed else {
        panic!("{disarmed:?}")
    };
    assert_eq!(a.alarms.len(), 1, "the answer names the alarm disarmed");
    put(&mut w, "small", b"v").unwrap();
    assert!(status(&mut w, INFRA1).errors.is_empty());
}
