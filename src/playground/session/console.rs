//! The console's entries: each line run (typed, pasted or sent by a click) with what it
//! printed, its hints, the files it wrote and the Raft entries and revisions its write made;
//! the long-running command that is the current job and the background jobs, whose later
//! output arrives as entries of its own at the bottom, in the order it happens (as a terminal
//! prints it), while the entry that started the job keeps its "running in the background".
//!
//! What the page keeps is bounded (see [`crate::playground::tail`]): the newest
//! [`MAX_ENTRIES`] entries, the head of each command's output with a line saying how many
//! bytes were not shown, the tail of what a job appends with a line saying how many earlier
//! lines were not shown.
//!
//! Owns: [`Entry`], [`WriteTrace`], running input lines. Must not touch: how an entry looks
//! (the page's console draws it), etcd rules (the playground runs the line).

use std::rc::Rc;

use super::timeline::{InputRecord, LogChange, DISK_FULL, INTERRUPT, JOB_INPUT, SPEEDS};
use super::work::Ran;
use super::Session;
use crate::playground::input::complete_input;
use crate::playground::tail::{
    cut_back, drop_front, dropped_note, truncated_note, ENTRY_HEAD_BYTES, ENTRY_TAIL_BYTES,
    MAX_ENTRIES, OUTPUT_LIMIT,
};
use crate::process::Output;

/// One command and what it printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: usize,
    pub line: String,
    pub output: Output,
    /// Still running as the playground's job (watch, lock, elect, keep-alive).
    pub running: bool,
    /// Ran against a real cluster (or waits for one to answer `connect`): its time is the
    /// wall clock's, not the simulation's.
    pub real: bool,
    /// Ended by Ctrl+C (or by the next line, or `kill %N`).
    pub interrupted: bool,
    /// Running in the background as job `%N` (`LINE &`).
    pub background: Option<u32>,
    /// Not a command: what background job `%N` printed later (`line` is the job's command
    /// line; `exit`/`interrupted` say how it ended when it did).
    pub job_output: Option<u32>,
    /// Console hints for learners (dimmed; never etcdctl's output).
    pub hints: Vec<String>,
    /// The etcd requests its kubectl made (`requests on`; dimmed, never kubectl's output).
    pub requests: Vec<String>,
    /// Files it wrote (`etcdctl snapshot save NAME`), offered as downloads.
    pub files: Vec<String>,
    /// The write it made, when it appended Raft entries (select the entry to see it traced).
    pub trace: Option<WriteTrace>,
    /// Lines a job appended that are no longer kept (the first line of `output.stdout` says
    /// how many).
    pub dropped_lines: u64,
    /// With `job_output`: how many jobs' output this entry gathers (0 or 1: one job's). One
    /// look at the jobs that finds more than [`JOBS_APART`] of them with something to say
    /// gathers what the running ones printed into one entry, in job order.
    pub jobs: usize,
}

/// At most this many background jobs' output of one look gets an entry of its own: past it,
/// what the running jobs printed is gathered into one entry, so that a put that fires a
/// thousand watches does not push its own entry (and all before it) out of the console.
pub const JOBS_APART: usize = 8;

/// What an entry gathering several jobs' output keeps of it (its head).
pub const GATHERED_BYTES: usize = ENTRY_TAIL_BYTES;

/// Keeps the head of a command's output, with a line saying how much was not shown.
fn bound_output(output: Output) -> Output {
    bound_output_after(output, ENTRY_HEAD_BYTES, [0, 0])
}

/// Keeps the first `keep` bytes of each stream of an output from which `skipped` bytes
/// (stdout, stderr) were already left out at its end, with a line saying how much was not
/// shown.
fn bound_output_after(mut output: Output, keep: usize, skipped: [usize; 2]) -> Output {
    for (s, skipped) in [&mut output.stdout, &mut output.stderr]
        .into_iter()
        .zip(skipped)
    {
        let cut = cut_back(s, keep) + skipped;
        if cut > 0 {
            if !s.is_empty() && !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(&truncated_note(cut));
        }
    }
    output
}

impl Entry {
    /// Appends what a job printed, keeping the newest [`ENTRY_TAIL_BYTES`] of each stream
    /// (cut when twice that is reached) under a line saying how many lines went.
    fn append(&mut self, out: &Output) {
        // the streams' order goes on: the entry's runs, then the new output's
        let o = &mut self.output;
        if o.order.is_empty() {
            o.order = vec![(false, o.stdout.len()), (true, o.stderr.len())];
        }
        if out.order.is_empty() {
            o.order
                .extend([(false, out.stdout.len()), (true, out.stderr.len())]);
        } else {
            o.order.extend_from_slice(&out.order);
        }
        o.stdout.push_str(&out.stdout);
        o.stderr.push_str(&out.stderr);
        let over = |s: &String| s.len() > 2 * ENTRY_TAIL_BYTES;
        if !over(&self.output.stdout) && !over(&self.output.stderr) {
            return;
        }
        // cut at the front: the runs no longer match (stdout, then stderr)
        self.output.order.clear();
        let note = dropped_note(self.dropped_lines);
        if self.dropped_lines > 0 && self.output.stdout.starts_with(&note) {
            self.output.stdout.drain(..note.len());
        }
        for s in [&mut self.output.stdout, &mut self.output.stderr] {
            if s.len() > ENTRY_TAIL_BYTES {
                self.dropped_lines += drop_front(s, ENTRY_TAIL_BYTES);
            }
        }
        if self.dropped_lines > 0 {
            self.output
                .stdout
                .insert_str(0, &dropped_note(self.dropped_lines));
        }
    }
}

/// What one console line wrote: the Raft entries appended while it ran (on the member with
/// the longest log) and the store revisions it made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteTrace {
    pub first_index: u64,
    pub last_index: u64,
    /// The term of the last entry.
    pub term: u64,
    /// First and last revision created, when the store moved on.
    pub revisions: Option<(i64, i64)>,
}

/// How a save in the page's editor is stored among the inputs: this, then the file's path
/// (the text is the record's stdin). A comment to a shell, so the history shows it harmlessly.
pub const EDITOR_SAVED: &str = "# saved in the editor: ";

/// Added to `help`: what the page adds to the playground's commands.
pub const PAGE_HELP: &str = "\nIn this page also:\n  speed X      play simulated time X times as fast as the wall clock (1/100 to 100)\n  reset        a fresh cluster; the stored inputs are forgotten\n";

impl Session {
    pub(super) fn push_entry(&mut self, line: String, output: Output) {
        let line = self.secrets.redact_line(&line);
        let entries = Rc::make_mut(&mut self.entries);
        entries.push(Entry {
            id: self.next_id,
            line,
            output: bound_output(output),
            ..Default::default()
        });
        forget_oldest(entries);
        self.next_id += 1;
    }

    /// Runs a line in the playground, which builds only the head of etcdctl's output that
    /// the entry keeps ([`OUTPUT_LIMIT`]) and counts the rest (`get --prefix -w json` of the
    /// large sample is 170 MB of text: building it whole, then copying it, took GBs).
    fn run_bounded(&mut self, line: &str, stdin: Option<&str>, typed: bool) -> Output {
        self.playground.set_output_limit(Some(OUTPUT_LIMIT));
        match stdin {
            Some(text) if typed => self.playground.run_typed(line, text),
            _ => self.playground.run(line, stdin),
        }
    }

    /// Pushes the entry of a line the playground just ran: its hints, and whether it keeps
    /// running as the current job.
    pub(super) fn push_ran(&mut self, line: String, output: Output) {
        let running = self.playground.is_running();
        let mut hints = self.playground.hints().to_vec();
        if self.playground.hints_enabled {
            hints.extend(super::timeline::paused_fault_hint(
                &line,
                output.exit,
                self.playing,
            ));
            hints.extend(self.api_hint(&line, &output));
        }
        let background = self.playground.last_background();
        let requests = self.playground.requests().to_vec();
        let files = self.playground.last_written().to_vec();
        let skipped = self.playground.skipped();
        let line = self.secrets.redact_line(&line);
        let entries = Rc::make_mut(&mut self.entries);
        entries.push(Entry {
            id: self.next_id,
            line: line.clone(),
            output: bound_output_after(output, ENTRY_HEAD_BYTES, skipped),
            running,
            background,
            hints,
            requests,
            files,
            ..Default::default()
        });
        forget_oldest(entries);
        if running {
            self.job = Some(self.next_id);
        }
        if let Some(n) = background {
            self.background.insert(n, (self.next_id, line.clone()));
        }
        self.next_id += 1;
        self.drain_background();
    }

    /// Shows what the background jobs printed since the last look, each chunk as a new
    /// entry at the bottom; a job that ended says so there, and its starting entry stops
    /// showing "running in the background".
    pub(super) fn drain_background(&mut self) {
        let got = self.playground.take_background();
        if got.is_empty() {
            return;
        }
        let speaking = got
            .iter()
            .filter(|b| !b.out.stdout.is_empty() || !b.out.stderr.is_empty())
            .count();
        let gather = speaking > JOBS_APART;
        let mut group: Option<Entry> = None;
        let mut skipped = [0usize; 2];
        for b in got {
            let Some((id, line)) = self.background.get(&b.number).cloned() else {
                continue;
            };
            let entries = Rc::make_mut(&mut self.entries);
            if b.ended.is_some() {
                if let Some(start) = entries.iter_mut().find(|e| e.id == id) {
                    start.background = None;
                }
                self.background.remove(&b.number);
            }
            // (an end with nothing printed, as after `kill %N`, is told by what ended it)
            if b.out.stdout.is_empty() && b.out.stderr.is_empty() {
                continue;
            }
            self.lesson_saw_job_output(&b.out);
            let entries = Rc::make_mut(&mut self.entries);
            if gather && b.ended.is_none() {
                let g = group.get_or_insert_with(|| Entry {
                    line: line.clone(),
                    job_output: Some(b.number),
                    ..Default::default()
                });
                if g.line != line {
                    g.line = "(several commands)".to_string();
                }
                g.jobs += 1;
                for (i, (to, from)) in [
                    (&mut g.output.stdout, &b.out.stdout),
                    (&mut g.output.stderr, &b.out.stderr),
                ]
                .into_iter()
                .enumerate()
                {
                    // whole chunks up to the head (a watch event is not cut in two); what is
                    // past it would not be shown: not kept either
                    if to.is_empty() || to.len() + from.len() <= GATHERED_BYTES {
                        to.push_str(from);
                    } else {
                        skipped[i] += from.len();
                    }
                }
                continue;
            }
            let (exit, interrupted) = b.ended.unwrap_or((0, false));
            entries.push(Entry {
                id: self.next_id,
                line,
                output: bound_output(Output { exit, ..b.out }),
                interrupted,
                job_output: Some(b.number),
                ..Default::default()
            });
            self.next_id += 1;
        }
        if let Some(mut g) = group {
            g.id = self.next_id;
            g.output = bound_output_after(std::mem::take(&mut g.output), GATHERED_BYTES, skipped);
            Rc::make_mut(&mut self.entries).push(g);
            self.next_id += 1;
        }
        // once, not per chunk
        forget_oldest(Rc::make_mut(&mut self.entries));
    }

    /// Shows a line the page answered itself (`lab`, `lab NAME`): an entry and a line of the
    /// history, not a stored input (a replay does not run it again).
    pub fn show(&mut self, line: &str, output: Output) {
        self.history.push(&self.secrets.redact_line(line));
        self.push_entry(line.to_string(), output);
    }

    /// The editor that `vi FILE` opened saved `text` to `path`: written on the node, shown as
    /// an entry, and stored as an input so that a reload or a rewind writes it again.
    pub fn save_edit(&mut self, path: &str, text: &str) -> LogChange {
        self.leave_cold_view();
        self.future.clear();
        let record = InputRecord {
            line: format!("{EDITOR_SAVED}{path}"),
            stdin: Some(text.to_string()),
            at_ms: Some(self.now_ms()),
            ..Default::default()
        };
        let output = self.playground.save_edit(path, text);
        self.push_entry(record.line.clone(), output);
        self.inputs.push(record.clone());
        self.touch_horizon();
        LogChange::Append(record)
    }

    /// The shell prompt the console shows (the current lab's), with its space.
    pub fn prompt(&self) -> String {
        format!("{} ", self.playground.prompt())
    }

    /// Which lab this session is.
    pub fn lab(&self) -> crate::playground::lab::LabKind {
        self.playground.lab()
    }

    /// A file dropped on the page: taken into the working directory if it is a snapshot
    /// file, shown as a console entry either way. (Dropped files are not part of the stored
    /// inputs: a reload forgets them.)
    pub fn add_file(&mut self, name: &str, bytes: Vec<u8>) {
        let output = match self.playground.add_file(name, bytes) {
            Ok(msg) => text_out(&msg),
            Err(msg) => Output {
                stderr: format!("{msg}\n"),
                exit: 1,
                ..Default::default()
            },
        };
        self.push_entry(format!("# dropped {name}"), output);
    }

    pub fn clear_screen(&mut self) {
        self.entries = Rc::new(Vec::new());
    }

    /// Runs what the console sends: one line, or a paste of several (cut as a terminal does:
    /// `\` continues a line, `<<EOF` takes a here-document), each in order with its own
    /// entry. Says how the stored log changes (one change for the whole input).
    pub fn run_input(&mut self, text: &str) -> LogChange {
        // a line recalled with ↑ shows pseudonyms: it runs with the secrets they stand for
        let revealed = self.secrets.reveal_line(text);
        let text = revealed.as_str();
        let commands = match complete_input(text) {
            Some(c)
                if c.len() != 1 || c.iter().any(|c| c.stdin.is_some() || c.line.contains('\n')) =>
            {
                c
            }
            // one plain line (or an unfinished one, run as it is): as before
            _ => return self.run_line(text),
        };
        let changes: Vec<LogChange> = commands
            .iter()
            .map(|c| self.run_line_with(&c.line, c.stdin.as_deref()))
            .collect();
        match changes.as_slice() {
            [] => LogChange::None,
            [_] => changes.into_iter().next().unwrap_or(LogChange::None),
            _ if changes.iter().all(|c| *c == LogChange::None) => LogChange::None,
            _ => LogChange::Rewrite(self.inputs.clone()),
        }
    }

    /// Runs one console line (typed, or sent by a click) and says how the stored log changes.
    pub fn run_line(&mut self, line: &str) -> LogChange {
        self.run_line_with(line, None)
    }

    /// [`Session::run_line`] with a here-document as the command's stdin.
    pub fn run_line_with(&mut self, line: &str, stdin: Option<&str>) -> LogChange {
        // (after a line that needs the page's full module, nothing more runs here)
        if self.handing_over() {
            return LogChange::None;
        }
        // a running command that reads its terminal (`watch -i`) takes the line
        if stdin.is_none() && self.job.is_some() && self.playground.job_reads_input() {
            return self.feed_job(Some(line));
        }
        // a command waiting for terminal input is dropped by the next command line
        self.interrupt_terminal();
        self.history.push(&self.secrets.redact_line(line));
        if stdin.is_none() && self.start_terminal(line) {
            return LogChange::None;
        }
        self.run_command(line, stdin, false)
    }

    /// Runs a command line with its stdin (a here-document, or what was `typed` at its
    /// terminal) and stores it as an input.
    pub(super) fn run_command(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        typed: bool,
    ) -> LogChange {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["speed", x] => {
                let out = self.set_speed_text(x);
                self.push_entry(line.to_string(), out);
                return LogChange::None;
            }
            ["reset"] if self.playground.connected().is_some() => {
                let out = Output {
                    stderr: "reset: not while connected to a real cluster (`disconnect` first: the simulated cluster is the one reset)\n".to_string(),
                    exit: 1,
                    ..Default::default()
                };
                self.push_entry(line.to_string(), out);
                return LogChange::None;
            }
            ["reset"] => {
                self.base = None;
                self.cold_start = false;
                self.rewind_dropped = 0;
                self.inputs_clear = true;
                self.inputs_stored = 0;
                self.reset();
                self.push_entry(
                    line.to_string(),
                    text_out(
                        "a fresh cluster: infra1, infra2, infra3 (the stored inputs are forgotten)",
                    ),
                );
                self.restart_lesson();
                return LogChange::Rewrite(self.inputs.clone());
            }
            _ => {}
        }
        if self.real_cluster() || matches!(words.first(), Some(&"connect") | Some(&"disconnect")) {
            return self.run_connected(line, stdin, typed);
        }
        let rewrite = !self.future.is_empty() || self.cold_until.is_some();
        self.leave_cold_view();
        self.future.clear();
        let record = InputRecord {
            line: line.to_string(),
            stdin: stdin.map(str::to_string),
            at_ms: Some(self.now_ms()),
            steps: None,
            secret_lines: std::mem::take(&mut self.typed_secret_lines),
        };
        // A line typed while a job runs ends that job first (the playground does it).
        self.finish_job(false);
        let index_before = self.last_index();
        self.refresh_keyspace(false);
        let rev_before = self.keyspace.revision;
        self.playground.set_stepping(self.stepping);
        let output = self.run_bounded(line, stdin, typed);
        self.playground.set_stepping(false);
        if self.needed_full_module() {
            return LogChange::None;
        }
        let ran = Ran {
            record,
            index_before,
            rev_before,
            rewrite,
        };
        if self.playground.working().is_some() {
            // a long command runs on a step at a time: see [`Session::work`]
            self.work = Some(ran);
            return LogChange::None;
        }
        self.ran_command(ran, output)
    }

    /// The end of [`Session::run_command`] once the command ended: its entry, what its writes
    /// made, the input stored.
    pub(super) fn ran_command(&mut self, ran: Ran, mut output: Output) -> LogChange {
        let Ran {
            record,
            index_before,
            rev_before,
            rewrite,
        } = ran;
        let line = record.line.as_str();
        if line.split_whitespace().next() == Some("help") {
            output.stdout.push_str(PAGE_HELP);
        }
        self.note_output(&output);
        self.lesson_saw_line(line, &output);
        let id = self.next_id;
        self.push_ran(line.to_string(), output);
        // Trace the write: the Raft entries appended while it ran, the revisions it made.
        let index_after = self.last_index();
        self.refresh_keyspace(false);
        let rev_after = self.keyspace.revision;
        if index_after > index_before && !self.keyspace.v2 {
            let term = self.entry_term(index_after);
            // (its entry, not background output that arrived after it)
            if let Some(e) = Rc::make_mut(&mut self.entries)
                .iter_mut()
                .rev()
                .find(|e| e.id == id)
            {
                e.trace = Some(WriteTrace {
                    first_index: index_before + 1,
                    last_index: index_after,
                    term,
                    revisions: (rev_after > rev_before && self.keyspace.at.is_none())
                        .then_some((rev_before + 1, rev_after)),
                });
            }
        }
        self.inputs.push(record.clone());
        if rewrite {
            // What came after the rewind is gone: the timeline ends here.
            self.horizon_ms = self.now_ms();
        }
        self.touch_horizon();
        let change = if rewrite {
            LogChange::Rewrite(self.inputs.clone())
        } else {
            LogChange::Append(record)
        };
        self.bound_rewind();
        change
    }

    /// Runs a line while connected to a real cluster (or one that connects or disconnects):
    /// shown, never stored as an input (a replay rebuilds the simulated cluster, which these
    /// lines do not touch), and the keyspace is read again from whichever cluster is shown.
    fn run_connected(&mut self, line: &str, stdin: Option<&str>, typed: bool) -> LogChange {
        self.finish_job(false);
        let output = self.run_bounded(line, stdin, typed);
        if self.needed_full_module() {
            return LogChange::None; // (`connect` in the first-visit module)
        }
        self.push_ran(line.to_string(), output);
        if let Some(e) = Rc::make_mut(&mut self.entries).last_mut() {
            e.real = true;
        }
        self.remote_checked = None;
        self.refresh_keyspace(true);
        LogChange::None
    }

    /// The newest log index among the running members.
    fn last_index(&self) -> u64 {
        self.world()
            .member_views()
            .iter()
            .filter(|m| m.running)
            .map(|m| m.last_index)
            .max()
            .unwrap_or(0)
    }

    fn entry_term(&self, index: u64) -> u64 {
        self.world()
            .member_views()
            .iter()
            .flat_map(|m| m.log.iter())
            .find(|e| e.index == index)
            .map_or(0, |e| e.term)
    }

    /// Runs a stored input again (a replay): its entry shows what it printed this time.
    pub(super) fn rerun(&mut self, r: InputRecord, show: bool) {
        // (not stepping: a long command runs to its end here, so nothing is handed back)
        let _ = self.rerun_stepping(r, show, false);
    }

    /// [`Session::rerun`], where a long command the input starts (`load k8s large`) runs a
    /// step at a time when `stepping`: the input is then handed back, and ended by
    /// [`Session::rerun_end`] with the output [`Playground::work`] gives at its last step, or
    /// [`Playground::stop_work`] after the steps it ran before a Ctrl+C (see
    /// `replay::Replay`).
    pub(super) fn rerun_stepping(
        &mut self,
        r: InputRecord,
        show: bool,
        stepping: bool,
    ) -> Option<InputRecord> {
        if r.line == INTERRUPT {
            self.interrupt_job();
            self.inputs.push(r);
            return None;
        }
        if r.line == JOB_INPUT {
            self.refeed_job(&r);
            self.inputs.push(r);
            return None;
        }
        if r.line == DISK_FULL {
            self.playground.world_mut().disk_full();
            self.inputs.push(r);
            return None;
        }
        if let Some(path) = r.line.strip_prefix(EDITOR_SAVED) {
            let output = self
                .playground
                .save_edit(path, r.stdin.as_deref().unwrap_or(""));
            self.push_entry(r.line.clone(), output);
            self.inputs.push(r);
            return None;
        }
        self.finish_job(false);
        let typed = super::terminal::typed_at_terminal(&r);
        let output = match r.steps {
            // (stepping: the replay runs its steps and stops it, as `run_stopped_after` does)
            Some(_) if stepping => {
                self.playground.set_stepping(true);
                let output = self.playground.run(&r.line, None);
                self.playground.set_stepping(false);
                output
            }
            Some(steps) => self.playground.run_stopped_after(&r.line, steps),
            None => {
                self.playground.set_stepping(stepping);
                let output = self.run_bounded(&r.line, r.stdin.as_deref(), typed);
                self.playground.set_stepping(false);
                output
            }
        };
        if self.needed_full_module() {
            return None;
        }
        if self.playground.working().is_some() {
            return Some(r);
        }
        self.rerun_end(r, output, show);
        None
    }

    /// The end of a replayed input once its command ended: its entry, the input kept.
    pub(super) fn rerun_end(&mut self, r: InputRecord, output: Output, show: bool) {
        self.note_output(&output);
        self.lesson_saw_line(&r.line, &output);
        if show {
            self.history.push(&self.secrets.redact_line(&r.line));
        }
        self.push_ran(r.line.clone(), output);
        self.inputs.push(r);
    }

    pub(super) fn append_to_job(&mut self, out: Output, interrupted: bool) {
        let Some(id) = self.job else { return };
        let still = self.playground.is_running();
        if out.stdout.is_empty() && out.stderr.is_empty() && still {
            return;
        }
        let entries = Rc::make_mut(&mut self.entries);
        if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
            e.append(&out);
            if !still {
                e.running = false;
                e.interrupted = interrupted;
                e.output.exit = out.exit;
            }
        }
        if !still {
            self.job = None;
        }
    }

    /// Marks the job's entry as ended when the playground no longer runs it.
    fn finish_job(&mut self, _interrupted: bool) {
        if self.job.is_some() && !self.playground.is_running() {
            self.append_to_job(Output::default(), false);
        }
        if self.job.is_some() {
            // The next line interrupts it: its entry stops showing "running".
            let id = self.job.take();
            let entries = Rc::make_mut(&mut self.entries);
            if let Some(e) = entries.iter_mut().find(|e| Some(e.id) == id) {
                e.running = false;
                e.interrupted = true;
            }
        }
    }

    /// Ctrl+C: the current job ends (recorded, so a replay ends it at the same moment).
    pub fn interrupt(&mut self) -> LogChange {
        if self.interrupt_terminal() {
            return LogChange::None;
        }
        if self.job.is_none() && !self.playground.is_running() {
            return LogChange::None;
        }
        if self.real_cluster() {
            // (a job on the real cluster, or a `connect`: nothing to replay)
            self.interrupt_job();
            return LogChange::None;
        }
        let record = InputRecord {
            line: INTERRUPT.to_string(),
            stdin: None,
            at_ms: Some(self.now_ms()),
            ..Default::default()
        };
        self.interrupt_job();
        self.inputs.push(record.clone());
        LogChange::Append(record)
    }

    fn interrupt_job(&mut self) {
        let out = self.playground.interrupt();
        if self.job.is_some() {
            self.append_to_job(out, true);
        }
        self.job = None;
    }

    fn note_output(&mut self, out: &Output) {
        // `etcdctl compaction N` confirms with "compacted revision N".
        if out.exit == 0 {
            if let Some(n) = out
                .stdout
                .lines()
                .find_map(|l| l.strip_prefix("compacted revision "))
                .and_then(|n| n.trim().parse::<i64>().ok())
            {
                self.keyspace.compacted = self.keyspace.compacted.max(n);
            }
        }
    }

    /// `speed X`: the nearest offered factor, or why X is not one.
    fn set_speed_text(&mut self, x: &str) -> Output {
        let t = x.trim_end_matches(['x', '×']);
        let v = if let Some((a, b)) = t.split_once('/') {
            match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(a), Ok(b)) if b > 0.0 => Some(a / b),
                _ => None,
            }
        } else {
            t.parse::<f64>().ok()
        };
        match v.filter(|v| v.is_finite() && *v > 0.0) {
            Some(v) => {
                let (i, _) = SPEEDS
                    .iter()
                    .enumerate()
                    .min_by(|a, b| {
                        let da = (a.1 .0.ln() - v.ln()).abs();
                        let db = (b.1 .0.ln() - v.ln()).abs();
                        da.total_cmp(&db)
                    })
                    .unwrap_or((super::timeline::default_speed(), &SPEEDS[4]));
                self.speed = i;
                text_out(&format!("speed set to {}", SPEEDS.get(i).map_or("1×", |s| s.1)))
            }
            None => Output {
                stderr: format!("speed: expected a factor between 1/100 and 100 (e.g. 2, 0.5, 1/10), got \"{x}\"\n"),
                exit: 1,
                ..Default::default()
            },
        }
    }
}

/// The page keeps the newest [`MAX_ENTRIES`] entries.
fn forget_oldest(entries: &mut Vec<Entry>) {
    if entries.len() > MAX_ENTRIES {
        let n = entries.len() - MAX_ENTRIES;
        entries.drain(..n);
    }
}

fn text_out(s: &str) -> Output {
    Output {
        stdout: format!("{s}\n"),
        ..Default::default()
    }
}
