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
}

/// A file opened in the page's editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edit {
    /// The absolute path on the node.
    pub path: String,
    pub text: String,
}
