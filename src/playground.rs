//! The one object a page or the CLI drives: the simulated world, the etcdctl shell and the
//! playground's own commands (stop, start, partition, ...).
//!
//! A console line is either a shell line (`export`, `unset`, `[VAR=x] etcdctl ...` with
//! `./etcdctl` and `/usr/local/bin/etcdctl` as the same program; the wrappers tutorials show:
//! `etcd --version`, `docker run|exec`, `kubectl exec`, see [`wrappers`]; `kubectl` over
//! `/registry`) or a playground command. [`input`] cuts typed or pasted text into lines.
//! Long-running etcdctl commands (watch, lock, elect, lease keep-alive) become the current
//! job: [`Playground::poll`] lets simulated time pass and collects what they print,
//! [`Playground::interrupt`] is Ctrl+C. A line whose etcdctl reads the terminal (`txn -i`,
//! a password prompt) runs once over what was typed at it ([`terminal`]).
//!
//! Owns: the console environment, the current job. Must not touch: the DOM, wall-clock time.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::etcdctl::{self, shell, Console, Io, Job, Status};
use crate::sim::{FaultError, World};
use crate::sort::Inserted;

pub mod background;
pub mod completion;
mod etcd_release;
pub mod fault_text;
mod help_text;
mod hints;
pub mod input;
#[cfg(not(feature = "lite"))]
mod kubectl_line;
pub mod lab;
pub mod lesson;
pub mod load;
pub mod remote;
pub mod session;
pub mod shell_line;
pub mod tail;
pub mod terminal;
pub mod work;
pub mod wrappers;

use background::{Background, BackgroundOutput};
use fault_text::fault_text;
use help_text::usage_of;
pub use help_text::PLAYGROUND_HELP;
use hints::hints;
use wrappers::Plan;

use crate::process::Output;

pub use crate::api::EtcdVersion;

/// Simulated time an etcdctl process takes to start (the cluster keeps running meanwhile).
pub const ETCDCTL_STARTUP: Duration = Duration::from_millis(10);

/// How often a running job looks at the world.
pub const JOB_TICK: Duration = Duration::from_millis(100);

/// What a shell line of the local lab needs from the page's full module (the first-visit
/// module, feature `lite`, leaves the node shell and its commands out: see
/// [`Playground::take_full_only`]).
pub const SHELL_PART: &str = "the shell (pipes, redirections, grep, jq, ls, cat…)";

struct RunningJob {
    job: Box<dyn Job>,
}

/// The playground: world + console + the current job.
pub struct Playground {
    world: World,
    console: Console,
    env: BTreeMap<String, String>,
    job: Option<RunningJob>,
    /// Show console hints (`hints on|off`).
    pub hints_enabled: bool,
    last_hints: Vec<String>,
    /// Print the etcd requests under each kubectl command (`requests on|off`).
    pub show_requests: bool,
    last_requests: Vec<String>,
    /// Jobs started with `&`.
    background: Background,
    /// The job number the last line got, if it went to the background.
    last_background: Option<u32>,
    /// The lab this playground is (see [`lab`]).
    lab: lab::LabKind,
    /// A node lab's node (None in the local lab).
    node: Option<Box<lab::node::NodeLab>>,
    /// Whether the page has an editor for `vi FILE`.
    editor: bool,
    /// A node's `watch CMD` running in the foreground.
    node_watch: Option<lab::watch::NodeWatch>,
    /// What etcdctl keeps of each output stream (see [`Io::limit`]); None: everything.
    output_limit: Option<usize>,
    /// The bytes (stdout, stderr) the last line printed past `output_limit`.
    skipped: [usize; 2],
    /// The stdin of the line running is what was typed at the terminal (see [`terminal`]).
    typed: bool,
    /// The etcd release this lab runs (its members, etcdctl and etcdutl).
    version: crate::api::EtcdVersion,
    /// The real cluster etcdctl lines go to instead of the world ([`remote`]).
    remote: Option<remote::Remote>,
    /// A `connect` waiting for its probe ([`remote`]).
    arriving: Option<remote::Arriving>,
    /// Long commands run a step at a time instead of to their end ([`work`]).
    stepping: bool,
    work: Option<load::Load>,
    /// What the last line needed that only the page's full module has (feature `lite`: see
    /// [`Playground::take_full_only`]); always None in a full build.
    full_only: Option<&'static str>,
}

/// The cluster the console talks to (the real one when connected), borrowing only the
/// playground's `remote` and `world`.
macro_rules! cluster {
    ($p:expr) => {
        remote::cluster(&mut $p.remote, &mut $p.world)
    };
}
pub(crate) use cluster;

impl Playground {
    pub fn new(seed: u64) -> Playground {
        Playground {
            world: World::new(seed),
            console: Console::new(seed),
            env: BTreeMap::new(),
            job: None,
            stepping: false,
            work: None,
            hints_enabled: true,
            last_hints: Vec::new(),
            show_requests: false,
            last_requests: Vec::new(),
            background: Background::default(),
            last_background: None,
            lab: lab::LabKind::Local,
            node: None,
            editor: false,
            node_watch: None,
            output_limit: None,
            skipped: [0, 0],
            typed: false,
            version: crate::api::EtcdVersion::default(),
            remote: None,
            arriving: None,
            full_only: None,
        }
    }

    /// Keeps at least `limit` bytes of what etcdctl prints to each stream, and counts the
    /// rest without building it (the page keeps only an output's head; etcdplay: None).
    pub fn set_output_limit(&mut self, limit: Option<usize>) {
        self.output_limit = limit;
    }

    /// The bytes (stdout, stderr) the last line printed past the output limit.
    pub fn skipped(&self) -> [usize; 2] {
        self.skipped
    }

    /// A playground around a world rebuilt from its members' disks (a reload of the page),
    /// with the console environment and the hints setting it had.
    pub fn from_world(
        world: World,
        env: BTreeMap<String, String>,
        hints_enabled: bool,
    ) -> Playground {
        let seed = world.seed();
        Playground {
            world,
            console: Console::new(seed),
            env,
            job: None,
            stepping: false,
            work: None,
            hints_enabled,
            last_hints: Vec::new(),
            show_requests: false,
            last_requests: Vec::new(),
            background: Background::default(),
            last_background: None,
            lab: lab::LabKind::Local,
            node: None,
            editor: false,
            node_watch: None,
            output_limit: None,
            skipped: [0, 0],
            typed: false,
            version: crate::api::EtcdVersion::default(),
            remote: None,
            arriving: None,
            full_only: None,
        }
    }

    /// The playground of a lab: `local` is [`Playground::new`].
    pub fn for_lab(kind: lab::LabKind, seed: u64) -> Playground {
        match kind {
            lab::LabKind::Local => Playground::new(seed),
            lab::LabKind::Kubeadm => Playground::kubeadm_lab(seed, EtcdVersion::default()),
            lab::LabKind::ExternalEtcd => {
                Playground::external_etcd_lab(seed, EtcdVersion::default())
            }
        }
    }

    /// What the last line needed that the page's first-visit module (feature `lite`) does not
    /// have: kubectl, the /registry sample, a node lab, etcd 3.5, a shell line. The line was not finished
    /// (what it did so far is to be thrown away with this playground): the page loads the full
    /// module, which restores what was stored and runs the line again. Always None in a full
    /// build. Taking it clears it.
    pub fn take_full_only(&mut self) -> Option<&'static str> {
        self.full_only.take()
    }

    /// Marks the line running as one for the full module (see [`Playground::take_full_only`]).
    #[cfg(feature = "lite")]
    fn needs_full(&mut self, what: &'static str) -> (Output, Vec<String>) {
        self.full_only = Some(what);
        (Output::default(), Vec::new())
    }

    /// Which lab this playground is.
    pub fn lab(&self) -> lab::LabKind {
        self.lab
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The cluster the console talks to: the real one when connected, else the world.
    pub fn cluster_mut(&mut self) -> &mut dyn crate::cluster::Cluster {
        cluster!(self)
    }

    /// The console environment (`export`ed variables).
    pub fn env(&self) -> &BTreeMap<String, String> {
        &self.env
    }

    /// Files in the playground's working directory (e.g. `snapshot save backup.db`).
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.console.files
    }

    /// Whether a long-running command is the current job.
    pub fn is_running(&self) -> bool {
        self.job.is_some() || self.node_watch.is_some()
    }

    /// How many jobs run: the current one and those in the background.
    pub fn jobs_running(&self) -> usize {
        usize::from(self.is_running()) + self.background.running()
    }

    /// Console hints of the last line run (shown dimmed in the page; never part of
    /// etcdctl's output or of a transcript). Empty when hints are off.
    pub fn hints(&self) -> &[String] {
        &self.last_hints
    }

    /// The etcd requests the last line's kubectl made, one line each (shown dimmed under it
    /// in the page; never kubectl's output). Empty unless `requests on`.
    pub fn requests(&self) -> &[String] {
        &self.last_requests
    }

    /// Runs one console line with `stdin` (a here-document's lines, or what is typed at
    /// password prompts). A long-running command (watch, lock, elect, lease keep-alive)
    /// stays as the current job: then `is_running()` is true, the Output holds what it
    /// printed so far, and [`Playground::poll`] / [`Playground::interrupt`] continue it.
    /// A line run while a job runs interrupts that job first.
    pub fn run(&mut self, line: &str, stdin: Option<&str>) -> Output {
        let mut pre = Output::default();
        if self.work.is_some() {
            pre = self.finish_work();
        }
        if self.is_running() {
            pre = self.interrupt();
        }
        self.last_requests.clear();
        self.last_background = None;
        self.console.written.clear();
        self.skipped = [0, 0];
        let (line, to_background) = background_suffix(line);
        let (mut out, hints) = self.run_line(line, stdin);
        if to_background {
            if let Some(rj) = self.job.take() {
                let n = self.background.start(line.trim(), rj.job);
                self.last_background = Some(n);
                out.stdout.push_str(&format!(
                    "[{n}] running in the background (`jobs` lists it, `kill %{n}` stops it)\n"
                ));
            }
        }
        self.background.poll(cluster!(self));
        self.last_hints = if self.hints_enabled && self.remote.is_none() {
            hints
        } else {
            Vec::new()
        };
        if !pre.stdout.is_empty() || !pre.stderr.is_empty() {
            out.stdout = pre.stdout + &out.stdout;
            out.stderr = pre.stderr + &out.stderr;
        }
        out
    }

    /// Runs a line and, if it becomes a job, lets it run for `timeout` of simulated time,
    /// then interrupts it (a transcript's `# timeout N`). The flag is true when the command
    /// was interrupted (its exit status then means nothing).
    pub fn run_bounded(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        timeout: Duration,
    ) -> (Output, bool) {
        let mut out = self.run(line, stdin);
        if !self.is_running() {
            return (out, false);
        }
        let more = self.poll(timeout);
        out.stdout.push_str(&more.stdout);
        out.stderr.push_str(&more.stderr);
        if !self.is_running() {
            out.exit = more.exit;
            return (out, false);
        }
        if self.job_reads_input() {
            // it reads the lines that follow (`watch -i`): the caller feeds them
            return (out, true);
        }
        let end = self.interrupt();
        out.stdout.push_str(&end.stdout);
        out.stderr.push_str(&end.stderr);
        out.exit = end.exit;
        (out, true)
    }

    /// Lets `d` of simulated time pass (in [`JOB_TICK`] steps), collecting what the current
    /// job prints since the last poll. When the job ends by itself, `is_running()` turns
    /// false and `exit` is its status. Without a job it just advances the world.
    pub fn poll(&mut self, d: Duration) -> Output {
        let mut io = Io::new("");
        let mut fg = self.job.take();
        if fg.is_none() && self.background.is_empty() && self.node_watch.is_none() {
            match self.node {
                Some(_) => self.node_advance(d),
                None => cluster!(self).advance(d),
            }
            return Output::default();
        }
        let end = cluster!(self).now().saturating_add(d);
        let mut result = None;
        while cluster!(self).now() < end {
            let step = JOB_TICK.min(end.saturating_sub(cluster!(self).now()));
            cluster!(self).advance(step);
            self.node_tick();
            self.background.poll(cluster!(self));
            if self.watch_due() {
                let screen = self.watch_refresh();
                io.stdout.push_str(&screen);
            }
            if let Some(rj) = fg.as_mut() {
                if let Some(code) = rj.job.poll(cluster!(self), &mut io) {
                    result = Some(code);
                    break;
                }
            }
        }
        let mut out = Output {
            stdout: io.stdout,
            stderr: io.stderr,
            exit: 0,
            edit: None,
            order: io.order,
        };
        match result {
            Some(code) => out.exit = code,
            None => self.job = fg,
        }
        self.settle_connection(&mut out);
        out
    }

    /// What the background jobs printed since the last call; a job that ended is reported
    /// once with its status, then forgotten.
    pub fn take_background(&mut self) -> Vec<BackgroundOutput> {
        self.background.take()
    }

    /// The files the last line wrote (`etcdctl snapshot save NAME`): the page offers them
    /// as downloads.
    pub fn last_written(&self) -> &[String] {
        &self.console.written
    }

    /// Adds a file to the working directory (a file dropped on the page). Only snapshot files
    /// `etcdctl snapshot save` could have written are taken; anything else changes nothing.
    pub fn add_file(&mut self, name: &str, data: Vec<u8>) -> Result<String, String> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
        if name.is_empty() || name == "." || name == ".." {
            return Err("the dropped file has no usable name; nothing was added".to_string());
        }
        match etcdctl::command::snapshot::check(&data) {
            Ok((rev, keys, _)) => {
                let n = data.len();
                self.console.files.insert(name.to_string(), data);
                Ok(format!(
                    "added {name} ({n} bytes, an etcd snapshot at revision {rev} with {keys} keys): try etcdctl snapshot status {name} -w table"
                ))
            }
            Err(e) => Err(format!(
                "{name} is not an etcd snapshot file (etcdctl snapshot status would say: {}); nothing was added",
                e.lines().next().unwrap_or("")
            )),
        }
    }

    /// The job number the last line was given if it went to the background (`... &`).
    pub fn last_background(&self) -> Option<u32> {
        self.last_background
    }

    /// Ctrl+C: the current job cleans up (a lock is released, a campaign resigns) and ends.
    pub fn interrupt(&mut self) -> Output {
        let mut io = Io::new("");
        if self.node_watch.take().is_some() {
            // watch ends on SIGINT with status 0
            return Output::default();
        }
        let Some(mut rj) = self.job.take() else {
            return Output::default();
        };
        let code = rj.job.interrupt(cluster!(self), &mut io);
        // (an interrupted `connect` is given up)
        self.arriving = None;
        Output {
            stdout: io.stdout,
            stderr: io.stderr,
            exit: code,
            edit: None,
            order: io.order,
        }
    }

    fn run_line(&mut self, line: &str, stdin: Option<&str>) -> (Output, Vec<String>) {
        if self.node.is_some() {
            return self.node_line(line, stdin);
        }
        if shell_line::takes_shell(line) {
            // (the first-visit module leaves the node shell and its commands out)
            #[cfg(feature = "lite")]
            return self.needs_full(SHELL_PART);
            #[cfg(not(feature = "lite"))]
            return self.shell_line(line, stdin);
        }
        let parsed = match shell::split(line) {
            Ok(l) => l,
            Err(e) => {
                return (
                    Output {
                        stderr: format!("bash: {}\n", e),
                        exit: 2,
                        ..Default::default()
                    },
                    Vec::new(),
                )
            }
        };
        let words = parsed.words;
        if words.is_empty() {
            return (Output::default(), Vec::new());
        }
        let (assign, rest) = shell::split_assignments(&words);
        if rest.is_empty() {
            for (k, v) in assign {
                self.env.insert(k, v);
            }
            return (Output::default(), Vec::new());
        }
        let prog = rest[0].as_str();
        match prog {
            "export" => {
                for w in &rest[1..] {
                    if let Some((k, v)) = w.split_once('=') {
                        self.env.insert(k.to_string(), v.to_string());
                    }
                }
                return (Output::default(), Vec::new());
            }
            "unset" => {
                for w in &rest[1..] {
                    self.env.remove(w);
                }
                return (Output::default(), Vec::new());
            }
            _ => {}
        }
        let mut env = self.env.clone();
        env.extend(assign);
        self.run_program(env, &rest, stdin)
    }

    /// Runs a program line (`rest[0]` is the program) with `env` as its environment.
    fn run_program(
        &mut self,
        env: BTreeMap<String, String>,
        rest: &[String],
        stdin: Option<&str>,
    ) -> (Output, Vec<String>) {
        let Some(prog) = rest.first() else {
            return (Output::default(), Vec::new());
        };
        let args = rest.get(1..).unwrap_or(&[]);
        if let Some(out) = remote::refusal(&self.remote, prog, &env) {
            return (out, Vec::new());
        }
        match wrappers::program(prog) {
            "etcdctl" => self.run_etcdctl(&env, args, stdin),
            "etcdutl" => self.run_etcdutl(args),
            "etcd" => (wrappers::etcd(args, self.version), Vec::new()),
            "docker" => self.run_plan(wrappers::docker(args), stdin),
            #[cfg(not(feature = "lite"))]
            "kubectl" => self.run_kubectl(args, stdin),
            #[cfg(feature = "lite")]
            "kubectl" => self.needs_full("kubectl"),
            _ => (self.playground_command(rest), Vec::new()),
        }
    }

    /// Runs what `docker exec` / `kubectl exec` found to run inside the etcd container.
    fn run_plan(&mut self, plan: Plan, stdin: Option<&str>) -> (Output, Vec<String>) {
        match plan {
            Plan::Done(out, hints) => (out, hints),
            Plan::Inner {
                env,
                words,
                stderr,
                hints: mut after,
            } => {
                let env: BTreeMap<String, String> = env.into_iter().btree_map();
                let args = words.get(1..).unwrap_or(&[]);
                let (mut out, mut hints) = match words.first().map(|w| wrappers::program(w)) {
                    Some("etcdctl") => self.run_etcdctl(&env, args, stdin),
                    _ => (wrappers::etcd(args, self.version), Vec::new()),
                };
                out.stderr = stderr + &out.stderr;
                hints.append(&mut after);
                (out, hints)
            }
        }
    }

    fn run_etcdctl(
        &mut self,
        env: &BTreeMap<String, String>,
        args: &[String],
        stdin: Option<&str>,
    ) -> (Output, Vec<String>) {
        // a real etcdctl process takes a few milliseconds to start and dial
        if self.remote.is_none() {
            self.world.advance(ETCDCTL_STARTUP);
        }
        let mut io = match stdin {
            Some(text) if self.typed => Io::terminal(text),
            Some(text) => Io::new(text),
            None => Io::without_tty(),
        };
        io.limit = self.output_limit;
        let cluster = cluster!(self);
        let status = etcdctl::run(cluster, &mut self.console, env, args, &mut io);
        for (s, n) in self.skipped.iter_mut().zip(io.skipped) {
            *s += n;
        }
        let mut out = Output {
            stdout: io.stdout,
            stderr: io.stderr,
            order: io.order,
            ..Default::default()
        };
        match status {
            Status::Done(code) => out.exit = code,
            Status::Running(job) => self.job = Some(RunningJob { job }),
        }
        let h = hints(env, args, &out, self.version);
        (out, h)
    }

    fn playground_command(&mut self, w: &[String]) -> Output {
        let ok = |s: String| Output {
            stdout: format!("{}\n", s),
            ..Default::default()
        };
        let err = |s: String| Output {
            stderr: format!("{}\n", s),
            exit: 1,
            ..Default::default()
        };
        let res = |r: Result<String, String>| match r {
            Ok(s) => ok(s),
            Err(e) => err(e),
        };
        let fault = |r: Result<String, FaultError>| res(r.map_err(|e| fault_text(&e)));
        let arg = w.get(1).cloned().unwrap_or_default();
        match w[0].as_str() {
            "stop" if w.len() == 2 => fault(self.world.stop(&arg)),
            "start" if w.len() == 2 => fault(self.world.start(&arg)),
            "partition" if w.len() > 1 => {
                // `|` separates the groups (a word or inside one); a quoted name with
                // spaces stays one name.
                let mut groups: Vec<Vec<String>> = vec![Vec::new()];
                for word in &w[1..] {
                    for (i, name) in word.split('|').enumerate() {
                        if i > 0 {
                            groups.push(Vec::new());
                        }
                        match groups.last_mut() {
                            Some(g) if !name.is_empty() => g.push(name.to_string()),
                            _ => {}
                        }
                    }
                }
                groups.retain(|g| !g.is_empty());
                fault(self.world.partition(&groups))
            }
            "heal" if w.len() == 1 => fault(self.world.heal()),
            "heal" if w.len() == 3 => fault(self.world.heal_link(&w[1], &w[2])),
            "cut" if w.len() == 3 => fault(self.world.cut_link(&w[1], &w[2])),
            "loss" if w.len() == 4 => match w[3].trim_end_matches('%').parse::<u32>() {
                Ok(p) => fault(self.world.set_link_loss(&w[1], &w[2], p)),
                Err(_) => err(format!("loss: not a percentage: {}", w[3])),
            },
            "latency" if w.len() == 4 => match w[3].trim_end_matches("ms").parse::<u64>() {
                Ok(ms) => fault(self.world.set_link_latency(&w[1], &w[2], ms)),
                Err(_) => err(format!("latency: not a number of milliseconds: {}", w[3])),
            },
            "loss" if w.len() == 2 => match arg.trim_end_matches('%').parse::<u32>() {
                Ok(p) => fault(self.world.set_loss(p)),
                Err(_) => err(format!("loss: not a percentage: {}", arg)),
            },
            "latency" if w.len() == 2 => match arg.trim_end_matches("ms").parse::<u64>() {
                Ok(ms) => fault(self.world.set_latency(ms)),
                Err(_) => err(format!("latency: not a number of milliseconds: {}", arg)),
            },
            "advance" if w.len() == 2 => match etcdctl::flags::parse_duration(&arg) {
                Ok(d) if d <= Duration::from_secs(3600) => {
                    let out = self.poll(d);
                    let mut o = ok(format!(
                        "advanced {} (now {})",
                        arg,
                        etcdctl::client::go_duration(self.world.now())
                    ));
                    o.stdout = out.stdout + &o.stdout;
                    o.stderr = out.stderr;
                    o
                }
                Ok(_) => err("advance: at most 1h at a time".to_string()),
                Err(e) => err(format!("advance: {}", e)),
            },
            "quota" if w.len() == 1 => ok(format!(
                "--quota-backend-bytes={}",
                self.world.quota_backend_bytes()
            )),
            "quota" if w.len() == 2 => match arg.parse::<i64>() {
                Ok(n) => {
                    self.world.set_quota_backend_bytes(n);
                    ok(format!("every member runs with --quota-backend-bytes={n}"))
                }
                Err(_) => err(format!("quota: not a number of bytes: {arg}")),
            },
            "connect" => self.connect_command(&w[1..]),
            "disconnect" if w.len() == 1 => self.disconnect_command(),
            "jobs" if w.len() == 1 => Output {
                stdout: self.background.list(),
                ..Default::default()
            },
            "kill" if w.len() == 2 => res(self.background.kill(&arg, cluster!(self))),
            "kill" => err("bash: kill: usage: kill %JOB (see `jobs`)".to_string()),
            "hints" if w.len() == 2 && (arg == "on" || arg == "off") => {
                self.hints_enabled = arg == "on";
                ok(format!("hints {}", arg))
            }
            "requests" if w.len() == 2 && (arg == "on" || arg == "off") => {
                self.show_requests = arg == "on";
                ok(format!(
                    "requests {arg}: {}",
                    if self.show_requests {
                        "each kubectl command is followed by the etcd requests it made"
                    } else {
                        "kubectl's etcd requests are not shown"
                    }
                ))
            }
            "load"
                if arg == "k8s"
                    && (w.len() == 2
                        || (w.len() == 3 && matches!(w[2].as_str(), "large" | "--large"))) =>
            {
                #[cfg(not(feature = "lite"))]
                let out = {
                    let load = load::Load::k8s(&mut self.world, w.len() == 3);
                    self.start_load(load)
                };
                #[cfg(feature = "lite")]
                let out = self.needs_full("load k8s").0;
                out
            }
            "load" if w.len() == 2 && arg != "k8s" => match self.console.files.get(arg.as_str()) {
                Some(data) => {
                    let load = load::Load::file(data.clone(), &arg);
                    self.start_load(Ok(load))
                }
                None => err(format!(
                    "load: {arg}: no such file (drop a snapshot file on the console, or save one with etcdctl snapshot save {arg})"
                )),
            },
            "help" => ok(PLAYGROUND_HELP.trim_end().to_string()),
            "stop" | "start" | "partition" | "heal" | "cut" | "loss" | "latency" | "advance"
            | "quota" | "hints" | "requests" | "load" => err(format!("usage: {}", usage_of(&w[0]))),
            other => Output {
                stderr: format!("bash: {}: command not found\n", other),
                exit: 127,
                ..Default::default()
            },
        }
    }
}

/// A line ending in a lone `&` (not `&&`) runs in the background: the line without it.
fn background_suffix(line: &str) -> (&str, bool) {
    let t = line.trim_end();
    match t.strip_suffix('&') {
        Some(rest) if !rest.ends_with('&') && !rest.trim().is_empty() => (rest, true),
        _ => (line, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_link_cut_alone_keeps_the_quorum() {
        let mut p = Playground::new(1);
        let o = p.run("cut infra1 infra2", None);
        assert_eq!(
            (o.stdout.as_str(), o.exit),
            ("link infra1 – infra2 cut\n", 0)
        );
        // infra1 still reaches infra3: a majority, so writes commit
        assert_eq!(p.run("etcdctl put a 1", None).stdout, "OK\n");
        let o = p.run("loss infra2 infra3 20%", None);
        assert_eq!(
            o.stdout,
            "message loss between infra2 and infra3 set to 20%\n"
        );
        let o = p.run("latency infra1 infra3 30", None);
        assert_eq!(o.stdout, "latency between infra1 and infra3 set to 30 ms\n");
        assert_eq!(
            p.run("heal infra2 infra1", None).stdout,
            "link infra2 – infra1 healed\n"
        );
        assert!(p.world().net().cut.is_empty());
        assert_eq!(p.run("cut infra1 infra1", None).exit, 1);
        assert_eq!(p.run("cut infra1 nosuch", None).exit, 1);
        let o = p.run("loss infra1 infra2 many", None);
        assert_eq!(o.stderr, "loss: not a percentage: many\n");
        let o = p.run("cut infra1", None);
        assert_eq!(o.stderr, "usage: cut NAME NAME (e.g. cut infra1 infra2)\n");
        // a cut link with the leader at one end of it and loss at the other: the world still
        // settles, and `heal` mends everything
        p.run("cut infra1 infra3", None);
        p.run("advance 5s", None);
        assert_eq!(p.run("heal", None).stdout, "network healed\n");
        p.run("advance 5s", None);
        assert_eq!(p.run("etcdctl put b 2", None).stdout, "OK\n");
    }

    #[test]
    fn put_get_and_errors() {
        let mut p = Playground::new(1);
        let o = p.run("etcdctl put greeting hello", None);
        assert_eq!(o.stdout, "OK\n");
        let o = p.run("./etcdctl get greeting", None);
        assert_eq!(o.stdout, "greeting\nhello\n");
        let o = p.run("etcdctl gett foo", None);
        assert_eq!(o.exit, 1);
        assert!(o.stderr.contains("Did you mean this?\n\tget\n"));
        p.run("etcdctl set k v", None);
        assert!(!p.hints().is_empty());
    }

    #[test]
    fn playground_commands() {
        let mut p = Playground::new(1);
        assert_eq!(p.run("nosuch", None).exit, 127);
        assert_eq!(p.run("advance 1s", None).exit, 0);
        assert_eq!(p.run("stop", None).exit, 1);
    }

    #[test]
    fn tutorial_command_forms() {
        let mut p = Playground::new(1);
        assert_eq!(p.run("etcd --version", None).stdout, wrappers::ETCD_VERSION);
        assert_eq!(
            p.run("./etcd --version", None).stdout,
            wrappers::ETCD_VERSION
        );
        let o = p.run("./etcd", None);
        assert!(o.stdout.contains("2379") && o.exit == 0);
        let o = p.run(
            "docker exec -it etcd-gcr-v3.4.33 /usr/local/bin/etcdctl put foo bar",
            None,
        );
        assert_eq!(o.stdout, "OK\n");
        let o = p.run("/usr/local/bin/etcdctl get foo", None);
        assert_eq!(o.stdout, "foo\nbar\n");
        let o = p.run(
            "docker run -d -p 2379:2379 \\\n  --name etcd-gcr-v3.4.33 \\\n  gcr.io/etcd-development/etcd:v3.4.33 /usr/local/bin/etcd",
            None,
        );
        assert!(o.stdout.starts_with("docker run: nothing was started"));
        // a container has its own environment: the console's export does not reach it
        p.run("export ETCDCTL_API=2", None);
        let o = p.run("docker exec etcd-gcr-v3.4.33 etcdctl get foo", None);
        assert_eq!(o.stdout, "foo\nbar\n");
        p.run("unset ETCDCTL_API", None);
        let o = p.run(
            "kubectl exec etcd-master -n kube-system -- etcdctl get foo --print-value-only",
            None,
        );
        assert_eq!(o.stdout, "bar\n");
        assert!(p.hints().is_empty());
        let o = p.run(
            "kubectl exec etcd-master -n kube-system etcdctl get foo",
            None,
        );
        assert_eq!(o.stdout, "foo\nbar\n");
        assert_eq!(
            p.hints(),
            [wrappers::EXEC_WITHOUT_DASHDASH_HINT.to_string()]
        );
        let o = p.run("etcdctl get --prefix -keys-only", None);
        assert_eq!(o.exit, 1);
        assert!(o
            .stderr
            .starts_with("Error: unknown shorthand flag: 'k' in -keys-only\n"));
        assert!(p.hints()[0].contains("--keys-only"));
    }

    #[test]
    fn kubectl_over_the_registry() {
        let mut p = Playground::new(1);
        let o = p.run("kubectl get pods -n kube-system", None);
        assert_eq!(
            o.stderr,
            format!("{}\n", crate::kubectl::CONNECTION_REFUSED)
        );
        assert_eq!(o.exit, 1);
        assert_eq!(p.hints(), [crate::kubectl::NO_CLUSTER_HINT.to_string()]);
        let o = p.run("kubectl exec coredns-x -n kube-system -- ls", None);
        assert_eq!(o.exit, 1);
        assert_eq!(p.run("load k8s", None).exit, 0);
        assert_eq!(p.run("load k8s", None).exit, 1, "loads once");
        let o = p.run("kubectl get pods -n kube-system", None);
        assert!(o.stdout.starts_with("NAME "), "{o:?}");
        assert!(p.requests().is_empty());
        p.run("requests on", None);
        let o = p.run("kubectl get pods -n kube-system -o name", None);
        let pod = o
            .stdout
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("pod/")
            .to_string();
        assert!(
            p.requests()[0].starts_with("etcd: Range key=\"/registry/"),
            "{:?}",
            p.requests()
        );
        let o = p.run(&format!("kubectl delete pod {pod} -n kube-system"), None);
        assert_eq!(o.stdout, format!("pod \"{pod}\" deleted\n"));
        assert!(
            p.requests().iter().any(|r| r.starts_with("etcd: Txn")),
            "{:?}",
            p.requests()
        );
        let o = p.run(
            &format!("etcdctl get /registry/pods/kube-system/{pod}"),
            None,
        );
        assert_eq!(o.stdout, "");
        let o = p.run("kubectl exec coredns-x -n kube-system -- ls", None);
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): pods \"coredns-x\" not found\n"
        );
        p.run("requests off", None);
        p.run("kubectl get ns", None);
        assert!(p.requests().is_empty());
        assert_eq!(p.run("load k8s huge", None).exit, 1);
        assert_eq!(p.run("requests", None).exit, 1);
    }

    #[test]
    fn no_panic_on_odd_lines() {
        let mut p = Playground::new(1);
        for l in [
            "docker",
            "docker exec",
            "docker exec -e",
            "docker run",
            "docker run -p",
            "docker exec etcd sh -c",
            "docker exec etcd sh -c 'ls'",
            "docker exec etcd sh -c \"'\"",
            "docker exec etcd sh -c ''",
            "docker exec -éx etcd etcd",
            "kubectl exec",
            "kubectl exec -n",
            "kubectl exec etcd-0 --",
            "kubectl -n",
            "kubectl exec -né etcd-0 -- etcd",
            "etcd -",
            "etcd --=",
            "\\",
            "load",
            "load k8s large extra",
            "./etcdctl \\\n",
        ] {
            let _ = p.run(l, None);
        }
    }

    #[test]
    fn watch_is_a_job() {
        let mut p = Playground::new(1);
        p.run("etcdctl put a 1", None);
        let o = p.run("etcdctl watch a --rev=1", None);
        assert!(p.is_running());
        assert_eq!(o.stdout, "PUT\na\n1\n");
        let o = p.interrupt();
        assert_eq!(o.stdout, "");
        assert!(!p.is_running());
        let (o, interrupted) =
            p.run_bounded("etcdctl watch a --rev=1", None, Duration::from_secs(1));
        assert!(interrupted);
        assert_eq!(o.stdout, "PUT\na\n1\n");
    }
}
