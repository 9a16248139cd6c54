import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { floatRepr } from '../../template/python/floatfmt.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { formatDateTime, readHostTime } from './timestamps.js';

// plugins/action/pause.py validates this spec itself (minutes/seconds through int()).
const spec: ArgSpec = {
  options: {
    echo: { type: 'bool', default: true },
    minutes: { type: 'int' },
    seconds: { type: 'int' },
    prompt: { type: 'str' },
  },
  mutuallyExclusive: [['minutes', 'seconds']],
};

const now = (): string => formatDateTime(readHostTime('', Date.now()));

/**
 * pause: waits on the controller. A timed pause sleeps; a prompt reads one line when the
 * controller's stdin is a terminal and, like Ansible without a terminal, returns at once
 * otherwise. Ansible's ctrl+C then C/A handling is not reproduced.
 */
export const pause: ModuleDef = {
  name: 'pause',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx): Promise<ModuleResult> {
    const minutes = args.get('minutes') as number | null;
    let seconds = minutes !== null ? minutes * 60 : (args.get('seconds') as number | null);
    const unit = minutes !== null || seconds === null ? 'minutes' : 'seconds';
    const echo = args.get('echo') === true;
    const result: ModuleResult = { changed: false, rc: 0, stderr: '', stdout: '', start: now(), stop: null, delta: null, echo, user_input: '' };
    const started = Date.now();
    if (seconds !== null) {
      seconds = Math.max(seconds, 1);
      await sleep(seconds * 1000);
    } else if (process.stdin.isTTY) {
      const prompt = (args.get('prompt') as string | null) || 'Press enter to continue, Ctrl+C to interrupt';
      const reader = createInterface({ input: process.stdin, output: process.stdout });
      result.user_input = await reader.question(`[${ctx.task.name.trim()}]\n${prompt}${echo ? '' : ' (output is hidden)'}:`);
      reader.close();
    }
    const duration = (Date.now() - started) / 1000;
    result.stop = now();
    result.delta = Math.floor(duration);
    const shown = Math.round((unit === 'minutes' ? duration / 60 : duration) * 100) / 100;
    result.stdout = `Paused for ${floatRepr(shown)} ${unit}`;
    return result;
  },
};
