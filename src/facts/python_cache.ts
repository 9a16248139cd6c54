import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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

/**
 * The cache file, read on first use. What hosts answer is remembered in memory and written by
 * `save` (once, when a run ends): the file holds every host, so writing it per answer would
 * cost hosts² bytes and block the run on each write. A save lays this run's answers over the
 * file as it is then, so runs of other fleet processes in between keep theirs.
 */
export class PythonProbeCache {
  private loaded?: Map<string, PythonProbe>;
  /** Answers remembered since the last save. */
  private changed = new Map<string, PythonProbe>();
  /** Settles when every save begun so far is done; saves run one after another. */
  private saving: Promise<void> = Promise.resolve();
  private saves = 0;

  constructor(private readonly file: string) {}

  get(key: string): PythonProbe | undefined {
    return this.entries().get(key);
  }

  remember(key: string, probe: PythonProbe): void {
    const entries = this.entries();
    const known = entries.get(key);
    if (known?.signature === probe.signature && known.report === probe.report) return;
    entries.set(key, probe);
    this.changed.set(key, probe);
  }

  /** Writes the file, atomically (temp + rename), when something changed since the last save; never fails. */
  save(): Promise<void> {
    if (this.changed.size === 0) return this.saving;
    const changed = this.changed;
    this.changed = new Map();
    this.saves += 1;
    const temp = `${this.file}.${process.pid}.${this.saves}.tmp`;
    this.saving = this.saving.then(async () => {
      const current = await readEntries(this.file);
      for (const [key, probe] of changed) current.set(key, probe);
      await writeAtomically(this.file, temp, JSON.stringify(Object.fromEntries(current)));
    });
    return this.saving;
  }

  private entries(): Map<string, PythonProbe> {
    if (!this.loaded) {
      try {
        this.loaded = parseEntries(readFileSync(this.file, 'utf8'));
      } catch {
        this.loaded = new Map();
      }
    }
    return this.loaded;
  }
}

function parseEntries(text: string): Map<string, PythonProbe> {
  return new Map(Object.entries(JSON.parse(text) as Record<string, PythonProbe>));
}

async function readEntries(file: string): Promise<Map<string, PythonProbe>> {
  try {
    return parseEntries(await readFile(file, 'utf8'));
  } catch {
    return new Map();
  }
}

async function writeAtomically(file: string, temp: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, text);
    await rename(temp, file);
  } catch {
    // A read-only project directory: every run asks the interpreter.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

const projectCache = new PythonProbeCache(join('.fleet', 'python-facts.json'));

export function cachedPythonProbe(key: string): PythonProbe | undefined {
  return projectCache.get(key);
}

export function rememberPythonProbe(key: string, probe: PythonProbe): void {
  projectCache.remember(key, probe);
}

/** Writes what this run's hosts answered; the run awaits it before it ends. */
export function savePythonProbes(): Promise<void> {
  return projectCache.save();
}
