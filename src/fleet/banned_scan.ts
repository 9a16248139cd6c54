import { readFileSync } from 'node:fs';
import { PolicyError, type SourceLocation } from '../errors.js';
import { loadExtraVars } from '../executor/extra_vars.js';
import type { PyValue } from '../template/values.js';
import { loadYamlFile, type LoadedYaml } from '../yaml/load.js';
import { locatedTexts } from './located_text.js';
import { bannedMatches, POLICY_FILE_NAME, type BannedMatch, type BannedPolicy } from './policy.js';
import { renderedTemplates } from './rendered_templates.js';
import { runFiles, type RunFiles } from './run_files.js';
import type { FleetRunInput } from './run_input.js';

/**
 * The banned-provider pre-flight check: every value of every file the run reads (vars,
 * inventories, playbooks, roles, templates and files), the extra vars, and every template
 * the run would render, rendered per host where its variables are known before contact.
 * One PolicyError per value (or text line) holding a banned value, located where it was
 * written and naming the first policy entry it matches; a rendered template is reported
 * only for entries no source showed, since a banned var shows up again in what it renders.
 * Secrets never appear in the messages: they name the policy entry, not the matched text.
 */
export function checkBannedProviders(
  run: FleetRunInput,
  policy: BannedPolicy,
  files: RunFiles = runFiles(run, policy.file),
  loadYaml: (file: string) => LoadedYaml = loadYamlFile,
): PolicyError[] {
  const scan = new BannedScan(policy);
  scan.files(files, loadYaml);
  // `-e @file` values were scanned with their file; the others have no file to name.
  const inlineExtraVars = loadExtraVars(run.extraVarsArgs.filter((arg) => !arg.startsWith('@')), run.cwd);
  scan.values(inlineExtraVars, { file: '<extra vars>', line: 1, col: 1 }, (path) => `extra var ${path}`);
  const shownBySources = new Set(scan.seen);
  for (const rendered of renderedTemplates(run).rendered) {
    scan.text(rendered.text, rendered.source, `the output rendered for ${rendered.host} (line numbers of the output)`, (match) => shownBySources.has(match.value));
  }
  return scan.errors;
}

/** The banned values of the given files alone (what meta: refresh_inventory reads again). */
export function checkBannedFiles(policy: BannedPolicy, files: RunFiles, loadYaml: (file: string) => LoadedYaml = loadYamlFile): PolicyError[] {
  const scan = new BannedScan(policy);
  scan.files(files, loadYaml);
  return scan.errors;
}

/** Loaded values (add_host's vars), each located at `at` unless the loader kept its own place. */
export function checkBannedValues(policy: BannedPolicy, value: PyValue, at: SourceLocation, where: (path: string) => string): PolicyError[] {
  const scan = new BannedScan(policy);
  scan.values(value, at, where);
  return scan.errors;
}

/** One pass of the check: one error per place holding a banned value, and every policy entry seen. */
class BannedScan {
  readonly errors: PolicyError[] = [];
  /** Policy entries any scanned text matched, reported or not. */
  readonly seen = new Set<string>();
  private readonly places = new Set<string>();

  constructor(private readonly policy: BannedPolicy) {}

  private report(place: string, match: BannedMatch, location: SourceLocation, where: string): void {
    if (this.places.has(place)) return;
    this.places.add(place);
    this.errors.push(new PolicyError(`banned ${match.kind} "${match.value}" (${POLICY_FILE_NAME}) in ${where}`, { location }));
  }

  private matches(text: string): BannedMatch[] {
    const matches = bannedMatches(this.policy, text);
    for (const each of matches) this.seen.add(each.value);
    return matches;
  }

  values(value: PyValue, at: SourceLocation, where: (path: string) => string): void {
    for (const found of locatedTexts(value, at)) {
      const [match] = this.matches(found.text);
      if (match) this.report(`${found.location.file}:${found.location.line}:${found.location.col}`, match, found.location, where(found.path));
    }
  }

  text(text: string, file: string, where: string, skip: (match: BannedMatch) => boolean = () => false): void {
    text.split('\n').forEach((line, index) => {
      const match = this.matches(line).find((each) => !skip(each));
      if (match) this.report(`${file}:${index + 1}:${where}`, match, { file, line: index + 1, col: match.index + 1 }, where);
    });
  }

  files(files: RunFiles, loadYaml: (file: string) => LoadedYaml): void {
    const textFiles = new Set(files.text);
    for (const file of files.yaml) {
      let documents;
      try {
        documents = loadYaml(file).documents;
      } catch {
        textFiles.add(file);
        continue;
      }
      for (const document of documents) this.values(document, { file, line: 1, col: 1 }, (path) => path || 'a value');
    }
    for (const file of textFiles) this.text(readFileSync(file, 'utf8'), file, 'the file');
  }
}
