#!/bin/sh
# Regenerates test/inventory/expected/ from the real Ansible (ansible-core 2.14) for every
# case in test/inventory/cases.txt, so the tests compare fleet's output with Ansible's
# without needing Ansible in CI. Run from anywhere: scripts/gen-inventory-expected.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cases="$root/test/inventory/cases.txt"
out="$root/test/inventory/expected"
rm -rf "$out"
mkdir -p "$out"
# The fixtures directory has no group_vars/ of its own, so the current directory (which
# ansible-inventory also reads group_vars from) adds nothing.
cd "$root/test/inventory/fixtures"
# An empty config file keeps any ansible.cfg on this machine from changing the defaults.
config=$(mktemp --suffix=.cfg)
trap 'rm -f "$config"' EXIT
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_CONFIG="$config"
grep -v '^#' "$cases" | while read -r id tool args; do
  [ -n "$id" ] || continue
  set -f
  # shellcheck disable=SC2086 # word splitting of the case's arguments is intended
  set -- $args
  set +f
  case "$tool" in
    inventory) cmd=ansible-inventory ;;
    hosts) cmd=ansible; set -- "$@" --list-hosts ;;
    *) echo "unknown tool $tool in case $id" >&2; exit 1 ;;
  esac
  rc=0
  "$cmd" "$@" >"$out/$id.out" 2>"$out/$id.err" </dev/null || rc=$?
  echo "$rc" >"$out/$id.rc"
done
echo "wrote $(ls "$out" | wc -l) files to $out"
