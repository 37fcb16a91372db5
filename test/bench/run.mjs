#!/usr/bin/env node
/**
 * kfake's speed and memory benchmarks (`npm run bench`). Every figure is measured in this one run,
 * next to `node -e 0` on the same machine, because the machines are shared and noisy: compare
 * the ratios, not the absolute times between runs.
 *
 *   node test/bench/run.mjs [--sizes 1000,2000] [--runs 5]
 *
 * --sizes is the number of Deployments (10 replicas each, plus one Service each) per cluster.
 * kfake is run as users run it, `bin/kfake` (its shebang starts node with the V8 flags it is tuned
 * for); the big apply is also timed as `node bin/kfake`, without them. The sizes are measured in
 * turns, so the growth ratios compare runs made in the same spell of the machine.
 * Peak memory is each command's maximum resident set size, read by a preloaded hook in a run of
 * its own so that the hook does not count in the timings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'kfake');
const RSS_HOOK = fileURLToPath(new URL('./max-rss.cjs', import.meta.url));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const SIZES = option('--sizes', '1000,2000').split(',').map(Number);
const RUNS = Number(option('--runs', '5'));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

/** Run a command; returns wall milliseconds, exit status and output. */
function timed(cmd, argv, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  }
  return { ms, stdout: r.stdout };
}

const kfake = (store, argv, env = {}) => timed(BIN, argv, { KFAKE_STORE: store, ...env });
const nodeKfake = (store, argv) => timed(process.execPath, [BIN, ...argv], { KFAKE_STORE: store });

/** Peak resident memory (MB) of one kfake command, from the preloaded hook. */
function peakMB(store, argv) {
  const out = path.join(work, 'rss.txt');
  fs.rmSync(out, { force: true });
  kfake(store, argv, { NODE_OPTIONS: `--require ${RSS_HOOK}`, KFAKE_BENCH_RSS_FILE: out });
  return Number(fs.readFileSync(out, 'utf8')) / 1024;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall time of `runs` runs of `fn(i)`. */
function medianOf(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(fn(i).ms);
  return median(times);
}

/** n Deployments of 10 nginx replicas, each with a Service selecting it. */
function bigManifest(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: 10
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector:
    app: app-${i}
  ports:
  - port: 80
`);
  }
  return docs.join('---\n');
}

const rows = [];
const row = (what, value, target = '') => {
  rows.push([what, value, target]);
  console.log(`${what.padEnd(62)} ${value.padEnd(22)} ${target}`);
};
const fmtMs = (ms) => `${ms.toFixed(0)} ms`;
const fmtX = (x) => `${x.toFixed(2)} x`;

console.log(`kfake benchmarks on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`);

// ---------------------------------------------------------------- start-up on the seed cluster
const baseline = medianOf(15, () => timed(process.execPath, ['-e', '0']));
row('node -e 0', fmtMs(baseline));
const seed = path.join(work, 'seed.json');
kfake(seed, ['apply', '-f', path.join(ROOT, 'manifests', 'service-api')]);
const getSvc = medianOf(15, () => kfake(seed, ['get', 'svc']));
row('kfake get svc (seed cluster)', `${fmtMs(getSvc)} = ${fmtX(getSvc / baseline)}`, 'target <= 1.6 x node -e 0');

// ---------------------------------------------------------------- big clusters
// The sizes are measured in turns (10,000 pods, then 20,000, then 10,000 again, ...) rather than
// one after the other, so that a slow spell of the machine weighs on every size alike and the
// growth ratios compare like with like.
const clusters = SIZES.map((n) => {
  const pods = n * 10;
  const store = path.join(work, `big-${n}.json`);
  const manifest = path.join(work, `big-${n}.yaml`);
  fs.writeFileSync(manifest, bigManifest(n));
  // 250 pods per worker, under the --max-pods 300 each node is given
  const workers = String(Math.ceil(pods / 250));
  const reset = () => kfake(store, ['cluster', 'reset', '--workers', workers, '--max-pods', '300']);
  return { n, pods, store, manifest, reset, applyRuns: [], plainRuns: [], getPods: [], oneCm: [], oneSvc: [] };
});

/** `runs` turns over the sizes (in alternating order), each calling `fn(cluster, i)`. */
function inTurns(runs, fn) {
  for (let i = 0; i < runs; i++) for (const c of i % 2 ? [...clusters].reverse() : clusters) fn(c, i);
}

// The median of three applies per size, each into a fresh cluster (the last one is kept for the
// rest). At the 10,000-pod size each is paired with one as `node bin/kfake`.
inTurns(Math.min(RUNS, 3), (c, i) => {
  const pair = [
    () => {
      c.reset();
      c.applyRuns.push(kfake(c.store, ['apply', '-f', c.manifest]).ms);
    },
    ...(c.pods === 10000
      ? [
          () => {
            c.reset();
            c.plainRuns.push(nodeKfake(c.store, ['apply', '-f', c.manifest]).ms);
          },
        ]
      : []),
  ];
  for (const run of i % 2 ? pair.reverse() : pair) run();
});
for (const c of clusters) {
  const running = kfake(c.store, ['get', 'pods', '-A', '--no-headers']).stdout.split('\n').filter((l) => l.includes(' Running ')).length;
  if (running < c.pods) throw new Error(`only ${running} of ${c.pods} pods are Running`);
}

const oneCmFile = path.join(work, 'one-cm.yaml');
const writeCm = (name) => fs.writeFileSync(oneCmFile, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`);
const oneSvcFile = path.join(work, 'one-svc.yaml');
inTurns(RUNS, (c) => c.getPods.push(kfake(c.store, ['get', 'pods', '-A']).ms));
inTurns(RUNS, (c, i) => {
  writeCm(`bench-${i}`);
  c.oneCm.push(kfake(c.store, ['apply', '-f', oneCmFile]).ms);
});
inTurns(RUNS, (c, i) => {
  fs.writeFileSync(oneSvcFile, `apiVersion: v1\nkind: Service\nmetadata:\n  name: bench-svc-${i}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n  - port: 80\n`);
  c.oneSvc.push(kfake(c.store, ['apply', '-f', oneSvcFile]).ms);
});

for (const c of clusters) {
  const { n, pods } = c;
  const storeMB = fs.statSync(c.store).size / 1e6;
  const apply = median(c.applyRuns);
  const getPods = median(c.getPods);
  const oneCm = median(c.oneCm);
  const oneSvc = median(c.oneSvc);
  row(`apply -f, ${n} Deployments x 10 + ${n} Services (${pods} pods)`, fmtMs(apply), pods === 10000 ? 'target <= 3000 ms' : '');
  if (pods === 10000) row(`  the same as \`node bin/kfake\` (no shebang flags)`, fmtMs(median(c.plainRuns)));
  row(`  store file`, `${storeMB.toFixed(0)} MB`);
  row(`get pods -A, ${pods} pods`, fmtMs(getPods), pods === 10000 ? 'target <= 400 ms' : '');
  row(`one-object apply (a ConfigMap), ${pods} pods`, fmtMs(oneCm), pods === 10000 ? 'target <= 250 ms' : '');
  row(`one-object apply (a Service selecting 10 pods), ${pods} pods`, fmtMs(oneSvc));

  const peaks = {
    get: peakMB(c.store, ['get', 'pods', '-A']),
    one: (writeCm('bench-peak'), peakMB(c.store, ['apply', '-f', oneCmFile])),
  };
  c.reset();
  peaks.apply = peakMB(c.store, ['apply', '-f', c.manifest]);
  row(`peak memory: apply -f / get pods -A / one-object apply`, `${peaks.apply.toFixed(0)} / ${peaks.get.toFixed(0)} / ${peaks.one.toFixed(0)} MB`, pods === 10000 ? 'target <= 250 MB' : '');
  console.log('');
}

// ---------------------------------------------------------------- growth
if (clusters.length >= 2) {
  const [x, y] = [clusters[0], clusters[clusters.length - 1]];
  const label = `${y.pods} pods / ${x.pods} pods`;
  const target = y.n === 2 * x.n ? 'target <= 2.2 x' : '';
  const growth = (runs) => fmtX(median(y[runs]) / median(x[runs]));
  row(`growth ${label}: apply -f`, growth('applyRuns'), target);
  row(`growth ${label}: get pods -A`, growth('getPods'), target);
  row(`growth ${label}: one-object apply`, growth('oneCm'), target);
}
