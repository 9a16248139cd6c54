// Expected values were produced by /usr/bin/python3 (CPython 3.11) evaluating the Python
// expression in each case's title; regenerate them the same way when adding cases.
import { describe, expect, it } from 'vitest';
import * as p from '../../src/template/python/index.js';
import { PyDict, PyFloat, PyTuple, type PyKey, type PyValue } from '../../src/template/values.js';

const f = (x: number): PyFloat => new PyFloat(x);
const t = (...items: PyValue[]): PyTuple => new PyTuple(items);
const d = (entries: [PyKey, PyValue][]): PyDict => new PyDict(entries);
const kw = (entries: [string, PyValue][]): Map<string, PyValue> => new Map(entries);
const m = (self: PyValue, name: string, ...args: PyValue[]): PyValue => p.callMethod(self, name, args);
const mk = (self: PyValue, name: string, args: PyValue[], kwargs: [string, PyValue][]): PyValue =>
  p.callMethod(self, name, args, new Map(kwargs));

/** What Python printed: ['ok', repr(result)] or ['err', exception class, str(exception)]. */
function run(thunk: () => unknown): string[] {
  try {
    return ['ok', p.pyRepr(thunk() as PyValue)];
  } catch (e) {
    if (e instanceof p.PyError) return ['err', e.pyName, e.message];
    throw e;
  }
}

const cases: [string, () => unknown, string[]][] = [
  ["repr(\"it's\")", () => p.pyRepr("it's"), ["ok", "'\"it\\'s\"'"]],
  ["repr('a\"b\\'c')", () => p.pyRepr('a"b\'c'), ["ok", "'\\'a\"b\\\\\\'c\\''"]],
  ["repr('\\x00\\n\\t\\\\\\x7f\\u200b\\xa0\u00e9\\U0001F600')", () => p.pyRepr('\x00\n\t\\\x7f\u200b\xa0é\u{1F600}'), ["ok", "\"'\\\\x00\\\\n\\\\t\\\\\\\\\\\\x7f\\\\u200b\\\\xa0é😀'\""]],
  ["ascii('\u00e9\\U0001F600')", () => p.pyRepr('é\u{1F600}', true), ["ok", "\"'\\\\xe9\\\\U0001f600'\""]],
  ["repr([1e16, 1e15, 0.0001, 1e-5, -0.0, 0.1, 1/3, 2.5, 1e100, 123456789012345678.0, 5e-324, 1.7976931348623157e308])", () => p.pyRepr([f(1e16), f(1e15), f(0.0001), f(1e-5), f(-0), f(0.1), f(1/3), f(2.5), f(1e100), f(123456789012345678.0), f(5e-324), f(1.7976931348623157e308)]), ["ok", "'[1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, 0.1, 0.3333333333333333, 2.5, 1e+100, 1.2345678901234568e+17, 5e-324, 1.7976931348623157e+308]'"]],
  ["repr([float('inf'), float('-inf'), float('nan')])", () => p.pyRepr([f(Infinity), f(-Infinity), f(NaN)]), ["ok", "'[inf, -inf, nan]'"]],
  ["repr([1, 'a', True, None])", () => p.pyRepr([1, 'a', true, null]), ["ok", "\"[1, 'a', True, None]\""]],
  ["repr({'k': 'v', 1: [(1,), ()]})", () => p.pyRepr(d([['k', 'v'], [1, [t(1), t()]]])), ["ok", "\"{'k': 'v', 1: [(1,), ()]}\""]],
  ["repr(2**70)", () => p.pyRepr(2 ** 70), ["ok", "'1180591620717411303424'"]],
  ["str(1.0) + str(None) + str(True) + str([1.5, 'x'])", () => p.pyStr(f(1)) + p.pyStr(null) + p.pyStr(true) + p.pyStr([f(1.5), 'x']), ["ok", "\"1.0NoneTrue[1.5, 'x']\""]],
  ["[type(x).__name__ for x in ['', 1, 1.0, True, None, [], {}, ()]]", () => ['', 1, f(1), true, null, [], d([]), t()].map(p.pyTypeName), ["ok", "['str', 'int', 'float', 'bool', 'NoneType', 'list', 'dict', 'tuple']"]],
  ["[bool(x) for x in ['', 'a', 0, 0.0, 1, [], [0], {}, (), None, False]]", () => ['', 'a', 0, f(0), 1, [], [0], d([]), t(), null, false].map(p.pyTruthy), ["ok", "[False, True, False, False, True, False, True, False, False, False, False]"]],
  ["[1 == 1.0, 1 == True, 0 == False, 'a' == 'a', [1, 2] == [1.0, 2], (1,) == [1], {'a': 1} == {'a': 1.0}, None == 0, 'a' < 'b', [1, 2] < [1, 3], (1, 'a') < (1, 'b'), 2 <= 2.0]", () => [p.pyEquals(1, f(1)), p.pyEquals(1, true), p.pyEquals(0, false), p.pyEquals('a', 'a'), p.pyEquals([1, 2], [f(1), 2]), p.pyEquals(t(1), [1]), p.pyEquals(d([['a', 1]]), d([['a', f(1)]])), p.pyEquals(null, 0), p.pyCompareOp('<', 'a', 'b'), p.pyCompareOp('<', [1, 2], [1, 3]), p.pyCompareOp('<', t(1, 'a'), t(1, 'b')), p.pyCompareOp('<=', 2, f(2))], ["ok", "[True, True, True, True, True, False, True, False, True, True, True, True]"]],
  ["1 < 'a'", () => p.pyCompareOp('<', 1, 'a'), ["err", "TypeError", "'<' not supported between instances of 'int' and 'str'"]],
  ["None < 1", () => p.pyCompareOp('<', null, 1), ["err", "TypeError", "'<' not supported between instances of 'NoneType' and 'int'"]],
  ["sorted(['b', 'a', 'C'])", () => ['b', 'a', 'C'].sort(p.pyCompare), ["ok", "['C', 'a', 'b']"]],
  ["{1: 'a', 1.0: 'b', True: 'c'}", () => (() => { const x = d([]); p.dictSet(x, 1, 'a'); p.dictSet(x, f(1), 'b'); p.dictSet(x, true, 'c'); return x; })(), ["ok", "{1: 'c'}"]],
  ["{[1]: 1}", () => p.toKey([1]), ["err", "TypeError", "unhashable type: 'list'"]],
  ["[7 + 2, 7 - 2.5, 7 * 2, 7 / 2, 4 / 2, 7 // 2, -7 // 2, 7 // -2, -7 % 3, 7 % -3, 7.5 // 2, -7.5 // 2, -7.5 % 2, 7.5 % -2, 2 ** 10, 2 ** -1, 2.0 ** 3, True + True, -True, 3 % 3, -3 % 3]", () => [p.pyAdd(7, 2), p.pySub(7, f(2.5)), p.pyMul(7, 2), p.pyTrueDiv(7, 2), p.pyTrueDiv(4, 2), p.pyFloorDiv(7, 2), p.pyFloorDiv(-7, 2), p.pyFloorDiv(7, -2), p.pyMod(-7, 3), p.pyMod(7, -3), p.pyFloorDiv(f(7.5), 2), p.pyFloorDiv(f(-7.5), 2), p.pyMod(f(-7.5), 2), p.pyMod(f(7.5), -2), p.pyPow(2, 10), p.pyPow(2, -1), p.pyPow(f(2), 3), p.pyAdd(true, true), p.pyNeg(true), p.pyMod(3, 3), p.pyMod(-3, 3)], ["ok", "[9, 4.5, 14, 3.5, 2.0, 3, -4, -4, 2, -2, 3.0, -4.0, 0.5, -0.5, 1024, 0.5, 8.0, 2, -1, 0, 0]"]],
  ["['ab' + 'c', 'ab' * 3, 3 * 'ab', 'x' * -1, [1] + [2], [1, 2] * 2, (1,) + (2,), (0,) * 3]", () => [p.pyAdd('ab', 'c'), p.pyMul('ab', 3), p.pyMul(3, 'ab'), p.pyMul('x', -1), p.pyAdd([1], [2]), p.pyMul([1, 2], 2), p.pyAdd(t(1), t(2)), p.pyMul(t(0), 3)], ["ok", "['abc', 'ababab', 'ababab', '', [1, 2], [1, 2, 1, 2], (1, 2), (0, 0, 0)]"]],
  ["1 + 'a'", () => p.pyAdd(1, 'a'), ["err", "TypeError", "unsupported operand type(s) for +: 'int' and 'str'"]],
  ["'a' + 1", () => p.pyAdd('a', 1), ["err", "TypeError", "can only concatenate str (not \"int\") to str"]],
  ["[1] + 'a'", () => p.pyAdd([1], 'a'), ["err", "TypeError", "can only concatenate list (not \"str\") to list"]],
  ["'a' * 'b'", () => p.pyMul('a', 'b'), ["err", "TypeError", "can't multiply sequence by non-int of type 'str'"]],
  ["{} + {}", () => p.pyAdd(d([]), d([])), ["err", "TypeError", "unsupported operand type(s) for +: 'dict' and 'dict'"]],
  ["-'a'", () => p.pyNeg('a'), ["err", "TypeError", "bad operand type for unary -: 'str'"]],
  ["1 / 0", () => p.pyTrueDiv(1, 0), ["err", "ZeroDivisionError", "division by zero"]],
  ["1.0 / 0", () => p.pyTrueDiv(f(1), 0), ["err", "ZeroDivisionError", "float division by zero"]],
  ["1 // 0", () => p.pyFloorDiv(1, 0), ["err", "ZeroDivisionError", "integer division or modulo by zero"]],
  ["1 % 0", () => p.pyMod(1, 0), ["err", "ZeroDivisionError", "integer modulo by zero"]],
  ["0 ** -1", () => p.pyPow(0, -1), ["err", "ZeroDivisionError", "0.0 cannot be raised to a negative power"]],
  ["'%s %d %05.2f %r %x %-5s| %+d %e %g %g %.0f %.0f %#o %X %5.1s| %c%c %% %i %.3d' % ('a', 3.7, 3.14159, 'x', 255, 'ab', 5, 12345.678, 0.00001234, 123456789.0, 0.5, 2.5, 8, 255, 'xyz', 65, 'z', True, 7)", () => p.percentFormat('%s %d %05.2f %r %x %-5s| %+d %e %g %g %.0f %.0f %#o %X %5.1s| %c%c %% %i %.3d', t('a', f(3.7), f(3.14159), 'x', 255, 'ab', 5, f(12345.678), f(0.00001234), f(123456789.0), f(0.5), f(2.5), 8, 255, 'xyz', 65, 'z', true, 7)), ["ok", "\"a 3 03.14 'x' ff ab   | +5 1.234568e+04 1.234e-05 1.23457e+08 0 2 0o10 FF     x| Az % 1 007\""]],
  ["'%(name)s is %(age)03d' % {'name': 'bob', 'age': 3}", () => p.percentFormat('%(name)s is %(age)03d', d([['name', 'bob'], ['age', 3]])), ["ok", "'bob is 003'"]],
  ["'%s' % [1, 2]", () => p.percentFormat('%s', [1, 2]), ["ok", "'[1, 2]'"]],
  ["'%s|%s' % ({'a': 1}, None)", () => p.percentFormat('%s|%s', t(d([['a', 1]]), null)), ["ok", "\"{'a': 1}|None\""]],
  ["'%.2f %.1f %.3f %f %.10f %.2e %g' % (1.005, 0.25, 2.0005, 1e22, 0.1, 9.995, 100000.0)", () => p.percentFormat('%.2f %.1f %.3f %f %.10f %.2e %g', t(f(1.005), f(0.25), f(2.0005), f(1e22), f(0.1), f(9.995), f(100000))), ["ok", "'1.00 0.2 2.001 10000000000000000000000.000000 0.1000000000 9.99e+00 100000'"]],
  ["'%d' % 'x'", () => p.percentFormat('%d', 'x'), ["err", "TypeError", "%d format: a real number is required, not str"]],
  ["'%s %s' % (1,)", () => p.percentFormat('%s %s', t(1)), ["err", "TypeError", "not enough arguments for format string"]],
  ["'%s' % (1, 2)", () => p.percentFormat('%s', t(1, 2)), ["err", "TypeError", "not all arguments converted during string formatting"]],
  ["'{} {name} {:>8.3f} {:,} {:08.2f} {!r} {:^9}|{:x}|{:#b}|{:e}|{:.2%}|{:+}|{:.3}|{}|{:*<6}|{:=+7}|{:.2s}|{}|{:5}|{:5}|{:g}|{:_x}'.format(1, 3.14159, 1234567, -3.14159, 'x', 'mid', 255, 5, 1234.5, 0.256, 7, 1234.5, 1e16, 'ab', 42, 'hello', 2.0, 'ab', 3, 0.0001, 65535, name='N')", () => p.strFormat('{} {name} {:>8.3f} {:,} {:08.2f} {!r} {:^9}|{:x}|{:#b}|{:e}|{:.2%}|{:+}|{:.3}|{}|{:*<6}|{:=+7}|{:.2s}|{}|{:5}|{:5}|{:g}|{:_x}', [1, f(3.14159), 1234567, f(-3.14159), 'x', 'mid', 255, 5, f(1234.5), f(0.256), 7, f(1234.5), f(1e16), 'ab', 42, 'hello', f(2), 'ab', 3, f(0.0001), 65535], kw([['name', 'N']])), ["ok", "\"1 N    3.142 1,234,567 -0003.14 'x'    mid   |ff|0b101|1.234500e+03|25.60%|+7|1.23e+03|1e+16|ab****|+    42|he|2.0|ab   |    3|0.0001|ffff\""]],
  ["'{0}-{1}-{0} {a[k]} {b[1]} {:{w}}|'.format('x', 'y', a={'k': 'v'}, b=[5, 6], w=4)", () => p.strFormat('{0}-{1}-{0} {a[k]} {b[1]} {:{w}}|', ['x', 'y'], kw([['a', d([['k', 'v']])], ['b', [5, 6]], ['w', 4]])), ["err", "ValueError", "cannot switch from manual field specification to automatic field numbering"]],
  ["'{0}'.format()", () => p.strFormat('{0}', [], kw([])), ["err", "IndexError", "Replacement index 0 out of range for positional args tuple"]],
  ["'{}{0}'.format(1)", () => p.strFormat('{}{0}', [1], kw([])), ["err", "ValueError", "cannot switch from automatic field numbering to manual field specification"]],
  ["'{:d}'.format(None)", () => p.strFormat('{:d}', [null], kw([])), ["err", "TypeError", "unsupported format string passed to NoneType.__format__"]],
  ["'{:>5}{:d}'.format(True, True)", () => p.strFormat('{:>5}{:d}', [true, true], kw([])), ["ok", "'    11'"]],
  ["['a,b,,c'.split(','), '  a  b c '.split(), '  a  b c '.split(None, 1), 'a,b,c'.split(',', 1), 'a,b,c'.rsplit(',', 1), ' a b  c '.rsplit(None, 1), 'a\\nb\\r\\nc\\n'.splitlines(), 'a\\nb\\n'.splitlines(True), ''.split(), ''.split(',')]", () => [m('a,b,,c', 'split', ','), m('  a  b c ', 'split'), m('  a  b c ', 'split', null, 1), m('a,b,c', 'split', ',', 1), m('a,b,c', 'rsplit', ',', 1), m(' a b  c ', 'rsplit', null, 1), m('a\nb\r\nc\n', 'splitlines'), m('a\nb\n', 'splitlines', true), m('', 'split'), m('', 'split', ',')], ["ok", "[['a', 'b', '', 'c'], ['a', 'b', 'c'], ['a', 'b c '], ['a', 'b,c'], ['a,b', 'c'], [' a b', 'c'], ['a', 'b', 'c'], ['a\\n', 'b\\n'], [], ['']]"]],
  ["['  x y  '.strip(), 'xxhixx'.strip('x'), '  a'.lstrip(), 'a  \\n'.rstrip(), \"they're bill's 1st\".title(), 'hELLO wORLD'.capitalize(), 'aXb'.swapcase(), 'aaa'.replace('a', 'b', 2), 'ab'.replace('', '-'), 'Hello'.lower(), 'Hello'.upper()]", () => [m('  x y  ', 'strip'), m('xxhixx', 'strip', 'x'), m('  a', 'lstrip'), m('a  \n', 'rstrip'), m("they're bill's 1st", 'title'), m('hELLO wORLD', 'capitalize'), m('aXb', 'swapcase'), m('aaa', 'replace', 'a', 'b', 2), m('ab', 'replace', '', '-'), m('Hello', 'lower'), m('Hello', 'upper')], ["ok", "['x y', 'hi', 'a', 'a', \"They'Re Bill'S 1St\", 'Hello world', 'AxB', 'bba', '-a-b-', 'hello', 'HELLO']"]],
  ["['abcabc'.find('c'), 'abcabc'.rfind('c'), 'abc'.find('z'), 'abcabc'.find('b', 2), 'abcabc'.index('c'), 'abcabc'.count('bc'), 'abc'.count(''), 'abc'.startswith('ab'), 'abc'.startswith(('x', 'a')), 'abc'.endswith('bc'), 'abc'.startswith('b', 1)]", () => [m('abcabc', 'find', 'c'), m('abcabc', 'rfind', 'c'), m('abc', 'find', 'z'), m('abcabc', 'find', 'b', 2), m('abcabc', 'index', 'c'), m('abcabc', 'count', 'bc'), m('abc', 'count', ''), m('abc', 'startswith', 'ab'), m('abc', 'startswith', t('x', 'a')), m('abc', 'endswith', 'bc'), m('abc', 'startswith', 'b', 1)], ["ok", "[2, 5, -1, 4, 2, 2, 4, True, True, True, True]"]],
  ["['123'.isdigit(), '12a'.isdigit(), ''.isdigit(), 'abc'.isalpha(), 'ab1'.isalnum(), ' \\t'.isspace(), 'abc'.islower(), 'ABC1'.isupper(), 'Hello World'.istitle(), '-42'.zfill(6), 'ab'.center(7, '*'), 'abc'.center(6), 'ab'.ljust(4) + '|', 'ab'.rjust(4, '0'), 'a=b=c'.partition('='), 'a=b=c'.rpartition('='), 'x'.partition(':')]", () => [m('123', 'isdigit'), m('12a', 'isdigit'), m('', 'isdigit'), m('abc', 'isalpha'), m('ab1', 'isalnum'), m(' \t', 'isspace'), m('abc', 'islower'), m('ABC1', 'isupper'), m('Hello World', 'istitle'), m('-42', 'zfill', 6), m('ab', 'center', 7, '*'), m('abc', 'center', 6), p.pyAdd(m('ab', 'ljust', 4), '|'), m('ab', 'rjust', 4, '0'), m('a=b=c', 'partition', '='), m('a=b=c', 'rpartition', '='), m('x', 'partition', ':')], ["ok", "[True, False, False, True, True, True, True, True, True, '-00042', '***ab**', ' abc  ', 'ab  |', '00ab', ('a', '=', 'b=c'), ('a=b', '=', 'c'), ('x', '', '')]"]],
  ["[', '.join(['a', 'b']), '-'.join('xyz'), 'a\\tb'.expandtabs(4), 'prefix-x'.removeprefix('prefix-'), 'x.txt'.removesuffix('.txt'), '{}+{}'.format(1, 2.5)]", () => [m(', ', 'join', ['a', 'b']), m('-', 'join', 'xyz'), m('a\tb', 'expandtabs', 4), m('prefix-x', 'removeprefix', 'prefix-'), m('x.txt', 'removesuffix', '.txt'), m('{}+{}', 'format', 1, f(2.5))], ["ok", "['a, b', 'x-y-z', 'a   b', 'x', 'x', '1+2.5']"]],
  ["','.join([1, 2])", () => m(',', 'join', [1, 2]), ["err", "TypeError", "sequence item 0: expected str instance, int found"]],
  ["'a'.split('')", () => m('a', 'split', ''), ["err", "ValueError", "empty separator"]],
  ["'abc'.index('z')", () => m('abc', 'index', 'z'), ["err", "ValueError", "substring not found"]],
  ["(lambda l: (l.append(4), l.extend([5]), l.insert(0, 0), l.pop(), l.pop(0), l.index(2), l.count(1), l.remove(1), l.reverse(), l)[-1])([1, 2, 3])", () => ((l: PyValue[]) => { m(l, 'append', 4); m(l, 'extend', [5]); m(l, 'insert', 0, 0); m(l, 'pop'); m(l, 'pop', 0); m(l, 'index', 2); m(l, 'count', 1); m(l, 'remove', 1); m(l, 'reverse'); return l; })([1, 2, 3]), ["ok", "[4, 3, 2]"]],
  ["[].index(1)", () => m([], 'index', 1), ["err", "ValueError", "1 is not in list"]],
  ["[].pop()", () => m([], 'pop'), ["err", "IndexError", "pop from empty list"]],
  ["(lambda x: (x.sort(), x)[1])([3, 1, 2])", () => ((x: PyValue[]) => { m(x, 'sort'); return x; })([3, 1, 2]), ["ok", "[1, 2, 3]"]],
  ["(lambda x: (x.sort(reverse=True), x)[1])(['b', 'c', 'a'])", () => ((x: PyValue[]) => { mk(x, 'sort', [], [['reverse', true]]); return x; })(['b', 'c', 'a']), ["ok", "['c', 'b', 'a']"]],
  ["(lambda x: [list(x.items()), list(x.keys()), list(x.values()), x.get('a'), x.get('z'), x.get('z', 0), x.setdefault('c', 3), x.pop('a'), x.update({'d': 4}, e=5), x])({'a': 1, 'b': 2})", () => ((x: PyDict) => [p.pyIterable(m(x, 'items')), p.pyIterable(m(x, 'keys')), p.pyIterable(m(x, 'values')), m(x, 'get', 'a'), m(x, 'get', 'z'), m(x, 'get', 'z', 0), m(x, 'setdefault', 'c', 3), m(x, 'pop', 'a'), mk(x, 'update', [d([['d', 4]])], [['e', 5]]), x])(d([['a', 1], ['b', 2]])), ["ok", "[[('a', 1), ('b', 2)], ['a', 'b'], [1, 2], 1, None, 0, 3, 1, None, {'b': 2, 'c': 3, 'd': 4, 'e': 5}]"]],
  ["[{'a': 1}.items(), {'a': 1}.keys(), {'a': 1}.values()]", () => [m(d([['a', 1]]), 'items'), m(d([['a', 1]]), 'keys'), m(d([['a', 1]]), 'values')], ["ok", "[dict_items([('a', 1)]), dict_keys(['a']), dict_values([1])]"]],
  ["{}.pop('x')", () => m(d([]), 'pop', 'x'), ["err", "KeyError", "'x'"]],
];

describe('Python semantics match CPython', () => {
  it.each(cases)('%s', (_python, thunk, expected) => {
    expect(run(thunk)).toEqual(expected);
  });
});
