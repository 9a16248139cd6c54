#!/bin/sh
# Undoes sandbox/demo.sh on the sandbox hosts: stops each wizard's stand-in agent, removes
# its tree (~/wizards, ~/.hermes) and the fleet entries of its crontab. Other crontab
# entries stay. Needs root.
set -eu
repo_root=$(cd "$(dirname "$0")/.." && pwd)
for n in 1 2 3 4; do
  user=fleet-h$n
  home=$repo_root/.sandbox/hosts/h$n/home
  [ -d "$home" ] || continue
  for agentctl in "$home"/wizards/*/home/bin/agentctl "$home/.hermes/bin/agentctl"; do
    [ -x "$agentctl" ] && runuser -u "$user" -- "$agentctl" stop
  done
  rm -rf "$home/wizards" "$home/.hermes"
  # Drop each `#Ansible: fleet:…` marker with the job line under it.
  crontab -l -u "$user" 2>/dev/null | awk '/^#Ansible: fleet:/ { skip = 1; next } skip { skip = 0; next } { print }' | crontab -u "$user" -
done
