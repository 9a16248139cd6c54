#!/bin/sh
# Starts the four loopback sshd hosts the sandbox inventory maps the wizards to, and
# creates the wizards' config repository (a local bare git repo, never the network) under
# .sandbox/ if it is missing. Needs root, as scripts/sandbox-hosts.sh does.
set -eu
repo_root=$(cd "$(dirname "$0")/.." && pwd)
"$repo_root/scripts/sandbox-hosts.sh" up 4
bare=$repo_root/.sandbox/wizard-config.git
# The sandbox users' git reads this as its global config (config_repo_git_environment).
printf '[safe]\n\tdirectory = *\n' >"$repo_root/.sandbox/gitconfig"
chmod 0644 "$repo_root/.sandbox/gitconfig"
[ -d "$bare" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git init --quiet --initial-branch=main "$work"
for wizard in allegro bezalel ezra timmy; do
  mkdir -p "$work/wizards/$wizard"
  printf '# %s\nConfiguration of the %s wizard.\n' "$wizard" "$wizard" >"$work/wizards/$wizard/README.md"
done
git -C "$work" add .
git -C "$work" -c user.name=sandbox -c user.email=sandbox@localhost commit --quiet -m "Sandbox config repo"
git clone --quiet --bare "$work" "$bare.partial"
chmod -R a+rX "$bare.partial"
mv "$bare.partial" "$bare"
