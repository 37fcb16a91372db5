import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { describeObject } from '../../../src/printers/describe/index.ts';
import { fakeContext } from './fake-context.ts';

// describe prints times in the local zone; the golden files were captured with TZ=UTC.
process.env.TZ = 'UTC';

/**
 * The golden files hold real kubectl v1.32 output for the fixture objects, captured shortly
 * before this instant; every timestamp in the fixtures is old enough for ages to print in days.
 */
const NOW = new Date('2026-11-22T00:00:00Z');

interface Case {
  golden: string;
  fixture: string;
  resource: string;
  namespace: string;
  name: string;
}

const dir = new URL('.', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, dir), 'utf8');
const cases = JSON.parse(read('cases.json')) as Case[];
const fixtures = new Map<string, KObject[]>();
const objectsOf = (fixture: string) => {
  if (!fixtures.has(fixture)) fixtures.set(fixture, (JSON.parse(read(`fixtures/${fixture}`)) as { items: KObject[] }).items);
  return fixtures.get(fixture)!;
};

describe('describeObject matches kubectl describe byte for byte', () => {
  it.each(cases)('$golden: kubectl describe $resource $name', (c) => {
    const ctx = fakeContext(objectsOf(c.fixture), NOW);
    const obj = ctx.get(c.resource, c.namespace, c.name);
    expect(obj, `${c.resource} ${c.namespace}/${c.name} in ${c.fixture}`).toBeDefined();
    expect(describeObject(c.resource, obj!, ctx)).toBe(read(`golden/${c.golden}.txt`));
  });
});
