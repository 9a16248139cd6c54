/** Where in a source file something is; line and col are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * Every error fleet expects to happen (bad input, unreachable host, policy refusal) is a
 * FleetError, so the CLI can print it as ansible-playbook prints an error (errors_report.ts)
 * and never a stack trace; `format()` is its compact form for lists of problems.
 */
export class FleetError extends Error {
  readonly location?: SourceLocation;
  /** The source line the location points into, shown under the message with a caret. */
  readonly sourceLine?: string;

  constructor(message: string, options: { location?: SourceLocation; sourceLine?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.location = options.location;
    this.sourceLine = options.sourceLine;
  }

  /** `file:line:col: message`, followed by the source line and a caret when known. */
  format(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    let text = `${where}${this.message}`;
    if (this.sourceLine !== undefined && this.location) {
      text += `\n  ${this.sourceLine}\n  ${' '.repeat(Math.max(0, this.location.col - 1))}^`;
    }
    return text;
  }
}

/** Input that can be rejected before any host is contacted (YAML, schemas, templates). */
export class ValidationError extends FleetError {}

/**
 * A file that is malformed (YAML, a play, a task), as opposed to one it names that is missing:
 * Ansible's AnsibleParserError, which ends the run even when an include loads the file while
 * the play runs, where a missing role fails only the hosts that include it.
 */
export class ParserError extends ValidationError {}

/**
 * AnsibleFileNotFound's text (lib/ansible/errors/__init__.py): the message, then which file could
 * not be found on the controller ("Could not find file" when it names none), and its hint.
 */
export function fileNotFoundText(message: string, fileName?: string): string {
  const which = fileName === undefined ? 'Could not find file' : `Could not find or access '${fileName}'`;
  return `${message === '' ? '' : `${message}\n`}${which} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`;
}

/**
 * The exit code of ansible-playbook for an error that ends the run before its recap
 * (CLI.cli_executor in lib/ansible/cli/__init__.py): 4 for AnsibleParserError, 1 for any
 * other AnsibleError.
 */
export function exitCodeOf(error: FleetError): number {
  return error instanceof ParserError ? 4 : 1;
}

/** A Jinja2 template failed to parse or render. */
export class TemplateError extends FleetError {}

/** A host could not be reached or authenticated. */
export class ConnectionError extends FleetError {}

/** The banned-provider policy refused a value. */
export class PolicyError extends FleetError {}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
