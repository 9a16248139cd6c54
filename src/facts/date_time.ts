import { PyDict } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/**
 * module_utils/facts/system/date_time.py from one `date` call (so all keys describe the
 * same second). GNU date gives microseconds with %N; BSD date has none, so there the
 * microsecond fields are 000000. tz_dst is time.tzname[1]: the zone's name in whichever of
 * January or July has the larger UTC offset. GNU date formats now, January 1st and July 1st
 * of this year (a missing year is the current one) in one process, reading the three dates
 * from a here-document (dash writes a small one into a pipe without forking); BSD date
 * (Darwin, and wherever that fails) takes one date per call.
 */
const FIELDS = '%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z|%N';

export const dateTimeFacts: FactFamily = {
  name: 'date_time',
  collector: 'date_time',
  command: `if [ "$fleet_system" != Darwin ] && fleet_dates=$(date -f - '+${FIELDS}' <<'FLEET_DATES'
now
jan 1 12:00
jul 1 12:00
FLEET_DATES
); then
  fleet_emit dates "$fleet_dates"
else
  fleet_now=$(date '+${FIELDS}')
  fleet_emit now "$fleet_now"
  fleet_year=\${fleet_now%%|*}
  for fleet_month in 01 07; do
    fleet_emit season "$(date -j -f '%Y-%m-%d %H:%M' "$fleet_year-$fleet_month-01 12:00" '+%Z %z' 2>/dev/null)"
  done
fi`,
  parse(output) {
    const [now, ...seasons] = output.has('dates') ? one(output, 'dates').split('\n') : [one(output, 'now'), ...(output.get('season') ?? [])];
    const [year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, epoch, tz, tzOffset, nanos] = now!.split('|') as string[];
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
    set('tz_dst', dstName(seasons.map((line) => (line.includes('|') ? line.split('|').slice(10, 12).join(' ') : line)), tz!));
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
