#!/usr/bin/env bash
# Records scenarios that need faults or flags around a real etcd 3.4.23 cluster
# (tests/scenarios/recorded/raft-*.txt, quota-*.txt) with the corpus's own recorder
# (../shared/conformance/record.py, cluster.sh, normalize.py), plus three harness commands
# that print nothing, as the playground's transcript mode does (src/transcript.rs):
#
#   partition A... | B...   drop the peer traffic between the groups (iptables; every member
#                           runs under its own uid, each connection is marked with its opener)
#   heal                    remove those rules
#   advance N[s]            sleep N seconds
#   quota N                 check that the members run with --quota-backend-bytes=N
#
# Members run with --pre-vote=true (the playground's members run pre-vote) and
# $ETCD_EXTRA_FLAGS (e.g. ETCD_EXTRA_FLAGS=--quota-backend-bytes=40000). Needs root, etcd and
# etcdctl 3.4.23 (apt-get install etcd-server etcd-client), iptables, setpriv; runs in its own
# network namespace (unshare --net), so nothing outside it is touched.
#
#   scripts/record-faults.sh [--stdout] tests/scenarios/recorded/raft-minority-write.txt ...
set -euo pipefail
if [ -z "${RECORD_FAULTS_NETNS:-}" ]; then
  exec env RECORD_FAULTS_NETNS=1 unshare --net "$0" "$@"
fi
cd "$(dirname "$0")/.."
SHARED=$(cd ../shared/conformance && pwd)
T=$(mktemp -d /tmp/record-faults.XXXXXX)
trap '"$T/cluster.sh" stop >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir -p "$T/bin" "$T/data"
chmod 1777 "$T/data"
cp "$SHARED/record.py" "$SHARED/normalize.py" "$SHARED/cluster.sh" "$T/"

cat >"$T/bin/etcdwrap" <<EOF
#!/usr/bin/env bash
name=""; prev=""
for a in "\$@"; do [ "\$prev" = "--name" ] && name=\$a; prev=\$a; done
case \$name in infra1) u=2001;; infra2) u=2002;; infra3) u=2003;; *) u=2009;; esac
exec setpriv --reuid=\$u --regid=\$u --clear-groups "$(command -v etcd)" "\$@" --pre-vote=true ${ETCD_EXTRA_FLAGS:-}
EOF

cat >"$T/bin/partition" <<'EOF'
#!/usr/bin/env python3
import itertools, subprocess, sys
uid = {"infra1": 2001, "infra2": 2002, "infra3": 2003}
port = {"infra1": 12380, "infra2": 22380, "infra3": 32380}
groups = [g.split() for g in " ".join(sys.argv[1:]).split("|")]
rest = [n for n in uid if all(n not in g for g in groups)]
if rest:
    groups.append(rest)
subprocess.run(["iptables", "-F", "OUTPUT"], check=True)
for g1, g2 in itertools.permutations(groups, 2):
    for x in g1:
        for y in g2:
            # x's packets on the connections y opened, and on those x opened to y's peer port
            for rule in (["-m", "connmark", "--mark", str(uid[y])],
                         ["-p", "tcp", "--dport", str(port[y])]):
                subprocess.run(["iptables", "-A", "OUTPUT", "-m", "owner", "--uid-owner",
                                str(uid[x])] + rule + ["-j", "DROP"], check=True)
EOF
printf '#!/bin/sh\niptables -F OUTPUT\n' >"$T/bin/heal"
printf '#!/bin/sh\nsleep "${1%%s}"\n' >"$T/bin/advance"
cat >"$T/bin/quota" <<'EOF'
#!/bin/sh
# quota N: the members must have been started with --quota-backend-bytes=N
case " ${ETCD_EXTRA_FLAGS:-} " in *" --quota-backend-bytes=$1 "*) exit 0 ;; esac
echo "record with ETCD_EXTRA_FLAGS=--quota-backend-bytes=$1" >&2
exit 1
EOF
chmod +x "$T/bin/"*

python3 - "$T/record.py" "$T/bin" <<'EOF'
import sys
path, bindir = sys.argv[1], sys.argv[2]
s = open(path).read()
old = '''    if not argv or argv[0] != "etcdctl":'''
new = '''    if argv and argv[0] in ("partition", "heal", "advance", "quota"):
        r = subprocess.run([os.path.join(%r, argv[0])] + argv[1:], capture_output=True, text=True)
        if r.returncode != 0 or r.stdout or r.stderr:
            raise SystemExit("harness command failed: %%r %%r" %% (step.raw, r.stdout + r.stderr))
        return [], None
''' % bindir + old
assert s.count(old) == 1, "record.py changed: update scripts/record-faults.sh"
open(path, "w").write(s.replace(old, new))
EOF

ip link set lo up
for u in 2001 2002 2003; do
  iptables -t mangle -A OUTPUT -m conntrack --ctstate NEW -m owner --uid-owner $u \
    -j CONNMARK --set-mark $u
done
export ETCD_CONF_BASE="$T/data" ETCD_BIN="$T/bin/etcdwrap"
python3 "$T/record.py" "$@"
