/**
 * `kfake get pods` lists from the rows the store keeps beside each pod (the clock-free part of
 * its table row, in the line's summary), so a listing of tens of thousands of pods decodes none
 * of them. These tests pin that the listing is the same either way: from the kept rows, and
 * from the objects, as for a store written before the rows were kept.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshClusters, type TestCluster } from '../helpers/kfake.ts';

const fresh = freshClusters();

/** Pods in several states: running, not ready, restarted, gated, unschedulable, another namespace. */
const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: gated
  labels: {app: gated, tier: web}
spec:
  readinessGates:
  - conditionType: example.com/feature
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: nowhere
spec:
  nodeSelector: {disk: none}
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
---
apiVersion: v1
kind: Pod
metadata:
  name: elsewhere
  namespace: other
  labels: {app: elsewhere}
spec:
  containers:
  - name: a
    image: nginx:1.27
  - name: b
    image: busybox:1.36
    command: [sleep, "3600"]
`;

const LISTINGS = [
  'kfake get pods -A',
  'kfake get pods -o wide --show-labels',
  'kfake get pods -n other -L app',
  'kfake get pods,deployments -A --no-headers',
  'kfake get all -n other',
];

function setUp(): TestCluster {
  const c = fresh('kfake apply -f manifests/whms/whms-deployment.yaml', ['kfake apply -f -', PODS]);
  const patches = [
    `kfake patch pod gated --subresource=status -p '{"status":{"conditions":[{"type":"example.com/feature","status":"True"}]}}'`,
    `kfake patch pod elsewhere -n other --subresource=status -p '{"status":{"containerStatuses":[{"name":"a","ready":true,"restartCount":0,"image":"nginx:1.27","imageID":"","state":{"running":{"startedAt":"2026-11-21T10:00:00Z"}}},{"name":"b","ready":false,"restartCount":4,"image":"busybox:1.36","imageID":"","state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-21T10:03:00Z"}}}]}}'`,
  ];
  for (const line of patches) expect(c.sh(line).code, line).toBe(0);
  return c;
}

/** Store lines of pods, and the same lines with the kept row taken out of their summary. */
function withoutRows(store: string): { text: string; lines: number } {
  let lines = 0;
  const text = fs
    .readFileSync(store, 'utf8')
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{"k":"pods/')) return line;
      const comma = line.endsWith(',') ? ',' : '';
      const { k, x, o } = JSON.parse(comma ? line.slice(0, -1) : line) as { k: string; x: { w?: unknown }; o: unknown };
      expect(x.w).toBeDefined();
      delete x.w;
      lines++;
      const summary = JSON.stringify(x);
      return `{"k":${JSON.stringify(k)},"xl":${Buffer.byteLength(summary)},"x":${summary},"o":${JSON.stringify(o)}}${comma}`;
    })
    .join('\n');
  return { text, lines };
}

describe('get pods from the rows the store keeps', () => {
  it('lists the same from the kept rows as from the objects (a store written without them)', () => {
    const c = setUp();
    const later = { now: '2026-11-21T10:09:30Z' };
    const kept = LISTINGS.map((line) => c.sh(line, later));
    const transcript = kept.map((r, i) => `$ ${LISTINGS[i]}\n${r.stdout}${r.stderr}`).join('\n');
    // the states the rows must carry, read where a person reads them
    expect(transcript).toMatch(/^gated\s+1\/1\s+Running\s+0\s+9m30s\s+10\.244\.\S+\s+kfake-worker\S*\s+<none>\s+1\/1\s+app=gated,tier=web$/m);
    expect(transcript).toMatch(/^nowhere\s+0\/1\s+Pending\s+0\s+9m30s\s+<none>\s+<none>\s+<none>\s+<none>\s+<none>$/m);
    expect(transcript).toMatch(/^other\s+elsewhere\s+1\/2\s+CrashLoopBackOff\s+4 \(6m30s ago\)\s+9m30s$/m);
    expect(transcript).toMatch(/^elsewhere\s+1\/2\s+CrashLoopBackOff\s+4 \(6m30s ago\)\s+9m30s\s+elsewhere$/m);

    const { text, lines } = withoutRows(c.store);
    expect(lines).toBe(c.sh('kfake get pods -A --no-headers').stdout.trim().split('\n').length);
    fs.writeFileSync(c.store, text);
    const fromObjects = LISTINGS.map((line) => c.sh(line, later));
    expect(fromObjects).toEqual(kept);
  });

  it('takes the rows from the store rather than from the objects', () => {
    const c = setUp();
    // A row that says something else than its object (a word as long, so the summary's stored
    // length still holds): only a listing that reads the kept rows shows it.
    const text = fs.readFileSync(c.store, 'utf8').replace(/("k":"pods\/default\/gated".*?"w":\["1\/1",)"Running"/, '$1"Holding"');
    expect(text).toContain('"Holding"');
    fs.writeFileSync(c.store, text);
    const r = c.sh('kfake get pods');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^gated\s+1\/1\s+Holding\s/m);
    // a named get, a field selector and --sort-by decode the objects
    expect(c.sh('kfake get pod gated').stdout).toMatch(/^gated\s+1\/1\s+Running\s/m);
    expect(c.sh('kfake get pods --field-selector metadata.name=gated').stdout).toMatch(/^gated\s+1\/1\s+Running\s/m);
    expect(c.sh('kfake get pods --sort-by .metadata.name').stdout).toMatch(/^gated\s+1\/1\s+Running\s/m);
  });
});
