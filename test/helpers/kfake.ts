/**
 * Running the built `bin/kfake` in a temporary directory with its own store, the way a user
 * runs it, and recording what a person would read: the command line, stdout, stderr and the
 * exit status.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The program under test: bin/kfake (which starts dist/kfake.mjs), or another build of it. */
export const BIN = process.env.KFAKE_TEST_BUNDLE || path.join(ROOT, 'bin', 'kfake');
export const MANIFESTS = path.join(ROOT, 'manifests');

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  stdin?: string;
  /** KFAKE_NOW for this command (RFC 3339), to show time passing. */
  now?: string;
  env?: Record<string, string>;
}

/** Split a command line the way a shell would for the simple quoting tests use. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      any = true;
    } else if (c === ' ') {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}

export class TestCluster {
  readonly dir: string;
  readonly store: string;
  now: string;
  readonly seed: string;

  constructor(opts: { now?: string; seed?: string } = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-test-'));
    this.store = path.join(this.dir, 'cluster.json');
    this.now = opts.now ?? '2026-11-21T10:00:00Z';
    this.seed = opts.seed ?? 'test';
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: this.dir,
      KFAKE_STORE: this.store,
      KFAKE_SEED: this.seed,
      KFAKE_NOW: this.now,
      NO_COLOR: '1',
      TZ: 'UTC',
      ...extra,
    };
    return env;
  }

  /** Run kfake with an argument list. */
  run(args: string[], opts: RunOptions = {}): Result {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: this.dir,
      env: this.env({ ...(opts.now ? { KFAKE_NOW: opts.now } : {}), ...(opts.env ?? {}) }),
      input: opts.stdin ?? '',
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? 1 };
  }

  /** Run a command line written as a user types it (`kfake get svc -o wide`). */
  sh(line: string, opts: RunOptions = {}): Result {
    const args = splitArgs(line);
    if (args[0] !== 'kfake') throw new Error(`not a kfake command line: ${line}`);
    return this.run(args.slice(1).map((a) => a.replace(/^manifests\//, `${MANIFESTS}/`)), opts);
  }

  /** A transcript of several command lines, as a terminal would show them. */
  transcript(lines: (string | [string, RunOptions])[]): string {
    return lines
      .map((entry) => {
        const [line, opts] = typeof entry === 'string' ? [entry, {}] : entry;
        return formatResult(line, this.sh(line, opts));
      })
      .join('\n');
  }

  storeBytes(): Buffer {
    return fs.readFileSync(this.store);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `$ <line>`, stdout, stderr lines marked `!`, and `[exit N]` when N is not 0. */
export function formatResult(line: string, r: Result): string {
  let s = `$ ${line}\n${r.stdout}`;
  if (r.stdout && !r.stdout.endsWith('\n')) s += '\n';
  if (r.stderr) s += r.stderr.replace(/\n$/, '').split('\n').map((l) => `! ${l}`).join('\n') + '\n';
  if (r.code !== 0) s += `[exit ${r.code}]\n`;
  return s;
}

/**
 * Run a command line kfake must refuse: exit 1, `message` on stderr (contained, or matched), never
 * a stack trace, and the store (bootstrapped first) byte for byte as it was.
 */
export function expectRefused(c: TestCluster, line: string, message: string | RegExp): Result {
  c.sh('kfake get ns');
  const before = c.storeBytes();
  const r = c.sh(line);
  expect(r.code).toBe(1);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(c.storeBytes().equals(before)).toBe(true);
  return r;
}

/** A setup command line, or one with what it reads on stdin. */
export type SetupLine = string | [line: string, stdin: string];

/**
 * For a test file: a function giving a new cluster set up with these command lines (each must
 * succeed), removed again after each test.
 */
export function freshClusters(): (...setup: SetupLine[]) => TestCluster {
  let current: TestCluster | undefined;
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return (...setup) => {
    current = new TestCluster();
    for (const entry of setup) {
      const [line, stdin] = typeof entry === 'string' ? [entry, undefined] : entry;
      const r = current.sh(line, stdin ? { stdin } : {});
      expect(r.code, `${line}: ${r.stderr}`).toBe(0);
    }
    return current;
  };
}
