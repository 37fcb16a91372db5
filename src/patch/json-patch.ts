/**
 * JSON patch (RFC 6902) as Kubernetes applies it: with gopkg.in/evanphx/json-patch.v4 (v4.12.0,
 * vendored by both kubectl and the apiserver in v1.32), whose behaviour departs from the RFC in
 * ways users can see, and which this module reproduces:
 * - negative array indices count from the end (`/ports/-1`); `add` at `-1` appends;
 * - `replace` of a missing object key adds it; `replace` of the whole document with a
 *   non-container value does nothing;
 * - `add` without `value`, and `copy` from a missing key, store null; `test` of a missing key
 *   against null succeeds;
 * - the error texts (`error in remove for path: '/spec/nope': Unable to remove nonexistent key:
 *   nope: missing value`).
 * A generic RFC 6902 library (fast-json-patch) rejects or treats differently each of these cases.
 *
 * Failures carry two texts: kubectl's for a local patch (kubectl/pkg/cmd/patch/patch.go rewrites
 * "doc is missing key" errors), and the apiserver's status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go): a body that does not decode is
 * a BadRequest, a patch that does not apply is a bare 422 without the library's message.
 */
import { goQuote } from '../api/errors.ts';
import { failureStatus, PatchError } from './patch-meta.ts';

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const APPLY_FAILED = 'the server rejected our request due to an error in our request';

/** The word encoding/json uses for a JSON value in "cannot unmarshal X into ...". */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isMap(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** A patch body that does not decode: jsonpatch.DecodePatch's error locally, the strict decode of the apiserver remotely. */
function decodeError(local: string, server: string): never {
  throw new PatchError(local, failureStatus('BadRequest', 400, `error decoding patch: ${server}`));
}

/** An operation that does not apply. */
class ApplyError extends Error {}

function applyError(message: string): never {
  throw new ApplyError(message);
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** decodePatchKey: RFC 6901 unescaping of one path segment. */
function decodeKey(s: string): string {
  return s.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** strconv.Atoi: the value, or the error text. */
function atoi(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    return `strconv.Atoi: parsing ${goQuote(s)}: value out of range`;
  }
  return Number(n);
}

const invalidIndex = (idx: number) => `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;

/** One JSON container of the document, with the library's container operations (errors as text). */
interface Container {
  get(key: string): { value: unknown } | { error: string };
  set(key: string, value: unknown): string | undefined;
  add(key: string, value: unknown): string | undefined;
  remove(key: string): string | undefined;
}

function objectContainer(doc: JsonMap): Container {
  return {
    get: (key) => ({ value: Object.hasOwn(doc, key) ? doc[key] : null }),
    set: (key, value) => {
      doc[key] = value;
      return undefined;
    },
    add: (key, value) => {
      doc[key] = value;
      return undefined;
    },
    remove: (key) => {
      if (!Object.hasOwn(doc, key)) return `Unable to remove nonexistent key: ${key}: ${MISSING}`;
      delete doc[key];
      return undefined;
    },
  };
}

function arrayContainer(ary: unknown[]): Container {
  /** A negative index counts from the end (SupportNegativeIndices defaults to true). */
  const resolve = (idx: number, size: number): number | string => {
    if (idx < 0) {
      if (idx < -size) return invalidIndex(idx);
      return idx + size;
    }
    return idx;
  };
  return {
    get: (key) => {
      const parsed = atoi(key);
      if (typeof parsed === 'string') return { error: parsed };
      const idx = resolve(parsed, ary.length);
      if (typeof idx === 'string') return { error: idx };
      if (idx >= ary.length) return { error: invalidIndex(idx) };
      return { value: ary[idx] };
    },
    set: (key, value) => {
      const parsed = atoi(key);
      if (typeof parsed === 'string') return parsed;
      const idx = resolve(parsed, ary.length);
      if (typeof idx === 'string') return idx;
      ary[idx] = value;
      return undefined;
    },
    add: (key, value) => {
      if (key === '-') {
        ary.push(value);
        return undefined;
      }
      const parsed = atoi(key);
      if (typeof parsed === 'string') return `value was not a proper array index: '${key}': ${parsed}`;
      const size = ary.length + 1;
      if (parsed >= size) return invalidIndex(parsed);
      const idx = resolve(parsed, size);
      if (typeof idx === 'string') return idx;
      ary.splice(idx, 0, value);
      return undefined;
    },
    remove: (key) => {
      const parsed = atoi(key);
      if (typeof parsed === 'string') return parsed;
      if (parsed >= ary.length) return invalidIndex(parsed);
      const idx = resolve(parsed, ary.length);
      if (typeof idx === 'string') return idx;
      ary.splice(idx, 1);
      return undefined;
    },
  };
}

function containerOf(v: unknown): Container | undefined {
  if (Array.isArray(v)) return arrayContainer(v);
  if (isMap(v)) return objectContainer(v);
  return undefined;
}

/** findObject: the container holding the last segment of `path`, and that segment unescaped. */
function findObject(root: unknown, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let container = containerOf(root);
  for (const part of split.slice(1, -1)) {
    const next = container?.get(decodeKey(part));
    if (!next || 'error' in next || next.value === null) return undefined;
    container = containerOf(next.value);
  }
  return container && [container, decodeKey(split[split.length - 1])];
}

/** Operation.Path / Operation.From: a string field, or why it cannot be read. */
function stringField(op: JsonMap, field: 'path' | 'from'): { value: string } | { error: string } {
  const v = op[field];
  if (v === undefined || v === null) {
    const what = field === 'path' ? 'operation missing path field' : 'operation, missing from field';
    return { error: `${what}: ${MISSING}` };
  }
  if (typeof v !== 'string') return { error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type string` };
  return { value: v };
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Apply one operation; returns the (possibly replaced) document. */
function applyOperation(root: unknown, op: JsonMap): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const value = op.value ?? null;
  switch (kind) {
    case 'add': {
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`add operation failed to decode path: ${MISSING}`);
      const found = findObject(root, path.value);
      if (!found) applyError(`add operation does not apply: doc is missing path: "${path.value}": ${MISSING}`);
      const err = found[0].add(found[1], structuredClone(value));
      if (err) applyError(`error in add for path: '${path.value}': ${err}`);
      return root;
    }
    case 'remove': {
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`remove operation failed to decode path: ${MISSING}`);
      const found = findObject(root, path.value);
      if (!found) applyError(`remove operation does not apply: doc is missing path: "${path.value}": ${MISSING}`);
      const err = found[0].remove(found[1]);
      if (err) applyError(`error in remove for path: '${path.value}': ${err}`);
      return root;
    }
    case 'replace': {
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`replace operation failed to decode path: ${path.error}`);
      if (path.value === '') {
        // v4.12.0 wraps a nil error for a scalar value, which yields no error at all.
        return isMap(value) || Array.isArray(value) ? structuredClone(value) : root;
      }
      const found = findObject(root, path.value);
      if (!found) applyError(`replace operation does not apply: doc is missing path: ${path.value}: ${MISSING}`);
      if ('error' in found[0].get(found[1])) {
        applyError(`replace operation does not apply: doc is missing key: ${path.value}: ${MISSING}`);
      }
      const err = found[0].set(found[1], structuredClone(value));
      if (err) applyError(`error in remove for path: '${path.value}': ${err}`);
      return root;
    }
    case 'move': {
      const from = stringField(op, 'from');
      if ('error' in from) applyError(`move operation failed to decode from: ${from.error}`);
      const source = findObject(root, from.value);
      if (!source) applyError(`move operation does not apply: doc is missing from path: ${from.value}: ${MISSING}`);
      const got = source[0].get(source[1]);
      if ('error' in got) applyError(`error in move for path: '${source[1]}': ${got.error}`);
      const removeErr = source[0].remove(source[1]);
      if (removeErr) applyError(`error in move for path: '${source[1]}': ${removeErr}`);
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`move operation failed to decode path: ${path.error}`);
      const target = findObject(root, path.value);
      if (!target) applyError(`move operation does not apply: doc is missing destination path: ${path.value}: ${MISSING}`);
      const addErr = target[0].add(target[1], got.value);
      if (addErr) applyError(`error in move for path: '${path.value}': ${addErr}`);
      return root;
    }
    case 'test': {
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`test operation failed to decode path: ${path.error}`);
      if (path.value === '') {
        if (!jsonEqual(root, value)) applyError(`testing value ${path.value} failed: test failed`);
        return root;
      }
      const found = findObject(root, path.value);
      if (!found) applyError(`test operation does not apply: is missing path: ${path.value}: ${MISSING}`);
      const got = found[0].get(found[1]);
      if ('error' in got) applyError(`error in test for path: '${path.value}': ${got.error}`);
      if (!jsonEqual(got.value, value)) applyError(`testing value ${path.value} failed: test failed`);
      return root;
    }
    case 'copy': {
      const from = stringField(op, 'from');
      if ('error' in from) applyError(`copy operation failed to decode from: ${from.error}`);
      const source = findObject(root, from.value);
      if (!source) applyError(`copy operation does not apply: doc is missing from path: ${from.value}: ${MISSING}`);
      const got = source[0].get(source[1]);
      if ('error' in got) applyError(`error in copy for from: '${from.value}': ${got.error}`);
      const path = stringField(op, 'path');
      if ('error' in path) applyError(`copy operation failed to decode path: ${MISSING}`);
      const target = findObject(root, path.value);
      if (!target) applyError(`copy operation does not apply: doc is missing destination path: ${path.value}: ${MISSING}`);
      const addErr = target[0].add(target[1], structuredClone(got.value));
      if (addErr) applyError(`error while adding value during copy: ${addErr}`);
      return root;
    }
    default:
      return applyError(`Unexpected kind: ${kind}`);
  }
}

/**
 * The body checks that come before applying: the apiserver decodes the body strictly into
 * `[]jsonPatchOp{op, path, from string; value}`, kubectl into `[]map[string]RawMessage`.
 * Throws for a body neither accepts; returns the apiserver's error for a non-string op, path or
 * from, which kubectl only notices when the operation runs.
 */
function checkShape(ops: unknown): string | undefined {
  if (!Array.isArray(ops)) {
    decodeError(
      `json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`,
      `json: cannot unmarshal ${jsonKind(ops)} into Go value of type []handlers.jsonPatchOp`,
    );
  }
  let fieldError: string | undefined;
  for (const op of ops) {
    if (op === null) continue;
    if (!isMap(op)) {
      decodeError(
        `json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`,
        `json: cannot unmarshal ${jsonKind(op)} into Go value of type handlers.jsonPatchOp`,
      );
    }
    for (const [field, v] of Object.entries(op)) {
      if ((field === 'op' || field === 'path' || field === 'from') && v !== null && typeof v !== 'string') {
        fieldError ??= `json: cannot unmarshal ${jsonKind(v)} into Go struct field jsonPatchOp.${field} of type string`;
      }
    }
  }
  return fieldError;
}

/** kubectl patch --local turns "doc is missing key" failures into its own sentence. */
function localMessage(message: string): string {
  const ix = message.indexOf('key:');
  if (!message.includes('doc is missing key') || ix < 0) return message;
  return `Object to be patched is missing field (${message.slice(ix + 5)})`;
}

/**
 * Apply an RFC 6902 patch (already parsed from JSON) to a copy of `original`; a null patch
 * changes nothing. Throws PatchError.
 */
export function applyJsonPatch(original: unknown, ops: unknown): unknown {
  if (ops === null) return structuredClone(original);
  const fieldError = checkShape(ops);
  const serverStatus = () =>
    fieldError
      ? failureStatus('BadRequest', 400, `error decoding patch: ${fieldError}`)
      : failureStatus('Invalid', 422, APPLY_FAILED);
  let doc = structuredClone(original);
  try {
    for (const op of ops as unknown[]) doc = applyOperation(doc, isMap(op) ? op : {});
  } catch (e) {
    if (!(e instanceof ApplyError)) throw e;
    throw new PatchError(localMessage(e.message), serverStatus());
  }
  if (fieldError) throw new PatchError(fieldError, serverStatus());
  return doc;
}
