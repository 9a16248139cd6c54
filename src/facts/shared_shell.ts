/**
 * Run once before the fact families: what several of them need (uname's answers, a newline)
 * and a reader for small text files, so the families fork as few processes as they can.
 * `uname -snrm` prints its fields in that order whatever the flag order, none with spaces.
 */
export const FACTS_PREAMBLE = `fleet_nl='
'
fleet_uname=$(uname -s -n -r -m)
fleet_kernel_version=$(uname -v)
set -f
# shellcheck disable=SC2086 # the words of uname's answer are wanted
set -- $fleet_uname
set +f
fleet_system=$1 fleet_nodename=$2 fleet_kernel=$3 fleet_machine=$4
# A text file (/proc, /etc) as a record, read by the shell itself instead of a cat.
fleet_emit_lines() {
  fel_text=''
  while IFS= read -r fel_line || [ -n "$fel_line" ]; do
    fel_text="$fel_text$fel_line$fleet_nl"
  done < "$2"
  fleet_emit "$1" "$fel_text"
}`;
