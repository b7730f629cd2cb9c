//! Opening a forged or damaged stored playground (issue 23 item 5), natively: a property test
//! over random damage (`playground::session::forged`). Every open ends, never panics, and
//! either brings the cluster up or says why it cannot. `FUZZ_CASES=N` sets how many cases
//! (default 2000, of which a tenth run here: each opens a whole session).

use etcd_playground::persist::DiskState;
use etcd_playground::playground::session::forged::{run, stored_after_writes};
use etcd_playground::playground::session::recovery::unrecoverable;
use etcd_playground::playground::session::Session;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
        / 10
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_damage_opens_or_says_why(data in prop::collection::vec(any::<u8>(), 0..40)) {
        run(&data);
    }
}

#[test]
fn the_reproductions_of_issue_23() {
    // term 0 on every disk: refused by validation, so nothing to restore from
    let mut f = stored_after_writes();
    for d in f.disks.values_mut() {
        for e in &mut d.entries {
            e.term = 0;
        }
    }
    f.disks.retain(|_, d: &mut DiskState| d.validate().is_ok());
    assert!(unrecoverable(&f).is_some());
    // every disk emptied
    let mut f = stored_after_writes();
    for d in f.disks.values_mut() {
        *d = DiskState::default();
    }
    assert!(unrecoverable(&f).is_some());
    // every member listed as removed
    let mut f = stored_after_writes();
    if let Some(st) = f.state.as_mut() {
        st.settings.removed = vec!["infra1".into(), "infra2".into(), "infra3".into()];
    }
    assert!(unrecoverable(&f).is_some());
    // a clock at the end of time: the restore is bounded, the cluster comes up
    let mut f = stored_after_writes();
    if let Some(st) = f.state.as_mut() {
        st.clock_us = u64::MAX;
    }
    assert_eq!(unrecoverable(&f), None);
    let (s, _) = Session::open(f);
    assert!(s.world().leader().is_some());
}
