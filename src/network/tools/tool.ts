/**
 * What a simulated program gets and gives: its arguments, where it runs, its standard input,
 * whether its output is a terminal; and the bytes it writes to stdout and stderr, in order, with
 * its exit status.
 */
import type { NetContext } from '../context.ts';
import type { Place } from '../place.ts';
import type { Trace } from '../trace.ts';

export interface ToolContext {
  net: NetContext;
  place: Place;
  stdin: string;
  /** stdout is a terminal (`exec -t`): curl hides its progress meter, for one. */
  tty: boolean;
  /** The process environment. */
  env: Map<string, string>;
  trace?: Trace;
}

export interface Chunk {
  fd: 1 | 2;
  text: string;
}

export class Output {
  readonly chunks: Chunk[] = [];
  code = 0;

  out(text: string): this {
    if (text) this.chunks.push({ fd: 1, text });
    return this;
  }

  err(text: string): this {
    if (text) this.chunks.push({ fd: 2, text });
    return this;
  }

  exit(code: number): this {
    this.code = code;
    return this;
  }

  append(other: Output): this {
    this.chunks.push(...other.chunks);
    this.code = other.code;
    return this;
  }

  stdout(): string {
    return this.chunks.filter((c) => c.fd === 1).map((c) => c.text).join('');
  }

  stderr(): string {
    return this.chunks.filter((c) => c.fd === 2).map((c) => c.text).join('');
  }

  /** Both streams interleaved, as a terminal or a container log shows them. */
  combined(): string {
    return this.chunks.map((c) => c.text).join('');
  }
}

export type Tool = (argv: string[], ctx: ToolContext) => Output;
