import { lstatSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Python's posixpath functions, which differ from Node's path.posix at the edges
 * (`basename('a/')` is '', `dirname('a/b/')` is 'a/b', `splitext('.bashrc')` has no
 * extension). https://github.com/python/cpython/blob/3.11/Lib/posixpath.py
 */
export function posixBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function posixDirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}

export function posixSplitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  if (dot > sep) {
    for (let i = sep + 1; i < dot; i++) if (p[i] !== '.') return [p.slice(0, dot), p.slice(dot)];
  }
  return [p, ''];
}

export function posixPathJoin(first: string, ...rest: string[]): string {
  let path = first;
  for (const part of rest) {
    if (part.startsWith('/')) path = part;
    else if (path === '' || path.endsWith('/')) path += part;
    else path += `/${part}`;
  }
  return path;
}

export function posixNormpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && out.length === 0) || out[out.length - 1] === '..') out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

export function posixAbspath(p: string, cwd: string): string {
  return posixNormpath(p.startsWith('/') ? p : posixPathJoin(cwd, p));
}

export function posixRelpath(path: string, start: string, cwd: string): string {
  if (path === '') throw new Error('no path specified');
  const startList = posixAbspath(start, cwd).split('/').filter(Boolean);
  const pathList = posixAbspath(path, cwd).split('/').filter(Boolean);
  let common = 0;
  while (common < startList.length && common < pathList.length && startList[common] === pathList[common]) common++;
  const rel = [...Array<string>(startList.length - common).fill('..'), ...pathList.slice(common)];
  return rel.length === 0 ? '.' : posixPathJoin(rel[0] ?? '', ...rel.slice(1));
}

/** os.path.realpath (non-strict): symlinks resolved as far as the path exists. */
export function posixRealpath(p: string, cwd: string): string {
  const parts = posixAbspath(p, cwd).split('/').filter(Boolean);
  let resolved = '/';
  const seen = new Set<string>();
  while (parts.length > 0) {
    const name = parts.shift() ?? '';
    if (name === '.' || name === '') continue;
    if (name === '..') {
      resolved = posixDirname(resolved) || '/';
      continue;
    }
    const candidate = posixPathJoin(resolved, name);
    let target: string | undefined;
    try {
      if (lstatSync(candidate).isSymbolicLink()) target = readlinkSync(candidate);
    } catch {
      target = undefined;
    }
    if (target === undefined || seen.has(candidate)) {
      resolved = candidate;
      continue;
    }
    seen.add(candidate);
    if (target.startsWith('/')) resolved = '/';
    parts.unshift(...target.split('/').filter(Boolean));
  }
  return resolved;
}

/** os.path.expanduser: `~` from HOME, `~user` from the password database. */
export function posixExpanduser(p: string, home: string | undefined): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const end = slash < 0 ? p.length : slash;
  const user = p.slice(1, end);
  let dir: string | undefined;
  if (user === '') dir = home;
  else {
    try {
      const entry = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .map((line) => line.split(':'))
        .find((fields) => fields[0] === user);
      dir = entry?.[5];
    } catch {
      dir = undefined;
    }
  }
  if (dir === undefined) return p;
  const trimmed = dir.replace(/\/+$/, '');
  return (trimmed || '/') + p.slice(end);
}

/** os.path.expandvars: `$NAME` and `${NAME}` replaced when set, left alone otherwise. */
export function posixExpandvars(p: string, env: Record<string, string | undefined>): string {
  if (!p.includes('$')) return p;
  return p.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    const value = env[key];
    return value === undefined ? whole : value;
  });
}

/** Python's ntpath.splitdrive (3.11): `C:` drives and `\\server\share` UNC prefixes. */
export function ntSplitdrive(p: string): [string, string] {
  if (p.length >= 2) {
    const normp = p.replace(/\//g, '\\');
    if (normp.startsWith('\\\\')) {
      const start = normp.slice(0, 8).toUpperCase() === '\\\\?\\UNC\\' ? 8 : 2;
      const index = normp.indexOf('\\', start);
      if (index === -1) return [p, ''];
      let index2 = normp.indexOf('\\', index + 1);
      if (index2 === -1) index2 = p.length;
      return [p.slice(0, index2), p.slice(index2)];
    }
    if (normp[1] === ':') return [p.slice(0, 2), p.slice(2)];
  }
  return ['', p];
}

/** Python's ntpath.split: either slash separates, the drive stays with the head. */
export function ntSplit(path: string): [string, string] {
  const [drive, p] = ntSplitdrive(path);
  let i = p.length;
  while (i > 0 && !'\\/'.includes(p[i - 1] ?? '')) i--;
  const head = p.slice(0, i);
  const trimmed = head.replace(/[\\/]+$/, '');
  return [drive + (trimmed || head), p.slice(i)];
}
