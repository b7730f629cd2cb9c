#!/usr/bin/env bash
# Installs what the playground needs, and only what is missing. Idempotent: a second run
# checks versions and prints one line per tool.
#
#   scripts/setup.sh build   the wasm32 target, trunk, wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/setup.sh test    the above, plus Debian's chromium, chromium-driver,
#                            etcd-client (real etcdctl, to check the page's snapshot files)
#                            and etcd-server (a real etcd for etcdplay --endpoints' test)
#   scripts/setup.sh bench   the above, plus twiggy (the wasm size profiler make bench-web uses)
#
# Everything comes from crates.io, npm and Debian: Trunk finds wasm-bindgen and wasm-opt on
# PATH (see Makefile) and never downloads them.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.22.0-beta.1
TWIGGY_VERSION=0.8.0
# wasm-bindgen-cli must equal the wasm-bindgen crate that Cargo.lock resolves.
WB_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
WB_VERSION=${WB_VERSION:-0.2.130}

have() { printf '  %-18s %s\n' "$1" "$2"; }

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  have "wasm32 target" "present"
else
  echo "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  have trunk "$TRUNK_VERSION present"
else
  echo "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB_VERSION" ]; then
  have wasm-bindgen-cli "$WB_VERSION present"
else
  echo "installing wasm-bindgen-cli $WB_VERSION (about 3 minutes)"
  # Not --locked: its lock file pins a crate version the registry no longer has.
  cargo install --force wasm-bindgen-cli --version "$WB_VERSION"
fi

# npm packages (binaryen's wasm-opt: Debian's is too old; playwright-core), from the lock file.
if cmp -s package-lock.json node_modules/.etcdplay-lock-stamp 2>/dev/null; then
  have "npm packages" "up to date"
else
  echo "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.etcdplay-lock-stamp
fi

# Installs Debian packages (as root, or with sudo).
apt_install() {
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

if [ "$mode" = test ] || [ "$mode" = bench ]; then
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    have chromium "$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') present"
  else
    echo "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # Debian's real etcdctl 3.4.23: tests check that the page's snapshot files pass it.
  if [ -x /usr/bin/etcdctl ]; then
    have etcdctl "$(/usr/bin/etcdctl version 2>/dev/null | awk 'NR==1 {print $3}') present"
  else
    echo "installing Debian's etcd-client (real etcdctl)"
    apt_install etcd-client
  fi
  # Debian's real etcd 3.4.23: tests/gateway_real_etcd.rs starts one on a free loopback port.
  if [ -x /usr/bin/etcd ]; then
    have etcd "$(/usr/bin/etcd --version 2>/dev/null | awk 'NR==1 {print $3}') present"
  else
    echo "installing Debian's etcd-server (real etcd)"
    apt_install etcd-server
    # the package enables and starts a system etcd on 127.0.0.1:2379; tests start their own
    if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
      systemctl disable --now etcd >/dev/null 2>&1 || true
    fi
  fi
  command -v python3 >/dev/null || { echo "python3 is needed for the conformance check"; exit 1; }
fi

if [ "$mode" = bench ]; then
  if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" = "$TWIGGY_VERSION" ]; then
    have twiggy "$TWIGGY_VERSION present"
  else
    echo "installing twiggy $TWIGGY_VERSION (about 2 minutes)"
    cargo install --force twiggy --version "$TWIGGY_VERSION"
  fi
fi
