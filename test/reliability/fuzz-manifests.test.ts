/**
 * Manifest fuzzing: generated and mutated manifests given to apply, create, replace and delete.
 * For each: an error message (kubectl's, or a clear one) with exit 1 and the store untouched, or
 * exit 0 with the reported objects really stored; never a crash, a hang or runaway memory; an
 * alias bomb is refused, not expanded; nothing in a manifest runs code or opens other files.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aliasBomb, fuzzCase, manifestCommand, seedManifests } from './lib/fuzz.ts';
import { budget, Figures, size } from './lib/mode.ts';
import { Rng } from './lib/random.ts';
import { CAN_MEASURE, Sandbox } from './lib/sandbox.ts';
import { parseStore } from './lib/store-check.ts';
import { errorShape, firstLines, reportedChanges, runProblems, stored } from './lib/verdict.ts';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});

/** Peak memory allowed for an input of `bytes`: start-up plus a linear allowance, nothing more. */
const memoryLimitKiB = (bytes: number) => 200 * 1024 + Math.ceil((bytes * 150) / 1024);

interface Worker {
  s: Sandbox;
  secret: string;
  canary: string;
}

async function worker(n: number): Promise<Worker> {
  const s = new Sandbox({ seed: `fuzz-${n}` });
  sandboxes.push(s);
  await s.ok(['get', 'nodes']);
  // Anything that opened this would block on it until the timeout.
  const secret = path.join(s.dir, 'secret.fifo');
  execFileSync('mkfifo', [secret]);
  return { s, secret, canary: path.join(s.dir, 'pwned') };
}

describe('manifest fuzzing', () => {
  it('generated and mutated manifests: an error or the objects applied; no crash, hang, runaway memory or side effect', async () => {
    const fig = new Figures('manifest fuzzing');
    const cases = size(220, 3000);
    const seeds = seedManifests();
    const workers = await Promise.all([0, 1].map(worker));
    const shapes = new Map<string, number>();
    const categories = new Map<string, number>();
    let maxKiB = 0;
    let applied = 0;
    let refused = 0;
    let slowest = 0;
    const tasks = Array.from({ length: cases }, (_, n) => async (w: Worker) => {
      const rng = new Rng(`fuzz-case-${n}`);
      const c = fuzzCase(rng, seeds, w.secret, w.canary);
      const file = w.s.write(`case-${n}.${c.ext}`, c.text);
      const cmd = manifestCommand(rng, file);
      const where = `case ${n} (${c.category}; kfake ${cmd.args.join(' ')})`;
      categories.set(c.category, (categories.get(c.category) ?? 0) + 1);
      const before = w.s.bytes();
      let r;
      try {
        r = await w.s.run(cmd.args, { stdin: cmd.stdin ? c.text : undefined, timeoutMs: 30_000, measure: true });
      } catch (e) {
        fig.fail(`${where}: ${(e as Error).message.split('\n')[0]}`);
        return;
      } finally {
        fs.rmSync(file, { force: true });
      }
      slowest = Math.max(slowest, r.ms);
      for (const p of runProblems(r)) fig.fail(`${where}: ${p}`);
      const bytes = Buffer.byteLength(c.text);
      if (r.peakKiB !== undefined) {
        maxKiB = Math.max(maxKiB, r.peakKiB);
        fig.check(r.peakKiB <= memoryLimitKiB(bytes), () => `${where}: peak memory ${r.peakKiB} KiB for ${bytes} bytes of input`);
      }
      fig.check(!fs.existsSync(w.canary), () => `${where}: the manifest made kfake create ${w.canary}`);
      fs.rmSync(w.canary, { force: true });
      const after = w.s.bytes();
      const changes = reportedChanges(r.stdout);
      if (!cmd.mutates || (changes.written.length === 0 && changes.deleted.length === 0)) {
        fig.check(after.equals(before), () => `${where}: exit ${r.code}, nothing reported, but the store changed:\n${firstLines(r.stdout + r.stderr)}`);
      } else {
        const snap = parseStore(after);
        for (const o of changes.written) fig.check(stored(snap, o.kind, o.name), () => `${where}: reported ${o.kind}/${o.name} but it is not stored`);
      }
      if (r.code === 0) applied++;
      else {
        refused++;
        const shape = errorShape(r.stderr);
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      }
    });
    // Two workers, each with its own store; every so often a store starts over, so that
    // what earlier cases applied does not slow the later ones down.
    let next = 0;
    await Promise.all(
      workers.map(async (w) => {
        while (next < tasks.length) {
          const n = next++;
          if (n % 50 === 49) await w.s.ok(['cluster', 'reset']);
          await tasks[n](w);
        }
      }),
    );
    fig.set('cases', cases);
    fig.set('exit 0', applied);
    fig.set('exit 1', refused);
    fig.set('slowest (ms)', Math.round(slowest));
    if (CAN_MEASURE) fig.set('peak RSS (MiB)', Math.round(maxKiB / 1024));
    fig.print();
    console.log(`  categories: ${[...categories].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  errors: ${[...shapes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} (${v})`).join('; ')}`);
    expect(fig.failures).toEqual([]);
  }, budget(150_000, 3_600_000));

  it('alias bombs are refused quickly and in little memory, with the YAML library error kubectl prints', async () => {
    const w = await worker(9);
    const before = w.s.bytes();
    for (const [levels, width, style] of [[9, 9, 'flow'], [12, 10, 'block'], [30, 2, 'flow']] as const) {
      const file = w.s.write('bomb.yaml', aliasBomb(levels, width, style));
      const r = await w.s.run(['apply', '-f', file], { measure: true, timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: error parsing ${file}: error converting YAML to JSON: yaml: document contains excessive aliasing\n`);
      expect(r.ms).toBeLessThan(10_000);
      if (r.peakKiB !== undefined) expect(r.peakKiB).toBeLessThan(memoryLimitKiB(0));
      expect(w.s.bytes().equals(before)).toBe(true);
    }
  }, 60_000);

  // schema.ParseGroupVersion reads "/v1" as group "" and version "v1", so kubectl maps it to the
  // core API and the API server stores, defaults and validates it as plain v1 (found by fuzzing).
  it('apiVersion "/v1" is the core v1 API: stored as v1, defaulted and validated like it', async () => {
    const w = await worker(7);
    const pod = (v: string, name: string) => `apiVersion: ${v}\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`;
    const svc = (v: string) => `apiVersion: ${v}\nkind: Service\nmetadata:\n  name: odd-version\n`;
    expect(await w.s.ok(['apply', '-f', w.s.write('slash.yaml', pod('/v1', 'slash'))])).toBe('pod/slash created\n');
    await w.s.ok(['apply', '-f', w.s.write('plain.yaml', pod('v1', 'plain'))]);
    const pods = await w.s.items('pods');
    const slash = pods.find((p) => p.metadata.name === 'slash')!;
    const plain = pods.find((p) => p.metadata.name === 'plain')!;
    expect(slash.apiVersion).toBe('v1');
    expect(slash.spec.restartPolicy).toBe(plain.spec.restartPolicy);
    expect(slash.spec.dnsPolicy).toBe(plain.spec.dnsPolicy);
    const before = w.s.bytes();
    const odd = await w.s.run(['apply', '-f', w.s.write('svc.yaml', svc('/v1'))]);
    const usual = await w.s.run(['apply', '-f', w.s.write('svc.yaml', svc('v1'))]);
    expect(runProblems(odd)).toEqual([]);
    expect(odd).toMatchObject({ code: usual.code, stdout: usual.stdout, stderr: usual.stderr });
    expect(w.s.bytes().equals(before)).toBe(true);
  }, 60_000);

  // Go's JSON decoding turns a null list item into an empty struct, so the API server answers
  // a Service port that is null like any port left empty: with validation errors (found by fuzzing).
  it('a null port in a NodePort or LoadBalancer Service is an invalid Service, not a crash', async () => {
    const w = await worker(6);
    const before = w.s.bytes();
    for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer']) {
      const file = w.s.write('null-port.json', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'n' }, spec: { type, ports: [null] } }));
      const r = await w.s.run(['create', '-f', file]);
      expect(runProblems(r)).toEqual([]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^The Service "n" is invalid: \n\* spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive\n/);
      expect(w.s.bytes().equals(before)).toBe(true);
    }
  }, 60_000);

  it('tags, references and file names in a manifest neither run code nor open files', async () => {
    const w = await worker(8);
    const texts = [
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\ndata:\n  a: !!js/function "function(){ require('child_process').execSync('touch ${w.canary}') }"\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\ndata:\n  b: !!python/object/apply:os.system ["touch ${w.canary}"]\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\ndata:\n  c: !include ${w.secret}\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: refs\ndata:\n  ref: "${w.secret}"\n  file: "file://${w.secret}"\n  cmd: "$(touch ${w.canary})"\n`,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"refs"},"data":{"ref":{"$ref":"${w.secret}"},"x":"\`touch ${w.canary}\`"}}`,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"refs"},"data":{"ref":"${w.secret}","x":"\`touch ${w.canary}\`"}}`,
    ];
    for (const [i, text] of texts.entries()) {
      const file = w.s.write(`t${i}.yaml`, text);
      const r = await w.s.run(['apply', '-f', file], { timeoutMs: 20_000 });
      expect(runProblems(r)).toEqual([]);
      expect(fs.existsSync(w.canary)).toBe(false);
    }
    // The strings were stored as data, nothing more.
    const refs = (await w.s.items('configmaps')).find((c) => c.metadata.name === 'refs');
    expect(refs?.data?.x).toBe(`\`touch ${w.canary}\``);
  }, 60_000);
});
