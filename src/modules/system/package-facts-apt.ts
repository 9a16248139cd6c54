import { Script } from '../../shell/script.js';
import { PyDict } from '../../template/values.js';

/**
 * package_facts' apt manager without python-apt. python-apt's cache takes an installed
 * version's section from the first package index (in sources.list order) that lists that
 * version, dpkg's status only when none does, and its origin from that index's Release file
 * (the archive's section overrides make the two sections differ). So dpkg's installed
 * packages are joined with the indexes apt has downloaded, streamed in apt's order; the
 * first index holding a package's name, architecture and version gives its section and
 * origin. The records emitted: `arch` (dpkg's native architecture) and `packages`, one line
 * per installed package: name, architecture, version, section, origin, tab-separated.
 */
export const APT_PACKAGES = Script.raw(`pf_native=$(dpkg --print-architecture 2>/dev/null) || pf_native=''
fleet_emit arch "$pf_native"
pf_indexes() {
  apt-get indextargets 'Created-By: Packages' 2>/dev/null | awk '
    /^Filename: / { file = substr($0, 11) }
    /^Origin: / { origin = substr($0, 9) }
    /^$/ { if (file != "") print file "\\t" origin; file = ""; origin = "" }
    END { if (file != "") print file "\\t" origin }'
}
pf_listing() {
  dpkg-query -W -f 'S\\t\${db:Status-Status}\\t\${Package}\\t\${Architecture}\\t\${Version}\\t\${Section}\\n' || return
  [ -x /usr/lib/apt/apt-helper ] || return 0
  pf_indexes | while IFS=$(printf '\\t') read -r pf_file pf_origin; do
    [ -f "$pf_file" ] || continue
    printf 'F\\t%s\\n' "$pf_origin"
    /usr/lib/apt/apt-helper cat-file "$pf_file" 2>/dev/null | grep -E '^(Package|Architecture|Version|Section):'
  done
}
# apt counts a package installed (CurrentVer) in every dpkg state but not-installed and config-files.
pf_join='
function value(line) { sub(/^[A-Za-z]+:[ \\t]*/, "", line); sub(/[ \\t]+$/, "", line); return line }
function flush(key) {
  if (!have) return
  have = 0
  key = name "\\t" arch "\\t" version
  if ((key in wanted) && !(key in matched)) { matched[key] = 1; section[key] = sect; origin[key] = from }
}
$1 == "S" {
  if ($2 == "not-installed" || $2 == "config-files") next
  key = $3 "\\t" $4 "\\t" $5
  if (key in wanted) next
  wanted[key] = 1; order[++count] = key; section[key] = $6; origin[key] = ""
  next
}
$1 == "F" { flush(); from = $2; next }
/^Package:/ { flush(); have = 1; name = value($0); arch = ""; version = ""; sect = ""; next }
/^Architecture:/ { arch = value($0); next }
/^Version:/ { version = value($0); next }
/^Section:/ { sect = value($0); next }
END {
  flush()
  for (i = 1; i <= count; i++) { key = order[i]; print key "\\t" section[key] "\\t" origin[key] }
}'
pf_out=$(pf_listing | LC_ALL=C awk -F '\\t' "$pf_join")
fleet_emit packages "$pf_out"`);

/**
 * The lines APT_PACKAGES emitted as ansible_facts.packages: python-apt's cache keys, sorted,
 * name a package of a foreign architecture (not the native one, not `all`) as `name:arch`.
 */
export function aptPackages(listing: string, nativeArch: string): PyDict {
  const entries: [string, PyDict][] = [];
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const [name = '', arch = '', version = '', category = '', origin = ''] = line.split('\t');
    const key = arch === nativeArch || arch === 'all' ? name : `${name}:${arch}`;
    const details = new PyDict([
      ['name', key],
      ['version', version],
      ['arch', arch],
      ['category', category],
      ['origin', origin],
      ['source', 'apt'],
    ]);
    entries.push([key, details]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new PyDict(entries.map(([key, details]) => [key, [details]]));
}
