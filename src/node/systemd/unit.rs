//! A systemd unit file as systemd reads it: `[Section]` headers, `Key=Value` lines, `#` and
//! `;` comments, a trailing backslash joining the next line, and `ExecStart=` split into
//! words with systemd's quoting. What the service manager needs of `[Unit]`, `[Service]` and
//! `[Install]` is kept; a line it cannot use is a warning with systemd's text
//! (`FILE:LINE: Unknown key name 'K' in section 'S', ignoring.`), and a service without
//! `ExecStart=` is refused as systemd refuses it.
//!
//! Owns: [`UnitFile`] and [`parse`]. Must not touch: unit state (mod.rs), the filesystem.

use serde::{Deserialize, Serialize};

/// `Type=` of a service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceType {
    #[default]
    Simple,
    Exec,
    Forking,
    Oneshot,
    Notify,
}

/// `Restart=`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Restart {
    #[default]
    No,
    OnFailure,
    Always,
}

/// What the service manager uses of a unit file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFile {
    pub description: String,
    pub documentation: Vec<String>,
    /// `ExecStart=` as written (continuations joined), for `systemctl status`.
    pub exec_start_line: String,
    /// `ExecStart=` split into words.
    pub exec_start: Vec<String>,
    pub user: Option<String>,
    pub group: Option<String>,
    pub service_type: ServiceType,
    pub restart: Restart,
    /// `RestartSec=` in milliseconds (systemd's default is 100 ms).
    pub restart_ms: u64,
    pub wanted_by: Vec<String>,
}

/// The keys this manager knows (others are read and ignored without a warning when systemd
/// knows them too).
const KNOWN: [(&str, &str); 14] = [
    ("Unit", "After"),
    ("Unit", "Wants"),
    ("Unit", "Requires"),
    ("Unit", "Before"),
    ("Service", "Environment"),
    ("Service", "EnvironmentFile"),
    ("Service", "LimitNOFILE"),
    ("Service", "TimeoutStartSec"),
    ("Service", "PermissionsStartOnly"),
    ("Service", "WorkingDirectory"),
    ("Service", "StartLimitBurst"),
    ("Unit", "StartLimitIntervalSec"),
    ("Unit", "StartLimitBurst"),
    ("Install", "Alias"),
];

/// systemd's time span (`5`, `5s`, `100ms`, `1min`) in milliseconds.
fn time_span(v: &str) -> Option<u64> {
    let v = v.trim();
    let split = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (n, unit) = v.split_at(split);
    let n: u64 = n.parse().ok()?;
    let mult = match unit.trim() {
        "" | "s" | "sec" => 1000,
        "ms" | "msec" => 1,
        "m" | "min" => 60_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// Splits an `ExecStart=` value into words (double and single quotes, backslash escapes);
/// a leading `-`, `@`, `+` or `!` prefix is dropped.
pub fn split_exec(v: &str) -> Result<Vec<String>, String> {
    let v = v.trim_start().trim_start_matches(['-', '@', '+', '!']);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => {
                quote = Some(c);
                has = true;
            }
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    has = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if has {
                    words.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            (_, c) => {
                cur.push(c);
                has = true;
            }
        }
    }
    if quote.is_some() {
        return Err("Unbalanced quoting".to_string());
    }
    if has {
        words.push(cur);
    }
    Ok(words)
}

/// The logical lines of a unit file: (first physical line number, text), continuations
/// joined with a space as systemd joins them.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if let Some((n, mut acc)) = cur.take() {
            let t = line.trim_start();
            if t.starts_with('#') || t.starts_with(';') {
                cur = Some((n, acc));
                continue;
            }
            match line.strip_suffix('\\') {
                Some(part) => {
                    acc.push(' ');
                    acc.push_str(part.trim());
                    cur = Some((n, acc));
                }
                None => {
                    acc.push(' ');
                    acc.push_str(line.trim());
                    out.push((n, acc));
                }
            }
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => cur = Some((i + 1, part.trim().to_string())),
            None => out.push((i + 1, line.trim().to_string())),
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out
}

/// Reads a unit file: the unit and the warnings systemd logs for it (`path` names the file
/// in them), or the reason systemd refuses to load it.
pub fn parse(path: &str, name: &str, text: &str) -> (Result<UnitFile, String>, Vec<String>) {
    let mut u = UnitFile {
        restart_ms: 100,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut section = String::new();
    for (n, line) in logical_lines(text) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            match line.strip_suffix(']') {
                Some(s) => section = s[1..].to_string(),
                None => warnings.push(format!("{path}:{n}: Invalid section header '{line}'")),
            }
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            warnings.push(format!("{path}:{n}: Missing '=', ignoring line."));
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        match (section.as_str(), k) {
            ("Unit", "Description") => u.description = v.to_string(),
            ("Unit", "Documentation") => u
                .documentation
                .extend(v.split_whitespace().map(str::to_string)),
            ("Service", "ExecStart") => match split_exec(v) {
                Ok(w) if !w.is_empty() => {
                    u.exec_start_line = v.to_string();
                    u.exec_start = w;
                }
                Ok(_) => {
                    u.exec_start_line.clear();
                    u.exec_start.clear();
                }
                Err(e) => warnings.push(format!(
                    "{path}:{n}: Failed to parse command line, ignoring: {v}: {e}"
                )),
            },
            ("Service", "User") => u.user = Some(v.to_string()),
            ("Service", "Group") => u.group = Some(v.to_string()),
            ("Service", "Type") => {
                u.service_type = match v {
                    "simple" => ServiceType::Simple,
                    "exec" => ServiceType::Exec,
                    "forking" => ServiceType::Forking,
                    "oneshot" => ServiceType::Oneshot,
                    "notify" => ServiceType::Notify,
                    _ => {
                        warnings.push(format!(
                            "{path}:{n}: Failed to parse service type, ignoring: {v}"
                        ));
                        u.service_type
                    }
                }
            }
            ("Service", "Restart") => {
                u.restart = match v {
                    "no" => Restart::No,
                    "on-failure" => Restart::OnFailure,
                    "always" => Restart::Always,
                    _ => {
                        warnings.push(format!(
                            "{path}:{n}: Failed to parse service restart specifier, ignoring: {v}"
                        ));
                        u.restart
                    }
                }
            }
            ("Service", "RestartSec") => match time_span(v) {
                Some(ms) => u.restart_ms = ms,
                None => warnings.push(format!(
                    "{path}:{n}: Failed to parse RestartSec= parameter, ignoring: {v}"
                )),
            },
            ("Install", "WantedBy") => u.wanted_by.extend(v.split_whitespace().map(str::to_string)),
            (s, k) if KNOWN.contains(&(s, k)) => {}
            ("", _) => warnings.push(format!(
                "{path}:{n}: Assignment outside of section. Ignoring."
            )),
            (s, k) => warnings.push(format!(
                "{path}:{n}: Unknown key name '{k}' in section '{s}', ignoring."
            )),
        }
    }
    if u.exec_start.is_empty() {
        return (
            Err(format!(
                "{name}: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing."
            )),
            warnings,
        );
    }
    (Ok(u), warnings)
}
