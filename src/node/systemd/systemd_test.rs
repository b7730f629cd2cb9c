use super::print::{cat, journalctl, status};
use super::*;

const UNIT: &str = "[Unit]
Description=etcd
Documentation=https://github.com/etcd-io/etcd

[Service]
User=etcd
Type=notify
ExecStart=/usr/local/bin/etcd \\
  --name etcd-server \\
  # a comment inside the continuation
  --data-dir=/var/lib/etcd
Restart=on-failure

[Install]
WantedBy=multi-user.target
";

const PATH: &str = "/etc/systemd/system/etcd.service";

fn comps(p: &str) -> Vec<String> {
    p.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A process that starts when its `--data-dir` is `/var/lib/etcd` and exits otherwise; it
/// records the command lines it was given.
#[derive(Default)]
struct Fake {
    ran: Vec<String>,
    killed: usize,
}

impl Spawn for Fake {
    fn spawn(
        &mut self,
        _unit: &str,
        file: &UnitFile,
        _fs: &mut Fs,
        _now: Millis,
    ) -> Result<Vec<String>, (i32, Vec<String>)> {
        let line = file.exec_start.join(" ");
        self.ran.push(line.clone());
        if line.ends_with("--data-dir=/var/lib/etcd") {
            Ok(vec!["ready to serve client requests".into()])
        } else {
            Err((
                1,
                vec!["error listing data dir: /var/lib/etcd-from-backup".into()],
            ))
        }
    }
    fn kill(&mut self, _unit: &str, _fs: &mut Fs, _now: Millis) -> Vec<String> {
        self.killed += 1;
        vec!["received terminated signal, shutting down...".into()]
    }
}

fn node(text: &str) -> (Systemd, Fs) {
    let mut fs = Fs::new(0);
    let _ = fs.mkdir_all(&comps("/etc/systemd/system"), 0);
    fs.write(&comps(PATH), text.as_bytes(), false, 0).unwrap();
    let mut sd = Systemd::new("etcd-server");
    sd.add_unit(&fs, PATH, true, 0);
    (sd, fs)
}

#[test]
fn a_good_unit_file() {
    let (res, warnings) = unit::parse(PATH, "etcd.service", UNIT);
    let u = res.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        u.exec_start,
        [
            "/usr/local/bin/etcd",
            "--name",
            "etcd-server",
            "--data-dir=/var/lib/etcd"
        ]
    );
    assert_eq!(u.user.as_deref(), Some("etcd"));
    assert_eq!(u.service_type, ServiceType::Notify);
    assert_eq!(u.restart, Restart::OnFailure);
    assert_eq!(u.restart_ms, 100);
    assert_eq!(u.description, "etcd");
    assert_eq!(u.wanted_by, ["multi-user.target"]);
}

#[test]
fn bad_lines_are_warnings_and_no_exec_start_is_refused() {
    let text = "[Service]\nnonsense\nFoo=bar\nRestartSec=soon\nExecStart=/bin/x \"unclosed\n";
    let (res, warnings) = unit::parse(PATH, "etcd.service", text);
    assert_eq!(
        warnings,
        [
            format!("{PATH}:2: Missing '=', ignoring line."),
            format!("{PATH}:3: Unknown key name 'Foo' in section 'Service', ignoring."),
            format!("{PATH}:4: Failed to parse RestartSec= parameter, ignoring: soon"),
            format!("{PATH}:5: Failed to parse command line, ignoring: /bin/x \"unclosed: Unbalanced quoting"),
        ]
    );
    assert_eq!(
        res.unwrap_err(),
        "etcd.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing."
    );
    assert_eq!(
        unit::split_exec("a 'b c' \"d\\\"e\"").unwrap(),
        ["a", "b c", "d\"e"]
    );
    assert!(unit::split_exec("").unwrap().is_empty());
    // a refused unit cannot start
    let (mut sd, mut fs) = node(text);
    let e = sd
        .start("etcd", &mut fs, 0, &mut Fake::default())
        .unwrap_err();
    assert!(
        e.message.contains("has a bad unit file setting"),
        "{}",
        e.message
    );
    let (o, _, code) = status(&sd, &fs, "etcd", 0);
    assert!(o.contains("Loaded: bad-setting"), "{o}");
    assert_eq!(code, 3);
}

#[test]
fn start_stop_and_the_journal() {
    let (mut sd, mut fs) = node(UNIT);
    let mut p = Fake::default();
    sd.start("etcd", &mut fs, 1_000, &mut p).unwrap();
    assert_eq!(sd.unit("etcd").unwrap().active, Active::Running);
    let (o, e, code) = status(&sd, &fs, "etcd.service", 6_000);
    assert_eq!(code, 0);
    assert!(e.is_empty());
    assert!(o.starts_with("● etcd.service - etcd\n     Loaded: loaded (/etc/systemd/system/etcd.service; enabled; vendor preset: enabled)\n     Active: active (running) since Thu 1970-01-01 00:00:01 UTC; 5s ago\n"), "{o}");
    assert!(
        o.contains(
            "             └─2001 /usr/local/bin/etcd --name etcd-server --data-dir=/var/lib/etcd\n"
        ),
        "{o}"
    );
    sd.stop("etcd", &mut fs, 7_000, &mut p).unwrap();
    assert_eq!(p.killed, 1);
    let j = journalctl(&sd, Some("etcd"), None);
    assert_eq!(
        j,
        "Jan 01 00:00:01 etcd-server systemd[1]: Starting etcd...
Jan 01 00:00:01 etcd-server etcd[2001]: ready to serve client requests
Jan 01 00:00:01 etcd-server systemd[1]: Started etcd.
Jan 01 00:00:07 etcd-server systemd[1]: Stopping etcd...
Jan 01 00:00:07 etcd-server etcd[2001]: received terminated signal, shutting down...
Jan 01 00:00:07 etcd-server systemd[1]: etcd.service: Deactivated successfully.
Jan 01 00:00:07 etcd-server systemd[1]: Stopped etcd.
"
    );
    assert_eq!(journalctl(&sd, Some("nosuch"), None), "-- No entries --\n");
    assert_eq!(journalctl(&sd, Some("etcd"), Some(1)).lines().count(), 1);
    let (_, _, code) = status(&sd, &fs, "etcd", 8_000);
    assert_eq!(code, 3);
}

#[test]
fn a_failing_process_restarts_until_the_rate_limit_then_fails() {
    let bad = UNIT.replace(
        "--data-dir=/var/lib/etcd",
        "--data-dir=/var/lib/etcd-from-backup",
    );
    let (mut sd, mut fs) = node(&bad);
    let mut p = Fake::default();
    let e = sd.start("etcd", &mut fs, 0, &mut p).unwrap_err();
    assert_eq!(
        e.message,
        "Job for etcd.service failed because the control process exited with error code.\nSee \"systemctl status etcd.service\" and \"journalctl -xeu etcd.service\" for details."
    );
    assert_eq!(p.ran.len(), 5, "one start and four restarts");
    assert_eq!(sd.unit("etcd").unwrap().active, Active::Failed(1));
    let j = journalctl(&sd, Some("etcd"), Some(5));
    assert!(
        j.contains("etcd.service: Scheduled restart job, restart counter is at 5.\n"),
        "{j}"
    );
    assert!(
        j.contains("etcd.service: Start request repeated too quickly.\n"),
        "{j}"
    );
    assert!(
        j.ends_with("etcd-server systemd[1]: Failed to start etcd.\n"),
        "{j}"
    );
    let (o, _, code) = status(&sd, &fs, "etcd", 3_000);
    assert_eq!(code, 3);
    assert!(o.starts_with("× etcd.service - etcd\n"), "{o}");
    assert!(
        o.contains(
            "     Active: failed (Result: exit-code) since Thu 1970-01-01 00:00:00 UTC; 3s ago\n"
        ),
        "{o}"
    );
    assert!(
        o.contains("(code=exited, status=1/FAILURE)\n   Main PID: "),
        "{o}"
    );
}

#[test]
fn a_changed_file_is_not_used_before_daemon_reload() {
    let (mut sd, mut fs) = node(UNIT);
    let mut p = Fake::default();
    sd.start("etcd", &mut fs, 0, &mut p).unwrap();
    let changed = UNIT.replace(
        "--data-dir=/var/lib/etcd",
        "--data-dir=/var/lib/etcd-from-backup",
    );
    fs.write(&comps(PATH), changed.as_bytes(), false, 1)
        .unwrap();
    assert!(sd.need_reload("etcd", &fs));
    // restart without a reload: the old command line
    sd.restart("etcd", &mut fs, 2_000, &mut p).unwrap();
    assert!(p.ran.last().unwrap().ends_with("--data-dir=/var/lib/etcd"));
    let (_, e, _) = status(&sd, &fs, "etcd", 2_000);
    assert_eq!(e, print::changed_warning("etcd.service"));
    let (o, e, _) = cat(&sd, &fs, "etcd");
    assert!(o.starts_with("# /etc/systemd/system/etcd.service\n[Unit]\n"));
    assert!(o.contains("--data-dir=/var/lib/etcd-from-backup"));
    assert!(e.starts_with(
        "# Warning: etcd.service changed on disk, the version systemd has loaded is outdated.\n"
    ));
    // after the reload: the new one
    sd.daemon_reload(&fs, 3_000);
    assert!(!sd.need_reload("etcd", &fs));
    assert!(sd.restart("etcd", &mut fs, 4_000, &mut p).is_err());
    assert!(p
        .ran
        .last()
        .unwrap()
        .ends_with("--data-dir=/var/lib/etcd-from-backup"));
    assert_eq!(p.killed, 2);
}

#[test]
fn a_long_restart_delay_waits_for_time_to_pass() {
    let slow = UNIT
        .replace("--data-dir=/var/lib/etcd", "--data-dir=/x")
        .replace("Restart=on-failure", "Restart=on-failure\nRestartSec=5");
    let (mut sd, mut fs) = node(&slow);
    let mut p = Fake::default();
    assert!(sd.start("etcd", &mut fs, 0, &mut p).is_err());
    assert_eq!(
        sd.unit("etcd").unwrap().active,
        Active::AutoRestart(1, 5_000)
    );
    let (o, _, _) = status(&sd, &fs, "etcd", 1_000);
    assert!(
        o.contains("Active: activating (auto-restart) (Result: exit-code) since"),
        "{o}"
    );
    sd.tick(&mut fs, 4_999, &mut p);
    assert_eq!(p.ran.len(), 1);
    sd.tick(&mut fs, 5_000, &mut p);
    assert_eq!(p.ran.len(), 2);
}

#[test]
fn unknown_and_missing_units() {
    let (mut sd, mut fs) = node(UNIT);
    let mut p = Fake::default();
    let e = sd.restart("nosuch", &mut fs, 0, &mut p).unwrap_err();
    assert_eq!(
        e.message,
        "Failed to restart nosuch.service: Unit nosuch.service not found."
    );
    assert_eq!(e.status, 5);
    let (_, e, code) = status(&sd, &fs, "nosuch", 0);
    assert_eq!(
        (e.as_str(), code),
        ("Unit nosuch.service could not be found.\n", 4)
    );
    let (_, e, code) = cat(&sd, &fs, "nosuch");
    assert_eq!(
        (e.as_str(), code),
        ("No files found for nosuch.service.\n", 1)
    );
    // the file removed: a reload makes the unit not found
    fs.remove_file(&comps(PATH), 1).unwrap();
    sd.daemon_reload(&fs, 1);
    let e = sd.start("etcd", &mut fs, 2, &mut p).unwrap_err();
    assert_eq!(
        e.message,
        "Failed to start etcd.service: Unit etcd.service not found."
    );
}
