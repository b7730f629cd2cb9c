//! Numbers as the pictures' SVG attributes take them: fixed decimals, written with integer
//! arithmetic. `format!("{x:.1}")` formats through core's exact float printing, which was the
//! first render's slowest own step (about 4 ms of the open: the Raft picture writes some 300
//! coordinates) and runs again at each redraw of the picture.
//!
//! Owns: the text of a coordinate, a length or an opacity. Must not touch: what is drawn.

/// `x` with `places` decimals (0 to 6; more are cut to 6), rounded half away from zero: the
/// text `format!("{x:.places$}")` gives, except at exact ties and for a negative that rounds to
/// zero (no "-0.0"). A value that is not finite, or beyond ±1e12, is written as 0 (no picture
/// draws one).
pub fn fixed(x: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10u64.pow(places);
    if !x.is_finite() || x.abs() > 1e12 {
        return fixed(0.0, places);
    }
    let scaled = (x.abs() * scale as f64).round() as u64;
    let (whole, frac) = (scaled / scale, scaled % scale);
    let sign = if x < 0.0 && scaled != 0 { "-" } else { "" };
    match places {
        0 => format!("{sign}{whole}"),
        p => format!("{sign}{whole}.{frac:0width$}", width = p as usize),
    }
}

/// `x` with one decimal (a coordinate or a length).
pub fn tenths(x: f64) -> String {
    fixed(x, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_writes_what_float_formatting_writes_away_from_ties() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / 997.0 - 1000.0;
            for places in 0..=3u32 {
                let scaled = v * 10f64.powi(places as i32);
                // (an exact tie rounds to even there, away from zero here)
                if (scaled.abs().fract() - 0.5).abs() < 1e-9 {
                    continue;
                }
                let want = format!("{v:.p$}", p = places as usize);
                // (a negative that rounds to zero: "-0.0" there, "0.0" here)
                if want.starts_with('-') && want.chars().all(|c| "-0.".contains(c)) {
                    assert_eq!(fixed(v, places), want[1..]);
                    continue;
                }
                assert_eq!(fixed(v, places), want, "{v} at {places} places");
            }
        }
    }

    #[test]
    fn small_negatives_zero_and_odd_values() {
        assert_eq!(tenths(-0.04), "0.0");
        assert_eq!(tenths(-0.06), "-0.1");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(12.0), "12.0");
        assert_eq!(fixed(0.456, 2), "0.46");
        assert_eq!(fixed(3.5, 0), "4");
        assert_eq!(tenths(f64::NAN), "0.0");
        assert_eq!(tenths(f64::INFINITY), "0.0");
        assert_eq!(tenths(-1e300), "0.0");
        assert_eq!(fixed(1.0, 99), "1.000000");
    }
}
