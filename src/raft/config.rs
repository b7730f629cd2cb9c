//! A Raft node's settings (`raft.Config`), checked by [`Config::validate`].

use super::error::RaftError;

/// Settings of one Raft node. Ticks are the world's 100 ms heartbeat interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// This node's ID (never 0).
    pub id: u64,
    /// Ticks without hearing from a leader before a follower campaigns (randomized in
    /// `[election_tick, 2 * election_tick)`).
    pub election_tick: u64,
    /// Ticks between a leader's heartbeats.
    pub heartbeat_tick: u64,
    /// At most this many entries in one MsgApp.
    pub max_entries_per_msg: usize,
    /// At most this many MsgApps in flight to one follower in replicate state.
    pub max_inflight_msgs: usize,
    /// A leader steps down when it has not heard from a quorum for an election timeout.
    pub check_quorum: bool,
    /// Candidates first ask whether they could win (pre-vote) before raising the term.
    pub pre_vote: bool,
    /// The index already applied (after a restart, the snapshot's).
    pub applied: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            id: 0,
            election_tick: 10,
            heartbeat_tick: 1,
            max_entries_per_msg: 256,
            max_inflight_msgs: 256,
            check_quorum: true,
            pre_vote: true,
            applied: 0,
        }
    }
}

impl Config {
    pub fn new(id: u64) -> Self {
        Config { id, ..Default::default() }
    }

    /// Rejects settings Raft cannot run with.
    pub fn validate(&self) -> Result<(), RaftError> {
        if self.id == 0 {
            return Err(RaftError::InvalidConfig("cannot use none as id".into()));
        }
        if self.heartbeat_tick == 0 {
            return Err(RaftError::InvalidConfig("heartbeat tick must be greater than 0".into()));
        }
        if self.election_tick <= self.heartbeat_tick {
            return Err(RaftError::InvalidConfig(
                "election tick must be greater than heartbeat tick".into(),
            ));
        }
        if self.max_inflight_msgs == 0 {
            return Err(RaftError::InvalidConfig("max inflight messages must be greater than 0".into()));
        }
        if self.max_entries_per_msg == 0 {
            return Err(RaftError::InvalidConfig("max entries per message must be greater than 0".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_rejects_bad_settings() {
        assert!(Config::new(1).validate().is_ok());
        assert!(Config::new(0).validate().is_err());
        let c = Config { election_tick: 1, ..Config::new(1) };
        assert_eq!(
            c.validate(),
            Err(RaftError::InvalidConfig("election tick must be greater than heartbeat tick".into()))
        );
        assert!(Config { heartbeat_tick: 0, ..Config::new(1) }.validate().is_err());
        assert!(Config { max_inflight_msgs: 0, ..Config::new(1) }.validate().is_err());
    }
}
