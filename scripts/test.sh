#!/usr/bin/env bash
# `npm test`: vitest's two projects (vitest.config.ts) side by side, each running its files
# one at a time: `hosts` (the files that share the sandbox sshd hosts) streams to the
# terminal, `local` (the rest) to a log printed when it ends. Arguments go to both runs.
# Exits non-zero when either run fails. (A file filter matches in one project; the other passes with none.)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit

local_log=$(mktemp "${TMPDIR:-/tmp}/fleet-tests-local.XXXXXX")
trap 'rm -f "$local_log"' EXIT

npx vitest run --passWithNoTests --project local "$@" >"$local_log" 2>&1 &
local_pid=$!
npx vitest run --passWithNoTests --project hosts "$@"
hosts_status=$?
wait "$local_pid"
local_status=$?

printf '\n== project local\n'
cat "$local_log"
printf '\nproject hosts exited %s, project local exited %s\n' "$hosts_status" "$local_status"
[ "$hosts_status" = 0 ] && [ "$local_status" = 0 ]
