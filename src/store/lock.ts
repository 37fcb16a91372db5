/**
 * The inter-process lock around a store transaction: the directory `<store>.lock`, holding a
 * note `owner` with the holder's pid and host.
 *
 * The directory is made complete beside the lock, note included, and renamed into place: rename
 * is atomic, and fails when the lock exists, so the lock never exists without its note and two
 * processes never both take it. (proper-lockfile makes the directory first and has no owner
 * note; a holder killed between the two, or while letting go, leaves a lock that everyone waits
 * ten seconds for, and telling a dead holder from a live one needs the note.)
 *
 * A lock whose holder is dead (same host, no such pid) is abandoned and taken over at once; a
 * live holder, however slow, is waited for. Taking over happens under a second, short-lived
 * directory `<store>.lock.takeover`, so that of several processes finding the same abandoned
 * lock only one removes it, and none removes the lock another has just taken instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from '../util/node-crypto.ts';
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

/** A lock without a note was not made by this code (an older kfake, a person): abandoned once this old. */
const NOTELESS_STALE_MS = 1000;
/** A takeover guard this old belongs to a process killed while taking over. */
const GUARD_STALE_MS = 5000;

function readOwner(lockDir: string): Owner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : undefined;
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

/** Milliseconds since the path was last modified, or undefined when it is gone. */
function ageOf(p: string): number | undefined {
  try {
    return Date.now() - fs.statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}

/** A name beside the lock, unique to this process, for a directory on its way in or out. */
function besideLock(lockDir: string, what: string): string {
  return `${lockDir}.${process.pid}.${randomBytes(4).toString('hex')}.${what}`;
}

/** Put a complete lock directory in place; false when the lock is held. */
function tryCreate(lockDir: string): boolean {
  const tmp = besideLock(lockDir, 'tmp');
  fs.mkdirSync(tmp, { mode: 0o700 });
  try {
    fs.writeFileSync(path.join(tmp, 'owner'), JSON.stringify({ pid: process.pid, host: os.hostname() }), { mode: 0o600 });
    fs.renameSync(tmp, lockDir);
    return true;
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') return false;
    throw e;
  }
}

/** Whether the lock is abandoned: its holder is dead, or it has no note and is not brand new. */
function abandoned(lockDir: string): boolean {
  const owner = readOwner(lockDir);
  if (owner) return owner.host === os.hostname() && owner.pid !== process.pid && !processAlive(owner.pid);
  const age = ageOf(lockDir);
  return age !== undefined && age > NOTELESS_STALE_MS;
}

/** Remove an abandoned lock, one process at a time; returns whether it was removed. */
function takeOver(lockDir: string): boolean {
  const guard = `${lockDir}.takeover`;
  try {
    fs.mkdirSync(guard, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another process is taking over; one killed while doing it leaves an old guard.
    if ((ageOf(guard) ?? 0) > GUARD_STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
    return false;
  }
  try {
    // Checked again under the guard: no one can have replaced the lock since (it exists, so
    // it cannot be taken), and no one else is removing it.
    if (!abandoned(lockDir)) return false;
    const grave = besideLock(lockDir, 'stale');
    fs.renameSync(lockDir, grave);
    fs.rmSync(grave, { recursive: true, force: true });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
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
      if (tryCreate(lockDir)) {
        removeLeftovers(file);
        return async () => release(lockDir);
      }
      if (abandoned(lockDir) && takeOver(lockDir)) continue;
    } catch (e) {
      throw new CliError(`cannot lock the cluster store ${file}: ${(e as Error).message}`);
    }
    const waited = Date.now() - started;
    const owner = readOwner(lockDir);
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

/** Let go: move the lock aside (atomically) and remove it, if it is still ours. */
async function release(lockDir: string): Promise<void> {
  if (readOwner(lockDir)?.pid !== process.pid) return;
  const gone = besideLock(lockDir, 'released');
  try {
    fs.renameSync(lockDir, gone);
  } catch {
    return;
  }
  fs.rmSync(gone, { recursive: true, force: true });
}

/**
 * What killed processes leave beside the store: temporary copies of the store and of its
 * backup, and lock directories on their way in or out. Removed by the lock's holder when the
 * process named in them is gone.
 */
function removeLeftovers(file: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const patterns = [
    new RegExp(`^${escapeRegExp(base)}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`),
    new RegExp(`^${escapeRegExp(base)}\\.bak\\.(\\d+)\\.tmp$`),
    new RegExp(`^${escapeRegExp(base)}\\.lock\\.(\\d+)\\.[0-9a-f]+\\.(?:tmp|stale|released)$`),
  ];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    for (const re of patterns) {
      const m = re.exec(name);
      if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
        fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      }
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
