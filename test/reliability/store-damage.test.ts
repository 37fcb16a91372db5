/**
 * A damaged or unusable store: corrupt, truncated, from an unknown format version, unreadable,
 * in a read-only directory, on a full disk. Each is a clear one-line error naming the file,
 * exit 1, the file left exactly as it was, and the documented way back (the previous good copy
 * `<store>.bak`, or `kfake cluster reset`) works. Files kfake creates are the user's alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { budget, Figures, size } from './lib/mode.ts';
import { Rng } from './lib/random.ts';
import { BIN, Sandbox, type RunResult } from './lib/sandbox.ts';
import { storeProblem } from './lib/store-check.ts';
import { CRASH } from './lib/verdict.ts';
import { baseline } from './lib/workload.ts';

const sandboxes: Sandbox[] = [];
function sandbox(opts: { createStoreDir?: boolean } = {}): Sandbox {
  const s = new Sandbox({ seed: 'damage', ...opts });
  sandboxes.push(s);
  return s;
}
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});


/** A store with two Deployments written one after the other, so `.bak` holds only the first. */
async function twoWrites(s: Sandbox): Promise<void> {
  await s.ok(['create', 'deployment', 'first', '--image=nginx']);
  await s.ok(['create', 'deployment', 'second', '--image=nginx']);
}

/** What reading and writing commands say about a damaged store; none may change it. */
async function refusedEverywhere(s: Sandbox, opts: { user?: number } = {}): Promise<RunResult[]> {
  const before = fs.existsSync(s.store) && fs.statSync(s.store).isFile() ? safeRead(s.store) : undefined;
  const manifest = s.write('new.yaml', baseline(1, 1));
  const results: RunResult[] = [];
  for (const args of [
    ['get', 'pods', '-A'],
    ['get', 'deployments', '-o', 'json'],
    ['describe', 'deployment', 'first'],
    ['apply', '-f', manifest],
    ['create', 'deployment', 'third', '--image=nginx'],
    ['delete', 'deployment', 'first'],
    ['scale', 'deployment', 'first', '--replicas=3'],
  ]) {
    const r = await s.run(args, opts);
    results.push(r);
    const after = fs.existsSync(s.store) && fs.statSync(s.store).isFile() ? safeRead(s.store) : undefined;
    expect(after?.equals(before!) ?? after === before, `kfake ${args.join(' ')} changed the store`).toBe(true);
  }
  return results;
}

function safeRead(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function expectOneLineError(results: RunResult[], pattern: RegExp | string): void {
  for (const r of results) {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(CRASH);
    expect(r.stderr.split('\n').length, r.stderr).toBe(2);
    if (typeof pattern === 'string') expect(r.stderr).toBe(pattern);
    else expect(r.stderr).toMatch(pattern);
  }
}

const corruptMessage = (file: string, detail: string) =>
  `error: the cluster store ${file} is corrupt (${detail}); it was left untouched. ` +
  `Restore the previous good copy with 'cp ${file}.bak ${file}', or start over with 'kfake cluster reset'\n`;

async function deploymentNames(s: Sandbox): Promise<string[]> {
  return (await s.items('deployments'))
    .filter((d) => d.metadata.namespace === 'default')
    .map((d) => d.metadata.name)
    .sort();
}

describe('a damaged store', () => {
  it('truncated anywhere: refused with the recovery advice and left as it was, never read as a smaller cluster; .bak brings it back', async () => {
    const s = sandbox();
    await twoWrites(s);
    const good = s.bytes();
    const everything = await s.ok(['get', 'pods,services,deployments,replicasets,endpoints,events,nodes,namespaces,configmaps', '-A', '-o', 'name']);
    const rng = new Rng('truncate');
    const cuts = new Set<number>([0, 1, good.indexOf(10) + 1, good.length - 4, good.length - 2]);
    // Every line boundary near the end (a writer stopped between two lines) and random places.
    for (let i = good.length - 2, n = 0; i > 0 && n < 20; i--) if (good[i] === 10) (cuts.add(i + 1), n++);
    while (cuts.size < size(40, 400)) cuts.add(rng.int(1, good.length - 2));
    let accepted = 0;
    for (const cut of cuts) {
      fs.writeFileSync(s.store, good.subarray(0, cut));
      const r = await s.run(['get', 'pods,services,deployments,replicasets,endpoints,events,nodes,namespaces,configmaps', '-A', '-o', 'name']);
      if (r.code === 0) {
        // Only acceptable when nothing at all was lost (e.g. just the final brace cut off).
        expect(r.stdout, `cut at ${cut} of ${good.length}: read as a different cluster`).toBe(everything);
        accepted++;
        continue;
      }
      expect(r.code, `cut at ${cut}`).toBe(1);
      expect(r.stderr, `cut at ${cut}`).toMatch(
        new RegExp(`^error: the cluster store ${s.store} is corrupt \\(.*\\); it was left untouched\\. Restore the previous good copy with 'cp ${s.store}\\.bak ${s.store}', or start over with 'kfake cluster reset'\n$`),
      );
      expect(s.bytes().length).toBe(cut);
    }
    expect(accepted).toBeLessThan(3);
    fs.writeFileSync(s.store, good.subarray(0, good.lastIndexOf(',\n{"k":') + 2));
    expectOneLineError(await refusedEverywhere(s), new RegExp(`^error: the cluster store ${s.store} is corrupt \\(.*\\); it was left untouched\\. `));
    // The documented recovery: the previous good copy (the state before the last write).
    fs.copyFileSync(`${s.store}.bak`, s.store);
    expect(await deploymentNames(s)).toEqual(['first']);
  });

  it('garbage, an empty file, another kind of file, a directory: refused, named, untouched; cluster reset starts over', async () => {
    const s = sandbox();
    await twoWrites(s);
    const good = s.bytes();
    const cases: [string, Buffer | string, RegExp | string][] = [
      ['empty', '', corruptMessage(s.store, 'the file is empty')],
      ['random bytes', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)), corruptMessage(s.store, 'line 1: not a kfake cluster store')],
      ['a kubeconfig', 'apiVersion: v1\nkind: Config\nclusters: []\n', corruptMessage(s.store, 'line 1: not a kfake cluster store')],
      ['JSON of another program', '{"hello":"world"}\n', corruptMessage(s.store, 'line 1: not a kfake cluster store')],
      ['a damaged settings line', good.toString().replace('"meta":{', '"meta":{{'), new RegExp(`^error: the cluster store ${s.store} is corrupt \\(line 2: the cluster settings are not valid JSON`)],
      ['content after the end', good.toString() + 'more\n', new RegExp(`^error: the cluster store ${s.store} is corrupt \\(line \\d+: unexpected content after the end of the store\\)`)],
    ];
    for (const [what, bytes, message] of cases) {
      fs.writeFileSync(s.store, bytes);
      try {
        expectOneLineError(await refusedEverywhere(s), message);
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
    }
    fs.rmSync(s.store);
    fs.mkdirSync(s.store);
    expectOneLineError(await refusedEverywhere(s), `error: cannot read the cluster store ${s.store}: is a directory\n`);
    fs.rmdirSync(s.store);
    fs.writeFileSync(s.store, 'garbage');
    const reset = await s.run(['cluster', 'reset']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('Cluster "kfake" is ready.');
    expect(storeProblem(s.bytes())).toBeUndefined();
    expect(await deploymentNames(s)).toEqual([]);
  });

  // Objects are decoded lazily (a command decodes only the kinds it touches), so a damaged
  // object is found by the commands that read it; those must say which file is damaged and how
  // to recover, as for any other damage, and write nothing.
  for (const [what, damage] of [
    ['is not valid JSON', (line: string) => line.replace('"spec":{', '"spec":{{')],
    // Valid JSON, but no longer an object of its kind (one changed byte: "metadata" -> "meta:ata").
    ['has lost its metadata', (line: string) => line.replace(/("o":\{.*?)"metadata":/, '$1"meta:ata":')],
  ] as const) {
    it(`an object that ${what}: the commands reading it name the store and the way back, and write nothing`, async () => {
      const s = sandbox();
      await twoWrites(s);
      const text = s.bytes().toString();
      const line = text.split('\n').find((l) => l.startsWith('{"k":"deployments/default/first"'))!;
      expect(damage(line)).not.toBe(line);
      fs.writeFileSync(s.store, text.replace(line, damage(line)));
      const before = s.bytes();
      for (const args of [['get', 'deployments'], ['describe', 'deployment', 'first'], ['scale', 'deployment', 'first', '--replicas=2'], ['delete', 'deployment', 'first']]) {
        const r = await s.run(args);
        expect(r.code).toBe(1);
        expect(r.stderr).not.toMatch(CRASH);
        expect(r.stderr).toMatch(new RegExp(`^error: the cluster store ${s.store} is corrupt \\(.*deployments/default/first.*\\).*'cp ${s.store}\\.bak ${s.store}'`));
        expect(s.bytes().equals(before)).toBe(true);
      }
    });
  }

  it('random byte changes never crash kfake: it reads the store or names it as corrupt', async () => {
    const fig = new Figures('corrupted stores');
    const s = sandbox();
    await s.ok(['apply', '-f', s.write('base.yaml', baseline(5, 2))]);
    const good = s.bytes();
    const rng = new Rng('flip');
    const trials = size(40, 600);
    const outcomes = { read: 0, refused: 0 };
    for (let t = 0; t < trials; t++) {
      const bad = Buffer.from(good);
      for (let n = rng.int(1, 3); n > 0; n--) bad[rng.int(0, bad.length - 1)] = rng.pick([0x22, 0x7b, 0x7d, 0x2c, 0x0a, 0x5b, 0x3a, 0x00, 0xff, rng.int(0, 255)]);
      fs.writeFileSync(s.store, bad);
      const r = await s.run(['get', 'pods,services,deployments,replicasets,endpoints,endpointslices,events,nodes', '-A', '-o', 'json']);
      fig.check(!CRASH.test(r.stderr), () => `trial ${t}: ${r.stderr}`);
      if (r.code === 0) outcomes.read++;
      else if (fig.check(r.code === 1 && r.stderr.includes(`the cluster store ${s.store} is corrupt`), () => `trial ${t}: exit ${r.code}: ${r.stderr}`)) outcomes.refused++;
    }
    fig.set('trials', trials);
    fig.set('read (the change kept the JSON valid)', outcomes.read);
    fig.set('refused as corrupt', outcomes.refused);
    fig.print();
    expect(fig.failures).toEqual([]);
  }, budget(60_000, 900_000));

  it('an unknown format version: refused, named, untouched', async () => {
    const s = sandbox();
    await twoWrites(s);
    fs.writeFileSync(s.store, s.bytes().toString().replace('"formatVersion":1,', '"formatVersion":7,'));
    for (const r of await refusedEverywhere(s)) {
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').length).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: the cluster store ${s.store} .*format version 7.*'kfake cluster reset'`));
    }
  });
});

/**
 * Run as an unprivileged user: as root, permissions are not enforced, so use nobody. The
 * checkout may sit where nobody cannot read (a private home or temp directory), so nobody runs
 * a copy of the program kept in the sandbox.
 */
function unprivileged(s: Sandbox): { user?: number; bin?: string } {
  if (process.getuid?.() !== 0) return {};
  const prog = path.join(s.dir, 'prog');
  let bin: string;
  if (path.basename(BIN) === 'kfake' && path.basename(path.dirname(BIN)) === 'bin') {
    // bin/kfake starts ../dist/kfake.cjs with its code cache.
    bin = path.join(prog, 'bin', 'kfake');
    fs.cpSync(path.dirname(BIN), path.join(prog, 'bin'), { recursive: true });
    fs.cpSync(path.join(path.dirname(BIN), '..', 'dist'), path.join(prog, 'dist'), { recursive: true });
  } else {
    bin = path.join(prog, path.basename(BIN));
    fs.mkdirSync(prog, { recursive: true });
    fs.copyFileSync(BIN, bin);
  }
  spawnSync('chown', ['-R', '65534:65534', s.dir]);
  return { user: 65534, bin };
}

describe('a store kfake may not read or write', () => {
  it('an unreadable store (chmod 000): refused, named, untouched', async () => {
    const s = sandbox();
    const as = unprivileged(s);
    expect((await s.run(['create', 'deployment', 'first', '--image=nginx'], as)).code).toBe(0);
    fs.chmodSync(s.store, 0o000);
    expectOneLineError(await refusedEverywhere(s, as), `error: cannot read the cluster store ${s.store}: permission denied\n`);
    fs.chmodSync(s.store, 0o600);
    expect((await s.run(['get', 'deployment', 'first', '-o', 'name'], as)).stdout).toBe('deployment.apps/first\n');
  });

  it('a read-only directory: reads work, writes are refused naming the store, nothing is left behind', async () => {
    const s = sandbox();
    const as = unprivileged(s);
    expect((await s.run(['create', 'deployment', 'first', '--image=nginx'], as)).code).toBe(0);
    const dir = path.dirname(s.store);
    const entries = s.storeDirEntries();
    const before = s.bytes();
    fs.chmodSync(dir, 0o500);
    try {
      const get = await s.run(['get', 'deployment', 'first', '-o', 'name'], as);
      expect(get).toMatchObject({ code: 0, stdout: 'deployment.apps/first\n', stderr: '' });
      for (const args of [['create', 'deployment', 'second', '--image=nginx'], ['delete', 'deployment', 'first'], ['cluster', 'reset']]) {
        const r = await s.run(args, as);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(CRASH);
        expect(r.stderr.split('\n').length).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^error: cannot (lock|write) the cluster store ${s.store}: .*(permission denied|EACCES)`, 'i'));
        expect(s.bytes().equals(before)).toBe(true);
        expect(s.storeDirEntries()).toEqual(entries);
      }
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });

  it('a full disk (ENOSPC while writing): refused, named, the old file intact, no partial files left', async () => {
    const s = sandbox();
    await s.ok(['apply', '-f', s.write('base.yaml', baseline(20, 2))]);
    const good = s.write('good.json', s.bytes());
    const out = path.join(s.dir, 'out');
    fs.mkdirSync(out);
    fs.mkdirSync(path.join(s.dir, 'mnt'));
    // In a private mount namespace: a tmpfs with room for the store and half of another copy.
    const room = Math.ceil((fs.statSync(good).size * 1.5) / 4096) * 4096;
    const script = `set -e
mount -t tmpfs -o size=${room} tmpfs "$MNT"
mkdir -m 700 "$MNT/store"
cp "$GOOD" "$MNT/store/cluster.json"
set +e
run() { KFAKE_STORE="$MNT/store/cluster.json" "$NODE" "$BIN" "$@"; }
run create deployment more --image=nginx >"$OUT/write.out" 2>"$OUT/write.err"; echo $? >"$OUT/write.code"
cp "$MNT/store/cluster.json" "$OUT/after.json"
ls -A "$MNT/store" >"$OUT/entries"
run get deployments -o name >"$OUT/read.out" 2>"$OUT/read.err"; echo $? >"$OUT/read.code"
mount -o remount,size=${room * 3} "$MNT"
run delete deployment base0 >"$OUT/freed.out" 2>"$OUT/freed.err"; echo $? >"$OUT/freed.code"
`;
    const env = { ...s.env(), MNT: path.join(s.dir, 'mnt'), GOOD: good, OUT: out, NODE: process.execPath, BIN };
    const ns = spawnSync('unshare', [...(process.getuid?.() === 0 ? [] : ['-r']), '-m', 'sh', '-c', script], { env, encoding: 'utf8' });
    expect(ns.status, `a tmpfs could not be mounted in a private mount namespace: ${ns.stderr}`).toBe(0);
    const read = (f: string) => fs.readFileSync(path.join(out, f), 'utf8');
    const mnt = path.join(s.dir, 'mnt', 'store', 'cluster.json');
    expect(read('write.code')).toBe('1\n');
    expect(read('write.out')).toBe('');
    expect(read('write.err')).toBe(`error: cannot write the cluster store ${mnt}: no space left on device\n`);
    expect(fs.readFileSync(path.join(out, 'after.json')).equals(fs.readFileSync(good))).toBe(true);
    expect(read('entries')).toBe('cluster.json\n');
    // Reads still work on a full disk, and once there is room again (a bigger tmpfs), so do writes.
    expect(read('read.code')).toBe('0\n');
    expect(read('read.out')).toContain('deployment.apps/base19\n');
    expect(read('freed.err')).toBe('');
    expect(read('freed.out')).toBe('deployment.apps "base0" deleted\n');
  });
});

describe('files kfake creates', () => {
  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  /** Run kfake with umask 000, so only the modes kfake asks for protect the files. */
  function withOpenUmask(s: Sandbox, args: string[], env: NodeJS.ProcessEnv = s.env()) {
    return spawnSync('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, ...args], { env, cwd: s.dir, encoding: 'utf8' });
  }

  it('the store and its backup are readable by the user only, whatever the umask', () => {
    const s = sandbox();
    for (const args of [['create', 'deployment', 'first', '--image=nginx'], ['create', 'deployment', 'second', '--image=nginx']]) {
      const r = withOpenUmask(s, args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    expect(mode(s.store)).toBe(0o600);
    expect(mode(`${s.store}.bak`)).toBe(0o600);
    for (const f of s.storeDirEntries()) {
      const p = path.join(path.dirname(s.store), f);
      if (fs.statSync(p).isFile()) expect([f, mode(p)]).toEqual([f, 0o600]);
    }
  });

  it('first use with the default store (~/.kfake/cluster.json): the directory is created, for the user only', () => {
    const s = sandbox({ createStoreDir: false });
    const env = s.env();
    delete env.KFAKE_STORE;
    const r = withOpenUmask(s, ['get', 'nodes', '-o', 'name'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('node/kfake-control-plane\nnode/kfake-worker\nnode/kfake-worker2\n');
    expect(r.status).toBe(0);
    expect(mode(path.join(s.dir, '.kfake'))).toBe(0o700);
    expect(mode(path.join(s.dir, '.kfake', 'cluster.json'))).toBe(0o600);
  });
});
