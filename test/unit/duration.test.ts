import { describe, expect, it } from 'vitest';
import { humanDuration, rfc1123z } from '../../src/util/duration.ts';

// Cases from k8s.io/apimachinery/pkg/util/duration/duration_test.go
describe('humanDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const y = 365 * d;
  it.each([
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [1 * s, '1s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 5 * s, '2m5s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [4 * h + 58 * m, '4h58m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 10 * d, '2y10d'],
    [8 * y, '8y'],
    [9 * y + 100 * d, '9y'],
  ])('%i ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('rfc1123z', () => {
  it('formats like Go RFC1123Z in UTC', () => {
    process.env.TZ = 'UTC';
    expect(rfc1123z('2026-11-21T21:00:58Z')).toBe('Sat, 21 Nov 2026 21:00:58 +0000');
  });
});
