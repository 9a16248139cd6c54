import { PyDict, type PyKey, type PyValue } from '../template/values.js';
import type { VariableScope } from './scope.js';

/**
 * A VariableScope read as a dict, as the `vars` magic variable is: VariableManager.get_vars
 * puts a copy of a task's variables in it, and AnsibleJ2Vars hands it to templates as it
 * is, its values untemplated. Here each name's value is looked up when read, so a task
 * that never reads `vars` copies nothing; a template that changes it in place
 * (`vars.update(…)`) changes a copy of its own, made then.
 */
export class ScopeDict extends PyDict {
  private scope: VariableScope | undefined;
  private copied = false;

  /** `makeScope` is called on first read, once the layers it closes over are complete. */
  constructor(private readonly makeScope: () => VariableScope) {
    super();
  }

  private source(): VariableScope {
    return (this.scope ??= this.makeScope());
  }

  override get(key: PyKey): PyValue | undefined {
    if (this.copied) return super.get(key);
    return typeof key === 'string' ? this.source().get(key) : undefined;
  }

  override has(key: PyKey): boolean {
    return this.get(key) !== undefined;
  }

  override get size(): number {
    if (this.copied) return super.size;
    let count = 0;
    for (const name of this.source().names()) if (this.source().get(name) !== undefined) count += 1;
    return count;
  }

  override *keys(): MapIterator<PyKey> {
    if (this.copied) return yield* super.keys();
    for (const name of this.source().names()) if (this.source().get(name) !== undefined) yield name;
  }

  override *entries(): MapIterator<[PyKey, PyValue]> {
    if (this.copied) return yield* super.entries();
    for (const name of this.keys()) yield [name, this.get(name) as PyValue];
  }

  override *values(): MapIterator<PyValue> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[PyKey, PyValue]> {
    return this.entries();
  }

  override forEach(callback: (value: PyValue, key: PyKey, map: Map<PyKey, PyValue>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  override set(key: PyKey, value: PyValue): this {
    this.copy();
    return super.set(key, value);
  }

  override delete(key: PyKey): boolean {
    this.copy();
    return super.delete(key);
  }

  override clear(): void {
    this.copy();
    super.clear();
  }

  private copy(): void {
    if (this.copied) return;
    const entries = [...this.entries()];
    this.copied = true;
    for (const [key, value] of entries) super.set(key, value);
  }
}
