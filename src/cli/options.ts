/** Commander reducer for repeatable options (`-i a -i b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Comma-separated, repeatable options such as `--tags a,b --tags c`. */
export function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((part) => part.trim()).filter(Boolean)];
}

export function increase(_value: string, previous: number): number {
  return previous + 1;
}
