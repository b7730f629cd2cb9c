//! The console's background jobs, as a shell has them: a long-running command ended with
//! `&` (`etcdctl watch foo &`) keeps running while other lines run, its output collected
//! apart; `jobs` lists them and `kill %N` stops one (it cleans up as on Ctrl+C).
//!
//! A job keeps only the newest [`JOB_TAIL_BYTES`] of what it printed between two takes; what
//! it dropped is said in one line when the output is taken (`[1] … 12345 earlier lines
//! dropped`), so 1,000 watches under 20,000 puts stay in bounded memory.
//!
//! Owns: the background jobs and what they printed since it was last taken. Must not touch:
//! the foreground job, time (the playground lets time pass and calls [`Background::poll`]).

use crate::cluster::Cluster;
use crate::etcdctl::{Io, Job};
use crate::playground::tail::{drop_front, JOB_TAIL_BYTES};
use crate::process::Output;

struct BackgroundJob {
    number: u32,
    line: String,
    job: Box<dyn Job>,
    /// Printed since last taken (its newest lines).
    out: Output,
    /// Lines dropped from `out` since last taken.
    dropped: u64,
    /// Set once it ended: its exit status and whether `kill` ended it.
    ended: Option<(i32, bool)>,
}

impl BackgroundJob {
    /// Adds what the job printed, keeping the newest [`JOB_TAIL_BYTES`] of each stream (cut
    /// when twice that is reached, so that cutting costs nothing per line).
    fn keep(&mut self, io: &Io) {
        for (out, new) in [
            (&mut self.out.stdout, &io.stdout),
            (&mut self.out.stderr, &io.stderr),
        ] {
            out.push_str(new);
            if out.len() > 2 * JOB_TAIL_BYTES {
                self.dropped += drop_front(out, JOB_TAIL_BYTES);
            }
        }
    }
}

/// What one background job printed since the last [`Background::take`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackgroundOutput {
    pub number: u32,
    pub out: Output,
    /// `Some((exit, killed))` once the job has ended (it is then forgotten).
    pub ended: Option<(i32, bool)>,
}

/// The background jobs of one console.
#[derive(Default)]
pub struct Background {
    jobs: Vec<BackgroundJob>,
    next: u32,
}

impl Background {
    /// Puts a running job in the background; returns its job number (`%N`).
    pub fn start(&mut self, line: &str, job: Box<dyn Job>) -> u32 {
        // as bash: numbers restart after the last job ended
        if self.jobs.is_empty() {
            self.next = 0;
        }
        self.next = self.next.saturating_add(1);
        self.jobs.push(BackgroundJob {
            number: self.next,
            line: line.to_string(),
            job,
            out: Output::default(),
            dropped: 0,
            ended: None,
        });
        self.next
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.iter().all(|j| j.ended.is_some())
    }

    /// How many jobs still run.
    pub fn running(&self) -> usize {
        self.jobs.iter().filter(|j| j.ended.is_none()).count()
    }

    /// Lets every job look at the cluster (no time passes here).
    pub fn poll(&mut self, cluster: &mut dyn Cluster) {
        for j in self.jobs.iter_mut().filter(|j| j.ended.is_none()) {
            let mut io = Io::new("");
            let end = j.job.poll(cluster, &mut io);
            j.keep(&io);
            if let Some(code) = end {
                j.ended = Some((code, false));
            }
        }
    }

    /// `jobs`: one line per job, as bash prints them.
    pub fn list(&self) -> String {
        let last = self.jobs.last().map(|j| j.number);
        self.jobs
            .iter()
            .filter(|j| j.ended.is_none())
            .map(|j| {
                let mark = if Some(j.number) == last { '+' } else { '-' };
                format!("[{}]{mark}  {:<24}{} &\n", j.number, "Running", j.line)
            })
            .collect()
    }

    /// `kill %N`: the job cleans up and ends. Err with bash's complaint for a bad job.
    pub fn kill(&mut self, spec: &str, cluster: &mut dyn Cluster) -> Result<String, String> {
        let n: u32 = spec
            .strip_prefix('%')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("bash: kill: {spec}: arguments must be process or job IDs"))?;
        let j = self
            .jobs
            .iter_mut()
            .find(|j| j.number == n && j.ended.is_none())
            .ok_or_else(|| format!("bash: kill: %{n}: no such job"))?;
        let mut io = Io::new("");
        let code = j.job.interrupt(cluster, &mut io);
        j.keep(&io);
        j.ended = Some((code, true));
        Ok(format!("[{n}]+  {:<24}{}", "Terminated", j.line))
    }

    /// Ends every running job (`kill %N` of each), on the cluster it runs against; the lines
    /// bash prints for them.
    pub fn kill_all(&mut self, cluster: &mut dyn Cluster) -> Vec<String> {
        let running: Vec<u32> = self
            .jobs
            .iter()
            .filter(|j| j.ended.is_none())
            .map(|j| j.number)
            .collect();
        running
            .into_iter()
            .filter_map(|n| self.kill(&format!("%{n}"), cluster).ok())
            .collect()
    }

    /// What each job printed since the last call; ended jobs are reported once, then forgotten.
    pub fn take(&mut self) -> Vec<BackgroundOutput> {
        let out = self
            .jobs
            .iter_mut()
            .filter(|j| j.ended.is_some() || !j.out.stdout.is_empty() || !j.out.stderr.is_empty())
            .map(|j| {
                let mut out = std::mem::take(&mut j.out);
                let dropped = std::mem::take(&mut j.dropped);
                if dropped > 0 {
                    out.stdout.insert_str(
                        0,
                        &format!("[{}] … {dropped} earlier lines dropped\n", j.number),
                    );
                }
                BackgroundOutput {
                    number: j.number,
                    out,
                    ended: j.ended,
                }
            })
            .collect();
        self.jobs.retain(|j| j.ended.is_none());
        out
    }
}
