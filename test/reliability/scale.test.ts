/**
 * Scale and soak: a cluster filled with Deployments (with pods) and Services, read, described,
 * emptied and filled again, round after round. Peak memory must not grow from round to round,
 * the store must shrink back once things are deleted (and their events have expired), an
 * unchanged re-apply must not rewrite anything, and commands must answer in reasonable times.
 * `npm test` runs a small smoke version; the soak runs 10,000 and 50,000 objects and prints
 * the figures.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { budget, Figures, LONG } from './lib/mode.ts';
import { deployment, manifest, service } from './lib/objects.ts';
import { CAN_MEASURE, Sandbox, type RunResult } from './lib/sandbox.ts';
import { parseStore } from './lib/store-check.ts';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});

const REPLICAS = 3;
/** A Deployment of 3 replicas and its Service come to about 30 stored objects with their events. */
const OBJECTS_PER_UNIT = 30;

function units(n: number): string {
  const objs: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    objs.push(deployment(`app${i}`, REPLICAS), service(`app${i}`, { selector: { app: `app${i}` }, ports: [{ port: 80, protocol: 'TCP' }] }));
  }
  return manifest(objs);
}

/** KFAKE_NOW `hours` after the start: each round runs two hours after the last, so events expire. */
const at = (hours: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

interface Step {
  name: string;
  args: string[];
  /** Whole-cluster steps may take a while; a read or a one-object change must not. */
  bulk?: boolean;
  /** Check the output beyond the exit status. */
  check?: (r: RunResult) => string | undefined;
}

async function soak(targetObjects: number, rounds: number, fig: Figures): Promise<void> {
  const s = new Sandbox({ seed: 'scale' });
  sandboxes.push(s);
  const n = Math.ceil(targetObjects / OBJECTS_PER_UNIT);
  // Room for every pod: 250 pods per node (less than a /24 holds).
  const workers = Math.ceil((n * REPLICAS) / 240) + 1;
  await s.ok(['cluster', 'reset', '--workers', String(workers), '--max-pods', '250']);
  const file = s.write('all.yaml', units(n));
  const label = `${targetObjects} objects`;
  const peaks = new Map<string, number[]>();
  const times = new Map<string, number[]>();
  const emptySizes: number[] = [];
  let fullObjects = 0;
  let fullSize = 0;
  for (let round = 0; round < rounds; round++) {
    s.now = at(round * 2);
    const steps: Step[] = [
      { name: 'apply (create)', args: ['apply', '-f', file], bulk: true },
      { name: 'apply (unchanged)', args: ['apply', '-f', file], bulk: true, check: (r) => (r.stdout.includes(' configured') ? 'an unchanged re-apply reported changes' : undefined) },
      { name: 'get pods -A', args: ['get', 'pods', '-A'], check: (r) => (r.stdout.split('\n').length - 2 < n * REPLICAS ? 'get pods -A listed too few pods' : undefined) },
      { name: 'get all -A -o json', args: ['get', 'all', '-A', '-o', 'json'], bulk: true },
      { name: 'describe deployment', args: ['describe', 'deployment', `app${n - 1}`] },
      { name: 'describe node', args: ['describe', 'node', 'kfake-worker'] },
      { name: 'apply one object', args: ['create', 'deployment', 'extra', '--image=nginx'] },
      { name: 'delete one object', args: ['delete', 'deployment', 'extra'] },
      { name: 'delete -f (all)', args: ['delete', '-f', file], bulk: true },
    ];
    for (const step of steps) {
      const before = s.bytes();
      const r = await s.run(step.args, { measure: true, timeoutMs: budget(60_000, 600_000) });
      if (!fig.check(r.code === 0, () => `${label}, round ${round + 1}, ${step.name}: exit ${r.code}: ${r.stderr.slice(0, 500)}`)) continue;
      const limit = step.bulk ? 120_000 : 10_000;
      fig.check(r.ms <= limit, () => `${label}, round ${round + 1}, ${step.name}: ${Math.round(r.ms)} ms (more than ${limit / 1000} s)`);
      const problem = step.check?.(r);
      if (problem) fig.fail(`${label}, round ${round + 1}: ${problem}`);
      if (step.name === 'apply (unchanged)') fig.check(s.bytes().equals(before), () => `${label}, round ${round + 1}: an unchanged re-apply rewrote the store`);
      if (step.name === 'apply (create)') {
        const snap = parseStore(s.bytes());
        fullObjects = Math.max(fullObjects, snap.objects.size);
        fullSize = Math.max(fullSize, fs.statSync(s.store).size);
      }
      (peaks.get(step.name) ?? peaks.set(step.name, []).get(step.name)!).push(r.peakKiB ?? 0);
      (times.get(step.name) ?? times.set(step.name, []).get(step.name)!).push(r.ms);
    }
    // An hour and a half later (past the event TTL), any write drops the events of what was deleted.
    s.now = at(round * 2 + 1.5);
    await s.ok(['label', 'namespace', 'default', `round=r${round}`, '--overwrite']);
    emptySizes.push(fs.statSync(s.store).size);
  }
  for (const [name, values] of peaks) {
    if (!CAN_MEASURE) break;
    // Memory does not grow from round to round (10% and 8 MiB of slack for the collector's timing).
    const first = values[0];
    for (const [i, v] of values.entries()) {
      fig.check(v <= first * 1.1 + 8192, () => `${label}, ${name}: peak memory grew from ${first} KiB to ${v} KiB by round ${i + 1}`);
    }
  }
  for (const [i, size] of emptySizes.entries()) {
    fig.check(size <= emptySizes[0] * 1.05, () => `${label}: the emptied store grew from ${emptySizes[0]} to ${size} bytes by round ${i + 1}`);
  }
  fig.set(`${label}: objects stored`, fullObjects);
  fig.set(`${label}: store MiB full / emptied`, `${(fullSize / 2 ** 20).toFixed(1)} / ${(emptySizes[emptySizes.length - 1] / 2 ** 20).toFixed(2)}`);
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join('/');
  for (const [name, xs] of times) {
    fig.set(`${label}: ${name} ms${CAN_MEASURE ? ' (peak MiB)' : ''}`, `${fmt(xs)}${CAN_MEASURE ? ` (${fmt(peaks.get(name)!.map((k) => k / 1024))})` : ''}`);
  }
}

describe('scale and soak', () => {
  it(
    LONG ? 'apply, get, describe and delete at 10,000 and 50,000 objects, repeated' : 'smoke: apply, get, describe and delete about 1,500 objects, twice',
    async () => {
      const fig = new Figures('scale');
      if (LONG) {
        await soak(10_000, 3, fig);
        await soak(50_000, 2, fig);
      } else {
        await soak(1_500, 2, fig);
      }
      fig.print();
      expect(fig.failures).toEqual([]);
    },
    budget(120_000, 7_200_000),
  );
});
