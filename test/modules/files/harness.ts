import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, linkSync, writeFileSync, chmodSync, lchownSync, utimesSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isAbsolute, join, relative, dirname } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import { runRemote, type ExecScript } from '../../../src/modules/remote.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../../src/modules/types.js';
import { parseUserland, USERLAND_PROBE, type Userland } from '../../../src/shell/userland.js';
import type { Templar } from '../../../src/template/index.js';
import { PyDict, toPy } from '../../../src/template/values.js';

/** Runs a script with the real /bin/sh in `cwd` (what a host's login shell would do). */
export function localExec(cwd: string): ExecScript {
  return (script, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', inlineLibraries(script, options.libraries)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ rc: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
    });
}

let cachedUserland: Userland | null = null;
export function localUserland(): Userland {
  cachedUserland ??= parseUserland('localhost', execFileSync('/bin/sh', ['-c', USERLAND_PROBE], { encoding: 'utf8' }));
  return cachedUserland;
}

export interface HarnessOptions {
  /** The host's working directory (relative paths resolve here). */
  cwd: string;
  /** The controller's playbook directory, searched by findFile. */
  controllerDir: string;
  check?: boolean;
  diff?: boolean;
  templar?: Templar;
  userland?: Userland;
  exec?: ExecScript;
}

function missingTemplar(): Templar {
  return new Proxy({} as Templar, {
    get() {
      throw new Error('this test context has no templar');
    },
  });
}

/** A real ModuleContext whose `remote` runs the script through a real shell. */
export function makeContext(options: HarnessOptions): ModuleContext {
  const userland = options.userland ?? localUserland();
  const exec = options.exec ?? localExec(options.cwd);
  return {
    host: 'localhost',
    userland,
    facts: new PyDict(),
    check: options.check ?? false,
    diff: options.diff ?? false,
    templar: options.templar ?? missingTemplar(),
    findFile(kind, path) {
      const candidates = isAbsolute(path) ? [path] : [join(options.controllerDir, kind, path), join(options.controllerDir, path)];
      return candidates.find((candidate) => existsSync(candidate)) ?? null;
    },
    remote: (script, runOptions) => runRemote(exec, userland, script, runOptions),
    task: { name: 'test', at: { file: 'test.yml', line: 1, col: 1 } },
    vars: { get: () => undefined },
  };
}

/** Validates raw task arguments the way the executor does, then runs the module. */
export async function runModule(def: ModuleDef, rawArgs: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const args = validateArgs(def.spec, toPy(rawArgs) as PyDict, def.name);
  if (ctx.check && !def.supportsCheckMode) return { skipped: true, changed: false };
  return def.run(args, ctx);
}

/** A tree entry as the fixture generator (scripts/gen-files-fixtures.py) describes it. */
export interface TreeSetup {
  path: string;
  content?: string;
  content_b64?: string;
  dir?: boolean;
  link?: string;
  hardlink?: string;
  mode?: string;
  owner?: string;
  group?: string;
  mtime?: number;
  uid?: number;
  gid?: number;
}

function userId(name: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
}

function groupId(name: string): number {
  return Number(execFileSync('getent', ['group', name], { encoding: 'utf8' }).split(':')[2]);
}

export function buildTree(base: string, entries: readonly TreeSetup[]): void {
  mkdirSync(base, { recursive: true });
  for (const entry of entries) {
    const path = join(base, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if (entry.dir) mkdirSync(path, { recursive: true });
    else if (entry.link !== undefined) symlinkSync(entry.link, path);
    else if (entry.hardlink !== undefined) linkSync(join(base, entry.hardlink), path);
    else writeFileSync(path, entry.content_b64 !== undefined ? Buffer.from(entry.content_b64, 'base64') : (entry.content ?? ''));
    if (entry.mode !== undefined) chmodSync(path, parseInt(entry.mode, 8));
    if (entry.owner !== undefined) {
      lchownSync(path, userId(entry.owner, '-u'), entry.group !== undefined ? groupId(entry.group) : -1);
    }
    if (entry.uid !== undefined) lchownSync(path, entry.uid, entry.gid ?? -1);
    if (entry.mtime !== undefined) utimesSync(path, entry.mtime, entry.mtime);
  }
}

export interface TreeItem {
  type: 'file' | 'directory' | 'link';
  mode?: string;
  content_b64?: string;
  target?: string;
  nlink?: number;
  mtime?: number;
  uid: number;
  gid: number;
}

/** The same snapshot the fixture generator takes, with the root replaced by @ROOT@ in contents. */
export function snapshotTree(base: string): Record<string, TreeItem> {
  const tree: Record<string, TreeItem> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const rel = relative(base, path);
      if (st.isSymbolicLink()) tree[rel] = { type: 'link', target: readlinkSync(path), uid: st.uid, gid: st.gid };
      else if (st.isDirectory()) {
        tree[rel] = { type: 'directory', mode: (st.mode & 0o7777).toString(8).padStart(4, '0'), uid: st.uid, gid: st.gid };
        walk(path);
      } else {
        const data = readFileSync(path).toString('latin1').split(base).join('@ROOT@');
        tree[rel] = {
          type: 'file',
          mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
          content_b64: Buffer.from(data, 'latin1').toString('base64'),
          nlink: st.nlink,
          mtime: Math.floor(st.mtimeMs / 1000),
          uid: st.uid,
          gid: st.gid,
        };
      }
    }
  };
  walk(base);
  return tree;
}
