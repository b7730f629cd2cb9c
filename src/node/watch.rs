//! procps-ng's `watch` (4.0.2): its options, its interval as it parses it, and the title
//! line it draws on an 80-column terminal. Running the command again and again is the lab's
//! (a foreground job in simulated time).
//!
//! Owns: [`parse`], [`Watch`], [`title`]. Must not touch: the shell, the playground's jobs.

use super::fs::Millis;
use super::time::civil;

/// `watch`'s usage (`watch -h` on stdout; after an error, on stderr).
pub const USAGE: &str = include_str!("watch_usage.txt");

/// `watch -v`.
pub const VERSION: &str = "watch from procps-ng 4.0.2\n";

/// The terminal the page's console stands for.
pub const COLUMNS: usize = 80;

/// What `watch [OPTIONS] COMMAND...` asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Watch {
    /// `-n`: seconds between runs, 0.1 to 4294967295 (default 2).
    pub interval: f64,
    /// Without `-t`: the title line and a blank line above the output.
    pub title: bool,
    /// The command as watch passes it to `sh -c`: its words joined by spaces.
    pub command: String,
}

impl Watch {
    /// The interval in milliseconds.
    pub fn interval_ms(&self) -> Millis {
        (self.interval * 1000.0).round() as Millis
    }
}

/// How `watch ARGS` ends before it starts: what it prints and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

fn fail(msg: String) -> Exit {
    Exit {
        stdout: String::new(),
        stderr: format!("{msg}{USAGE}"),
        status: 1,
    }
}

/// procps's `strtod_nol_or_err`: an optional sign, digits, `.` or `,`, digits, nothing else;
/// the fraction summed digit by digit as it does (`0.15` is a hair over 0.15).
pub fn parse_seconds(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let b = s
        .trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
        .as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut num = 0.0_f64;
    while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
        num = 10.0 * num + f64::from(d - b'0');
        i += 1;
    }
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
    }
    let mut mult = 0.1;
    while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
        num += f64::from(d - b'0') * mult;
        mult /= 10.0;
        i += 1;
    }
    (i == b.len()).then_some(if negative { -num } else { num })
}

/// The long options (getopt_long takes an unambiguous prefix) and whether each takes a value
/// (`Some(true)`: required, `Some(false)`: optional after `=`, `None`: none), as short letter.
const LONG: [(&str, char, Option<bool>); 13] = [
    ("beep", 'b', None),
    ("color", 'c', None),
    ("differences", 'd', Some(false)),
    ("errexit", 'e', None),
    ("chgexit", 'g', None),
    ("equexit", 'q', Some(true)),
    ("interval", 'n', Some(true)),
    ("precise", 'p', None),
    ("no-title", 't', None),
    ("no-wrap", 'w', None),
    ("exec", 'x', None),
    ("help", 'h', None),
    ("version", 'v', None),
];

/// Parses `watch`'s arguments (after the program name), options up to the first word that is
/// not one (getopt's `+`): the request, or what watch prints and its status when it does not
/// start (usage, version, bad option or interval).
pub fn parse(args: &[String]) -> Result<Watch, Exit> {
    let mut w = Watch {
        interval: 2.0,
        title: true,
        command: String::new(),
    };
    let mut i = 0;
    let set = |w: &mut Watch, opt: char, val: Option<&str>| -> Result<(), Exit> {
        match opt {
            'n' => {
                let v = val.unwrap_or("");
                let Some(secs) = parse_seconds(v) else {
                    let why = if v.is_empty() {
                        "No such file or directory"
                    } else {
                        "Invalid argument"
                    };
                    return Err(Exit {
                        stdout: String::new(),
                        stderr: format!("watch: failed to parse argument: '{v}': {why}\n"),
                        status: 1,
                    });
                };
                w.interval = secs.clamp(0.1, f64::from(u32::MAX));
            }
            't' => w.title = false,
            'h' => {
                return Err(Exit {
                    stdout: USAGE.to_string(),
                    stderr: String::new(),
                    status: 0,
                })
            }
            'v' => {
                return Err(Exit {
                    stdout: VERSION.to_string(),
                    stderr: String::new(),
                    status: 0,
                })
            }
            _ => {}
        }
        Ok(())
    };
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let hits: Vec<(&str, char, Option<bool>)> = LONG
                .iter()
                .copied()
                .filter(|(n, ..)| n.starts_with(name))
                .collect();
            let exact = LONG.iter().copied().find(|(n, ..)| *n == name);
            let unique = if hits.len() == 1 {
                hits.first().copied()
            } else {
                None
            };
            let Some((full, opt, arg)) = exact.or(unique) else {
                return Err(fail(if hits.is_empty() {
                    format!("watch: unrecognized option '{a}'\n")
                } else {
                    format!("watch: option '{a}' is ambiguous\n")
                }));
            };
            let val = match (arg, val) {
                (None, Some(_)) => {
                    return Err(fail(format!(
                        "watch: option '--{full}' doesn't allow an argument\n"
                    )))
                }
                (Some(true), None) => {
                    i += 1;
                    match args.get(i) {
                        Some(v) => Some(v.as_str()),
                        None => {
                            return Err(fail(format!(
                                "watch: option '--{full}' requires an argument\n"
                            )))
                        }
                    }
                }
                (_, v) => v,
            };
            set(&mut w, opt, val)?;
            i += 1;
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            break;
        }
        let letters: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < letters.len() {
            let c = letters[k];
            match c {
                'n' | 'q' => {
                    let rest: String = letters[k + 1..].iter().collect();
                    let val = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                return Err(fail(format!(
                                    "watch: option requires an argument -- '{c}'\n"
                                )))
                            }
                        }
                    };
                    set(&mut w, c, Some(&val))?;
                    k = letters.len();
                }
                'd' => {
                    // an optional argument: the rest of the word
                    k = letters.len();
                }
                'b' | 'c' | 'e' | 'g' | 'p' | 't' | 'w' | 'x' | 'h' | 'v' => {
                    set(&mut w, c, None)?;
                    k += 1;
                }
                _ => return Err(fail(format!("watch: invalid option -- '{c}'\n"))),
            }
        }
        i += 1;
    }
    if i >= args.len() {
        return Err(fail(String::new()));
    }
    w.command = args[i..].join(" ");
    Ok(w)
}

/// C's `ctime` without its newline: `Mon Jan  1 00:00:05 2024`.
pub fn ctime(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        c.weekday_name(),
        c.month_name(),
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// The title line: `Every 2.0s: COMMAND` on the left, `HOST: DATE` ending at the last column;
/// a command too long for the room between them is cut and ends in `...`.
pub fn title(w: &Watch, host: &str, now: Millis) -> String {
    let left = format!("Every {:.1}s: ", w.interval);
    let right = format!("{host}: {}", ctime(now));
    let (hl, rl) = (left.chars().count(), right.chars().count());
    if COLUMNS < rl {
        return String::new();
    }
    if COLUMNS < hl + rl + 1 {
        return format!("{right:>COLUMNS$}");
    }
    let room = COLUMNS - hl - rl;
    let cmd_len = w.command.chars().count();
    let shown = if cmd_len < room {
        w.command.clone()
    } else if room >= 5 {
        let cut: String = w.command.chars().take(room - 5).collect();
        format!("{cut}...")
    } else {
        String::new()
    };
    let mut line = format!("{left}{shown}");
    let pad = COLUMNS - rl - line.chars().count();
    line.push_str(&" ".repeat(pad));
    line.push_str(&right);
    line
}

/// One refresh of the screen: the title and a blank line (unless `-t`), then the output.
pub fn frame(w: &Watch, host: &str, now: Millis, output: &str) -> String {
    let mut s = String::new();
    if w.title {
        s.push_str(&title(w, host, now));
        s.push_str("\n\n");
    }
    s.push_str(output);
    if !output.is_empty() && !output.ends_with('\n') {
        s.push('\n');
    }
    s
}
