"""Ground truth for test/template/filters*.test.ts and lookups*.test.ts.

    /usr/bin/python3 test/template/filters.oracle.py test/template/filters_strings.test.ts ...

For each given test file, reads its cases (the JSON array after `const CASES: OracleCase[] =`
up to `// end of cases`), runs each through Ansible 2.14's Jinja2 environment (filters,
tests) or lookup plugins, and writes back every case's `want`: `repr()` of the result
(generators listed, Markup and unsafe text as str) the exception's type and message, or an undefined result's message.
Use Debian's /usr/bin/python3, which has ansible-core 2.14 and Jinja2 3.1.2.

A case is {"k": "f"|"t"|"l", "n": name, "v": value, "a": [args], "kw": {kwargs},
"vars": {variables}}; values are JSON with {"$f": x} for a float, {"$t": [...]} for a
tuple, {"$d": [[k, v], ...]} for a dict with non-string keys and {"$u": name} for an
undefined variable, {"$dt": "Y-m-d H:M:S"} for a datetime and {"$gt":
[grouper, list]} for a groupby tuple. Lookup files come from the file's `const FILES` object (path: text),
written to a temporary basedir whose path reads `<dir>` in results and variables
(`ansible_search_path` gives the lookups' search paths).
"""
import datetime
import json
import os
import re
import sys
import tempfile
import types

from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar
from jinja2.filters import _GroupTuple
from jinja2.runtime import Undefined
from markupsafe import Markup


def decode(env, v):
    if isinstance(v, list):
        return [decode(env, x) for x in v]
    if isinstance(v, dict):
        if '$f' in v:
            return float(v['$f'])
        if '$t' in v:
            return tuple(decode(env, x) for x in v['$t'])
        if '$d' in v:
            return {decode(env, k): decode(env, x) for k, x in v['$d']}
        if '$u' in v:
            return env.undefined(name=v['$u'])
        if '$dt' in v:
            return datetime.datetime.strptime(v['$dt'], '%Y-%m-%d %H:%M:%S')
        if '$gt' in v:
            return _GroupTuple(*decode(env, v['$gt']))
        return {k: decode(env, x) for k, x in v.items()}
    return v


def plain(v):
    if isinstance(v, (types.GeneratorType, map, filter, zip)):
        return [plain(x) for x in v]
    if isinstance(v, (Markup, str)):
        return str(v)
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, tuple) and type(v) is not tuple and not hasattr(v, '_fields'):
        return tuple(plain(x) for x in v)
    if isinstance(v, dict):
        return {plain(k): plain(x) for k, x in v.items()}
    return v


def run(case, basedir):
    loader = DataLoader()
    loader.set_basedir(basedir)
    env_vars = json.loads(json.dumps(case.get('vars', {})).replace('<dir>', basedir))
    templar = Templar(loader=loader, variables={})
    env = templar.environment
    variables = decode(env, env_vars)
    templar.available_variables = variables
    value = decode(env, case.get('v'))
    args = decode(env, case.get('a', []))
    kwargs = decode(env, case.get('kw', {}))
    try:
        if case['k'] == 'f':
            context = env.from_string('').new_context(variables)
            result = env.call_filter(case['n'], value, args, kwargs, context=context)
        elif case['k'] == 't':
            context = env.from_string('').new_context(variables)
            result = env.call_test(case['n'], value, args, kwargs, context=context)
        else:
            plugin = lookup_loader.get(case['n'], loader=loader, templar=templar)
            result = plugin.run(list(args), variables=variables, **kwargs)
        if isinstance(result, Undefined):
            return {'undefined': result._undefined_message}
        return {'ok': repr(plain(result)).replace(basedir, '<dir>')}
    except Exception as e:  # the message a template author reads
        return {'err': ('%s: %s' % (type(e).__name__, e)).replace(basedir, '<dir>')}


CASES = re.compile(r'(const CASES: OracleCase\[\] = )(\[.*?\]);( // end of cases)', re.S)
FILES = re.compile(r'const FILES: Record<string, string> = (\{.*?\});', re.S)


def update(path):
    source = open(path).read()
    cases = json.loads(CASES.search(source).group(2))
    files = FILES.search(source)
    with tempfile.TemporaryDirectory() as basedir:
        basedir = os.path.realpath(basedir)
        for name, text in (json.loads(files.group(1)) if files else {}).items():
            os.makedirs(os.path.dirname(os.path.join(basedir, name)), exist_ok=True)
            with open(os.path.join(basedir, name), 'w') as f:
                f.write(text)
        cwd = os.getcwd()
        os.chdir(basedir)
        try:
            for case in cases:
                case['want'] = run(case, basedir)
        finally:
            os.chdir(cwd)
    lines = ',\n'.join('  ' + json.dumps(c, ensure_ascii=False) for c in cases)
    source = CASES.sub(lambda m: m.group(1) + '[\n' + lines + '\n]' + ';' + m.group(3), source)
    open(path, 'w').write(source)


if __name__ == '__main__':
    for test_file in sys.argv[1:]:
        update(test_file)
