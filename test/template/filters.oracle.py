"""Ground truth for test/template/filters*.test.ts and lookups*.test.ts.

Reads cases (JSON) on stdin and prints, for each, what Ansible 2.14's Jinja2 environment
returns: `repr()` of the result (generators listed, Markup and unsafe text as str) or the
exception's type and message. Run with Debian's /usr/bin/python3 (ansible + Jinja2 3.1.2).

A case is {"k": "f"|"t", "n": name, "v": value, "a": [args], "kw": {kwargs}}; values are
JSON with {"$f": x} for a float, {"$t": [...]} for a tuple, {"$d": [[k, v], ...]} for a
dict with non-string keys and {"$u": name} for an undefined variable.
"""
import json
import sys
import types

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from markupsafe import Markup

templar = Templar(loader=DataLoader(), variables={})
env = templar.environment


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if '$f' in v:
            return float(v['$f'])
        if '$t' in v:
            return tuple(decode(x) for x in v['$t'])
        if '$d' in v:
            return {decode(k): decode(x) for k, x in v['$d']}
        if '$u' in v:
            return env.undefined(name=v['$u'])
        return {k: decode(x) for k, x in v.items()}
    return v


def plain(v):
    if isinstance(v, (types.GeneratorType, map, filter, zip)):
        return [plain(x) for x in v]
    if isinstance(v, Markup) or isinstance(v, str):
        return str(v)
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, tuple) and type(v) is not tuple and not hasattr(v, '_fields'):
        return tuple(plain(x) for x in v)
    if isinstance(v, dict):
        return {plain(k): plain(x) for k, x in v.items()}
    return v


def run(case):
    context = env.from_string('').new_context({})
    value = decode(case.get('v'))
    args = decode(case.get('a', []))
    kwargs = decode(case.get('kw', {}))
    try:
        if case['k'] == 'f':
            result = env.call_filter(case['n'], value, args, kwargs, context=context)
        else:
            result = env.call_test(case['n'], value, args, kwargs, context=context)
        return {'ok': repr(plain(result))}
    except Exception as e:  # the message a template author would read
        return {'err': '%s: %s' % (type(e).__name__, e)}


print(json.dumps([run(c) for c in json.load(sys.stdin)], ensure_ascii=False))
