/**
 * kubectl's JSONPath templates: `-o jsonpath=`, `-o jsonpath-as-json=`, `-o jsonpath-file=`, and the
 * expressions behind `-o custom-columns` and `--sort-by`.
 *
 * A port of kubernetes/kubernetes:staging/src/k8s.io/client-go/util/jsonpath/{parser.go,node.go,jsonpath.go}
 * (with the comparisons of client-go/third_party/forked/golang/template/funcs.go), as wired by
 * staging/src/k8s.io/cli-runtime/pkg/printers/jsonpath.go and genericclioptions/jsonpath_flags.go.
 * The dialect is kubectl's own, quirks included: `['a.b']` still splits on the dot, `["a"]` is an
 * invalid index, an out-of-range index fails even when missing keys are allowed, and a range over
 * nothing still walks its body once (so `--allow-missing-template-keys=false` fails on an empty list).
 *
 * Data is plain JSON as kubectl decodes it into unstructured objects: integral numbers that fit are
 * Go int64, other numbers float64. Where Go iterates a map in random order (`.*`, `..`), keys are
 * visited sorted.
 */
import { CliError } from '../api/errors.ts';

// ------------------------------------------------------------------ parse tree (node.go)

interface ParamsEntry {
  value: number;
  /** Whether the bound was written in the template. */
  known: boolean;
  /** The end bound of a single index (`[i]` means `[i:i+1]`), so `[-1]` can mean "to the end". */
  derived: boolean;
}

interface ListNode {
  type: 'list';
  nodes: Node[];
}

type Node =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'identifier'; name: string }
  | { type: 'array'; params: readonly [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] };

/** A parsed template. Parse once with parseJsonPath, execute many times. */
export interface JsonPathTemplate {
  readonly name: string;
  /** The template text as given (kubectl's rawTemplate, quoted back in execution errors). */
  readonly template: string;
  readonly root: ListNode;
}

/** An error of the engine itself, with client-go's message and, like Go's (value, err) pairs, the partial value. */
class TemplateError extends Error {
  readonly partial: Value[];
  constructor(message: string, partial: Value[] = []) {
    super(message);
    this.partial = partial;
  }
}

// ------------------------------------------------------------------ parser (parser.go)

const EOF = -1;
const DICT_KEY = /^'([^']*)'$/;
const SLICE_OPERATOR = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09;
}

function isEndOfLine(r: number): boolean {
  return r === 0x0d || r === 0x0a;
}

function isDigit(r: number): boolean {
  return r >= 0 && DIGIT.test(String.fromCodePoint(r));
}

/** Letters, digits (any script, as Go's unicode package) and underscore. */
function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  const ch = String.fromCodePoint(r);
  return ch === '_' || LETTER.test(ch) || DIGIT.test(ch);
}

/** Characters that may follow an identifier or a field name. */
function isTerminator(r: number): boolean {
  if (isSpace(r) || isEndOfLine(r)) return true;
  return r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));
}

/** Go's `%#U`: `U+002A '*'`, or just `U+0009` for a rune that does not print. */
function formatRune(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  const ch = String.fromCodePoint(r);
  return PRINTABLE.test(ch) ? `${hex} '${ch}'` : hex;
}

function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big < -(2n ** 63n) || big >= 2n ** 63n) return undefined;
  return Number(big);
}

function goParseFloat(text: string): number | undefined {
  return /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text) ? Number(text) : undefined;
}

class Parser {
  private readonly input: string;
  private readonly root: ListNode = { type: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(input: string) {
    this.input = input;
  }

  /** Text outside `{}` is copied; every `{...}` becomes one list node of the root. */
  parse(): ListNode {
    for (;;) {
      const open = this.input.indexOf('{', this.pos);
      this.pos = open < 0 ? this.input.length : open;
      if (this.pos > this.start) this.root.nodes.push({ type: 'text', text: this.consumeText() });
      if (open < 0) return this.root;
      this.pos += 1;
      this.consumeText();
      const action: ListNode = { type: 'list', nodes: [] };
      this.root.nodes.push(action);
      this.parseInsideAction(action);
    }
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private hasPrefix(prefix: string): boolean {
    return this.input.startsWith(prefix, this.pos);
  }

  /** Everything up to the closing `}` (parseInsideAction and the parse* functions it chains to). */
  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      if (this.hasPrefix('}')) {
        this.pos += 1;
        this.consumeText();
        return;
      }
      if (this.hasPrefix('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (this.hasPrefix('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new TemplateError('unclosed action');
      if (r === 0x20 || r === 0x40 /* @ */ || r === 0x24 /* $ */) {
        // blanks, and the current object or the root: nothing to record
        this.consumeText();
      } else if (r === 0x5b /* [ */) {
        this.parseArray(cur);
      } else if (r === 0x22 || r === 0x27) {
        this.parseQuote(cur, r);
      } else if (r === 0x2e /* . */) {
        this.parseField(cur);
      } else if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new TemplateError(`unrecognized character in action: ${formatRune(r)}`);
      }
    }
  }

  /** Keywords (`range`, `end`, anything else fails when executed) and the booleans. */
  private parseIdentifier(cur: ListNode): void {
    while (!isTerminator(this.next()));
    this.backup();
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === 'recursive') throw new TemplateError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) this.next();
    for (;;) {
      const r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const int = goAtoi(value);
    if (int !== undefined) {
      cur.nodes.push({ type: 'int', value: int });
      return;
    }
    const float = goParseFloat(value);
    if (float === undefined) throw new TemplateError(`cannot parse number ${value}`);
    cur.nodes.push({ type: 'float', value: float });
  }

  /** `[...]`: a union `[a,b]`, a quoted key `['k']`, or an index/slice `[i]`, `[a:b:step]`, `[*]`. */
  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new TemplateError('unterminated array');
      if (r === 0x5d /* ] */) break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      const union = parts.map((part) => parseAction(`[${trimSpaces(part)}]`));
      cur.nodes.push({ type: 'union', nodes: union });
      return;
    }

    const key = DICT_KEY.exec(text);
    if (key) {
      // The key is re-read as a field path, so dots in it still separate fields.
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }

    const slice = SLICE_OPERATOR.exec(text);
    if (!slice) throw new TemplateError(`invalid array index ${text}`);
    const params: ParamsEntry[] = [];
    for (let i = 0; i < 3; i++) {
      let value = slice[i + 1] ?? '';
      if (value !== '') {
        if (i > 0) value = value.slice(1);
        if (i > 0 && value === '') {
          params.push({ value: 0, known: false, derived: false });
        } else {
          const n = goAtoi(value);
          if (n === undefined) throw new TemplateError(`array index ${value} is not a number`);
          params.push({ value: n, known: true, derived: false });
        }
      } else if (i === 1) {
        params.push({ value: params[0].value + 1, known: true, derived: true });
      } else {
        params.push({ value: 0, known: false, derived: false });
      }
    }
    cur.nodes.push({ type: 'array', params: [params[0], params[1], params[2]] });
  }

  /** `[?(left op right)]` or `[?(path)]` (existence). */
  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new TemplateError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === 0x29 /* ) */ && begin === end) {
        break;
      }
    }
    if (this.next() !== 0x5d) throw new TemplateError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const m = FILTER.exec(text);
    if (!m) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
    } else {
      cur.nodes.push({ type: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), operator: m[2] });
    }
  }

  /** A quoted literal, unquoted with Go's escapes (either quote style). */
  private parseQuote(cur: ListNode, quote: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new TemplateError('unterminated quoted string');
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    const text = unquoteExtend(value);
    if (text === undefined) throw new TemplateError(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text });
  }

  /** `.name` (backslashes escape terminators and are then dropped) or `.*`. */
  private parseField(cur: ListNode): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === 0x5c /* \ */) {
        this.next();
      } else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', name: value.replaceAll('\\', '') });
  }
}

/** parser.go parseAction: parse `{text}` and return that action's node list. */
function parseAction(text: string): ListNode {
  return new Parser(`{${text}}`).parse().nodes[0] as ListNode;
}

function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/**
 * parser.go UnquoteExtend: strconv.Unquote that also accepts multi-character single-quoted
 * strings. `undefined` means invalid syntax.
 */
function unquoteExtend(s: string): string | undefined {
  const quote = s[0];
  if (s.length < 2 || quote !== s[s.length - 1] || (quote !== '"' && quote !== "'")) return undefined;
  let rest = s.slice(1, -1);
  if (!rest.includes('\\') && !rest.includes(quote)) return rest;
  let out = '';
  while (rest.length > 0) {
    const c = rest[0];
    if (c === quote) return undefined;
    if (c !== '\\') {
      const ch = String.fromCodePoint(rest.codePointAt(0)!);
      out += ch;
      rest = rest.slice(ch.length);
      continue;
    }
    if (rest.length < 2) return undefined;
    const e = rest[1];
    rest = rest.slice(2);
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = rest.slice(0, n);
      if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      const v = parseInt(digits, 16);
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
      out += String.fromCodePoint(v);
      rest = rest.slice(n);
    } else if (e >= '0' && e <= '7') {
      const digits = e + rest.slice(0, 2);
      if (!/^[0-7]{3}$/.test(digits)) return undefined;
      const v = parseInt(digits, 8);
      if (v > 255) return undefined;
      out += String.fromCharCode(v);
      rest = rest.slice(2);
    } else if (e === quote) {
      out += e;
    } else {
      return undefined;
    }
  }
  return out;
}

// ------------------------------------------------------------------ values

/**
 * A Go value that JSON data cannot produce: template literals (`int`, `float64`) and the bytes
 * `.*` yields from a string (`uint8`). Their Go type decides comparisons and error texts.
 */
class GoNumber {
  readonly goType: 'int' | 'float64' | 'uint8';
  readonly value: number;
  constructor(goType: 'int' | 'float64' | 'uint8', value: number) {
    this.goType = goType;
    this.value = value;
  }
}

/** reflect.ValueOf(nil): what a range body sees for a null item, or when it ranges over nothing. */
const INVALID = Symbol('invalid reflect.Value');

type Value = unknown;
type GoMap = Record<string, unknown>;

function isMap(v: Value): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoNumber);
}

function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63;
}

/** Go's string order: by bytes of UTF-8, which is code point order. */
function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

function goTypeName(v: Value): string {
  if (v instanceof GoNumber) return v.goType;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isInt64(v) ? 'int64' : 'float64';
  return 'map[string]interface {}';
}

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 (strconv 'g', -1). */
function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return String(n);
}

function formatNumber(v: number | GoNumber): string {
  if (v instanceof GoNumber) return v.goType === 'float64' ? formatGoFloat(v.value) : String(v.value);
  return isInt64(v) ? String(v) : formatGoFloat(v);
}

/** Go's `%v` (fmt.Sprint) of a decoded JSON value: `map[k:v]` with sorted keys, `[a b]`, `<nil>`. */
export function goSprint(v: Value): string {
  if (v === INVALID || v === undefined) return '<invalid reflect.Value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || v instanceof GoNumber) return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const m = v as GoMap;
  return `map[${sortedKeys(m)
    .map((k) => `${k}:${goSprint(m[k])}`)
    .join(' ')}]`;
}

const NON_PRINTABLE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** strconv.Quote (Go's `%q`): printable runes kept, the rest escaped. */
function goQuoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (ch in NON_PRINTABLE_ESCAPES) out += NON_PRINTABLE_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Go's `%#v` of a decoded JSON value, as kubectl dumps the object after a failed template. */
function goSyntax(v: Value): string {
  if (v === null || v === undefined || v === INVALID) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuoteString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || v instanceof GoNumber) return formatNumber(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const m = v as GoMap;
  return `map[string]interface {}{${sortedKeys(m)
    .map((k) => `${goQuoteString(k)}:${goSyntax(m[k])}`)
    .join(', ')}}`;
}

/** encoding/json string escaping, including its HTML-safe escapes of <, > and &. */
function jsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** json.Marshal (indent '') or json.MarshalIndent(v, "", indent): map keys sorted. */
function goJson(v: Value, indent: string, level = 0): string {
  if (v === null || v === undefined || v === INVALID) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof GoNumber) return v.goType === 'float64' ? JSON.stringify(v.value) : String(v.value);
  if (typeof v === 'number') return isInt64(v) ? String(v) : JSON.stringify(v);
  const inner = indent ? '\n' + indent.repeat(level + 1) : '';
  const close = indent ? '\n' + indent.repeat(level) : '';
  const sep = indent ? ': ' : ':';
  let parts: string[];
  let brackets: [string, string];
  if (Array.isArray(v)) {
    parts = v.map((item) => goJson(item, indent, level + 1));
    brackets = ['[', ']'];
  } else {
    const m = v as GoMap;
    parts = sortedKeys(m).map((k) => jsonString(k) + sep + goJson(m[k], indent, level + 1));
    brackets = ['{', '}'];
  }
  if (parts.length === 0) return brackets.join('');
  return brackets[0] + inner + parts.join(',' + inner) + close + brackets[1];
}

/** What reflect's `value.Interface()` gives back to callers outside the engine. */
function toPlain(v: Value): unknown {
  if (v instanceof GoNumber) return v.value;
  if (v === INVALID) return null;
  return v;
}

// ------------------------------------------------------------------ comparisons (template/funcs.go)

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isInt64(v) ? 'int' : 'float';
  if (v instanceof GoNumber) return v.goType === 'int' ? 'int' : v.goType === 'uint8' ? 'uint' : 'float';
  throw new TemplateError('invalid type for comparison');
}

function scalar(v: Value): number | string | boolean {
  return v instanceof GoNumber ? v.value : (v as number | string | boolean);
}

function goEqual(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  const x = scalar(a);
  const y = scalar(b);
  if (k1 !== k2) {
    // Integers compare regardless of signedness; nothing else mixes.
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return x === y;
    throw new TemplateError('incompatible types for comparison');
  }
  return x === y;
}

function goLess(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  const x = scalar(a);
  const y = scalar(b);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return (x as number) < (y as number);
    throw new TemplateError('incompatible types for comparison');
  }
  if (k1 === 'bool') throw new TemplateError('invalid type for comparison');
  if (k1 === 'string') return compareGoStrings(x as string, y as string) < 0;
  return (x as number) < (y as number);
}

function compare(operator: string, left: Value, right: Value): boolean {
  switch (operator) {
    case '<':
      return goLess(left, right);
    case '>':
      return !(goLess(left, right) || goEqual(left, right));
    case '==':
      return goEqual(left, right);
    case '!=':
      return !goEqual(left, right);
    case '<=':
      return goLess(left, right) || goEqual(left, right);
    case '>=':
      return !goLess(left, right);
    default:
      throw new TemplateError(`unrecognized filter operator ${operator}`);
  }
}

// ------------------------------------------------------------------ evaluation (jsonpath.go)

/** One execution: the range bookkeeping of client-go's JSONPath struct. */
class Execution {
  private readonly nodes: readonly Node[];
  private readonly allowMissingKeys: boolean;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  /** Index in the root list of the `{end}` that closed the most recent range body. */
  private lastEndNode = -1;

  constructor(root: ListNode, allowMissingKeys: boolean) {
    this.nodes = root.nodes;
    this.allowMissingKeys = allowMissingKeys;
  }

  /**
   * The result groups of the root nodes from `start` on: one group per action, and one per action
   * per item inside a range. A range body runs once per item, or once on nothing so its `{end}`
   * is found, and execution resumes after that `{end}`.
   */
  findResults(data: Value, start = 0): Value[][] {
    const cur = [data];
    const full: Value[][] = [];
    for (let i = start; i < this.nodes.length; i++) {
      const results = this.walk(cur, this.nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          // Go re-wraps each item with reflect.ValueOf(value.Interface()): a null item becomes invalid.
          for (const item of results) full.push(...this.findResults(item === null ? INVALID : item, i + 1));
        } else {
          this.findResults(INVALID, i + 1);
        }
        this.inRange--;
        for (let k = i + 1; k < this.nodes.length; k++) {
          if (k === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => new GoNumber('int', node.value));
      case 'float':
        return input.map(() => new GoNumber('float64', node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap(children);
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return this.evalUnion(input, node.nodes);
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: Value[], list: ListNode): Value[] {
    let cur = input;
    for (const node of list.nodes) cur = this.walk(cur, node);
    return cur;
  }

  private evalUnion(input: Value[], lists: ListNode[]): Value[] {
    const result: Value[] = [];
    for (const list of lists) result.push(...rethrowWith(input, () => this.evalList(input, list)));
    return result;
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange === 0) throw new TemplateError('not in range, nothing to end');
      this.endRange++;
      return [];
    }
    throw new TemplateError(`unrecognized identifier ${name}`, input);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const results: Value[] = [];
    for (const v of input) {
      if (isMap(v) && Object.hasOwn(v, name)) results.push(v[name]);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new TemplateError(`${name} is not found`);
    return results;
  }

  private evalArray(input: Value[], params: readonly [ParamsEntry, ParamsEntry, ParamsEntry]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      // null is skipped; Go panics on an invalid value here, skipping is the closest sane reading.
      if (v === null || v === INVALID) continue;
      if (!Array.isArray(v)) throw new TemplateError(`${goTypeName(v)} is not array or slice`, input);
      const length = v.length;
      let begin = params[0].known ? params[0].value : 0;
      if (begin < 0) begin += length;
      let end = params[1].known ? params[1].value : length;
      if (end < 0 || (end === 0 && params[1].derived)) end += length;
      if (end === begin) return result;
      if (begin >= length || begin < 0) {
        throw new TemplateError(`array index out of bounds: index ${begin}, length ${length}`, input);
      }
      if (end > length || end < 0) {
        throw new TemplateError(`array index out of bounds: index ${end - 1}, length ${length}`, input);
      }
      if (begin > end) {
        throw new TemplateError(`starting index ${begin} is greater than ending index ${end}`, input);
      }
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) throw new TemplateError('step must be > 0', input);
        step = params[2].value;
      }
      for (let i = begin; i < end; i += step) result.push(v[i]);
    }
    return result;
  }

  /** Every container under each input, each followed by its own containers (depth first). */
  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (typeof v === 'string') {
        // A string's children are its bytes, which have none.
        if (v.length > 0) result.push(v);
        continue;
      }
      const kids = children(v);
      if (kids.length > 0) result.push(v, ...this.evalRecursive(kids));
    }
    return result;
  }

  private evalFilter(input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) {
        throw new TemplateError(`${goSprint(v)} is not array or slice and cannot be filtered`, input);
      }
      for (const item of v) {
        const temp = [item];
        let lefts: Value[];
        let failure: unknown;
        try {
          lefts = this.evalList(temp, node.left);
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          lefts = e.partial;
          failure = e;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (failure) throw new TemplateError((failure as Error).message, input);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new TemplateError('can only compare one element at a time', input);
        const rights = rethrowWith(input, () => this.evalList(temp, node.right));
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new TemplateError('can only compare one element at a time', input);
        if (rethrowWith(results, () => compare(node.operator, lefts[0], rights[0]))) results.push(item);
      }
    }
    return results;
  }
}

/** Run `f`; an engine error from it is re-raised with `partial` as the value that goes with it. */
function rethrowWith<T>(partial: Value[], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(e.message, partial);
    throw e;
  }
}

/** What `.*` yields: a map's values (sorted by key), a list's items, a string's bytes. */
function children(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...new TextEncoder().encode(v)].map((b) => new GoNumber('uint8', b));
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]);
  return [];
}

/** The text of one matched value: maps and lists as compact JSON, null as `null`, the rest as Go prints them. */
function evalToText(v: Value): string {
  if (v === INVALID) return '<no value>';
  if (v === null) return 'null';
  if (Array.isArray(v) || isMap(v)) return goJson(v, '');
  return goSprint(v);
}

// ------------------------------------------------------------------ public API

/**
 * Parse a template as client-go does, with the error kubectl's jsonpath printer reports
 * (genericclioptions/jsonpath_flags.go): `error parsing jsonpath <template>, <reason>`.
 */
export function parseJsonPath(name: string, template: string): JsonPathTemplate {
  try {
    return parseJsonPathExpression(name, template);
  } catch (e) {
    if (e instanceof CliError) throw new CliError(`error parsing jsonpath ${template}, ${e.message}`);
    throw e;
  }
}

/**
 * Parse a template with client-go's bare error text (`unclosed action`), which is what
 * custom-columns and --sort-by report.
 */
export function parseJsonPathExpression(name: string, template: string): JsonPathTemplate {
  try {
    return { name, template, root: new Parser(template).parse() };
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(e.message);
    throw e;
  }
}

/** `-o jsonpath=` with no template (jsonpath_flags.go ToPrinter). */
export function checkTemplateGiven(template: string): void {
  if (template.length === 0) throw new CliError('template format specified but no template given');
}

function run(tpl: JsonPathTemplate, data: unknown, allowMissingKeys: boolean): Value[][] {
  return new Execution(tpl.root, allowMissingKeys).findResults(data);
}

/** An execution failure as cli-runtime's JSONPathPrinter.PrintObj wraps it, debugging block included. */
function executionError(tpl: JsonPathTemplate, data: unknown, e: unknown): unknown {
  if (!(e instanceof TemplateError)) return e;
  return new CliError(
    `error executing jsonpath ${goQuoteString(tpl.template)}: Error executing template: ${e.message}. ` +
      'Printing more information for debugging the template:\n' +
      `\ttemplate was:\n\t\t${tpl.template}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n\n`,
  );
}

/**
 * `-o jsonpath=`: the output for one object or a List wrapper. Each group's matches are joined
 * with a space and groups are concatenated; nothing is added at the end.
 */
export function executeJsonPath(tpl: JsonPathTemplate, data: unknown, opts: { allowMissingKeys: boolean }): string {
  let groups: Value[][];
  try {
    groups = run(tpl, data, opts.allowMissingKeys);
  } catch (e) {
    throw executionError(tpl, data, e);
  }
  return groups.map((group) => group.map(evalToText).join(' ')).join('');
}

/** `-o jsonpath-as-json=`: each group as a JSON array indented by four spaces, with a newline after it. */
export function executeJsonPathAsJson(tpl: JsonPathTemplate, data: unknown, opts: { allowMissingKeys: boolean }): string {
  let groups: Value[][];
  try {
    groups = run(tpl, data, opts.allowMissingKeys);
  } catch (e) {
    throw executionError(tpl, data, e);
  }
  return groups.map((group) => goJson(group, '    ') + '\n').join('');
}

/**
 * The matched values, one list per result group (JSONPath.FindResults). Errors carry client-go's
 * bare message, as custom-columns and --sort-by print it.
 */
export function findResults(tpl: JsonPathTemplate, data: unknown, opts: { allowMissingKeys: boolean }): unknown[][] {
  try {
    return run(tpl, data, opts.allowMissingKeys).map((group) => group.map(toPlain));
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(e.message);
    throw e;
  }
}

const RELAXED_PATH = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * kubectl's RelaxedJSONPathExpression (kubectl pkg/cmd/get/customcolumn.go): `a.b`, `.a.b`,
 * `{a.b}` and `{.a.b}` all become `{.a.b}`; an empty path stays empty.
 */
export function relaxedJsonPathExpression(path: string): string {
  if (path.length === 0) return path;
  const m = RELAXED_PATH.exec(path);
  if (!m) {
    throw new CliError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  }
  return `{.${m[1] ?? m[2]}}`;
}
