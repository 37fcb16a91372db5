// Shared by the per-kind printer tests: a fixed clock and a way to read one row's cells the
// way printers_test.go compares them (default columns, or every column for the wide form).
import { expect } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { printerFor } from '../../../src/printers/columns/index.ts';
import { buildTable } from '../../../src/printers/table.ts';
import { encodeSummary, summarize, type Summary } from '../../../src/store/format.ts';

export const NOW = new Date('2026-01-10T12:00:00Z');

/** An RFC 3339 time `seconds` before NOW (negative: after it). */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The row's cells; without `wide`, only the columns of priority 0. For a kind whose rows the
 * store keeps (pods), the row read back from the object's stored summary must give the same
 * cells, so every case checks that path too.
 */
export function rowCells(resource: string, object: KObject, wide = false): string[] {
  const table = buildTable(resource, [object], NOW);
  const cells = table.rows[0].cells;
  const stored = printerFor(resource).stored;
  if (stored) {
    const summary = JSON.parse(encodeSummary(summarize(resource, object))) as Summary;
    expect(summary.w).toBeDefined();
    expect(stored.cells(summary.w, object.metadata.name ?? '', NOW)).toEqual(cells);
  }
  return cells.filter((_, i) => wide || table.columns[i].priority === 0);
}

/** The column names, in order. */
export function columnNames(resource: string, wide = false): string[] {
  return buildTable(resource, [], NOW)
    .columns.filter((c) => wide || c.priority === 0)
    .map((c) => c.name);
}
