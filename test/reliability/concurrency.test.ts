/**
 * Several kfake processes writing the same store at once, as parallel CI jobs and Makefiles do.
 * Every transaction holds the store lock, re-reads the file, reconciles and renames a complete
 * new file into place; so whatever the interleaving, nothing acknowledged is lost, nothing is
 * allocated twice, a requested address is refused to all but one Service with the API server's
 * error, a stale resourceVersion is the API server's Conflict, patches are applied to the
 * latest object (so changes to different fields all survive), and a reader only ever sees a
 * whole, reconciled cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocationProblems, reconcileProblems } from './lib/invariants.ts';
import { budget, Figures, size } from './lib/mode.ts';
import { collisionError, deployment, manifest, writerObjects, type WriterObject } from './lib/objects.ts';
import { Sandbox, type KItem, type RunResult } from './lib/sandbox.ts';
import { parseStore, storeProblem } from './lib/store-check.ts';

const sandboxes: Sandbox[] = [];
function sandbox(): Sandbox {
  const s = new Sandbox({ seed: 'concurrency' });
  sandboxes.push(s);
  return s;
}
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});

const SNAPSHOT_KINDS = 'deployments,replicasets,pods,services,endpoints,endpointslices';
const WRITERS = 8;
const OBJECTS = 50;

interface Batch {
  writer: number;
  objects: WriterObject[];
  result?: RunResult;
}

/**
 * Readers run `get -o json` in a loop until `done()`, and read the file itself in between:
 * every snapshot must be a whole store of a settled cluster.
 */
async function readLoop(s: Sandbox, done: () => boolean, fig: Figures): Promise<void> {
  while (!done()) {
    const problem = storeProblem(s.bytes());
    fig.add('raw file snapshots');
    if (problem) fig.fail(`the store file read during writes: ${problem}`);
    const r = await s.run(['get', SNAPSHOT_KINDS, '-A', '-o', 'json']);
    fig.add('reader snapshots');
    if (!fig.check(r.code === 0, () => `a reader failed during writes: ${r.stderr}`)) continue;
    let items: KItem[];
    try {
      items = (JSON.parse(r.stdout) as { items: KItem[] }).items;
    } catch (e) {
      fig.fail(`a reader got output that is not JSON (${(e as Error).message})`);
      continue;
    }
    for (const p of [...allocationProblems(items), ...reconcileProblems(items)]) fig.fail(`a reader saw: ${p}`);
  }
}

async function writersRound(round: number, fig: Figures): Promise<void> {
  const s = sandbox();
  await s.ok(['cluster', 'reset', '--workers', '4']);
  // Short version: each writer applies its objects in 5 files of 10; long: one apply per object.
  const perFile = size(10, 1);
  const writers: Batch[][] = [];
  for (let w = 0; w < WRITERS; w++) {
    const objs = writerObjects(w, OBJECTS);
    const batches: Batch[] = [];
    for (let i = 0; i < objs.length; i += perFile) batches.push({ writer: w, objects: objs.slice(i, i + perFile) });
    writers.push(batches);
  }
  let finished = false;
  const reading = readLoop(s, () => finished, fig);
  await Promise.all(
    writers.map(async (batches, w) => {
      for (const [i, b] of batches.entries()) {
        const file = s.write(`w${w}-${i}.yaml`, manifest(b.objects.map((o) => o.object)));
        b.result = await s.run(['apply', '-f', file], { timeoutMs: 120_000 });
      }
    }),
  );
  finished = true;
  await reading;
  fig.add('writer processes', WRITERS * writers[0].length);
  fig.add('objects applied', WRITERS * OBJECTS);

  const items = await s.items(SNAPSHOT_KINDS);
  const byName = new Map(items.filter((o) => o.metadata.namespace === 'default').map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  const where = `round ${round}`;
  for (const p of [...allocationProblems(items), ...reconcileProblems(items)]) fig.fail(`${where}: after the writers: ${p}`);

  /** Collision group -> the Services competing in it. */
  const groups = new Map<string, string[]>();
  for (const b of writers.flat()) {
    const r = b.result!;
    let lost = false;
    for (const o of b.objects) {
      const live = byName.get(`${o.kind}/${o.name}`);
      const created = `${o.kind === 'Service' ? 'service' : 'deployment.apps'}/${o.name} created\n`;
      if (o.collision) {
        const members = groups.get(o.collision.group) ?? [];
        members.push(o.name);
        groups.set(o.collision.group, members);
        if (live) fig.check(r.stdout.includes(created), () => `${where}: ${o.name} exists but its apply did not say "created"`);
        else {
          lost = true;
          fig.check(r.stderr.includes(collisionError(o.name, o.collision)), () => `${where}: ${o.name} was refused without the API server's error:\n${r.stderr}`);
        }
        continue;
      }
      if (!fig.check(!!live, () => `${where}: ${o.kind} ${o.name} is missing (its apply said: ${r.stdout}${r.stderr})`)) continue;
      fig.check(r.stdout.includes(created), () => `${where}: ${o.name}: its apply did not say "created": ${r.stdout}`);
      if (o.kind === 'Deployment') {
        fig.check(live!.status?.readyReplicas === o.replicas, () => `${where}: ${o.name} has ${live!.status?.readyReplicas} ready replicas, not ${o.replicas}`);
      }
    }
    fig.check(r.code === (lost ? 1 : 0), () => `${where}: writer ${b.writer}'s apply exited ${r.code}:\n${r.stderr}`);
    // Waiting for the lock is announced on stderr; anything else there is an error.
    const errors = r.stderr.replace(/^kfake: waiting for (process \d+|another process) to finish with the cluster store .*\.\.\.\n/gm, '');
    fig.check(lost || errors === '', () => `${where}: writer ${b.writer}'s apply printed errors:\n${r.stderr}`);
    if (errors !== r.stderr) fig.add('lock waits announced');
  }
  for (const [group, members] of groups) {
    const winners = members.filter((name) => byName.has(`Service/${name}`));
    fig.add('collisions refused', members.length - winners.length);
    fig.check(winners.length === 1, () => `${where}: collision group ${group}: ${winners.length} Services were created, not 1`);
  }
  const snap = parseStore(s.bytes());
  fig.check(snap.objects.size > 0, () => `${where}: the store is empty`);
  const left = s.storeDirEntries().filter((f) => f !== 'cluster.json' && f !== 'cluster.json.bak');
  fig.check(left.length === 0, () => `${where}: files left beside the store: ${left.join(', ')}`);
}

describe('concurrent writers', () => {
  it(
    `${WRITERS} processes applying ${OBJECTS} objects each: all exist, no address twice, collisions refused, readers see settled states`,
    async () => {
      const fig = new Figures('concurrent writers');
      const rounds = size(1, 5);
      for (let round = 1; round <= rounds; round++) await writersRound(round, fig);
      fig.set('rounds', rounds);
      fig.print();
      expect(fig.failures).toEqual([]);
    },
    budget(120_000, 3_600_000),
  );
});

/** The object as `get -o yaml` shows it, saved to a file in the sandbox. */
async function saveYaml(s: Sandbox, ref: string, file: string): Promise<string> {
  return s.write(file, await s.ok(['get', ref, '-o', 'yaml']));
}

const CONFLICT = (resource: string, name: string) =>
  `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`;

describe('writers racing on one object', () => {
  it('replace with the same resourceVersion: exactly one wins, the others get the Conflict error', async () => {
    const s = sandbox();
    const fig = new Figures('racing replace');
    const racers = size(4, 8);
    const rounds = size(3, 40);
    await s.ok(['apply', '-f', s.write('web.yaml', manifest([deployment('web', 1)]))]);
    for (let round = 0; round < rounds; round++) {
      const base = await s.ok(['get', 'deploy', 'web', '-o', 'json']);
      const files = Array.from({ length: racers }, (_, i) => {
        const obj = JSON.parse(base);
        obj.metadata.labels.racer = `r${round}-${i}`;
        return s.write(`r${i}.json`, JSON.stringify(obj, null, 2));
      });
      const results = await Promise.all(files.map((f) => s.run(['replace', '-f', f])));
      const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
      fig.add('replaces', racers);
      if (!fig.check(winners.length === 1, () => `round ${round}: ${winners.length} replaces succeeded, not 1`)) continue;
      fig.check(results[winners[0]].stdout === 'deployment.apps/web replaced\n', () => `round ${round}: the winner said ${results[winners[0]].stdout}`);
      for (const [i, r] of results.entries()) {
        if (i === winners[0]) continue;
        fig.check(
          r.code === 1 && r.stderr === `Error from server (Conflict): error when replacing "${files[i]}": ${CONFLICT('deployments.apps', 'web')}\n`,
          () => `round ${round}: a losing replace printed ${JSON.stringify(r.stderr)} (exit ${r.code})`,
        );
      }
      const label = (await s.items('deployments')).find((d) => d.metadata.name === 'web')!.metadata.labels?.racer;
      fig.check(label === `r${round}-${winners[0]}`, () => `round ${round}: the stored label is ${label}, not the winner's`);
    }
    fig.print();
    expect(fig.failures).toEqual([]);
  }, budget(60_000, 1_200_000));

  it('edit: a stale resourceVersion in the saved file is a Conflict; edits of different fields racing are all kept', async () => {
    const s = sandbox();
    await s.ok(['apply', '-f', s.write('web.yaml', manifest([deployment('web', 1)]))]);
    // The editor replaces the buffer with EDIT_FROM (if set), then applies EDIT_SED's replacement.
    const editor = s.write(
      'editor.mjs',
      `import fs from 'node:fs';
const file = process.argv[2];
let text = process.env.EDIT_FROM ? fs.readFileSync(process.env.EDIT_FROM, 'utf8') : fs.readFileSync(file, 'utf8');
const [from, to] = JSON.parse(process.env.EDIT_SED);
text = text.replace(from, to);
if (process.env.EDIT_WAIT) await new Promise((r) => setTimeout(r, Number(process.env.EDIT_WAIT)));
fs.writeFileSync(file, text);
`,
    );
    fs.mkdirSync(path.join(s.dir, 'edits'));
    const edit = (env: Record<string, string>) =>
      s.run(['edit', 'deploy', 'web'], { env: { KUBE_EDITOR: `${process.execPath} ${editor}`, TMPDIR: path.join(s.dir, 'edits'), ...env } });

    // A copy saved earlier, then the object changes: saving the old copy is refused.
    const stale = await saveYaml(s, 'deploy/web', 'stale.yaml');
    await s.ok(['label', 'deploy', 'web', 'changed=yes']);
    const before = s.bytes();
    const r = await edit({ EDIT_FROM: stale, EDIT_SED: JSON.stringify(['replicas: 1', 'replicas: 3']) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: deployments.apps "web" could not be patched: ${escape(CONFLICT('deployments.apps', 'web'))}\n` +
          `You can run \`kfake replace -f ${escape(path.join(s.dir, 'edits'))}/kfake-edit-\\d+\\.yaml\` to try this update again.\n$`,
      ),
    );
    expect(s.bytes().equals(before)).toBe(true);

    // Editors open at the same time, each changing its own label while the others save theirs;
    // kubectl edit sends a patch of what changed (no resourceVersion), so every change lands.
    const racers = size(4, 8);
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) => edit({ EDIT_SED: JSON.stringify(['  labels:\n', `  labels:\n    editor${i}: "yes"\n`]), EDIT_WAIT: String(200 + i * 50) })),
    );
    for (const res of results) expect(res).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n', stderr: '' });
    const labels = (await s.items('deployments')).find((d) => d.metadata.name === 'web')!.metadata.labels!;
    for (let i = 0; i < racers; i++) expect(labels[`editor${i}`]).toBe('yes');
    expect(labels.changed).toBe('yes');
  }, budget(60_000, 600_000));

  it('apply, patch, label, annotate and scale racing on one Deployment: every change is kept', async () => {
    const s = sandbox();
    const fig = new Figures('racing apply and patch');
    const rounds = size(3, 40);
    // The manifest leaves replicas out (as with an autoscaler), so that `scale` owns them:
    // apply sets every field its manifest names back to the manifest's value.
    const base = deployment('web', 1) as any;
    delete base.spec.replicas;
    await s.ok(['apply', '-f', s.write('web.yaml', manifest([base]))]);
    for (let round = 0; round < rounds; round++) {
      // apply changes the image (the manifest's own field); the others touch fields it does not own.
      const image = `nginx:1.${round}`;
      const applied = structuredClone(base);
      applied.spec.template.spec.containers[0].image = image;
      const file = s.write(`apply-${round}.yaml`, manifest([applied]));
      const commands = [
        ['apply', '-f', file],
        ['patch', 'deploy', 'web', '-p', `{"metadata":{"labels":{"patched":"p${round}"}}}`],
        ['patch', 'deploy', 'web', '--type=merge', '-p', `{"metadata":{"annotations":{"merged":"m${round}"}}}`],
        ['patch', 'deploy', 'web', '--type=json', '-p', `[{"op":"add","path":"/spec/minReadySeconds","value":${round}}]`],
        ['label', 'deploy', 'web', `labelled=l${round}`, '--overwrite'],
        ['annotate', 'deploy', 'web', `annotated=a${round}`, '--overwrite'],
        ['scale', 'deploy', 'web', `--replicas=${(round % 3) + 1}`],
      ];
      const results = await Promise.all(commands.map((c) => s.run(c)));
      fig.add('racing commands', commands.length);
      for (const [i, r] of results.entries()) {
        fig.check(r.code === 0 && r.stderr === '', () => `round ${round}: kfake ${commands[i].join(' ')} failed: ${r.stderr}`);
      }
      const d = (await s.items('deployments,replicasets,pods')).filter((o) => o.metadata.namespace === 'default');
      const web = d.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
      const want: [string, unknown, unknown][] = [
        ['image', web.spec.template.spec.containers[0].image, image],
        ['label patched', web.metadata.labels?.patched, `p${round}`],
        ['annotation merged', web.metadata.annotations?.merged, `m${round}`],
        ['minReadySeconds', web.spec.minReadySeconds, round],
        ['label labelled', web.metadata.labels?.labelled, `l${round}`],
        ['annotation annotated', web.metadata.annotations?.annotated, `a${round}`],
        ['replicas', web.spec.replicas, (round % 3) + 1],
      ];
      for (const [what, got, expected] of want) fig.check(got === expected, () => `round ${round}: ${what} is ${got}, not ${expected}`);
      for (const p of reconcileProblems(d)) fig.fail(`round ${round}: ${p}`);
    }
    fig.print();
    expect(fig.failures).toEqual([]);
  }, budget(60_000, 1_200_000));
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
