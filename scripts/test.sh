#!/usr/bin/env bash
# `npm test`: vitest's two projects (vitest.config.ts) side by side, each running its files
# one at a time: `hosts` (the files that share the sandbox sshd hosts) streams to the
# terminal, `local` (the rest) to a log printed when it ends. Arguments go to both runs.
# Exits non-zero when either run fails. (A file filter matches in one project; the other passes with none.)
# The failing tests of both projects are listed again last: CI keeps only the tail of the output.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit

local_log=$(mktemp "${TMPDIR:-/tmp}/fleet-tests-local.XXXXXX")
hosts_log=$(mktemp "${TMPDIR:-/tmp}/fleet-tests-hosts.XXXXXX")
trap 'rm -f "$local_log" "$hosts_log"' EXIT

npx vitest run --passWithNoTests --project local "$@" >"$local_log" 2>&1 &
local_pid=$!
npx vitest run --passWithNoTests --project hosts "$@" 2>&1 | tee "$hosts_log"
hosts_status=${PIPESTATUS[0]}
wait "$local_pid"
local_status=$?

printf '\n== project local\n'
cat "$local_log"

# vitest's summary names each failed test on a FAIL line with its error under it, and unhandled errors.
list_failures() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E -A2 '^ *FAIL |Unhandled' | grep -v '^--$' | head -60
}
if [ "$hosts_status" != 0 ] || [ "$local_status" != 0 ]; then
  printf '\n== failures, project hosts\n'
  list_failures "$hosts_log"
  printf '\n== failures, project local\n'
  list_failures "$local_log"
fi
printf '\nproject hosts exited %s, project local exited %s\n' "$hosts_status" "$local_status"
[ "$hosts_status" = 0 ] && [ "$local_status" = 0 ]
