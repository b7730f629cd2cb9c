//! `Lessor`: grant, revoke, renew (keep-alive), time-to-live, list, attach/detach, expiry.
//!
//! Owns: the lease table. Must not touch: the store, the clock (time is passed in).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::Error;

/// etcd's `MaxLeaseTTL`: 9,000,000,000 seconds.
pub const MAX_LEASE_TTL: i64 = 9_000_000_000;

/// After an expired lease is reported, wait this long before reporting it again
/// (etcd's `expiredLeaseRetryInterval`).
const EXPIRED_RETRY: Duration = Duration::from_secs(3);

/// One lease.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub id: i64,
    /// The granted TTL in seconds (after the minimum was applied).
    pub ttl: i64,
    /// When the lease expires (simulated time); `None` = never (lessor not primary).
    /// Leader-local, as in etcd: a snapshot stores every lease as a follower holds it
    /// (no expiry), and the member that becomes leader refreshes them all.
    #[serde(with = "as_follower")]
    pub expiry: Option<Duration>,
    /// Attached keys, in byte order.
    #[serde(with = "keyset")]
    pub keys: BTreeSet<Vec<u8>>,
    /// Not reported as expired again before this time.
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

mod keyset {
    use std::collections::BTreeSet;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &BTreeSet<Vec<u8>>, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(s.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<Vec<u8>>, D::Error> {
        Ok(Vec::<Vec<u8>>::deserialize(d)?.into_iter().collect())
    }
}

/// Writes a leader-local field as a follower holds it (`T::default()`: no expiry, not
/// primary) and reads any stored value back as that, so older stores read the same way.
mod as_follower {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Default + Serialize, S: Serializer>(
        _: &T,
        ser: S,
    ) -> Result<S::Ok, S::Error> {
        T::default().serialize(ser)
    }

    pub fn deserialize<'de, T: Default + Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        T::deserialize(d).map(|_| T::default())
    }
}

fn ttl_duration(ttl: i64) -> Duration {
    Duration::from_secs(u64::try_from(ttl).unwrap_or(0))
}

impl Lease {
    /// Remaining time at `now`; `None` for a lease that never expires.
    pub fn remaining(&self, now: Duration) -> Option<Duration> {
        self.expiry.map(|e| e.saturating_sub(now))
    }

    /// Remaining whole seconds as etcd reports them (`int64(Remaining().Seconds())`, truncated
    /// toward zero, negative once past the expiry); a lease that never expires reports Go's
    /// `math.MaxInt64` nanoseconds in seconds.
    pub fn remaining_secs(&self, now: Duration) -> i64 {
        match self.expiry {
            Some(e) => {
                let nanos = e.as_nanos() as i128 - now.as_nanos() as i128;
                i64::try_from(nanos / 1_000_000_000).unwrap_or(i64::MAX)
            }
            None => i64::MAX / 1_000_000_000,
        }
    }

    pub fn expired(&self, now: Duration) -> bool {
        matches!(self.expiry, Some(e) if e <= now)
    }

    fn refresh(&mut self, now: Duration, extend: Duration) {
        self.expiry = Some(
            now.saturating_add(extend)
                .saturating_add(ttl_duration(self.ttl)),
        );
        self.retry_after = None;
    }
}

/// The lessor of one member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lessor {
    leases: BTreeMap<i64, Lease>,
    #[serde(with = "crate::api::serde_pairs")]
    items: BTreeMap<Vec<u8>, i64>,
    /// Whether this lessor is the primary (the member is the leader). Stored as false, like
    /// the expiries: the snapshots of every member at one index are then the same bytes
    /// (the page stores them once), and a member restored from a leader's snapshot does not
    /// think it is still primary.
    #[serde(with = "as_follower")]
    primary: bool,
    /// The minimum TTL in seconds.
    min_ttl: i64,
}

impl Default for Lessor {
    fn default() -> Self {
        Lessor {
            leases: BTreeMap::new(),
            items: BTreeMap::new(),
            primary: false,
            min_ttl: 2,
        }
    }
}

impl Lessor {
    pub fn new() -> Self {
        Lessor::default()
    }

    /// Sets the minimum TTL (etcd: `ceil(1.5 × election timeout)` in seconds).
    pub fn set_min_ttl(&mut self, secs: i64) {
        self.min_ttl = secs.max(1);
    }

    pub fn min_ttl(&self) -> i64 {
        self.min_ttl
    }

    /// The minimum TTL for an election timeout, as etcd computes it.
    pub fn min_ttl_for_election_timeout(election_timeout: Duration) -> i64 {
        let ms = election_timeout.as_millis();
        // ceil(1.5 * ms / 1000)
        i64::try_from((ms.saturating_mul(3)).div_ceil(2000)).unwrap_or(i64::MAX)
    }

    pub fn is_primary(&self) -> bool {
        self.primary
    }

    /// Grants lease `id` with `ttl` seconds at `now`.
    pub fn grant(&mut self, id: i64, ttl: i64, now: Duration) -> Result<&Lease, Error> {
        if id == 0 {
            return Err(Error::NotFound);
        }
        if ttl > MAX_LEASE_TTL {
            return Err(Error::TtlTooLarge);
        }
        if self.leases.contains_key(&id) {
            return Err(Error::Exists);
        }
        let mut l = Lease {
            id,
            ttl: ttl.max(self.min_ttl),
            expiry: None,
            keys: BTreeSet::new(),
            retry_after: None,
        };
        if self.primary {
            l.refresh(now, Duration::ZERO);
        }
        Ok(self.leases.entry(id).or_insert(l))
    }

    /// Removes lease `id`; returns its attached keys (sorted) for the caller to delete.
    pub fn revoke(&mut self, id: i64) -> Result<Vec<Vec<u8>>, Error> {
        let l = self.leases.remove(&id).ok_or(Error::NotFound)?;
        for k in &l.keys {
            if self.items.get(k) == Some(&id) {
                self.items.remove(k);
            }
        }
        Ok(l.keys.into_iter().collect())
    }

    /// Keep-alive: renews lease `id` at `now`; returns its TTL. On a lessor that is not
    /// primary the lease is left as it is (etcd forwards keep-alives to the leader).
    pub fn renew(&mut self, id: i64, now: Duration) -> Result<i64, Error> {
        let primary = self.primary;
        let l = self.leases.get_mut(&id).ok_or(Error::NotFound)?;
        if primary {
            if l.expired(now) {
                return Err(Error::NotFound);
            }
            l.refresh(now, Duration::ZERO);
        }
        Ok(l.ttl)
    }

    pub fn lookup(&self, id: i64) -> Option<&Lease> {
        self.leases.get(&id)
    }

    /// The lease a key is attached to (0 = none).
    pub fn get_lease(&self, key: &[u8]) -> i64 {
        self.items.get(key).copied().unwrap_or(0)
    }

    /// Attaches `key` to lease `id` (detaching it from any other lease).
    pub fn attach(&mut self, id: i64, key: &[u8]) -> Result<(), Error> {
        if !self.leases.contains_key(&id) {
            return Err(Error::NotFound);
        }
        self.detach_key(key);
        if let Some(l) = self.leases.get_mut(&id) {
            l.keys.insert(key.to_vec());
        }
        self.items.insert(key.to_vec(), id);
        Ok(())
    }

    /// Detaches `key` from whatever lease holds it.
    pub fn detach_key(&mut self, key: &[u8]) {
        if let Some(old) = self.items.remove(key) {
            if let Some(l) = self.leases.get_mut(&old) {
                l.keys.remove(key);
            }
        }
    }

    /// Every lease, sorted by expiry as etcd's `Leases()` does (then by ID).
    pub fn leases(&self) -> Vec<&Lease> {
        let mut v: Vec<&Lease> = self.leases.values().collect();
        crate::sort::sort_by_key(&mut v, |l| (l.expiry.is_none(), l.expiry, l.id));
        v
    }

    pub fn len(&self) -> usize {
        self.leases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.leases.is_empty()
    }

    /// Makes this lessor primary (the member became leader) and refreshes every lease with
    /// `extend` added (etcd refreshes with the election timeout so leases do not expire while
    /// the new leader settles).
    pub fn promote(&mut self, now: Duration, extend: Duration) {
        self.primary = true;
        for l in self.leases.values_mut() {
            l.refresh(now, extend);
        }
    }

    /// Makes this lessor a follower's: leases stop expiring.
    pub fn demote(&mut self) {
        self.primary = false;
        for l in self.leases.values_mut() {
            l.expiry = None;
            l.retry_after = None;
        }
    }

    /// The leases that have expired at `now` and are due to be revoked (primary only). A lease
    /// reported here is not reported again for 3 s (etcd's retry interval), so the leader
    /// proposes one revoke per lease unless that revoke is lost.
    pub fn expired_leases(&mut self, now: Duration) -> Vec<i64> {
        if !self.primary {
            return Vec::new();
        }
        let mut out = Vec::new();
        for l in self.leases.values_mut() {
            if l.expired(now) && l.retry_after.map(|t| t <= now).unwrap_or(true) {
                l.retry_after = Some(now.saturating_add(EXPIRED_RETRY));
                out.push(l.id);
            }
        }
        out
    }

    /// The earliest expiry among leases (primary only): when the member should look again.
    pub fn next_expiry(&self) -> Option<Duration> {
        if !self.primary {
            return None;
        }
        self.leases.values().filter_map(|l| l.expiry).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn grant_raises_ttl_to_minimum() {
        let mut le = Lessor::new();
        assert_eq!(le.grant(1, 0, S).unwrap().ttl, 2);
        assert_eq!(le.grant(2, 1, S).unwrap().ttl, 2);
        assert_eq!(le.grant(3, 600, S).unwrap().ttl, 600);
        assert_eq!(le.grant(3, 600, S), Err(Error::Exists));
        assert_eq!(le.grant(4, MAX_LEASE_TTL + 1, S), Err(Error::TtlTooLarge));
        assert_eq!(le.grant(0, 5, S), Err(Error::NotFound));
        assert_eq!(
            Lessor::min_ttl_for_election_timeout(Duration::from_millis(1000)),
            2
        );
        assert_eq!(
            Lessor::min_ttl_for_election_timeout(Duration::from_millis(5000)),
            8
        );
    }

    #[test]
    fn stored_as_a_follower_holds_it() {
        let mut leader = Lessor::new();
        let mut follower = Lessor::new();
        for le in [&mut leader, &mut follower] {
            le.grant(7, 60, Duration::ZERO).unwrap();
        }
        leader.promote(10 * S, S);
        assert!(leader.is_primary() && leader.leases[&7].expiry.is_some());
        let bytes = postcard::to_allocvec(&leader).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&follower).unwrap());
        let back: Lessor = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, follower);
        assert!(!back.is_primary() && back.leases[&7].expiry.is_none());
    }

    #[test]
    fn expiry_only_on_primary() {
        let mut le = Lessor::new();
        le.grant(7, 2, Duration::ZERO).unwrap();
        assert!(le.expired_leases(10 * S).is_empty());
        le.promote(10 * S, S);
        assert!(le.expired_leases(12 * S).is_empty());
        assert_eq!(le.expired_leases(13 * S), vec![7]);
        assert!(le.expired_leases(14 * S).is_empty());
        assert_eq!(le.expired_leases(16 * S), vec![7]);
        assert_eq!(le.renew(7, 16 * S), Err(Error::NotFound));
        le.demote();
        assert!(le.expired_leases(100 * S).is_empty());
    }

    #[test]
    fn attach_detach_revoke() {
        let mut le = Lessor::new();
        le.promote(Duration::ZERO, Duration::ZERO);
        le.grant(1, 60, Duration::ZERO).unwrap();
        le.grant(2, 60, Duration::ZERO).unwrap();
        le.attach(1, b"b").unwrap();
        le.attach(1, b"a").unwrap();
        le.attach(2, b"a").unwrap();
        assert_eq!(le.get_lease(b"a"), 2);
        assert_eq!(le.revoke(1).unwrap(), vec![b"b".to_vec()]);
        assert_eq!(le.get_lease(b"b"), 0);
        assert_eq!(le.revoke(1), Err(Error::NotFound));
        assert_eq!(le.renew(2, 30 * S).unwrap(), 60);
        assert_eq!(le.lookup(2).unwrap().remaining_secs(40 * S), 50);
    }
}
