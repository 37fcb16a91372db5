/**
 * Every random choice kfake makes (name suffixes, UIDs, IP and port allocation, kube-proxy's
 * endpoint choice) draws from one Random. With KFAKE_SEED the sequence is repeatable: the
 * generator is seeded from the seed and the store's resourceVersion, so the same commands on
 * the same store give the same names and addresses.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from './node-crypto.ts';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** cyrb128: a small string hash that spreads a seed over 128 bits of generator state. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** sfc32, a fast 128-bit-state generator with good statistical quality. */
export function seededRandom(seed: string): Random {
  let [a, b, c, d] = cyrb128(seed);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/** Unseeded: the operating system's randomness. */
export function systemRandom(): Random {
  return seededRandom(randomBytes(16).toString('hex'));
}

/** k8s.io/apimachinery/pkg/util/rand alphabet: no vowels, no 0/1/3, so names never spell words. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[rng.int(ALPHANUMS.length)];
  return s;
}

/**
 * Lowercase hex digits, eight from each 32-bit draw (most significant first), written as bytes:
 * uids and container IDs are made by the ten thousand in a big apply, and building them from
 * string pieces makes several strings per digit pair.
 */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
let digits = Buffer.allocUnsafe(64);

function drawHex(rng: Random, n: number): Buffer {
  const words = Math.ceil(n / 8);
  if (digits.length < words * 8) digits = Buffer.allocUnsafe(words * 8);
  for (let w = 0; w < words; w++) {
    const word = Math.floor(rng.next() * 4294967296);
    for (let j = 0; j < 8; j++) digits[w * 8 + j] = HEX_DIGITS[(word >>> (28 - 4 * j)) & 15];
  }
  return digits;
}

export function randomHex(rng: Random, n: number): string {
  return drawHex(rng, n).toString('latin1', 0, n);
}

const uid = Buffer.from('xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx', 'latin1');
/**
 * For each position of a uid, the drawn digit it shows: 32 digits are drawn, digit 12 gives way
 * to the version (4) and digit 16 picks the variant; -1 keeps the fixed character.
 */
const UID_DIGIT = [
  0, 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, -1, -1, 13, 14, 15, -1, -1, 17, 18, 19, -1,
  20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
];
/** The variant digit (8, 9, a or b) for the low two bits of a hex digit's value. */
const VARIANT = Buffer.from('89ab', 'latin1');

/** A version-4 UUID, as the API server assigns to metadata.uid. */
export function randomUID(rng: Random): string {
  const d = drawHex(rng, 32);
  for (let i = 0; i < 36; i++) if (UID_DIGIT[i] >= 0) uid[i] = d[UID_DIGIT[i]];
  const v = d[16];
  uid[19] = VARIANT[(v <= 0x39 ? v - 0x30 : v - 0x57) & 3];
  return uid.toString('latin1');
}
