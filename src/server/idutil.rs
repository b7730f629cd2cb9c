//! etcd's request/lease ID generator (`pkg/idutil`): the low 16 bits of the member ID in the
//! top 16 bits, then 40 bits of the (simulated) unix time in milliseconds at start-up, then an
//! 8-bit counter; each `next` increments the 48-bit suffix.
//!
//! Owns only the counter; the time comes in from the caller (the world's clock).

const TS_LEN: u32 = 5 * 8;
const CNT_LEN: u32 = 8;
const SUFFIX_LEN: u32 = TS_LEN + CNT_LEN;

fn lowbit(x: u64, n: u32) -> u64 {
    x & (u64::MAX >> (64 - n))
}

/// Generates unique IDs for one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generator {
    prefix: u64,
    suffix: u64,
}

impl Generator {
    /// `member_id`'s low 16 bits become the prefix; `unix_nanos` is the start-up time.
    pub fn new(member_id: u64, unix_nanos: i64) -> Self {
        let prefix = (member_id & 0xffff) << SUFFIX_LEN;
        let unix_milli = (unix_nanos.max(0) as u64) / 1_000_000;
        let suffix = lowbit(unix_milli, TS_LEN) << CNT_LEN;
        Generator { prefix, suffix }
    }

    /// The next ID.
    pub fn next_id(&mut self) -> u64 {
        self.suffix = self.suffix.wrapping_add(1);
        self.prefix | lowbit(self.suffix, SUFFIX_LEN)
    }

    /// The next lease ID: positive (bit 63 cleared) and never 0 (`NoLease`).
    pub fn next_lease_id(&mut self) -> i64 {
        loop {
            let id = (self.next_id() & ((1u64 << 63) - 1)) as i64;
            if id != 0 {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_ids_have_etcds_shape() {
        let mut g = Generator::new(0x8211f1d0f64f3269, 1_700_000_000_123_456_789);
        let a = g.next_lease_id();
        let b = g.next_lease_id();
        assert_eq!((a as u64) >> 48, 0x3269);
        assert_eq!(b, a + 1);
        let ms = 1_700_000_000_123u64 & ((1 << 40) - 1);
        assert_eq!(a as u64 & ((1 << 48) - 1), (ms << 8) + 1);
        let mut g = Generator::new(0xfd422379fda50e48, 0);
        assert_eq!(
            g.next_lease_id() as u64,
            0x0e48_0000_0000_0001 & ((1 << 63) - 1)
        );
    }
}
