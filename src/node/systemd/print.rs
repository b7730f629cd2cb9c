//! What a learner reads of systemd: `systemctl status NAME` (systemd 249's layout: the
//! loaded unit, its state and main process, then its last journal lines; the daemon-reload
//! warning when the file changed on disk), `systemctl cat NAME` (the file on disk, with
//! systemctl's outdated-unit comment), `systemctl is-active` and `journalctl -u NAME`
//! (journald's short format).
//!
//! Owns: these texts. Must not touch: the units' state (mod.rs).

use super::{description, status_name, unit_name, Active, Systemd, Unit};
use crate::node::fs::{Fs, Millis};
use crate::node::time::{journal_date, systemd_ago, systemd_date};

/// systemctl's warning for a unit whose file changed since the last reload (stderr).
pub fn changed_warning(name: &str) -> String {
    format!(
        "Warning: The unit file, source configuration file or drop-ins of {name} changed on disk. Run 'systemctl daemon-reload' to reload units.\n"
    )
}

/// The command line of the unit's process as `ps` shows it (argv joined by spaces).
fn cmdline(u: &Unit) -> String {
    match &u.loaded {
        Ok(f) => f.exec_start.join(" "),
        Err(_) => String::new(),
    }
}

fn state_text(u: &Unit, now: Millis) -> String {
    let since = format!(
        "since {}; {} ago",
        systemd_date(u.since),
        systemd_ago(now.saturating_sub(u.since))
    );
    match u.active {
        Active::Running => format!("active (running) {since}"),
        Active::Failed(_) => format!("failed (Result: exit-code) {since}"),
        Active::AutoRestart(..) => format!("activating (auto-restart) (Result: exit-code) {since}"),
        Active::Inactive if u.pid == 0 => "inactive (dead)".to_string(),
        Active::Inactive => format!("inactive (dead) {since}"),
    }
}

/// systemd's CPU time for a process that has run `ms`.
fn cpu(ms: Millis) -> String {
    let t = ms / 40 + 120;
    if t < 1000 {
        format!("{t}ms")
    } else if t < 60_000 {
        format!("{}.{:03}s", t / 1000, t % 1000)
    } else {
        format!("{}min {}.{:03}s", t / 60_000, t / 1000 % 60, t % 1000)
    }
}

/// `systemctl status NAME`: (stdout, stderr, exit status: 0 running, 3 not, 4 unknown).
pub fn status(sd: &Systemd, fs: &Fs, name: &str, now: Millis) -> (String, String, i32) {
    let name = unit_name(name);
    let Some(u) = sd.units.get(&name) else {
        return (
            String::new(),
            format!("Unit {name} could not be found.\n"),
            4,
        );
    };
    let mut s = String::new();
    let bullet = match u.active {
        Active::Running | Active::AutoRestart(..) => "●",
        Active::Failed(_) => "×",
        Active::Inactive => "○",
    };
    s.push_str(&format!("{bullet} {name} - {}\n", description(u)));
    let enabled = if u.enabled { "enabled" } else { "disabled" };
    match &u.loaded {
        Ok(_) => s.push_str(&format!(
            "     Loaded: loaded ({}; {enabled}; vendor preset: enabled)\n",
            u.path
        )),
        Err(e) if e == "not-found" => s.push_str(&format!(
            "     Loaded: not-found (Reason: Unit {name} not found.)\n"
        )),
        Err(_) => s.push_str(&format!(
            "     Loaded: bad-setting (Reason: Unit {name} has a bad unit file setting.)\n"
        )),
    }
    s.push_str(&format!("     Active: {}\n", state_text(u, now)));
    if let Ok(f) = &u.loaded {
        if let Some((first, rest)) = f.documentation.split_first() {
            s.push_str(&format!("       Docs: {first}\n"));
            for d in rest {
                s.push_str(&format!("             {d}\n"));
            }
        }
    }
    let up = now.saturating_sub(u.since);
    match u.active {
        Active::Running => {
            s.push_str(&format!(
                "   Main PID: {} ({})\n",
                u.pid,
                super::ident(Some(u))
            ));
            s.push_str("      Tasks: 8 (limit: 4557)\n");
            s.push_str(&format!(
                "     Memory: {}.{}M\n",
                17 + up / 600_000 % 20,
                up / 1000 % 10
            ));
            s.push_str(&format!("        CPU: {}\n", cpu(up)));
            s.push_str(&format!("     CGroup: /system.slice/{name}\n"));
            s.push_str(&format!("             └─{} {}\n", u.pid, cmdline(u)));
        }
        Active::Failed(code) | Active::AutoRestart(code, _) => {
            let st = format!("code=exited, status={code}/{}", status_name(code));
            s.push_str(&format!(
                "    Process: {} ExecStart={} ({st})\n",
                u.pid, u.ran
            ));
            s.push_str(&format!("   Main PID: {} ({st})\n", u.pid));
            s.push_str("        CPU: 38ms\n");
        }
        Active::Inactive if u.pid != 0 => {
            s.push_str(&format!(
                "    Process: {} ExecStart={} (code=killed, signal=TERM)\n",
                u.pid, u.ran
            ));
            s.push_str(&format!(
                "   Main PID: {} (code=killed, signal=TERM)\n",
                u.pid
            ));
        }
        Active::Inactive => {}
    }
    let lines: Vec<&super::Entry> = sd
        .journal
        .iter()
        .filter(|e| e.unit == name)
        .rev()
        .take(10)
        .collect();
    if !lines.is_empty() {
        s.push('\n');
        for e in lines.into_iter().rev() {
            s.push_str(&format!("{} {}\n", journal_date(e.at), e.line));
        }
    }
    let err = if sd.need_reload(&name, fs) {
        changed_warning(&name)
    } else {
        String::new()
    };
    let code = if u.active == Active::Running { 0 } else { 3 };
    (s, err, code)
}

/// `systemctl is-active NAME`: (stdout, exit status).
pub fn is_active(sd: &Systemd, name: &str) -> (String, i32) {
    match sd.unit(name).map(|u| u.active) {
        Some(Active::Running) => ("active\n".into(), 0),
        Some(Active::Failed(_)) => ("failed\n".into(), 3),
        Some(Active::AutoRestart(..)) => ("activating\n".into(), 3),
        _ => ("inactive\n".into(), 3),
    }
}

/// `systemctl cat NAME`: (stdout, stderr, exit status).
pub fn cat(sd: &Systemd, fs: &Fs, name: &str) -> (String, String, i32) {
    let name = unit_name(name);
    let Some(u) = sd.units.get(&name) else {
        return (String::new(), format!("No files found for {name}.\n"), 1);
    };
    let comps: Vec<String> = u
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let Ok(data) = fs.read(&comps) else {
        return (String::new(), format!("No files found for {name}.\n"), 1);
    };
    let mut err = String::new();
    if sd.need_reload(&name, fs) {
        err = format!(
            "# Warning: {name} changed on disk, the version systemd has loaded is outdated.\n# This output shows the current version of the unit's original fragment and drop-in files.\n# If fragments or drop-ins were added or removed, they are not properly reflected in this output.\n# Run 'systemctl daemon-reload' to reload units.\n"
        );
    }
    let mut s = format!("# {}\n", u.path);
    s.push_str(&String::from_utf8_lossy(data));
    if !s.ends_with('\n') {
        s.push('\n');
    }
    (s, err, 0)
}

/// `journalctl [-u NAME] [-n N]`.
pub fn journalctl(sd: &Systemd, unit: Option<&str>, lines: Option<usize>) -> String {
    let name = unit.map(unit_name);
    let all: Vec<&super::Entry> = sd
        .journal
        .iter()
        .filter(|e| name.as_ref().is_none_or(|n| &e.unit == n))
        .collect();
    if all.is_empty() {
        return "-- No entries --\n".into();
    }
    let skip = lines.map(|n| all.len().saturating_sub(n)).unwrap_or(0);
    let mut s = String::new();
    for e in &all[skip..] {
        s.push_str(&format!("{} {}\n", journal_date(e.at), e.line));
    }
    s
}
