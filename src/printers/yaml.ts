/**
 * `kubectl -o yaml`. kubectl's YAMLPrinter (kubernetes/kubernetes:staging/src/k8s.io/cli-runtime/
 * pkg/printers/yaml.go) calls sigs.k8s.io/yaml.Marshal: the object is encoded with encoding/json,
 * the JSON is decoded again by go-yaml v2 into generic maps, and go-yaml's encoder prints those.
 * The consequences reproduced here:
 *  - keys are sorted at every level with go-yaml's "natural" order (sorter.go: non-letters
 *    before letters, digit runs compared as numbers), even for objects kubectl builds itself;
 *  - strings that would read back as another type (YAML 1.1: yes/on/y, numbers, octal,
 *    timestamps, base-60) are double-quoted, multi-line strings become `|` blocks, and plain
 *    or quoted strings longer than 80 columns are folded, as go-yaml's emitter does
 *    (emitterc.go, best_width 80);
 *  - numbers go through JSON text, so integers stay integers and other floats print in Go's
 *    %g form (1e-06, 1.234567895e+08).
 * The emitter functions below follow sigs.k8s.io/yaml/goyaml.v2/emitterc.go and encode.go.
 */
import { CliError } from '../api/errors.ts';
import { GoFloat, GoInt, GoMap, YamlError, decodeGoYaml, resolvePlainScalar, type GoValue } from '../manifest/parse.ts';
import { formatGoFloat, formatJsonNumber, toCompactJson } from './json.ts';

/** One object as `kubectl -o yaml` prints it. */
export function toYaml(obj: unknown): string {
  const e = new Emitter();
  e.emitNode(needsGoYamlReader(obj) ? throughGoYaml(obj) : toYamlValue(obj), { mapping: false, simpleKey: false });
  e.writeIndent(); // yaml_emitter_emit_document_end
  return e.text();
}

/** Several objects printed one after another, as kubectl's YAMLPrinter separates them. */
export function toYamlDocuments(objs: unknown[]): string {
  return objs.map(toYaml).join('---\n');
}

// ------------------------------------------------------------------ values as go-yaml sees them

/** A scalar as encode.go hands it to the emitter: its text and the style it asks for. */
interface ScalarValue {
  kind: 'scalar';
  text: string;
  style: 'plain' | 'double' | 'literal';
}
interface SequenceValue {
  kind: 'sequence';
  items: YamlValue[];
}
interface MappingValue {
  kind: 'mapping';
  entries: [ScalarValue, YamlValue][];
}
type YamlValue = ScalarValue | SequenceValue | MappingValue;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The JSON round trip of sigs.k8s.io/yaml.Marshal for ordinary values: what Go's JSON encoder
 * writes, go-yaml reads back unchanged, except that invalid UTF-16 becomes U+FFFD.
 */
function toYamlValue(value: unknown): YamlValue {
  if (value === null || value === undefined) return plain('null');
  if (typeof value === 'string') return stringScalar(value.replace(LONE_SURROGATE, '\ufffd'));
  if (typeof value === 'boolean') return plain(String(value));
  if (typeof value === 'number') return plain(numberText(value));
  if (Array.isArray(value)) return { kind: 'sequence', items: value.map(toYamlValue) };
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    return mapping(keys.map((k) => [k.replace(LONE_SURROGATE, '\ufffd'), toYamlValue(obj[k])]));
  }
  throw new Error(`cannot marshal type: ${typeof value}`);
}

/**
 * Characters that make go-yaml read Go's JSON differently: raw U+0085 is a line break inside
 * its double-quoted scalars, and its reader refuses DEL, C1 controls and U+FFFE/U+FFFF.
 */
const GO_YAML_SENSITIVE = /[\x7f-\x9f\ufffe\uffff]/;

function needsGoYamlReader(value: unknown): boolean {
  if (typeof value === 'string') return GO_YAML_SENSITIVE.test(value);
  if (Array.isArray(value)) return value.some(needsGoYamlReader);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => GO_YAML_SENSITIVE.test(k) || needsGoYamlReader(v));
  }
  return false;
}

/** The actual round trip, through the go-yaml port, for values the shortcut cannot handle. */
function throughGoYaml(obj: unknown): YamlValue {
  try {
    return fromGoValue(decodeGoYaml(toCompactJson(obj)));
  } catch (err) {
    if (err instanceof YamlError) throw new CliError(err.message);
    throw err;
  }
}

function fromGoValue(value: GoValue): YamlValue {
  if (typeof value === 'string') return stringScalar(value);
  if (value instanceof GoInt) return plain(value.value.toString());
  if (value instanceof GoFloat) return plain(formatGoFloat(value.value));
  if (Array.isArray(value)) return { kind: 'sequence', items: value.map(fromGoValue) };
  if (value instanceof GoMap) {
    // Keys of decoded JSON are always strings.
    return mapping([...value.entries.values()].map(([k, v]) => [String(k), fromGoValue(v)]));
  }
  return plain(String(value));
}

function plain(text: string): ScalarValue {
  return { kind: 'scalar', text, style: 'plain' };
}

function mapping(entries: [string, YamlValue][]): MappingValue {
  const keyed = entries.map(([k, v]) => ({ runes: runes(k), key: k, value: v }));
  keyed.sort((a, b) => (goYamlKeyLess(a.runes, b.runes) ? -1 : goYamlKeyLess(b.runes, a.runes) ? 1 : 0));
  return { kind: 'mapping', entries: keyed.map((e) => [stringScalar(e.key), e.value]) };
}

/** encode.go stringv: quote what would resolve to another type, `|` for multi-line text. */
function stringScalar(s: string): ScalarValue {
  const canUsePlain = resolvePlainScalar(s).tag === 'str' && !isBase60Float(s);
  const style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  return { kind: 'scalar', text: s, style };
}

function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

/** A number's JSON text read back by go-yaml: integers as int/uint64, the rest as float64. */
function numberText(n: number): string {
  const json = formatJsonNumber(n);
  if (/^-?[0-9]+$/.test(json)) {
    const v = BigInt(json);
    if (v >= -(1n << 63n) && v < 1n << 64n) return v.toString();
  }
  return formatGoFloat(Number(json));
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

const isLetter = (r: number) =>
  r < 0x80 ? (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) : LETTER.test(String.fromCodePoint(r));
const isDigitRune = (r: number) => (r < 0x80 ? r >= 0x30 && r <= 0x39 : DIGIT.test(String.fromCodePoint(r)));

/** go-yaml sorter.go keyList.Less for string keys, given as code points. */
function goYamlKeyLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === 0x30 || br[i] === 0x30) {
      for (let j = i - 1; j >= 0 && isDigitRune(ar[j]); j--) {
        if (ar[j] !== 0x30) {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigitRune(ar[ai]); ai++) an = an * 10 + (ar[ai] - 0x30);
    for (; bi < br.length && isDigitRune(br[bi]); bi++) bn = bn * 10 + (br[bi] - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

// ------------------------------------------------------------------ the emitter (emitterc.go)

/** The parts of go-yaml's emitter context that change how a node is written. */
interface NodeContext {
  mapping: boolean;
  simpleKey: boolean;
}

/**
 * yaml_emitter_analyze_scalar's verdict, for block context only: kubectl prints no flow
 * collections besides `{}` and `[]`.
 */
interface ScalarAnalysis {
  chars: number[];
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

const isBreak = (c: number | undefined) => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
const isSpace = (c: number | undefined) => c === 0x20;
// Beyond the end of the value go-yaml reads a NUL, which counts as blank/break-or-end.
const isBlankz = (c: number | undefined) => c === undefined || isBlank(c) || isBreak(c);

/** is_printable: code points go-yaml writes unescaped (no astral characters, no BOM). */
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

const codes = (chars: string) => new Set(Array.from(chars, (c) => c.charCodeAt(0)));
/** Characters that cannot start a plain scalar in block context. */
const LEADING_INDICATORS = codes('#,[]{}&*!|>\'"%@`');
const KEY_VALUE_DASH = codes('?:-');

/** The code points of a string. */
function runes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function analyzeScalar(text: string): ScalarAnalysis {
  const chars = runes(text);
  const result: ScalarAnalysis = {
    chars,
    multiline: false,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: false,
  };
  if (chars.length === 0) return result;

  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlankz(chars[i + 1]);
    if (i === 0) {
      if (LEADING_INDICATORS.has(c) || (KEY_VALUE_DASH.has(c) && followedByWhitespace)) blockIndicators = true;
    } else if ((c === 0x3a && followedByWhitespace) || (c === 0x23 && precededByWhitespace)) {
      blockIndicators = true;
    }

    if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }

  result.multiline = lineBreaks;
  result.blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators) {
    result.blockPlainAllowed = false;
  }
  if (trailingSpace) result.blockAllowed = false;
  if (breakSpace) {
    result.blockPlainAllowed = false;
    result.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    result.blockPlainAllowed = false;
    result.singleQuotedAllowed = false;
    result.blockAllowed = false;
  }
  return result;
}

const DOUBLE_QUOTE_ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private ctx: NodeContext = { mapping: false, simpleKey: false };

  text(): string {
    return this.out.join('');
  }

  emitNode(value: YamlValue, ctx: NodeContext, analysis?: ScalarAnalysis): void {
    this.ctx = ctx;
    if (value.kind === 'scalar') this.emitScalar(value, analysis ?? analyzeScalar(value.text));
    else if (value.kind === 'sequence') this.emitSequence(value);
    else this.emitMapping(value);
  }

  private emitSequence(seq: SequenceValue): void {
    if (seq.items.length === 0) {
      this.writeEmptyFlow('[]');
      return;
    }
    this.increaseIndent(false, this.ctx.mapping && !this.indention);
    for (const item of seq.items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, { mapping: false, simpleKey: false });
    }
    this.indent = this.indents.pop()!;
  }

  private emitMapping(map: MappingValue): void {
    if (map.entries.length === 0) {
      this.writeEmptyFlow('{}');
      return;
    }
    this.increaseIndent(false, false);
    for (const [key, value] of map.entries) {
      this.writeIndent();
      const keyAnalysis = analyzeScalar(key.text);
      if (!keyAnalysis.multiline && Buffer.byteLength(key.text) <= 128) {
        this.emitNode(key, { mapping: true, simpleKey: true }, keyAnalysis);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(key, { mapping: true, simpleKey: false }, keyAnalysis);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, { mapping: true, simpleKey: false });
    }
    this.indent = this.indents.pop()!;
  }

  /** Empty collections always use flow style (yaml_emitter_check_empty_sequence/mapping). */
  private writeEmptyFlow(brackets: string): void {
    this.writeIndicator(brackets[0], true, true, false);
    this.writeIndicator(brackets[1], false, false, false);
  }

  private emitScalar(scalar: ScalarValue, a: ScalarAnalysis): void {
    const simpleKey = this.ctx.simpleKey;
    // yaml_emitter_select_scalar_style
    let style: 'plain' | 'single' | 'double' | 'literal' = scalar.style;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.blockPlainAllowed || (a.chars.length === 0 && simpleKey))) style = 'single';
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';

    this.increaseIndent(true, false);
    if (style === 'plain') this.writePlain(a.chars, !simpleKey);
    else if (style === 'single') this.writeSingleQuoted(a.chars, !simpleKey);
    else if (style === 'double') this.writeDoubleQuoted(a.chars, !simpleKey);
    else this.writeLiteral(a.chars);
    this.indent = this.indents.pop()!;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private put(ch: string): void {
    this.out.push(ch);
    this.column++;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  private write(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak();
    } else {
      this.write(c);
      this.column = 0;
    }
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writePlain(chars: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1])) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(chars: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < chars.length - 1 &&
          !isSpace(chars[i + 1])
        ) {
          this.writeIndent();
        } else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: number[], allowBreaks: boolean): void {
    // is_bom in yamlprivateh.go looks at the start of the value, not at the current character,
    // so a value starting with U+FEFF has every character escaped.
    const startsWithBom = chars[0] === 0xfeff;
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (!isPrintable(c) || startsWithBom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const short = DOUBLE_QUOTE_ESCAPES.get(c);
        if (short !== undefined) {
          this.put(short);
        } else {
          const [letter, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter);
          for (const digit of c.toString(16).toUpperCase().padStart(width, '0')) this.put(digit);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (isSpace(chars[i + 1])) this.put('\\');
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: number[]): void {
    this.writeIndicator('|', true, false, false);
    // yaml_emitter_write_block_scalar_hints
    if (isSpace(chars[0]) || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars.length - 1;
    let chomp = '';
    if (!isBreak(chars[last])) chomp = '-';
    else if (last === 0 || isBreak(chars[last - 1])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
