import { readFileSync } from 'node:fs';
import { PolicyError, type SourceLocation } from '../errors.js';
import { loadExtraVars } from '../executor/extra_vars.js';
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
  const errors: PolicyError[] = [];
  const places = new Set<string>();
  const values = new Set<string>();
  const report = (place: string, match: BannedMatch, location: SourceLocation, where: string) => {
    if (places.has(place)) return;
    places.add(place);
    errors.push(new PolicyError(`banned ${match.kind} "${match.value}" (${POLICY_FILE_NAME}) in ${where}`, { location }));
  };
  const scanValue = (text: string, location: SourceLocation, where: string) => {
    const matches = bannedMatches(policy, text);
    for (const each of matches) values.add(each.value);
    const [match] = matches;
    if (match) report(`${location.file}:${location.line}:${location.col}`, match, location, where);
  };
  const scanText = (text: string, file: string, where: string, skip: (match: BannedMatch) => boolean = () => false) => {
    text.split('\n').forEach((line, index) => {
      const matches = bannedMatches(policy, line);
      for (const each of matches) values.add(each.value);
      const match = matches.find((each) => !skip(each));
      if (match) report(`${file}:${index + 1}:${where}`, match, { file, line: index + 1, col: match.index + 1 }, where);
    });
  };

  const textFiles = new Set(files.text);
  for (const file of files.yaml) {
    let documents;
    try {
      documents = loadYaml(file).documents;
    } catch {
      textFiles.add(file);
      continue;
    }
    for (const document of documents) {
      for (const found of locatedTexts(document, { file, line: 1, col: 1 })) scanValue(found.text, found.location, found.path || 'a value');
    }
  }
  for (const file of textFiles) scanText(readFileSync(file, 'utf8'), file, 'the file');
  // `-e @file` values were scanned with their file; the others have no file to name.
  const inlineExtraVars = loadExtraVars(run.extraVarsArgs.filter((arg) => !arg.startsWith('@')), run.cwd);
  for (const found of locatedTexts(inlineExtraVars, { file: '<extra vars>', line: 1, col: 1 })) scanValue(found.text, found.location, `extra var ${found.path}`);
  const shownBySources = new Set(values);
  for (const rendered of renderedTemplates(run).rendered) {
    scanText(rendered.text, rendered.source, `the output rendered for ${rendered.host} (line numbers of the output)`, (match) => shownBySources.has(match.value));
  }
  return errors;
}
