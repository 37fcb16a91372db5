/**
 * Every random choice kfake makes (name suffixes, UIDs, IP and port allocation, kube-proxy's
 * endpoint choice) draws from one Random. With KFAKE_SEED the sequence is repeatable: the
 * generator is seeded from the seed and the store's resourceVersion, so the same commands on
 * the same store give the same names and addresses.
 */
import { randomBytes } from 'node:crypto';

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

export function randomHex(rng: Random, n: number): string {
  let s = '';
  while (s.length < n) {
    // Eight lowercase hex digits of one 32-bit draw, most significant first.
    const word = Math.floor(rng.next() * 4294967296);
    s += HEX_BYTES[word >>> 24] + HEX_BYTES[(word >>> 16) & 255] + HEX_BYTES[(word >>> 8) & 255] + HEX_BYTES[word & 255];
  }
  return s.length === n ? s : s.slice(0, n);
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version-4 UUID, as the API server assigns to metadata.uid. */
export function randomUID(rng: Random): string {
  const s = randomHex(rng, 32);
  const variant = '89ab'[parseInt(s[16], 16) & 3];
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20)}`;
}
