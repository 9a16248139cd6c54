#!/usr/bin/python3
"""Runs the system-module differential cases with real Ansible and records what it did.

    /usr/bin/python3 scripts/gen-system-fixtures.py [CASEFILE...]

Reads test/modules/system/cases/<name>.yml (a list of cases: name, module, args, and
optional setup/effect shell, check, vars), runs them as one playbook against localhost
with ansible-playbook (json callback), and writes test/modules/system/fixtures/<name>.json:
per case, the registered result (volatile keys replaced by a format marker) and the
stdout of its `effect` command. The fleet tests replay the same cases and compare.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, 'test/modules/system/cases')
FIXTURES = os.path.join(ROOT, 'test/modules/system/fixtures')
# The playbook directory: files/ and vars/ for script and include_vars cases.
PLAYBOOK_DIR = os.path.join(ROOT, 'test/modules/system/data')
# Keys the executor adds or strips (not the module's): compared elsewhere or not at all.
DROPPED_KEYS = {'invocation', 'action', '_ansible_no_log', '_ansible_facts_cacheable', 'exception'}
DROPPED_FALSE = {'changed', 'failed'}
VOLATILE = {
    'start': (re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$'), '<datetime>'),
    # pause's measured duration varies with load; its format does not.
    'stdout': (re.compile(r'^Paused for \d+\.\d+ (seconds|minutes)$'), '<paused>'),
    'stop': (re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$'), '<datetime>'),
    'end': (re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$'), '<datetime>'),
    'delta': (re.compile(r'^\d+:\d\d:\d\d(\.\d{6})?$'), '<delta>'),
}
# apt's cache time is when the machine last ran `apt-get update`, not something a module decides.
VOLATILE_EPOCH = {'cache_update_time'}
# Random temporary names (Python's mkstemp, mktemp(1)) inside any string value.
TEMP_NAME = (re.compile(r'/tmp/crontab[A-Za-z0-9_]{8}'), '/tmp/crontab<random>')
# _find_needle's list of searched paths: fleet's ctx.findFile does not report it.
SEARCHED_IN = re.compile(r'\nSearched in:[\s\S]*$')


def normalize(result):
    """Mirror of test/modules/system/differential.ts normalize()."""
    # The checkout's root is recorded as <repo> so fixtures hold wherever the repo is cloned.
    result = json.loads(json.dumps(result).replace(ROOT, '<repo>'))
    out = {}
    for key, value in sorted(result.items()):
        if key in DROPPED_KEYS or (key in DROPPED_FALSE and value is False):
            continue
        if key in VOLATILE and isinstance(value, str):
            pattern, marker = VOLATILE[key]
            value = marker if pattern.match(value) else value
        if key in VOLATILE_EPOCH and isinstance(value, int) and not isinstance(value, bool):
            value = '<epoch>'
        if isinstance(value, str):
            value = SEARCHED_IN.sub('', TEMP_NAME[0].sub(TEMP_NAME[1], value))
        out[key] = value
    return out


def task_for(index, case):
    args = dict(case.get('args') or {})
    raw = args.pop('_raw_params', None)
    task = {'name': 'case %d' % index, 'ignore_errors': True}
    task[case['module']] = raw if raw is not None else args
    if raw is not None and args:
        task['args'] = args
    if case.get('check'):
        task['check_mode'] = True
    if case.get('diff'):
        task['diff'] = True
    if case.get('vars'):
        task['vars'] = case['vars']
    return task


def playbook(cases):
    tasks = []
    for index, case in enumerate(cases):
        if case.get('setup'):
            tasks.append({'name': 'setup %d' % index, 'shell': case['setup']})
        tasks.append(task_for(index, case))
        if case.get('effect'):
            tasks.append({'name': 'effect %d' % index, 'shell': case['effect'], 'ignore_errors': True})
    return [{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]


# Case files whose modules talk to data/fake-bin stand-ins (e.g. systemctl without systemd).
FAKE_BIN_CASES = {'systemd'}


def run(cases, fake_bin=False):
    with tempfile.NamedTemporaryFile('w', suffix='.yml', dir=PLAYBOOK_DIR, delete=False) as handle:
        # YAML, not JSON: tasks then carry their file (include_vars resolves dir: from it).
        yaml.safe_dump(playbook(cases), handle, allow_unicode=True, sort_keys=False)
        path = handle.name
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0')
    if fake_bin:
        env['PATH'] = os.path.join(PLAYBOOK_DIR, 'fake-bin') + ':' + env['PATH']
    proc = subprocess.run(
        ['ansible-playbook', '-c', 'local', '-i', 'localhost,', '-e', 'ansible_python_interpreter=/usr/bin/python3', path],
        env=env, capture_output=True, text=True, cwd=ROOT)
    os.unlink(path)
    try:
        # pause prints to stdout before the json callback's report.
        report = json.loads(proc.stdout[proc.stdout.index('{\n'):])
    except ValueError:
        sys.exit('ansible-playbook failed:\n%s\n%s' % (proc.stdout, proc.stderr))
    return {task['task']['name']: task['hosts']['localhost'] for task in report['plays'][0]['tasks']}


def main(names):
    files = names or sorted(f[:-4] for f in os.listdir(CASES) if f.endswith('.yml'))
    for name in files:
        with open(os.path.join(CASES, name + '.yml')) as handle:
            cases = yaml.safe_load(handle)
        results = run(cases, fake_bin=name in FAKE_BIN_CASES)
        fixture = []
        for index, case in enumerate(cases):
            entry = {'name': case['name'], 'result': normalize(results['case %d' % index])}
            if case.get('effect'):
                effect = results['effect %d' % index]
                entry['effect'] = {'rc': effect['rc'], 'stdout': effect['stdout']}
            fixture.append(entry)
        with open(os.path.join(FIXTURES, name + '.json'), 'w') as handle:
            json.dump(fixture, handle, indent=1, ensure_ascii=False, sort_keys=True)
            handle.write('\n')
        print('%s: %d cases' % (name, len(cases)))


if __name__ == '__main__':
    main([os.path.basename(a).rsplit('.', 1)[0] for a in sys.argv[1:]])
