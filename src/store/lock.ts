/**
 * The inter-process lock around a store transaction. proper-lockfile makes `<store>.lock` with
 * mkdir (atomic) and keeps its mtime fresh while held; we also record the holder's pid beside it
 * (`<store>.lock-owner`), so a lock left by a killed process is taken over at once instead of
 * after the stale timeout, while a live, slow holder is waited for. The note stays outside the
 * lock directory so proper-lockfile can still remove a stale lock with rmdir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { CliError } from '../api/errors.ts';

export interface LockOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Called once if we have to wait more than a moment. */
  onWait?: (holder: string) => void;
}

interface Owner {
  pid: number;
  host: string;
}

function ownerFile(lockDir: string): string {
  return `${lockDir}-owner`;
}

function readOwner(lockDir: string): Owner | undefined {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(lockDir), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Take the lock on `file`; resolves to the release function. */
export async function acquireLock(file: string, opts: LockOptions): Promise<() => Promise<void>> {
  const lockDir = `${file}.lock`;
  // The first command on a fresh machine makes the store's directory (~/.kfake), private to the
  // user as kubectl keeps ~/.kube.
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CliError(`cannot create the directory of the cluster store ${file}: ${(e as Error).message}`);
  }
  const started = Date.now();
  let announced = false;
  let delay = 5;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        stale: 10000,
        retries: 0,
        onCompromised: () => {
          // Another process judged our lock stale (we were stopped for >10s). The write that
          // follows is still atomic; the next writer re-reads the file, so nothing is torn.
        },
      });
      try {
        fs.writeFileSync(ownerFile(lockDir), JSON.stringify({ pid: process.pid, host: os.hostname() }), { mode: 0o600 });
      } catch {
        // The owner note only speeds up recovery; the mtime-based stale check still applies.
      }
      return async () => {
        fs.rmSync(ownerFile(lockDir), { force: true });
        // Already released or taken over: nothing to undo.
        await release().catch(() => undefined);
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw new CliError(`cannot lock the cluster store ${file}: ${(e as Error).message}`);
      }
      const owner = readOwner(lockDir);
      if (owner && owner.host === os.hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) {
        // The holder is gone (killed); its lock protects nothing any more.
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      const waited = Date.now() - started;
      const holder = owner ? `process ${owner.pid}` : 'another process';
      if (waited >= opts.timeoutMs) {
        throw new CliError(
          `timed out after ${Math.round(waited / 1000)}s waiting for the lock on the cluster store ${file} (held by ${holder}); ` +
            `if no kfake command is running, remove ${lockDir}`,
        );
      }
      if (!announced && waited > 1000 && opts.onWait) {
        announced = true;
        opts.onWait(holder);
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  }
}
