// Shared by the per-kind printer tests: a fixed clock and a way to read one row's cells the
// way printers_test.go compares them (default columns, or every column for the wide form).
import type { KObject } from '../../../src/api/types.ts';
import { buildTable } from '../../../src/printers/table.ts';

export const NOW = new Date('2026-01-10T12:00:00Z');

/** An RFC 3339 time `seconds` before NOW (negative: after it). */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The row's cells; without `wide`, only the columns of priority 0. */
export function rowCells(resource: string, object: KObject, wide = false): string[] {
  const table = buildTable(resource, [object], NOW);
  return table.rows[0].cells.filter((_, i) => wide || table.columns[i].priority === 0);
}

/** The column names, in order. */
export function columnNames(resource: string, wide = false): string[] {
  return buildTable(resource, [], NOW)
    .columns.filter((c) => wide || c.priority === 0)
    .map((c) => c.name);
}
