import { PyError, pyIterable, pyTypeName, typeError } from '../python/index.js';
import type { Filter } from '../registry.js';
import { PyTuple, type PyValue } from '../values.js';
import { filterTypeError, isStrValue, text } from './common.js';
import { pyGlob } from './glob.js';
import {
  ntSplit,
  ntSplitdrive,
  posixBasename,
  posixDirname,
  posixExpanduser,
  posixExpandvars,
  posixPathJoin,
  posixRealpath,
  posixRelpath,
  posixSplitext,
} from './posixpath.js';
import { bind } from './signature.js';
import { statSync } from 'node:fs';

/**
 * Controller path filters (lib/ansible/plugins/filter/core.py): Python's os.path
 * functions applied to the value, relative paths taken from the controller's cwd.
 */

/** `os.fspath`: only text is a path. */
function fspath(v: PyValue | undefined): string {
  if (v !== undefined && isStrValue(v)) return text(v);
  throw typeError(`expected str, bytes or os.PathLike object, not ${v === undefined ? 'NoneType' : pyTypeName(v)}`);
}

const onePath =
  (name: string, fn: (p: string) => PyValue): Filter =>
  (_env, value, call) => {
    bind({ name, params: ['p'] }, value, call);
    return fn(fspath(value));
  };

const relpath: Filter = (_env, value, call) => {
  const b = bind({ name: 'relpath', params: ['path', 'start='] }, value, call);
  const start = b.values.get('start');
  const path = fspath(value);
  if (path === '') throw new PyError('ValueError', 'no path specified');
  return posixRelpath(path, start === undefined || start === null ? '.' : fspath(start), process.cwd());
};

const pathJoin: Filter = (_env, value, call) => {
  bind({ name: 'path_join', params: ['paths'] }, value, call);
  if (isStrValue(value)) return text(value);
  if (!(Array.isArray(value) || value instanceof PyTuple)) {
    throw filterTypeError(`|path_join expects string or sequence, got <class '${pyTypeName(value)}'> instead.`);
  }
  const parts = pyIterable(value).map(fspath);
  if (parts.length === 0) throw typeError('join() missing 1 required positional argument: \'a\'');
  return posixPathJoin(parts[0] ?? '', ...parts.slice(1));
};

const fileglob: Filter = (_env, value, call) => {
  bind({ name: 'fileglob', params: ['pathname'] }, value, call);
  return pyGlob(fspath(value)).filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
};

export const pathFilters: Record<string, Filter> = {
  basename: onePath('basename', posixBasename),
  dirname: onePath('dirname', posixDirname),
  splitext: onePath('splitext', (p) => new PyTuple(posixSplitext(p))),
  realpath: onePath('realpath', (p) => posixRealpath(p, process.cwd())),
  relpath,
  expanduser: (env, value, call) => {
    bind({ name: 'expanduser', params: ['path'] }, value, call);
    return posixExpanduser(fspath(value), env.lookupContext.env.HOME);
  },
  expandvars: (env, value, call) => {
    bind({ name: 'expandvars', params: ['path'] }, value, call);
    return posixExpandvars(fspath(value), env.lookupContext.env);
  },
  path_join: pathJoin,
  win_basename: onePath('basename', (p) => ntSplit(p)[1]),
  win_dirname: onePath('dirname', (p) => ntSplit(p)[0]),
  win_splitdrive: onePath('splitdrive', (p) => new PyTuple(ntSplitdrive(p))),
  fileglob,
};
