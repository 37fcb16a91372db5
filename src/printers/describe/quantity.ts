/**
 * The parts of apimachinery's resource.Quantity (staging/src/k8s.io/apimachinery/pkg/api/resource/
 * quantity.go) that describe output depends on: parsing, adding, comparing, and the canonical
 * String() form (`100m`, `64Mi`, `1536Mi`, `1500m`, `0`).
 *
 * A quantity is kept exactly as n × 10^scale; the format remembers how it was written, because the
 * canonical form of a sum follows the format of its first operand.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  n: bigint;
  scale: number;
  format: QuantityFormat;
  /** The text as written, when ParseQuantity judged it canonical enough to print back as is. */
  text?: string;
}

/** The zero value of a Go Quantity (what a missing map entry yields). */
export const ZERO_QUANTITY: Quantity = { n: 0n, scale: 0, format: 'DecimalSI' };

const BINARY_EXPONENTS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const BINARY_SUFFIXES = new Map(Object.entries(BINARY_EXPONENTS).map(([s, e]) => [e, s]));
const DECIMAL_SUFFIXES = new Map(Object.entries(DECIMAL_EXPONENTS).map(([s, e]) => [e, s]));

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * ParseQuantity's fast path keeps the original text for String() when it looks canonical
 * (`010`, `1E6` and `+1` print as written, `1000m` and `1.0` do not).
 */
function keepsText(num: string, denom: string, format: QuantityFormat, exponent: number): boolean {
  const digits = num.replace(/^0+/, '') || '0';
  if (format === 'BinarySI') {
    if (denom !== '' || 15 - digits.length - Math.trunc((exponent * 3) / 10) - 1 < 0) return false;
    const value = BigInt(digits);
    return value << BigInt(exponent) < 2n ** 63n && exponent % 10 === 0 && (value & 7n) !== 0n;
  }
  const scale = exponent - denom.length;
  const shifted = digits + denom;
  if (18 - shifted.length < 0 || scale < -9) return false;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

/** ParseQuantity; undefined for text the API server would have rejected. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  const text = String(input).trim();
  if (text === '0') return { n: 0n, scale: 0, format: 'DecimalSI', text };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (!m) return undefined;
  const [, sign, num, denom = '', suffix] = m;
  if (num === '' && denom === '') return undefined;
  let n = BigInt((num || '0') + denom);
  if (sign === '-') n = -n;
  let scale = -denom.length;
  let format: QuantityFormat;
  let exponent: number;
  if (Object.hasOwn(BINARY_EXPONENTS, suffix)) {
    exponent = BINARY_EXPONENTS[suffix];
    n *= 2n ** BigInt(exponent);
    format = 'BinarySI';
  } else if (Object.hasOwn(DECIMAL_EXPONENTS, suffix)) {
    exponent = DECIMAL_EXPONENTS[suffix];
    format = 'DecimalSI';
  } else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    exponent = Number(e[1]);
    format = 'DecimalExponent';
  }
  if (format !== 'BinarySI') scale += exponent;
  // Values finer than nano are rounded away from zero: asking for some resource yields some.
  if (scale < -9) {
    const d = 10n ** BigInt(-9 - scale);
    const q = n / d;
    n = n % d === 0n ? q : q + (n > 0n ? 1n : -1n);
    scale = -9;
  }
  const q: Quantity = { n, scale, format };
  if (keepsText(num, denom, format, exponent)) q.text = text;
  // A binary quantity between 0 and 1 would only round: it is shown in decimal.
  if (format === 'BinarySI' && n > 0n && cmpQuantity(q, { n: 1n, scale: 0, format }) < 0) q.format = 'DecimalSI';
  return q;
}

function align(a: Quantity, b: Quantity): [bigint, bigint] {
  const s = Math.min(a.scale, b.scale);
  return [a.n * 10n ** BigInt(a.scale - s), b.n * 10n ** BigInt(b.scale - s)];
}

export function cmpQuantity(a: Quantity, b: Quantity): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Add: the sum keeps the receiver's format, unless the receiver is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const [x, y] = align(a, b);
  return { n: x + y, scale: Math.min(a.scale, b.scale), format: a.n === 0n ? b.format : a.format };
}

/** The value at the given power-of-ten scale, rounded up (ScaledValue). */
function scaledValue(q: Quantity, scale: number): bigint {
  const shift = q.scale - scale;
  if (shift >= 0) return q.n * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  const r = q.n / d;
  return q.n % d === 0n || q.n < 0n ? r : r + 1n;
}

/** Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return scaledValue(q, 0);
}

/** Quantity.MilliValue(). */
export function quantityMilliValue(q: Quantity): bigint {
  return scaledValue(q, -3);
}

/** Quantity.String(): the canonical form, or the text as parsed when it was kept. */
export function quantityString(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.n === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = cmpQuantity({ ...q, n: abs(q.n) }, { n: 1024n, scale: 0, format }) < 0;
    const whole = q.scale >= 0 || q.n % 10n ** BigInt(-q.scale) === 0n;
    if (small || !whole) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = abs(scaledValue(q, 0));
    let exponent = 0;
    while (v >= 1024n && v % 1024n === 0n) {
      v /= 1024n;
      exponent += 10;
    }
    return `${q.n < 0n ? '-' : ''}${v}${BINARY_SUFFIXES.get(exponent) ?? ''}`;
  }
  let m = q.n;
  let exponent = q.scale;
  while (abs(m) >= 10n && m % 10n === 0n) {
    m /= 10n;
    exponent++;
  }
  // The exponent goes down to a multiple of three, so that an SI suffix applies.
  const r = ((exponent % 3) + 3) % 3;
  m *= 10n ** BigInt(r);
  exponent -= r;
  if (format === 'DecimalSI') return `${m}${DECIMAL_SUFFIXES.get(exponent) ?? ''}`;
  return exponent === 0 ? `${m}` : `${m}e${exponent}`;
}
