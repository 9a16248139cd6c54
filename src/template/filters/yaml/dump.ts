import { emitYamlDocument } from './emitter.js';
import { representYaml } from './represent.js';
import type { PyValue } from '../../values.js';

export interface DumpOptions {
  indent?: number;
  width?: number;
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  explicitStart?: boolean;
  explicitEnd?: boolean;
  /** As RepresentOptions' (the callbacks' dumper). */
  multilineLiteral?: { lossy: boolean };
}

/** `yaml.dump(value, Dumper=AnsibleDumper, allow_unicode=True, …)` for one document. */
export function dumpYaml(value: PyValue, options: DumpOptions = {}): string {
  const node = representYaml(value, {
    defaultFlowStyle: options.defaultFlowStyle === undefined ? null : options.defaultFlowStyle,
    sortKeys: options.sortKeys ?? true,
    ...(options.multilineLiteral ? { multilineLiteral: options.multilineLiteral } : {}),
  });
  return emitYamlDocument(node, {
    indent: options.indent ?? 2,
    width: options.width ?? 80,
    explicitStart: options.explicitStart ?? false,
    explicitEnd: options.explicitEnd ?? false,
  });
}
