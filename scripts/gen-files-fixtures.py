#!/usr/bin/python3
"""Runs fleet's file-module differential cases through real Ansible (2.14) and records the
results as fixtures, so the TypeScript tests can compare fleet against Ansible without
Ansible installed.

usage: /usr/bin/python3 scripts/gen-files-fixtures.py [module ...]

Reads test/modules/files/cases/<module>.json, builds each case's tree in a temp dir, runs
every case's task `runs` times in one playbook (json callback), and writes
test/modules/files/fixtures/<module>.json with each run's result and the final tree.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, '..', 'test', 'modules', 'files', 'cases')
FIXTURES = os.path.join(HERE, '..', 'test', 'modules', 'files', 'fixtures')


def substitute(value, root, ctrl):
    if isinstance(value, str):
        return value.replace('@ROOT@', root).replace('@CTRL@', ctrl)
    if isinstance(value, list):
        return [substitute(v, root, ctrl) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, root, ctrl) for k, v in value.items()}
    return value


def normalize(value, root, ctrl):
    if isinstance(value, str):
        return value.replace(root, '@ROOT@').replace(ctrl, '@CTRL@')
    if isinstance(value, list):
        return [normalize(v, root, ctrl) for v in value]
    if isinstance(value, dict):
        return {normalize(k, root, ctrl): normalize(v, root, ctrl) for k, v in value.items()
                if k not in ('invocation', 'action') and not k.startswith('_ansible')}
    return value


def build_tree(base, entries):
    """Entries: {path, content|content_b64|dir|link|hardlink, mode?, owner?, mtime?}."""
    os.makedirs(base, exist_ok=True)
    for entry in entries:
        path = os.path.join(base, entry['path'])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if entry.get('dir'):
            os.makedirs(path, exist_ok=True)
        elif 'link' in entry:
            os.symlink(entry['link'], path)
        elif 'hardlink' in entry:
            os.link(os.path.join(base, entry['hardlink']), path)
        else:
            data = base64.b64decode(entry['content_b64']) if 'content_b64' in entry else entry.get('content', '').encode()
            with open(path, 'wb') as f:
                f.write(data)
        if 'mode' in entry:
            os.chmod(path, int(entry['mode'], 8))
        if 'owner' in entry:
            shutil.chown(path, entry['owner'], entry.get('group'))
        if 'uid' in entry:
            os.lchown(path, entry['uid'], entry.get('gid', -1))
        if 'mtime' in entry:
            os.utime(path, (entry['mtime'], entry['mtime']), follow_symlinks=False)


def snapshot(base):
    tree = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, base)
            st = os.lstat(path)
            item = {'mode': '%04o' % (st.st_mode & 0o7777)}
            if os.path.islink(path):
                item['type'] = 'link'
                item['target'] = os.readlink(path).replace(base, '@ROOT@')
                del item['mode']
            elif os.path.isdir(path):
                item['type'] = 'directory'
            else:
                item['type'] = 'file'
                with open(path, 'rb') as f:
                    data = f.read().replace(base.encode(), b'@ROOT@')
                item['content_b64'] = base64.b64encode(data).decode()
                item['nlink'] = st.st_nlink
                item['mtime'] = int(st.st_mtime)
            item['uid'] = st.st_uid
            item['gid'] = st.st_gid
            tree[rel] = item
    return tree


def run_module(module):
    with open(os.path.join(CASES, module + '.json')) as f:
        spec = json.load(f)
    work = tempfile.mkdtemp(prefix='fleet-fixtures-')
    try:
        tasks = []
        dirs = {}
        for case in spec['cases']:
            root = os.path.join(work, case['name'], 'host')
            ctrl = os.path.join(work, case['name'], 'ctrl')
            build_tree(root, case.get('setup', []))
            build_tree(ctrl, case.get('controller', []))
            dirs[case['name']] = (root, ctrl)
            for run in range(case.get('runs', 2)):
                task = {'name': '%s #%d' % (case['name'], run + 1),
                        case.get('module', spec['module']): substitute(case['args'], root, ctrl),
                        'ignore_errors': True}
                if case.get('check'):
                    task['check_mode'] = True
                if case.get('diff'):
                    task['diff'] = True
                if 'vars' in case:
                    task['vars'] = case['vars']
                tasks.append(task)
        playbook = os.path.join(work, 'play.yml')
        with open(playbook, 'w') as f:
            json.dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], f)
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='false')
        proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local',
                               '-e', 'ansible_python_interpreter=/usr/bin/python3', playbook],
                              cwd=work, env=env, capture_output=True, text=True)
        out = json.loads(proc.stdout)
        results = [t['hosts']['localhost'] for t in out['plays'][0]['tasks']]
        fixtures = {}
        index = 0
        for case in spec['cases']:
            root, ctrl = dirs[case['name']]
            runs = []
            for _ in range(case.get('runs', 2)):
                runs.append(normalize(results[index], root, ctrl))
                index += 1
            fixtures[case['name']] = {'runs': runs, 'tree': snapshot(root)}
        with open(os.path.join(FIXTURES, module + '.json'), 'w') as f:
            json.dump(fixtures, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write('\n')
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    names = sys.argv[1:] or sorted(n[:-5] for n in os.listdir(CASES) if n.endswith('.json'))
    for name in names:
        run_module(name)
        print('wrote fixtures for', name)
