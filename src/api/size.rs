//! Sizes for people: the one way the page writes a byte count, so that the `load k8s`
//! message, the /registry picture and a key's detail show the same figure for the same bytes.
//! SI units as etcdctl writes them (Go's `humanize.Bytes`: `953 B`, `20 kB`, `1.2 MB`, with
//! 1 kB = 1000 bytes), so a learner meets one convention across the page and the console.
//!
//! Owns: nothing but these functions. Must not touch: any state, any other module.

/// humanize.Bytes: SI units, e.g. `20 kB`, `1.2 MB`, `953 B`.
pub fn humanize(n: u64) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    let sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let e = ((n as f64).ln() / 1000f64.ln()).floor() as usize;
    let e = e.min(sizes.len() - 1);
    let val = (n as f64 / 1000f64.powi(e as i32) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{:.1} {}", val, sizes[e])
    } else {
        format!("{:.0} {}", val, sizes[e])
    }
}

/// An exact count with thousands separators: `238,899`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_etcdctl_writes_them() {
        assert_eq!(humanize(0), "0 B");
        assert_eq!(humanize(953), "953 B");
        assert_eq!(humanize(20_480), "20 kB");
        assert_eq!(humanize(238_899), "239 kB");
        assert_eq!(humanize(1_234_567), "1.2 MB");
        assert_eq!(humanize(124_780_000), "125 MB");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(238_899), "238,899");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
