//! The texts of the playground's own commands: `help`, and each command's usage line.
//!
//! Owns: the texts. Must not touch: what the commands do.

pub(super) fn usage_of(cmd: &str) -> &'static str {
    match cmd {
        "stop" => "stop NAME (e.g. stop infra2)",
        "start" => "start NAME",
        "partition" => "partition NAME... | NAME... (e.g. partition infra1 | infra2 infra3)",
        "heal" => "heal [NAME NAME]",
        "cut" => "cut NAME NAME (e.g. cut infra1 infra2)",
        "loss" => "loss [NAME NAME] PERCENT",
        "latency" => "latency [NAME NAME] MS",
        "advance" => "advance DURATION (e.g. advance 3s)",
        "quota" => "quota [BYTES] (e.g. quota 40000)",
        "requests" => "requests on|off",
        "load" => "load k8s [large] | load FILE (the keys of a snapshot file)",
        _ => "hints on|off",
    }
}

/// The playground's own commands.
pub const PLAYGROUND_HELP: &str = "\
playground commands (everything else is a shell line: etcdctl ..., export, unset,
etcd --version, docker exec NAME etcdctl ..., kubectl ..., kubectl exec POD -- etcdctl ...;
pipes, &&, ||, ; and > FILE as in bash, with grep, jq, base64, hexdump -C, xxd, strings,
sort, cut, awk, head, tail, wc, cat, ls, echo, printf):
  stop NAME                      crash a member (infra1, infra2, infra3)
  start NAME                     restart a stopped member from its disk, or start
                                 the member `etcdctl member add` announced
  partition NAME... | NAME...    cut the network between the groups
  heal                           remove every partition and cut link
  cut NAME NAME                  cut the one link between two members
  heal NAME NAME                 mend that link
  loss PERCENT                   drop that share of messages
  loss NAME NAME PERCENT         ... on one link only
  latency MS                     one-way message delay
  latency NAME NAME MS           ... on one link only
  advance DURATION               let simulated time pass (e.g. advance 3s)
  quota BYTES                    --quota-backend-bytes of every member (0: 2 GiB)
  hints on|off                   console hints for classic confusions
  load k8s [large]               write a sample Kubernetes cluster under /registry (for kubectl)
  load FILE                      write the keys of a snapshot file (a real etcd's too:
                                 drop it on the console) into the cluster, to browse them
  requests on|off                show the etcd requests under each kubectl command
  LINE &                         run a watch, lock, elect... in the background
  jobs                           list the background jobs
  kill %N                        stop background job N
  connect URL[,URL...]           send etcdctl lines to a real etcd (its v3 JSON gateway,
                                 e.g. http://127.0.0.1:2379) instead of this cluster
  disconnect                     back to the simulated cluster, as it was
  help                           this text
";
