/**
 * The Go parsers whose error texts reach users through the API server's decoder:
 * time.Parse (metav1.Time and metav1.MicroTime), resource.ParseQuantity and base64 ([]byte
 * fields such as ConfigMap.binaryData). Each returns the Go error message, or undefined when
 * the input parses.
 */

// ------------------------------------------------------------------ time.Parse

/** time.RFC3339, the layout metav1.Time.UnmarshalJSON parses with. */
export const RFC3339 = '2006-01-02T15:04:05Z07:00';
/** metav1.RFC3339Micro, the layout metav1.MicroTime.UnmarshalJSON parses with. */
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

/** The layouts cut into (literal prefix, standard element) chunks, as time.nextStdChunk does. */
const CHUNKS: Record<string, readonly (readonly [string, string])[]> = {
  [RFC3339]: [
    ['', '2006'],
    ['-', '01'],
    ['-', '02'],
    ['T', '15'],
    [':', '04'],
    [':', '05'],
    ['', 'Z07:00'],
  ],
  [RFC3339_MICRO]: [
    ['', '2006'],
    ['-', '01'],
    ['-', '02'],
    ['T', '15'],
    [':', '04'],
    [':', '05'],
    ['', '.000000'],
    ['', 'Z07:00'],
  ],
};

/** time's own quote(): ASCII kept (with \" and \\ escaped), other bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x80 || code < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

const isDigit = (s: string, i: number) => i < s.length && s[i] >= '0' && s[i] <= '9';

/** time.getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string, boolean] {
  if (!isDigit(s, 0)) return [0, s, false];
  if (!isDigit(s, 1)) {
    if (fixed) return [0, s, false];
    return [Number(s[0]), s.slice(1), true];
  }
  return [Number(s.slice(0, 2)), s.slice(2), true];
}

/** time.atoi: optional sign, then only digits. */
function atoi(s: string): number | undefined {
  const m = /^[-+]?([0-9]+)$/.exec(s);
  if (!m) return undefined;
  return s[0] === '-' ? -Number(m[1]) : Number(m[1]);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * The error time.Parse(layout, value) returns, for the two RFC 3339 layouts above
 * (go/src/time/format.go: parse, ParseError.Error).
 */
export function timeParseError(layout: string, value: string): string | undefined {
  const chunks = CHUNKS[layout];
  const cannot = (valueElem: string, layoutElem: string) =>
    `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  const withMessage = (message: string) => `parsing time ${timeQuote(value)}${message}`;
  let rest = value;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let c = 0; c < chunks.length; c++) {
    const [prefix, std] = chunks[c];
    if (!rest.startsWith(prefix)) {
      // skip() consumes the matching part of the prefix before failing.
      let i = 0;
      while (i < prefix.length && i < rest.length && rest[i] === prefix[i]) i++;
      return cannot(rest.slice(i), prefix);
    }
    rest = rest.slice(prefix.length);
    const hold = rest;
    let ok = true;
    let rangeErr = '';
    switch (std) {
      case '2006': {
        if (rest.length < 4 || !isDigit(rest, 0)) {
          ok = false;
          break;
        }
        const y = atoi(rest.slice(0, 4));
        rest = rest.slice(4);
        if (y === undefined) ok = false;
        else year = y;
        break;
      }
      case '01':
        [month, rest, ok] = getnum(rest, true);
        if (ok && (month <= 0 || month > 12)) rangeErr = 'month';
        break;
      case '02':
        [day, rest, ok] = getnum(rest, true);
        break;
      case '15': {
        let hour: number;
        [hour, rest, ok] = getnum(rest, false);
        if (hour >= 24) rangeErr = 'hour';
        break;
      }
      case '04': {
        let min: number;
        [min, rest, ok] = getnum(rest, true);
        if (min >= 60) rangeErr = 'minute';
        break;
      }
      case '05': {
        let sec: number;
        [sec, rest, ok] = getnum(rest, true);
        if (!ok) break;
        if (sec >= 60) {
          rangeErr = 'second';
          break;
        }
        // A fraction the layout does not spell out is accepted after the seconds.
        const fracNext = chunks[c + 1]?.[1] === '.000000';
        if (!fracNext && rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
          let n = 2;
          while (isDigit(rest, n)) n++;
          rest = rest.slice(n);
        }
        break;
      }
      case '.000000':
        if (rest.length < 7 || (rest[0] !== '.' && rest[0] !== ',') || atoi(rest.slice(1, 7)) === undefined) ok = false;
        else rest = rest.slice(7);
        break;
      case 'Z07:00': {
        if (rest.length >= 1 && rest[0] === 'Z') {
          rest = rest.slice(1);
          break;
        }
        if (rest.length < 6 || rest[3] !== ':') {
          ok = false;
          break;
        }
        const sign = rest[0];
        const [hr, , hOk] = getnum(rest.slice(1, 3), true);
        const [mm, , mOk] = hOk ? getnum(rest.slice(4, 6), true) : [0, '', false];
        rest = rest.slice(6);
        ok = hOk && mOk;
        if (hr > 24) rangeErr = 'time zone offset hour';
        if (mm > 60) rangeErr = 'time zone offset minute';
        if (sign !== '+' && sign !== '-') ok = false;
        break;
      }
    }
    if (rangeErr) return withMessage(`: ${rangeErr} out of range`);
    if (!ok) return cannot(hold, std);
  }
  if (rest.length) return withMessage(`: extra text: ${timeQuote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) return withMessage(': day out of range');
  return undefined;
}

// ------------------------------------------------------------------ resource.ParseQuantity

const QUANTITY_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX = "unable to parse quantity's suffix";

/**
 * The error resource.ParseQuantity returns (apimachinery/pkg/api/resource/quantity.go:
 * parseQuantityString, then the suffixer), or undefined for a valid quantity.
 */
export function quantityParseError(str: string): string | undefined {
  if (str.length === 0) return QUANTITY_FORMAT_WRONG;
  if (str === '0') return undefined;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return undefined;
  while (pos < end && isDigit(str, pos)) pos++;
  if (pos >= end) return undefined;
  if (str[pos] === '.') {
    pos++;
    while (pos < end && isDigit(str, pos)) pos++;
    if (pos >= end) return undefined;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < end) {
    if (str[pos] === '-' || str[pos] === '+') pos++;
    while (pos < end && isDigit(str, pos)) pos++;
    // A character that is neither a suffix letter nor an exponent digit.
    if (pos < end) return QUANTITY_FORMAT_WRONG;
  }
  const suffix = str.slice(suffixStart);
  if (['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].includes(suffix)) return undefined;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?[0-9]+$/.test(suffix.slice(1))) return undefined;
  return QUANTITY_SUFFIX;
}

// ------------------------------------------------------------------ base64.StdEncoding.Decode

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The error base64.StdEncoding.Decode returns (encoding/base64: decodeQuantum), if any. */
export function base64DecodeError(s: string): string | undefined {
  const src = Buffer.from(s, 'utf8');
  const corrupt = (at: number) => `illegal base64 data at input byte ${at}`;
  const isNewline = (b: number) => b === 0x0a || b === 0x0d;
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return corrupt(si - j);
      }
      const c = src[si++];
      if (B64.includes(String.fromCharCode(c)) && c < 0x80) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return corrupt(si - 1);
      if (j === 0 || j === 1) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? corrupt(si) : undefined;
    }
  }
  return undefined;
}
