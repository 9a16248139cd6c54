import { readdirSync, statSync } from 'node:fs';
import { posixPathJoin } from './posixpath.js';

/**
 * Python's `glob.glob(pattern)` on the controller: `*`, `?` and `[...]` within one path
 * component, hidden names only matched by a pattern that starts with a dot, results in
 * directory-listing order as os.scandir gives them.
 */
function fnmatchToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

const hasMagic = (s: string): boolean => /[*?[]/.test(s);

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir === '' ? '.' : dir);
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function pyGlob(pattern: string): string[] {
  const parts = pattern.split('/');
  let paths = [pattern.startsWith('/') ? '/' : ''];
  const components = pattern.startsWith('/') ? parts.slice(1) : parts;
  components.forEach((component, index) => {
    const last = index === components.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (component === '') {
        if (last) next.push(base.endsWith('/') || base === '' ? base : `${base}/`);
        continue;
      }
      if (!hasMagic(component)) {
        const candidate = base === '' ? component : posixPathJoin(base, component);
        if (last ? exists(candidate) : true) next.push(candidate);
        continue;
      }
      const matcher = fnmatchToRegExp(component);
      for (const name of listDir(base)) {
        if (name.startsWith('.') && !component.startsWith('.')) continue;
        if (matcher.test(name)) next.push(base === '' ? name : posixPathJoin(base, name));
      }
    }
    paths = next;
  });
  return paths.filter((p) => p !== '' && exists(p));
}
