#!/usr/bin/env bash
# Runs Ansible's integration targets that are driven by a runme.sh (not a tasks/ role) once as
# they are and once with scripts/conformance-shim first on PATH, so every `ansible-playbook`
# they call runs fleet. Prints one Markdown table row per target and tool. See
# docs/CONFORMANCE.md ("Beyond the list").
#
#   scripts/conformance-runme.sh TARGETS_DIR TARGET…
#
# Each run gets what ansible-test gives a script target: a scratch copy of the target dir as
# cwd inside a scratch targets dir (the other targets are linked in beside it, for
# ANSIBLE_ROLES_PATH=../), an inventory two levels up (`-i ../../inventory`) holding
# `testhost`, the sandbox host, over SSH), OUTPUT_DIR, ANSIBLE_INVENTORY=/dev/null and
# ANSIBLE_FORCE_HANDLERS=true. `ansible`, `ansible-inventory` and everything else run as they
# are. A row is PASS when runme.sh exits 0; otherwise it names the command `set -x` traced
# last and the first task failure or ERROR printed.
#
# Environment: as scripts/conformance.sh (CONFORMANCE_HOST, CONFORMANCE_TOOLS,
# CONFORMANCE_TIMEOUT, CONFORMANCE_LOG_DIR, FLEET).
set -euo pipefail

# shellcheck source=scripts/conformance.sh
source "$(dirname "${BASH_SOURCE[0]}")/conformance.sh"
SHIM_DIR=$REPO_DIR/scripts/conformance-shim

# ansible-test's inventory for a target run on a remote host: one host called testhost.
write_runme_inventory() {
  local dir=$1 address port=${FLEET_SANDBOX_PORT:-2222}
  address=127.0.1.$HOST_NUM
  write_known_hosts "$dir"
  cat >"$dir/inventory" <<INI
[testgroup]
testhost ansible_host=$address ansible_port=$port ansible_user=fleet-h$HOST_NUM ansible_ssh_private_key_file=$SANDBOX_DIR/client_key ansible_ssh_common_args='-o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes' ansible_python_interpreter=/usr/bin/python3
INI
}

# test/integration/{inventory,targets/TARGET (copied),targets/* (linked)} under DIR.
lay_out_targets() {
  local dir=$1 target=$2 other
  mkdir -p "$dir/test/integration/targets"
  write_runme_inventory "$dir/test/integration"
  for other in "$TARGETS_DIR"/*/; do
    other=${other%/}
    [[ ${other##*/} == "$target" ]] || ln -s "$other" "$dir/test/integration/targets/${other##*/}"
  done
  cp -a "$TARGETS_DIR/$target" "$dir/test/integration/targets/$target"
}

# Sourced by runme.sh through BASH_ENV: names each command that fails at runme.sh's top
# level, as written (unexpanded), so a row shows which check failed rather than the EXIT
# trap's clean-up that `set -x` traced last.
write_err_trap() {
  cat >"$1" <<'TRAP'
if [[ $0 == *runme.sh ]]; then
  set -E
  trap 'echo "conformance-runme: failed ($?): $BASH_COMMAND" >&2' ERR
fi
TRAP
}

# The last top-level command that failed, then the first failed task's msg, ERROR or shim
# refusal the run printed.
runme_failure() {
  local log=$1 command failure msg assertion
  command=$(sed -n 's/^conformance-runme: failed ([0-9]*): //p' "$log" | tail -n 1)
  failure=$(awk '
    joining { sub(/^ +/, ""); text = text " " $0; if ($0 ~ /^}/) { print text; exit } next }
    /^(fatal|failed): \[|^ERROR!|^ansible-playbook shim:/ { text = $0; if ($0 ~ /{$/) { joining = 1; next } print text; exit }
  ' "$log")
  msg=$(result_key msg "$failure") || true
  assertion=$(result_key assertion "$failure") || true
  [[ -z $msg ]] || failure=$msg${assertion:+: $assertion}
  failure=${failure%%\\n*}
  command=${command:0:160}
  failure=${failure:0:200}
  printf "\`%s\`%s" "${command//|/\\|}" "${failure:+ — ${failure//|/\\|}}"
}

run_runme() {
  local tool=$1 target=$2 work out status=0 verdict detail home_before path=$PATH log
  work=$(mktemp -d "${TMPDIR:-/tmp}/conformance-runme.$target.$tool.XXXXXX")
  out=$(mktemp -d "${TMPDIR:-/tmp}/conformance-output.$target.XXXXXX")
  chmod 1777 "$out"
  lay_out_targets "$work" "$target"
  write_err_trap "$work/err_trap.sh"
  case $tool in
    ansible) ;;
    fleet) path=$SHIM_DIR:$PATH ;;
    *) die "unknown tool '$tool' (ansible or fleet)" ;;
  esac
  log=$LOG_DIR/$target.$tool.out
  home_before=$(home_snapshot)
  (
    cd "$work/test/integration/targets/$target" &&
      BASH_ENV=$work/err_trap.sh PATH=$path FLEET=$FLEET OUTPUT_DIR=$out INVENTORY_PATH=$work/test/integration/inventory \
        ANSIBLE_INVENTORY=/dev/null ANSIBLE_FORCE_HANDLERS=true ANSIBLE_HOST_PATTERN_MISMATCH=error \
        ANSIBLE_HOST_KEY_CHECKING=false ANSIBLE_DEPRECATION_WARNINGS=false ANSIBLE_RETRY_FILES_ENABLED=false \
        ANSIBLE_NOCOLOR=1 ANSIBLE_PLAYBOOK_DIR="$PWD" NO_COLOR=1 PAGER=/bin/cat \
        timeout "$RUN_TIMEOUT" ./runme.sh </dev/null >"$log" 2>&1
  ) || status=$?
  restore_home "$home_before"
  if ((status == 0)); then
    verdict=PASS
    detail=""
  else
    verdict=FAIL
    ((status == 124)) && verdict=TIMEOUT
    detail="(exit $status) $(runme_failure "$log")"
  fi
  printf '| %s | %s | %s | %s |\n' "$target" "$tool" "$verdict" "$detail"
  rm -rf "$work"
  rm -rf "$out" 2>/dev/null || true
}

runme_main() {
  [[ $# -ge 2 ]] || { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 2; }
  TARGETS_DIR=$(resolve_targets_dir "$1")
  shift
  local target tool
  for target in "$@"; do
    [[ -x $TARGETS_DIR/$target/runme.sh ]] || die "target '$target' has no runme.sh in $TARGETS_DIR"
  done
  LOG_DIR=${CONFORMANCE_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/conformance-logs.XXXXXX")}
  mkdir -p "$LOG_DIR"
  ensure_host
  echo "# logs: $LOG_DIR" >&2
  echo '| target | tool | result | failing command — first failure |'
  echo '| --- | --- | --- | --- |'
  for target in "$@"; do
    for tool in $TOOLS; do
      run_runme "$tool" "$target"
    done
  done
}

runme_main "$@"
