/**
 * kubectl's describe PrefixWriter and tabbedString (staging/src/k8s.io/kubectl/pkg/describe/describe.go):
 * every write is indented by two spaces per level and terminal-escaped, and the whole text goes
 * through one tabwriter (padding 2) when the description is finished.
 */
import { DESCRIBE_TABWRITER, tabwrite } from '../tabwriter.ts';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

/**
 * cli-runtime's printers.WriteEscaped: ESC and CR in values must not reach the terminal
 * (staging/src/k8s.io/cli-runtime/pkg/printers/terminal.go).
 */
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

export class PrefixWriter {
  private readonly chunks: string[] = [];

  write(level: number, text: string): void {
    this.chunks.push(escapeTerminal('  '.repeat(level) + text));
  }

  /** The aligned description (tabbedString). */
  finish(): string {
    return tabwrite(this.chunks.join(''), DESCRIBE_TABWRITER);
  }
}

/** Run a describer body against a fresh writer and return the aligned text. */
export function tabbedString(body: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  body(w);
  return w.finish();
}
