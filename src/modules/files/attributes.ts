import type { Args } from '../argspec.js';
import { sh, Script } from '../../shell/script.js';
import { modeFunction, parseMode, type ModeArg } from './mode.js';

/** The owner/group/mode a task wants; null leaves that attribute alone. */
export interface AttributeWants {
  owner: string | null;
  group: string | null;
  mode: ModeArg | null;
}

export function attributeWantsFrom(args: Args): AttributeWants {
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
    wants.mode ? modeFunction(wants.mode) : Script.raw(`fleet_mode_want() { printf '%s' "$1"; }`),
  ]);
}
