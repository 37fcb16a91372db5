import { describe, expect, it } from 'vitest';
import { Spill } from '../../src/store/spill.ts';

describe('spill file', () => {
  it('gives back what was appended, within and across its cached blocks, after later appends too', () => {
    const spill = Spill.open();
    const chunks: Buffer[] = [];
    let size = 0;
    const at: number[] = [];
    for (let i = 0; i < 40; i++) {
      // 40 chunks of about 100 KB with distinct bytes: several 256 KB blocks
      const b = Buffer.alloc(100_000 + i, i + 1);
      b.write(`chunk ${i}`);
      at.push(spill.append(b));
      chunks.push(b);
      size += b.length;
      // read the chunk written just before, whose block is still being filled
      if (i > 0) expect(spill.read(at[i - 1], chunks[i - 1].length).equals(chunks[i - 1])).toBe(true);
    }
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(size);
    for (const [pos, len] of [[0, 10], [262_140, 10], [262_144, 5], [1_000_000, 300_000], [size - 7, 7], [123_456, 1]]) {
      expect(spill.read(pos, len).equals(all.subarray(pos, pos + len))).toBe(true);
    }
    const target = Buffer.alloc(20, 0);
    spill.readInto(target, 5, 10, at[3]);
    expect(target.subarray(5, 15).toString()).toBe('chunk 3\u0004\u0004\u0004');
  });
});
