/**
 * Go's text/tabwriter, as kubectl configures it:
 * - `get` tables: min width 6, padding 3 (cli-runtime pkg/printers/tabwriter.go);
 * - `describe`: min width 0, padding 2 (kubectl pkg/describe/describe.go).
 *
 * Cells are tab-terminated; the text after the last tab of a line is not part of a column and
 * is written unpadded. A column's width is decided per *block*: a run of consecutive lines that
 * all have a cell in that column, so a line with fewer cells restarts alignment below it.
 * Widths count runes, as Go does.
 */
export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

export const GET_TABWRITER: TabwriterOptions = { minWidth: 6, padding: 3 };
export const DESCRIBE_TABWRITER: TabwriterOptions = { minWidth: 0, padding: 2 };

function runeLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // count a surrogate pair once
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/**
 * Align `text` (lines separated by `\n`, cells by `\t`). A trailing newline is kept; text after
 * the last newline is treated as a final line, as Flush does.
 */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        if (j < widths.length && j < cells.length - 1) {
          s += c + ' '.repeat(Math.max(0, widths[j] - runeLength(c)));
        } else {
          s += c;
        }
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur].length - 1) continue;
      writeLines(line0, cur);
      line0 = cur;
      let width = opts.minWidth;
      for (; cur < line1; cur++) {
        const cells = lines[cur];
        if (column >= cells.length - 1) break;
        const w = runeLength(cells[column]) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
