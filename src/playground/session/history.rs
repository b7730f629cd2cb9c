//! The console's command history and the ↑/↓ cursor over it, as a shell keeps them:
//! ↑ walks back through earlier lines, ↓ walks forward and past the newest line returns to
//! what was being typed before the walk began. It keeps the newest [`HISTORY_LINES`] lines.

/// The lines the history keeps (the oldest go first, as a shell's `HISTSIZE`).
pub const HISTORY_LINES: usize = 5_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// Index into `lines` while walking; `None` when editing a fresh line.
    cursor: Option<usize>,
    /// What was in the input when the walk began.
    draft: String,
}

impl History {
    pub fn new(lines: Vec<String>) -> Self {
        History {
            lines,
            cursor: None,
            draft: String::new(),
        }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Records a line that was run (blank lines and immediate repeats are not kept) and ends any walk.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.lines.last().map(String::as_str) == Some(line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > HISTORY_LINES + HISTORY_LINES / 10 {
            let n = self.lines.len() - HISTORY_LINES;
            self.lines.drain(..n);
        }
    }

    /// ↑: the previous line, or `None` when there is nothing earlier.
    pub fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.cursor {
            None => {
                if self.lines.is_empty() {
                    return None;
                }
                self.draft = current.to_string();
                self.lines.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(next);
        self.lines.get(next).cloned()
    }

    /// ↓: the next line, the draft after the newest line, or `None` when not walking.
    pub fn down(&mut self) -> Option<String> {
        let i = self.cursor?;
        if i + 1 < self.lines.len() {
            self.cursor = Some(i + 1);
            self.lines.get(i + 1).cloned()
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn walks_back_and_forth_and_restores_the_draft() {
        let mut h = History::default();
        h.push("etcdctl put a 1");
        h.push("etcdctl get a");
        assert_eq!(h.up("half typed").as_deref(), Some("etcdctl get a"));
        assert_eq!(h.up("").as_deref(), Some("etcdctl put a 1"));
        assert_eq!(h.up(""), None);
        assert_eq!(h.down().as_deref(), Some("etcdctl get a"));
        assert_eq!(h.down().as_deref(), Some("half typed"));
        assert_eq!(h.down(), None);
    }

    #[test]
    fn skips_blank_lines_and_repeats() {
        let mut h = History::default();
        h.push("  ");
        h.push("x");
        h.push("x");
        assert_eq!(h.lines(), ["x".to_string()]);
        assert_eq!(History::default().up("draft"), None);
    }
}
