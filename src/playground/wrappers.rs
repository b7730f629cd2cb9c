//! The programs tutorials wrap around etcdctl, as far as the playground plays them: `etcd`
//! itself (its `--version` text; otherwise a note that the cluster already runs),
//! `docker run` of the etcd image (the page's cluster plays that container), `docker exec
//! CONTAINER CMD...` and `kubectl exec POD [--] CMD...` (run CMD "inside": etcdctl, etcd, or
//! `sh -c '...'`).
//!
//! Owns: parsing those command lines and the texts they answer. Must not touch: the world
//! (the playground runs what [`Plan::Inner`] names), etcdctl semantics.

use crate::api::EtcdVersion;
use crate::etcdctl::shell;

use crate::process::Output;

/// etcd 3.4.23's `etcd --version` (Debian bookworm's etcd-server package, as it prints it).
pub const ETCD_VERSION: &str = "etcd Version: 3.4.23\nGit SHA: Not provided (use ./build instead of go build)\nGo Version: go1.19.8\nGo OS/Arch: linux/amd64\n";

/// etcd 3.5.1's `etcd --version` (the official release binary).
pub const ETCD_VERSION_3_5: &str =
    "etcd Version: 3.5.1\nGit SHA: e8732fb5f\nGo Version: go1.16.3\nGo OS/Arch: linux/amd64\n";

/// `etcd --version` of the release `v`.
pub fn etcd_version_text(v: EtcdVersion) -> &'static str {
    match v {
        EtcdVersion::V3_4_23 => ETCD_VERSION,
        EtcdVersion::V3_5_1 => ETCD_VERSION_3_5,
    }
}

/// What `etcd` (without `--version`) answers here.
pub const ETCD_ALREADY_RUNNING: &str = "etcd is already running: this page's cluster has three members, infra1 (clients on 127.0.0.1:2379), infra2 (:22379) and infra3 (:32379), so nothing new was started. Talk to it with etcdctl (e.g. `etcdctl member list`); `stop infra1` / `start infra1` crash and restart a member.\n";

/// How a wrapped command line is to be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Run `words` (etcdctl or etcd) inside the etcd container, with only `env` set (a
    /// container has its own environment, not the console's `export`s). `stderr` is printed
    /// before the command's own output, `hints` after it.
    Inner {
        env: Vec<(String, String)>,
        words: Vec<String>,
        stderr: String,
        hints: Vec<String>,
    },
    /// Answered without running anything.
    Done(Output, Vec<String>),
}

fn done(stdout: &str, stderr: &str, exit: i32) -> Plan {
    Plan::Done(
        Output {
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
            exit,
            edit: None,
            order: Vec::new(),
        },
        Vec::new(),
    )
}

/// The program name of a path (`/usr/local/bin/etcdctl` -> `etcdctl`).
pub fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `etcd ARGS`: the version text for `--version` (Go's flag package: one or two dashes,
/// `=true`), otherwise the note that the cluster already runs.
pub fn etcd(args: &[String], v: EtcdVersion) -> Output {
    let version = args.iter().any(|a| {
        let name = a.strip_prefix("--").or_else(|| a.strip_prefix('-'));
        match name.map(|n| n.split_once('=').unwrap_or((n, "true"))) {
            Some(("version", v)) => !matches!(v, "false" | "0" | "f" | "F" | "FALSE" | "False"),
            _ => false,
        }
    });
    Output {
        stdout: if version {
            etcd_version_text(v)
        } else {
            ETCD_ALREADY_RUNNING
        }
        .to_string(),
        ..Default::default()
    }
}

/// What the container or pod can run: etcdctl, etcd, or a shell's `-c` line naming one.
fn inner(
    env: Vec<(String, String)>,
    words: &[String],
    stderr: String,
    hints: Vec<String>,
    not_found: impl Fn(&str) -> Plan,
) -> Plan {
    let Some(first) = words.first() else {
        return not_found("");
    };
    match program(first) {
        "etcdctl" | "etcd" => Plan::Inner {
            env,
            words: words.to_vec(),
            stderr,
            hints,
        },
        "sh" | "bash" | "ash" if words.get(1).map(String::as_str) == Some("-c") => {
            let Some(script) = words.get(2) else {
                return done(
                    "",
                    &format!("{}: -c: option requires an argument\n", program(first)),
                    2,
                );
            };
            let parsed = match shell::split(script) {
                Ok(p) => p,
                Err(e) => return done("", &format!("sh: 1: {e}\n"), 2),
            };
            let (assign, rest) = shell::split_assignments(&parsed.words);
            let mut env = env;
            env.extend(assign);
            match rest.first().map(|w| program(w)) {
                Some("etcdctl") | Some("etcd") => Plan::Inner {
                    env,
                    words: rest,
                    stderr,
                    hints,
                },
                Some(other) => done("", &format!("sh: 1: {other}: not found\n"), 127),
                None => done("", "", 0),
            }
        }
        other => not_found(other),
    }
}

/// Whether a container or pod name is the etcd one.
fn is_etcd_name(name: &str) -> bool {
    name.to_ascii_lowercase().contains("etcd")
}

/// `docker ARGS`.
pub fn docker(args: &[String]) -> Plan {
    match args.first().map(String::as_str) {
        Some("exec") => docker_exec(args.get(1..).unwrap_or(&[])),
        Some("run") => docker_run(args.get(1..).unwrap_or(&[])),
        Some("container") if args.get(1).map(String::as_str) == Some("exec") => {
            docker_exec(args.get(2..).unwrap_or(&[]))
        }
        Some("container") if args.get(1).map(String::as_str) == Some("run") => {
            docker_run(args.get(2..).unwrap_or(&[]))
        }
        sub => done(
            "",
            &format!(
                "docker{}: there is no Docker in this playground. The etcd container a tutorial starts is played by the cluster in this page (already running, clients on 127.0.0.1:2379); `docker exec NAME /usr/local/bin/etcdctl ...` and `docker run ... etcd` are understood.\n",
                sub.map(|s| format!(" {s}")).unwrap_or_default()
            ),
            1,
        ),
    }
}

/// docker's flags that take a value (the rest are switches).
fn docker_flag_takes_value(flag: &str) -> bool {
    matches!(
        flag,
        "-e" | "--env"
            | "--env-file"
            | "-u"
            | "--user"
            | "-w"
            | "--workdir"
            | "--detach-keys"
            | "-p"
            | "--publish"
            | "--mount"
            | "-v"
            | "--volume"
            | "--name"
            | "--network"
            | "--net"
            | "--entrypoint"
            | "--restart"
            | "-h"
            | "--hostname"
            | "-l"
            | "--label"
            | "--cpus"
            | "-m"
            | "--memory"
            | "--log-driver"
            | "--log-opt"
            | "--add-host"
            | "--dns"
            | "--ulimit"
            | "--cap-add"
            | "--cap-drop"
            | "--platform"
            | "--pull"
            | "--expose"
            | "--device"
            | "--volumes-from"
            | "--tmpfs"
            | "--shm-size"
            | "--ip"
            | "--network-alias"
    )
}

/// Splits docker's options off: (options as (flag, value), the first positional's index).
fn docker_options(args: &[String]) -> (Vec<(String, String)>, usize) {
    let mut opts = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if let Some((f, v)) = a.split_once('=') {
            opts.push((f.to_string(), v.to_string()));
        } else if docker_flag_takes_value(a) {
            opts.push((a.clone(), args.get(i + 1).cloned().unwrap_or_default()));
            i += 1;
        } else if let Some((f, v)) = short_with_value(a) {
            // `-eKEY=V`, `-p2379:2379`
            opts.push((f.to_string(), v.to_string()));
        } else {
            opts.push((a.clone(), String::new()));
        }
        i += 1;
    }
    (opts, i)
}

/// `-eKEY=V`: a short value flag glued to its value.
fn short_with_value(a: &str) -> Option<(&str, &str)> {
    if a.starts_with("--") {
        return None;
    }
    let (f, v) = (a.get(..2)?, a.get(2..)?);
    (docker_flag_takes_value(f) && !v.is_empty()).then_some((f, v))
}

fn env_of(opts: &[(String, String)]) -> Vec<(String, String)> {
    opts.iter()
        .filter(|(f, _)| f == "-e" || f == "--env")
        .filter_map(|(_, v)| v.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn docker_exec(args: &[String]) -> Plan {
    let (opts, first) = docker_options(args);
    let rest = args.get(first..).unwrap_or(&[]);
    if rest.len() < 2 {
        return done(
            "",
            "\"docker exec\" requires at least 2 arguments.\nSee 'docker exec --help'.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nExecute a command in a running container\n",
            1,
        );
    }
    let container = &rest[0];
    if !is_etcd_name(container) {
        return done(
            "",
            &format!("Error response from daemon: No such container: {container}\n"),
            1,
        );
    }
    inner(
        env_of(&opts),
        &rest[1..],
        String::new(),
        Vec::new(),
        |cmd| {
            done(
                "",
                &format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{cmd}\": executable file not found in $PATH: unknown\n"),
                126,
            )
        },
    )
}

fn docker_run(args: &[String]) -> Plan {
    let (opts, first) = docker_options(args);
    let Some(image) = args.get(first) else {
        return done(
            "",
            "\"docker run\" requires at least 1 argument.\nSee 'docker run --help'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run a new container from an image\n",
            1,
        );
    };
    if !image.contains("etcd") {
        return done(
            "",
            &format!("docker run: there is no Docker in this playground; only the etcd image's container is played (by the cluster in this page), not {image}.\n"),
            1,
        );
    }
    let name = opts
        .iter()
        .rev()
        .find(|(f, _)| f == "--name")
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty());
    let container = name.unwrap_or("etcd");
    let called = name.map(|n| format!(" named {n}")).unwrap_or_default();
    Plan::Done(
        Output {
            stdout: format!(
                "docker run: nothing was started and nothing changed. This page's etcd 3.4 cluster plays the container{called} that {image} would run: three members, infra1, infra2 and infra3, are already running, and infra1 serves clients on 127.0.0.1:2379 (what -p 2379:2379 publishes). Use it as the tutorial does: `docker exec {container} /usr/local/bin/etcdctl put foo bar`, or simply `etcdctl put foo bar`.\n"
            ),
            ..Default::default()
        },
        Vec::new(),
    )
}

/// kubectl's global flags that take a value (before or after the verb).
fn kubectl_flag_takes_value(flag: &str) -> bool {
    matches!(
        flag,
        "-n" | "--namespace"
            | "-c"
            | "--container"
            | "--kubeconfig"
            | "--context"
            | "--cluster"
            | "--user"
            | "-s"
            | "--server"
            | "--pod-running-timeout"
            | "-f"
            | "--filename"
    )
}

/// Whether `argv` (the words after `kubectl`) is `kubectl [flags] exec ...`.
pub fn is_kubectl_exec(argv: &[String]) -> bool {
    let mut i = 0;
    while let Some(a) = argv.get(i) {
        if a.starts_with('-') {
            if !a.contains('=') && kubectl_flag_takes_value(a) {
                i += 1;
            }
            i += 1;
            continue;
        }
        return a == "exec";
    }
    false
}

/// What `kubectl exec` found: the pod, its namespace, the command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubectlExec {
    pub pod: String,
    pub namespace: String,
    pub command: Vec<String>,
    /// The command came without `--` (the form old tutorials show).
    pub without_dashdash: bool,
}

/// Parses `kubectl [flags] exec [flags] POD [flags] [--] COMMAND...`.
pub fn parse_kubectl_exec(argv: &[String]) -> Result<KubectlExec, Output> {
    let err = |s: &str| Output {
        stderr: format!("{s}\n"),
        exit: 1,
        ..Default::default()
    };
    let mut namespace = None;
    let mut pod: Option<String> = None;
    let mut seen_exec = false;
    let mut i = 0;
    while let Some(a) = argv.get(i) {
        i += 1;
        if a == "--" {
            let command = argv.get(i..).unwrap_or(&[]).to_vec();
            return finish(pod, namespace, command, false, &err);
        }
        if let Some(v) = a
            .strip_prefix("--namespace=")
            .or_else(|| a.strip_prefix("-n="))
        {
            namespace = Some(v.to_string());
        } else if a == "-n" || a == "--namespace" {
            namespace = argv.get(i).cloned();
            i += 1;
        } else if a.starts_with("-n") && !a.starts_with("--") && a.len() > 2 {
            namespace = Some(a[2..].to_string());
        } else if a.starts_with('-') {
            if !a.contains('=') && kubectl_flag_takes_value(a) {
                i += 1;
            }
        } else if !seen_exec {
            seen_exec = a == "exec";
        } else if pod.is_none() {
            let name = a.strip_prefix("pod/").or_else(|| a.strip_prefix("pods/"));
            pod = Some(name.unwrap_or(a).to_string());
        } else {
            // the old form: the command starts here and takes every word after it
            let command = argv.get(i - 1..).unwrap_or(&[]).to_vec();
            return finish(pod, namespace, command, true, &err);
        }
    }
    finish(pod, namespace, Vec::new(), false, &err)
}

fn finish(
    pod: Option<String>,
    namespace: Option<String>,
    command: Vec<String>,
    without_dashdash: bool,
    err: &dyn Fn(&str) -> Output,
) -> Result<KubectlExec, Output> {
    let Some(pod) = pod else {
        return Err(err("error: pod, type/name or --filename must be specified"));
    };
    if command.is_empty() {
        return Err(err(
            "error: you must specify at least one command for the container",
        ));
    }
    Ok(KubectlExec {
        pod,
        namespace: namespace.unwrap_or_else(|| "default".to_string()),
        command,
        without_dashdash,
    })
}

/// Whether a pod is the etcd pod (`etcd-master`, `etcd-minikube`, `etcd-0`...).
pub fn is_etcd_pod(pod: &str) -> bool {
    pod.starts_with("etcd")
}

/// The hint for `kubectl exec POD CMD` without `--`.
pub const EXEC_WITHOUT_DASHDASH_HINT: &str = "hint: kubectl 1.25 and later refuse this form (\"error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\"), and older ones read flags after the pod name (--prefix) as their own; the playground runs it anyway. Write `kubectl exec POD -n NAMESPACE -- etcdctl ...`.";

/// `kubectl exec` into the etcd pod: run its command inside.
pub fn kubectl_exec_plan(exec: &KubectlExec) -> Plan {
    let hints = if exec.without_dashdash {
        vec![EXEC_WITHOUT_DASHDASH_HINT.to_string()]
    } else {
        Vec::new()
    };
    inner(Vec::new(), &exec.command, String::new(), hints, |cmd| {
        done(
            "",
            &format!("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{cmd}\": executable file not found in $PATH: unknown\n"),
            1,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        shell::split(s).unwrap().words
    }

    fn etcd_v34(args: &[String]) -> Output {
        etcd(args, EtcdVersion::V3_4_23)
    }

    #[test]
    fn etcd_version_and_the_rest() {
        assert_eq!(etcd_v34(&w("--version")).stdout, ETCD_VERSION);
        assert_eq!(etcd_v34(&w("-version")).stdout, ETCD_VERSION);
        assert_eq!(etcd_v34(&w("--name x --version=true")).stdout, ETCD_VERSION);
        assert_eq!(etcd_v34(&w("--version=false")).stdout, ETCD_ALREADY_RUNNING);
        assert_eq!(etcd_v34(&[]).stdout, ETCD_ALREADY_RUNNING);
        assert_eq!(program("/usr/local/bin/etcdctl"), "etcdctl");
        assert_eq!(program("./etcd"), "etcd");
    }

    #[test]
    fn docker_exec_runs_the_inner_command() {
        let p = docker(&w(
            "exec -it -e ETCDCTL_API=2 etcd-gcr-v3.4.33 /usr/local/bin/etcdctl get foo",
        ));
        assert_eq!(
            p,
            Plan::Inner {
                env: vec![("ETCDCTL_API".into(), "2".into())],
                words: w("/usr/local/bin/etcdctl get foo"),
                stderr: String::new(),
                hints: vec![],
            }
        );
        let p = docker(&w(
            "exec etcd-gcr-v3.4.33 /bin/sh -c \"ETCDCTL_API=3 /usr/local/bin/etcdctl put foo bar\"",
        ));
        let Plan::Inner { env, words, .. } = p else {
            panic!("{p:?}")
        };
        assert_eq!(env, vec![("ETCDCTL_API".to_string(), "3".to_string())]);
        assert_eq!(words, w("/usr/local/bin/etcdctl put foo bar"));
        let Plan::Done(o, _) = docker(&w("exec nginx ls")) else {
            panic!()
        };
        assert_eq!(
            o.stderr,
            "Error response from daemon: No such container: nginx\n"
        );
        let Plan::Done(o, _) = docker(&w("exec etcd-gcr-v3.4.33 ls")) else {
            panic!()
        };
        assert_eq!(o.exit, 126);
        let Plan::Done(o, _) = docker(&w("exec etcd")) else {
            panic!()
        };
        assert_eq!(o.exit, 1);
    }

    #[test]
    fn docker_run_explains() {
        let line = "docker run -d -p 2379:2379 -p 2380:2380 --mount type=bind,source=/tmp/etcd-data.tmp,destination=/etcd-data --name etcd-gcr-v3.4.33 gcr.io/etcd-development/etcd:v3.4.33 /usr/local/bin/etcd --name s1 --data-dir /etcd-data";
        let Plan::Done(o, _) = docker(&w(line).split_off(1)) else {
            panic!()
        };
        assert_eq!(o.exit, 0);
        assert!(o.stdout.contains("named etcd-gcr-v3.4.33"), "{}", o.stdout);
        assert!(o
            .stdout
            .contains("docker exec etcd-gcr-v3.4.33 /usr/local/bin/etcdctl"));
        let Plan::Done(o, _) = docker(&w("run --rm nginx")) else {
            panic!()
        };
        assert_eq!(o.exit, 1);
        let Plan::Done(o, _) = docker(&w("ps -a")) else {
            panic!()
        };
        assert!(o.stderr.starts_with("docker ps: there is no Docker"));
        let Plan::Done(o, _) = docker(&[]) else {
            panic!()
        };
        assert_eq!(o.exit, 1);
    }

    #[test]
    fn kubectl_exec_forms() {
        let e = parse_kubectl_exec(&w(
            "exec etcd-master -n kube-system etcdctl get --prefix -keys-only",
        ))
        .unwrap();
        assert_eq!(e.pod, "etcd-master");
        assert_eq!(e.namespace, "kube-system");
        assert_eq!(e.command, w("etcdctl get --prefix -keys-only"));
        assert!(e.without_dashdash);
        let e = parse_kubectl_exec(&w(
            "-n kube-system exec -it pod/etcd-master -- etcdctl get / --prefix",
        ))
        .unwrap();
        assert_eq!(e.pod, "etcd-master");
        assert_eq!(e.namespace, "kube-system");
        assert!(!e.without_dashdash);
        let e = parse_kubectl_exec(&w(
            "exec --namespace=kube-system etcd-x -c etcd -- etcd --version",
        ))
        .unwrap();
        assert_eq!(e.command, w("etcd --version"));
        assert!(is_kubectl_exec(&w(
            "--namespace kube-system exec etcd-0 -- ls"
        )));
        assert!(!is_kubectl_exec(&w("get pods")));
        assert_eq!(
            parse_kubectl_exec(&w("exec")).unwrap_err().stderr,
            "error: pod, type/name or --filename must be specified\n"
        );
        assert_eq!(
            parse_kubectl_exec(&w("exec etcd-master --"))
                .unwrap_err()
                .exit,
            1
        );
        assert!(matches!(kubectl_exec_plan(&e), Plan::Inner { .. }));
    }
}
