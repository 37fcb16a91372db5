/**
 * One command's access to the cluster. Reads take a snapshot of the store file without locking
 * (writers replace it atomically). Writes run as one transaction: lock, re-read, change through
 * the API, reconcile to a fixed point, expire old events, write atomically, unlock. A missing
 * store is bootstrapped by the first command that touches it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiContext } from '../apiserver/api.ts';
import { openStoreFile, StoreFile } from '../store/file-store.ts';
import { DEFAULT_CONFIG, type ClusterConfig } from '../store/meta.ts';
import type { ClusterState } from '../store/state.ts';
import type { Clock } from '../util/clock.ts';
import { seededRandom, systemRandom, type Random } from '../util/random.ts';

/** What only writes need (controllers, bootstrap, the lock), loaded when a write happens. */
const writeSide = () => import('./write-side.ts');

export interface SessionOptions {
  file: string;
  clock: Clock;
  /** KFAKE_SEED: makes every random choice repeatable. */
  seed?: string;
  lockTimeoutMs?: number;
  /** Where to say that we are waiting for another kfake process. */
  onLockWait?: (message: string) => void;
}

/** `--store`, then KFAKE_STORE, then ~/.kfake/cluster.json. */
export function resolveStorePath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const p = flag || env.KFAKE_STORE || path.join(os.homedir(), '.kfake', 'cluster.json');
  return path.resolve(p);
}

/** Requests after which the controllers catch up within a many-object command. */
const CATCH_UP_EVERY = 100;

export interface TransactionOptions {
  /** `--dry-run=server`: everything runs, nothing is stored and no controller reacts. */
  dryRun?: boolean;
}

export class Session {
  readonly file: string;
  private readonly opts: SessionOptions;

  constructor(opts: SessionOptions) {
    this.opts = opts;
    this.file = opts.file;
  }

  now(): Date {
    return this.opts.clock.now();
  }

  /**
   * The time a write happens at, in whole seconds: metav1.Time keeps seconds only, so stamping
   * every object of a transaction with the same second keeps their ages consistent with each other.
   */
  private writeTime(): Date {
    const t = this.now().getTime();
    return new Date(t - (t % 1000));
  }

  private random(state: ClusterState | undefined, purpose: string): Random {
    if (this.opts.seed === undefined) return systemRandom();
    return seededRandom(`${this.opts.seed}:${purpose}:${state?.meta.resourceVersion ?? 0}`);
  }

  /** A consistent snapshot for read-only commands. */
  async read(): Promise<ClusterState> {
    const state = new StoreFile(this.file).read();
    if (state) return state;
    // First use: bootstrap under the lock (another process may be doing the same).
    await this.transaction(() => undefined);
    const created = new StoreFile(this.file).read();
    if (!created) throw new Error(`the cluster store ${this.file} disappeared`);
    return created;
  }

  /** Whether the store file exists (without creating it). */
  exists(): boolean {
    return fs.existsSync(this.file);
  }

  private async locked<T>(fn: (w: Awaited<ReturnType<typeof writeSide>>) => T): Promise<T> {
    const w = await writeSide();
    const release = await w.acquireLock(this.file, {
      timeoutMs: this.opts.lockTimeoutMs ?? 60_000,
      onWait: (holder) =>
        this.opts.onLockWait?.(`waiting for ${holder} to finish with the cluster store ${this.file}...`),
    });
    try {
      return fn(w);
    } finally {
      await release();
    }
  }

  /** Run `fn` as one transaction; its changes are reconciled and stored when it returns. */
  async transaction<T>(fn: (api: ApiContext) => T, opts: TransactionOptions = {}): Promise<T> {
    return this.locked((w) => {
      const db = openStoreFile(this.file);
      db.read();
      const now = this.writeTime();
      let state = db.data;
      if (!state) {
        const rng = this.random(undefined, 'bootstrap');
        state = w.newClusterState(DEFAULT_CONFIG, now, rng);
        w.settle(state, now, rng);
      }
      const rng = this.random(state, 'request');
      w.eventRecorder(state, now, rng);
      let requests = 0;
      const checkpoint = () => {
        if (++requests % CATCH_UP_EVERY !== 0) return;
        w.settle(state, now, rng);
        state.compact();
      };
      const result = fn({ state, now, rng, ...(opts.dryRun ? {} : { checkpoint }) });
      if (opts.dryRun) return result;
      w.settle(state, now, rng);
      if (state.modified) {
        db.data = state;
        db.write();
      }
      return result;
    });
  }

  /** Wipe the store and start a new cluster with these settings (`kfake cluster reset`). */
  async reset(config: ClusterConfig): Promise<ClusterState> {
    return this.locked((w) => {
      const now = this.writeTime();
      const rng = this.random(undefined, 'bootstrap');
      const state = w.newClusterState(config, now, rng);
      w.settle(state, now, rng);
      const db = openStoreFile(this.file);
      db.data = state;
      db.write();
      return state;
    });
  }
}

/** Whether an event is past its TTL (read paths hide those not yet removed by a write). */
export function isExpiredEvent(state: ClusterState, ev: { lastTimestamp?: string | null; eventTime?: string | null; firstTimestamp?: string | null; metadata: { creationTimestamp?: string | null } }, now: Date): boolean {
  const last = ev.lastTimestamp ?? ev.eventTime ?? ev.firstTimestamp ?? ev.metadata.creationTimestamp;
  if (!last) return false;
  return now.getTime() - Date.parse(last) > state.meta.config.eventTTLSeconds * 1000;
}
