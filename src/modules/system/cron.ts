import { Script, sh } from '../../shell/script.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { DiffEntry, ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { CronTab, CronTabError } from './crontab.js';
import { expandInto, expandUserFunctions } from './expand.js';

// modules/cron.py argument_spec
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true },
    user: { type: 'str' },
    job: { type: 'str', aliases: ['value'] },
    cron_file: { type: 'path' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    backup: { type: 'bool', default: false },
    minute: { type: 'str', default: '*' },
    hour: { type: 'str', default: '*' },
    day: { type: 'str', default: '*', aliases: ['dom'] },
    month: { type: 'str', default: '*' },
    weekday: { type: 'str', default: '*', aliases: ['dow'] },
    special_time: { type: 'str', choices: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] },
    disabled: { type: 'bool', default: false },
    env: { type: 'bool', default: false },
    insertafter: { type: 'str' },
    insertbefore: { type: 'str' },
  },
  mutuallyExclusive: [['insertafter', 'insertbefore']],
};

const str = (args: Args, name: string): string | null => {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
};

/** Where the crontab lives: a user's crontab (via crontab(1)) or a cron_file. */
interface Target {
  user: string | null;
  /** The cron_file argument as expanded on the host, and its absolute path. */
  cronFile: { arg: string; path: string } | null;
}

/** `crontab` with `-u USER` only when USER is not the connecting user, as cron.py does. */
const CRONTAB_USER_ARGS = 'set --; if [ -n "${fleet_user+x}" ] && [ "$(id -un)" != "$fleet_user" ]; then set -- -u "$fleet_user"; fi';

function userScript(user: string | null): Script {
  return user === null ? Script.raw('unset fleet_user') : sh`fleet_user=${user}`;
}

function readScript(user: string | null, cronFile: string | null, ctx: ModuleContext): Script {
  const steps: Script[] = [expandUserFunctions(ctx.userland), userScript(user)];
  if (cronFile !== null) {
    steps.push(expandInto('fleet_cf', cronFile));
    steps.push(Script.raw('fleet_emit cron_file "$fleet_cf"'));
    steps.push(Script.raw('case $fleet_cf in /*) ;; *) fleet_cf=/etc/cron.d/$fleet_cf ;; esac'));
    steps.push(Script.raw('fleet_emit path "$fleet_cf"'));
    steps.push(Script.raw('if [ -f "$fleet_cf" ] && [ -r "$fleet_cf" ]; then fleet_emit_file existing "$fleet_cf"; fleet_emit isfile 1; fi'));
  } else {
    steps.push(Script.raw(CRONTAB_USER_ARGS));
    // The listing framed as it comes: no subshell, temp file, cat or rm forked.
    steps.push(Script.raw(`fleet_emit_output existing crontab "$@" -l 2>/dev/null
fleet_emit read_rc "$fleet_output_rc"`));
  }
  return Script.join(steps);
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Backup (optional), then the new crontab installed or the cron_file written or removed. */
function writeScript(target: Target, content: string | null, backup: string | null): Script {
  const steps: Script[] = [userScript(target.user)];
  if (backup !== null) {
    steps.push(
      sh`fleet_bk=$(mktemp "\${TMPDIR:-/tmp}/crontabXXXXXXXX") && printf '%s' ${b64(backup)} | fleet_b64d >"$fleet_bk" && fleet_emit backup_file "$fleet_bk"`,
    );
  }
  if (target.cronFile !== null && content === null) {
    steps.push(sh`if rm -- ${target.cronFile.path} 2>/dev/null; then fleet_emit removed 1; fi`);
  } else if (target.cronFile !== null) {
    steps.push(sh`umask 022; printf '%s' ${b64(content ?? '')} | fleet_b64d >${target.cronFile.path}; fleet_emit rc "$?"`);
  } else {
    steps.push(Script.raw(CRONTAB_USER_ARGS));
    steps.push(Script.raw('fleet_t=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && chmod 644 "$fleet_t" || exit 1'));
    steps.push(sh`printf '%s' ${b64(content ?? '')} | fleet_b64d >"$fleet_t"`);
    steps.push(Script.raw('fleet_err=$(crontab "$@" "$fleet_t" 2>&1 >/dev/null); fleet_emit rc "$?"; fleet_emit err "$fleet_err"; rm -f "$fleet_t"'));
  }
  return Script.join(steps);
}

function header(target: Target): string {
  if (target.cronFile) return target.cronFile.path;
  return target.user ? `crontab for user "${target.user}"` : 'crontab';
}

async function runCron(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = str(args, 'name') as string;
  const user = str(args, 'user');
  const job = str(args, 'job');
  const cronFileArg = str(args, 'cron_file');
  const state = str(args, 'state');
  const env = args.get('env') === true;
  const insertAfter = str(args, 'insertafter');
  const insertBefore = str(args, 'insertbefore');
  const special = str(args, 'special_time');
  const time = { minute: str(args, 'minute') ?? '*', hour: str(args, 'hour') ?? '*', day: str(args, 'day') ?? '*', month: str(args, 'month') ?? '*', weekday: str(args, 'weekday') ?? '*' };
  const install = state === 'present';
  const warnings: string[] = [];
  const fail = (msg: string): ModuleResult => ({ changed: false, failed: true, msg });

  if (cronFileArg === '/etc/crontab') return fail('Will not manage /etc/crontab via cron_file, see documentation.');
  const read = await ctx.remote(readScript(user, cronFileArg, ctx), { readOnly: true });
  if (read.rc !== 0) return fail(`could not read the crontab: ${read.stderr.trim()}`);
  const readRc = Number(field(read, 'read_rc', '0'));
  if (readRc !== 0 && readRc !== 1) return fail('Unable to read crontab');
  const target: Target = {
    user,
    cronFile: cronFileArg === null ? null : { arg: field(read, 'cron_file'), path: field(read, 'path') },
  };
  if (target.cronFile) {
    const base = target.cronFile.arg.slice(target.cronFile.arg.lastIndexOf('/') + 1);
    if (!/^[A-Z0-9_-]+$/i.test(base)) {
      warnings.push(`Filename portion of cron_file ("${base}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`);
    }
  }
  const crontab = new CronTab(field(read, 'existing'), target.cronFile ? user : null, target.cronFile === null);
  const diff: Partial<DiffEntry> = ctx.diff ? { before: crontab.existing, before_header: header(target) } : {};

  if (special && Object.values(time).some((value) => value !== '*')) return fail('You must specify time and date fields or special time.');
  if (install) {
    if (target.cronFile && !user) return fail('To use cron_file=... parameter you must specify user=... as well');
    if (job === null) return fail("You must specify 'job' to install a new cron job or variable");
    if ((insertAfter || insertBefore) && !env) return fail('Insertafter and insertbefore parameters are valid only with env=yes');
  }
  const backup = args.get('backup') === true && !ctx.check ? crontab.render() : null;

  let changed = false;
  try {
    if (env) {
      if (name.includes(' ')) return fail('Invalid name for environment variable');
      const decl = `${name}="${job}"`;
      const old = crontab.findEnv(name);
      if (install && old.length === 0) {
        crontab.addEnv(decl, insertAfter, insertBefore);
        changed = true;
      } else if (install && old[1] !== decl) {
        crontab.updateEnv(name, decl);
        changed = true;
      } else if (!install && old.length > 0) {
        crontab.updateEnv(name, null);
        changed = true;
      }
    } else if (install) {
      if (/[\r\n]/.test((job as string).replace(/^[\r\n]+|[\r\n]+$/g, ''))) warnings.push('Job should not contain line breaks');
      const line = crontab.cronJob(time, job as string, special, args.get('disabled') === true);
      const old = crontab.findJob(name, line);
      if (old.length === 0) {
        crontab.addJob(name, line);
        changed = true;
      }
      if ((old.length > 0 && old[1] !== line) || old.length > 2) {
        crontab.updateJob(name, line);
        changed = true;
      }
    } else if (crontab.findJob(name).length > 0) {
      crontab.updateJob(name, null);
      changed = true;
      if (target.cronFile && crontab.isEmpty()) return removeCronFile(target, ctx, diff, state as string, backup, field(read, 'isfile') === '1');
    }
  } catch (err) {
    if (err instanceof CronTabError) return fail(err.message);
    throw err;
  }

  // No change, but an existing crontab lacking its final newline is rewritten.
  if (!changed && crontab.existing !== '' && !/[\r\n]$/.test(crontab.existing)) changed = true;
  const result: ModuleResult = { jobs: crontab.jobNames(), envs: crontab.envNames(), changed };
  if (warnings.length > 0) result.warnings = warnings;
  if (changed) {
    if (!ctx.check) {
      const written = await ctx.remote(writeScript(target, crontab.render(), backup));
      // Without an rc record (the script stopped before crontab ran) the script's own status decides.
      if (field(written, 'rc', String(written.rc)) !== '0') {
        return { changed: false, failed: true, msg: target.cronFile ? `could not write ${target.cronFile.path}` : `${field(written, 'err')}\n` };
      }
      if (written.fields.has('backup_file')) result.backup_file = field(written, 'backup_file');
    }
    if (ctx.diff) result.diff = { ...diff, after: crontab.render(), after_header: header(target) } as DiffEntry;
  }
  if (target.cronFile) result.cron_file = target.cronFile.arg;
  return result;
}

/** state=absent emptied a cron_file: the file is deleted (cron.py's early exit_json). */
async function removeCronFile(
  target: Target,
  ctx: ModuleContext,
  diff: Partial<DiffEntry>,
  state: string,
  backup: string | null,
  isFile: boolean,
): Promise<ModuleResult> {
  const finalDiff = ctx.diff ? { ...diff, after: '', after_header: '/dev/null' } : {};
  let changed = isFile;
  // cron.py exits here without reporting the backup it wrote.
  if (!ctx.check) changed = (await ctx.remote(writeScript(target, null, backup))).fields.has('removed');
  return { changed, cron_file: target.cronFile?.arg, state, diff: finalDiff as DiffEntry };
}

export const cron: ModuleDef = {
  name: 'cron',
  spec,
  supportsCheckMode: true,
  run: runCron,
};
