/**
 * Hostile values in every module argument that takes a string land on a real sshd host byte
 * for byte and never run: one generated batch per property run, all values looped through
 * one playbook run (ssh round trips are the cost, not the values).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHost } from '../support/sandbox.js';
import { hostileString, yamlSafeJson } from './hostile_values.js';
import { reliabilityHosts, runFleet, scratchDir, writeInventory } from './support.js';

/** Replays a failure exactly: FLEET_PROPERTY_SEED=<seed printed on failure>. */
const SEED = Number(process.env.FLEET_PROPERTY_SEED ?? 20261127);
/** Values per list; each list is looped through one or two tasks of one run. */
const VALUES = Number(process.env.FLEET_PROPERTY_VALUES ?? 80);
const CANARY = `/tmp/fleet-hostile-canary-${process.pid}`;

const cronMinute = '0 0 31 2 *'; // 31 February: the entries are never due

let host: SandboxHost;
let work: string;

beforeAll(() => {
  host = reliabilityHosts()[0] as SandboxHost;
  work = scratchDir('hostile');
});

interface Batch {
  texts: string[];
  argvs: string[];
  lines: string[];
  names: string[];
  markers: string[];
  replacements: string[];
  blobs: Uint8Array[];
}

const batch: fc.Arbitrary<Batch> = fc.record({
  texts: fc.array(hostileString(CANARY), { minLength: VALUES, maxLength: VALUES }),
  // command runs run_command(expand_user_and_vars=True): Ansible 2.14 expands $NAME, ${NAME}
  // and a leading ~ in every argument, so values that spell those are left to the other lists.
  argvs: fc.array(hostileString(CANARY).filter((value) => !/\$[\p{L}\p{N}_{]/u.test(value) && !value.startsWith('~')), { minLength: VALUES, maxLength: VALUES }),
  lines: fc.array(hostileString(CANARY, { exclude: /[\r\n]/g }), { minLength: VALUES, maxLength: VALUES }),
  // A file name: no '/', and short enough for NAME_MAX (255 bytes) after the index prefix.
  names: fc.array(hostileString(CANARY, { maxParts: 3, exclude: /\//g }).filter((name) => Buffer.byteLength(name) <= 200), { minLength: VALUES, maxLength: VALUES }),
  markers: fc.array(hostileString(CANARY, { maxParts: 3, exclude: /[\r\n]/g }), { minLength: VALUES, maxLength: VALUES }),
  // Python's re.sub reads backslashes in the replacement as escapes (\1, \g<name>).
  replacements: fc.array(hostileString(CANARY, { exclude: /\\/g }), { minLength: VALUES, maxLength: VALUES }),
  blobs: fc.array(fc.uint8Array({ maxLength: 2048 }), { minLength: 8, maxLength: 8 }),
});

function playbook(dir: string, user: string): string {
  const loop = (list: string) => `    loop: "{{ ${list} }}"\n    loop_control: { index_var: idx }\n`;
  return `- hosts: all
  gather_facts: false
  vars_files: [values.json]
  vars:
    dir: ${JSON.stringify(dir)}
  tasks:
  - file: { path: "{{ dir }}", state: directory }
  - name: copy content
    copy: { content: "{{ item }}", dest: "{{ dir }}/copy-{{ idx }}" }
${loop('texts')}  - name: copy dest
    copy: { content: named, dest: "{{ dir }}/name-{{ idx }}-{{ item }}" }
${loop('names')}  - name: file path
    file: { path: "{{ dir }}/dir-{{ idx }}-{{ item }}", state: directory }
${loop('names')}  - name: copy src
    copy: { src: "blob-{{ item }}", dest: "{{ dir }}/blob-{{ item }}" }
    loop: "{{ range(blob_count) | list }}"
  - name: template vars
    template: { src: hostile.j2, dest: "{{ dir }}/template-{{ idx }}" }
${loop('texts')}  - name: lineinfile line
    lineinfile: { path: "{{ dir }}/line-{{ idx }}", line: "{{ item }}", create: true }
${loop('lines')}  - name: lineinfile regexp
    lineinfile: { path: "{{ dir }}/line-{{ idx }}", regexp: "^{{ item | regex_escape }}$", line: "replaced {{ idx }}" }
${loop('lines')}  - name: blockinfile
    blockinfile: { path: "{{ dir }}/block-{{ idx }}", block: "{{ item }}", marker: "# {mark} {{ markers[idx] }}", create: true }
${loop('texts')}  - name: replace source
    copy: { content: "{{ item }}", dest: "{{ dir }}/replace-{{ idx }}" }
${loop('texts')}  - name: replace regexp and replacement
    replace: { path: "{{ dir }}/replace-{{ idx }}", regexp: "{{ item | regex_escape }}", replace: "{{ replacements[idx] }}" }
${loop('texts')}  - name: command argv
    command:
      argv: [/bin/sh, -c, 'printf %s "$1" > "$2"', sh, "{{ item }}", "{{ dir }}/argv-{{ idx }}"]
${loop('argvs')}  - name: command args
    command: "printf %s {{ item | quote }}"
${loop('argvs')}  - name: shell with quote
    shell: "printf %s {{ item | quote }} > {{ (dir ~ '/shell-' ~ idx) | quote }}"
${loop('texts')}  - name: cron name and job
    cron: { name: "{{ idx }} {{ item }}", job: "{{ item }}", minute: "0", hour: "0", day: "31", month: "2", user: ${user}, cron_file: "{{ dir }}/crontab" }
${loop('lines')}  - name: debug msg
    debug: { msg: "{{ item }}" }
${loop('texts')}  - name: set_fact
    set_fact: { collected: "{{ collected | default([]) + [item] }}" }
${loop('texts')}  - name: set_fact lands
    copy: { content: "{{ collected | to_json }}", dest: "{{ dir }}/collected.json" }
`;
}

interface JsonReport {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { results?: Record<string, unknown>[]; failed?: boolean; msg?: string }> }[] }[];
}

/** `task: message` of every failed result, items included. */
function failures(report: JsonReport): string[] {
  return report.plays.flatMap((play) => play.tasks).flatMap(({ task, hosts }) =>
    Object.values(hosts).flatMap((result) => [result, ...(result.results ?? [])].filter((each) => each.failed === true).map((each) => `${task.name}: ${String(each.msg)} item=${JSON.stringify(each.item)}`)),
  );
}

function taskResults(report: JsonReport, name: string): Record<string, unknown>[] {
  const task = report.plays.flatMap((play) => play.tasks).find((each) => each.task.name === name);
  return task?.hosts.h24?.results ?? [];
}

/** blockinfile.py: the block gets a final newline, between marker lines. */
const expectedBlock = (block: string, marker: string) => `# BEGIN ${marker}\n${block}${block.endsWith('\n') ? '' : '\n'}# END ${marker}\n`;

describe('hostile values in module arguments', () => {
  it(`land byte for byte and never execute (seed ${SEED}, ${VALUES} values per list)`, async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (values) => {
        const dir = join(host.home, 'hostile');
        rmSync(dir, { recursive: true, force: true });
        rmSync(CANARY, { force: true });
        const project = join(work, `run-${Date.now()}`);
        mkdirSync(join(project, 'files'), { recursive: true });
        mkdirSync(join(project, 'templates'), { recursive: true });
        values.blobs.forEach((blob, index) => writeFileSync(join(project, 'files', `blob-${index}`), blob));
        writeFileSync(join(project, 'templates', 'hostile.j2'), '<{{ item }}>');
        const { blobs, ...lists } = values;
        writeFileSync(join(project, 'values.json'), yamlSafeJson({ ...lists, blob_count: blobs.length }));
        writeFileSync(join(project, 'site.yml'), playbook(dir, host.user));
        const inventory = writeInventory(project, [{ ...host, name: 'h24' }]);

        const run = await runFleet(['apply', '--json', '-i', inventory, 'site.yml'], { cwd: project });
        const report = (run.stdout.startsWith('{') ? JSON.parse(run.stdout) : { plays: [] }) as JsonReport;
        expect(run.code, `seed ${SEED}; exit ${run.code}\n${run.stderr}\n${failures(report).join('\n')}`).toBe(0);
        const file = (name: string) => readFileSync(join(dir, name), 'utf8');

        values.texts.forEach((text, idx) => {
          const what = `value ${idx} ${JSON.stringify(text)}`;
          expect(file(`copy-${idx}`), `copy content, ${what}`).toBe(text);
          expect(file(`template-${idx}`), `template, ${what}`).toBe(`<${text}>`);
          expect(file(`block-${idx}`), `blockinfile, ${what}`).toBe(expectedBlock(text, values.markers[idx] as string));
          expect(file(`replace-${idx}`), `replace, ${what}`).toBe(values.replacements[idx]);
          expect(file(`shell-${idx}`), `shell quote, ${what}`).toBe(text);
        });
        values.argvs.forEach((argv, idx) => expect(file(`argv-${idx}`), `command argv, value ${idx} ${JSON.stringify(argv)}`).toBe(argv));
        // command.py strips trailing newlines from stdout; debug prints msg as given.
        expect(taskResults(report, 'command args').map((result) => result.stdout)).toEqual(values.argvs.map((argv) => argv.replace(/[\r\n]+$/, '')));
        expect(taskResults(report, 'debug msg').map((result) => result.msg)).toEqual(values.texts);
        expect(JSON.parse(file('collected.json'))).toEqual(values.texts);
        values.lines.forEach((_line, idx) => expect(file(`line-${idx}`), `lineinfile, value ${idx}`).toBe(`replaced ${idx}\n`));
        values.blobs.forEach((blob, idx) => expect(Buffer.compare(readFileSync(join(dir, `blob-${idx}`)), Buffer.from(blob)), `copy src blob ${idx}`).toBe(0));
        const crontab = file('crontab');
        values.lines.forEach((line, idx) => expect(crontab, `cron, value ${idx} ${JSON.stringify(line)}`).toContain(`#Ansible: ${idx} ${line}\n${cronMinute} ${host.user} ${line}\n`));

        const expectedNames = new Set([
          ...['crontab', 'collected.json'],
          ...values.texts.flatMap((_text, idx) => ['copy', 'template', 'block', 'replace', 'argv', 'shell'].map((kind) => `${kind}-${idx}`)),
          ...values.lines.map((_line, idx) => `line-${idx}`),
          ...values.blobs.map((_blob, idx) => `blob-${idx}`),
          ...values.names.flatMap((name, idx) => [`name-${idx}-${name}`, `dir-${idx}-${name}`]),
        ]);
        expect(new Set(readdirSync(dir))).toEqual(expectedNames);
        values.names.forEach((name, idx) => expect(file(`name-${idx}-${name}`), `copy dest ${JSON.stringify(name)}`).toBe('named'));
        expect(existsSync(CANARY), 'a hostile value ran as a command').toBe(false);
        expect(existsSync(join(host.home, CANARY.slice(1))), 'a hostile value ran as a command').toBe(false);
      }),
      { seed: SEED, numRuns: Number(process.env.FLEET_PROPERTY_RUNS ?? 1), endOnFailure: true },
    );
  }, 600_000);
});
