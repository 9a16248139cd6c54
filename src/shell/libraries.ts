/** A script with the libraries it relies on put in front, for a shell that has none of them defined. */
export function inlineLibraries(body: string, libraries: readonly string[] = []): string {
  return libraries.length === 0 ? body : `${libraries.join('\n')}\n${body}`;
}
