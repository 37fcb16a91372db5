/**
 * Resource records as BIND's tools print them (lib/dns/masterdump.c, style used by dig: TTL at
 * column 24, class at 32, type at 40, data at 48, reached with tabs and spaces; a field that
 * does not fit gets a single space).
 */
import { rdataText, type Question, type RR } from './message.ts';

/** masterdump.c indent(): tabs (width 8) then spaces to reach `to`, at least one character. */
function indent(column: number, to: number): { text: string; column: number } {
  const target = Math.max(to, column + 1);
  const tabs = Math.floor(target / 8) - Math.floor(column / 8);
  let text = '';
  let from = column;
  if (tabs > 0) {
    text += '\t'.repeat(tabs);
    from = Math.floor(target / 8) * 8;
  }
  text += ' '.repeat(target - from);
  return { text, column: target };
}

function columns(fields: [string, number | undefined][]): string {
  let s = '';
  let col = 0;
  for (const [text, at] of fields) {
    if (at !== undefined) {
      const pad = indent(col, at);
      s += pad.text;
      col = pad.column;
    }
    s += text;
    col += text.length;
  }
  return s;
}

/** A record line of dig's answer/authority/additional sections. */
export function rrLine(rr: RR): string {
  return columns([
    [rr.name, undefined],
    [String(rr.ttl), 24],
    ['IN', 32],
    [rr.data.type, 40],
    [rdataText(rr.data), 48],
  ]);
}

/** A question line (`;name.  IN  A`). */
export function questionLine(q: Question): string {
  return columns([
    [`;${q.name}`, undefined],
    ['IN', 32],
    [q.type, 40],
  ]);
}
