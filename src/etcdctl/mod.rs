//! The `etcdctl` console: a small shell (quoting, environment, here-documents), the etcdctl
//! 3.4 v3 and v2 command sets with their flags, help and error texts, and the printers.
//!
//! Commands never format; printers never execute. Everything talks to the cluster only
//! through the [`Cluster`] interface (`call`, `watch*`, `advance`, the clock), so the same
//! etcdctl runs against the simulated world or a real etcd.
//! Must not touch: the DOM, wall-clock time, threads or I/O.

pub mod client;
pub mod command;
pub mod complete;
pub mod files;
pub mod flags;
pub mod help;
pub mod hexdump;
pub mod printer;
pub mod printer_fields;
pub mod printer_json;
pub mod printer_protobuf;
pub mod printer_simple;
pub mod printer_table;
pub mod shell;
pub mod snapshot_file;
pub mod terminal;
pub mod v2;

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;

use crate::cluster::Cluster;

use flags::{FlagError, Found};

/// etcdctl's exit codes (`ctlv3/command/error.go`).
pub const EXIT_SUCCESS: i32 = 0;
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_BAD_CONNECTION: i32 = 2;
pub const EXIT_INVALID_INPUT: i32 = 3;
pub const EXIT_BAD_FEATURE: i32 = 4;
pub const EXIT_INTERRUPTED: i32 = 5;
pub const EXIT_BAD_ARGS: i32 = 128;

/// A command's failure: `Error: <msg>` on stderr and the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fail {
    pub code: i32,
    pub msg: String,
}

impl Fail {
    pub fn new(code: i32, msg: impl Into<String>) -> Fail {
        Fail {
            code,
            msg: msg.into(),
        }
    }
    pub fn bad_args(msg: impl Into<String>) -> Fail {
        Fail::new(EXIT_BAD_ARGS, msg)
    }
    /// Exits with this code without printing `Error:` (the text is already on stderr).
    pub fn silent(code: i32) -> Fail {
        Fail {
            code,
            msg: String::new(),
        }
    }
}

/// What a command printed so far, and its stdin.
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub stdout: String,
    pub stderr: String,
    stdin: String,
    pos: usize,
    /// stdin is not a terminal (a command run without input, as with `< /dev/null`):
    /// password prompts then fail to switch off echo, as etcdctl's `stty` calls do.
    pub no_tty: bool,
    /// Where the page keeps only the head of an output: the bytes of each stream kept (at
    /// least; a stream stops growing once it holds them). None (etcdplay): everything.
    pub limit: Option<usize>,
    /// The bytes (stdout, stderr) printed past `limit`: counted, not kept.
    pub skipped: [usize; 2],
    /// stdin is what a person typed at a terminal: each line read shows in stdout as the
    /// terminal echoed it (a password does not: its echo is off).
    pub echo: bool,
    /// What the read that found the end of stdin waited for: a command run over what was
    /// typed so far ([`terminal::probe`]) wants more.
    pub starved: Option<Want>,
    /// How much of stdout was printed when stdin first ran out (what a terminal showed
    /// while the read waited).
    pub shown_when_starved: usize,
    /// The order the streams were written in: (stderr?, bytes) runs.
    pub order: Vec<(bool, usize)>,
}

/// What a read from a terminal waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A line, shown as it is typed.
    Line,
    /// A password: echo off.
    Password,
}

/// Appends `s` to `buf` while `buf` holds less than `limit` bytes (the piece that crosses it
/// only up to it); what is not kept is counted in `skipped`.
fn push_bounded(buf: &mut String, skipped: &mut usize, limit: Option<usize>, s: &str) {
    let room = match limit {
        None => usize::MAX,
        Some(_) if *skipped > 0 => 0,
        Some(l) => l.saturating_sub(buf.len()),
    };
    if s.len() <= room {
        buf.push_str(s);
        return;
    }
    let mut end = room;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    buf.push_str(&s[..end]);
    *skipped += s.len() - end;
}

impl Io {
    pub fn new(stdin: &str) -> Io {
        Io {
            stdin: stdin.to_string(),
            ..Default::default()
        }
    }
    /// stdin that a person typed at a terminal (see [`Io::echo`]).
    pub fn terminal(typed: &str) -> Io {
        Io {
            echo: true,
            ..Io::new(typed)
        }
    }
    /// A command run without any stdin (not a terminal).
    pub fn without_tty() -> Io {
        Io {
            no_tty: true,
            ..Default::default()
        }
    }
    /// What a password prompt reads: a line, or "" at end of input (after speakeasy's
    /// `stty` complaints when stdin is not a terminal). Never echoed.
    pub fn read_password(&mut self) -> Option<String> {
        if self.no_tty {
            self.errln("stty: 'standard input': Inappropriate ioctl for device");
            self.errln("stty: 'standard input': Inappropriate ioctl for device");
            return Some(String::new());
        }
        let line = self.take_line(false);
        if line.is_none() {
            self.starve(Want::Password);
            if self.echo {
                // Ctrl+D at a terminal's password prompt reads as an empty password
                return Some(String::new());
            }
        }
        line.map(|(l, _)| l)
    }
    /// One line of stdin without its newline; `None` at end of input.
    pub fn read_line(&mut self) -> Option<String> {
        let line = self.take_line(self.echo);
        if line.is_none() {
            self.starve(Want::Line);
        }
        line.map(|(l, _)| l)
    }
    /// Whether stdin holds lines given all at once (a here-document or a pipe), not typed at
    /// a terminal while the command runs.
    pub fn piped_input(&self) -> bool {
        !self.echo && !self.stdin.is_empty()
    }
    /// One `\n`-terminated line (without it); `None` if input ends first (Go's ReadString EOF).
    pub fn read_line_terminated(&mut self) -> Option<String> {
        match self.take_line(self.echo) {
            Some((l, true)) => Some(l),
            _ => {
                self.starve(Want::Line);
                None
            }
        }
    }
    /// The next line of stdin and whether a newline ended it, shown when `echo`.
    fn take_line(&mut self, echo: bool) -> Option<(String, bool)> {
        let rest = self.stdin.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let (line, used) = match rest.find('\n') {
            Some(i) => (rest[..i].to_string(), i + 1),
            None => (rest.to_string(), rest.len()),
        };
        if echo {
            let shown = rest[..used].to_string();
            self.out(&shown);
        }
        self.pos += used;
        let ended = used > line.len();
        Some((line, ended))
    }
    fn starve(&mut self, want: Want) {
        if self.starved.is_none() {
            self.starved = Some(want);
            self.shown_when_starved = self.stdout.len();
        }
    }
    /// Everything left on stdin (at a terminal: up to Ctrl+D, so it always wants more).
    pub fn read_all(&mut self) -> String {
        let rest = self.stdin.get(self.pos..).unwrap_or("").to_string();
        self.pos = self.stdin.len();
        if self.echo {
            self.out(&rest);
        }
        self.starve(Want::Line);
        rest
    }
    /// Whether stdout keeps no more (past the page's limit).
    pub fn stdout_full(&self) -> bool {
        self.limit
            .is_some_and(|l| self.skipped[0] > 0 || self.stdout.len() >= l)
    }
    pub fn out(&mut self, s: &str) {
        let before = self.stdout.len();
        push_bounded(&mut self.stdout, &mut self.skipped[0], self.limit, s);
        self.ordered(false, self.stdout.len().saturating_sub(before));
    }
    /// Records `n` bytes written to a stream, for [`Output::order`](crate::process::Output).
    fn ordered(&mut self, err: bool, n: usize) {
        crate::process::push_run(&mut self.order, err, n);
    }
    pub fn outln(&mut self, s: &str) {
        self.out(s);
        self.out("\n");
    }
    pub fn err(&mut self, s: &str) {
        let before = self.stderr.len();
        push_bounded(&mut self.stderr, &mut self.skipped[1], self.limit, s);
        self.ordered(true, self.stderr.len().saturating_sub(before));
    }
    pub fn errln(&mut self, s: &str) {
        self.err(s);
        self.err("\n");
    }
}

/// A command that keeps running (watch, lock, elect, keep-alive) until it ends or is
/// interrupted.
pub trait Job {
    /// Lets the job see what happened in the cluster; `Some(exit)` once it ended by itself.
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32>;
    /// Ctrl+C: the job cleans up (e.g. releases a lock) and ends.
    fn interrupt(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> i32;
    /// Whether the job reads lines from the terminal while it runs (`watch -i`).
    fn reads_input(&self) -> bool {
        false
    }
    /// A line typed at the job's terminal (None: Ctrl+D, the end of input); `Some(exit)` if
    /// it ended the job.
    fn input(
        &mut self,
        _cluster: &mut dyn Cluster,
        _io: &mut Io,
        _line: Option<&str>,
    ) -> Option<i32> {
        None
    }
}

/// How a command invocation ended (or that it keeps running).
pub enum Status {
    Done(i32),
    Running(Box<dyn Job>),
}

/// State that lives across commands: the virtual working directory and a seeded RNG for
/// client-side randomness (gRPC client UUIDs).
pub struct Console {
    pub files: BTreeMap<String, Vec<u8>>,
    /// The files the current command wrote (the page offers them as downloads).
    pub written: Vec<String>,
    pub rng: ChaCha8Rng,
    /// The etcdctl release this is (3.4.23 or 3.5.1): its texts, flags and version.
    pub version: crate::api::EtcdVersion,
    /// The endpoints dialled when neither `--endpoints` nor `ETCDCTL_ENDPOINTS` names any:
    /// a console connected to a real cluster sets its endpoints; None: `127.0.0.1:2379`.
    pub default_endpoints: Option<Vec<String>>,
}

impl Console {
    pub fn new(seed: u64) -> Console {
        use rand::SeedableRng;
        Console {
            files: BTreeMap::new(),
            written: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x6574_6364_6374_6c33),
            version: crate::api::EtcdVersion::default(),
            default_endpoints: None,
        }
    }
}

/// Runs etcdctl with `args` (after the program name) and environment `env`, its files in the
/// console's working directory.
pub fn run(
    cluster: &mut dyn Cluster,
    console: &mut Console,
    env: &BTreeMap<String, String>,
    args: &[String],
    io: &mut Io,
) -> Status {
    let mut files = std::mem::take(&mut console.files);
    let mut written = std::mem::take(&mut console.written);
    let status = {
        let mut wd = files::WorkingDir {
            files: &mut files,
            written: &mut written,
        };
        run_in(cluster, console, &mut wd, env, args, io)
    };
    console.files = files;
    console.written = written;
    status
}

/// [`run`] with the files somewhere else (a node's filesystem).
pub fn run_in(
    cluster: &mut dyn Cluster,
    console: &mut Console,
    files: &mut dyn files::Files,
    env: &BTreeMap<String, String>,
    args: &[String],
    io: &mut Io,
) -> Status {
    let api = env.get("ETCDCTL_API").map(|s| s.as_str()).unwrap_or("");
    if api == "2" {
        return run_v2(cluster, env, args, io, console.version);
    }
    if !api.is_empty() && api != "3" {
        // etcdctl 3.4: any other value falls back to v3 after a warning? It refuses.
        io.errln(&format!("unsupported API version: {}", api));
        return Status::Done(EXIT_ERROR);
    }
    run_v3(cluster, console, files, env, args, io)
}

/// A v2 watch as a console job.
struct V2Watch(v2::WatchTask);

impl Job for V2Watch {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        let (o, end) = self.0.poll(cluster);
        io.out(&o.stdout);
        io.err(&o.stderr);
        end
    }
    fn interrupt(&mut self, _cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        0
    }
}

/// Hands the words to the v2 command set (`ETCDCTL_API=2`).
fn run_v2(
    cluster: &mut dyn Cluster,
    env: &BTreeMap<String, String>,
    args: &[String],
    io: &mut Io,
    version: crate::api::EtcdVersion,
) -> Status {
    let lookup = |k: &str| env.get(k).cloned();
    let stdin = io.read_all();
    let stdin = if stdin.is_empty() {
        None
    } else {
        Some(stdin.as_str())
    };
    match v2::run(cluster, args, &lookup, stdin, version) {
        v2::Outcome::Done(o) => {
            io.out(&o.stdout);
            io.err(&o.stderr);
            Status::Done(o.exit)
        }
        v2::Outcome::Running(o, task) => {
            io.out(&o.stdout);
            io.err(&o.stderr);
            Status::Running(Box::new(V2Watch(task)))
        }
    }
}

fn usage_error(path: &str, err: &FlagError, io: &mut Io, v: crate::api::EtcdVersion) -> Status {
    io.out(flags::help_text(path, v).unwrap_or(""));
    io.errln(&format!("Error: {}", err.0));
    io.errln("");
    io.errln(&format!("Error: {}", err.0));
    Status::Done(EXIT_ERROR)
}

/// Global flags not given on the command line come from `ETCDCTL_*` variables.
fn env_globals(fl: &mut flags::Flags, env: &BTreeMap<String, String>) {
    let globals: Vec<String> = fl
        .defs
        .iter()
        .filter(|d| d.global)
        .map(|d| d.name.clone())
        .collect();
    for name in globals {
        if fl.changed(&name) {
            continue;
        }
        let var = format!("ETCDCTL_{}", name.to_uppercase().replace('-', "_"));
        if let Some(v) = env.get(&var) {
            let _ = fl.set_from_env(&name, v);
        }
    }
}

fn run_v3(
    cluster: &mut dyn Cluster,
    console: &mut Console,
    files: &mut dyn files::Files,
    env: &BTreeMap<String, String>,
    args: &[String],
    io: &mut Io,
) -> Status {
    let v = console.version;
    let (path, rest) = match flags::find(args, v) {
        Found::Unknown { name, suggestions } => {
            let msg = flags::unknown_command_message(&name, &suggestions);
            io.errln(&format!("Error: {}", msg));
            io.errln("Run 'etcdctl --help' for usage.");
            io.errln(&format!("Error: {}", msg));
            return Status::Done(EXIT_ERROR);
        }
        Found::Command { path, args } => (path, args),
    };
    let mut fl = match flags::parse(&path, &rest, v) {
        Ok(f) => f,
        Err(e) => return usage_error(&path, &e, io, v),
    };
    if fl.help {
        io.out(flags::help_text(&path, v).unwrap_or(""));
        return Status::Done(EXIT_SUCCESS);
    }
    if path == "help" {
        return command::help::run(&fl, io, v);
    }
    if !command::runnable(&path, v) {
        io.out(flags::help_text(&path, v).unwrap_or(""));
        return Status::Done(EXIT_SUCCESS);
    }
    env_globals(&mut fl, env);
    let mut ctx = command::Ctx {
        cluster,
        console,
        files,
        io,
        flags: fl,
        path: path.clone(),
    };
    match command::dispatch(&mut ctx) {
        Ok(s) => s,
        Err(f) => {
            if !f.msg.is_empty() {
                ctx.io.errln(&format!("Error: {}", f.msg));
            }
            Status::Done(f.code)
        }
    }
}
