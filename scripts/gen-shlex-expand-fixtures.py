#!/usr/bin/python3
"""Records Python's shlex.split and os.path.expanduser(os.path.expandvars(...)) over a corpus.

    /usr/bin/python3 scripts/gen-shlex-expand-fixtures.py

Writes test/modules/system/fixtures/shlex-expand.json. Expansion runs with the environment
given in the corpus (ENV below), the same one the fleet test gives its shell.
"""
import json
import os
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {'HOME': '/home/fleet//', 'FOO': 'bar baz', 'EMPTY': '', 'TILDE': '~root', 'DOLLAR': '$FOO', 'PATH': '/usr/bin:/bin'}
SPLIT = [
    'a b  c', "a 'b c' d", 'a "b c" d', 'a\\ b', "it'\"'\"'s", 'x"a\\"b"y', '"a\\\\b"', '"a\\nb"', "'a\\nb'",
    'a#b # c', '""', "''", 'a""b', 'tab\there', 'new\nline', ' lead trail ', 'ünï "cødé ☃"', '$(id) `id` ; |',
    'a\\', '"unclosed', "'unclosed", 'a"b c"d',
]
EXPAND = [
    '$HOME', '${HOME}', '~', '~/x', '~root', '~root/x', '~nosuchuser/x', '$FOO/$EMPTY/$NOPE', '${FOO}x${NOPE}',
    '$', '$$', '${', '${}', '$1', '${a b}', 'a$FOO$FOO', '$TILDE/x', '$DOLLAR', '~$FOO', 'x~', '$HOME~',
    'ünï$FOO', '$FOO-$FOO_x', '~/', '~root/', "'$FOO'", '"$FOO"',
]


def split(text):
    try:
        return {'tokens': shlex.split(text)}
    except ValueError as err:
        return {'error': str(err)}


def main():
    os.environ.clear()
    os.environ.update(ENV)
    fixture = {
        'env': ENV,
        'split': [dict(text=text, **split(text)) for text in SPLIT],
        'expand': [{'text': text, 'result': os.path.expanduser(os.path.expandvars(text))} for text in EXPAND],
    }
    with open(os.path.join(ROOT, 'test/modules/system/fixtures/shlex-expand.json'), 'w') as handle:
        json.dump(fixture, handle, indent=1, ensure_ascii=False)
        handle.write('\n')


if __name__ == '__main__':
    main()
