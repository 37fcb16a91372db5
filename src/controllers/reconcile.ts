/**
 * The reconcile loop: every change recorded in the transaction is offered to each controller,
 * which names the objects it must look at; each named object is synced once per round, and rounds
 * repeat until a round changes nothing (the fixed point). This is the controller manager's
 * informers and work queues, run to completion inside one store transaction.
 */
import { internalError } from '../api/errors.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import { deploymentController } from './deployment.ts';
import { EndpointsController } from './endpoints.ts';
import { garbageCollector, namespaceController } from './garbage-collector.ts';
import { kubelet } from './kubelet.ts';
import { replicaSetController } from './replicaset.ts';
import { rootCAPublisher } from './root-ca.ts';
import { Scheduler } from './scheduler.ts';
import { extraControllers } from './registry.ts';

export interface Controller {
  readonly name: string;
  /**
   * The resources whose changes it reacts to, as an informer watches its kinds (all when
   * absent): the others are not offered to keysFor.
   */
  readonly watches?: readonly string[];
  /** Keys (usually `<namespace>/<name>`) this change makes the controller sync. */
  keysFor(change: Change, ctx: ControllerContext): string[];
  sync(key: string, ctx: ControllerContext): void;
  /** Called before each round, to drop per-round caches. */
  beginRound?(ctx: ControllerContext): void;
}

/** Rounds after which the loop is considered stuck (a controller bug, never a user error). */
const MAX_ROUNDS = 200;

export function defaultControllers(): Controller[] {
  return [
    namespaceController,
    garbageCollector,
    rootCAPublisher,
    deploymentController,
    replicaSetController,
    new Scheduler(),
    kubelet,
    new EndpointsController(),
    ...extraControllers(),
  ];
}

export function reconcile(ctx: ControllerContext, controllers: Controller[] = defaultControllers()): void {
  const watched = controllers.map((c) => (c.watches ? new Set(c.watches) : undefined));
  for (let round = 0; ; round++) {
    const changes = ctx.state.drainChanges().filter((c) => c.resource !== 'events');
    if (changes.length === 0) return;
    if (round >= MAX_ROUNDS) throw internalError('the controllers did not settle (reconcile loop limit reached)');
    controllers.forEach((c, i) => {
      const watch = watched[i];
      c.beginRound?.(ctx);
      const keys = new Set<string>();
      for (const change of changes) {
        if (watch && !watch.has(change.resource)) continue;
        for (const k of c.keysFor(change, ctx)) keys.add(k);
      }
      for (const k of keys) c.sync(k, ctx);
    });
  }
}
