import { describe, expect, it } from 'vitest';
import { randomHex, randomUID, seededRandom } from '../../src/util/random.ts';

describe('random identifiers', () => {
  it('makes version-4 uids with every variant digit, repeatably for a seed', () => {
    const rng = seededRandom('uids');
    const variants = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const u = randomUID(rng);
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      variants.add(u[19]);
      seen.add(u);
    }
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
    expect(seen.size).toBe(2000);
    const again = seededRandom('uids');
    expect(randomUID(again)).toBe(randomUID(seededRandom('uids')));
  });

  it('draws eight hex digits per 32-bit word, most significant first, cut to the length asked', () => {
    // a generator whose draws are known: 0x01234567, 0x89abcdef, ...
    const words = [0x01234567, 0x89abcdef, 0xfedcba98];
    const fixed = (ws: number[]) => {
      let i = 0;
      return { next: () => ws[i++ % ws.length] / 4294967296, int: (n: number) => Math.floor((ws[i++ % ws.length] / 4294967296) * n) };
    };
    expect(randomHex(fixed(words), 8)).toBe('01234567');
    expect(randomHex(fixed(words), 20)).toBe('0123456789abcdeffedc');
    expect(randomHex(fixed(words), 3)).toBe('012');
    expect(randomHex(fixed([0xffffffff]), 72)).toBe('ffffffff'.repeat(9));
    // the uid's version digit replaces the thirteenth digit drawn; the seventeenth picks the variant
    expect(randomUID(fixed([0x01234567, 0x89abcdef, 0x00000000, 0x76543210]))).toBe('01234567-89ab-4def-8000-000076543210');
    expect(randomUID(fixed([0x01234567, 0x89abcdef, 0xb7000000, 0x76543210]))).toBe('01234567-89ab-4def-b700-000076543210');
    expect(randomUID(fixed([0x01234567, 0x89abcdef, 0x60000000, 0x76543210]))).toBe('01234567-89ab-4def-a000-000076543210');
  });
});
