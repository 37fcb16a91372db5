/**
 * Errors as the API server and kubectl produce them. Commands throw these; src/cli/errors.ts
 * is the one place that turns them into text and an exit code (kubectl's cmdutil.CheckErr).
 */
import { qualifiedResource, type ResourceInfo } from './registry.ts';

// ------------------------------------------------------------------ field errors

/** apimachinery field.ErrorType values. */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A value already rendered the way Go's `%#v` would print it (e.g. `[]string{"10.0.0.1"}`). */
export class GoValue {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * Quote a string the way Go's %q (strconv.Quote) does: printable runes as they are, everything
 * unicode.IsPrint rejects (controls, format characters, separators other than the ASCII space)
 * escaped.
 */
export function goQuote(s: string): string {
  const SIMPLE: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (SIMPLE[ch]) out += SIMPLE[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code !== 0x20 && /[\p{C}\p{Z}]/u.test(ch)) {
      out += code > 0xffff ? '\\U' + code.toString(16).padStart(8, '0') : '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Render a bad value as field.Error.ErrorBody does: numbers and booleans bare, strings %q, slices %#v. */
export function renderBadValue(value: unknown): string {
  // ErrorBody replaces a nil value with the string "null", which %q then quotes.
  if (value === null || value === undefined) return '"null"';
  if (value instanceof GoValue) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return goQuote(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map(goQuote).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** One validation failure, printed `<field>: <Type>[: <value>][: <detail>]`. */
export class FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;
  /** Required, Forbidden, TooLong and Internal never print the value (field.Error.ErrorBody). */
  private readonly omitValue: boolean;

  constructor(type: FieldErrorType, field: string, value: unknown, detail: string, omitValue = false) {
    this.type = type;
    this.field = field;
    this.value = value;
    this.detail = detail;
    this.omitValue = omitValue;
  }

  body(): string {
    let s = TYPE_TEXT[this.type];
    const bare =
      this.omitValue ||
      this.type === 'FieldValueRequired' ||
      this.type === 'FieldValueForbidden' ||
      this.type === 'FieldValueTooLong' ||
      this.type === 'InternalError';
    if (!bare) s += `: ${renderBadValue(this.value)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

export const fieldErr = {
  required: (field: string, detail = '') => new FieldError('FieldValueRequired', field, '', detail),
  invalid: (field: string, value: unknown, detail: string) => new FieldError('FieldValueInvalid', field, value, detail),
  duplicate: (field: string, value: unknown) => new FieldError('FieldValueDuplicate', field, value, ''),
  forbidden: (field: string, detail: string) => new FieldError('FieldValueForbidden', field, '', detail),
  notSupported: (field: string, value: unknown, valid: readonly string[]) =>
    new FieldError(
      'FieldValueNotSupported',
      field,
      value,
      valid.length ? 'supported values: ' + valid.map((v) => goQuote(v)).join(', ') : '',
    ),
  tooMany: (field: string, actual: number, max: number) =>
    new FieldError('FieldValueTooMany', field, actual, `must have at most ${max} items`),
  internal: (field: string, detail: string) => new FieldError('InternalError', field, null, detail),
  typeInvalid: (field: string, value: unknown, detail: string) =>
    new FieldError('FieldValueTypeInvalid', field, value, detail),
};

/** De-duplicate by message, as ErrorList.ToAggregate does. */
export function dedupeFieldErrors(errs: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errs) {
    const msg = e.toString();
    if (seen.has(msg)) continue;
    seen.add(msg);
    out.push(e);
  }
  return out;
}

// ------------------------------------------------------------------ API Status errors

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An error the API server would return as a metav1.Status. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }

  get reason(): string {
    return this.status.reason;
  }

  /** A copy with `prefix` before the message, as kubectl's AddSourceToErr does for `-f` sources. */
  withMessagePrefix(prefix: string): StatusError {
    return new StatusError({ ...this.status, message: prefix + this.status.message });
  }
}

function status(reason: string, code: number, message: string, details?: Status['details']): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

export function notFound(info: ResourceInfo, name: string): StatusError {
  return status('NotFound', 404, `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group || undefined,
    kind: info.resource,
  });
}

export function alreadyExists(info: ResourceInfo, name: string): StatusError {
  return status('AlreadyExists', 409, `${qualifiedResource(info)} "${name}" already exists`, {
    name,
    group: info.group || undefined,
    kind: info.resource,
  });
}

/**
 * 422 Invalid. The message names the qualified kind (`Deployment.apps "x" is invalid`) and joins
 * several causes as `[a, b]`; kubectl's headline uses details.kind without the group.
 */
export function invalid(info: ResourceInfo, name: string, errs: readonly FieldError[]): StatusError {
  const list = dedupeFieldErrors(errs);
  const qualifiedKind = info.group ? `${info.kind}.${info.group}` : info.kind;
  const joined = list.length === 1 ? list[0].toString() : `[${list.map((e) => e.toString()).join(', ')}]`;
  return status('Invalid', 422, `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    group: info.group || undefined,
    kind: info.kind,
    causes: list.map((e) => ({ reason: e.type, message: e.body(), field: e.field })),
  });
}

export function badRequest(message: string): StatusError {
  return status('BadRequest', 400, message);
}

export function conflict(info: ResourceInfo, name: string, detail: string): StatusError {
  return status(
    'Conflict',
    409,
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${detail}`,
    { name, group: info.group || undefined, kind: info.resource },
  );
}

export function forbidden(info: ResourceInfo, name: string, detail: string): StatusError {
  return status('Forbidden', 403, `${qualifiedResource(info)} "${name}" is forbidden: ${detail}`, {
    name,
    group: info.group || undefined,
    kind: info.resource,
  });
}

export function internalError(message: string): StatusError {
  return status('InternalError', 500, `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function methodNotSupported(info: ResourceInfo, action: string): StatusError {
  return status('MethodNotAllowed', 405, `${action} is not supported on resources of kind "${qualifiedResource(info)}"`, {
    group: info.group || undefined,
    kind: info.resource,
  });
}

// ------------------------------------------------------------------ client-side errors

/**
 * An error kubectl raises itself (bad flags, unreadable files, missing arguments). Printed as
 * `error: <message>` unless the message already starts so; `usage` adds kubectl's
 * `See 'kubectl <cmd> -h' for help and examples` line.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly usageCommand?: string;
  /** Print the message exactly, without the `error: ` prefix (cobra's own `Error: ...` lines). */
  readonly raw: boolean;
  constructor(message: string, opts: { exitCode?: number; usageCommand?: string; raw?: boolean } = {}) {
    super(message);
    this.exitCode = opts.exitCode ?? 1;
    this.usageCommand = opts.usageCommand;
    this.raw = opts.raw ?? false;
  }
}

/** Several independent failures (kubectl's utilerrors.Aggregate): each is printed on its own line. */
export class MultiError extends Error {
  readonly errors: Error[];
  constructor(errors: Error[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.errors = errors;
  }
}

/** A command that already wrote its output and only needs to end with this exit code. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}
