/**
 * Running the built CLI as separate processes against a store in a temporary directory, the way
 * scripts and CI jobs run it: several at once, killed at chosen moments, as another user, or
 * under /usr/bin/time to learn their peak memory.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../../helpers/kfake.ts';

export { BIN };

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the process was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
  /** Peak resident set size in KiB (only with `measure`). */
  peakKiB?: number;
  pid: number;
}

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  /** SIGKILL the process this many milliseconds after it was started. */
  killAfterMs?: number;
  /** SIGKILL the process if it has not finished by then, and fail the run. */
  timeoutMs?: number;
  /** Run under /usr/bin/time to record the peak RSS. */
  measure?: boolean;
  /** Run as this uid/gid (through setpriv; only possible as root). */
  user?: number;
  /** Called once the process exists (e.g. to stop it with SIGSTOP). */
  onSpawn?: (pid: number) => void;
  /** Extra node options, e.g. a heap limit. */
  nodeArgs?: string[];
  /** Another copy of the program under test (one that another user can read). */
  bin?: string;
}

export const NOW = '2026-11-21T10:00:00Z';

/** A directory with its own store; every command runs with a fixed clock and seed. */
export class Sandbox {
  readonly dir: string;
  readonly store: string;
  readonly seed: string;
  now: string;

  constructor(opts: { seed?: string; now?: string; dir?: string; createStoreDir?: boolean } = {}) {
    this.dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-rel-'));
    this.store = path.join(this.dir, 'store', 'cluster.json');
    // The store gets a directory of its own so the files kfake keeps beside it can be listed.
    if (opts.createStoreDir !== false) fs.mkdirSync(path.dirname(this.store), { mode: 0o700 });
    this.seed = opts.seed ?? 'reliability';
    this.now = opts.now ?? NOW;
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.dir,
      TMPDIR: this.dir,
      KFAKE_STORE: this.store,
      KFAKE_SEED: this.seed,
      KFAKE_NOW: this.now,
      NO_COLOR: '1',
      TZ: 'UTC',
      ...extra,
    };
  }

  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return runProcess(args, { cwd: this.dir, ...opts, env: this.env(opts.env) as Record<string, string> });
  }

  /** Run and insist on success; returns stdout. */
  async ok(args: string[], opts: RunOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kfake ${args.join(' ')} failed (${r.code ?? r.signal}):\n${r.stderr}`);
    return r.stdout;
  }

  /** `kfake get <kinds> -A -o json` as a list of items. */
  async items(kinds: string): Promise<KItem[]> {
    return (JSON.parse(await this.ok(['get', kinds, '-A', '-o', 'json'])) as { items: KItem[] }).items;
  }

  bytes(): Buffer {
    return fs.readFileSync(this.store);
  }

  /** Write a file into the sandbox; returns its path. */
  write(name: string, text: string | Buffer): string {
    const p = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  }

  /** Files beside the store (temp files, lock, backup). */
  storeDirEntries(): string[] {
    return fs.existsSync(path.dirname(this.store)) ? fs.readdirSync(path.dirname(this.store)).sort() : [];
  }

  cleanup(): void {
    // A test may have made parts read-only or unreadable.
    try {
      for (const p of [this.dir, path.dirname(this.store), this.store]) {
        if (fs.existsSync(p)) fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o700 : 0o600);
      }
    } catch {
      // best effort
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface KItem {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { uid: string; kind: string; name: string }[];
    deletionTimestamp?: string;
  };
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** GNU time, for peak memory; where it is missing, runs are simply not measured. */
export const CAN_MEASURE = fs.existsSync('/usr/bin/time');

export function runProcess(args: string[], opts: RunOptions & { env: Record<string, string>; cwd: string }): Promise<RunResult> {
  let cmd = process.execPath;
  let argv = [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args];
  let timeFile: string | undefined;
  if (opts.measure && CAN_MEASURE) {
    timeFile = path.join(opts.cwd, `.time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    argv = ['-f', '%M', '-o', timeFile, cmd, ...argv];
    cmd = '/usr/bin/time';
  }
  if (opts.user !== undefined) {
    argv = [`--reuid=${opts.user}`, `--regid=${opts.user}`, '--clear-groups', cmd, ...argv];
    cmd = 'setpriv';
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // A process group of its own, so a timeout ends /usr/bin/time's child too.
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // The child may exit before reading its input (e.g. killed); that is not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    if (opts.killAfterMs !== undefined) timers.push(setTimeout(kill, opts.killAfterMs));
    if (opts.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs),
      );
    }
    child.on('error', reject);
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new Error(`kfake ${args.join(' ').slice(0, 200)} did not finish within ${opts.timeoutMs} ms\n${stderr}`));
        return;
      }
      let peakKiB: number | undefined;
      if (timeFile) {
        try {
          const text = fs.readFileSync(timeFile, 'utf8');
          fs.rmSync(timeFile, { force: true });
          // "Command exited with non-zero status N" may come first; the figure is the last line.
          peakKiB = Number(text.trim().split('\n').pop());
        } catch {
          // time was killed before it wrote its report
        }
      }
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        code,
        signal,
        ms: performance.now() - started,
        peakKiB,
        pid: child.pid ?? -1,
      });
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
