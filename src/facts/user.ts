import { one, type FactFamily } from './family.js';

/** module_utils/facts/system/user.py: getpass.getuser() and its passwd entry. */
export const userFacts: FactFamily = {
  name: 'user',
  collector: 'user',
  // getpass.getuser() reads LOGNAME, USER, LNAME, USERNAME before asking passwd. The ids are
  // the shell's own, from its /proc status (read with the other files, fleet_read_files);
  // without /proc one \`id\` answers them: uid=R(name) gid=G(name), with euid=E(name) only
  // when it differs. With neither a login variable nor id's name, the real uid's passwd
  // entry names the user, as id would have. The user's entry is /etc/passwd's when it has
  // one (read with the other files; nsswitch.conf's usual \`files\` comes first), else getent's.
  files: { status: '/proc/$$/status', passwd: '/etc/passwd' },
  command: `fleet_name='' fleet_p=''
if fleet_status_field Uid; then
  fleet_uid=$fleet_field
  fleet_status_field Uid 2; fleet_euid=$fleet_field
  fleet_status_field Gid; fleet_gid=$fleet_field
else
  fleet_ids=$(LC_ALL=C id)
  fleet_uid=\${fleet_ids#uid=} fleet_gid=\${fleet_ids#* gid=} fleet_euid=\${fleet_ids#* euid=}
  fleet_uid=\${fleet_uid%%[!0-9]*} fleet_gid=\${fleet_gid%%[!0-9]*} fleet_euid=\${fleet_euid%%[!0-9]*}
  [ -n "$fleet_euid" ] || fleet_euid=$fleet_uid
  fleet_name=\${fleet_ids#uid=*"("} fleet_name=\${fleet_name%%")"*}
  case $fleet_ids in "uid=$fleet_uid("*) ;; *) fleet_name=$fleet_uid ;; esac
fi
fleet_login=\${LOGNAME:-\${USER:-\${LNAME:-\${USERNAME:-}}}}
if [ -z "$fleet_login" ] && [ -z "$fleet_name" ]; then
  fleet_p=$fleet_passwd_uid
  [ -n "$fleet_p" ] || fleet_p=$(getent passwd "$fleet_uid" 2>/dev/null)
  if [ -n "$fleet_p" ]; then fleet_name=\${fleet_p%%:*}; else fleet_name=$fleet_uid; fi
fi
[ -n "$fleet_login" ] || fleet_login=$fleet_name
fleet_emit login "$fleet_login"
fleet_emit uid "$fleet_uid"
fleet_emit euid "$fleet_euid"
fleet_emit gid "$fleet_gid"
case $fleet_system in
  Darwin)
    for fleet_u in "$fleet_login" "$fleet_name"; do
      if fleet_p=$(dscl . -read "/Users/$fleet_u" UniqueID PrimaryGroupID RealName NFSHomeDirectory UserShell 2>/dev/null); then
        fleet_emit dscl "$fleet_p"; break
      fi
    done ;;
  *)
    [ -n "$fleet_p" ] || fleet_p=$fleet_passwd_login
    [ -n "$fleet_p" ] || fleet_p=$(getent passwd "$fleet_login" 2>/dev/null) || fleet_p=$(getent passwd "$fleet_euid" 2>/dev/null)
    fleet_emit passwd "$fleet_p" ;;
esac`,
  parse(output) {
    const entry = one(output, 'passwd') ? fromPasswd(one(output, 'passwd')) : fromDscl(one(output, 'dscl'));
    const gid = Number(one(output, 'gid'));
    return {
      user_id: one(output, 'login'),
      user_uid: entry.uid,
      user_gid: entry.gid,
      user_gecos: entry.gecos,
      user_dir: entry.dir,
      user_shell: entry.shell,
      real_user_id: Number(one(output, 'uid')),
      effective_user_id: Number(one(output, 'euid')),
      real_group_id: gid,
      // user.py reports os.getgid() (the real gid) here too.
      effective_group_id: gid,
    };
  },
};

interface PasswdEntry {
  uid: number;
  gid: number;
  gecos: string;
  dir: string;
  shell: string;
}

function fromPasswd(line: string): PasswdEntry {
  const [, , uid, gid, gecos, dir, shell] = line.trim().split(':');
  return { uid: Number(uid), gid: Number(gid), gecos: gecos ?? '', dir: dir ?? '', shell: shell ?? '' };
}

/** `dscl . -read` prints `Key: value`, or `Key:` then the value indented on the next line. */
function fromDscl(text: string): PasswdEntry {
  const values = new Map<string, string>();
  let pending: string | null = null;
  for (const line of text.split('\n')) {
    if (pending !== null && line.startsWith(' ')) {
      values.set(pending, line.trim());
      pending = null;
      continue;
    }
    const match = /^(\w+):\s*(.*)$/.exec(line);
    if (!match) continue;
    if (match[2]) values.set(match[1] as string, match[2]);
    else pending = match[1] as string;
  }
  return {
    uid: Number(values.get('UniqueID')),
    gid: Number(values.get('PrimaryGroupID')),
    gecos: values.get('RealName') ?? '',
    dir: values.get('NFSHomeDirectory') ?? '',
    shell: values.get('UserShell') ?? '',
  };
}
