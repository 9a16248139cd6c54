import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
 * cost hosts² bytes and block the run on each write.
 */
export class PythonProbeCache {
  private loaded?: Map<string, PythonProbe>;
  private dirty = false;
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
    this.dirty = true;
  }

  /** Writes the file, atomically (temp + rename), when something changed since the last save; never fails. */
  save(): Promise<void> {
    if (!this.dirty) return this.saving;
    this.dirty = false;
    const text = JSON.stringify(Object.fromEntries(this.entries()));
    // Runs in parallel (other fleet processes) each rename a whole file: the last one wins.
    this.saves += 1;
    const temp = `${this.file}.${process.pid}.${this.saves}.tmp`;
    this.saving = this.saving.then(() => writeAtomically(this.file, temp, text));
    return this.saving;
  }

  private entries(): Map<string, PythonProbe> {
    if (!this.loaded) {
      try {
        this.loaded = new Map(Object.entries(JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, PythonProbe>));
      } catch {
        this.loaded = new Map();
      }
    }
    return this.loaded;
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
