//! The console's background jobs, as a shell has them: a long-running command ended with
//! `&` (`etcdctl watch foo &`) keeps running while other lines run, its output collected
//! apart; `jobs` lists them and `kill %N` stops one (it cleans up as on Ctrl+C).
//!
//! Owns: the background jobs and what they printed since it was last taken. Must not touch:
//! the foreground job, time (the playground lets time pass and calls [`Background::poll`]).

use crate::cluster::Cluster;
use crate::etcdctl::{Io, Job};
use crate::process::Output;

struct BackgroundJob {
    number: u32,
    line: String,
    job: Box<dyn Job>,
    /// Printed since last taken.
    out: Output,
    /// Set once it ended: its exit status and whether `kill` ended it.
    ended: Option<(i32, bool)>,
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
            ended: None,
        });
        self.next
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.iter().all(|j| j.ended.is_some())
    }

    /// Lets every job look at the cluster (no time passes here).
    pub fn poll(&mut self, cluster: &mut dyn Cluster) {
        for j in self.jobs.iter_mut().filter(|j| j.ended.is_none()) {
            let mut io = Io::new("");
            let end = j.job.poll(cluster, &mut io);
            j.out.stdout.push_str(&io.stdout);
            j.out.stderr.push_str(&io.stderr);
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
        j.out.stdout.push_str(&io.stdout);
        j.out.stderr.push_str(&io.stderr);
        j.ended = Some((code, true));
        Ok(format!("[{n}]+  {:<24}{}", "Terminated", j.line))
    }

    /// What each job printed since the last call; ended jobs are reported once, then forgotten.
    pub fn take(&mut self) -> Vec<BackgroundOutput> {
        let out = self
            .jobs
            .iter_mut()
            .filter(|j| j.ended.is_some() || !j.out.stdout.is_empty() || !j.out.stderr.is_empty())
            .map(|j| BackgroundOutput {
                number: j.number,
                out: std::mem::take(&mut j.out),
                ended: j.ended,
            })
            .collect();
        self.jobs.retain(|j| j.ended.is_none());
        out
    }
}
