import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What each host's interpreter answered in earlier runs, in `<cwd>/.fleet/python-facts.json`
 * (keyed by host and the interpreters it was asked with), with the interpreter's `ls -iLln` line. setup sends that line, and the host starts the
 * interpreter only when its line differs (python upgraded, moved or replaced: a new inode,
 * size or time): one `ls` instead of a python start-up, ~30 ms of the host's CPU per run.
 * A cache that cannot be read or written is simply not used.
 */
export interface PythonProbe {
  /** The interpreter's `ls -iLln` line on the host. */
  signature: string;
  /** The interpreter's JSON report (python.ts REPORT). */
  report: string;
}

const FILE = join('.fleet', 'python-facts.json');
let loaded: Map<string, PythonProbe> | undefined;

function cache(): Map<string, PythonProbe> {
  if (!loaded) {
    try {
      loaded = new Map(Object.entries(JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, PythonProbe>));
    } catch {
      loaded = new Map();
    }
  }
  return loaded;
}

export function cachedPythonProbe(key: string): PythonProbe | undefined {
  return cache().get(key);
}

export function rememberPythonProbe(key: string, probe: PythonProbe): void {
  const entries = cache();
  const known = entries.get(key);
  if (known?.signature === probe.signature && known.report === probe.report) return;
  entries.set(key, probe);
  try {
    mkdirSync('.fleet', { recursive: true });
    // Runs in parallel (other fleet processes) each rename a whole file: the last one wins.
    const temp = `${FILE}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(entries)));
    renameSync(temp, FILE);
  } catch {
    // A read-only project directory: every run asks the interpreter.
  }
}
