/**
 * `kubectl get` tables, in the two halves a real cluster splits them into:
 *
 * - buildTable is the server side: the apiserver's table convertor turns objects into a
 *   metav1.Table whose columns carry a priority (1 = shown only with `-o wide`) and whose rows
 *   carry every cell, wide ones included, because the server always renders with Wide=true
 *   (k8s.io/kubernetes pkg/printers/storage/storage.go). The per-kind cells live in ./columns.
 * - formatTable is the client side: kubectl decorates the table (NAMESPACE, kind prefixes,
 *   label columns), hides wide columns, escapes cells and aligns everything with its tabwriter
 *   (k8s.io/cli-runtime pkg/printers/tableprinter.go, decorateTable and printTable).
 */
import type { KObject } from '../api/types.ts';
import { RESOURCES } from '../api/registry.ts';
import { formatLabels } from './columns/common.ts';
import { printerFor } from './columns/index.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

export interface TableColumn {
  /** As printers.go spells it (`Cluster-IP`, `Nominated Node`); kubectl upper-cases it. */
  name: string;
  /** 0 = always shown, 1 = only with `-o wide`. */
  priority: number;
  /** `name` marks the object-name column, the one kubectl prefixes with `kind/`. */
  format?: 'name';
}

export interface TableRow {
  cells: string[];
  object: KObject;
}

export interface Table {
  /** The plural resource the rows belong to (`pods`, `services`, ...). */
  resource: string;
  columns: TableColumn[];
  rows: TableRow[];
}

/** The server half: the table the apiserver would return for these objects of one resource. */
export function buildTable(resource: string, objects: KObject[], now: Date): Table {
  const printer = printerFor(resource);
  return {
    resource,
    columns: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((object) => ({ cells: printer.cells(object, now), object })),
  };
}

export interface TableFormatOptions {
  wide: boolean;
  noHeaders: boolean;
  /** `-A`: a NAMESPACE column, for namespaced kinds only. */
  showNamespace: boolean;
  /** Several kinds in one call: NAME cells become `kind[.group]/name`. */
  showKind: boolean;
  /** `--show-labels` */
  showLabels: boolean;
  /** `-L` values; each may itself be a comma list, as kubectl's string-slice flag accepts. */
  labelColumns: string[];
}

/**
 * The client half: one table's text, header and rows aligned like `kubectl get` prints them.
 * Empty when the table has no rows (kubectl prints no header then); the caller separates
 * several tables with one blank line.
 */
export function formatTable(table: Table, opts: TableFormatOptions): string {
  if (table.rows.length === 0) return '';
  const { columns, rows } = decorate(table, opts);
  const visible = columns.map((c) => opts.wide || c.priority === 0);
  const lines: string[] = [];
  if (!opts.noHeaders) {
    lines.push(columns.filter((_, i) => visible[i]).map((c) => c.name.toUpperCase()).join('\t'));
  }
  for (const cells of rows) {
    lines.push(cells.filter((_, i) => visible[i]).map(escapeCell).join('\t'));
  }
  return tabwrite(lines.join('\n') + '\n', GET_TABWRITER);
}

/** tableprinter.go decorateTable: NAMESPACE first, then the table's columns, `-L` columns, LABELS. */
function decorate(table: Table, opts: TableFormatOptions): { columns: TableColumn[]; rows: string[][] } {
  const withNamespace = opts.showNamespace && isNamespaced(table);
  const labelKeys = opts.labelColumns.flatMap((l) => l.split(','));
  const nameColumn = opts.showKind ? table.columns.findIndex((c) => c.format === 'name') : -1;

  const columns: TableColumn[] = [
    ...(withNamespace ? [{ name: 'Namespace', priority: 0 }] : []),
    ...table.columns,
    ...labelKeys.map((key) => ({ name: labelHeader(key), priority: 0 })),
    ...(opts.showLabels ? [{ name: 'Labels', priority: 0 }] : []),
  ];
  const rows = table.rows.map(({ cells, object }) => {
    const labels = object.metadata.labels ?? {};
    const own = cells.map((cell, i) => (i === nameColumn ? `${kindOf(object)}/${cell}` : cell));
    return [
      ...(withNamespace ? [object.metadata.namespace ?? ''] : []),
      ...own,
      ...labelKeys.map((key) => (Object.hasOwn(labels, key) ? labels[key] : '')),
      ...(opts.showLabels ? [formatLabels(labels)] : []),
    ];
  });
  return { columns, rows };
}

/** kubectl leaves NAMESPACE out for cluster-scoped kinds even with `-A` (get.go, RESTScopeNameRoot). */
function isNamespaced(table: Table): boolean {
  const info = RESOURCES.find((r) => r.resource === table.resource);
  return info ? info.namespaced : table.rows.some((r) => !!r.object.metadata.namespace);
}

/** formatLabelHeaders: the part after the last `/`, upper-cased (`example.com/tier` → `TIER`). */
function labelHeader(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).toUpperCase();
}

/** strings.ToLower(GroupKind.String()): `pod`, `deployment.apps`, `ingress.networking.k8s.io`. */
function kindOf(object: KObject): string {
  const slash = object.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  return (group ? `${object.kind}.${group}` : object.kind).toLowerCase();
}

/**
 * printTable's cell handling: a cell is cut at its first line break (`\n`, `\r`, or `\f`, which
 * the tabwriter would treat as one) and `...` appended; what remains goes through the terminal
 * escaper (terminal.go), which shows ESC as `^[`. (The escaper also rewrites CR, but no CR is
 * left after the cut.)
 */
function escapeCell(cell: string): string {
  const cut = cell.search(/[\f\n\r]/);
  const text = (cut < 0 ? cell : cell.slice(0, cut)).replace(/\x1b/g, '^[');
  return cut < 0 ? text : `${text}...`;
}
