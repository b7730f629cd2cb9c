//! The one object a page or the CLI drives: the simulated world, the etcdctl shell and the
//! playground's own commands (stop, start, partition, ...).

/// What one console line printed, and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}
