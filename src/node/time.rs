//! Calendar dates for the node's printers, from simulated milliseconds since the Unix epoch
//! (always UTC, as on a node with `TZ=UTC`): `ls -l`'s date column, journald's and klog's
//! line prefixes, systemd's `since` dates.
//!
//! Owns: the civil-date arithmetic and these formats. Must not touch: any clock (time is
//! passed in).

use crate::node::fs::Millis;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0..=999_999
    pub micros: u32,
    /// 0 = Thursday (1970-01-01)
    weekday: usize,
}

impl Civil {
    pub fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize).saturating_sub(1) % 12]
    }
    pub fn weekday_name(&self) -> &'static str {
        DAYS[self.weekday % 7]
    }
}

/// Splits milliseconds since the epoch into a UTC date and time.
pub fn civil(ms: Millis) -> Civil {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: (rem / 3600) as u32,
        minute: (rem % 3600 / 60) as u32,
        second: (rem % 60) as u32,
        micros: (ms % 1000) as u32 * 1000,
        weekday: (days.rem_euclid(7)) as usize,
    }
}

/// Milliseconds since the epoch of a UTC date and time.
pub fn to_millis(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Millis {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    (secs.max(0) as u64) * 1000
}

/// Half a Gregorian year in milliseconds: ls's line between "recent" and "old".
const SIX_MONTHS_MS: u64 = 31_556_952 / 2 * 1000;

/// `ls -l`'s date: `May  1 10:00` within the six months before `now`, else `May  1  2024`.
pub fn ls_date(mtime: Millis, now: Millis) -> String {
    let c = civil(mtime);
    let recent = now.saturating_sub(SIX_MONTHS_MS) < mtime && mtime < now;
    if recent {
        format!(
            "{} {:>2} {:02}:{:02}",
            c.month_name(),
            c.day,
            c.hour,
            c.minute
        )
    } else {
        format!("{} {:>2}  {}", c.month_name(), c.day, c.year)
    }
}

/// journald's short prefix: `May 01 10:00:20`.
pub fn journal_date(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{} {:02} {:02}:{:02}:{:02}",
        c.month_name(),
        c.day,
        c.hour,
        c.minute,
        c.second
    )
}

/// klog's header time: `0501 10:00:20.123000`.
pub fn klog_date(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{:02}{:02} {:02}:{:02}:{:02}.{:06}",
        c.month, c.day, c.hour, c.minute, c.second, c.micros
    )
}

/// systemd's timestamp: `Wed 2024-05-01 09:58:12 UTC`.
pub fn systemd_date(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{} {}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        c.weekday_name(),
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second
    )
}

/// systemd's relative span (`5s`, `1min 2s`, `2h 3min`, `1 day 2h`).
pub fn systemd_ago(ms: Millis) -> String {
    let s = ms / 1000;
    if s < 60 {
        return format!("{}s", s);
    }
    if s < 3600 {
        let (m, r) = (s / 60, s % 60);
        return if r == 0 {
            format!("{}min", m)
        } else {
            format!("{}min {}s", m, r)
        };
    }
    if s < 86_400 {
        let (h, m) = (s / 3600, s % 3600 / 60);
        return if m == 0 {
            format!("{}h", h)
        } else {
            format!("{}h {}min", h, m)
        };
    }
    let (d, h) = (s / 86_400, s % 86_400 / 3600);
    let days = if d == 1 {
        "1 day".to_string()
    } else {
        format!("{} days", d)
    };
    if h == 0 {
        days
    } else {
        format!("{} {}h", days, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let t = to_millis(2024, 5, 1, 10, 0, 30);
        assert_eq!(t, 1_714_557_630_000);
        let c = civil(t);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second),
            (2024, 5, 1, 10, 0, 30)
        );
        assert_eq!(systemd_date(t), "Wed 2024-05-01 10:00:30 UTC");
        assert_eq!(journal_date(t + 5), "May 01 10:00:30");
        assert_eq!(klog_date(t + 5), "0501 10:00:30.005000");
        assert_eq!(civil(to_millis(2000, 2, 29, 0, 0, 0)).day, 29);
    }

    #[test]
    fn ls_six_months() {
        let now = to_millis(2024, 5, 1, 10, 5, 0);
        assert_eq!(
            ls_date(to_millis(2024, 5, 1, 9, 12, 0), now),
            "May  1 09:12"
        );
        assert_eq!(ls_date(now, now), "May  1  2024");
        assert_eq!(
            ls_date(to_millis(2023, 5, 1, 9, 12, 0), now),
            "May  1  2023"
        );
        assert_eq!(
            ls_date(to_millis(2024, 11, 12, 9, 12, 0), now),
            "Nov 12  2024"
        );
        assert_eq!(systemd_ago(62_000), "1min 2s");
    }
}
