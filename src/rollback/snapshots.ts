/** A complete snapshot of an agent's config.yaml, as `deadman CONF list` prints it. */
export interface Snapshot {
  name: string;
  sha256: string;
}

/**
 * `NAME SHA256` lines, oldest first. Names go into task variables, so only names the deadman
 * could have made (and an operator could type) are kept: no template or path characters.
 */
export function parseSnapshotList(stdout: string): Snapshot[] {
  const snapshots: Snapshot[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(2[\w.-]*Z) ([0-9a-f]{64})$/.exec(line.trim());
    if (match) snapshots.push({ name: match[1] as string, sha256: match[2] as string });
  }
  return snapshots;
}

/** The snapshot to restore: the named one, else the latest; an error message when there is none. */
export function chooseSnapshot(host: string, snapshots: Snapshot[], name: string | undefined): Snapshot | string {
  if (name === undefined) return snapshots.at(-1) ?? `${host} has no last-known-good snapshot to roll back to`;
  const found = snapshots.find((snapshot) => snapshot.name === name);
  if (found) return found;
  const known = snapshots.length > 0 ? snapshots.map((snapshot) => snapshot.name).join(', ') : 'none';
  return `${host} has no snapshot ${name} (snapshots: ${known}; see fleet rollback --list)`;
}
