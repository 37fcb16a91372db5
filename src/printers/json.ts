/**
 * `kubectl -o json`: Go's encoding/json as kubectl's JSONPrinter uses it
 * (kubernetes/kubernetes:staging/src/k8s.io/cli-runtime/pkg/printers/json.go calls
 * json.MarshalIndent(obj, "", "    ") and appends a newline).
 *
 * Objects decoded from the server are Go maps, which encoding/json prints with keys sorted by
 * byte value. Objects kubectl builds itself (`create deployment --dry-run=client -o json`) are
 * Go structs printed in field order; callers pass those with `sortKeys: false` and insert the
 * keys in struct order (maps inside them, such as labels, still need sorted insertion).
 */

export interface JsonOptions {
  /** Sort keys at every level (default true). False keeps insertion order. */
  sortKeys?: boolean;
}

/** Multi-line JSON exactly as `kubectl -o json` prints one object. */
export function toJson(obj: unknown, opts: JsonOptions = {}): string {
  const out: string[] = [];
  writeValue(out, obj, '\n', opts.sortKeys ?? true);
  out.push('\n');
  return out.join('');
}

/**
 * Compact JSON as Go's json.Marshal writes it: keys sorted, no spaces, HTML-escaped. kubectl
 * quotes documents this way in messages (`Object 'Kind' is missing in '...'`) and stores it in
 * the last-applied annotation.
 */
export function toCompactJson(obj: unknown): string {
  const out: string[] = [];
  writeValue(out, obj, null, true);
  return out.join('');
}

/** Go's UTF-8 byte order for map keys (sort.Strings), which differs from UTF-16 order above U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** A JSON number as encoding/json writes a float64 ('f' format, 'e' below 1e-6 and from 1e21). */
export function formatJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${goFloatSpecial(n)}`);
  // JavaScript's shortest round-trip form uses the same digits and the same exponent
  // thresholds as Go; only -0 differs, and kubectl's unstructured decoding turns it into 0.
  return Object.is(n, -0) ? '0' : String(n);
}

function goFloatSpecial(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return n > 0 ? '+Inf' : '-Inf';
}

// Escapes as encoding/json's encodeState.string with HTML escaping on (the default for
// json.Marshal and MarshalIndent). \b and \f use short forms since Go 1.22.
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A Go JSON string literal, quotes included. */
export function quoteJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // Lone surrogates are invalid UTF-8 in Go, which writes the replacement character.
      const next = s.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\ufffd';
    } else out += ch;
  }
  return out + '"';
}

/** Own enumerable keys whose values Go would print (undefined has no Go counterpart). */
function keysOf(obj: Record<string, unknown>, sortKeys: boolean): string[] {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  return sortKeys ? keys.sort(compareGoStrings) : keys;
}

/** `newline` is '\n' plus the current indentation, or null for compact output. */
function writeValue(out: string[], value: unknown, newline: string | null, sortKeys: boolean): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(quoteJsonString(value));
  } else if (typeof value === 'number') {
    out.push(formatJsonNumber(value));
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = newline === null ? null : newline + '    ';
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (inner !== null) out.push(inner);
      writeValue(out, item, inner, sortKeys);
    });
    if (newline !== null) out.push(newline);
    out.push(']');
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = keysOf(obj, sortKeys);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = newline === null ? null : newline + '    ';
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      if (inner !== null) out.push(inner);
      out.push(quoteJsonString(key), inner === null ? ':' : ': ');
      writeValue(out, obj[key], inner, sortKeys);
    });
    if (newline !== null) out.push(newline);
    out.push('}');
  } else {
    throw new Error(`json: unsupported type: ${typeof value}`);
  }
}

// ------------------------------------------------------------------ Go float formatting

/** strconv.FormatFloat(f, 'g', -1, bits): shortest digits, exponent form below 1e-4 or from 1e6. */
export function formatGoFloat(f: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = shortestExponential(f, bits).split('e');
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expText);
  let body: string;
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? '0' + Math.abs(exp) : String(Math.abs(exp));
    body = (digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits) + 'e' + (exp < 0 ? '-' : '+') + e;
  } else if (exp < 0) {
    body = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length > exp + 1) {
    body = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    body = digits + '0'.repeat(exp + 1 - digits.length);
  }
  return (neg ? '-' : '') + body;
}

function shortestExponential(f: number, bits: 32 | 64): string {
  if (bits === 64) return f.toExponential();
  const single = Math.fround(f);
  for (let p = 1; p < 9; p++) {
    const s = single.toExponential(p - 1);
    if (Math.fround(Number(s)) === single) return s;
  }
  return single.toExponential(8);
}
