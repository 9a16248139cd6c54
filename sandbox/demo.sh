#!/bin/sh
# The whole fleet converging on any machine: the wizards simulated on loopback sshd hosts
# (sandbox/inventory.yml), playbooks/site.yml applied twice — the second run reports
# changed=0. Needs root (sandbox users) and a build of fleet (npm run build). The dummy
# secrets of group_vars/all/vault.yml are vaulted with the sandbox-only password file.
set -eu
cd "$(dirname "$0")/.."
sh sandbox/prepare.sh
for run in first second; do
  printf '\n=== fleet apply playbooks/site.yml, %s run\n' "$run"
  node bin/fleet.js apply -i sandbox/inventory.yml --vault-password-file sandbox/vault-password.txt playbooks/site.yml
done
