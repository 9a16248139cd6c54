import { PyDict, PyFloat, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/**
 * uptime_seconds (hardware/linux.py: /proc/uptime; hardware/darwin.py: now − kern.boottime)
 * and loadavg (system/loadavg.py: os.getloadavg(), which the kernel rounds to the two
 * decimals of /proc/loadavg or vm.loadavg here).
 */
export const uptimeFacts: FactFamily = {
  name: 'uptime',
  collector: 'hardware',
  otherCollectors: { loadavg: 'loadavg' },
  needs: ['date_time'],
  files: { uptime: '/proc/uptime', loadavg: '/proc/loadavg' },
  command: `[ "$fleet_system" = Darwin ] && fleet_emit sysctl "$(sysctl -n kern.boottime vm.loadavg 2>/dev/null)"`,
  parse(output, collected) {
    const facts: Record<string, PyValue> = {};
    let uptime = one(output, 'uptime').trim().split(' ')[0] ?? '';
    let loads = one(output, 'loadavg').trim().split(/\s+/).slice(0, 3);
    if (output.has('sysctl')) {
      const text = one(output, 'sysctl');
      const boot = /\{ sec = (\d+)/.exec(text)?.[1];
      const epoch = collected.get('date_time') instanceof PyDict ? Number((collected.get('date_time') as PyDict).get('epoch')) : NaN;
      uptime = boot && !Number.isNaN(epoch) ? String(epoch - Number(boot)) : '';
      loads = (/\{ ([\d.]+) ([\d.]+) ([\d.]+) \}/.exec(text) ?? []).slice(1);
    }
    if (uptime && !Number.isNaN(parseFloat(uptime))) facts.uptime_seconds = Math.trunc(parseFloat(uptime));
    if (loads.length === 3 && loads.every((load) => /^\d+(\.\d+)?$/.test(load))) {
      const [one1, five, fifteen] = loads.map((load) => new PyFloat(Number(load)));
      facts.loadavg = new PyDict([['1m', one1 as PyFloat], ['5m', five as PyFloat], ['15m', fifteen as PyFloat]]);
    }
    return facts;
  },
};
