//! What the page can ask of its session: one [`Action`] for every click, key and timer tick
//! that changes something, applied by [`Session::apply`](super::Session::apply), and what
//! the page must do afterwards ([`Applied`]: flush the disks, refresh the keyspace).
//!
//! Owns: the action type. Must not touch: DOM events (the page turns them into actions) or
//! what an action does (the session's other modules).

use super::commands::ClusterOp;
use crate::registry::tree::NodeId;

/// One input of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// What the console sends: one line, or a paste of several.
    Run(String),
    /// A button of the cluster picture, the member strip or a link's panel.
    Cluster(ClusterOp),
    /// The lessons panel's "show me": run the current step's solution.
    ShowMe,
    /// Leave the lesson in progress.
    CloseLesson,
    /// Ctrl+C while a long-running command is the current job (or a command waits for
    /// terminal input).
    Interrupt,
    /// Enter while a command reads the terminal: the line typed (a paste: several).
    TerminalLine(String),
    /// Ctrl+D while a command reads the terminal: the end of its input (after what the
    /// input holds).
    TerminalEof(String),
    /// Ctrl+L.
    ClearScreen,
    /// The editor `vi FILE` opened saved `text` to `path`.
    SaveEdit {
        path: String,
        text: String,
    },
    /// A file dropped on the console.
    DropFile {
        name: String,
        bytes: Vec<u8>,
    },
    PlayPause,
    /// `wall_ms` of page time passed (the play timer; nothing happens while paused).
    Play(f64),
    Step,
    UntilIdle,
    /// A speed picked from [`SPEEDS`](super::SPEEDS) (runs `speed X` in the console).
    Speed(usize),
    /// The timeline moved to a moment, in ms of simulated time.
    Seek(u64),
    /// Replay the first election slowly: back to `t = 0`, playing at the slowest speed.
    WatchElection,
    SelectKey(Vec<u8>),
    /// The revision slider (`None`: the newest).
    Revision(Option<i64>),
    /// The v2 tree (`true`) or the v3 keys.
    V2(bool),
    ToggleFolder(NodeId),
    /// The layout picture's drill-down into one folder.
    Drill(NodeId),
    /// The layout picture opened (`true`: the tree reads each key's value size) or closed.
    KeySizes(bool),
    Filter(String),
}

impl Action {
    /// Whether it adds an input to the timeline: shown an earlier moment, it would discard
    /// the inputs that came after (the page asks first).
    pub fn adds_input(&self) -> bool {
        matches!(
            self,
            Action::Run(_)
                | Action::Cluster(_)
                | Action::ShowMe
                | Action::SaveEdit { .. }
                | Action::TerminalLine(_)
                | Action::TerminalEof(_)
        )
    }
}

/// What the page does after an action, in order: flush the members' disks, refresh the
/// keyspace, re-render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The world may have written: drain the members' journals and store them.
    pub persist: bool,
    pub refresh: Refresh,
}

/// How the keyspace is read again after an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    None,
    /// When a member applied something or restarted since the last read.
    IfChanged,
    /// Always (the world was rebuilt).
    Force,
}
