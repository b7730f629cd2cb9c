//! What a console process leaves behind when it ends: what it printed on stdout and stderr
//! and its exit status. etcdctl (API 2), the console's wrappers, its background jobs and the
//! page all hand results around in this shape.
//!
//! It sits beside the Cluster interface, below both the consoles and the playground, so that
//! neither has to import the other for it. Owns: [`Output`]. Must not touch: anything else.

/// What one process (or one console line) printed, and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}
