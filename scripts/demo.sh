#!/usr/bin/env bash
# `npm run demo`: fleet's main job on the embedded sandbox. The four wizards (allegro,
# bezalel, ezra, timmy) are simulated by loopback sshd hosts, each a local user whose home
# under the sandbox is its disk, and playbooks/site.yml converges them twice with
# `fleet apply` (sandbox/demo.sh): the first run changes things, the second reports
# changed=0. Needs root (it creates the sandbox users) and installs what it lacks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) != 0 ]]; then
  echo "demo: run as root: the sandbox hosts are sshd processes with one Unix user each" >&2
  exit 1
fi
missing=()
for package in openssh-server cron sudo git curl sqlite3; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[[ -f dist/cli/main.js ]] || npm run --silent build
exec sh sandbox/demo.sh
