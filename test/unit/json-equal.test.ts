import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/util/json-equal.ts';

describe('jsonEqual', () => {
  it('compares JSON values as stored', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({}, [])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
    expect(jsonEqual([undefined], [undefined])).toBe(true);
    expect(jsonEqual({ a: { b: { c: [true] } } }, { a: { b: { c: [false] } } })).toBe(false);
  });
});
