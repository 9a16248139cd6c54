#!/bin/sh
# Deploys a merged commit: moves the deploy checkout to it, then converges the fleet.
#
#   scripts/deploy_on_webhook.sh [--pull] [COMMIT]
#
# `fleet webhook serve` runs it with FLEET_DEPLOY_COMMIT and FLEET_DEPLOY_BRANCH set; an
# operator may run it by hand (COMMIT defaults to the branch's newest commit).
#   default  fleet apply -i $FLEET_DEPLOY_INVENTORY $FLEET_DEPLOY_PLAYBOOK from this controller
#   --pull   every host in $FLEET_DEPLOY_HOSTS runs `fleet pull` of that commit on itself
#            (fleet apply runs the command over ssh)
#
# Environment (all optional):
#   FLEET_DEPLOY_DIR        the deploy checkout (default: the repository holding this script)
#   FLEET_DEPLOY_REMOTE     git remote to fetch from (origin)
#   FLEET_DEPLOY_BRANCH     branch the commit must be on (main)
#   FLEET_DEPLOY_INVENTORY  inventory, relative to the checkout (inventory/hosts.yml)
#   FLEET_DEPLOY_PLAYBOOK   playbook, relative to the checkout (playbooks/site.yml)
#   FLEET_DEPLOY_LOG        log file, appended to (<checkout>/.fleet/deploy.log)
#   FLEET                   the fleet command (fleet)
#   --pull only: FLEET_DEPLOY_HOSTS (wizards), FLEET_PULL_URL (the remote's URL),
#   FLEET_PULL_COMMAND (fleet, as run on the hosts), FLEET_PULL_DIRECTORY (fleet pull's default)
#
# Exit status: 0 deployed; 1 fetch or checkout failed; fleet apply's status when the
# converge failed (2 a host failed, 4 a host was unreachable); 64 bad usage; 75 another
# deploy holds the lock.
set -eu

mode=apply
while [ $# -gt 0 ]; do
  case $1 in
    --pull) mode=pull; shift ;;
    -h | --help) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "deploy_on_webhook: unknown option $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -le 1 ] || { echo "deploy_on_webhook: one COMMIT at most" >&2; exit 64; }

script_dir=$(cd "$(dirname "$0")" && pwd)
checkout=${FLEET_DEPLOY_DIR:-$(dirname "$script_dir")}
remote=${FLEET_DEPLOY_REMOTE:-origin}
branch=${FLEET_DEPLOY_BRANCH:-main}
commit=${1:-${FLEET_DEPLOY_COMMIT:-}}
inventory=${FLEET_DEPLOY_INVENTORY:-inventory/hosts.yml}
playbook=${FLEET_DEPLOY_PLAYBOOK:-playbooks/site.yml}
log=${FLEET_DEPLOY_LOG:-$checkout/.fleet/deploy.log}
fleet=${FLEET:-fleet}
lock=$checkout/.fleet/deploy.lock

mkdir -p "$(dirname "$log")" "$checkout/.fleet"
work=$(mktemp -d "${TMPDIR:-/tmp}/fleet-deploy.XXXXXX")
holds_lock=no
cleanup() {
  status=$?
  [ "$holds_lock" = no ] || rm -rf "$lock"
  # Close our end of the pipe so tee finishes writing the log before we leave.
  exec >&- 2>&-
  wait "$tee_pid" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
# Everything from here on goes to the terminal (or the webhook) and to the log file.
mkfifo "$work/output"
tee -a "$log" <"$work/output" &
tee_pid=$!
exec >"$work/output" 2>&1
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# A JSON string literal of $1 (backslashes and double quotes escaped; one line).
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

say() { printf '%s deploy_on_webhook: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

# mkdir is atomic everywhere (no flock on macOS); a lock whose owner died is taken over.
take_lock() {
  if mkdir "$lock" 2>/dev/null; then
    echo $$ >"$lock/pid"
    holds_lock=yes
    return 0
  fi
  owner=$(cat "$lock/pid" 2>/dev/null || true)
  if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
    say "another deploy (pid $owner) holds $lock"
    exit 75
  fi
  say "removing the stale lock of pid ${owner:-unknown}"
  rm -rf "$lock"
  mkdir "$lock" 2>/dev/null || { say "lost the race for $lock"; exit 75; }
  echo $$ >"$lock/pid"
  holds_lock=yes
}

take_lock
say "start: mode $mode, branch $branch, commit ${commit:-(newest)}, checkout $checkout"
git -C "$checkout" fetch --quiet --prune "$remote" || { say "cannot fetch $remote"; exit 1; }
tip=$(git -C "$checkout" rev-parse --verify --quiet "refs/remotes/$remote/$branch^{commit}") ||
  { say "branch $branch not found on $remote"; exit 1; }
if [ -z "$commit" ]; then
  commit=$tip
fi
resolved=$(git -C "$checkout" rev-parse --verify --quiet "$commit^{commit}") ||
  { say "commit $commit not found after fetching $remote"; exit 1; }
# Only what was merged is deployed: the commit must be on the branch.
git -C "$checkout" merge-base --is-ancestor "$resolved" "$tip" ||
  { say "commit $resolved is not on $remote/$branch"; exit 1; }
# No --force: local changes in the deploy checkout stop the deploy instead of vanishing.
git -C "$checkout" checkout --quiet --detach "$resolved" || { say "cannot check out $resolved in $checkout"; exit 1; }
say "checked out $resolved"

cd "$checkout"
if [ "$mode" = apply ]; then
  "$fleet" apply -i "$inventory" "$playbook"
else
  url=${FLEET_PULL_URL:-$(git remote get-url "$remote")}
  cat >"$work/pull.yml" <<'PLAYBOOK'
- name: Each host converges itself from the deploy commit (fleet pull)
  hosts: "{{ fleet_deploy_hosts }}"
  gather_facts: false
  tasks:
    - name: fleet pull
      ansible.builtin.shell: >-
        {{ fleet_pull_command }} pull
        --url {{ fleet_pull_url | quote }}
        --checkout {{ fleet_pull_commit | quote }}
        {% if fleet_pull_directory %}--directory {{ fleet_pull_directory | quote }}{% endif %}
        --inventory {{ fleet_pull_inventory | quote }}
        --limit {{ inventory_hostname | quote }}
        {{ fleet_pull_playbook | quote }}
PLAYBOOK
  {
    printf '{"fleet_deploy_hosts": %s, ' "$(json_string "${FLEET_DEPLOY_HOSTS:-wizards}")"
    printf '"fleet_pull_command": %s, ' "$(json_string "${FLEET_PULL_COMMAND:-fleet}")"
    printf '"fleet_pull_url": %s, ' "$(json_string "$url")"
    printf '"fleet_pull_commit": %s, ' "$(json_string "$resolved")"
    printf '"fleet_pull_directory": %s, ' "$(json_string "${FLEET_PULL_DIRECTORY:-}")"
    printf '"fleet_pull_inventory": %s, ' "$(json_string "$inventory")"
    printf '"fleet_pull_playbook": %s}\n' "$(json_string "$playbook")"
  } >"$work/pull-vars.json"
  "$fleet" apply -i "$inventory" -e "@$work/pull-vars.json" "$work/pull.yml"
fi
say "deployed $resolved"
