/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods
 * created from the template (named `<replicaset>-<5 random characters>`), deletes the surplus
 * in the controller's preference order, and reports status.
 */
import type { Pod, ReplicaSet } from '../api/types.ts';
import { resourceInfo } from '../api/registry.ts';
import { createObject, createPodLike, deleteObject } from '../apiserver/api.ts';
import { StatusError } from '../api/errors.ts';
import { matches, selectorFromLabelSelector, selectorFromSet } from '../selectors/labels.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { controllerOf, ownerReference } from './owners.ts';
import { isPodReady } from './pod-status.ts';
import { clone } from '../util/clone.ts';
import { jsonEqual } from '../util/json-equal.ts';

const SOURCE = { component: 'replicaset-controller' };

/**
 * The ReplicaSets whose status this controller has just written, until their change comes
 * round: the sync it would trigger depends only on the spec and the pods, which that write did
 * not touch (other writes of the same ReplicaSet are other objects and are synced as usual).
 */
const ownStatusWrites = new WeakSet<object>();
const PODS = resourceInfo('pods');

export const replicaSetController: Controller = {
  name: 'replicaset',
  watches: ['replicasets', 'pods'],
  keysFor(change: Change): string[] {
    if (change.resource === 'replicasets') {
      // Its own status update: syncing again would find the same pods and write nothing.
      if (change.type === 'MODIFIED' && ownStatusWrites.delete(change.object)) return [];
      return [`${change.namespace}/${change.name}`];
    }
    if (change.resource === 'pods') {
      // A binding or a container restart leaves all the controller looks at as it was.
      if (change.type === 'MODIFIED' && jsonEqual(podFacts(change.old as Pod), podFacts(change.object as Pod))) return [];
      const keys: string[] = [];
      for (const obj of [change.object, change.old]) {
        const ref = obj && controllerOf(obj);
        if (ref?.kind === 'ReplicaSet') keys.push(`${change.namespace}/${ref.name}`);
      }
      return keys;
    }
    return [];
  },
  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const rs = ctx.state.get<ReplicaSet>('replicasets', ns, name);
    if (!rs) return;
    syncReplicaSet(ctx, rs);
  },
};

/** What the controller reads of a pod: labels, owners, phase, deletion and readiness. */
function podFacts(p: Pod | undefined): unknown {
  if (!p) return undefined;
  return [p.metadata.labels, p.metadata.ownerReferences, p.status?.phase, p.metadata.deletionTimestamp, isPodReady(p)];
}

/** IsPodActive: not terminal and not being deleted. */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

/**
 * ClaimPods (pkg/controller/controller_ref_manager.go): pods this ReplicaSet controls whose labels
 * no longer match its selector are released (their owner reference removed), and matching
 * orphans are adopted, unless the ReplicaSet is being deleted.
 */
function claimPods(ctx: ControllerContext, rs: ReplicaSet): Pod[] {
  const ns = rs.metadata.namespace!;
  const uid = rs.metadata.uid!;
  const selector = selectorFromLabelSelector(rs.spec.selector);
  const claimed: Pod[] = [];
  for (const pod of ctx.state.ownedBy<Pod>('pods', ns, uid)) {
    if (controllerOf(pod)?.uid !== uid) continue;
    if (matches(selector, pod.metadata.labels) || rs.metadata.deletionTimestamp) {
      claimed.push(pod);
      continue;
    }
    const next = clone(pod);
    next.metadata.ownerReferences = pod.metadata.ownerReferences!.filter((r) => r.uid !== uid);
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    ctx.state.put('pods', next);
  }
  if (rs.metadata.deletionTimestamp || selector.length === 0) return claimed;
  for (const pod of ctx.state.select<Pod>('pods', ns, selector)) {
    if (controllerOf(pod) || pod.metadata.deletionTimestamp || !isPodActive(pod)) continue;
    const next = clone(pod);
    next.metadata.ownerReferences = [...(pod.metadata.ownerReferences ?? []), ownerReference(rs)];
    claimed.push(ctx.state.put('pods', next) as Pod);
  }
  return claimed;
}

function syncReplicaSet(ctx: ControllerContext, rs: ReplicaSet): void {
  const ns = rs.metadata.namespace!;
  const owned = claimPods(ctx, rs);
  let active = owned.filter(isPodActive);
  const want = rs.spec.replicas ?? 1;
  if (!rs.metadata.deletionTimestamp) {
    const diff = active.length - want;
    if (diff < 0) {
      let first: Pod | undefined;
      for (let i = 0; i < -diff; i++) {
        const created = createPod(ctx, rs, first);
        if (!created) break;
        first ??= created;
      }
    } else if (diff > 0) {
      for (const pod of podsToDelete(active, diff)) {
        deleteObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, PODS, ns, pod.metadata.name!);
        ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    active = ctx.state
      .ownedBy<Pod>('pods', ns, rs.metadata.uid!)
      .filter((p) => controllerOf(p)?.uid === rs.metadata.uid && isPodActive(p));
  }
  updateStatus(ctx, rs, active);
}

/**
 * Create one pod from the template; undefined when the API server refused it (FailedCreate).
 * The pods after the first of a sync are made like it (createPodLike), as the API server would
 * make them from the same request.
 */
function createPod(ctx: ControllerContext, rs: ReplicaSet, first: Pod | undefined): Pod | undefined {
  const template = rs.spec.template!;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerReference(rs)],
    },
    // createObject copies what it is given, so the template is not copied here too
    spec: template.spec,
  };
  const api = { state: ctx.state, now: ctx.now, rng: ctx.rng };
  try {
    const created = first ? createPodLike(api, first, pod) : (createObject(api, pod, { fromController: true }) as Pod);
    ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE);
    return created;
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    // The replicaset controller reports the API server's refusal and tries again later.
    ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, SOURCE);
    return undefined;
  }
}

/**
 * getPodsToDelete / ActivePodsWithRanks: unscheduled before scheduled, pending before running,
 * not ready before ready, pods sharing a node with more siblings first, newer before older.
 */
function podsToDelete(active: Pod[], n: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of active) {
    const node = p.spec.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const phaseRank = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  const ranked = [...active].sort((a, b) => {
    const sa = a.spec.nodeName ? 1 : 0;
    const sb = b.spec.nodeName ? 1 : 0;
    if (sa !== sb) return sa - sb;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    const ra = isPodReady(a) ? 1 : 0;
    const rb = isPodReady(b) ? 1 : 0;
    if (ra !== rb) return ra - rb;
    const na = perNode.get(a.spec.nodeName ?? '') ?? 0;
    const nb = perNode.get(b.spec.nodeName ?? '') ?? 0;
    if (na !== nb) return nb - na;
    const ca = a.metadata.creationTimestamp ?? '';
    const cb = b.metadata.creationTimestamp ?? '';
    if (ca !== cb) return ca < cb ? 1 : -1;
    return (b.metadata.resourceVersion ?? '').localeCompare(a.metadata.resourceVersion ?? '', undefined, { numeric: true });
  });
  return ranked.slice(0, n);
}

function updateStatus(ctx: ControllerContext, rs: ReplicaSet, active: Pod[]): void {
  const templateLabels = selectorFromSet(rs.spec.template?.metadata?.labels);
  const fullyLabeled = active.filter((p) => matches(templateLabels, p.metadata.labels)).length;
  const ready = active.filter(isPodReady).length;
  // Pods are available as soon as they are ready: kfake completes minReadySeconds at once.
  const status: NonNullable<ReplicaSet['status']> = {
    replicas: active.length,
    ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
    ...(ready ? { readyReplicas: ready } : {}),
    ...(ready ? { availableReplicas: ready } : {}),
    observedGeneration: rs.metadata.generation,
  };
  if (jsonEqual(status, rs.status)) return;
  // Only metadata (resourceVersion) and status change; the spec and its template are shared
  // with the stored version, which nobody changes in place.
  const next: ReplicaSet = { ...rs, metadata: { ...rs.metadata }, status };
  ownStatusWrites.add(ctx.state.put('replicasets', next));
}
