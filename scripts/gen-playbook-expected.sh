#!/bin/sh
# Regenerates the expected files of test/playbook/ from the real Ansible 2.14 (ansible-playbook
# and its Python modules under /usr/bin/python3): listings compared byte for byte, error
# messages, the model fixtures as Ansible loads them, k=v splitting and tag selection.
# Listing cases: playbook, output name, then ansible-playbook flags.
set -eu
cd "$(dirname "$0")/../test/playbook/fixtures/listing"
# a fixed hash seed keeps the Python set orders in some messages stable between runs
export PYTHONHASHSEED=0 ANSIBLE_ROLES_PATH=extra_roles ANSIBLE_NOCOLOR=1 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
run() {
  playbook=$1 name=$2
  shift 2
  # host-pattern warnings go to stderr; only stdout is the listing
  ansible-playbook -i localhost, "$@" "$playbook" >"$name.expected" 2>/dev/null
}
run site.yml site.list-tasks --list-tasks
run site.yml site.list-tags --list-tags
run site.yml site.syntax-check --syntax-check
run site.yml site.tags-web --list-tasks --tags web
run site.yml site.tags-never --list-tasks --tags debugging
run site.yml site.tags-tagged --list-tasks --tags tagged
run site.yml site.tags-untagged --list-tasks --tags untagged
run site.yml site.skip-always --list-tasks --skip-tags always,common
run site.yml site.skip-all --list-tasks --skip-tags all
run templated.yml templated.combined --list-tasks --list-tags --list-hosts -e target=localhost -e tag_var=tt
run templated.yml templated.tags-tt --list-tasks --tags tt -e target=localhost -e tag_var=tt

# Error fixtures: what ansible-playbook --syntax-check says about each one. First line: the
# message (without "ERROR! "), or ACCEPTED when Ansible only fails at run time (fleet refuses
# those up front). Second line: Ansible's "line N, column M", when it gives one.
cd ../errors
for playbook in *.yml; do
  [ "$playbook" = other.yml ] && continue
  out=$(ansible-playbook -i localhost, --syntax-check "$playbook" 2>&1) && status=0 || status=$?
  if [ "$status" = 0 ]; then
    echo ACCEPTED >"${playbook%.yml}.expected"
  else
    {
      printf '%s\n' "$out" | grep -m1 '^ERROR! ' | sed 's/^ERROR! //'
      printf '%s\n' "$out" | grep -m1 -o 'line [0-9]*, column [0-9]*' || true
    } >"${playbook%.yml}.expected"
  fi
done

# k=v argument strings: Ansible's own split_args/parse_kv results.
cd ../splitter
/usr/bin/python3 oracle.py >expected.json

# The model fixtures as Ansible loads them: tasks, args and inherited keywords.
cd ../model
/usr/bin/python3 oracle.py actions.yml blocks.yml roles.yml imports.yml

# --tags/--skip-tags selection: Ansible's Taggable.evaluate_tags over a matrix of cases.
cd ../tags
/usr/bin/python3 oracle.py >expected.json
