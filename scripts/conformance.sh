#!/usr/bin/env bash
# Runs Ansible's own integration targets (ansible/ansible test/integration/targets) as roles
# against one sandbox host, once with ansible-playbook and once with fleet, and prints one
# Markdown table row per target and tool. See docs/CONFORMANCE.md.
#
#   scripts/conformance.sh TARGETS_DIR [TARGET…]
#   scripts/conformance.sh --summarise LOG   (counts and failing task of one saved run)
#
# TARGETS_DIR is the `targets` directory of an extracted ansible tree (or the root of that
# tree); with no TARGET, every target named in docs/CONFORMANCE.md's "listed" set runs.
# Each run gets its own inventory (one host, as its unprivileged user, with
# ansible_python_interpreter as ansible-test sets it), a playbook
#   - hosts: <host>  gather_facts: yes  roles: [TARGET]
# with ANSIBLE_ROLES_PATH=TARGETS_DIR (so meta dependencies such as prepare_tests and
# setup_remote_tmp_dir resolve), and `-e output_dir=DIR` naming a fresh world-writable dir
# (also exported as OUTPUT_DIR, as ansible-test does: `template` reads it with lookup('env')).
# What a run adds to the remote user's home is removed after it (the runner runs as root on
# the machine that holds the sandbox homes), so runs do not see each other's leftovers.
#
# Environment:
#   CONFORMANCE_HOST=5        sandbox host number (h5 on 127.0.1.5); started if not up
#   CONFORMANCE_TOOLS="ansible fleet"   which tools run, in order
#   CONFORMANCE_TIMEOUT=900   seconds per run before it is killed (reported as TIMEOUT)
#   CONFORMANCE_LOG_DIR=DIR   where each run's full output is kept (default: a new temp dir)
#   FLEET="node <repo>/bin/fleet.js"    how fleet is invoked
#   ANSIBLE_PLAYBOOK=ansible-playbook
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANDBOX_DIR=${FLEET_SANDBOX_DIR:-$REPO_DIR/.sandbox}
HOST_NUM=${CONFORMANCE_HOST:-5}
TOOLS=${CONFORMANCE_TOOLS:-ansible fleet}
RUN_TIMEOUT=${CONFORMANCE_TIMEOUT:-900}
FLEET=${FLEET:-node $REPO_DIR/bin/fleet.js}
ANSIBLE_PLAYBOOK=${ANSIBLE_PLAYBOOK:-ansible-playbook}

# The targets the issue lists: ansible-playbook 2.14 passes each of them in this set-up.
LISTED_TARGETS=(
  lineinfile blockinfile replace find assemble tempfile shell changed_when failed_when
  ignore_errors include_vars lookup_dict lookup_items lookup_list lookup_nested
  lookup_together lookup_indexed_items lookup_lines lookup_vars lookup_file lookup_varnames
  command_shell stat template
)

die() { echo "conformance: $*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

resolve_targets_dir() {
  local dir=$1
  [[ -d $dir/test/integration/targets ]] && dir=$dir/test/integration/targets
  [[ -d $dir/setup_remote_tmp_dir && -d $dir/prepare_tests ]] ||
    die "$1 does not look like ansible's test/integration/targets"
  (cd "$dir" && pwd)
}

ensure_host() {
  local pid_file=$SANDBOX_DIR/hosts/h$HOST_NUM/sshd.pid
  if [[ -s $pid_file ]] && kill -0 "$(<"$pid_file")" 2>/dev/null; then return 0; fi
  "$REPO_DIR/scripts/sandbox-hosts.sh" up "$HOST_NUM" >&2
}

# DIR/known_hosts: the sandbox host's key, the only entry.
write_known_hosts() {
  local key
  key=$(cut -d' ' -f1-2 "$SANDBOX_DIR/hosts/h$HOST_NUM/ssh_host_ed25519_key.pub")
  printf '[%s]:%s %s\n' "127.0.1.$HOST_NUM" "${FLEET_SANDBOX_PORT:-2222}" "$key" >"$1/known_hosts"
}

# One host, its own known_hosts line, no dependency on the shared inventory's contents.
write_inventory() {
  local dir=$1 address port=${FLEET_SANDBOX_PORT:-2222}
  address=127.0.1.$HOST_NUM
  write_known_hosts "$dir"
  cat >"$dir/inventory.yml" <<EOF
all:
  hosts:
    h$HOST_NUM:
      ansible_host: $address
      ansible_port: $port
      ansible_user: fleet-h$HOST_NUM
      ansible_ssh_private_key_file: $SANDBOX_DIR/client_key
      ansible_ssh_common_args: -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes
      ansible_python_interpreter: /usr/bin/python3
EOF
}

write_playbook() {
  local dir=$1 target=$2
  cat >"$dir/play.yml" <<EOF
- hosts: h$HOST_NUM
  gather_facts: yes
  roles:
    - $target
EOF
}

# Prints "ok changed failed unreachable" from the host's PLAY RECAP line, or nothing.
recap_counts() {
  sed -n "s/^h$HOST_NUM *: *ok=\([0-9]*\) *changed=\([0-9]*\) *unreachable=\([0-9]*\) *failed=\([0-9]*\).*/\1 \2 \4 \3/p" "$1" | tail -n 1
}

# The number after "rescued=" in the host's PLAY RECAP line (0 when there is none).
recap_rescued() {
  local n
  n=$(sed -n "s/^h$HOST_NUM *: .* rescued=\([0-9]*\).*/\1/p" "$1" | tail -n 1)
  echo "${n:-0}"
}

# The first failure that counted: failures followed by "...ignoring" are skipped, and so are
# as many of the first ones as the recap says were rescued (a rescued failure comes before
# anything that stops the host). Later ones, in `always:` clean-ups, are consequences.
# Printed as "task — result" on one line; a result printed over several lines (assert's)
# is joined.
failed_task() {
  awk -v host="h$HOST_NUM" -v rescued="$(recap_rescued "$1")" '
    function settle() { if (pending != "") found[n++] = pending; pending = "" }
    joining { sub(/^ +/, ""); pending = pending " " $0; if ($0 ~ /^}/) joining = 0; next }
    /^(TASK|RUNNING HANDLER) \[/ { settle(); task = $0; sub(/^[A-Z ]+\[/, "", task); sub(/\] \**$/, "", task) }
    /^PLAY RECAP/ { settle() }
    /^(fatal|failed): \[/ && index($0, "[" host "]") {
      if (pending == "") { pending = task " — " $0; joining = ($0 ~ /{$/) }
      next
    }
    /^\.\.\.ignoring/ { pending = "" }
    END { settle(); if (n > 0) print found[(rescued < n) ? rescued : n - 1] }
  ' "$1"
}

# The value of one JSON string key in a result line, or nothing.
result_key() {
  local re='"KEY": "(([^"\]|\\.)*)"'
  re=${re/KEY/$1}
  [[ $2 =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"
}

# Shortens "task — fatal: [h]: FAILED! => {json}" to the task and its msg (and assertion).
summarise_failure() {
  local line=$1 task result msg assertion
  task=${line%% — *}
  result=${line#* — }
  msg=$(result_key msg "$result") || true
  [[ -n $msg ]] || msg=$(result_key message "$result") || true
  assertion=$(result_key assertion "$result") || true
  [[ -n $assertion ]] && msg="$msg: $assertion"
  [[ -n $msg ]] || msg=$result
  msg=${msg%%\\n*}
  msg=${msg//|/\\|}
  ((${#msg} <= 200)) || msg="${msg:0:197}..."
  printf '%s: %s' "$task" "$msg"
}

# A load error that stopped the run before any host was contacted: its first stderr line.
load_error() {
  grep -m 1 -v '^\s*$' "$1" | cut -c1-200 | sed 's/|/\\|/g'
}

# The remote user's home, when it lives on this machine (the sandbox's homes do).
remote_home() {
  getent passwd "fleet-h$HOST_NUM" | cut -d: -f6
}

# Targets write relative paths (lineinfile's `path: file.txt`) into the remote user's home,
# which ansible-test's fresh containers do not keep; a second run would see them. After each
# run, what the run added to the home is removed, and what was there before is left alone.
home_snapshot() {
  local home
  home=$(remote_home)
  [[ -n $home && -d $home ]] || return 0
  find "$home" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort
}

restore_home() {
  local before=$1 home name
  home=$(remote_home)
  [[ -n $home && -d $home ]] || return 0
  while IFS= read -r name; do
    [[ -n $name ]] && rm -rf -- "${home:?}/$name"
  done < <(LC_ALL=C comm -13 <(printf '%s\n' "$before") <(home_snapshot))
}

run_one() {
  local tool=$1 target=$2 work out status=0 counts verdict detail home_before
  local -a cmd
  work=$(mktemp -d "${TMPDIR:-/tmp}/conformance.$target.$tool.XXXXXX")
  out=$(mktemp -d "${TMPDIR:-/tmp}/conformance-output.$target.XXXXXX")
  chmod 1777 "$out"
  write_inventory "$work"
  write_playbook "$work" "$target"
  case $tool in
    ansible) read -r -a cmd <<<"$ANSIBLE_PLAYBOOK" ;;
    fleet) read -r -a cmd <<<"$FLEET"; cmd+=(apply) ;;
    *) die "unknown tool '$tool' (ansible or fleet)" ;;
  esac
  cmd+=(-i "$work/inventory.yml" -e "output_dir=$out" "$work/play.yml")
  home_before=$(home_snapshot)
  (
    cd "$work" &&
      OUTPUT_DIR=$out ANSIBLE_ROLES_PATH=$TARGETS_DIR ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_NOCOLOR=1 \
        ANSIBLE_RETRY_FILES_ENABLED=0 NO_COLOR=1 \
        timeout "$RUN_TIMEOUT" "${cmd[@]}" </dev/null >"$LOG_DIR/$target.$tool.out" 2>"$LOG_DIR/$target.$tool.err"
  ) || status=$?
  restore_home "$home_before"
  counts=$(recap_counts "$LOG_DIR/$target.$tool.out")
  if [[ -z $counts ]]; then
    counts="- - - -"
  fi
  read -r ok changed failed unreachable <<<"$counts"
  if ((status == 0)) && [[ $failed == 0 && $unreachable == 0 ]]; then
    verdict=PASS
    detail=""
  else
    verdict=FAIL
    ((status == 124)) && verdict=TIMEOUT
    detail=$(failed_task "$LOG_DIR/$target.$tool.out")
    if [[ -n $detail ]]; then
      detail=$(summarise_failure "$detail")
    elif [[ $unreachable != 0 && $unreachable != - ]]; then
      detail="host unreachable"
    else
      detail="(exit $status) $(load_error "$LOG_DIR/$target.$tool.err")"
    fi
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$tool" "$verdict" "$ok" "$changed" "$failed" "$detail"
  rm -rf "$work"
  rm -rf "$out" 2>/dev/null || true
}

# --summarise LOG: the verdict columns for one saved run's stdout (used by the runner's test).
summarise_log() {
  local log=$1 counts ok changed failed unreachable detail
  counts=$(recap_counts "$log")
  [[ -n $counts ]] || counts="- - - -"
  read -r ok changed failed unreachable <<<"$counts"
  detail=""
  [[ $failed == 0 ]] || detail=$(failed_task "$log")
  [[ -z $detail ]] || detail=$(summarise_failure "$detail")
  printf '%s | %s | %s | %s | %s\n' "$ok" "$changed" "$failed" "$unreachable" "$detail"
}

main() {
  [[ $# -ge 1 ]] || usage 2
  [[ $1 == -h || $1 == --help ]] && usage 0
  if [[ $1 == --summarise ]]; then
    [[ $# -eq 2 ]] || usage 2
    summarise_log "$2"
    return
  fi
  TARGETS_DIR=$(resolve_targets_dir "$1")
  shift
  local -a targets=("$@")
  ((${#targets[@]})) || targets=("${LISTED_TARGETS[@]}")
  local target tool
  for target in "${targets[@]}"; do
    [[ -d $TARGETS_DIR/$target ]] || die "no target '$target' in $TARGETS_DIR"
  done
  LOG_DIR=${CONFORMANCE_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/conformance-logs.XXXXXX")}
  mkdir -p "$LOG_DIR"
  ensure_host
  echo "# logs: $LOG_DIR" >&2
  echo '| target | tool | result | ok | changed | failed | failing task (message) |'
  echo '| --- | --- | --- | --- | --- | --- | --- |'
  for target in "${targets[@]}"; do
    for tool in $TOOLS; do
      run_one "$tool" "$target"
    done
  done
}

# Sourced by scripts/conformance-runme.sh for its helpers; run, it is the runner.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
