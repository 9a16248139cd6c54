/**
 * Counts in-place mutations of lists and dicts made from templates (`l.append(x)`,
 * `d.update(...)`). A copy of a variable can be reused while the count has not moved,
 * because nothing else changes a container in place (see Templar.resolveVariableEntry).
 */
let epoch = 0;

export function mutationEpoch(): number {
  return epoch;
}

export function noteMutation(): void {
  epoch++;
}
