//! What the console prints when a fault command cannot be carried out: the text of each
//! [`FaultError`] the world returns (`stop`, `start`, `partition`, `cut`, `heal`, `loss`,
//! `latency`).
//!
//! Owns: the wording. Must not touch: the faults themselves (`sim::faults`).

use crate::sim::FaultError;

/// The console's text for a fault that could not be set.
pub fn fault_text(e: &FaultError) -> String {
    match e {
        FaultError::UnknownMember { name, members } => {
            format!("unknown member \"{name}\" (members: {})", members.join(", "))
        }
        FaultError::NotStartable { unknown, added } => {
            format!("{}; {}", fault_text(unknown), fault_text(added))
        }
        FaultError::NoSuchMember => "no such member".to_string(),
        FaultError::AlreadyStopped(name) => format!("{name} is already stopped"),
        FaultError::AlreadyRunning(name) => format!("{name} is already running"),
        FaultError::Removed(name) => {
            format!("{name} was removed from the cluster and cannot start")
        }
        FaultError::NameTaken(name) => format!("a member is already called \"{name}\""),
        FaultError::NoAddedMember => "no added member waits to start (add one first: etcdctl member add NAME --peer-urls=http://127.0.0.1:42380)".to_string(),
        FaultError::SeveralAdded(n) => format!(
            "{n} added members wait to start; start them one at a time after each has joined"
        ),
        FaultError::PeerUrlNotLoopback(urls) => format!(
            "the added member's peer URL {urls:?} is not a 127.0.0.1 address the playground can play"
        ),
        FaultError::ClientUrlTaken { url, member } => {
            format!("client URL {url} is already served by member {member:x}")
        }
        FaultError::NamedTwice(name) => format!("{name} is named in more than one group"),
        FaultError::OneGroup => "a partition needs at least two groups".to_string(),
        FaultError::SameMember(name) => {
            format!("a link needs two different members, got {name} twice")
        }
        FaultError::LossOutOfRange(pct) => {
            format!("loss must be between 0 and 100 percent, got {pct}")
        }
        FaultError::LatencyOutOfRange(ms) => {
            format!("latency must be between 0 and 60000 ms, got {ms}")
        }
        FaultError::JitterOutOfRange(ms) => {
            format!("jitter must be between 0 and 60000 ms, got {ms}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::World;

    #[test]
    fn texts_of_refused_faults() {
        let mut w = World::new(1);
        let text = |r: Result<String, FaultError>| r.map_err(|e| fault_text(&e)).unwrap_err();
        assert_eq!(
            text(w.stop("infra9")),
            "unknown member \"infra9\" (members: infra1, infra2, infra3)"
        );
        assert_eq!(
            text(w.start("infra9")),
            "unknown member \"infra9\" (members: infra1, infra2, infra3); no added member waits \
             to start (add one first: etcdctl member add NAME --peer-urls=http://127.0.0.1:42380)"
        );
        assert_eq!(text(w.start("infra1")), "infra1 is already running");
        w.stop("infra3").unwrap();
        assert_eq!(text(w.stop("infra3")), "infra3 is already stopped");
        assert_eq!(
            text(w.partition(&[vec!["infra1".into()], vec!["infra1".into()]])),
            "infra1 is named in more than one group"
        );
        assert_eq!(
            text(w.partition(&[vec!["infra1".into(), "infra2".into(), "infra3".into()]])),
            "a partition needs at least two groups"
        );
        assert_eq!(
            text(w.cut_link("infra2", "infra2")),
            "a link needs two different members, got infra2 twice"
        );
        assert_eq!(
            text(w.set_loss(101)),
            "loss must be between 0 and 100 percent, got 101"
        );
        assert_eq!(
            text(w.set_link_latency("infra1", "infra2", 60_001)),
            "latency must be between 0 and 60000 ms, got 60001"
        );
        assert_eq!(
            text(w.set_jitter(70_000)),
            "jitter must be between 0 and 60000 ms, got 70000"
        );
        assert_eq!(
            fault_text(&FaultError::SeveralAdded(2)),
            "2 added members wait to start; start them one at a time after each has joined"
        );
        assert_eq!(
            fault_text(&FaultError::PeerUrlNotLoopback(vec![
                "http://10.0.0.1:2380".into()
            ])),
            "the added member's peer URL [\"http://10.0.0.1:2380\"] is not a 127.0.0.1 address \
             the playground can play"
        );
        assert_eq!(
            fault_text(&FaultError::ClientUrlTaken {
                url: "http://127.0.0.1:2379".into(),
                member: 0xab
            }),
            "client URL http://127.0.0.1:2379 is already served by member ab"
        );
        assert_eq!(
            fault_text(&FaultError::Removed("infra2".into())),
            "infra2 was removed from the cluster and cannot start"
        );
        assert_eq!(
            fault_text(&FaultError::NameTaken("infra2".into())),
            "a member is already called \"infra2\""
        );
    }
}
