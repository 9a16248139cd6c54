#!/usr/bin/python3
"""Renders the template engine's own test cases with real Ansible 2.14 / Jinja2 3.1.2 and
writes test/template/engine.expected.json, which test/template/engine.test.ts checks fleet's
engine against (with a small local set of filters and tests, so the engine is tested on its
own). Run with Debian's interpreter:

    /usr/bin/python3 scripts/gen-engine-expected.py

Each case is (name, mode, template, variables) where mode is `template` (Templar.template),
`file` (the template module's rendering) or `conditional` (a task's `when:`), and variables
is a Python literal (so floats, tuples and None survive the trip to TypeScript).
"""
import ast
import json
import os
import warnings

warnings.filterwarnings('ignore')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, 'test', 'template', 'engine-fixtures')
os.environ['ANSIBLE_CONFIG'] = os.path.join(FIXTURES, 'ansible.cfg')

from ansible.errors import AnsibleError  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.playbook.conditional import Conditional  # noqa: E402
from ansible.template import AnsibleEnvironment, Templar  # noqa: E402

V = "{'n': 5, 'f': 2.5, 's': 'text', 'e': '', 'none': None, 't': True, 'l': [1, 2, 3], 'names': ['b', 'a', 'c'], " \
    "'d': {'a': 1, 'b': [1, 2]}, 'users': [{'name': 'ann', 'admin': True}, {'name': 'bob', 'admin': False}], " \
    "'tpl': '{{ n + 1 }}', 'tpl_list': '{{ [n, n] }}', 'broken': '{{ nope }}', 'nested': {'x': '{{ s }}'}, 'q': \"it's\"}"

CASES = [
    # literals and output conversion (ansible_eval_concat)
    ('int literal is text', 'template', '{{ 5 }}', V),
    ('float literal', 'template', '{{ 1.50 }}', V),
    ('exponent float', 'template', '{{ 1e3 }}', V),
    ('hex octal binary', 'template', '{{ 0x1F }},{{ 0o17 }},{{ 0b101 }},{{ 1_000 }}', V),
    ('string escapes doubled by ansible', 'template', "{{ 'a\\nb' }}", V),
    ('string escapes in statements kept', 'template', "{% set x = 'a\\tb' %}{{ x }}", V),
    ('adjacent strings concatenate', 'template', "{{ 'a' 'b' }}", V),
    ('unicode escape', 'template', "{{ '\\u00e9' }}", V),
    ('list literal becomes list', 'template', '{{ [1, "a", none, true] }}', V),
    ('dict literal becomes dict', 'template', "{{ {'k': [1.5, (1,)]} }}", V),
    ('tuple stays text', 'template', '{{ (1, 2) }}', V),
    ('implicit tuple', 'template', '{{ 1, 2 }}', V),
    ('bool literal', 'template', '{{ true }}', V),
    ('text True becomes bool', 'template', "{{ 'True' }}", V),
    ('padded True stays text', 'template', "{{ ' True' }}", V),
    ('json names become python', 'template', "{{ '[true, null, false]' }}", V),
    ('comment after list', 'template', "{{ '[1, 2] # c' }}", V),
    ('non literal list stays text', 'template', "{{ '[1, x]' }}", V),
    ('none renders empty', 'template', '{{ none }}', V),
    ('none inside text', 'template', 'a{{ none }}b', V),
    ('none in list prints None', 'template', '{{ [none] }}', V),
    ('single var int keeps type', 'template', '{{ n }}', V),
    ('single var float keeps type', 'template', '{{ f }}', V),
    ('single var none', 'template', '{{ none }}', V),
    ('single var bool', 'template', '{{t}}', V),
    ('single var spaces', 'template', '{{   n   }}', V),
    ('single var string', 'template', '{{ s }}', V),
    ('single var then newline keeps type', 'template', '{{ n }}\n', V),
    ('single var then two newlines', 'template', '{{ n }}\n\n', V),
    ('single var with filter converts', 'template', '{{ n | string }}', V),
    ('two nodes join', 'template', '{{ n }}{{ n }}', V),
    ('list var roundtrips', 'template', '{{ l }}', V),
    ('text around list', 'template', 'x{{ l }}', V),
    ('quote in string repr', 'template', '{{ [q] }}', V),
    ('trailing newline kept', 'template', '{{ s }}\n', V),
    ('two trailing newlines', 'template', "{{ 'x' }}\n\n", V),
    ('crlf kept', 'template', 'a\r\nb\r\n', V),
    ('plain string untouched', 'template', 'no template here', V),
    ('lone brace untouched', 'template', 'a { b } c', V),
    ('dict view unrolled', 'template', '{{ d.keys() }}', V),
    ('items unrolled', 'template', '{{ d.items() }}', V),
    ('range unrolled', 'template', '{{ range(3) }}', V),
    ('range inside text', 'template', 'r={{ range(1, 7, 2) }}', V),
    ('range in concat', 'template', "{{ range(3) ~ '' }}", V),
    ('to_json stays text', 'template', '{{ l | to_json }}', V),
    ('string filter stays text', 'template', '{{ l | string }}', V),
    ('string filter then more text', 'template', '{{ l | string }}{{ "" }}', V),
    # lazy variables
    ('lazy var templated', 'template', '{{ tpl }}', V),
    ('lazy var arithmetic', 'template', '{{ tpl | int + 1 }}', V),
    ('lazy list var', 'template', '{{ tpl_list + [1] }}', V),
    ('lazy nested', 'template', '{{ nested.x }}', V),
    ('lazy broken default', 'template', "{{ broken | default('fallback') }}", V),
    ('lazy broken used', 'template', '{{ broken }}', V),
    ('lazy broken is defined', 'template', '{{ broken is defined }}', V),
    # operators
    ('precedence', 'template', '{{ 1 + 2 * 3 - 4 / 2 }}', V),
    ('power binds to unary first', 'template', '{{ -2 ** 2 }}', V),
    ('floor div and mod', 'template', '{{ -7 // 2 }} {{ -7 % 3 }} {{ 7.5 // 2 }}', V),
    ('concat tilde', 'template', "{{ 1 ~ 'a' ~ none ~ [1] }}", V),
    ('tilde binds tighter than plus', 'template', "{{ 'a' ~ 1 + 2 }}", V),
    ('string repeat', 'template', "{{ 'ab' * 3 }}", V),
    ('list concat', 'template', '{{ l + [4] }}', V),
    ('chained comparison', 'template', '{{ 1 < n < 10 }} {{ 3 < 2 < 1 }}', V),
    ('in operator', 'template', "{{ 'a' in names }} {{ 'x' not in 'text' }} {{ 'a' in d }}", V),
    ('and or return operands', 'template', "{{ e or 'dflt' }}|{{ s and 0 }}", V),
    ('not precedence', 'template', '{{ not n == 5 }}', V),
    ('conditional expression', 'template', "{{ 'y' if n > 3 else 'n' }}", V),
    ('inline if without else', 'template', "[{{ 'y' if false }}]", V),
    ('filter binds tighter than minus', 'template', '{{ -n | abs }}', V),
    ('filter on parenthesized', 'template', '{{ (-n) | abs }}', V),
    ('int plus string error', 'template', "{{ 1 + 'a' }}", V),
    ('division by zero', 'template', '{{ 1 / 0 }}', V),
    ('compare str int error', 'template', "{{ 'a' < 1 }}", V),
    ('in string needs string', 'template', "{{ 1 in 'abc' }}", V),
    ('percent format', 'template', "{{ '%s-%03d-%.2f' % ('a', 7, 2.5) }}", V),
    ('str format method', 'template', "{{ '{}:{:>4}'.format(s, n) }}", V),
    # attribute and item access
    ('dot on dict', 'template', '{{ d.a }}', V),
    ('subscript on dict', 'template', "{{ d['b'][1] }}", V),
    ('dot number index', 'template', '{{ l.0 }}', V),
    ('negative index', 'template', '{{ l[-1] }}', V),
    ('slices', 'template', "{{ l[1:] }} {{ l[::-1] }} {{ s[1:3] }} {{ s[::2] }}", V),
    ('method beats key', 'template', "{{ {'items': 1}.items() | list }}", V),
    ('subscript finds method', 'template', "{{ d['keys']() | list }}", V),
    ('missing attribute', 'template', '{{ d.zzz }}', V),
    ('missing index', 'template', '{{ l[10] }}', V),
    ('missing key subscript', 'template', "{{ d['zzz'] }}", V),
    ('attribute of none', 'template', '{{ none.x }}', V),
    ('attribute of undefined', 'template', '{{ nope.x.y }}', V),
    ('undefined variable', 'template', '{{ nope }}', V),
    ('undefined in text', 'template', 'a {{ nope }} b', V),
    ('undefined plus one', 'template', '{{ nope + 1 }}', V),
    ('undefined in list output', 'template', '{{ [nope] }}', V),
    ('undefined default', 'template', "{{ nope | default('d') }}", V),
    ('undefined attr default', 'template', "{{ d.zzz | default('d') }}", V),
    ('is defined chain', 'template', '{{ nope.x is defined }} {{ d.a is defined }}', V),
    ('calling undefined', 'template', '{{ nope() }}', V),
    ('calling none', 'template', '{{ none() }}', V),
    ('undef global', 'template', "{{ undef('custom hint') }}", V),
    ('list append mutates copy', 'template', '{{ l.append(9) }}{{ l }}', V),
    ('list append then var again', 'template', '{{ l.append(9) }}{{ l | length }}', V),
    # statements
    ('if elif else', 'template', '{% if n > 10 %}a{% elif n > 3 %}b{% else %}c{% endif %}', V),
    ('for with loop vars', 'template', '{% for x in names %}{{ loop.index }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}', V),
    ('for else', 'template', '{% for x in [] %}x{% else %}empty{% endfor %}', V),
    ('for filter clause', 'template', '{% for u in users if u.admin %}{{ u.name }}{{ loop.length }}{% endfor %}', V),
    ('for unpack', 'template', '{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', V),
    ('for over dict', 'template', '{% for k in d %}{{ k }}{% endfor %}', V),
    ('for over string', 'template', '{% for c in s %}{{ c }}.{% endfor %}', V),
    ('for unpack error', 'template', '{% for a, b in [[1]] %}{% endfor %}', V),
    ('for over none', 'template', '{% for a in none %}{% endfor %}', V),
    ('loop cycle changed', 'template', "{% for x in [1, 1, 2] %}{{ loop.cycle('a', 'b') }}{{ loop.changed(x) }}{% endfor %}", V),
    ('loop previtem nextitem', 'template', "{% for x in l %}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }} {% endfor %}", V),
    ('nested loop depth', 'template', '{% for a in [1, 2] %}{% for b in [1] %}{{ loop.depth }}{{ a }}{% endfor %}{% endfor %}', V),
    ('recursive loop', 'template', "{% for i in [{'n': 1, 'c': [{'n': 2, 'c': []}]}] recursive %}<{{ i.n }}{{ loop(i.c) }}>{% endfor %}", V),
    ('loop outside for', 'template', '{{ loop }}', V),
    ('set in loop does not leak', 'template', "{% set x = 0 %}{% for i in l %}{{ x }}{% set x = i %}{% endfor %}|{{ x }}", V),
    ('set in if leaks', 'template', '{% if true %}{% set y = 5 %}{% endif %}{{ y }}', V),
    ('namespace counter', 'template', '{% set ns = namespace(c=0) %}{% for i in l %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}', V),
    ('set tuple', 'template', '{% set a, b = 1, 2 %}{{ a }}{{ b }}', V),
    ('set block', 'template', '{% set x %}<{{ n }}>{% endset %}{{ x }}', V),
    ('set block list literal', 'template', '{% set x %}[1, 2]{% endset %}{{ x | length }}', V),
    ('set block with filter', 'template', '{% set x | upper %}abc{% endset %}{{ x }}', V),
    ('macro defaults varargs kwargs', 'template', '{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 3, 4, k=5) }}', V),
    ('macro missing arg', 'template', '{% macro m(a) %}[{{ a | default("none") }}]{% endmacro %}{{ m() }}', V),
    ('macro too many args', 'template', '{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}', V),
    ('macro unknown kwarg', 'template', '{% macro m(a) %}{% endmacro %}{{ m(b=1) }}', V),
    ('macro default uses earlier arg', 'template', '{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(4) }}', V),
    ('macro returns list in eval mode', 'template', '{% macro m() %}[1, 2]{% endmacro %}{{ m() | length }}', V),
    ('macro sees later global', 'template', '{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}', V),
    ('macro does not see loop var', 'template', '{% macro m() %}{{ x }}{% endmacro %}{% set x = 3 %}{% for x in [9] %}{{ m() }}{% endfor %}', V),
    ('macro caller param without default', 'template', '{% macro m(caller) %}{{ caller }}{% endmacro %}{{ m(5) }}', V),
    ('macro varargs as parameter', 'template', '{% macro m(varargs) %}{{ varargs }}{% endmacro %}{{ m(5) }}', V),
    ('macro without caller called plainly', 'template', '{% macro m() %}[{{ caller() }}]{% endmacro %}{{ m() }}', V),
    ('omit is not the engine\'s', 'template', '{{ omit }}', V),
    ('call block', 'template', '{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inner{% endcall %}', V),
    ('call block with args', 'template', '{% macro m(v) %}{{ caller(v * 2) }}{% endmacro %}{% call(x) m(7) %}[{{ x }}]{% endcall %}', V),
    ('filter block', 'template', '{% filter upper %}abc{{ s }}{% endfilter %}', V),
    ('with block scope', 'template', "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a | default('n') }}", V),
    ('cycler and joiner', 'template', "{% set c = cycler('x', 'y') %}{% set j = joiner('+') %}{% for i in l %}{{ j() }}{{ c.next() }}{% endfor %}", V),
    ('dict global', 'template', "{{ dict(a=1, b='x') }}", V),
    ('raw block', 'template', '{% raw %}{{ not rendered }}{% endraw %}', V),
    ('comment removed', 'template', 'a{# comment #}b', V),
    ('print statement', 'template', '{% print n, s %}', V),
    ('unknown tag', 'template', '{% do l.append(1) %}', V),
    ('unclosed block', 'template', '{% if true %}x', V),
    ('unexpected end tag', 'template', '{% endfor %}', V),
    ('unclosed string', 'template', "{{ 'abc }}", V),
    ('bad token', 'template', '{{ 1 + }}', V),
    ('unknown filter', 'template', '{{ 1 | nosuchfilter }}', V),
    ('unknown filter in dead branch', 'template', '{% if false %}{{ 1 | nosuchfilter }}{% endif %}', V),
    ('unknown test', 'template', '{{ 1 is nosuchtest }}', V),
    ('test without parens', 'template', '{{ n is divisibleby 5 }} {{ n is not divisibleby(2) }}', V),
    ('test none and string', 'template', "{{ none is none }} {{ s is string }} {{ 1 is string }}", V),
    # whitespace control
    ('trim blocks', 'template', '{% if true %}\nyes\n{% endif %}\nend', V),
    ('minus strips', 'template', 'a  {%- if true -%}  b  {%- endif -%}  c', V),
    ('minus variable', 'template', 'a \n {{- n -}} \n b', V),
    ('plus keeps newline', 'template', '{% if true +%}\nyes{% endif %}', V),
    ('comment trims newline', 'template', 'a{# c #}\nb', V),
    # lookups
    ('lookup joins strings', 'template', "{{ lookup('items', ['a', 'b']) }}", V),
    ('lookup keeps non strings', 'template', "{{ lookup('items', [1, 2]) }}", V),
    ('lookup single non string', 'template', "{{ lookup('items', [1]) }}", V),
    ('lookup empty', 'template', "{{ lookup('items', []) }}", V),
    ('query is list', 'template', "{{ query('items', 'a') }}", V),
    ('wantlist', 'template', "{{ lookup('items', 'a', wantlist=True) }}", V),
    ('unknown lookup', 'template', "{{ lookup('nosuchlookup', 'x') }}", V),
    # the template module
    ('file trailing newline', 'file', 'port={{ n }}\n', V),
    ('file keeps text', 'file', '{{ [1, 2] }}', V),
    ('file none', 'file', 'a={{ none }}\n', V),
    ('file trim blocks', 'file', '{% for x in names %}\n{{ x }}\n{% endfor %}\n', V),
    ('file backslashes not doubled', 'file', "{{ 'a\\tb' }}", V),
    ('file set block stays text', 'file', '{% set x %}[1]{% endset %}{{ x }}', V),
    ('file override header', 'file', '#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n', V),
    ('file lstrip header', 'file', '#jinja2: lstrip_blocks: True\n  {% if true %}\nx\n  {% endif %}\n', V),
    ('file include', 'file', "{% include 'part.j2' %}|", V),
    ('file include sees locals', 'file', "{% for who in ['x'] %}{% include 'greet.j2' %}{% endfor %}", V),
    ('file import macro', 'file', "{% import 'macros.j2' as m %}{{ m.hello('z') }}", V),
    ('file from import', 'file', "{% from 'macros.j2' import hello as h %}{{ h('y') }}", V),
    ('file import no context', 'file', "{% import 'macros.j2' as m %}{{ m.show_n() }}", V),
    ('file import with context', 'file', "{% import 'macros.j2' as m with context %}{{ m.show_n() }}", V),
    ('file extends', 'file', "{% extends 'base.j2' %}{% block body %}child {{ super() }}{% endblock %}", V),
    ('file extends chain super with int', 'file', "{% extends 'child.j2' %}{% block body %}gc({{ super() }}){% endblock %}", V),
    ('file extends drops outside text', 'file', "before{% extends 'base.j2' %}after", V),
    ('file self block', 'file', '{% block a %}A{% endblock %}{% block b %}B{{ self.a() }}{% endblock %}', V),
    ('file scoped block sees loop', 'file', '{% for i in [1, 2] %}{% block loopy scoped %}{{ i }}{% endblock %}{% endfor %}', V),
    ('file unscoped block does not', 'file', "{% for i in [1, 2] %}{% block loopy %}{{ i | default('no') }}{% endblock %}{% endfor %}", V),
    ('file include first found', 'file', "{% include ['nosuch.j2', 'part.j2'] %}", V),
    ('file include without context', 'file', "{% include 'part.j2' without context %}", V),
    ('file from import missing name', 'file', "{% from 'macros.j2' import nosuch %}{{ nosuch }}", V),
    ('file from import private', 'file', "{% from 'macros.j2' import _private %}", V),
    ('file include missing', 'file', "{% include 'nosuch.j2' %}", V),
    ('file include ignore missing', 'file', "a{% include 'nosuch.j2' ignore missing %}b", V),
    # conditionals
    ('when bare var', 'conditional', 'n > 3', V),
    ('when string false is true', 'conditional', 's', V),
    ('when empty string var', 'conditional', 'e', V),
    ('when bool', 'conditional', True, V),
    ('when list all', 'conditional', ['n > 3', 'n < 4'], V),
    ('when templated', 'conditional', '{{ n > 3 }}', V),
    ('when undefined', 'conditional', 'nope', V),
    ('when is defined', 'conditional', 'nope is defined', V),
    ('when is not defined', 'conditional', 'nope is not defined', V),
    ('when undefined is undefined', 'conditional', 'nope is undefined', V),
    ('when attr undefined', 'conditional', 'd.zzz', V),
    ('when syntax error', 'conditional', 'n >', V),
]


def first_line(text):
    return text.split('\n', 1)[0]


def cause_of(error):
    seen = set()
    while isinstance(error, AnsibleError) and id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, 'orig_exc', None) or error.__cause__
        if inner is None and error.__context__ is not None:
            context_line = first_line(str(error.__context__))
            inner = error.__context__ if context_line and context_line in str(error) else None
        if inner is None or not first_line(str(inner)):
            break
        error = inner
    return error


def run(loader, mode, template, variables):
    templar = Templar(loader=loader, variables=variables)
    if mode == 'template':
        return templar.template(template)
    if mode == 'file':
        searchpath = [os.path.join(FIXTURES, 'templates'), FIXTURES]
        file_templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment, searchpath=searchpath,
                                                 newline_sequence='\n', trim_blocks=True, lstrip_blocks=False,
                                                 available_variables=variables)
        return file_templar.do_template(template, preserve_trailing_newlines=True, escape_backslashes=False)
    conditional = Conditional(loader=loader)
    conditional.when = template if isinstance(template, list) else [template]
    return conditional.evaluate_conditional(templar, variables)


def main():
    loader = DataLoader()
    loader.set_basedir(FIXTURES)
    out = []
    for name, mode, template, variables in CASES:
        case = {'name': name, 'mode': mode, 'template': template, 'vars': variables}
        try:
            result = run(loader, mode, template, ast.literal_eval(variables))
            case.update(ok=True, type=type(result).__name__ if type(result) in (str, int, float, bool, list, dict, tuple, type(None)) else
                        [c for c in type(result).__mro__ if c in (str, int, float, bool, list, dict, tuple)][0].__name__,
                        repr=repr(result if type(result) in (int, float, bool, list, dict, tuple, type(None)) else str(result)))
        except Exception as error:  # failures are results too
            cause = cause_of(error)
            case.update(ok=False, cause=type(cause).__name__, key=first_line(str(cause)))
        out.append(case)
    path = os.path.join(REPO, 'test', 'template', 'engine.expected.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('%d cases' % len(out))


if __name__ == '__main__':
    main()
