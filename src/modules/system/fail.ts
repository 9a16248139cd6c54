import type { ArgSpec } from '../argspec.js';
import type { ModuleDef } from '../types.js';
import { given } from './controller-args.js';

// plugins/action/fail.py: _VALID_ARGS msg
const spec: ArgSpec = { options: { msg: { type: 'raw' } }, actionValidArgs: true };

export const fail: ModuleDef = {
  name: 'fail',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    return { failed: true, msg: (given(args, 'msg') ? args.get('msg') : 'Failed as requested from task') as string };
  },
};
