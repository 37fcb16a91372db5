/**
 * `-o custom-columns=HEADER:expr,...` and `-o custom-columns-file=FILE`, after
 * kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/get/customcolumn.go and customcolumn_flags.go.
 */
import { CliError } from '../api/errors.ts';
import { findResults, goSprint, parseJsonPathExpression, relaxedJsonPathExpression } from './jsonpath.ts';
import type { JsonPathTemplate } from './jsonpath.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

/** One column: the header exactly as written and its expression in `{.a.b}` form. */
export interface CustomColumn {
  header: string;
  fieldSpec: string;
}

/** `NAME:.metadata.name,IP:{status.podIP}`: split on `,`, then each part on its first `:`. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CliError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) {
      throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    }
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPathExpression(part.slice(colon + 1)) };
  });
}

const FILE_FORMAT = 'Expected format is one line of space separated headers, one line of space separated column specs.';

/** Go's unicode.IsSpace, which bufio.ScanWords splits on. */
const GO_SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function splitOnWhitespace(line: string): string[] {
  return line.split(GO_SPACES).filter((word) => word.length > 0);
}

/** bufio.ScanLines: lines end at `\n`, a trailing `\r` is dropped, no empty token after a final newline. */
function scanLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * A custom-columns file: the first line holds the headers, the second the expressions, both
 * whitespace-separated; further lines are ignored.
 */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = scanLines(text);
  if (lines.length < 1) throw new CliError(`invalid template, missing header line. ${FILE_FORMAT}`);
  if (lines.length < 2) throw new CliError(`invalid template, missing spec line. ${FILE_FORMAT}`);
  const headers = splitOnWhitespace(lines[0]);
  const specs = splitOnWhitespace(lines[1]);
  if (headers.length !== specs.length) {
    throw new CliError(
      `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    );
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPathExpression(specs[i]) }));
}

/** cli-runtime printers.EscapeTerminal: ESC and CR made visible. */
function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

function compileColumns(columns: readonly CustomColumn[]): JsonPathTemplate[] {
  return columns.map((column, i) => parseJsonPathExpression(`column${i}`, column.fieldSpec));
}

function cells(templates: readonly JsonPathTemplate[], obj: unknown): string[] {
  return templates.map((tpl) => {
    const groups = findResults(tpl, obj, { allowMissingKeys: true });
    const values: string[] = [];
    if (groups.length === 0 || groups[0].length === 0) values.push('<none>');
    for (const group of groups) for (const value of group) values.push(escapeTerminal(goSprint(value)));
    return values.join(',');
  });
}

/**
 * The cells of one object's row: every match printed as Go's fmt prints it (`80`, `map[app:web]`,
 * `[a b]`), several matches joined with `,`, no match `<none>`. A column whose expression does
 * not parse, or fails (an index out of range), throws with client-go's bare message.
 */
export function customColumnCells(columns: readonly CustomColumn[], obj: unknown): string[] {
  return cells(compileColumns(columns), obj);
}

/**
 * The whole table for a list of objects, as CustomColumnsPrinter.PrintObj writes it: the header
 * line (unless `noHeaders`) even when there are no objects, then one row per object, aligned
 * like `get` tables. kubectl writes the header and the rows before a failing one, then reports
 * the error; `output` holds that text and `error` the failure.
 */
export function renderCustomColumns(
  columns: readonly CustomColumn[],
  objects: readonly unknown[],
  opts: { noHeaders: boolean },
): { output: string; error?: CliError } {
  let text = '';
  let error: CliError | undefined;
  if (!opts.noHeaders) text += columns.map((c) => c.header).join('\t') + '\n';
  try {
    const templates = compileColumns(columns);
    for (const obj of objects) text += cells(templates, obj).join('\t') + '\n';
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    error = e;
  }
  return { output: tabwrite(text, GET_TABWRITER), ...(error ? { error } : {}) };
}
