import { compilePyRegex, findAll } from '../../template/filters/pyregex.js';
import { splitPy } from '../../template/python/text.js';
import { PyDict } from '../../template/values.js';

/** A Python exception service_facts.py would die of on this output (the module's traceback's last line). */
export class ServiceFactsCrash extends Error {}

// ServiceScanService._list_sysvinit's pattern, run as Python runs it (`\s` also spans newlines).
const SYSV_LINE = compilePyRegex(String.raw`^\s*\[ (?P<state>\+|\-) \]\s+(?P<name>.+)$`, { multiline: true });

/** `service --status-all`'s `[ + ]`/`[ - ]` lines as sysv services (`[ ? ]` ones are left out). */
export function sysvServices(stdout: string): PyDict {
  const services = new PyDict();
  for (const match of findAll(SYSV_LINE, stdout)) {
    const [, mark, name = ''] = match;
    const state = mark === '+' ? 'running' : 'stopped';
    services.set(name, new PyDict([['name', name], ['state', state], ['source', 'sysv']]));
  }
  return services;
}

/**
 * SystemctlScanService.BAD_STATES, a frozenset: when a line holds more than one of them,
 * which one Ansible takes changes from run to run (str hashing is salted); fleet takes them
 * in this order.
 */
const BAD_STATES = ['not-found', 'masked', 'failed'];

const serviceLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.includes('.service'));

function at(fields: readonly string[], index: number): string {
  const value = fields[index];
  if (value === undefined) throw new ServiceFactsCrash('IndexError: list index out of range');
  return value;
}

/**
 * `systemctl list-units --all`'s service lines as _list_from_units reads them: a line holding
 * a bad state takes it as its status and loses its first field (the `●` mark it assumes);
 * another takes its ACTIVE column. A unit is running when the SUB column says so.
 */
export function systemdUnits(stdout: string): PyDict {
  const services = new PyDict();
  for (const line of serviceLines(stdout)) {
    let fields = splitPy(line, null, -1);
    const bad = BAD_STATES.find((state) => fields.includes(state));
    const status = bad ?? at(fields, 2);
    if (bad !== undefined) fields = fields.slice(1);
    const name = at(fields, 0);
    const state = at(fields, 3) === 'running' ? 'running' : 'stopped';
    services.set(name, new PyDict([['name', name], ['state', state], ['status', status], ['source', 'systemd']]));
  }
  return services;
}

/**
 * `systemctl list-unit-files`' service lines merged into the units, as _list_from_unit_files
 * does: a known unit takes the file's state as its status unless its status is a bad state;
 * a unit only seen here is added, its state left null for the caller to ask systemd
 * (returned: those names, in order).
 */
export function mergeUnitFiles(stdout: string, services: PyDict): string[] {
  const unknown: string[] = [];
  for (const line of serviceLines(stdout)) {
    const [name, status] = splitPy(line, null, -1);
    if (name === undefined || status === undefined) {
      throw new ServiceFactsCrash(`ValueError: not enough values to unpack (expected 2, got ${name === undefined ? 0 : 1})`);
    }
    const known = services.get(name);
    if (known instanceof PyDict) {
      if (!BAD_STATES.includes(known.get('status') as string)) known.set('status', status);
      continue;
    }
    unknown.push(name);
    services.set(name, new PyDict([['name', name], ['state', null], ['status', status], ['source', 'systemd']]));
  }
  return unknown;
}

/** A unit's state from `systemctl show UNIT --property=ActiveState`: 'unknown' when that failed or said nothing. */
export function activeState(rc: number, stdout: string): string {
  if (rc !== 0 || stdout === '') return 'unknown';
  return stdout.replaceAll('ActiveState=', '').trimEnd();
}
