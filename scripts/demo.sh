#!/usr/bin/env bash
# `npm run demo`: fleet's main job on the embedded sandbox. Starts four loopback sshd hosts
# (each a local user whose home under .sandbox/ is its disk) and converges the test fleet on
# them twice with `fleet apply`: the first run changes things, the second reports changed=0.
# Needs root (it creates the sandbox users) and installs openssh-server and cron if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) != 0 ]]; then
  echo "demo: run as root: the sandbox hosts are sshd processes with one Unix user each" >&2
  exit 1
fi
missing=()
for package in openssh-server cron sudo; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[[ -f dist/cli/main.js ]] || npm run --silent build
scripts/sandbox-hosts.sh up 4
for run in first second; do
  echo
  echo "=== fleet apply, $run run"
  node bin/fleet.js apply -i .sandbox/inventory.yml test/apply/fixtures/site.yml
done
