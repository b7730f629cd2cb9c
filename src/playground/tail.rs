//! Bounded text: the output a console keeps is cut to a budget, at line boundaries, and
//! says how much it left out. A background job keeps the tail of what it printed between two
//! takes ([`JOB_TAIL_BYTES`]); the page's session keeps the head of a command's output
//! ([`ENTRY_HEAD_BYTES`]) and the tail of what a running job appends ([`ENTRY_TAIL_BYTES`]).
//! etcdplay prints everything it is handed; only what is *kept* is bounded.
//!
//! Owns: the budgets and the cutting. Must not touch: what a command prints, where output goes.

/// What a background job keeps of its output between two takes (its newest lines).
pub const JOB_TAIL_BYTES: usize = 16 * 1024;

/// What the page keeps of one command's output (its first lines; the rest is counted).
pub const ENTRY_HEAD_BYTES: usize = 64 * 1024;

/// What the page's playground builds of a command's output stream (the rest is counted, never
/// built): a byte more than the entry keeps, so that cutting it to [`ENTRY_HEAD_BYTES`] ends
/// where cutting the whole output would.
pub const OUTPUT_LIMIT: usize = ENTRY_HEAD_BYTES + 1;

/// What a program inside a shell line builds of its output when the page bounds it: the next
/// program reads all of it (`etcdctl get --prefix --keys-only | wc -l` counts every key of the
/// large sample: 7 MB), the line's own output is still cut to the entry. Past it, the bytes
/// are counted and the entry says so.
pub const PIPE_LIMIT: usize = 32 << 20;

/// What the page keeps of the output a running or background job appends to its entry.
pub const ENTRY_TAIL_BYTES: usize = 16 * 1024;

/// The console entries the page keeps (the oldest go first, as a terminal's scrollback).
pub const MAX_ENTRIES: usize = 500;

/// The largest index `<= i` on a char boundary of `s`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Drops whole lines from the front of `s` until at most `keep` bytes remain (a line longer
/// than `keep` is cut inside); returns how many lines (or pieces of one) were dropped.
pub fn drop_front(s: &mut String, keep: usize) -> u64 {
    if s.len() <= keep {
        return 0;
    }
    let from = s.len() - keep;
    let cut = match s.as_bytes()[from.saturating_sub(1)..]
        .iter()
        .position(|&b| b == b'\n')
    {
        // the earliest line start at or after `from`
        Some(p) => from.saturating_sub(1) + p + 1,
        None => from,
    };
    let cut = floor_boundary(s, cut.min(s.len()));
    let dropped = s.as_bytes()[..cut].iter().filter(|&&b| b == b'\n').count() as u64;
    let partial = cut > 0 && s.as_bytes()[cut - 1] != b'\n';
    s.drain(..cut);
    dropped + partial as u64
}

/// Keeps the first `keep` bytes of `s` (cut after a line when one ends in the last quarter);
/// returns how many bytes were cut off.
pub fn cut_back(s: &mut String, keep: usize) -> usize {
    if s.len() <= keep {
        return 0;
    }
    let end = floor_boundary(s, keep);
    let end = match s[..end].rfind('\n') {
        Some(nl) if nl + 1 >= end - end / 4 => nl + 1,
        _ => end,
    };
    let cut = s.len() - end;
    s.truncate(end);
    // what was cut goes back to the allocator (a 174 MB output keeps 64 KiB)
    s.shrink_to_fit();
    cut
}

/// The line that replaces what [`cut_back`] left out.
pub fn truncated_note(bytes: usize) -> String {
    format!("… output truncated: {bytes} bytes not shown\n")
}

/// The line that stands for what [`drop_front`] left out.
pub fn dropped_note(lines: u64) -> String {
    format!("… {lines} earlier lines not shown\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_front_keeps_whole_lines() {
        let mut s = "aaa\nbbb\nccc\n".to_string();
        assert_eq!(drop_front(&mut s, 8), 1);
        assert_eq!(s, "bbb\nccc\n");
        assert_eq!(drop_front(&mut s, 5), 1);
        assert_eq!(s, "ccc\n");
        assert_eq!(drop_front(&mut s, 100), 0);
        let mut s = "x".repeat(10);
        assert_eq!(drop_front(&mut s, 4), 1);
        assert_eq!(s, "xxxx");
        let mut s = "éééé\n".to_string();
        drop_front(&mut s, 4);
        assert!(s.len() <= 5, "{s:?}");
    }

    #[test]
    fn cut_back_keeps_the_head() {
        let mut s = "aaaa\nbbbb\ncccc\n".to_string();
        assert_eq!(cut_back(&mut s, 12), 5);
        assert_eq!(s, "aaaa\nbbbb\n");
        let mut s = "ab\n".to_string() + &"é".repeat(10);
        let cut = cut_back(&mut s, 8);
        assert_eq!(s.len() + cut, 23);
        assert!(s.starts_with("ab\n"));
        assert_eq!(cut_back(&mut s, 100), 0);
        assert_eq!(truncated_note(5), "… output truncated: 5 bytes not shown\n");
    }
}
