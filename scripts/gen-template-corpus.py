#!/usr/bin/python3
"""Renders every case of test/template/corpus/ with real Ansible and writes the results
to test/template/expected/<casefile>.json, the oracle fleet's template engine is tested
against (test/template/corpus.test.ts).

Run with Debian's interpreter, which has ansible-core 2.14 and Jinja2 3.1.2:

    /usr/bin/python3 scripts/gen-template-corpus.py

A case file is a YAML mapping: `vars` (optional, shared by every case of the file) and
`cases`, a list of `{ name, template, vars?, mode? }` where mode is `template` (the
default: Templar.template(value)), `file` (the template module rendering a file) or
`conditional` (a task's `when:`).
"""
import json
import os
import re
import sys

# Sets only ever come out of a few filters, but their order depends on string hashing;
# a fixed seed keeps the output identical from one run to the next.
if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED='0'))

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS_DIR = os.path.join(REPO, 'test', 'template', 'corpus')
EXPECTED_DIR = os.path.join(REPO, 'test', 'template', 'expected')
FIXTURES_DIR = os.path.join(REPO, 'test', 'template', 'fixtures')

# An empty config of our own, so an ansible.cfg in the working directory or in $HOME
# cannot change the results.
os.environ['ANSIBLE_CONFIG'] = os.path.join(FIXTURES_DIR, 'ansible.cfg')
# The environment the `env` lookup cases read; corpus.test.ts passes the same values.
with open(os.path.join(FIXTURES_DIR, 'env.json'), encoding='utf-8') as env_file:
    os.environ.update(json.load(env_file))

from ansible.errors import (  # noqa: E402 (needs the environment above)
    AnsibleError, AnsibleRuntimeError, AnsibleTemplateError, AnsibleUndefinedVariable)
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.playbook.conditional import Conditional  # noqa: E402
from ansible.template import AnsibleEnvironment, Templar  # noqa: E402

MODES = ('template', 'file', 'conditional')
BASE_TYPES = (bool, int, float, str, bytes, list, tuple, dict, set, frozenset, type(None))


def base_type(value):
    """The builtin type an Ansible wrapper (AnsibleUnsafeText, AnsibleMapping…) derives from."""
    for cls in type(value).__mro__:
        if cls in BASE_TYPES:
            return cls
    return None


def plain(value):
    """The same value built only from builtin types, so its repr has no wrapper names."""
    cls = base_type(value)
    if cls is None:
        return value
    if cls is str:
        return str.__str__(value)
    if cls in (bool, int, float, bytes):
        return cls(value)
    if cls in (list, tuple, set, frozenset):
        return cls(plain(item) for item in value)
    if cls is dict:
        return {plain(key): plain(item) for key, item in value.items()}
    return value


def json_value(value):
    """The value as JSON data, or None when JSON cannot hold it (non-str keys, NaN, bytes…)."""
    def check(v):
        if isinstance(v, dict):
            return all(isinstance(k, str) and check(x) for k, x in v.items())
        if isinstance(v, (list, tuple)):
            return all(check(x) for x in v)
        if isinstance(v, float):
            return v == v and v not in (float('inf'), float('-inf'))
        return v is None or isinstance(v, (str, int, bool))
    return value if check(value) else None


# Ansible errors that only wrap the error that happened (templating, conditionals); the
# filter, test and lookup errors (AnsibleFilterError…) are reports of their own.
WRAPPER_ERRORS = (AnsibleError, AnsibleRuntimeError, AnsibleTemplateError, AnsibleUndefinedVariable)


def python_cause(error):
    """The error under Ansible's wrapping that actually happened: follows orig_exc and
    `raise from`, and an exception raised while handling another only when its message
    repeats that other's (as the conditional checks do)."""
    seen = set()
    while type(error) in WRAPPER_ERRORS and id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, 'orig_exc', None) or error.__cause__
        if inner is None and error.__context__ is not None:
            context_line = first_line(str(error.__context__))
            inner = error.__context__ if context_line and context_line in str(error) else None
        if inner is None or not first_line(str(inner)):
            break
        error = inner
    return error


def first_line(text):
    return text.split('\n', 1)[0]


# Python and Jinja2 name a value's type in their messages (Jinja2 with its module path);
# these are Ansible's wrappers for values that are plain str/dict/list to fleet.
BASE_NAME_OF_WRAPPER = {
    'AnsibleUnicode': 'str', 'AnsibleUnsafeText': 'str', 'NativeJinjaText': 'str',
    'AnsibleMapping': 'dict', 'AnsibleSequence': 'list', 'AnsibleUnsafeBytes': 'bytes',
}
WRAPPER_TYPE_NAMES = re.compile(r'(?:ansible\.[\w.]+\.)?\b(%s)\b' % '|'.join(BASE_NAME_OF_WRAPPER))


def without_wrapper_names(text):
    return WRAPPER_TYPE_NAMES.sub(lambda m: BASE_NAME_OF_WRAPPER[m.group(1)], text)


def make_templar(loader, variables):
    return Templar(loader=loader, variables=variables)


def render_template(loader, value, variables):
    return make_templar(loader, variables).template(value)


def render_file(loader, text, variables):
    """What ansible/plugins/action/template.py does with the text of `src` (2.14 defaults)."""
    searchpath = []
    for path in (loader.get_basedir(),):
        searchpath += [os.path.join(path, 'templates'), path]
    templar = make_templar(loader, variables).copy_with_new_env(
        environment_class=AnsibleEnvironment,
        searchpath=searchpath,
        newline_sequence='\n',
        trim_blocks=True,
        lstrip_blocks=False,
        available_variables=variables,
    )
    return templar.do_template(text, preserve_trailing_newlines=True, escape_backslashes=False)


def evaluate_conditional(loader, when, variables):
    """A task's `when:` as ansible/playbook/conditional.py evaluates it (a scalar becomes a list)."""
    conditional = Conditional(loader=loader)
    conditional.when = when if isinstance(when, list) else [when]
    return conditional.evaluate_conditional(make_templar(loader, variables), variables)


RENDERERS = {'template': render_template, 'file': render_file, 'conditional': evaluate_conditional}


def run_case(loader, case, file_vars):
    variables = dict(file_vars)
    variables.update(case.get('vars') or {})
    mode = case.get('mode', 'template')
    try:
        result = RENDERERS[mode](loader, case['template'], variables)
    except Exception as error:  # the corpus records failures as results
        cause = python_cause(error)
        return {
            'name': case['name'],
            'ok': False,
            'error': type(error).__name__,
            'message': first_line(str(error)),
            'cause': type(cause).__name__,
            'key': without_wrapper_names(first_line(str(cause))),
        }
    value = plain(result)
    cls = base_type(result)
    outcome = {
        'name': case['name'],
        'ok': True,
        'type': cls.__name__ if cls else type(result).__name__,
        'repr': repr(value),
    }
    json_data = json_value(value)
    if json_data is not None or value is None:
        outcome['json'] = json_data
    return outcome


def check_case_file(path, data):
    if not isinstance(data, dict) or not isinstance(data.get('cases'), list):
        sys.exit('%s: expected a mapping with a `cases` list' % path)
    names = set()
    for case in data['cases']:
        if not isinstance(case, dict) or not isinstance(case.get('name'), str) or 'template' not in case:
            sys.exit('%s: every case needs a string `name` and a `template`: %r' % (path, case))
        if case['name'] in names:
            sys.exit('%s: duplicate case name %r' % (path, case['name']))
        if case.get('mode', 'template') not in MODES:
            sys.exit('%s: %r: mode must be one of %s' % (path, case['name'], ', '.join(MODES)))
        names.add(case['name'])


def main():
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    total = 0
    for file_name in sorted(os.listdir(CORPUS_DIR)):
        if not file_name.endswith('.yml'):
            continue
        # A fresh loader per file: lookups start from the fixtures directory, as
        # corpus.test.ts passes it as the basedir.
        loader = DataLoader()
        loader.set_basedir(FIXTURES_DIR)
        path = os.path.join(CORPUS_DIR, file_name)
        data = loader.load_from_file(path)
        check_case_file(path, data)
        results = [run_case(loader, case, data.get('vars') or {}) for case in data['cases']]
        out_path = os.path.join(EXPECTED_DIR, file_name[:-len('.yml')] + '.json')
        with open(out_path, 'w', encoding='utf-8') as out:
            json.dump(results, out, indent=1, ensure_ascii=False)
            out.write('\n')
        total += len(results)
        print('%-24s %4d cases' % (file_name, len(results)))
    print('%-24s %4d cases' % ('total', total))


if __name__ == '__main__':
    main()
