//! What a console process leaves behind when it ends: what it printed on stdout and stderr
//! and its exit status. etcdctl (API 2), the console's wrappers, its background jobs and the
//! page all hand results around in this shape.
//!
//! It sits beside the Cluster interface, below both the consoles and the playground, so that
//! neither has to import the other for it. Owns: [`Output`], [`Edit`]. Must not touch: anything else.

/// What one process (or one console line) printed, and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
    /// Set by `vi|vim|nano FILE` on a node when the page has an editor: the file to open
    /// (its text, empty for a new file). The page saves it back with `Playground::save_edit`.
    pub edit: Option<Edit>,
    /// The order the two streams were written in, as a terminal shows them: (stderr?,
    /// bytes) runs. Empty: all of stdout, then all of stderr. Bytes added to a stream
    /// afterwards (a hint, a truncation note) come after the runs.
    pub order: Vec<(bool, usize)>,
}

/// Records `n` bytes written to a stream (stderr?) in an [`Output::order`]: a run of the
/// stream written last grows, another stream starts a run.
pub fn push_run(order: &mut Vec<(bool, usize)>, err: bool, n: usize) {
    if n == 0 {
        return;
    }
    match order.last_mut() {
        Some((e, len)) if *e == err => *len += n,
        _ => order.push((err, n)),
    }
}

impl Output {
    /// stdout and stderr cut into the runs they were written in (stderr? and text), in
    /// order; every byte of both appears once, whatever `order` says.
    pub fn pieces(&self) -> Vec<(bool, &str)> {
        let streams = [self.stdout.as_str(), self.stderr.as_str()];
        let mut at = [0usize; 2];
        // (stream, start, end) runs; a run of the stream just written extends the last one
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        let mut take = |i: usize, len: usize, runs: &mut Vec<(usize, usize, usize)>| {
            let s = streams[i];
            let mut end = at[i].saturating_add(len).min(s.len());
            while !s.is_char_boundary(end) {
                end += 1;
            }
            if end > at[i] {
                match runs.last_mut() {
                    Some(last) if last.0 == i => last.2 = end,
                    _ => runs.push((i, at[i], end)),
                }
                at[i] = end;
            }
        };
        for &(err, len) in &self.order {
            take(usize::from(err), len, &mut runs);
        }
        take(0, usize::MAX, &mut runs);
        take(1, usize::MAX, &mut runs);
        runs.into_iter()
            .map(|(i, a, b)| (i == 1, &streams[i][a..b]))
            .collect()
    }
}

/// A file opened in the page's editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edit {
    /// The absolute path on the node.
    pub path: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_follow_the_order_written_and_lose_nothing() {
        let o = Output {
            stdout: "Authentication Enabled\nhint\n".into(),
            stderr: "warn\n".into(),
            order: vec![(true, 5), (false, 23)],
            ..Output::default()
        };
        assert_eq!(
            o.pieces(),
            [(true, "warn\n"), (false, "Authentication Enabled\nhint\n")]
        );
        let plain = Output {
            stdout: "a".into(),
            stderr: "b".into(),
            ..Output::default()
        };
        assert_eq!(plain.pieces(), [(false, "a"), (true, "b")]);
        // an order that does not add up, cutting a character: still every byte once
        let odd = Output {
            stdout: "é".into(),
            stderr: "x".into(),
            order: vec![(false, 1), (true, 9), (false, 1)],
            ..Output::default()
        };
        assert_eq!(odd.pieces(), [(false, "é"), (true, "x")]);
    }
}
