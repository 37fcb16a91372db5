/**
 * Hostile and odd manifests that the fuzz suites turned up, with what real kubectl v1.32 prints
 * for each (captured once from kubectl running `create -f ... --dry-run=client -o json
 * --validate=false`; fixtures/kubectl-parity.json). kfake must print the same, byte for byte:
 * for bad input, kubectl's error text is the one users search for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './lib/sandbox.ts';

interface ParityCase {
  name: string;
  /** The input: text, bytes, or repeated parts (for the very large ones). */
  input: { text?: string; base64?: string; parts?: [string, number][] };
  file: string;
  stdin: boolean;
  args: string[];
  kubectl: { code: number; stdout: string; stderr: string };
}

const CASES = JSON.parse(fs.readFileSync(new URL('./fixtures/kubectl-parity.json', import.meta.url), 'utf8')) as ParityCase[];

function bytes(input: ParityCase['input']): Buffer {
  if (input.parts) return Buffer.from(input.parts.map(([t, n]) => t.repeat(n)).join(''));
  if (input.text !== undefined) return Buffer.from(input.text);
  return Buffer.from(input.base64!, 'base64');
}

const s = new Sandbox({ seed: 'parity' });
afterAll(() => s.cleanup());

describe('manifests read as kubectl reads them', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const input = bytes(c.input);
      fs.writeFileSync(path.join(s.dir, c.file), input);
      const r = await s.run(c.args, { stdin: c.stdin ? input : undefined, timeoutMs: 20_000 });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual(c.kubectl);
    });
  }
});
