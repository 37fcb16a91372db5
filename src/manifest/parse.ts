/**
 * Manifest documents → objects, as `kubectl apply|create|delete -f` reads them.
 *
 * The pipeline follows kubectl 1.32 step by step, because users see its exact error texts:
 *  1. the stream is JSON if its first non-space byte is `{`, otherwise YAML split into
 *     documents at lines starting with `---`
 *     (kubernetes/kubernetes:staging/src/k8s.io/apimachinery/pkg/util/yaml/decoder.go);
 *  2. each YAML document is converted to JSON by sigs.k8s.io/yaml, i.e. parsed by go-yaml v2
 *     (YAML 1.1: yes/on/y are booleans, 010 is octal, keys become strings), and JSON streams
 *     are read by encoding/json's Decoder;
 *  3. empty documents are skipped, `apiVersion`/`kind` are checked unless validation is off
 *     (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/validation/schema.go);
 *  4. the document is decoded as unstructured, lists (anything with `items`) are flattened
 *     and `metadata` must decode into ObjectMeta
 *     (staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go, mapper.go, metadata_decoder.go,
 *     staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/helpers.go).
 *
 * The YAML part is a port of go-yaml v2.4.0's scanner, parser and decoder (scannerc.go,
 * parserc.go, readerc.go, decode.go, resolve.go, as vendored by sigs.k8s.io/yaml), so that
 * documents are accepted or rejected exactly as kubectl does, with the same messages and line
 * numbers. Untrusted input is bounded: the scanners refuse nesting deeper than go-yaml and
 * encoding/json do (GO_MAX_DEPTH), a document that kubectl would accept but that nests deeper
 * than kfake handles (MAX_DEPTH) is refused with kfake's own message, alias expansion is limited
 * as go-yaml limits it, and tags never run anything.
 */
import { CliError, MultiError, goQuote } from '../api/errors.ts';
import { parseGroupVersion } from '../api/registry.ts';
import { compareGoStrings, formatGoFloat, formatJsonNumber, toCompactJson } from '../printers/json.ts';
import type { ManifestSource } from './read.ts';

export interface ManifestObject {
  source: string;
  object: Record<string, unknown>;
}

/** One result of reading a source, in kubectl's order: an object, or an error for that document. */
export type ManifestEntry = ManifestObject | { source: string; error: Error };

export interface ParseOptions {
  /** kubectl's --validate (default true); false skips the apiVersion/kind check. */
  validate?: boolean;
}

/**
 * Every object of a source. Throws the first error kubectl would report for it (a CliError,
 * or a MultiError when kubectl reports an aggregate, e.g. bad items of a List).
 */
export function parseManifests(src: ManifestSource, opts: ParseOptions = {}): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const entry of parseManifestEntries(src, opts)) {
    if ('error' in entry) throw entry.error;
    objects.push(entry);
  }
  return objects;
}

/**
 * Objects and errors of a source in the order kubectl meets them. kubectl keeps going after a
 * document that does not decode, but stops reading a source at a syntax or validation error
 * (that error is then the last entry). Messages carry no `error: ` prefix.
 */
export function parseManifestEntries(src: ManifestSource, opts: ParseOptions = {}): ManifestEntry[] {
  if (src.error !== undefined) return [{ source: src.name, error: new CliError(src.error) }];
  const entries: ManifestEntry[] = [];
  try {
    for (const doc of streamDocuments(src.text)) {
      if (opts.validate ?? true) {
        // validation.Parse decodes the whole document first; GetObjectKind checks it after.
        const overflow = overflowingNumber(doc.value);
        const problems = overflow !== null ? [overflow] : objectKindProblems(doc.value);
        if (problems.length > 0) {
          const detail = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
          throw new CliError(
            `error validating ${goQuote(src.name)}: error validating data: ${detail}; ` +
              'if you choose to ignore these errors, turn validation off with --validate=false',
          );
        }
      }
      entries.push(...decodeDocument(src.name, doc));
    }
  } catch (err) {
    if (err instanceof StreamError) {
      entries.push({ source: src.name, error: new CliError(`error parsing ${src.name}: ${err.message}`) });
    } else if (err instanceof CliError) {
      entries.push({ source: src.name, error: err });
    } else {
      throw err;
    }
  }
  return entries;
}

/**
 * One YAML document as go-yaml v2 reads it into interface{} (only the first document of the
 * text counts, as in yaml.Unmarshal). Throws YamlError with go-yaml's message (`yaml: ...`).
 */
export function decodeGoYaml(text: string): GoValue {
  const composer = new Composer(new YamlParser(text));
  const root = composer.document();
  return root === null ? null : new Decoder().decodeDocument(root);
}

/**
 * The nesting kubectl refuses beyond: go-yaml's max_flow_level and max_indents (scannerc.go) and
 * encoding/json's maxNestingDepth (scanner.go) are all 10000.
 */
export const GO_MAX_DEPTH = 10000;

/**
 * The nesting kfake handles, in collections below the document's top level. kubectl takes
 * documents up to GO_MAX_DEPTH levels deep, but kfake
 * walks objects recursively (decoding, defaulting, patching, printing), and V8's stack ends a
 * few thousand levels down: a document that parses but nests deeper than this is refused with
 * kfake's own message rather than ending in a stack overflow somewhere later.
 */
export const MAX_DEPTH = 1000;

/** A document kubectl would read but kfake does not handle (see MAX_DEPTH). */
class NestingError extends Error {
  constructor() {
    super(`objects nested more than ${MAX_DEPTH} levels deep are not supported by kfake`);
  }
}

// ============================================================================================
// Stream splitting (apimachinery util/yaml YAMLOrJSONDecoder, YAMLReader, LineReader)
// ============================================================================================

/** A stream-level failure: kubectl reports it as `error parsing <source>: <message>`. */
class StreamError extends Error {}

interface Document {
  value: JsonValue;
  /** The document as kubectl quotes it in messages: the JSON text. */
  raw: string;
}

function* streamDocuments(text: string): Generator<Document> {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (looksLikeJson(body)) {
    yield* jsonDocuments(body);
    return;
  }
  for (const chunk of yamlChunks(body)) {
    let value: JsonValue;
    try {
      value = goValueToJson(decodeGoYaml(chunk));
    } catch (err) {
      if (err instanceof YamlError) throw new StreamError(`error converting YAML to JSON: ${err.message}`);
      if (err instanceof NestingError) throw new StreamError(err.message);
      throw err;
    }
    if (value === null) continue;
    // The JSON text is only quoted in a few errors: made when asked for.
    yield {
      value,
      get raw() {
        return toCompactJson(jsonToPlain(value));
      },
    };
  }
}

/** GuessJSONStream: the first non-space character of the first 4096 bytes is `{`. */
function looksLikeJson(text: string): boolean {
  let bytes = 0;
  for (const ch of text) {
    if (bytes >= 4096) return false;
    if (!GO_SPACE.test(ch)) return ch === '{';
    bytes += utf8Length(ch.codePointAt(0)!);
  }
  return false;
}

/**
 * YAMLReader: lines (CRLF ends a line like LF, as bufio.ReadLine strips it) are gathered into
 * documents separated by lines that start with `---`; the rest of such a line may only be
 * blank or a comment. A separator ends a non-empty chunk and is dropped; one that starts a
 * chunk stays in it (YAMLReader.Read writes it to its empty buffer), so `---\n...\n` is a
 * document that go-yaml reads as explicitly empty, while a lone `...\n` is not.
 */
function* yamlChunks(text: string): Generator<string> {
  const lines = text.split('\n');
  // A final empty piece is not a line: it follows the last newline, or the input is empty.
  if (lines[lines.length - 1] === '') lines.pop();
  let buffer = '';
  for (let i = 0; i < lines.length; i++) {
    const terminated = i < lines.length - 1 || text.endsWith('\n');
    const line = (terminated && lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]) + '\n';
    if (line.startsWith('---')) {
      const rest = trimGoSpace(line.slice(3));
      if (rest !== '' && rest[0] !== '#') throw new StreamError(`invalid Yaml document separator: ${rest}`);
      if (buffer !== '') {
        yield buffer;
        buffer = '';
        continue;
      }
    }
    buffer += line;
  }
  if (buffer !== '') yield buffer;
}

/** unicode.IsSpace. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && GO_SPACE.test(s[start])) start++;
  while (end > start && GO_SPACE.test(s[end - 1])) end--;
  return s.slice(start, end);
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// ============================================================================================
// The JSON document model shared by both input formats
// ============================================================================================

/** A JSON number with the literal Go's decoder sees (it matters for int64 fields). */
class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A JSON object with its members in document order (duplicates kept; the last one wins). */
class JsonObject {
  readonly members: [string, JsonValue][];
  constructor(members: [string, JsonValue][]) {
    this.members = members;
  }
  has(key: string): boolean {
    return this.members.some(([k]) => k === key);
  }
  get(key: string): JsonValue | undefined {
    for (let i = this.members.length - 1; i >= 0; i--) if (this.members[i][0] === key) return this.members[i][1];
    return undefined;
  }
}

type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

function jsonToPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(jsonToPlain);
  if (value instanceof JsonObject) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.members) {
      // as Object.fromEntries would: an own property even for `__proto__`, the last one winning
      if (k === '__proto__') Object.defineProperty(out, k, { value: jsonToPlain(v), enumerable: true, writable: true, configurable: true });
      else out[k] = jsonToPlain(v);
    }
    return out;
  }
  return value;
}

/** The first answer other than null of `visit` for the items or member values, in order. */
function firstOfChildren<T>(value: JsonValue, visit: (child: JsonValue) => T | null): T | null {
  if (Array.isArray(value)) {
    for (const child of value) {
      const found = visit(child);
      if (found !== null) return found;
    }
  } else if (value instanceof JsonObject) {
    for (const [, child] of value.members) {
      const found = visit(child);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The JSON type name encoding/json uses in "cannot unmarshal X into ..." messages. */
function jsonKind(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof JsonNumber) return 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

// ============================================================================================
// JSON streams (encoding/json Decoder and scanner.go), with Go's messages and byte offsets
// ============================================================================================

const SCAN_CONTINUE = 0;
const SCAN_SKIP_SPACE = 1;
const SCAN_END_COMPOSITE = 2;
const SCAN_END = 3;
const SCAN_ERROR = 4;

type ParseState = 'key' | 'value' | 'array';

/** scanner.go's state machine over bytes; only the bits the stream decoder needs. */
class JsonScanner {
  step: (c: number) => number = (c) => this.beginValue(c);
  private stack: ParseState[] = [];
  error = '';
  /** Bytes scanned since the start of the stream (never reset, as in Go). */
  bytes = 0;
  /** The deepest nesting of the current value. */
  deepest = 0;

  reset(): void {
    this.step = (c) => this.beginValue(c);
    this.stack = [];
    this.error = '';
    this.deepest = 0;
  }

  private fail(c: number, context: string): number {
    this.step = () => SCAN_ERROR;
    this.error = `invalid character ${quoteChar(c)} ${context}`;
    return SCAN_ERROR;
  }

  private push(c: number, state: ParseState): number {
    this.stack.push(state);
    this.deepest = Math.max(this.deepest, this.stack.length);
    return this.stack.length <= GO_MAX_DEPTH ? SCAN_CONTINUE : this.fail(c, 'exceeded max depth');
  }

  private beginValue(c: number): number {
    if (isJsonSpace(c)) return SCAN_SKIP_SPACE;
    switch (c) {
      case 0x7b: // {
        this.step = (d) => {
          if (isJsonSpace(d)) return SCAN_SKIP_SPACE;
          return d === 0x7d ? this.endValue(d, true) : this.beginString(d);
        };
        return this.push(c, 'key');
      case 0x5b: // [
        this.step = (d) => (isJsonSpace(d) ? SCAN_SKIP_SPACE : d === 0x5d ? this.endValue(d) : this.beginValue(d));
        return this.push(c, 'array');
      case 0x22:
        this.step = (d) => this.inString(d);
        return SCAN_CONTINUE;
      case 0x2d: // -
        this.step = (d) => {
          if (d === 0x30) return this.toZero();
          return isDigit19(d) ? this.toDigits() : this.fail(d, 'in numeric literal');
        };
        return SCAN_CONTINUE;
      case 0x30:
        return this.toZero();
      case 0x74:
        return this.literal('true', 1);
      case 0x66:
        return this.literal('false', 1);
      case 0x6e:
        return this.literal('null', 1);
    }
    if (isDigit19(c)) return this.toDigits();
    return this.fail(c, 'looking for beginning of value');
  }

  private beginString(c: number): number {
    if (isJsonSpace(c)) return SCAN_SKIP_SPACE;
    if (c === 0x22) {
      this.step = (d) => this.inString(d);
      return SCAN_CONTINUE;
    }
    return this.fail(c, 'looking for beginning of object key string');
  }

  private literal(word: string, i: number): number {
    const expected = word.charCodeAt(i);
    const context = `in literal ${word} (expecting '${word[i]}')`;
    this.step =
      i === word.length
        ? (d) => this.endValue(d)
        : (d) => (d === expected ? this.literal(word, i + 1) : this.fail(d, context));
    return SCAN_CONTINUE;
  }

  private inString(c: number): number {
    if (c === 0x22) this.step = (d) => this.endValue(d);
    else if (c === 0x5c) this.step = (d) => this.inStringEscape(d);
    else if (c < 0x20) return this.fail(c, 'in string literal');
    return SCAN_CONTINUE;
  }

  private inStringEscape(c: number): number {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) this.step = (d) => this.inString(d);
    else if (c === 0x75) this.step = (d) => this.inHex(d, 4);
    else return this.fail(c, 'in string escape code');
    return SCAN_CONTINUE;
  }

  private inHex(c: number, left: number): number {
    if (!/[0-9a-fA-F]/.test(String.fromCharCode(c))) return this.fail(c, 'in \\u hexadecimal character escape');
    this.step = left === 1 ? (d) => this.inString(d) : (d) => this.inHex(d, left - 1);
    return SCAN_CONTINUE;
  }

  private toDigits(): number {
    this.step = (d) => (isDigit(d) ? SCAN_CONTINUE : this.afterInteger(d));
    return SCAN_CONTINUE;
  }

  private toZero(): number {
    this.step = (d) => this.afterInteger(d);
    return SCAN_CONTINUE;
  }

  private afterInteger(c: number): number {
    if (c === 0x2e) {
      this.step = (d) => (isDigit(d) ? this.fraction() : this.fail(d, 'after decimal point in numeric literal'));
      return SCAN_CONTINUE;
    }
    if (c === 0x65 || c === 0x45) return this.exponent();
    return this.endValue(c);
  }

  private fraction(): number {
    this.step = (d) => (isDigit(d) ? SCAN_CONTINUE : d === 0x65 || d === 0x45 ? this.exponent() : this.endValue(d));
    return SCAN_CONTINUE;
  }

  private exponent(): number {
    const sign = (d: number): number => {
      if (!isDigit(d)) return this.fail(d, 'in exponent of numeric literal');
      this.step = (e) => (isDigit(e) ? SCAN_CONTINUE : this.endValue(e));
      return SCAN_CONTINUE;
    };
    this.step = (d) => {
      if (d !== 0x2b && d !== 0x2d) return sign(d);
      this.step = sign;
      return SCAN_CONTINUE;
    };
    return SCAN_CONTINUE;
  }

  /** stateEndValue; `emptyObject` is `{}` closing before any key. */
  private endValue(c: number, emptyObject = false): number {
    const n = this.stack.length;
    if (n === 0) {
      this.step = () => SCAN_END;
      return SCAN_END;
    }
    if (isJsonSpace(c)) {
      this.step = (d) => this.endValue(d);
      return SCAN_SKIP_SPACE;
    }
    const state = emptyObject ? 'value' : this.stack[n - 1];
    if (state === 'key') {
      if (c !== 0x3a) return this.fail(c, 'after object key');
      this.stack[n - 1] = 'value';
      this.step = (d) => this.beginValue(d);
      return SCAN_CONTINUE;
    }
    if (state === 'value') {
      if (c === 0x2c) {
        this.stack[n - 1] = 'key';
        this.step = (d) => this.beginString(d);
        return SCAN_CONTINUE;
      }
      if (c === 0x7d) return this.pop();
      return this.fail(c, 'after object key:value pair');
    }
    if (c === 0x2c) {
      this.step = (d) => this.beginValue(d);
      return SCAN_CONTINUE;
    }
    if (c === 0x5d) return this.pop();
    return this.fail(c, 'after array element');
  }

  private pop(): number {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = () => SCAN_END;
      return SCAN_END_COMPOSITE;
    }
    this.step = (d) => this.endValue(d);
    return SCAN_CONTINUE;
  }
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isDigit19 = (c: number) => c >= 0x31 && c <= 0x39;

/** scanner.go quoteChar: the byte as a rune, quoted like a Go character literal. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  if (c === 0xa0 || c === 0xad) return `'\\u00${c.toString(16)}'`;
  const q = goQuote(String.fromCharCode(c));
  return "'" + q.slice(1, -1) + "'";
}

/**
 * Decoder.Decode in a loop: whitespace-separated JSON values, each handed on as its own
 * document. Values that are JSON `null` are dropped like RawExtension does.
 */
function* jsonDocuments(text: string): Generator<Document> {
  const scanner = new JsonScanner();
  const bytes = new TextEncoder().encode(text);
  let pos = 0;
  for (;;) {
    scanner.reset();
    let start = -1;
    let end = -1;
    for (let i = pos; i < bytes.length; i++) {
      scanner.bytes++;
      const op = scanner.step(bytes[i]);
      if (op === SCAN_ERROR) throw new StreamError(`json: offset ${scanner.bytes}: ${scanner.error}`);
      if (op === SCAN_SKIP_SPACE && start < 0) continue;
      if (start < 0) start = i;
      if (op === SCAN_END) {
        // The end of a scalar shows one byte late; that byte belongs to the next value.
        scanner.bytes--;
        end = i;
        break;
      }
      if (op === SCAN_END_COMPOSITE) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      if (start < 0) return;
      if (scanner.step(0x20) !== SCAN_END) throw new StreamError('unexpected EOF');
      end = bytes.length;
    }
    pos = end;
    const raw = new TextDecoder().decode(bytes.subarray(start, end));
    if (raw === 'null') continue;
    // `deepest` counts the top-level object too.
    if (scanner.deepest - 1 > MAX_DEPTH) throw new StreamError(new NestingError().message);
    yield { value: new JsonReader(raw).value(), raw };
  }
}

/** Reads JSON that the scanner accepted, keeping number literals and member order. */
class JsonReader {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  value(): JsonValue {
    this.space();
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const members: [string, JsonValue][] = [];
      this.space();
      if (this.s[this.i] === '}') {
        this.i++;
        return new JsonObject(members);
      }
      for (;;) {
        this.space();
        const key = this.string();
        this.space();
        this.i++; // ':'
        members.push([key, this.value()]);
        this.space();
        if (this.s[this.i++] === '}') return new JsonObject(members);
      }
    }
    if (c === '[') {
      this.i++;
      const items: JsonValue[] = [];
      this.space();
      if (this.s[this.i] === ']') {
        this.i++;
        return items;
      }
      for (;;) {
        items.push(this.value());
        this.space();
        if (this.s[this.i++] === ']') return items;
      }
    }
    if (c === '"') return this.string();
    const literal = /true|false|null|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    literal.lastIndex = this.i;
    const m = literal.exec(this.s)!;
    this.i += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    return m[0] === 'null' ? null : new JsonNumber(m[0]);
  }

  private space(): void {
    while (/[ \t\r\n]/.test(this.s[this.i] ?? '')) this.i++;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    // encoding/json turns unpaired surrogate escapes into U+FFFD.
    return (JSON.parse(this.s.slice(start, this.i)) as string).replace(LONE_SURROGATE, '\ufffd');
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// ============================================================================================
// kubectl's checks on each document
// ============================================================================================

/**
 * The error for the first number (in document order) that a float64 cannot hold, or null. Go's
 * JSON decoding into interface{} keeps integers as int64 and reads other numbers with
 * strconv.ParseFloat, which refuses what overflows (not what underflows to zero).
 */
function overflowingNumber(value: JsonValue): string | null {
  if (value instanceof JsonNumber) {
    return Number.isFinite(Number(value.text)) ? null : `json: cannot unmarshal number ${value.text} into Go value of type float64`;
  }
  return firstOfChildren(value, overflowingNumber);
}

/** validation.GetObjectKind (kubectl/pkg/util/openapi/validation). */
function objectKindProblems(value: JsonValue): string[] {
  if (!(value instanceof JsonObject)) return ['invalid object to validate'];
  const problems: string[] = [];
  const apiVersion = value.get('apiVersion') ?? null;
  if (apiVersion === null) problems.push('apiVersion not set');
  else if (typeof apiVersion !== 'string') problems.push("apiVersion isn't string type");
  else if (!parseGroupVersion(apiVersion)) problems.push(`unexpected GroupVersion string: ${apiVersion}`);
  const kind = value.get('kind') ?? null;
  if (kind === null) problems.push('kind not set');
  else if (typeof kind !== 'string') problems.push("kind isn't string type");
  return problems;
}

/** Unstructured.GroupVersionKind(): empty when apiVersion does not parse. */
function unstructuredKind(obj: JsonObject): { kind: string; version: string } {
  const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
  const gv = parseGroupVersion(str(obj.get('apiVersion')));
  return gv ? { kind: str(obj.get('kind')), version: gv.version } : { kind: '', version: '' };
}

/**
 * The unstructured decoder, the metadata check and list flattening, in kubectl's order. A
 * failing document yields one error; a List yields its items, then one aggregate for the items
 * that cannot be typed.
 */
function decodeDocument(source: string, doc: Document): ManifestEntry[] {
  const fail = (message: string): ManifestEntry[] => [
    { source, error: new CliError(`unable to decode ${goQuote(source)}: ${message}`) },
  ];
  const value = doc.value;
  if (!(value instanceof JsonObject)) {
    return fail(`json: cannot unmarshal ${jsonKind(value)} into Go value of type unstructured.detector`);
  }
  // decodeToUnstructured (and decodeToList, once `items` is known to be a list) decode the whole
  // document into maps before anything looks at its fields.
  if (!value.has('items')) {
    const number = overflowingNumber(value);
    if (number !== null) return fail(number);
    if (unstructuredKind(value).kind === '') return fail(`Object 'Kind' is missing in '${doc.raw}'`);
    const metaError = metadataError(value);
    if (metaError) return fail(metaError);
    return [{ source, object: jsonToPlain(value) as Record<string, unknown> }];
  }

  const items = value.get('items')!;
  if (items !== null && !Array.isArray(items)) {
    return fail(
      `json: cannot unmarshal ${jsonKind(items)} into Go struct field decodeList.items of type []json.RawMessage`,
    );
  }
  const number = overflowingNumber(value);
  if (number !== null) return fail(number);
  const listKind = unstructuredKind(value).kind;
  const listVersion = value.get('apiVersion');
  const decoded: JsonObject[] = [];
  for (const item of items ?? []) {
    if (item !== null && !(item instanceof JsonObject)) {
      return fail(`json: cannot unmarshal ${jsonKind(item)} into Go value of type map[string]interface {}`);
    }
    const obj = item ?? new JsonObject([]);
    const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
    // decodeToList: items of typed lists (PodList) carry no apiVersion/kind; they inherit them.
    if (str(obj.get('kind')) === '' && str(obj.get('apiVersion')) === '') {
      decoded.push(
        new JsonObject([
          ...obj.members.filter(([k]) => k !== 'kind' && k !== 'apiVersion'),
          ['apiVersion', str(listVersion)],
          ['kind', listKind.replace(/List$/, '')],
        ]),
      );
    } else decoded.push(obj);
  }
  if (listKind === '') return fail(`Object 'Kind' is missing in '${doc.raw}'`);
  const metaError = metadataError(value);
  if (metaError) return fail(metaError);

  // FlattenListVisitor: a List inside a List is an *unstructured.Unstructured with items.
  if (decoded.some((item) => Array.isArray(item.get('items')))) {
    return [{ source, error: new CliError('*unstructured.Unstructured is not a list: no Items field in this object') }];
  }
  const entries: ManifestEntry[] = [];
  const problems: Error[] = [];
  for (const item of decoded) {
    const gvk = unstructuredKind(item);
    const missing =
      gvk.kind === ''
        ? "Object 'Kind' is missing in 'object has no kind field '"
        : gvk.version === ''
          ? "Object 'apiVersion' is missing in 'object has no apiVersion field'"
          : '';
    if (missing) {
      problems.push(new CliError(`unable to get type info from the object "*unstructured.Unstructured": ${missing}`));
    } else entries.push({ source, object: jsonToPlain(item) as Record<string, unknown> });
  }
  if (problems.length > 0) entries.push({ source, error: new MultiError(problems) });
  return entries;
}

// ---------------------------------------------------------------- metadata as ObjectMeta

/** How encoding/json decodes a field of metadataOnlyObject (TypeMeta + ObjectMeta). */
type FieldType =
  | { kind: 'string'; name: string }
  | { kind: 'int64' }
  | { kind: 'bool' }
  | { kind: 'time' }
  | { kind: 'any' }
  | { kind: 'stringMap' }
  | { kind: 'list'; name: string; item: FieldType }
  | { kind: 'struct'; name: string; fields: Record<string, FieldType> };

const STRING: FieldType = { kind: 'string', name: 'string' };
const TIME: FieldType = { kind: 'time' };

const OBJECT_META: FieldType = {
  kind: 'struct',
  name: 'v1.ObjectMeta',
  fields: {
    name: STRING,
    generateName: STRING,
    namespace: STRING,
    selfLink: STRING,
    uid: { kind: 'string', name: 'types.UID' },
    resourceVersion: STRING,
    generation: { kind: 'int64' },
    creationTimestamp: TIME,
    deletionTimestamp: TIME,
    deletionGracePeriodSeconds: { kind: 'int64' },
    labels: { kind: 'stringMap' },
    annotations: { kind: 'stringMap' },
    ownerReferences: {
      kind: 'list',
      name: '[]v1.OwnerReference',
      item: {
        kind: 'struct',
        name: 'v1.OwnerReference',
        fields: {
          apiVersion: STRING,
          kind: STRING,
          name: STRING,
          uid: { kind: 'string', name: 'types.UID' },
          controller: { kind: 'bool' },
          blockOwnerDeletion: { kind: 'bool' },
        },
      },
    },
    finalizers: { kind: 'list', name: '[]string', item: STRING },
    managedFields: {
      kind: 'list',
      name: '[]v1.ManagedFieldsEntry',
      item: {
        kind: 'struct',
        name: 'v1.ManagedFieldsEntry',
        fields: {
          manager: STRING,
          operation: { kind: 'string', name: 'v1.ManagedFieldsOperationType' },
          apiVersion: STRING,
          time: TIME,
          fieldsType: STRING,
          fieldsV1: { kind: 'any' },
          subresource: STRING,
        },
      },
    },
  },
};

const METADATA_ONLY_OBJECT: FieldType = {
  kind: 'struct',
  name: 'resource.metadataOnlyObject',
  fields: { apiVersion: STRING, kind: STRING, metadata: OBJECT_META },
};

/** An error from metav1.Time.UnmarshalJSON, which stops decoding at once. */
class AbortDecode extends Error {}

/**
 * The first error encoding/json reports when decoding the document into metadataOnlyObject:
 * type mismatches are remembered and decoding continues; a bad timestamp stops it at once.
 */
function metadataError(doc: JsonObject): string | null {
  let saved: string | null = null;
  const typeError = (value: string, struct: string, path: string[], type: string) =>
    `json: cannot unmarshal ${value} into Go struct field ${struct}.${path.join('.')} of type ${type}`;

  const visit = (value: JsonValue, type: FieldType, struct: string, path: string[]): void => {
    if (value === null) return;
    const mismatch = (typeName: string, what = jsonKind(value)) => {
      saved ??= typeError(what, struct, path, typeName);
    };
    switch (type.kind) {
      case 'string':
        if (typeof value !== 'string') mismatch(type.name);
        return;
      case 'bool':
        if (typeof value !== 'boolean') mismatch('bool');
        return;
      case 'int64':
        if (!(value instanceof JsonNumber)) mismatch('int64');
        else if (!isGoInt64(value.text)) mismatch('int64', `number ${value.text}`);
        return;
      case 'time':
        if (typeof value !== 'string') throw new AbortDecode(typeError(jsonKind(value), struct, path, 'string'));
        {
          const problem = rfc3339Problem(value);
          if (problem) throw new AbortDecode(problem);
        }
        return;
      case 'any':
        return;
      case 'stringMap':
        if (!(value instanceof JsonObject)) mismatch('map[string]string');
        else {
          for (const [, v] of value.members) if (v !== null && typeof v !== 'string') mismatch('string', jsonKind(v));
        }
        return;
      case 'list':
        if (!Array.isArray(value)) mismatch(type.name);
        else for (const item of value) visit(item, type.item, struct, path);
        return;
      case 'struct': {
        if (!(value instanceof JsonObject)) {
          mismatch(type.name);
          return;
        }
        const structName = type.name.slice(type.name.indexOf('.') + 1);
        for (const [key, member] of value.members) {
          const field = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
          if (field) visit(member, field, structName, [...path, key]);
        }
      }
    }
  };

  try {
    visit(doc, METADATA_ONLY_OBJECT, 'metadataOnlyObject', []);
  } catch (err) {
    if (err instanceof AbortDecode) return err.message;
    throw err;
  }
  return saved;
}

function isGoInt64(literal: string): boolean {
  if (!/^-?[0-9]+$/.test(literal)) return false;
  const v = BigInt(literal);
  return v >= -(1n << 63n) && v < 1n << 63n;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** time.Parse(time.RFC3339, s) as metav1.Time.UnmarshalJSON calls it; null when it parses. */
function rfc3339Problem(value: string): string | null {
  const q = (s: string) => goQuote(s);
  const cannot = (rest: string, elem: string) =>
    `parsing time ${q(value)} as ${q(RFC3339)}: cannot parse ${q(rest)} as ${q(elem)}`;
  const range = (what: string) => `parsing time ${q(value)}: ${what} out of range`;
  let rest = value;
  const num = (elem: string, width: number, fixed = true): number | string => {
    const m = (fixed ? /^[0-9]{2}/ : /^[0-9]{1,2}/).exec(rest.slice(0, width));
    if (!m) return cannot(rest, elem);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const literal = (ch: string): string | null => {
    if (rest[0] !== ch) return cannot(rest, ch);
    rest = rest.slice(1);
    return null;
  };

  if (rest.length < 4 || !/^[0-9]{4}/.test(rest)) return cannot(rest, '2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  let err = literal('-');
  if (err) return err;
  const month = num('01', 2);
  if (typeof month === 'string') return month;
  if (month < 1 || month > 12) return range('month');
  if ((err = literal('-'))) return err;
  const day = num('02', 2);
  if (typeof day === 'string') return day;
  if ((err = literal('T'))) return err;
  const hour = num('15', 2, false);
  if (typeof hour === 'string') return hour;
  if (hour > 23) return range('hour');
  if ((err = literal(':'))) return err;
  const minute = num('04', 2);
  if (typeof minute === 'string') return minute;
  if (minute > 59) return range('minute');
  if ((err = literal(':'))) return err;
  const second = num('05', 2);
  if (typeof second === 'string') return second;
  if (second > 59) return range('second');
  const fraction = /^[.,][0-9]+/.exec(rest);
  if (fraction) rest = rest.slice(fraction[0].length);
  if (rest[0] === 'Z') rest = rest.slice(1);
  else {
    const zone = /^([+-])([0-9]{2}):([0-9]{2})/.exec(rest);
    if (rest.length < 6 || rest[3] !== ':' || !zone) return cannot(rest, 'Z07:00');
    if (Number(zone[2]) > 24) return range('time zone offset hour');
    if (Number(zone[3]) > 60) return range('time zone offset minute');
    rest = rest.slice(6);
  }
  if (rest !== '') return `parsing time ${q(value)}: extra text: ${q(rest)}`;
  if (day < 1 || day > daysIn(month, year)) return range('day');
  return null;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ============================================================================================
// YAML 1.1 scalar resolution (go-yaml resolve.go, v2.4.0)
// ============================================================================================

/** What go-yaml v2 reads a plain (unquoted) scalar as. */
export type ResolvedScalar =
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint }
  | { tag: 'uint'; value: bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string }
  | { tag: 'str'; value: string };

const RESOLVE_MAP = new Map<string, ResolvedScalar>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) {
  RESOLVE_MAP.set(s, { tag: 'bool', value: true });
}
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) {
  RESOLVE_MAP.set(s, { tag: 'bool', value: false });
}
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) {
  RESOLVE_MAP.set(s, { tag: 'float', value: Infinity });
}
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, { tag: 'float', value: -Infinity });

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * go-yaml's resolve() for a plain scalar. `timestamps` is false when an explicit tag other than
 * !!timestamp asks for resolution. A string needs quotes on output exactly when it resolves
 * to something else.
 */
export function resolvePlainScalar(s: string, timestamps = true): ResolvedScalar {
  const known = RESOLVE_MAP.get(s);
  if (known) return known;
  const c = s[0];
  if (c === '.') {
    // strconv.ParseFloat on a leading dot accepts only a decimal fraction.
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return { tag: 'float', value: Number(s) };
  } else if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (timestamps && isYamlTimestamp(s)) return { tag: 'timestamp', value: s };
    const plain = s.replaceAll('_', '');
    const asInt = parseGoInt(plain);
    if (asInt.ok) return { tag: 'int', value: asInt.value };
    const asUint = parseGoUint(plain, 0);
    if (asUint.ok) return { tag: 'uint', value: asUint.value };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
    if (plain.startsWith('0b')) {
      const bin = parseGoInt(plain.slice(2), 2);
      if (bin.ok) return { tag: 'int', value: bin.value };
      const ubin = parseGoUint(plain.slice(2), 2);
      if (ubin.ok) return { tag: 'uint', value: ubin.value };
    } else if (plain.startsWith('-0b')) {
      const bin = parseGoInt('-' + plain.slice(3), 2);
      if (bin.ok) return { tag: 'int', value: bin.value };
    }
  }
  return { tag: 'str', value: s };
}

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

type GoIntResult = { ok: true; value: bigint } | { ok: false };

/** strconv.ParseUint(s, base, 64); base 0 reads the 0b/0o/0x/0 prefixes. */
function parseGoUint(s: string, base: number): GoIntResult {
  if (s === '') return { ok: false };
  let digits = s;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const prefix = s.length >= 3 ? s[1].toLowerCase() : '';
      if (prefix === 'b') [base, digits] = [2, s.slice(2)];
      else if (prefix === 'o') [base, digits] = [8, s.slice(2)];
      else if (prefix === 'x') [base, digits] = [16, s.slice(2)];
      else [base, digits] = [8, s.slice(1)];
    }
  }
  let n = 0n;
  for (const ch of digits) {
    const lower = ch.toLowerCase();
    let d = 99;
    if (ch >= '0' && ch <= '9') d = ch.charCodeAt(0) - 48;
    else if (lower >= 'a' && lower <= 'z') d = lower.charCodeAt(0) - 87;
    if (d >= base) return { ok: false };
    n = n * BigInt(base) + BigInt(d);
    if (n > UINT64_MAX) return { ok: false };
  }
  return { ok: true, value: n };
}

/** strconv.ParseInt(s, base, 64). */
function parseGoInt(s: string, base = 0): GoIntResult {
  const neg = s[0] === '-';
  const u = parseGoUint(s[0] === '+' || s[0] === '-' ? s.slice(1) : s, base);
  if (!u.ok || (neg ? u.value > INT64_MAX + 1n : u.value > INT64_MAX)) return { ok: false };
  return { ok: true, value: neg ? -u.value : u.value };
}

/**
 * go-yaml's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also with a
 * lower-case t), "2006-1-2 15:4:5.999999999" and "2006-1-2".
 */
function isYamlTimestamp(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(.*)$/s.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  const rest = m[4];
  if (rest === '') return true;
  const time = /^(?:[Tt]| +)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?(.*)$/s.exec(rest);
  if (!time || Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3]) > 59) return false;
  const zone = time[4];
  if (rest[0] === ' ') return zone === '';
  if (zone === 'Z') return true;
  const offset = /^[+-]([0-9]{2}):([0-9]{2})$/.exec(zone);
  return offset !== null && Number(offset[1]) <= 24 && Number(offset[2]) <= 60;
}

// ============================================================================================
// Values as go-yaml decodes them into interface{}, and sigs.k8s.io/yaml's JSON conversion
// ============================================================================================

/** An integer as go-yaml returns it (int, or uint64 above the int64 range). */
export class GoInt {
  readonly value: bigint;
  readonly unsigned: boolean;
  constructor(value: bigint, unsigned: boolean) {
    this.value = value;
    this.unsigned = unsigned;
  }
}

/** A float64 from go-yaml (kept apart from integers: they format differently). */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** map[interface{}]interface{}: keys compare by type and value. */
export class GoMap {
  readonly entries = new Map<string, [GoValue, GoValue]>();
  set(key: GoValue, value: GoValue): void {
    this.entries.set(goKeyId(key), [key, value]);
  }
}

export type GoValue = null | boolean | string | GoInt | GoFloat | GoMap | GoValue[];

function goKeyId(key: GoValue): string {
  if (key instanceof GoInt) return (key.unsigned ? 'u' : 'i') + key.value;
  if (key instanceof GoFloat) return 'f' + key.value;
  return typeof key + ':' + String(key);
}

/** convertToJSONableObject then json.Marshal, failing where they fail. */
function goValueToJson(value: GoValue): JsonValue {
  const converted = convertToJsonable(value);
  const unsupported = firstNonFinite(converted);
  if (unsupported !== null) throw new YamlError(`json: unsupported value: ${formatGoFloat(unsupported)}`);
  return converted;
}

function convertToJsonable(value: GoValue): JsonValue {
  if (value instanceof GoMap) {
    const members = new Map<string, JsonValue>();
    for (const [key, v] of value.entries.values()) members.set(jsonKey(key, v), convertToJsonable(v));
    return new JsonObject([...members].sort((a, b) => compareGoStrings(a[0], b[0])));
  }
  if (Array.isArray(value)) return value.map(convertToJsonable);
  if (value instanceof GoInt) return new JsonNumber(value.value.toString());
  if (value instanceof GoFloat) return new GoFloatJson(value.value);
  return value;
}

/** A float64 on its way to JSON text; NaN and infinities have none. */
class GoFloatJson extends JsonNumber {
  readonly float: number;
  constructor(float: number) {
    super(Number.isFinite(float) ? formatJsonNumber(float) : String(float));
    this.float = float;
  }
}

function firstNonFinite(value: JsonValue): number | null {
  if (value instanceof GoFloatJson) return Number.isFinite(value.float) ? null : value.float;
  return firstOfChildren(value, firstNonFinite);
}

/** sigs.k8s.io/yaml: non-string keys become strings; nil and uint64 keys are refused. */
function jsonKey(key: GoValue, value: GoValue): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return String(key);
  if (key instanceof GoInt && !key.unsigned) return key.value.toString();
  if (key instanceof GoFloat) {
    const s = formatGoFloat(key.value, 32);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  const type = key === null ? '%!s(<nil>)' : 'uint64';
  throw new YamlError(
    `unsupported map key of type: ${type}, key: ${goSharpV(key, true)}, value: ${goSharpV(value, true)}`,
  );
}

/** fmt's %#v for the values go-yaml produces (used in a few error messages). */
function goSharpV(value: GoValue, topLevel = false): string {
  if (value === null) return topLevel ? '<nil>' : 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof GoInt) return value.unsigned ? '0x' + value.value.toString(16) : value.value.toString();
  if (value instanceof GoFloat) return formatGoFloat(value.value);
  if (Array.isArray(value)) return `[]interface {}{${value.map((v) => goSharpV(v)).join(', ')}}`;
  const entries = [...value.entries.values()].map(([k, v]) => `${goSharpV(k)}:${goSharpV(v)}`).sort();
  return `map[interface {}]interface {}{${entries.join(', ')}}`;
}

// ============================================================================================
// go-yaml v2 port: reader, scanner and parser (readerc.go, scannerc.go, parserc.go)
// ============================================================================================

/** A go-yaml failure; the message is what yaml.Unmarshal returns (`yaml: line 6: ...`). */
export class YamlError extends Error {}

interface Mark {
  index: number;
  line: number;
  column: number;
}

type TokenType =
  | 'STREAM-START'
  | 'STREAM-END'
  | 'VERSION-DIRECTIVE'
  | 'TAG-DIRECTIVE'
  | 'DOCUMENT-START'
  | 'DOCUMENT-END'
  | 'BLOCK-SEQUENCE-START'
  | 'BLOCK-MAPPING-START'
  | 'BLOCK-END'
  | 'FLOW-SEQUENCE-START'
  | 'FLOW-SEQUENCE-END'
  | 'FLOW-MAPPING-START'
  | 'FLOW-MAPPING-END'
  | 'BLOCK-ENTRY'
  | 'FLOW-ENTRY'
  | 'KEY'
  | 'VALUE'
  | 'ALIAS'
  | 'ANCHOR'
  | 'TAG'
  | 'SCALAR';

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface Token {
  type: TokenType;
  start: Mark;
  /** Scalar text, anchor name, tag handle or %TAG handle. */
  value: string;
  /** Tag suffix or %TAG prefix. */
  suffix: string;
  style: ScalarStyle;
  major: number;
  minor: number;
}

type EventType =
  | 'STREAM-START'
  | 'STREAM-END'
  | 'DOCUMENT-START'
  | 'DOCUMENT-END'
  | 'ALIAS'
  | 'SCALAR'
  | 'SEQUENCE-START'
  | 'SEQUENCE-END'
  | 'MAPPING-START'
  | 'MAPPING-END';

interface YamlEvent {
  type: EventType;
  anchor: string;
  tag: string;
  value: string;
  implicit: boolean;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

type ParserState =
  | 'STREAM-START'
  | 'IMPLICIT-DOCUMENT-START'
  | 'DOCUMENT-START'
  | 'DOCUMENT-CONTENT'
  | 'DOCUMENT-END'
  | 'BLOCK-NODE'
  | 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE'
  | 'FLOW-NODE'
  | 'BLOCK-SEQUENCE-FIRST-ENTRY'
  | 'BLOCK-SEQUENCE-ENTRY'
  | 'INDENTLESS-SEQUENCE-ENTRY'
  | 'BLOCK-MAPPING-FIRST-KEY'
  | 'BLOCK-MAPPING-KEY'
  | 'BLOCK-MAPPING-VALUE'
  | 'FLOW-SEQUENCE-FIRST-ENTRY'
  | 'FLOW-SEQUENCE-ENTRY'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-END'
  | 'FLOW-MAPPING-FIRST-KEY'
  | 'FLOW-MAPPING-KEY'
  | 'FLOW-MAPPING-VALUE'
  | 'FLOW-MAPPING-EMPTY-VALUE'
  | 'END';

const RAW_BUFFER_SIZE = 512;
const DEFAULT_TAG_DIRECTIVES: [string, string][] = [
  ['!', '!'],
  ['!!', 'tag:yaml.org,2002:'],
];

const isBreakChar = (c: number) => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlankChar = (c: number) => c === 0x20 || c === 0x09;
const isBreakz = (c: number) => c === 0 || isBreakChar(c);
const isBlankz = (c: number) => isBlankChar(c) || isBreakz(c);
const isAlpha = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** readerc.go: characters the reader accepts. */
function allowedInput(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    c >= 0x10000
  );
}

interface ErrorState {
  kind: 'reader' | 'scanner' | 'parser';
  problem: string;
  problemMark: Mark;
  contextMark: Mark;
}

const ZERO_MARK: Mark = { index: 0, line: 0, column: 0 };

/** yaml_parser_t: the scanner and the event parser of go-yaml (C libyaml's design). */
class YamlParser {
  private readonly chars: number[];
  /** Reader emulation: input is decoded in 512-byte raw chunks, checked as it is decoded. */
  private decoded = 0;
  private decodedBytes = 0;
  private rawRead = 0;
  private readonly totalBytes: number;
  private eof = false;
  private nuls = 0;
  /** Where go-yaml's buffer starts; its is_bom looks there instead of at the current character. */
  private bufferStart = 0;

  private pos = 0;
  private mark: Mark = { ...ZERO_MARK };

  private readonly tokens: Token[] = [];
  private tokensHead = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;

  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByTok = new Map<number, number>();
  private flowLevel = 0;

  private state: ParserState = 'STREAM-START';
  private readonly states: ParserState[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: [string, string][] = [];

  constructor(text: string) {
    // yaml_parser_determine_encoding consumes a leading BOM; newParser reads "" as "\n".
    const body = text.startsWith('\ufeff') ? text.slice(1) : text;
    const input = body === '' ? '\n' : body;
    this.chars = [];
    this.totalBytes = 0;
    for (let i = 0; i < input.length; i++) {
      const c = input.codePointAt(i)!;
      this.chars.push(c);
      this.totalBytes += utf8Length(c);
      if (c > 0xffff) i++;
    }
  }

  // ---------------------------------------------------------------- errors

  private fail(error: ErrorState): never {
    let line = 0;
    if (error.problemMark.line !== 0) {
      line = error.problemMark.line;
      // parser.go fail(): "Scanner errors don't iterate line before returning error".
      if (error.kind === 'scanner') line++;
    } else if (error.contextMark.line !== 0) {
      line = error.contextMark.line;
    }
    throw new YamlError(`yaml: ${line !== 0 ? `line ${line}: ` : ''}${error.problem}`);
  }

  private scannerError(contextMark: Mark, problem: string): never {
    return this.fail({ kind: 'scanner', problem, problemMark: { ...this.mark }, contextMark });
  }

  private parserError(problem: string, problemMark: Mark, contextMark: Mark = ZERO_MARK): never {
    return this.fail({ kind: 'parser', problem, problemMark, contextMark });
  }

  // ---------------------------------------------------------------- reader

  /** cache()/yaml_parser_update_buffer: make `n` characters available from the current one. */
  private cache(n: number): void {
    if (this.decoded - this.pos + this.nuls >= n) return;
    // update_buffer moves the unread characters to the start of its buffer.
    this.bufferStart = this.pos;
    let first = true;
    while (this.decoded - this.pos + this.nuls < n) {
      let atEof = this.eof;
      if (!atEof && (!first || this.decodedBytes === this.rawRead)) {
        const read = Math.min(RAW_BUFFER_SIZE - (this.rawRead - this.decodedBytes), this.totalBytes - this.rawRead);
        if (read === 0) atEof = true;
        this.rawRead += read;
      }
      first = false;
      while (this.decoded < this.chars.length) {
        const c = this.chars[this.decoded];
        if (this.decodedBytes + utf8Length(c) > this.rawRead) break;
        if (!allowedInput(c)) {
          const problem = 'control characters are not allowed';
          this.fail({ kind: 'reader', problem, problemMark: ZERO_MARK, contextMark: ZERO_MARK });
        }
        this.decodedBytes += utf8Length(c);
        this.decoded++;
      }
      if (atEof) {
        // At the end of input a NUL is added for every refill.
        this.eof = true;
        this.nuls++;
        return;
      }
    }
  }

  /** The character `k` places ahead; NUL past the end, as go-yaml pads its buffer. */
  private ch(k = 0): number {
    return this.chars[this.pos + k] ?? 0;
  }

  private skip(): void {
    this.pos++;
    this.mark.index++;
    this.mark.column++;
  }

  private skipLine(): void {
    if (this.ch() === 0x0d && this.ch(1) === 0x0a) {
      this.pos += 2;
      this.mark.index += 2;
    } else if (isBreakChar(this.ch())) {
      this.pos++;
      this.mark.index++;
    } else return;
    this.mark.column = 0;
    this.mark.line++;
  }

  private read(): string {
    const c = this.ch();
    this.skip();
    return String.fromCodePoint(c);
  }

  /** read_line: CR LF, CR, LF and NEL become LF; LS and PS are kept. */
  private readLine(): string {
    const c = this.ch();
    let out: string;
    if (c === 0x0d && this.ch(1) === 0x0a) {
      out = '\n';
      this.pos += 2;
      this.mark.index++;
    } else if (c === 0x0d || c === 0x0a || c === 0x85) {
      out = '\n';
      this.pos++;
    } else if (c === 0x2028 || c === 0x2029) {
      out = String.fromCodePoint(c);
      this.pos++;
    } else return '';
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
    return out;
  }

  // ---------------------------------------------------------------- token queue

  private token(type: TokenType, start: Mark, fields: Partial<Omit<Token, 'type' | 'start'>> = {}): Token {
    // field by field rather than spread: a manifest of thousands of documents makes a token per scalar
    return {
      type,
      start: { index: start.index, line: start.line, column: start.column },
      value: fields.value ?? '',
      suffix: fields.suffix ?? '',
      style: fields.style ?? 'plain',
      major: fields.major ?? 0,
      minor: fields.minor ?? 0,
    };
  }

  private insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.tokensHead + pos, 0, token);
  }

  private peekToken(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.tokensHead];
  }

  private skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.tokensHead].type === 'STREAM-END';
    this.tokensHead++;
    if (this.tokensHead > 1024) {
      this.tokens.splice(0, this.tokensHead);
      this.tokensHead = 0;
    }
  }

  // ---------------------------------------------------------------- scanner (scannerc.go)

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.tokensHead !== this.tokens.length) {
        const head = this.simpleKeysByTok.get(this.tokensParsed);
        if (head === undefined || !this.simpleKeyIsValid(this.simpleKeys[head])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.mark.column);
    this.cache(4);
    const c = this.ch();
    const col0 = this.mark.column === 0;
    if (c === 0) return this.fetchStreamEnd();
    if (col0 && c === 0x25) return this.fetchDirective();
    if (col0 && c === 0x2d && this.ch(1) === 0x2d && this.ch(2) === 0x2d && isBlankz(this.ch(3))) {
      return this.fetchDocumentIndicator('DOCUMENT-START');
    }
    if (col0 && c === 0x2e && this.ch(1) === 0x2e && this.ch(2) === 0x2e && isBlankz(this.ch(3))) {
      return this.fetchDocumentIndicator('DOCUMENT-END');
    }
    const next = this.ch(1);
    switch (c) {
      case 0x5b:
        return this.fetchFlowCollectionStart('FLOW-SEQUENCE-START');
      case 0x7b:
        return this.fetchFlowCollectionStart('FLOW-MAPPING-START');
      case 0x5d:
        return this.fetchFlowCollectionEnd('FLOW-SEQUENCE-END');
      case 0x7d:
        return this.fetchFlowCollectionEnd('FLOW-MAPPING-END');
      case 0x2c:
        return this.fetchFlowEntry();
    }
    if (c === 0x2d && isBlankz(next)) return this.fetchBlockEntry();
    if (c === 0x3f && (this.flowLevel > 0 || isBlankz(next))) return this.fetchKey();
    if (c === 0x3a && (this.flowLevel > 0 || isBlankz(next))) return this.fetchValue();
    if (c === 0x2a) return this.fetchAnchor('ALIAS');
    if (c === 0x26) return this.fetchAnchor('ANCHOR');
    if (c === 0x21) return this.fetchTag();
    if (c === 0x7c && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 0x3e && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 0x27) return this.fetchFlowScalar(true);
    if (c === 0x22) return this.fetchFlowScalar(false);
    if (
      !(isBlankz(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCodePoint(c))) ||
      (c === 0x2d && !isBlankChar(next)) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankz(next))
    ) {
      return this.fetchPlainScalar();
    }
    this.scannerError({ ...this.mark }, 'found character that cannot start any token');
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    // A simple key must fit on one line and within 1024 characters.
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.scannerError(key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = {
      possible: true,
      required,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
      mark: { ...this.mark },
    };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (!key.possible) return;
    if (key.required) this.scannerError(key.mark, "could not find expected ':'");
    key.possible = false;
    this.simpleKeysByTok.delete(key.tokenNumber);
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
      mark: { ...this.mark },
    });
    this.flowLevel++;
    if (this.flowLevel > GO_MAX_DEPTH) {
      this.scannerError(this.simpleKeys[this.simpleKeys.length - 1].mark, `exceeded max depth of ${GO_MAX_DEPTH}`);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel === 0) return;
    this.flowLevel--;
    this.simpleKeysByTok.delete(this.simpleKeys.pop()!.tokenNumber);
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0 || this.indent >= column) return;
    this.indents.push(this.indent);
    this.indent = column;
    if (this.indents.length > GO_MAX_DEPTH) {
      this.scannerError(this.simpleKeys[this.simpleKeys.length - 1].mark, `exceeded max depth of ${GO_MAX_DEPTH}`);
    }
    this.insertToken(number > -1 ? number - this.tokensParsed : -1, this.token(type, mark));
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, this.token('BLOCK-END', this.mark));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: { ...ZERO_MARK } });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, this.token('STREAM-START', this.mark));
  }

  private fetchStreamEnd(): void {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.token('STREAM-END', this.mark));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = { ...this.mark };
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, this.token(type, start));
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(type);
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.fetchIndicator(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator('FLOW-ENTRY');
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) {
        this.scannerError({ ...this.mark }, 'block sequence entries are not allowed in this context');
      }
      this.rollIndent(this.mark.column, -1, 'BLOCK-SEQUENCE-START', this.mark);
    }
    // A '-' in flow context is left to the parser, which can name the context.
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator('BLOCK-ENTRY');
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError({ ...this.mark }, 'mapping keys are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK-MAPPING-START', this.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.fetchIndicator('KEY');
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, this.token('KEY', key.mark));
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK-MAPPING-START', key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) {
          this.scannerError({ ...this.mark }, 'mapping values are not allowed in this context');
        }
        this.rollIndent(this.mark.column, -1, 'BLOCK-MAPPING-START', this.mark);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.fetchIndicator('VALUE');
  }

  /** Consume a one-character indicator and queue its token. */
  private fetchIndicator(type: TokenType): void {
    const start = { ...this.mark };
    this.skip();
    this.insertToken(-1, this.token(type, start));
  }

  private fetchAnchor(type: 'ALIAS' | 'ANCHOR'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      if (this.mark.column === 0 && this.chars[this.bufferStart] === 0xfeff) this.skip();
      this.cache(1);
      // Tabs are allowed in flow context, and in block context except where indentation counts.
      while (this.ch() === 0x20 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.ch() === 0x09)) {
        this.skip();
        this.cache(1);
      }
      if (this.ch() === 0x23) {
        while (!isBreakz(this.ch())) {
          this.skip();
          this.cache(1);
        }
      }
      if (!isBreakChar(this.ch())) break;
      this.cache(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  private skipBlanks(): void {
    this.cache(1);
    while (isBlankChar(this.ch())) {
      this.skip();
      this.cache(1);
    }
  }

  private skipComment(): void {
    if (this.ch() !== 0x23) return;
    while (!isBreakz(this.ch())) {
      this.skip();
      this.cache(1);
    }
  }

  private scanDirective(): Token {
    const start = { ...this.mark };
    this.skip();
    this.cache(1);
    let name = '';
    while (isAlpha(this.ch())) {
      name += this.read();
      this.cache(1);
    }
    if (name === '') this.scannerError(start, 'could not find expected directive name');
    if (!isBlankz(this.ch())) this.scannerError(start, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (this.ch() !== 0x2e) this.scannerError(start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(start);
      token = this.token('VERSION-DIRECTIVE', start, { major, minor });
    } else if (name === 'TAG') {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      this.cache(1);
      if (!isBlankChar(this.ch())) this.scannerError(start, 'did not find expected whitespace');
      this.skipBlanks();
      const prefix = this.scanTagUri('', start);
      this.cache(1);
      if (!isBlankz(this.ch())) this.scannerError(start, 'did not find expected whitespace or line break');
      token = this.token('TAG-DIRECTIVE', start, { value: handle, suffix: prefix });
    } else {
      this.scannerError(start, 'found unknown directive name');
    }
    this.skipBlanks();
    this.skipComment();
    if (!isBreakz(this.ch())) this.scannerError(start, 'did not find expected comment or line break');
    if (isBreakChar(this.ch())) {
      this.cache(2);
      this.skipLine();
    }
    return token;
  }

  private scanVersionNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.ch())) {
      if (++length > 2) this.scannerError(start, 'found extremely long version number');
      value = value * 10 + (this.ch() - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.scannerError(start, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: 'ALIAS' | 'ANCHOR'): Token {
    const start = { ...this.mark };
    this.skip();
    this.cache(1);
    let name = '';
    while (isAlpha(this.ch())) {
      name += this.read();
      this.cache(1);
    }
    if (name === '' || !(isBlankz(this.ch()) || '?:,]}%@`'.includes(String.fromCodePoint(this.ch())))) {
      this.scannerError(start, 'did not find expected alphabetic or numeric character');
    }
    return this.token(type, start, { value: name });
  }

  private scanTag(): Token {
    const start = { ...this.mark };
    this.cache(2);
    let handle: string;
    let suffix: string;
    if (this.ch(1) === 0x3c) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri('', start);
      if (this.ch() !== 0x3e) this.scannerError(start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri('', start);
      } else {
        suffix = this.scanTagUri(handle, start);
        handle = '!';
        // The '!' tag alone: handle '' and suffix '!'.
        if (suffix === '') [handle, suffix] = ['', '!'];
      }
    }
    this.cache(1);
    if (!isBlankz(this.ch())) this.scannerError(start, 'did not find expected whitespace or line break');
    return this.token('TAG', start, { value: handle, suffix });
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (this.ch() !== 0x21) this.scannerError(start, "did not find expected '!'");
    let s = this.read();
    this.cache(1);
    while (isAlpha(this.ch())) {
      s += this.read();
      this.cache(1);
    }
    if (this.ch() === 0x21) s += this.read();
    else if (directive && s !== '!') this.scannerError(start, "did not find expected '!'");
    return s;
  }

  private scanTagUri(head: string, start: Mark): string {
    const bytes: number[] = [...new TextEncoder().encode(head.slice(1))];
    let hasTag = head.length > 0;
    this.cache(1);
    while (isAlpha(this.ch()) || ";/?:@&=+$,.!~*'()[]%".includes(String.fromCodePoint(this.ch()))) {
      if (this.ch() === 0x25) bytes.push(...this.scanUriEscapes(start));
      else bytes.push(...new TextEncoder().encode(this.read()));
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.scannerError(start, 'did not find expected tag URI');
    return goString(bytes);
  }

  /** Decode %XX escapes forming one UTF-8 character. */
  private scanUriEscapes(start: Mark): number[] {
    const out: number[] = [];
    let width = 1024;
    while (width > 0) {
      this.cache(3);
      if (!(this.ch() === 0x25 && isHex(this.ch(1)) && isHex(this.ch(2)))) {
        this.scannerError(start, 'did not find URI escaped octet');
      }
      const octet = (hexValue(this.ch(1)) << 4) + hexValue(this.ch(2));
      if (width === 1024) {
        width = utf8Width(octet);
        if (width === 0) this.scannerError(start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.scannerError(start, 'found an incorrect trailing UTF-8 octet');
      }
      out.push(octet);
      this.skip();
      this.skip();
      this.skip();
      width--;
    }
    return out;
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = { ...this.mark };
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    const readChomping = () => {
      if (this.ch() === 0x2b || this.ch() === 0x2d) {
        chomping = this.ch() === 0x2b ? 1 : -1;
        this.skip();
        return true;
      }
      return false;
    };
    const readIncrement = () => {
      if (!isDigit(this.ch())) return;
      if (this.ch() === 0x30) this.scannerError(start, 'found an indentation indicator equal to 0');
      increment = this.ch() - 0x30;
      this.skip();
    };
    if (readChomping()) {
      this.cache(1);
      readIncrement();
    } else if (isDigit(this.ch())) {
      readIncrement();
      this.cache(1);
      readChomping();
    }
    this.skipBlanks();
    this.skipComment();
    if (!isBreakz(this.ch())) this.scannerError(start, 'did not find expected comment or line break');
    if (isBreakChar(this.ch())) {
      this.cache(2);
      this.skipLine();
    }

    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    ({ indent, breaks: trailingBreaks } = this.scanBlockScalarBreaks(indent, trailingBreaks, start));

    this.cache(1);
    let leadingBlank = false;
    while (this.mark.column === indent && this.ch() !== 0) {
      const trailingBlank = isBlankChar(this.ch());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.startsWith('\n')) {
        if (trailingBreaks === '') s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = isBlankChar(this.ch());
      while (!isBreakz(this.ch())) {
        s += this.read();
        this.cache(1);
      }
      this.cache(2);
      leadingBreak = this.readLine();
      ({ indent, breaks: trailingBreaks } = this.scanBlockScalarBreaks(indent, trailingBreaks, start));
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return this.token('SCALAR', start, { value: s, style: literal ? 'literal' : 'folded' });
  }

  private scanBlockScalarBreaks(indent: number, breaks: string, start: Mark): { indent: number; breaks: string } {
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      while ((indent === 0 || this.mark.column < indent) && this.ch() === 0x20) {
        this.skip();
        this.cache(1);
      }
      if (this.mark.column > maxIndent) maxIndent = this.mark.column;
      if ((indent === 0 || this.mark.column < indent) && this.ch() === 0x09) {
        this.scannerError(start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreakChar(this.ch())) break;
      this.cache(2);
      breaks += this.readLine();
    }
    if (indent === 0) indent = Math.max(maxIndent, this.indent + 1, 1);
    return { indent, breaks };
  }

  private scanFlowScalar(single: boolean): Token {
    const start = { ...this.mark };
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      this.cache(4);
      if (
        this.mark.column === 0 &&
        ((this.ch() === 0x2d && this.ch(1) === 0x2d && this.ch(2) === 0x2d) ||
          (this.ch() === 0x2e && this.ch(1) === 0x2e && this.ch(2) === 0x2e)) &&
        isBlankz(this.ch(3))
      ) {
        this.scannerError(start, 'found unexpected document indicator');
      }
      if (this.ch() === 0) this.scannerError(start, 'found unexpected end of stream');

      let leadingBlanks = false;
      while (!isBlankz(this.ch())) {
        const c = this.ch();
        if (single && c === 0x27 && this.ch(1) === 0x27) {
          s += "'";
          this.skip();
          this.skip();
        } else if (c === (single ? 0x27 : 0x22)) {
          break;
        } else if (!single && c === 0x5c && isBreakChar(this.ch(1))) {
          // An escaped line break.
          this.cache(3);
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 0x5c) {
          s += this.scanEscape(start);
        } else {
          s += this.read();
        }
        this.cache(2);
      }
      this.cache(1);
      if (this.ch() === (single ? 0x27 : 0x22)) break;

      while (isBlankChar(this.ch()) || isBreakChar(this.ch())) {
        if (isBlankChar(this.ch())) {
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.cache(1);
      }
      if (leadingBlanks) {
        if (leadingBreak.startsWith('\n')) s += trailingBreaks === '' ? ' ' : trailingBreaks;
        else s += leadingBreak + trailingBreaks;
        leadingBreak = '';
        trailingBreaks = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return this.token('SCALAR', start, { value: s, style: single ? 'single' : 'double' });
  }

  private scanEscape(start: Mark): string {
    const simple: Record<string, string> = {
      '0': '\0',
      a: '\x07',
      b: '\b',
      t: '\t',
      '\t': '\t',
      n: '\n',
      v: '\v',
      f: '\f',
      r: '\r',
      e: '\x1b',
      ' ': ' ',
      '"': '"',
      "'": "'",
      '\\': '\\',
      N: '\u0085',
      _: '\u00a0',
      L: '\u2028',
      P: '\u2029',
    };
    const code = String.fromCodePoint(this.ch(1));
    const length = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    if (length === 0 && !Object.hasOwn(simple, code)) this.scannerError(start, 'found unknown escape character');
    this.skip();
    this.skip();
    if (length === 0) return simple[code];
    this.cache(length);
    let value = 0;
    for (let k = 0; k < length; k++) {
      if (!isHex(this.ch(k))) this.scannerError(start, 'did not find expected hexdecimal number');
      value = value * 16 + hexValue(this.ch(k));
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      this.scannerError(start, 'found invalid Unicode character escape code');
    }
    for (let k = 0; k < length; k++) this.skip();
    return String.fromCodePoint(value);
  }

  private scanPlainScalar(): Token {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = { ...this.mark };
    for (;;) {
      this.cache(4);
      if (
        this.mark.column === 0 &&
        ((this.ch() === 0x2d && this.ch(1) === 0x2d && this.ch(2) === 0x2d) ||
          (this.ch() === 0x2e && this.ch(1) === 0x2e && this.ch(2) === 0x2e)) &&
        isBlankz(this.ch(3))
      ) {
        break;
      }
      if (this.ch() === 0x23) break;
      while (!isBlankz(this.ch())) {
        const c = this.ch();
        const flowIndicator = this.flowLevel > 0 && ',?[]{}'.includes(String.fromCodePoint(c));
        if ((c === 0x3a && isBlankz(this.ch(1))) || flowIndicator) break;
        if (leadingBlanks || whitespaces !== '') {
          if (leadingBlanks) {
            if (leadingBreak.startsWith('\n')) s += trailingBreaks === '' ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        s += this.read();
        this.cache(2);
      }
      if (!(isBlankChar(this.ch()) || isBreakChar(this.ch()))) break;
      this.cache(1);
      while (isBlankChar(this.ch()) || isBreakChar(this.ch())) {
        if (isBlankChar(this.ch())) {
          if (leadingBlanks && this.mark.column < indent && this.ch() === 0x09) {
            this.scannerError(start, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return this.token('SCALAR', start, { value: s, style: 'plain' });
  }

  // ---------------------------------------------------------------- parser (parserc.go)

  /** yaml_parser_parse: the next event, or null once the stream has ended. */
  nextEvent(): YamlEvent | null {
    if (this.streamEndProduced || this.state === 'END') return null;
    switch (this.state) {
      case 'STREAM-START':
        return this.parseStreamStart();
      case 'IMPLICIT-DOCUMENT-START':
        return this.parseDocumentStart(true);
      case 'DOCUMENT-START':
        return this.parseDocumentStart(false);
      case 'DOCUMENT-CONTENT':
        return this.parseDocumentContent();
      case 'DOCUMENT-END':
        return this.parseDocumentEnd();
      case 'BLOCK-NODE':
        return this.parseNode(true, false);
      case 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE':
        return this.parseNode(true, true);
      case 'FLOW-NODE':
        return this.parseNode(false, false);
      case 'BLOCK-SEQUENCE-FIRST-ENTRY':
        return this.parseBlockSequenceEntry(true);
      case 'BLOCK-SEQUENCE-ENTRY':
        return this.parseBlockSequenceEntry(false);
      case 'INDENTLESS-SEQUENCE-ENTRY':
        return this.parseIndentlessSequenceEntry();
      case 'BLOCK-MAPPING-FIRST-KEY':
        return this.parseBlockMappingKey(true);
      case 'BLOCK-MAPPING-KEY':
        return this.parseBlockMappingKey(false);
      case 'BLOCK-MAPPING-VALUE':
        return this.parseBlockMappingValue();
      case 'FLOW-SEQUENCE-FIRST-ENTRY':
        return this.parseFlowSequenceEntry(true);
      case 'FLOW-SEQUENCE-ENTRY':
        return this.parseFlowSequenceEntry(false);
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY':
        return this.parseFlowSequenceEntryMappingKey();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE':
        return this.parseFlowSequenceEntryMappingValue();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-END':
        return this.parseFlowSequenceEntryMappingEnd();
      case 'FLOW-MAPPING-FIRST-KEY':
        return this.parseFlowMappingKey(true);
      case 'FLOW-MAPPING-KEY':
        return this.parseFlowMappingKey(false);
      case 'FLOW-MAPPING-VALUE':
        return this.parseFlowMappingValue(false);
      case 'FLOW-MAPPING-EMPTY-VALUE':
        return this.parseFlowMappingValue(true);
    }
  }

  private event(type: EventType, fields: Partial<YamlEvent> = {}): YamlEvent {
    return { type, anchor: '', tag: '', value: '', implicit: false, ...fields };
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private parseStreamStart(): YamlEvent {
    const token = this.peekToken();
    if (token.type !== 'STREAM-START') this.parserError('did not find expected <stream-start>', token.start);
    this.state = 'IMPLICIT-DOCUMENT-START';
    this.skipToken();
    return this.event('STREAM-START');
  }

  private parseDocumentStart(implicit: boolean): YamlEvent {
    let token = this.peekToken();
    if (!implicit) {
      while (token.type === 'DOCUMENT-END') {
        this.skipToken();
        token = this.peekToken();
      }
    }
    if (
      implicit &&
      token.type !== 'VERSION-DIRECTIVE' &&
      token.type !== 'TAG-DIRECTIVE' &&
      token.type !== 'DOCUMENT-START' &&
      token.type !== 'STREAM-END'
    ) {
      this.processDirectives();
      this.states.push('DOCUMENT-END');
      this.state = 'BLOCK-NODE';
      return this.event('DOCUMENT-START');
    }
    if (token.type !== 'STREAM-END') {
      const start = token.start;
      this.processDirectives();
      token = this.peekToken();
      if (token.type !== 'DOCUMENT-START') this.parserError('did not find expected <document start>', token.start);
      this.states.push('DOCUMENT-END');
      this.state = 'DOCUMENT-CONTENT';
      this.skipToken();
      return this.event('DOCUMENT-START');
    }
    this.state = 'END';
    this.skipToken();
    return this.event('STREAM-END');
  }

  private parseDocumentContent(): YamlEvent {
    const token = this.peekToken();
    if (
      token.type === 'VERSION-DIRECTIVE' ||
      token.type === 'TAG-DIRECTIVE' ||
      token.type === 'DOCUMENT-START' ||
      token.type === 'DOCUMENT-END' ||
      token.type === 'STREAM-END'
    ) {
      this.popState();
      return this.emptyScalar();
    }
    return this.parseNode(true, false);
  }

  private parseDocumentEnd(): YamlEvent {
    const token = this.peekToken();
    if (token.type === 'DOCUMENT-END') this.skipToken();
    this.tagDirectives = [];
    this.state = 'DOCUMENT-START';
    return this.event('DOCUMENT-END');
  }

  private parseNode(block: boolean, indentlessSequence: boolean): YamlEvent {
    let token = this.peekToken();
    if (token.type === 'ALIAS') {
      this.popState();
      this.skipToken();
      return this.event('ALIAS', { anchor: token.value });
    }
    const start = token.start;
    let anchor = '';
    let tagToken: Token | null = null;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      this.skipToken();
      token = this.peekToken();
      if (token.type === 'TAG') {
        tagToken = token;
        this.skipToken();
        token = this.peekToken();
      }
    } else if (token.type === 'TAG') {
      tagToken = token;
      this.skipToken();
      token = this.peekToken();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        this.skipToken();
        token = this.peekToken();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagToken.value === '') {
        tag = tagToken.suffix;
      } else {
        const directive = this.tagDirectives.find(([handle]) => handle === tagToken.value);
        if (!directive) this.parserError('found undefined tag handle', tagToken.start, start);
        tag = directive[1] + tagToken.suffix;
      }
    }
    const implicit = tag === '';
    const node = (type: EventType, state: ParserState) => {
      this.state = state;
      return this.event(type, { anchor, tag, implicit });
    };
    if (indentlessSequence && token.type === 'BLOCK-ENTRY') return node('SEQUENCE-START', 'INDENTLESS-SEQUENCE-ENTRY');
    if (token.type === 'SCALAR') {
      this.popState();
      this.skipToken();
      const plainImplicit = (tag === '' && token.style === 'plain') || tag === '!';
      return this.event('SCALAR', { anchor, tag, value: token.value, implicit: plainImplicit });
    }
    if (token.type === 'FLOW-SEQUENCE-START') return node('SEQUENCE-START', 'FLOW-SEQUENCE-FIRST-ENTRY');
    if (token.type === 'FLOW-MAPPING-START') return node('MAPPING-START', 'FLOW-MAPPING-FIRST-KEY');
    if (block && token.type === 'BLOCK-SEQUENCE-START') return node('SEQUENCE-START', 'BLOCK-SEQUENCE-FIRST-ENTRY');
    if (block && token.type === 'BLOCK-MAPPING-START') return node('MAPPING-START', 'BLOCK-MAPPING-FIRST-KEY');
    if (anchor !== '' || tag !== '') {
      this.popState();
      return this.event('SCALAR', { anchor, tag, implicit });
    }
    this.parserError('did not find expected node content', token.start, start);
  }

  private parseBlockSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type === 'BLOCK-ENTRY') {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== 'BLOCK-ENTRY' && token.type !== 'BLOCK-END') {
        this.states.push('BLOCK-SEQUENCE-ENTRY');
        return this.parseNode(true, false);
      }
      this.state = 'BLOCK-SEQUENCE-ENTRY';
      return this.emptyScalar();
    }
    if (token.type === 'BLOCK-END') {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return this.event('SEQUENCE-END');
    }
    this.parserError("did not find expected '-' indicator", token.start, this.marks.pop());
  }

  private parseIndentlessSequenceEntry(): YamlEvent {
    let token = this.peekToken();
    if (token.type === 'BLOCK-ENTRY') {
      this.skipToken();
      token = this.peekToken();
      if (!['BLOCK-ENTRY', 'KEY', 'VALUE', 'BLOCK-END'].includes(token.type)) {
        this.states.push('INDENTLESS-SEQUENCE-ENTRY');
        return this.parseNode(true, false);
      }
      this.state = 'INDENTLESS-SEQUENCE-ENTRY';
      return this.emptyScalar();
    }
    this.popState();
    return this.event('SEQUENCE-END');
  }

  private parseBlockMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type === 'KEY') {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK-END') {
        this.states.push('BLOCK-MAPPING-VALUE');
        return this.parseNode(true, true);
      }
      this.state = 'BLOCK-MAPPING-VALUE';
      return this.emptyScalar();
    }
    if (token.type === 'BLOCK-END') {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return this.event('MAPPING-END');
    }
    this.parserError('did not find expected key', token.start, this.marks.pop());
  }

  private parseBlockMappingValue(): YamlEvent {
    let token = this.peekToken();
    if (token.type === 'VALUE') {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK-END') {
        this.states.push('BLOCK-MAPPING-KEY');
        return this.parseNode(true, true);
      }
      this.state = 'BLOCK-MAPPING-KEY';
      return this.emptyScalar();
    }
    this.state = 'BLOCK-MAPPING-KEY';
    return this.emptyScalar();
  }

  private parseFlowSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type !== 'FLOW-SEQUENCE-END') {
      if (!first) {
        if (token.type !== 'FLOW-ENTRY') {
          this.parserError("did not find expected ',' or ']'", token.start, this.marks.pop());
        }
        this.skipToken();
        token = this.peekToken();
      }
      if (token.type === 'KEY') {
        this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY';
        this.skipToken();
        return this.event('MAPPING-START', { implicit: true });
      }
      if (token.type !== 'FLOW-SEQUENCE-END') {
        this.states.push('FLOW-SEQUENCE-ENTRY');
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return this.event('SEQUENCE-END');
  }

  private parseFlowSequenceEntryMappingKey(): YamlEvent {
    const token = this.peekToken();
    if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-SEQUENCE-END') {
      this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-VALUE');
      return this.parseNode(false, false);
    }
    this.skipToken();
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE';
    return this.emptyScalar();
  }

  private parseFlowSequenceEntryMappingValue(): YamlEvent {
    let token = this.peekToken();
    if (token.type === 'VALUE') {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-SEQUENCE-END') {
        this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-END');
        return this.parseNode(false, false);
      }
    }
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-END';
    return this.emptyScalar();
  }

  private parseFlowSequenceEntryMappingEnd(): YamlEvent {
    const token = this.peekToken();
    this.state = 'FLOW-SEQUENCE-ENTRY';
    return this.event('MAPPING-END');
  }

  private parseFlowMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peekToken().start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (token.type !== 'FLOW-MAPPING-END') {
      if (!first) {
        if (token.type !== 'FLOW-ENTRY') {
          this.parserError("did not find expected ',' or '}'", token.start, this.marks.pop());
        }
        this.skipToken();
        token = this.peekToken();
      }
      if (token.type === 'KEY') {
        this.skipToken();
        token = this.peekToken();
        if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
          this.states.push('FLOW-MAPPING-VALUE');
          return this.parseNode(false, false);
        }
        this.state = 'FLOW-MAPPING-VALUE';
        return this.emptyScalar();
      }
      if (token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-EMPTY-VALUE');
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return this.event('MAPPING-END');
  }

  private parseFlowMappingValue(empty: boolean): YamlEvent {
    let token = this.peekToken();
    if (empty) {
      this.state = 'FLOW-MAPPING-KEY';
      return this.emptyScalar();
    }
    if (token.type === 'VALUE') {
      this.skipToken();
      token = this.peekToken();
      if (token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-KEY');
        return this.parseNode(false, false);
      }
    }
    this.state = 'FLOW-MAPPING-KEY';
    return this.emptyScalar();
  }

  private emptyScalar(): YamlEvent {
    return this.event('SCALAR', { implicit: true });
  }

  private processDirectives(): void {
    let token = this.peekToken();
    let sawVersion = false;
    while (token.type === 'VERSION-DIRECTIVE' || token.type === 'TAG-DIRECTIVE') {
      if (token.type === 'VERSION-DIRECTIVE') {
        if (sawVersion) this.parserError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.parserError('found incompatible YAML document', token.start);
        sawVersion = true;
      } else {
        if (this.tagDirectives.some(([handle]) => handle === token.value)) {
          this.parserError('found duplicate %TAG directive', token.start);
        }
        this.tagDirectives.push([token.value, token.suffix]);
      }
      this.skipToken();
      token = this.peekToken();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some(([handle]) => handle === directive[0])) this.tagDirectives.push(directive);
    }
  }
}

/** The length of the UTF-8 sequence a leading byte starts (0 for a continuation byte). */
function utf8Width(b: number): number {
  if (b < 0x80) return 1;
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  return (b & 0xf8) === 0xf0 ? 4 : 0;
}

/** Bytes as a Go string converted to text: each invalid byte becomes U+FFFD. */
function goString(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const width = (b >= 0x80 && b < 0xc2) || b > 0xf4 ? 0 : utf8Width(b);
    let cp = width === 1 ? b : width === 2 ? b & 0x1f : width === 3 ? b & 0x0f : b & 0x07;
    let ok = width > 0 && i + width <= bytes.length;
    for (let k = 1; ok && k < width; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3f);
    }
    const minimum = [0, 0, 0x80, 0x800, 0x10000][width];
    if (ok && (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += width;
    } else {
      out += '\ufffd';
      i++;
    }
  }
  return out;
}

// ============================================================================================
// Node tree and decoding (go-yaml decode.go)
// ============================================================================================

interface YamlNode {
  kind: 'scalar' | 'sequence' | 'mapping' | 'alias';
  tag: string;
  value: string;
  implicit: boolean;
  children: YamlNode[];
  /** The anchored node an alias refers to. */
  alias?: YamlNode;
}

/** decode.go's parser: events → one document's node tree (built with an explicit stack). */
class Composer {
  private readonly parser: YamlParser;
  private peeked: YamlEvent | null = null;
  private readonly anchors = new Map<string, YamlNode>();

  constructor(parser: YamlParser) {
    this.parser = parser;
  }

  private next(): YamlEvent | null {
    const event = this.peeked ?? this.parser.nextEvent();
    this.peeked = null;
    return event;
  }

  private peek(): YamlEvent | null {
    this.peeked ??= this.parser.nextEvent();
    return this.peeked;
  }

  /** The first document's root node, or null for an empty stream. */
  document(): YamlNode | null {
    this.next(); // STREAM-START
    if (this.peek()?.type !== 'DOCUMENT-START') return null;
    this.next();
    const root = this.node();
    const end = this.next();
    if (end?.type !== 'DOCUMENT-END') throw new YamlError(`yaml: expected DOCUMENT-END event but got ${end?.type}`);
    return root;
  }

  private node(): YamlNode {
    const stack: YamlNode[] = [];
    for (;;) {
      const event = this.next()!;
      let done: YamlNode | null = null;
      switch (event.type) {
        case 'SCALAR':
          done = this.anchor(event, {
            kind: 'scalar',
            tag: event.tag,
            value: event.value,
            implicit: event.implicit,
            children: [],
          });
          break;
        case 'ALIAS': {
          const target = this.anchors.get(event.anchor);
          if (!target) throw new YamlError(`yaml: unknown anchor '${event.anchor}' referenced`);
          done = { kind: 'alias', tag: '', value: event.anchor, implicit: false, children: [], alias: target };
          break;
        }
        case 'SEQUENCE-START':
        case 'MAPPING-START': {
          const kind = event.type === 'SEQUENCE-START' ? 'sequence' : 'mapping';
          stack.push(this.anchor(event, { kind, tag: event.tag, value: '', implicit: event.implicit, children: [] }));
          continue;
        }
        case 'SEQUENCE-END':
        case 'MAPPING-END':
          done = stack.pop()!;
          break;
        default:
          throw new YamlError(`yaml: unexpected ${event.type} event`);
      }
      if (stack.length === 0) return done;
      stack[stack.length - 1].children.push(done);
    }
  }

  private anchor(event: YamlEvent, node: YamlNode): YamlNode {
    if (event.anchor !== '') this.anchors.set(event.anchor, node);
    return node;
  }
}

const TAG_PREFIX = 'tag:yaml.org,2002:';
const RESOLVABLE_TAGS = new Set(['', ...['str', 'bool', 'int', 'float', 'null', 'timestamp'].map((t) => TAG_PREFIX + t)]);

/** decode.go's decoder for interface{} targets, with its alias-expansion limit. */
class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<YamlNode>();

  decodeDocument(root: YamlNode): GoValue {
    this.count();
    return this.decode(root, 0);
  }

  /** d.unmarshal's bookkeeping: refuse documents made mostly of alias expansions. */
  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    const ratio = this.aliasCount / this.decodeCount;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && ratio > allowedAliasRatio(this.decodeCount)) {
      throw new YamlError('yaml: document contains excessive aliasing');
    }
  }

  /** `depth` counts the collections around `node`; the decoder recurses, so it stops beyond MAX_DEPTH. */
  private decode(node: YamlNode, depth: number): GoValue {
    this.count();
    if (depth > MAX_DEPTH && (node.kind === 'sequence' || node.kind === 'mapping')) throw new NestingError();
    switch (node.kind) {
      case 'alias':
        return this.expand(node, () => this.decode(node.alias!, depth));
      case 'scalar':
        return decodeScalar(node);
      case 'sequence':
        return node.children.map((child) => this.decode(child, depth + 1));
      case 'mapping': {
        const map = new GoMap();
        this.fillMapping(node, map, depth);
        return map;
      }
    }
  }

  private expand<T>(alias: YamlNode, fn: () => T): T {
    if (this.expanding.has(alias)) throw new YamlError(`yaml: anchor '${alias.value}' value contains itself`);
    this.expanding.add(alias);
    this.aliasDepth++;
    try {
      return fn();
    } finally {
      this.aliasDepth--;
      this.expanding.delete(alias);
    }
  }

  private fillMapping(node: YamlNode, out: GoMap, depth: number): void {
    for (let i = 0; i < node.children.length; i += 2) {
      const keyNode = node.children[i];
      const mergeKey = keyNode.kind === 'scalar' && keyNode.value === '<<';
      if (mergeKey && (keyNode.implicit || keyNode.tag === TAG_PREFIX + 'merge')) {
        this.merge(node.children[i + 1], out, depth);
        continue;
      }
      const key = this.decode(keyNode, depth + 1);
      if (Array.isArray(key) || key instanceof GoMap) throw new YamlError(`yaml: invalid map key: ${goSharpV(key)}`);
      out.set(key, this.decode(node.children[i + 1], depth + 1));
    }
  }

  /** `<<`: merged keys are written where the merge appears; later keys override them. */
  private merge(node: YamlNode, out: GoMap, depth: number): void {
    const wantMap = () => new YamlError('yaml: map merge requires map or sequence of maps as the value');
    const isMap = (n: YamlNode) => (n.kind === 'alias' ? n.alias!.kind === 'mapping' : n.kind === 'mapping');
    const into = (n: YamlNode) => {
      this.count();
      if (n.kind === 'alias') this.expand(n, () => this.into(n.alias!, out, depth));
      else this.fillMapping(n, out, depth);
    };
    if (node.kind === 'sequence') {
      // Earlier maps take precedence, so they are applied last.
      for (let i = node.children.length - 1; i >= 0; i--) {
        if (!isMap(node.children[i])) throw wantMap();
        into(node.children[i]);
      }
    } else if (isMap(node)) {
      into(node);
    } else {
      throw wantMap();
    }
  }

  private into(node: YamlNode, out: GoMap, depth: number): void {
    this.count();
    this.fillMapping(node, out, depth);
  }
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** decode.go scalar() for interface{}: quoted scalars are strings, the rest is resolved. */
function decodeScalar(node: YamlNode): GoValue {
  if (node.tag === '' && !node.implicit) return node.value;
  const tag = node.tag;
  if (tag === TAG_PREFIX + 'binary') return decodeBinary(node.value);
  if (!RESOLVABLE_TAGS.has(tag)) return node.value;
  const resolved: ResolvedScalar =
    tag === TAG_PREFIX + 'str'
      ? { tag: 'str', value: node.value }
      : resolvePlainScalar(node.value, tag === '' || tag === TAG_PREFIX + 'timestamp');
  const rtag = TAG_PREFIX + (resolved.tag === 'uint' ? 'int' : resolved.tag);
  if (tag !== '' && tag !== rtag && tag !== TAG_PREFIX + 'str') {
    if (tag === TAG_PREFIX + 'float' && resolved.tag === 'int') return new GoFloat(Number(resolved.value));
    throw new YamlError(`yaml: cannot decode ${shortTag(rtag)} \`${node.value}\` as a ${shortTag(tag)}`);
  }
  switch (resolved.tag) {
    case 'int':
    case 'uint':
      return new GoInt(resolved.value, resolved.tag === 'uint');
    case 'float':
      return new GoFloat(resolved.value);
    case 'timestamp':
      // For interface{} go-yaml keeps timestamps as the original text.
      return node.value;
    default:
      return resolved.value;
  }
}

function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? '!!' + tag.slice(TAG_PREFIX.length) : tag;
}

function decodeBinary(text: string): string {
  // base64.StdEncoding: padded alphabet; go-yaml's scanner already folded line breaks away.
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new YamlError('yaml: !!binary value contains invalid base64 data');
  }
  return goString([...Buffer.from(clean, 'base64')]);
}
