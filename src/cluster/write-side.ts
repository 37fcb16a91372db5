/**
 * Everything a write transaction needs beyond reading the store: the lock, the bootstrap and the
 * controllers. Loaded only by commands that write, so read-only commands start faster.
 */
import { reconcile } from '../controllers/reconcile.ts';
import { EventRecorder } from '../controllers/events.ts';
import type { ControllerContext } from '../controllers/context.ts';
import type { ClusterState } from '../store/state.ts';
import { rfc3339 } from '../util/duration.ts';
import type { Random } from '../util/random.ts';
// Optional controllers register themselves when loaded (load balancer address pool, ingress-nginx),
// and so does the one that forgets the network records of deleted pods: every write may delete one.
import '../controllers/load-balancer.ts';
import '../controllers/ingress-nginx.ts';
import '../network/install.ts';

export { acquireLock } from '../store/lock.ts';
export { newClusterState } from './bootstrap.ts';

/**
 * One event recorder per transaction (a state and the randomness it draws from), as the
 * controller manager and the kubelets each keep theirs while they run: repeats are recognised
 * across the settles of a big command, and the events about the objects created after the
 * recorder are all known to it. A transaction makes it before its first request.
 */
const recorders = new WeakMap<ClusterState, { rng: Random; events: EventRecorder }>();

export function eventRecorder(state: ClusterState, now: Date, rng: Random): EventRecorder {
  let recorder = recorders.get(state);
  if (recorder?.rng !== rng) {
    recorder = { rng, events: new EventRecorder(state, now, rng) };
    recorders.set(state, recorder);
  }
  return recorder.events;
}

/** Run the controllers to a fixed point, then drop events past their TTL. */
export function settle(state: ClusterState, now: Date, rng: Random): void {
  const events = eventRecorder(state, now, rng);
  const ctx: ControllerContext = {
    state,
    now,
    nowText: rfc3339(now),
    rng,
    config: state.meta.config,
    events,
  };
  reconcile(ctx);
  expireEvents(state, now);
}

/**
 * kube-apiserver --event-ttl: events disappear this long after they were last seen. Only when
 * the oldest stored event may have expired are the events looked at.
 */
export function expireEvents(state: ClusterState, now: Date): void {
  const ttl = state.meta.config.eventTTLSeconds * 1000;
  const oldest = state.meta.oldestEvent;
  if (oldest !== undefined && now.getTime() - oldest <= ttl) return;
  let next: number | undefined;
  for (const ns of state.namespacesOf('events')) {
    for (const { name, summary } of state.summariesWithNames('events', ns)) {
      if (summary.t === undefined) continue;
      if (now.getTime() - summary.t > ttl) state.expire('events', ns, name);
      else if (next === undefined || summary.t < next) next = summary.t;
    }
  }
  if (next !== state.meta.oldestEvent) {
    if (next === undefined) delete state.meta.oldestEvent;
    else state.meta.oldestEvent = next;
    state.modified = true;
  }
}
