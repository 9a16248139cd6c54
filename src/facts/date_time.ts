import { PyDict } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/**
 * module_utils/facts/system/date_time.py from one `date` call (so all keys describe the
 * same second). GNU date gives microseconds with %N; BSD date has none, so there the
 * microsecond fields are 000000. tz_dst is time.tzname[1]: the zone's name in whichever of
 * January or July has the larger UTC offset.
 */
const FIELDS = '%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z|%N';

export const dateTimeFacts: FactFamily = {
  name: 'date_time',
  command: `fleet_now=$(date '+${FIELDS}')
fleet_emit now "$fleet_now"
fleet_year=\${fleet_now%%|*}
if fleet_s=$(printf '%s\\n' "$fleet_year-01-01 12:00" "$fleet_year-07-01 12:00" | date -f - '+%Z %z' 2>/dev/null) && [ "\${fleet_s#*"$fleet_nl"}" != "$fleet_s" ]; then
  fleet_emit season "\${fleet_s%%"$fleet_nl"*}"
  fleet_emit season "\${fleet_s#*"$fleet_nl"}"
else
  for fleet_month in 01 07; do
    fleet_emit season "$(date -j -f '%Y-%m-%d %H:%M' "$fleet_year-$fleet_month-01 12:00" '+%Z %z' 2>/dev/null)"
  done
fi`,
  parse(output) {
    const [year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, epoch, tz, tzOffset, nanos] = one(output, 'now').split('|') as string[];
    const micro = /^\d{9}$/.test(nanos ?? '') ? (nanos as string).slice(0, 6) : '000000';
    const utc = new Date(Number(epoch) * 1000).toISOString().slice(0, 19);
    const dt = new PyDict();
    const set = (key: string, value: string): void => void dt.set(key, value);
    set('year', year!);
    set('month', month!);
    set('weekday', weekday!);
    set('weekday_number', weekdayNumber!);
    set('weeknumber', weeknumber!);
    set('day', day!);
    set('hour', hour!);
    set('minute', minute!);
    set('second', second!);
    set('epoch', epoch!);
    set('epoch_int', String(parseInt(epoch!, 10)));
    set('date', `${year}-${month}-${day}`);
    set('time', `${hour}:${minute}:${second}`);
    set('iso8601_micro', `${utc}.${micro}Z`);
    set('iso8601', `${utc}Z`);
    set('iso8601_basic', `${year}${month}${day}T${hour}${minute}${second}${micro}`);
    set('iso8601_basic_short', `${year}${month}${day}T${hour}${minute}${second}`);
    set('tz', tz!);
    set('tz_dst', dstName(output.get('season') ?? [], tz!));
    set('tz_offset', tzOffset!);
    return { date_time: dt };
  },
};

function dstName(seasons: readonly string[], fallback: string): string {
  const parsed = seasons
    .map((line) => /^(\S+) ([+-])(\d\d)(\d\d)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] as string, offset: (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4])) }));
  if (parsed.length === 0) return fallback;
  return parsed.reduce((best, season) => (season.offset > best.offset ? season : best)).name;
}
