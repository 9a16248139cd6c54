import { quote } from './quote.js';

/** A value that must reach the host but never appear in output, logs or history. */
export class Secret {
  constructor(readonly value: string) {}
}

export const MASK = '********';

/**
 * Shell definitions (functions and their default variables) a script relies on. Where the
 * script runs in a long-lived shell they are sent once per connection instead of with every
 * script (see connections/libraries.ts); elsewhere they are inlined where they stand.
 */
class Library {
  constructor(readonly text: string) {}
}

type Part = string | Secret | Library;

function partText(part: Part): string {
  if (typeof part === 'string') return part;
  return part instanceof Library ? part.text : quote(part.value);
}

/**
 * Shell text as a value (pyinfra's StringCommand): literal shell plus quoted values, some of
 * them secret. `text()` is what the host runs; `masked()` is what people may see.
 */
export class Script {
  private constructor(private readonly parts: readonly Part[]) {}

  static raw(text: string): Script {
    return new Script([text]);
  }

  /** Definitions only (no commands with effects): they may run once, before the rest of the script. */
  static library(text: string): Script {
    return new Script([new Library(text)]);
  }

  static join(scripts: readonly Script[], separator = '\n'): Script {
    const parts: Part[] = [];
    scripts.forEach((script, index) => {
      if (index > 0) parts.push(separator);
      parts.push(...script.parts);
    });
    return new Script(parts);
  }

  static concat(parts: readonly (Script | Part)[]): Script {
    return new Script(parts.flatMap((part) => (part instanceof Script ? part.parts : [part])));
  }

  text(): string {
    return this.parts.map(partText).join('');
  }

  /** The script with its libraries taken out (each once, in order of first use). */
  split(): { libraries: string[]; body: string } {
    const libraries = new Set<string>();
    const body = this.parts.map((part) => {
      if (!(part instanceof Library)) return partText(part);
      libraries.add(part.text);
      return '';
    });
    return { libraries: [...libraries], body: body.join('') };
  }

  masked(): string {
    return this.parts.map((part) => (part instanceof Secret ? MASK : partText(part))).join('');
  }

  /** The secret values inside, so output sinks can mask them wherever they show up. */
  secrets(): string[] {
    return this.parts.filter((part): part is Secret => part instanceof Secret).map((part) => part.value);
  }
}

export type ShellValue = string | number | Script | Secret;

/**
 * Tagged template for shell: literal text stays as written, every interpolated string or
 * number is quoted, Scripts are spliced as shell, Secrets are quoted and masked.
 *   sh`mkdir -p ${path} && chmod ${mode} ${path}`
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): Script {
  const parts: (Script | Part)[] = [];
  strings.forEach((literal, index) => {
    parts.push(literal);
    if (index < values.length) {
      const value = values[index] as ShellValue;
      if (value instanceof Script || value instanceof Secret) parts.push(value);
      else parts.push(quote(String(value)));
    }
  });
  return Script.concat(parts);
}
