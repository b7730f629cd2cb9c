//! Whether what a page load found can bring the cluster up at all (issue 23): the disks that
//! passed [`crate::persist::DiskState::validate`] and the stored settings. A member whose disk
//! is missing or damaged is restored from its peers; when no member has anything to restore
//! from, or the settings remove every member, no restore can help and the page must offer
//! reset and export instead of a console whose commands time out forever.
//!
//! Owns: that verdict and its text. Must not touch: the restore itself (`sim::restore`), the
//! page's banner (`ui`).

use super::persistence::Found;
use crate::sim::DEFAULT_MEMBERS;

/// Why the cluster cannot be restored from `found`, or `None` when it can (or when nothing
/// was stored: a fresh page).
pub fn unrecoverable(found: &Found) -> Option<String> {
    let state = found.state.as_ref()?;
    let names = DEFAULT_MEMBERS.map(|(name, _, _)| name);
    if names
        .iter()
        .all(|n| state.settings.removed.iter().any(|r| r == n))
    {
        return Some(
            "The stored playground lists every member as removed, so no member can start: reset the playground (export it first to keep a copy)"
                .to_string(),
        );
    }
    // a member that can lead the others back knows who the members are: from its snapshot, or
    // from the bootstrap's conf changes (the first entries) being committed
    let knows_members = |n: &str| {
        found.disks.get(n).is_some_and(|d| {
            !d.snapshot.metadata.conf_state.voters.is_empty()
                || d.hard_state.commit >= DEFAULT_MEMBERS.len() as u64
        })
    };
    if !names.iter().any(|n| knows_members(n)) {
        return Some(
            "No member's stored disk could be read with the cluster's membership committed on it, so there is no peer to restore the cluster from: reset the playground (export it first to keep a copy)"
                .to_string(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::DiskState;
    use crate::playground::session::Session;

    fn found_after_a_put() -> Found {
        let mut s = Session::new(7);
        s.start_persisting();
        s.run_line("etcdctl put k v");
        Found {
            state: Some(s.state()),
            disks: s.world().disk_states(),
            ..Default::default()
        }
    }

    #[test]
    fn a_whole_store_is_recoverable() {
        let f = found_after_a_put();
        assert_eq!(unrecoverable(&f), None);
        assert_eq!(unrecoverable(&Found::default()), None, "a fresh page");
    }

    #[test]
    fn one_good_disk_is_enough() {
        let mut f = found_after_a_put();
        f.disks.remove("infra1");
        f.disks.insert("infra2".into(), DiskState::default());
        assert_eq!(unrecoverable(&f), None);
    }

    #[test]
    fn no_good_disk_or_every_member_removed_is_not() {
        let mut f = found_after_a_put();
        f.disks.clear();
        assert!(unrecoverable(&f).is_some_and(|t| t.contains("no peer")));
        let mut f = found_after_a_put();
        for d in f.disks.values_mut() {
            *d = DiskState::default();
        }
        assert!(unrecoverable(&f).is_some());
        let mut f = found_after_a_put();
        if let Some(st) = f.state.as_mut() {
            st.settings.removed = vec!["infra1".into(), "infra2".into(), "infra3".into()];
        }
        assert!(unrecoverable(&f).is_some_and(|t| t.contains("removed")));
    }

    #[test]
    fn a_disk_that_never_committed_the_membership_cannot_lead_the_others_back() {
        // the fuzzer's case: only infra2 left, its commit forged to 0 (no snapshot yet), so it
        // does not know the voters and cannot campaign; the members restored empty cannot
        // outvote its longer log
        let mut f = found_after_a_put();
        f.disks.remove("infra1");
        f.disks.remove("infra3");
        if let Some(d) = f.disks.get_mut("infra2") {
            d.hard_state.commit = 0;
        }
        assert!(unrecoverable(&f).is_some_and(|t| t.contains("no peer")));
    }
}
