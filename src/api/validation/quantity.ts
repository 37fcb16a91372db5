/**
 * resource.Quantity as validation needs it (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 * the exact value, comparison, and the canonical String() that error messages print
 * (`500m`, `1Gi`, `1e3`).
 */
import { quantityParseError } from '../schema/gotext.ts';

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa × 10^scale, exactly. */
  mantissa: bigint;
  scale: number;
  format: Format;
}

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Parse a quantity as the decoder accepted it (a string, or a JSON number), or undefined. */
export function parseQuantity(raw: unknown): Quantity | undefined {
  const str = (typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '').trim();
  if (quantityParseError(str)) return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str)!;
  const negative = m[1] === '-';
  const whole = m[2] || '0';
  const frac = m[3] ?? '';
  const suffix = m[4];
  let mantissa = BigInt(whole + frac) * (negative ? -1n : 1n);
  let scale = -frac.length;
  let format: Format;
  if (suffix in DECIMAL) {
    format = 'DecimalSI';
    scale += DECIMAL[suffix];
  } else if (suffix in BINARY) {
    format = 'BinarySI';
    mantissa *= 2n ** BigInt(BINARY[suffix]);
  } else {
    format = 'DecimalExponent';
    scale += Number(suffix.slice(1));
  }
  // Quantities keep nano precision at most, rounding away from zero (Quantity.RoundUp(Nano)).
  if (scale < -9) {
    const div = 10n ** BigInt(-9 - scale);
    const q = mantissa / div;
    mantissa = q * div === mantissa ? q : q + (mantissa < 0n ? -1n : 1n);
    scale = -9;
  }
  return { mantissa, scale, format };
}

/** -1, 0 or 1, as Quantity.Cmp. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const scale = Math.min(a.scale, b.scale);
  const av = a.mantissa * 10n ** BigInt(a.scale - scale);
  const bv = b.mantissa * 10n ** BigInt(b.scale - scale);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/** Quantity.MilliValue() % 1000 === 0: the quantity is a whole number. */
export function isWholeQuantity(q: Quantity): boolean {
  if (q.scale >= 0) return true;
  return q.mantissa % 10n ** BigInt(-q.scale) === 0n;
}

/** Quantity.String(): the canonical form (CanonicalizeBytes). */
export function quantityString(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Values within ±1024, or not whole, are shown in decimal so that nothing is rounded.
    const abs = { ...q, mantissa: q.mantissa < 0n ? -q.mantissa : q.mantissa };
    if (compareQuantity(abs, { mantissa: 1024n, scale: 0, format }) < 0 || !isWholeQuantity(q)) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = q.scale >= 0 ? q.mantissa * 10n ** BigInt(q.scale) : q.mantissa / 10n ** BigInt(-q.scale);
    let exp = 0;
    while (exp < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exp += 10;
    }
    const suffix = Object.keys(BINARY).find((k) => BINARY[k] === exp) ?? '';
    return value.toString() + suffix;
  }
  // AsCanonicalBytes: the exponent is a multiple of 3, the mantissa an integer without
  // trailing groups of 000.
  let mantissa = q.mantissa;
  let exp = q.scale;
  while (((exp % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exp--;
  }
  while (mantissa % 1000n === 0n && exp < 18) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return mantissa.toString() + (exp === 0 ? '' : `e${exp}`);
  const suffix = Object.keys(DECIMAL).find((k) => DECIMAL[k] === exp);
  return suffix === undefined ? `${mantissa}e${exp}` : mantissa.toString() + suffix;
}
