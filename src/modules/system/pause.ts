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
 * pause (plugins/action/pause.py): waits on the controller, once per task (BYPASS_HOST_LOOP:
 * on the first host, which alone registers the result). A timed pause shows its countdown
 * lines and sleeps; a prompt is shown, then read as one line when the controller's stdin is a
 * terminal, and, like Ansible without one, not waited for, with a warning. Ansible's ctrl+C
 * then C/A handling is not reproduced.
 */
export const pause: ModuleDef = {
  name: 'pause',
  spec,
  supportsCheckMode: true,
  controllerOnly: true,
  bypassHostLoop: true,
  async run(args, ctx): Promise<ModuleResult> {
    const minutes = args.get('minutes') as number | null;
    let seconds = minutes !== null ? minutes * 60 : (args.get('seconds') as number | null);
    const unit = minutes !== null || seconds === null ? 'minutes' : 'seconds';
    const echo = args.get('echo') === true;
    const hidden = echo ? '' : ' (output is hidden)';
    const given = args.get('prompt') as string | null;
    const prompt = `[${ctx.task.name.trim()}]\n${given || 'Press enter to continue, Ctrl+C to interrupt'}${hidden}:`;
    const display = (text: string) => ctx.display?.(text);
    const result: ModuleResult = { changed: false, rc: 0, stderr: '', stdout: '', start: now(), stop: null, delta: null, echo, user_input: '' };
    const started = Date.now();
    if (seconds !== null) {
      seconds = Math.max(seconds, 1);
      display(`Pausing for ${seconds} seconds${hidden}`);
      display("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r");
      if (given) display(prompt);
      await sleep(seconds * 1000);
    } else {
      display(prompt);
      if (process.stdin.isTTY) {
        const reader = createInterface({ input: process.stdin, output: process.stdout });
        result.user_input = await reader.question('');
        reader.close();
      } else {
        ctx.warn?.('Not waiting for response to prompt as stdin is not interactive');
      }
    }
    const duration = (Date.now() - started) / 1000;
    result.stop = now();
    result.delta = Math.floor(duration);
    const shown = Math.round((unit === 'minutes' ? duration / 60 : duration) * 100) / 100;
    result.stdout = `Paused for ${floatRepr(shown)} ${unit}`;
    return result;
  },
};
