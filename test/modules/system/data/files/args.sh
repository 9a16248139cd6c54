#!/bin/sh
printf '<%s>' "$0" "$@" | sed "s#/[^<>]*/args.sh#SCRIPT#"
echo
[ -z "$FLEET_SHOW_PWD" ] || echo "pwd=$(pwd)"
echo to-stderr >&2
exit "${FLEET_EXIT:-0}"
