/**
 * kfake processes killed with SIGKILL at random moments of their writes. With a fixed seed and
 * clock a command is deterministic, so each trial first runs the command to completion on a copy
 * of the store (the state it would commit), then runs it for real and kills it: the store must
 * then be byte for byte either the state before or that committed state, never anything else,
 * and a command that finished (acknowledged) must have committed. The lock a killed process
 * held must not stop the next command; a live holder is waited for, with a message, and a
 * timeout when KFAKE_LOCK_TIMEOUT says so. The trials follow a fixed seed; KFAKE_CRASH_SEED picks
 * another sequence.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocationProblems, reconcileProblems } from './lib/invariants.ts';
import { budget, Figures, size } from './lib/mode.ts';
import { deployment, manifest } from './lib/objects.ts';
import { Rng } from './lib/random.ts';
import { Sandbox, sleep, type RunResult } from './lib/sandbox.ts';
import { parseStore, storeProblem } from './lib/store-check.ts';
import { baseline, randomWrite, type WriteCommand } from './lib/workload.ts';

const sandboxes: Sandbox[] = [];
function sandbox(): Sandbox {
  const s = new Sandbox({ seed: 'crash' });
  sandboxes.push(s);
  return s;
}
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});

const WAITING = /^kfake: waiting for (process \d+|another process) to finish with the cluster store .*\.\.\.$/m;

function prepare(s: Sandbox, cmd: WriteCommand): void {
  for (const [name, text] of Object.entries(cmd.files ?? {})) s.write(name, text);
}

/** Files kfake leaves beside the store that a later command does not clean up. */
function leftovers(s: Sandbox): string[] {
  return s.storeDirEntries().filter((f) => f.endsWith('.tmp'));
}

describe('processes killed while writing', () => {
  it('the store is always the state before or the state the command commits; acknowledged writes are kept', async () => {
    const fig = new Figures('killed writers');
    const trials = size(30, 400);
    const rng = new Rng(`crash-${process.env.KFAKE_CRASH_SEED ?? 1}`);
    const live = sandbox();
    const ref = sandbox();
    await live.ok(['cluster', 'reset', '--workers', '3']);
    await live.ok(['apply', '-f', live.write('baseline.yaml', baseline(size(40, 150), 2))]);
    let before = live.bytes();
    const outcomes = { before: 0, after: 0, finished: 0 };
    let slowestNext = 0;
    let locksLeft = 0;
    for (let trial = 0; trial < trials; trial++) {
      const cmd = randomWrite(rng, trial);
      const what = `trial ${trial} (kfake ${cmd.args.join(' ')})`;
      // The state the command commits, from a run to completion on a copy.
      fs.rmSync(path.dirname(ref.store), { recursive: true, force: true });
      fs.mkdirSync(path.dirname(ref.store), { mode: 0o700 });
      fs.writeFileSync(ref.store, before);
      prepare(ref, cmd);
      const expected = await ref.run(cmd.args, { timeoutMs: 60_000 });
      const committed = ref.bytes();

      prepare(live, cmd);
      const late = rng.chance(0.7);
      const killAt = late ? expected.ms * (0.5 + rng.next() * 0.55) : expected.ms * rng.next();
      const r = await live.run(cmd.args, { killAfterMs: killAt, timeoutMs: 60_000 });
      const now = live.bytes();
      if (r.signal === 'SIGKILL') {
        if (now.equals(before)) outcomes.before++;
        else if (now.equals(committed)) outcomes.after++;
        else fig.fail(`${what}: killed after ${Math.round(killAt)} ms, the store is neither the state before nor the committed one`);
      } else {
        outcomes.finished++;
        fig.check(r.code === expected.code && r.stdout === expected.stdout, () => `${what}: finished differently from its reference run: ${r.stderr}`);
        fig.check(now.equals(committed), () => `${what}: acknowledged with exit ${r.code}, but the store is not the state it committed`);
      }
      const problem = storeProblem(now);
      fig.check(problem === undefined, () => `${what}: the store does not parse: ${problem}`);
      const bak = `${live.store}.bak`;
      if (fs.existsSync(bak)) {
        const bakProblem = storeProblem(fs.readFileSync(bak));
        fig.check(bakProblem === undefined, () => `${what}: ${bak} does not parse: ${bakProblem}`);
      }
      if (fs.existsSync(`${live.store}.lock`)) locksLeft++;
      // The next command (here a read-and-write no-op) is not held up by the dead process's lock.
      if (r.signal === 'SIGKILL') {
        const next = await live.run(['label', 'namespace', 'default', `probe=t${trial}`, '--overwrite'], { timeoutMs: 60_000 });
        slowestNext = Math.max(slowestNext, next.ms);
        fig.check(next.code === 0, () => `${what}: the next command failed: ${next.stderr}`);
        fig.check(!WAITING.test(next.stderr), () => `${what}: the next command waited for the killed process's lock (${Math.round(next.ms)} ms)`);
      }
      before = live.bytes();
    }
    const items = await live.items('deployments,replicasets,pods,services,endpoints,endpointslices');
    for (const p of [...allocationProblems(items), ...reconcileProblems(items)]) fig.fail(`at the end: ${p}`);
    fig.set('trials', trials);
    fig.set('killed before commit', outcomes.before);
    fig.set('killed after commit', outcomes.after);
    fig.set('finished before the kill', outcomes.finished);
    fig.set('locks left by killed processes', locksLeft);
    fig.set('slowest next command (ms)', Math.round(slowestNext));
    fig.set('objects at the end', parseStore(live.bytes()).objects.size);
    fig.print();
    expect(fig.failures).toEqual([]);
    expect(outcomes.before + outcomes.after).toBeGreaterThan(trials / 2);
  }, budget(150_000, 3_600_000));

  it('several writers killed at random while others write: every acknowledged object exists, complete', async () => {
    const fig = new Figures('killed concurrent writers');
    const s = sandbox();
    const rng = new Rng('crash-concurrent');
    await s.ok(['cluster', 'reset', '--workers', '3']);
    const writers = 4;
    const perWriter = size(8, 60);
    const acknowledged: string[] = [];
    const uncertain: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const name = `w${w}-d${i}`;
          const file = s.write(`${name}.yaml`, manifest([deployment(name, rng.int(1, 3))]));
          const kill = rng.chance(0.5) ? rng.int(50, 600) : undefined;
          const r: RunResult = await s.run(['apply', '-f', file], { killAfterMs: kill, timeoutMs: 60_000 });
          if (r.signal) uncertain.push(name);
          else if (fig.check(r.code === 0 && r.stdout === `deployment.apps/${name} created\n`, () => `${name}: ${r.stdout}${r.stderr}`)) {
            acknowledged.push(name);
          }
        }
      }),
    );
    const items = await s.items('deployments,replicasets,pods,services,endpoints,endpointslices');
    const names = new Set(items.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name));
    for (const name of acknowledged) fig.check(names.has(name), () => `${name} was acknowledged but is missing`);
    // A killed apply either committed its whole transaction or nothing: reconcileProblems
    // finds a Deployment without its ReplicaSet or pods.
    for (const p of [...allocationProblems(items), ...reconcileProblems(items)]) fig.fail(p);
    fig.check(storeProblem(s.bytes()) === undefined, () => `the store does not parse`);
    fig.set('commands', writers * perWriter);
    fig.set('killed', uncertain.length);
    fig.set('killed but committed', uncertain.filter((n) => names.has(n)).length);
    fig.set('acknowledged', acknowledged.length);
    fig.print();
    expect(fig.failures).toEqual([]);
  }, budget(90_000, 1_800_000));

  it('temp files of killed writers do not pile up beside the store', async () => {
    const s = sandbox();
    await s.ok(['apply', '-f', s.write('base.yaml', baseline(150, 3))]);
    const file = s.write('more.yaml', baseline(10, 1).replaceAll('base', 'more'));
    // Kill writers while they write their temp file (the write of ~5 MB is the last part of a run).
    let killedWhileWriting = 0;
    for (let i = 0; i < 15 && killedWhileWriting < 3; i++) {
      await s.run(['apply', '-f', file], {
        onSpawn: (pid) => {
          void (async () => {
            const started = Date.now();
            while (Date.now() - started < 30_000) {
              if (s.storeDirEntries().some((f) => f.includes(`.${pid}.`) && f.endsWith('.tmp'))) {
                process.kill(pid, 'SIGKILL');
                killedWhileWriting++;
                return;
              }
              await sleep(1);
            }
          })();
        },
      });
      await s.run(['delete', '-f', file]);
    }
    expect(killedWhileWriting).toBeGreaterThan(0);
    // Later commands succeed; what the killed ones left behind should not stay forever
    // (each is a full copy of the store).
    await s.ok(['apply', '-f', file]);
    expect(leftovers(s)).toEqual([]);
  }, budget(90_000, 300_000));
});

/** Start a write that holds the lock for a while, and wait until it has the lock. */
async function holdLock(s: Sandbox, file: string): Promise<{ pid: number; done: Promise<RunResult> }> {
  let pid = -1;
  const done = s.run(['apply', '-f', file], { onSpawn: (p) => (pid = p), timeoutMs: 120_000 });
  const owner = `${s.store}.lock/owner`;
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    try {
      if (JSON.parse(fs.readFileSync(owner, 'utf8')).pid === pid) return { pid, done };
    } catch {
      // not yet
    }
    await sleep(2);
  }
  throw new Error('the writer never took the lock');
}

describe('the store lock', () => {
  it('a lock held by a killed process is taken over at once', async () => {
    const s = sandbox();
    await s.ok(['get', 'nodes']);
    const file = s.write('big.yaml', baseline(200, 2));
    const before = s.bytes();
    const holder = await holdLock(s, file);
    process.kill(holder.pid, 'SIGKILL');
    expect((await holder.done).signal).toBe('SIGKILL');
    expect(fs.existsSync(`${s.store}.lock`)).toBe(true);
    const r = await s.run(['create', 'deployment', 'after', '--image=nginx']);
    expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/after created\n', stderr: '' });
    // At once: no stale period to wait for.
    expect(r.ms).toBeLessThan(8000);
    expect(fs.existsSync(`${s.store}.lock`)).toBe(false);
    // It was killed as soon as it had the lock, long before its write: only the new one is there.
    const names = (await s.items('deployments')).map((d) => d.metadata.name).filter((n) => n !== 'coredns');
    expect(names).toEqual(['after']);
    expect(parseStore(before).objects.size + 1).toBeLessThan(parseStore(s.bytes()).objects.size);
  }, 60_000);

  // Every waiting process sees the dead owner; only one may take the lock over. One that removes
  // the lock another has just taken makes two writers at once, and one's write is lost.
  it('several processes finding a dead process\'s lock at once: one at a time takes it, no acknowledged write is lost', async () => {
    const fig = new Figures('dead lock takeovers');
    const trials = size(10, 60);
    for (let t = 0; t < trials; t++) {
      const s = sandbox();
      await s.ok(['get', 'nodes']);
      const dead = await s.run(['version', '--client']);
      fs.mkdirSync(`${s.store}.lock`);
      fs.writeFileSync(`${s.store}.lock/owner`, JSON.stringify({ pid: dead.pid, host: os.hostname() }));
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.run(['create', 'deployment', `d${i}`, '--image=nginx'], { timeoutMs: 60_000 })));
      const names = await s.ok(['get', 'deployments', '-o', 'name']);
      for (const [i, r] of results.entries()) {
        if (!fig.check(r.code === 0, () => `trial ${t}: d${i}: ${r.stderr}`)) continue;
        fig.check(names.includes(`deployment.apps/d${i}\n`), () => `trial ${t}: d${i} was acknowledged (${r.stdout.trim()}) but is missing`);
      }
      s.cleanup();
    }
    fig.set('trials', trials);
    fig.set('writers per trial', 8);
    fig.print();
    expect(fig.failures).toEqual([]);
  }, budget(90_000, 900_000));

  it('a lock left long ago without an owner note is taken over as stale', async () => {
    const s = sandbox();
    await s.ok(['get', 'nodes']);
    const lock = `${s.store}.lock`;
    fs.mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    const r = await s.run(['create', 'deployment', 'after', '--image=nginx']);
    expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/after created\n', stderr: '' });
    expect(fs.existsSync(lock)).toBe(false);
  }, 60_000);

  // kfake's lock never exists without its note (it is renamed into place complete, and moved
  // aside whole when let go), so a lock without one was left by something else, and nothing
  // would ever remove it.
  it('a fresh lock without an owner note is taken over at once', async () => {
    const s = sandbox();
    await s.ok(['get', 'nodes']);
    fs.mkdirSync(`${s.store}.lock`);
    const r = await s.run(['create', 'deployment', 'after', '--image=nginx'], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('deployment.apps/after created\n');
    expect(fs.existsSync(`${s.store}.lock`)).toBe(false);
    // Not after a stale period, with "waiting for another process" on the screen while no kfake
    // command is running.
    expect(r.ms).toBeLessThan(5000);
  }, 60_000);

  it('a live, slow holder is waited for with a message, and KFAKE_LOCK_TIMEOUT ends the wait with an error', async () => {
    const s = sandbox();
    await s.ok(['get', 'nodes']);
    const file = s.write('big.yaml', baseline(150, 2));
    const holder = await holdLock(s, file);
    process.kill(holder.pid, 'SIGSTOP');
    try {
      const before = s.bytes();
      const timedOut = await s.run(['create', 'deployment', 'waiter', '--image=nginx'], { env: { KFAKE_LOCK_TIMEOUT: '2' } });
      expect(timedOut.code).toBe(1);
      expect(timedOut.stdout).toBe('');
      expect(timedOut.stderr).toBe(
        `kfake: waiting for process ${holder.pid} to finish with the cluster store ${s.store}...\n` +
          `error: timed out after 2s waiting for the lock on the cluster store ${s.store} (held by process ${holder.pid}); ` +
          `if no kfake command is running, remove ${s.store}.lock\n`,
      );
      expect(s.bytes().equals(before)).toBe(true);
      // Without a timeout the waiter goes on once the holder finishes.
      const waiting = s.run(['create', 'deployment', 'waiter', '--image=nginx'], { timeoutMs: 60_000 });
      await sleep(3000);
      process.kill(holder.pid, 'SIGCONT');
      const [h, w] = await Promise.all([holder.done, waiting]);
      expect(h.code).toBe(0);
      expect(w.code).toBe(0);
      expect(w.stdout).toBe('deployment.apps/waiter created\n');
      expect(w.stderr).toBe(`kfake: waiting for process ${holder.pid} to finish with the cluster store ${s.store}...\n`);
    } finally {
      try {
        process.kill(holder.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    const names = (await s.items('deployments')).map((d) => d.metadata.name);
    expect(names).toContain('waiter');
    expect(names).toContain('base149');
  }, 90_000);
});
