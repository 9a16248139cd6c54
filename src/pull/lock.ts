import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

export type LockResult = { acquired: true; release: () => void } | { acquired: false; holder: number };

/**
 * A lock file created with O_EXCL holding the owner's pid: portable (macOS has no flock)
 * and safe on local disks. A lock whose pid is no longer alive is stale and taken over.
 */
export function acquireLock(path: string): LockResult {
  const first = tryCreate(path);
  if (first) return first;
  const text = readLock(path);
  const holder = Number(text?.trim());
  if (text !== undefined && Number.isInteger(holder) && holder > 0 && alive(holder)) return { acquired: false, holder };
  // Move the stale file aside before creating ours; if what we moved is not the stale file we
  // read (another run took over in between), put that live lock back and give way.
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return tryCreate(path) ?? { acquired: false, holder: Number(readLock(path)?.trim()) || 0 };
  }
  const moved = readLock(aside);
  if (moved !== text) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds the lock now; they win either way.
    }
    unlinkSync(aside);
    return { acquired: false, holder: Number(moved?.trim()) || 0 };
  }
  unlinkSync(aside);
  return tryCreate(path) ?? { acquired: false, holder: Number(readLock(path)?.trim()) || 0 };
}

/**
 * The lock file appears with our pid already in it (written aside, then hard-linked into place,
 * which fails when the name exists): a file created empty and written after would let a racer
 * read it empty in between, take it for stale and remove a live lock.
 */
function tryCreate(path: string): LockResult | undefined {
  const mine = `${process.pid}\n`;
  const temp = `${path}.${process.pid}.new`;
  writeFileSync(temp, mine, { mode: 0o644 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    unlinkSync(temp);
  }
  return {
    acquired: true,
    release: () => {
      if (readLock(path) === mine) unlinkSync(path);
    },
  };
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
