#!/usr/bin/env bash
# Replays the v3 conformance corpus through `etcdplay --endpoints` against a REAL etcd 3.4.23
# cluster: for every scenario, ../shared/conformance/cluster.sh starts a fresh three-member
# cluster exactly as the corpus was recorded on (same ports, so the same IDs), then
# `etcdplay --endpoints 127.0.0.1:2379 transcript SCENARIO` runs it through etcd's JSON
# gateway, and the corpus's check.py compares with the recorded transcripts. The cluster runs
# in a private network namespace (its fixed ports stay free on the machine). Takes minutes.
# The v2 scenarios are left out (the gateway is v3 only); `endpoint hashkv` fails by design
# (etcd 3.4's gateway does not serve HashKV, and says so).
#
#   scripts/gateway-corpus.sh [SCENARIO.txt ...]     (default: public/*.txt but v2-*)
#
# Needs /usr/bin/etcd and /usr/bin/etcdctl (scripts/setup.sh test), unshare and ip.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd ../shared/conformance && pwd)
bin=$PWD/target/ci/etcdplay
[ -x "$bin" ] || cargo build --profile ci --bin etcdplay
work=$(mktemp -d /tmp/gateway-corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/etcdplay" <<WRAP
#!/usr/bin/env bash
ETCD_CONF_BASE=$work/cluster bash $corpus/cluster.sh fresh >$work/cluster.log 2>&1 \
  || { echo "cluster.sh fresh failed:" >&2; cat $work/cluster.log >&2; }
exec $bin --endpoints 127.0.0.1:2379 "\$@"
WRAP
chmod +x "$work/etcdplay"
if [ $# -eq 0 ]; then
  set -- $(ls "$corpus"/public/*.txt | grep -v '/v2-')
fi
unshare --net --map-root-user bash -c '
  ip link set lo up
  python3 "$1/check.py" --bin "$2/etcdplay" "${@:3}"; status=$?
  ETCD_CONF_BASE=$2/cluster bash "$1/cluster.sh" wipe >/dev/null 2>&1
  exit $status' _ "$corpus" "$work" "$@"
