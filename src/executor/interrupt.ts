/**
 * Work a signal must not cut short: an interrupted run stops its remote commands before
 * fleet dies (the CLI's signal handler awaits `stopForInterrupt`, then re-raises the signal).
 */
const stoppers = new Set<() => Promise<void>>();

/** Registers `stop` until the returned function is called. */
export function onInterrupt(stop: () => Promise<void>): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

export async function stopForInterrupt(): Promise<void> {
  await Promise.allSettled([...stoppers].map((stop) => stop()));
}
