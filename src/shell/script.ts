import { quote } from './quote.js';

/** A value that must reach the host but never appear in output, logs or history. */
export class Secret {
  constructor(readonly value: string) {}
}

export const MASK = '********';

type Part = string | Secret;

/**
 * Shell text as a value (pyinfra's StringCommand): literal shell plus quoted values, some of
 * them secret. `text()` is what the host runs; `masked()` is what people may see.
 */
export class Script {
  private constructor(private readonly parts: readonly Part[]) {}

  static raw(text: string): Script {
    return new Script([text]);
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
    return this.parts.map((part) => (typeof part === 'string' ? part : quote(part.value))).join('');
  }

  masked(): string {
    return this.parts.map((part) => (typeof part === 'string' ? part : MASK)).join('');
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
