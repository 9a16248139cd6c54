import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { FleetError } from '../../errors.js';
import { PyDict, type PyValue } from '../../template/values.js';
import { ansibleJsonLoads } from '../../vault/ansible_json_decoder.js';
import { encodeFacts } from './json_codec.js';
import type { FactStore } from './store.js';

export interface JsonFileOptions {
  dir: string;
  prefix: string;
  timeoutSeconds: number;
  warn: (message: string) => void;
  /** A run that must leave no trace (fleet render): the cache is read, never written. */
  readOnly: boolean;
}

/**
 * The jsonfile cache plugin (plugins/cache/jsonfile.py over BaseFileCacheModule): one file
 * per host, `<dir>/<prefix><host>`, expired when older than the timeout. The directory is
 * listed once; a host's file is read when the run first needs that host. Each write is a
 * 0600 temp file renamed over the host's file (as mkstemp + os.rename), off the event loop,
 * and a host's writes land in order.
 */
class JsonFileStore implements FactStore {
  /** Hosts whose file the directory listing showed at the start. */
  private readonly listed: Set<string>;
  /** Hosts the run read or wrote: live whatever their file's age (the plugin's in-memory `_cache`). */
  private readonly current = new Set<string>();
  /**
   * Per host: the facts its file must end up holding (null: no file), encoded when their write
   * starts, so saves that come while one is running cost one encoding; and the write now running.
   */
  private readonly wanted = new Map<string, PyDict | null>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly options: JsonFileOptions) {
    const { prefix } = options;
    this.listed = new Set(readdirSync(options.dir).filter((name) => !name.startsWith('.') && name.startsWith(prefix)).map((name) => name.slice(prefix.length)));
  }

  private file(host: string): string {
    return join(this.options.dir, `${this.options.prefix}${host}`);
  }

  /** has_expired: the file's mtime is older than the timeout (0: never). */
  private expired(host: string): boolean {
    if (this.options.timeoutSeconds === 0) return false;
    try {
      return Date.now() / 1000 - statSync(this.file(host)).mtimeMs / 1000 > this.options.timeoutSeconds;
    } catch {
      return false;
    }
  }

  /** contains(): written or read this run, else a file that has not expired. */
  private live(host: string): boolean {
    return this.current.has(host) || (this.listed.has(host) && !this.expired(host));
  }

  load(host: string): PyDict | undefined {
    if (!this.listed.has(host) || !this.live(host)) return undefined;
    const file = this.file(host);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      this.options.warn(`error in 'jsonfile' cache plugin while trying to read ${file} : ${(error as Error).message}`);
      return undefined;
    }
    let facts: PyValue | Error;
    try {
      facts = ansibleJsonLoads(text, file);
    } catch (error) {
      facts = error as Error;
    }
    if (!(facts instanceof PyDict)) {
      const reason = facts instanceof Error ? facts.message : 'not a mapping';
      this.options.warn(`error in 'jsonfile' cache plugin while trying to read ${file} : ${reason}. Most likely a corrupt file, so erasing and failing.`);
      if (!this.options.readOnly) unlinkSync(file);
      throw new FleetError(`The cache file ${file} was corrupt, or did not otherwise contain valid data. It has been removed, so you can re-run your command now.`);
    }
    this.current.add(host);
    return facts;
  }

  save(host: string, facts: PyDict): void {
    this.current.add(host);
    this.want(host, facts);
  }

  remove(host: string): void {
    if (!this.live(host)) return;
    this.current.delete(host);
    this.listed.delete(host);
    this.want(host, null);
  }

  /** Queues the host's file to hold `facts` (null: removed); only the latest wish is written. */
  private want(host: string, facts: PyDict | null): void {
    if (this.options.readOnly) return;
    this.wanted.set(host, facts);
    if (!this.running.has(host)) this.running.set(host, this.drain(host));
  }

  private async drain(host: string): Promise<void> {
    while (this.wanted.has(host)) {
      const facts = this.wanted.get(host) as PyDict | null;
      this.wanted.delete(host);
      await (facts === null ? this.unlink(host) : this.write(host, facts));
    }
    this.running.delete(host);
  }

  private async write(host: string, facts: PyDict): Promise<void> {
    const file = this.file(host);
    const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, encodeFacts(facts), { mode: 0o600, flag: 'wx' });
      await rename(temp, file);
    } catch (error) {
      this.options.warn(`error in 'jsonfile' cache plugin while trying to write to '${file}' : ${(error as Error).message}`);
      await unlink(temp).catch(() => {});
    }
  }

  private async unlink(host: string): Promise<void> {
    await unlink(this.file(host)).catch(() => {});
  }

  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }
}

/**
 * os.makedirs: each missing directory from the top down. Node's recursive mkdirSync never
 * returns where a parent refuses new entries with ENOENT (under /proc).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let path = dir; !existsSync(path) && dirname(path) !== path; path = dirname(path)) missing.unshift(path);
  for (const path of missing) mkdirSync(path);
}

/**
 * The plugin's start (validate_cache_connection): the directory is made when missing; one
 * that cannot be made or used leaves the run with the memory cache, after Ansible's warning.
 */
export function openJsonFileStore(options: JsonFileOptions): FactStore | null {
  const { dir } = options;
  if (!existsSync(dir)) {
    try {
      if (!options.readOnly) makeDirs(dir);
    } catch (error) {
      options.warn(`error in 'jsonfile' cache plugin while trying to create cache dir ${dir} : ${(error as Error).message}`);
      return null;
    }
    if (options.readOnly) return null;
  } else {
    try {
      accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch {
      options.warn(`error in 'jsonfile' cache, configured path (${dir}) does not have necessary permissions (rwx), disabling plugin`);
      return null;
    }
  }
  return new JsonFileStore(options);
}
