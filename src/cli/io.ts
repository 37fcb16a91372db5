/**
 * Where a command's bytes go. Commands write through IO so tests can capture everything; the
 * real IO writes to the process streams and never calls process.exit (which would cut piped
 * output short).
 */
import fs from 'node:fs';
import tty from 'node:tty';
import { Chalk, type ChalkInstance } from 'chalk';
import { decodeManifestBytes } from '../manifest/encoding.ts';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input (for `-f -`), decoded as kubectl decodes manifests (UTF-8, or UTF-16 after a byte order mark). */
  readStdin(): string;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Colours for kfake's own human-oriented output; a no-op instance when colour is off. */
  color: ChalkInstance;
}

/**
 * Colour is for people: only when stdout is a terminal, never with NO_COLOR, and FORCE_COLOR
 * can turn it on for a pipe (decided once here; chalk's own detection ignores NO_COLOR).
 */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean, flag?: boolean): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (env.NO_COLOR) return 0;
  if (flag === true) return 1;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return (Math.min(3, Math.max(0, Number(force) || 1)) as 0 | 1 | 2 | 3);
  if (!isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export function realIO(env: NodeJS.ProcessEnv = process.env): IO {
  const stdoutIsTTY = !!process.stdout.isTTY;
  // A reader that goes away early (`kfake get pods | head -1`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    out: (t) => {
      if (t) process.stdout.write(t);
    },
    err: (t) => {
      if (t) process.stderr.write(t);
    },
    readStdin: () => {
      try {
        return decodeManifestBytes(fs.readFileSync(0));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF') return '';
        throw e;
      }
    },
    // without making process.stdin, which most commands never read and which costs start-up time
    stdinIsTTY: tty.isatty(0),
    stdoutIsTTY,
    env,
    color: new Chalk({ level: colorLevel(env, stdoutIsTTY) }),
  };
}

/** IO that records everything, for tests. */
export function memoryIO(opts: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): IO & {
  stdout: string;
  stderr: string;
} {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    readStdin: () => opts.stdin ?? '',
    stdinIsTTY: opts.tty ?? false,
    stdoutIsTTY: opts.tty ?? false,
    env: opts.env ?? {},
    color: new Chalk({ level: 0 }),
  };
  return io;
}
