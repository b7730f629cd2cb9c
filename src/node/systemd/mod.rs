//! systemd on a node, as a pure state machine over simulated time: the units it loaded (what
//! `daemon-reload` read, which stays in force until the next reload even if the file changes
//! on disk), each service's state (active, failed, waiting to restart), start and stop jobs
//! with `Restart=` and the start rate limit (5 starts in 10 s), and the journal lines systemd
//! and the services write. Starting a service's process is the lab's ([`Spawn`]): systemd
//! only hands it the unit as loaded.
//!
//! Owns: units, jobs, the journal. Must not touch: what a service does (the lab), the clock
//! (time is passed in). Texts: systemd 249 (Ubuntu 22.04), like kubelet's unit.

pub mod print;
pub mod unit;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::node::fs::{Components, Fs, Millis};
pub use unit::{Restart, ServiceType, UnitFile};

/// systemd's `DefaultStartLimitBurst` and `DefaultStartLimitIntervalSec`.
const START_LIMIT_BURST: usize = 5;
const START_LIMIT_INTERVAL: Millis = 10_000;
/// Journal lines kept (older ones are dropped, as journald rotates).
const JOURNAL_MAX: usize = 2_000;
/// A restart due within this much of a failed start happens before the start job returns.
const EAGER_RESTART: Millis = 1_000;

/// What a service's process does when systemd starts it.
pub trait Spawn {
    /// Starts `unit`'s main process (`ExecStart=`, as `User=`/`Group=`): `Ok(lines it logs)`
    /// once it runs (for `Type=notify`, once it said it is ready), `Err((exit status, lines
    /// it logs))` when it exits instead.
    fn spawn(
        &mut self,
        unit: &str,
        file: &UnitFile,
        fs: &mut Fs,
        now: Millis,
    ) -> Result<Vec<String>, (i32, Vec<String>)>;
    /// Stops it (SIGTERM); the lines it logs on the way out.
    fn kill(&mut self, unit: &str, fs: &mut Fs, now: Millis) -> Vec<String>;
}

/// A service's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Active {
    /// `inactive (dead)`.
    Inactive,
    /// `active (running)`.
    Running,
    /// `failed (Result: exit-code)`, with the main process's exit status.
    Failed(i32),
    /// `activating (auto-restart) (Result: exit-code)`: the next start is due at this time.
    AutoRestart(i32, Millis),
}

/// A unit systemd knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// `etcd.service`.
    pub name: String,
    /// Its file: `/etc/systemd/system/etcd.service`.
    pub path: String,
    /// The unit as the last (re)load read it; Err: why it did not load.
    pub loaded: Result<UnitFile, String>,
    /// The file's bytes at the last (re)load (a file that differs now needs a reload).
    loaded_text: Option<Vec<u8>>,
    pub enabled: bool,
    pub active: Active,
    /// When the state last changed.
    pub since: Millis,
    /// The main process's pid (the last one, once it exited).
    pub pid: u32,
    /// The `ExecStart=` line the last process ran.
    pub ran: String,
    /// Starts within the rate-limit interval.
    starts: Vec<Millis>,
    /// `restart counter is at N`.
    restarts: u32,
}

/// One journal line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub at: Millis,
    /// The unit it belongs to (`journalctl -u`).
    pub unit: String,
    /// The line after the date: `etcd-server systemd[1]: Starting etcd...`.
    pub line: String,
}

/// Why a job failed: what `systemctl` prints (without the trailing newline) and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub status: i32,
}

/// The service manager of one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Systemd {
    pub host: String,
    units: BTreeMap<String, Unit>,
    journal: Vec<Entry>,
    next_pid: u32,
}

fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `etcd` → `etcd.service`.
pub fn unit_name(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.service")
    }
}

impl Systemd {
    /// systemd on `host`, with nothing loaded.
    pub fn new(host: &str) -> Systemd {
        Systemd {
            host: host.to_string(),
            units: BTreeMap::new(),
            journal: Vec::new(),
            next_pid: 2001,
        }
    }

    /// Adds the unit in file `path` (as at boot, or `systemctl enable`), reading it now.
    pub fn add_unit(&mut self, fs: &Fs, path: &str, enabled: bool, now: Millis) {
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let mut u = Unit {
            name: name.clone(),
            path: path.to_string(),
            loaded: Err(String::new()),
            loaded_text: None,
            enabled,
            active: Active::Inactive,
            since: now,
            pid: 0,
            ran: String::new(),
            starts: Vec::new(),
            restarts: 0,
        };
        let warnings = Self::load(&mut u, fs);
        self.units.insert(name.clone(), u);
        for w in warnings {
            self.log_systemd(now, &name, &w);
        }
    }

    /// Reads a unit's file: the warnings it gave.
    fn load(u: &mut Unit, fs: &Fs) -> Vec<String> {
        let data = fs.read(&comps(&u.path)).ok().map(<[u8]>::to_vec);
        u.loaded_text = data.clone();
        match data {
            None => {
                u.loaded = Err("not-found".to_string());
                Vec::new()
            }
            Some(d) => {
                let text = String::from_utf8_lossy(&d);
                let (res, mut warnings) = unit::parse(&u.path, &u.name, &text);
                if let Err(e) = &res {
                    warnings.push(e.clone());
                }
                u.loaded = res;
                warnings
            }
        }
    }

    /// The unit named `name` (`etcd` or `etcd.service`).
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.units.get(&unit_name(name))
    }

    /// Whether the unit's file changed on disk since systemd read it.
    pub fn need_reload(&self, name: &str, fs: &Fs) -> bool {
        self.unit(name)
            .is_some_and(|u| fs.read(&comps(&u.path)).ok().map(<[u8]>::to_vec) != u.loaded_text)
    }

    /// `systemctl daemon-reload`: every unit file read again.
    pub fn daemon_reload(&mut self, fs: &Fs, now: Millis) {
        self.log_systemd(now, "", "Reloading.");
        let names: Vec<String> = self.units.keys().cloned().collect();
        for n in names {
            let warnings = match self.units.get_mut(&n) {
                Some(u) => Self::load(u, fs),
                None => continue,
            };
            for w in warnings {
                self.log_systemd(now, &n, &w);
            }
        }
    }

    fn push(&mut self, at: Millis, unit: &str, line: String) {
        self.journal.push(Entry {
            at,
            unit: unit.to_string(),
            line,
        });
        if self.journal.len() > JOURNAL_MAX {
            let drop = self.journal.len() - JOURNAL_MAX;
            self.journal.drain(..drop);
        }
    }

    fn log_systemd(&mut self, at: Millis, unit: &str, msg: &str) {
        let line = format!("{} systemd[1]: {}", self.host, msg);
        self.push(at, unit, line);
    }

    fn log_process(&mut self, at: Millis, unit: &str, ident: &str, pid: u32, lines: &[String]) {
        for l in lines {
            let line = format!("{} {}[{}]: {}", self.host, ident, pid, l);
            self.push(at, unit, line);
        }
    }

    /// The journal, oldest first.
    pub fn journal(&self) -> &[Entry] {
        &self.journal
    }

    /// Lets time pass: restarts that are due happen.
    pub fn tick(&mut self, fs: &mut Fs, now: Millis, spawn: &mut dyn Spawn) {
        let due: Vec<(String, Millis)> = self
            .units
            .values()
            .filter_map(|u| match u.active {
                Active::AutoRestart(_, at) if at <= now => Some((u.name.clone(), at)),
                _ => None,
            })
            .collect();
        for (name, at) in due {
            self.auto_restart(&name, fs, at, spawn);
        }
    }

    /// `systemctl start NAME`.
    pub fn start(
        &mut self,
        name: &str,
        fs: &mut Fs,
        now: Millis,
        spawn: &mut dyn Spawn,
    ) -> Result<(), JobError> {
        let name = unit_name(name);
        let Some(u) = self.units.get_mut(&name) else {
            return Err(not_found("start", &name));
        };
        if u.active == Active::Running {
            return Ok(());
        }
        if let Err(e) = &u.loaded {
            return Err(bad_unit("start", &name, e));
        }
        u.restarts = 0;
        u.starts.clear();
        self.run(&name, fs, now, spawn)
    }

    /// `systemctl stop NAME`.
    pub fn stop(
        &mut self,
        name: &str,
        fs: &mut Fs,
        now: Millis,
        spawn: &mut dyn Spawn,
    ) -> Result<(), JobError> {
        let name = unit_name(name);
        let Some(u) = self.units.get(&name) else {
            return Err(not_found("stop", &name));
        };
        let desc = description(u);
        match u.active {
            Active::Running => {
                let pid = u.pid;
                self.log_systemd(now, &name, &format!("Stopping {desc}..."));
                let lines = spawn.kill(&name, fs, now);
                let ident = ident(self.units.get(&name));
                self.log_process(now, &name, &ident, pid, &lines);
                self.log_systemd(now, &name, &format!("{name}: Deactivated successfully."));
                self.log_systemd(now, &name, &format!("Stopped {desc}."));
            }
            Active::AutoRestart(..) => {
                self.log_systemd(now, &name, &format!("Stopped {desc}."));
            }
            Active::Inactive | Active::Failed(_) => return Ok(()),
        }
        if let Some(u) = self.units.get_mut(&name) {
            u.active = Active::Inactive;
            u.since = now;
        }
        Ok(())
    }

    /// `systemctl restart NAME`: stop if running, then start.
    pub fn restart(
        &mut self,
        name: &str,
        fs: &mut Fs,
        now: Millis,
        spawn: &mut dyn Spawn,
    ) -> Result<(), JobError> {
        let name = unit_name(name);
        let Some(u) = self.units.get(&name) else {
            return Err(not_found("restart", &name));
        };
        if let Err(e) = &u.loaded {
            return Err(bad_unit("restart", &name, e));
        }
        self.stop(&name, fs, now, spawn)?;
        if let Some(u) = self.units.get_mut(&name) {
            u.restarts = 0;
            u.starts.clear();
        }
        self.run(&name, fs, now, spawn)
    }

    /// Runs the unit's process once, then the automatic restarts due at once.
    fn run(
        &mut self,
        name: &str,
        fs: &mut Fs,
        now: Millis,
        spawn: &mut dyn Spawn,
    ) -> Result<(), JobError> {
        let ok = self.spawn_once(name, fs, now, spawn);
        if ok {
            return Ok(());
        }
        // the restarts that follow at once (RestartSec=100ms by default) run before the
        // learner's next line
        while let Some(Active::AutoRestart(_, at)) = self.units.get(name).map(|u| u.active) {
            if at > now + EAGER_RESTART {
                break;
            }
            self.auto_restart(name, fs, now, spawn);
        }
        Err(JobError {
            message: format!(
                "Job for {name} failed because the control process exited with error code.\nSee \"systemctl status {name}\" and \"journalctl -xeu {name}\" for details."
            ),
            status: 1,
        })
    }

    /// One automatic restart (`Restart=`), or the rate limit's refusal.
    fn auto_restart(&mut self, name: &str, fs: &mut Fs, at: Millis, spawn: &mut dyn Spawn) {
        let Some(u) = self.units.get_mut(name) else {
            return;
        };
        let Active::AutoRestart(code, _) = u.active else {
            return;
        };
        u.restarts += 1;
        let (n, desc) = (u.restarts, description(u));
        u.starts.retain(|t| *t + START_LIMIT_INTERVAL > at);
        let limited = u.starts.len() >= START_LIMIT_BURST;
        self.log_systemd(
            at,
            name,
            &format!("{name}: Scheduled restart job, restart counter is at {n}."),
        );
        self.log_systemd(at, name, &format!("Stopped {desc}."));
        if limited {
            self.log_systemd(
                at,
                name,
                &format!("{name}: Start request repeated too quickly."),
            );
            self.log_systemd(
                at,
                name,
                &format!("{name}: Failed with result 'exit-code'."),
            );
            self.log_systemd(at, name, &format!("Failed to start {desc}."));
            if let Some(u) = self.units.get_mut(name) {
                u.active = Active::Failed(code);
                u.since = at;
            }
            return;
        }
        self.spawn_once(name, fs, at, spawn);
    }

    /// Starts the process: true if it runs.
    fn spawn_once(&mut self, name: &str, fs: &mut Fs, now: Millis, spawn: &mut dyn Spawn) -> bool {
        let Some(u) = self.units.get_mut(name) else {
            return false;
        };
        let Ok(file) = u.loaded.clone() else {
            return false;
        };
        let desc = description(u);
        let pid = self.next_pid;
        self.next_pid += 1 + (self.next_pid % 7);
        u.pid = pid;
        u.ran = file.exec_start_line.clone();
        u.starts.push(now);
        self.log_systemd(now, name, &format!("Starting {desc}..."));
        let ident = ident(self.units.get(name));
        let result = spawn.spawn(name, &file, fs, now);
        let (lines, state) = match result {
            Ok(lines) => (lines, Active::Running),
            Err((code, lines)) => {
                let again = file.restart != Restart::No;
                let state = if again {
                    Active::AutoRestart(code, now + file.restart_ms)
                } else {
                    Active::Failed(code)
                };
                (lines, state)
            }
        };
        self.log_process(now, name, &ident, pid, &lines);
        match state {
            Active::Running => self.log_systemd(now, name, &format!("Started {desc}.")),
            Active::Failed(code) | Active::AutoRestart(code, _) => {
                self.log_systemd(
                    now,
                    name,
                    &format!(
                        "{name}: Main process exited, code=exited, status={code}/{}",
                        status_name(code)
                    ),
                );
                self.log_systemd(
                    now,
                    name,
                    &format!("{name}: Failed with result 'exit-code'."),
                );
                self.log_systemd(now, name, &format!("Failed to start {desc}."));
            }
            Active::Inactive => {}
        }
        if let Some(u) = self.units.get_mut(name) {
            u.active = state;
            u.since = now;
        }
        state == Active::Running
    }

    /// The process of a running unit exited by itself (e.g. it could not go on).
    pub fn exited(&mut self, name: &str, code: i32, lines: &[String], now: Millis) {
        let name = unit_name(name);
        let Some(u) = self.units.get(&name) else {
            return;
        };
        if u.active != Active::Running {
            return;
        }
        let pid = u.pid;
        let again = u.loaded.as_ref().map_or(Restart::No, |f| f.restart) != Restart::No;
        let wait = u.loaded.as_ref().map_or(100, |f| f.restart_ms);
        let ident = ident(Some(u));
        self.log_process(now, &name, &ident, pid, lines);
        self.log_systemd(
            now,
            &name,
            &format!(
                "{name}: Main process exited, code=exited, status={code}/{}",
                status_name(code)
            ),
        );
        self.log_systemd(
            now,
            &name,
            &format!("{name}: Failed with result 'exit-code'."),
        );
        if let Some(u) = self.units.get_mut(&name) {
            u.active = if again {
                Active::AutoRestart(code, now + wait)
            } else {
                Active::Failed(code)
            };
            u.since = now;
        }
    }

    /// `systemctl enable|disable NAME`.
    pub fn set_enabled(&mut self, name: &str, yes: bool) -> bool {
        match self.units.get_mut(&unit_name(name)) {
            Some(u) => {
                let changed = u.enabled != yes;
                u.enabled = yes;
                changed
            }
            None => false,
        }
    }
}

/// The process name in journal lines: the executable's base name.
fn ident(u: Option<&Unit>) -> String {
    u.and_then(|u| u.loaded.as_ref().ok())
        .and_then(|f| f.exec_start.first())
        .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
        .unwrap_or_default()
}

/// The unit's `Description=` (its name without one).
pub fn description(u: &Unit) -> String {
    match &u.loaded {
        Ok(f) if !f.description.is_empty() => f.description.clone(),
        _ => u.name.clone(),
    }
}

/// systemd's name for an exit status.
pub fn status_name(code: i32) -> &'static str {
    match code {
        0 => "SUCCESS",
        1 => "FAILURE",
        2 => "INVALIDARGUMENT",
        3 => "NOTIMPLEMENTED",
        4 => "NOPERMISSION",
        5 => "NOTINSTALLED",
        6 => "NOTCONFIGURED",
        7 => "NOTRUNNING",
        203 => "EXEC",
        217 => "USER",
        _ => "FAILURE",
    }
}

fn not_found(verb: &str, name: &str) -> JobError {
    JobError {
        message: format!("Failed to {verb} {name}: Unit {name} not found."),
        status: 5,
    }
}

fn bad_unit(verb: &str, name: &str, why: &str) -> JobError {
    if why == "not-found" {
        return not_found(verb, name);
    }
    JobError {
        message: format!(
            "Failed to {verb} {name}: Unit {name} has a bad unit file setting.\nSee system logs and 'systemctl status {name}' for details."
        ),
        status: 1,
    }
}

#[cfg(test)]
#[path = "systemd_test.rs"]
mod tests;
