import type { Args } from '../argspec.js';
import { sh, Script } from '../../shell/script.js';
import { detailsOf, FileOptionError, modeFunction, parseMode, type ModeArg } from './mode.js';
import type { ModuleResult } from '../types.js';

/** The owner/group/mode a task wants; null leaves that attribute alone. */
export interface AttributeWants {
  owner: string | null;
  group: string | null;
  mode: ModeArg | null;
}

// SELinux contexts and chattr attributes are not implemented; refusing them beats ignoring them.
const UNSUPPORTED = ['seuser', 'serole', 'setype', 'selevel', 'attributes'];

/** attributeWantsFrom, with a bad option given back as the module's failed result (its msg and details) instead of thrown. */
export function attributeWantsOrFailure(args: Args): { attributes: AttributeWants } | { failure: ModuleResult } {
  try {
    return { attributes: attributeWantsFrom(args) };
  } catch (error) {
    if (error instanceof FileOptionError) return { failure: { failed: true, changed: false, msg: error.message, ...detailsOf(error) } };
    throw error;
  }
}

export function attributeWantsFrom(args: Args): AttributeWants {
  const unsupported = UNSUPPORTED.find((name) => args.get(name) !== null && args.get(name) !== undefined);
  if (unsupported) throw new FileOptionError(`fleet does not support the ${unsupported} option yet`);
  const owner = args.get('owner');
  const group = args.get('group');
  return {
    owner: typeof owner === 'string' ? owner : null,
    group: typeof group === 'string' ? group : null,
    mode: parseMode(args.get('mode') ?? null),
  };
}

/** Shell that sets the variables and function `fleet_attrs` reads. */
export function attributeWantsScript(wants: AttributeWants): Script {
  return Script.join([
    sh`fleet_want_owner=${wants.owner ?? ''} fleet_want_group=${wants.group ?? ''} fleet_has_mode=${wants.mode ? '1' : '0'}`,
    wants.mode ? modeFunction(wants.mode) : Script.raw(`fleet_mode_want() { fleet_mode_wanted=$1; }`),
  ]);
}
