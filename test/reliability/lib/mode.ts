/**
 * Short and long versions of the reliability suites. `npm test` runs the short ones; with
 * KFAKE_SOAK=1 (`npm run soak`) the same suites run at full size and print their figures.
 */
export const LONG = process.env.KFAKE_SOAK === '1';

/** The short (CI) or long (soak) value of a size. */
export function size(short: number, long: number): number {
  return LONG ? long : short;
}

/** A per-test timeout in ms: generous in the long version, where sizes are much larger. */
export function budget(shortMs: number, longMs: number): number {
  return LONG ? longMs : shortMs;
}

/**
 * Failures are collected rather than thrown at the first one, so a run reports how many of its
 * trials failed, and the figures are printed even when some did.
 */
export class Figures {
  readonly suite: string;
  readonly values: [string, string | number][] = [];
  readonly failures: string[] = [];

  constructor(suite: string) {
    this.suite = suite;
  }

  set(name: string, value: string | number): void {
    const i = this.values.findIndex(([n]) => n === name);
    if (i >= 0) this.values[i] = [name, value];
    else this.values.push([name, value]);
  }

  add(name: string, by = 1): void {
    const i = this.values.findIndex(([n]) => n === name);
    if (i >= 0) this.values[i] = [name, Number(this.values[i][1]) + by];
    else this.values.push([name, by]);
  }

  fail(what: string): void {
    this.failures.push(what);
  }

  /** Check a condition; a false one is recorded as a failure with its description. */
  check(ok: boolean, what: () => string): boolean {
    if (!ok) this.fail(what());
    return ok;
  }

  /** One line of figures, then the first failures in full. */
  print(): void {
    const parts = this.values.map(([n, v]) => `${n} ${v}`);
    parts.push(`failures found: ${this.failures.length}`);
    let text = `[reliability${LONG ? ', long' : ''}] ${this.suite}: ${parts.join(', ')}`;
    for (const f of this.failures.slice(0, 5)) text += `\n  - ${f.split('\n').join('\n    ')}`;
    if (this.failures.length > 5) text += `\n  ... and ${this.failures.length - 5} more`;
    console.log(text);
  }
}
